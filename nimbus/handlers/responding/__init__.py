"""Responding: the responder handler, its prompt and memory, and the LLM backends."""
