"""The one error type of reading a file: a stable ``code`` and a message for people."""

from __future__ import annotations

__all__ = ["ExtractError"]


class ExtractError(Exception):
    """A file could not be turned into text; ``code`` is stable, ``message`` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
