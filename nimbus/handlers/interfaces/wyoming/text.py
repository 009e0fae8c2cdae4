"""Streaming synthesis text: cut the pieces a peer sends into whole sentences as they arrive."""

from __future__ import annotations

import re
from typing import Final

__all__ = ["SentenceSplitter"]

_END: Final = re.compile(r"[.!?\u2026\u3002\uff01\uff1f]+[\"')\]]*\s+")


class SentenceSplitter:
    """Pushes text pieces; yields each sentence once its end (punctuation + space) is seen."""

    def __init__(self, *, max_chars: int = 400) -> None:
        self._buffer = ""
        self._max = max_chars

    def push(self, text: str) -> list[str]:
        self._buffer += text
        out: list[str] = []
        while True:
            match = _END.search(self._buffer)
            if match is None:
                break
            out.append(self._buffer[: match.end()].strip())
            self._buffer = self._buffer[match.end():]
        while len(self._buffer) > self._max:  # no punctuation in sight: cut at a space
            cut = self._buffer.rfind(" ", 0, self._max)
            cut = cut if cut > 0 else self._max
            out.append(self._buffer[:cut].strip())
            self._buffer = self._buffer[cut:]
        return [s for s in out if s]

    def flush(self) -> list[str]:
        rest, self._buffer = self._buffer.strip(), ""
        return [rest] if rest else []
