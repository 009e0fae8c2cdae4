"""Tests of the WebSocket and MQTT interfaces."""
