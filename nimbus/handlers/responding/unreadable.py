"""Questions about a file Nimbus could not read: "I can't read <file>: <why>". Pure.

A question that names a document ("what does the school trip letter say?") whose file failed
or was skipped (a type that is not read, a password, a damaged file, a scan over the OCR limit)
is answered with that reason rather than with whatever else the search finds: the user learns
why, and nothing is made up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import Final

from nimbus.handlers.responding.evidence import content_words

__all__ = ["cannot_read", "name_words"]

_GENERIC: Final = frozenset({"pdf", "doc", "docx", "scan", "scann", "copy", "final", "new",
                             "version", "img", "image", "photo", "file", "v1", "v2"})
"""Words of a file name that say nothing about what the file is about."""


def name_words(path: str) -> set[str]:
    """The content words of a file's name ("school-trip-letter.docx" -> school, trip, letter)."""
    stem = PurePath(path).stem
    words = re.sub(r"[_\-.]+", " ", stem)
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", words)
    return {w for w in content_words(words) if w not in _GENERIC and not w.isdigit()}


def _named(question: str, path: str) -> float:
    """How much of the file's name the question says (0..1); 1 when it says the file name."""
    if PurePath(path).name.lower() in question.lower():
        return 1.0
    wanted = name_words(path)
    if not wanted:
        return 0.0
    said = len(wanted & content_words(question))
    # One word of a long name ("letter") is not enough to mean this file.
    if said < min(2, len(wanted)):
        return 0.0
    return said / len(wanted)


def cannot_read(question: str, documents: Sequence[tuple[str, str, str]], *,
                min_share: float = 0.6) -> str | None:
    """The answer for a question about an unreadable file, or None.

    ``documents`` are (path, status, why) for every file the store knows (status ``indexed``,
    ``failed`` or ``skipped``). The question must name at least ``min_share`` of the file's
    name words (and two of them when it has two or more), and name it better than any file
    that was read: "the school letter" is answered from ``school-letter.pdf`` when that one
    was read, even when ``school-letter.docx`` was not.
    """
    best_read = max((_named(question, p) for p, status, _ in documents if status == "indexed"),
                    default=0.0)
    best: tuple[float, str, str] | None = None
    for path, status, why in documents:
        if status == "indexed":
            continue
        share = _named(question, path)
        if share >= min_share and share > best_read and (best is None or share > best[0]):
            best = (share, path, why)
    if best is None:
        return None
    _, path, why = best
    reason = why.strip().rstrip(".") or "it could not be read"
    return f"I can't read {PurePath(path).name}: {reason}."
