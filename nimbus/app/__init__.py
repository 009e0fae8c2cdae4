"""The composition root: which handlers a configuration runs, and the daemon's lifecycle."""
