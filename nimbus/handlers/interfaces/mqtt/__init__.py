"""MQTT: the pure topic mapping, the bridge handler and Home Assistant discovery."""
