"""Speech recognition: the faster-whisper engine and the bus-facing ASR handler."""
