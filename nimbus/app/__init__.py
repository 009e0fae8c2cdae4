"""The composition root: which handlers a configuration runs (compose) and the daemon's lifecycle."""
