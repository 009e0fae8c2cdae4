"""Voice activity detection: the Silero engine, the pure segmenter and the VAD handler."""
