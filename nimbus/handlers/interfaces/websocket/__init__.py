"""WebSocket protocol v1: the pure protocol, the server handler, HTTP and the browser page."""
