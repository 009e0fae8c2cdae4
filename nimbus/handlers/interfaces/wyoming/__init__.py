"""Wyoming protocol: the server Home Assistant talks to and the satellites Nimbus drives."""
