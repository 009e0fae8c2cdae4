"""Sentence-aware text chunking: pure, clock-free, with page and character offsets."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = ["Chunk", "Page", "chunk_pages", "chunk_text"]

# A sentence ends at . ! ? (maybe followed by quotes/brackets) + whitespace, or at a blank line.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n\s*\n")
_SPACE = re.compile(r"[^\S\n]+")
_LINE_BREAK = re.compile(r"[^\S\n]*\n\s*")
"""Line breaks are kept (one per run): they tell table cells and headings from sentences."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    """Text of one page (PDF) or of a whole document (page None)."""

    number: int | None
    text: str
    ocr: bool = False
    """The text was read from an image by OCR (it may hold misread characters)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Chunk:
    """A passage to embed: its text and where it came from."""

    index: int
    """Position of the chunk within its document."""
    page: int | None
    start: int
    """Character offset of the chunk's first character in the page text."""
    end: int
    """Offset just past the chunk's last character."""
    text: str
    ocr: bool = False
    """Its page was read by OCR."""


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) spans of sentences, whitespace-trimmed."""
    pos = 0
    for match in _SENTENCE_END.finditer(text):
        yield from _trimmed(text, pos, match.start())
        pos = match.end()
    yield from _trimmed(text, pos, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def _split_long(start: int, end: int, size: int, text: str) -> Iterator[tuple[int, int]]:
    """Cut a span longer than ``size`` at word boundaries (hard cut when a word is longer)."""
    while end - start > size:
        cut = text.rfind(" ", start + 1, start + size + 1)
        if cut <= start:
            cut = start + size
        yield from _trimmed(text, start, cut)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def chunk_text(
    text: str, *, size: int = 512, overlap: int = 64, page: int | None = None, first_index: int = 0,
    ocr: bool = False,
) -> list[Chunk]:
    """Pack whole sentences into chunks of at most ``size`` characters.

    Consecutive chunks share about ``overlap`` characters: the trailing sentences of a chunk that
    fit in ``overlap`` are repeated at the start of the next one. A sentence longer than ``size``
    is cut at word boundaries. Offsets index into ``text``; a chunk's text is the span with runs of
    whitespace collapsed to one space.
    """
    if size < 1 or not 0 <= overlap < size:
        raise ValueError("need size >= 1 and 0 <= overlap < size")
    spans: list[tuple[int, int]] = []
    for start, end in _sentences(text):
        spans.extend(_split_long(start, end, size, text))
    chunks: list[Chunk] = []
    i = 0
    while i < len(spans):
        first = i
        start, end = spans[i]
        i += 1
        while i < len(spans) and spans[i][1] - start <= size:
            end = spans[i][1]
            i += 1
        chunks.append(
            Chunk(
                index=first_index + len(chunks),
                page=page,
                start=start,
                end=end,
                text=_LINE_BREAK.sub("\n", _SPACE.sub(" ", text[start:end])),
                ocr=ocr,
            )
        )
        if i >= len(spans) or overlap == 0:
            continue
        # Step back over trailing sentences that fit in the overlap (never back to `first`).
        back = i
        while back - 1 > first and end - spans[back - 1][0] <= overlap:
            back -= 1
        i = back
    return chunks


def chunk_pages(pages: Iterable[Page], *, size: int = 512, overlap: int = 64) -> list[Chunk]:
    """Chunk every page; chunks never span pages, so each keeps its page number."""
    out: list[Chunk] = []
    for page in pages:
        out.extend(
            chunk_text(page.text, size=size, overlap=overlap, page=page.number,
                       first_index=len(out), ocr=page.ocr)
        )
    return out
