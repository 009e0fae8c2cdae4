"""Interfaces: the WebSocket server and the MQTT bridge."""
