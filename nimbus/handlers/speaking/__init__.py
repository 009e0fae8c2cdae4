"""Speaking: sentence cutting, the speaker handler (synthesis + playback) and audio sinks."""
