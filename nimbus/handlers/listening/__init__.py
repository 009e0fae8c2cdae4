"""Listening: audio sources, VAD, ASR, phrases and per-site assistant state."""
