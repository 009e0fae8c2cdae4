"""Tables as sentences: each row one line that carries its column headers. Pure.

"Theft: Limit Market value, Excess 250 pounds." is one evidence sentence that answers "what is
the theft excess?" on its own, where a table read cell by cell scatters the row over lines that
no longer say which column each value is in. Spreadsheets, Word/OpenDocument tables and the
tables PyMuPDF finds on PDF pages all come through here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["cell_text", "table_lines"]

_NUMBER = re.compile(r"^[-+]?[£$€]?\d[\d,.:/ ]*%?$")
_NAMED_LABEL = re.compile(r"\b(?:week|date|day|month|year|time|starting|from|no|number)\b",
                          re.IGNORECASE)


def cell_text(value: object) -> str:
    """One cell as text: whitespace collapsed, None empty, floats without float noise."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}" if value != int(value) else str(int(value))
    return " ".join(str(value).split())


def _is_header(row: Sequence[str]) -> bool:
    """A header row: at least two cells, all filled, none a number."""
    filled = [c for c in row if c]
    return len(filled) >= 2 and len(filled) == len(row) and not any(
        _NUMBER.match(c) for c in filled)


def _end(text: str) -> str:
    return text if text[-1:] in ".!?" else f"{text}."


def table_lines(rows: Sequence[Sequence[object]], *, caption: str = "") -> list[str]:
    """A table's rows as sentences: ``label: Header value, Header value.``

    The first row is the header when it looks like one (all cells filled, no numbers). A
    two-column table is read as key/value lines ("Plot number: 23B."). Empty rows are dropped;
    a row with one filled cell is a sub-heading and read as it is. ``caption`` (a sheet's name)
    is said once, before the rows.
    """
    table = [[cell_text(c) for c in row] for row in rows]
    table = [row for row in table if any(row)]
    if not table:
        return []
    width = max(len(row) for row in table)
    table = [row + [""] * (width - len(row)) for row in table]
    header: list[str] | None = None
    if len(table) > 1 and _is_header(table[0]):
        header, table = table[0], table[1:]
    lines = [_end(caption)] if caption else []
    if header is not None and width == 2 and header[0].lower() in ("item", "key", "name",
                                                                    "field", "setting"):
        header = None  # "Item | Detail": a list of key/value pairs, not a two-column table
    for row in table:
        filled = [(i, c) for i, c in enumerate(row) if c]
        if len(filled) == 1:
            lines.append(_end(filled[0][1]))
        elif header is None:
            if width == 2:
                lines.append(_end(f"{row[0]}: {row[1]}" if row[0] and row[1]
                                  else row[0] or row[1]))
            else:
                lines.append(_end(", ".join(c for _, c in filled)))
        else:
            label = row[0]
            rest = ", ".join(f"{header[i]} {c}" if header[i] else c
                             for i, c in filled if i > 0)
            if not label:
                lines.append(_end(rest))
            else:
                lead = f"{header[0]} {label}" if _wants_name(header[0]) else label
                lines.append(_end(f"{lead}: {rest}"))
    return lines


def _wants_name(name: str) -> bool:
    """Is a first column's header worth saying before each label ("Week starting 13 April")?

    A label that is a date or number needs its column's name to mean anything; names like
    "Cover" or "Service" only repeat what the label says.
    """
    return bool(_NAMED_LABEL.search(name))
