"""Plain text from markup and from a page's layout: HTML, wrapped lines, OCR'd lines. Pure."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any, Final

from nimbus.watchfolders.tables import table_lines

__all__ = ["html_to_text", "pipe_tables", "unwrap", "visual_lines"]

_WRAPPED_CHARS: Final = 40
"""A line at least this long that ends mid-sentence was wrapped: the next line continues it."""


class _HtmlText(HTMLParser):
    """Collects visible text; block elements become line breaks, script/style are dropped.

    A table becomes one line a row that carries its column headers (:func:`table_lines`):
    "Bin Green bin: Collected Every other Tuesday, Next 5 January 2027." rather than its
    cells run together.
    """

    _BLOCK = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                        "section", "article", "header", "footer", "pre", "blockquote", "table",
                        "title"})
    _SKIP = frozenset({"script", "style", "noscript", "template"})
    _CELL = frozenset({"td", "th"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0
        self._tables: list[list[list[str]]] = []
        """Open tables (innermost last): their rows of cells so far."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag == "table":
            self._tables.append([])
        elif self._tables and tag == "tr":
            self._tables[-1].append([])
        elif self._tables and tag in self._CELL:
            if not self._tables[-1]:
                self._tables[-1].append([])
            self._tables[-1][-1].append("")
        elif tag in self._BLOCK:
            self._add("\n\n" if not self._tables else " ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag == "table" and self._tables:
            lines = table_lines(self._tables.pop())
            self._add("\n\n" + "\n".join(lines) + "\n\n")
        elif tag in self._BLOCK and not self._tables:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._add(data)

    def _add(self, text: str) -> None:
        """Into the open table's cell, or the running text (a table's caption too)."""
        if self._tables and self._tables[-1] and self._tables[-1][-1]:
            self._tables[-1][-1][-1] += text
        else:
            self.parts.append(text)


def html_to_text(markup: str) -> str:
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    return re.sub(r"\n\s*\n(\s*\n)*", "\n\n", text).strip()


_PIPE_ROW: Final = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE: Final = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-{0,}:?\s*\|?\s*$")


def pipe_tables(text: str) -> str:
    """A markdown pipe table's rows as sentences that carry their column headers.

    "| Grace | Levothyroxine | 75 micrograms | before breakfast |" under "| Who | Medicine |
    Dose | When |" becomes "Grace: Medicine Levothyroxine, Dose 75 micrograms, When before
    breakfast." (:func:`.tables.table_lines`); the rule line under the header goes. Other lines
    are left as they are.
    """
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if (_PIPE_ROW.match(lines[i]) and i + 1 < len(lines)
                and _PIPE_RULE.match(lines[i + 1])):
            rows = [_cells(lines[i])]
            i += 2
            while i < len(lines) and _PIPE_ROW.match(lines[i]):
                rows.append(_cells(lines[i]))
                i += 1
            out += table_lines(rows) if len(rows) > 1 else [" ".join(rows[0])]
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


def _cells(line: str) -> list[str]:
    inner = line.strip().removeprefix("|").removesuffix("|")
    return [cell.strip().strip("*_`").strip() for cell in re.split(r"(?<!\\)\|", inner)]


def unwrap(text: str) -> str:
    """Join the lines a paragraph was wrapped into ("…climbed the" + "117 steps of…").

    A line is continued when it is long (a wrapped line, not a table cell or a heading), ends
    without a sentence or key/value mark, and the next line starts with a small letter or digit.
    """
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        if (out and len(out[-1]) >= _WRAPPED_CHARS and out[-1][-1:] not in ".!?:;"
                and stripped[:1].islower() | stripped[:1].isdigit()):
            out[-1] = f"{out[-1]} {stripped}"
        else:
            out.append(stripped)
    return "\n".join(out)


def visual_lines(page: Any) -> str:
    """OCR'd text line by line as the eye reads it: words side by side on one line (a receipt's
    item and its price) are one line, even when Tesseract put them in different blocks."""
    spans: list[tuple[float, float, float, str]] = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            text = " ".join("".join(s["text"] for s in line["spans"]).split())
            if text:
                x0, y0, _x1, y1 = line["bbox"]
                spans.append((y0, y1, x0, text))
    rows: list[list[tuple[float, float, float, str]]] = []
    for span in sorted(spans):
        row = rows[-1] if rows else None
        if row is not None:
            top, bottom = min(s[0] for s in row), max(s[1] for s in row)
            overlap = min(bottom, span[1]) - max(top, span[0])
            if overlap > 0.3 * min(bottom - top, span[1] - span[0]):
                row.append(span)
                continue
        rows.append([span])
    return "\n".join(" ".join(s[3] for s in sorted(row, key=lambda s: s[2])) for row in rows)
