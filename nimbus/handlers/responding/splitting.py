"""Sentences of a retrieved passage: table rows rebuilt, headings dropped, run-ons cut. Pure.

Table rows and list lines count as sentences; a fragment shorter than three words is joined to
the sentence it leads into, a price alone on its line to the line before it, and a short line
that states a figure ("Total 589.00") stays a sentence of its own.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["split_sentences", "unflatten_tables"]

_MIN_WORDS: Final = 3
"""A shorter fragment is joined to the next one (a heading, a table cell)."""
_MAX_CHARS: Final = 400
"""A run-on "sentence" (a table flattened onto one line) is cut at word boundaries."""
_MARKUP: Final = re.compile(r"^(?:#+|>|[-*\u2022]|\d{1,2}[.)])\s+")
"""Markdown headings, quotes and list markers at the start of a line."""
_AMOUNT_LINE: Final = re.compile(r"^[£$€]?\d[\d,]*(?:\.\d\d)?(?: ?(?:pounds|GBP|EUR|USD))?$")
_FIGURE_LINE: Final = re.compile(r"^[A-Za-z][\w'\u2019&-]* [£$€]?\d[\d,.:/]*$")
"""A label and a figure on a line of their own: a receipt's "Total 589.00", "VAT 98.17"."""
_MAX_CELL_CHARS: Final = 30
_MIN_TABLE_CELLS: Final = 6
_SENTENCE_END: Final = re.compile(r"(?<=[.!?])[\"'\u201d)]*\s+(?=[\"'\u201c(]?[A-Z0-9£$€])|\n+")
_ABBREVIATION: Final = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St|No|Nr|approx|e\.g|i\.e|etc)\.$",
                                  re.IGNORECASE)


def _is_cell(line: str) -> bool:
    line = line.strip()
    return 0 < len(line) <= _MAX_CELL_CHARS and line[-1] not in ".!?:"


def _table_rows(cells: list[str]) -> list[str] | None:
    """A table read one cell per line (as PDF text extraction gives it) as one line per row.

    The header is the run of cells before the first row label, which is the cell before the
    first cell with a digit; the cells that follow must fill whole rows.
    """
    first_number = next((i for i, cell in enumerate(cells) if re.search(r"\d", cell)), None)
    if first_number is None or first_number < 3:
        return None
    header = cells[:first_number - 1]
    body = cells[first_number - 1:]
    width = len(header)
    if len(body) < width or len(body) % width:
        return None
    rows = []
    for start in range(0, len(body), width):
        row = body[start:start + width]
        values = ", ".join(f"{name} {value}" for name, value in zip(header[1:], row[1:],
                                                                    strict=True))
        rows.append(f"{header[0]} {row[0]}: {values}.")
    return rows


def unflatten_tables(text: str) -> str:
    """Rebuild the rows of tables whose cells were extracted one per line ("Month\nGas…")."""
    lines = text.split("\n")
    out: list[str] = []
    run: list[str] = []
    for line in [*lines, ""]:
        if _is_cell(line):
            run.append(line.strip())
            continue
        if run:
            rows = _table_rows(run) if len(run) >= _MIN_TABLE_CELLS else None
            out.extend(rows if rows is not None else run)
            run = []
        out.append(line)
    return "\n".join(out[:-1])


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage; tiny fragments joined forward; run-ons cut near ``_MAX_CHARS``.

    Table rows are sentences of their own, each with its column names.
    """
    pieces: list[str] = []
    pending = ""
    for raw in _SENTENCE_END.split(unflatten_tables(text)):
        piece = _MARKUP.sub("", " ".join(raw.split()))
        if not piece:
            continue
        if pending and _ABBREVIATION.search(pending):
            pending = f"{pending} {piece}"
            continue
        if pending:
            pieces.append(pending)
        pending = piece
    if pending:
        pieces.append(pending)
    joined: list[str] = []
    carry = ""
    for raw in pieces:
        piece = f"{carry} {raw}".strip() if carry else raw
        carry = ""
        if len(piece.split()) < _MIN_WORDS:
            if joined and _AMOUNT_LINE.match(piece) and not carry:
                # A price alone on its line belongs to the line before it (a receipt's item
                # wrapped onto two lines: "Bosch Serie 6 washing machine" / "549.00").
                joined[-1] = f"{joined[-1]} {piece}"
                continue
            if _FIGURE_LINE.match(piece):  # "Total 589.00" states a fact: it is no heading
                joined.append(piece)
                continue
            # "Rent." leads into its sentence; a bare heading line ("Servicing") is dropped.
            carry = piece if piece[-1] in ".!?:;," else carry
            continue
        joined.append(piece)
    if carry:
        if joined:
            joined[-1] = f"{joined[-1]} {carry}"
        else:
            joined.append(carry)
    sentences: list[str] = []
    for whole in joined:
        rest = whole
        while len(rest) > _MAX_CHARS:
            cut = rest.rfind(" ", 0, _MAX_CHARS)
            cut = cut if cut > _MAX_CHARS // 2 else _MAX_CHARS
            sentences.append(rest[:cut].strip())
            rest = rest[cut:].strip()
        if rest:
            sentences.append(rest)
    return sentences
