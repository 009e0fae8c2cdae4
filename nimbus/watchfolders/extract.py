"""Turn a file's bytes into page texts: PDF (PyMuPDF), text formats, HTML, audio (via ASR)."""

from __future__ import annotations

import csv
import html
import importlib
import io
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from nimbus.watchfolders.passages import Page

__all__ = [
    "AUDIO_SUFFIXES",
    "PDF_SUFFIXES",
    "TEXT_SUFFIXES",
    "ExtractError",
    "Transcriber",
    "decode_text",
    "extract",
    "kind_of",
]

PDF_SUFFIXES = frozenset({".pdf"})
TEXT_SUFFIXES = frozenset(
    {".txt", ".text", ".md", ".markdown", ".rst", ".csv", ".tsv", ".json", ".html", ".htm",
     ".log", ".org"}
)
AUDIO_SUFFIXES = frozenset({".wav", ".mp3", ".flac", ".m4a", ".ogg", ".opus"})

_LIKELY_ENCODINGS = (
    "utf_8", "utf_16", "utf_32", "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255",
    "cp1256", "cp1257", "koi8_r", "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr",
    "iso8859_15", "iso8859_2", "iso8859_5",
)
"""Encodings real text files use; without this list charset-normalizer may pick obscure code
pages (mac_latin2, cp775) for short Western-European texts."""

Transcriber = Callable[[Path], str]
"""Audio file -> transcript text (raises ExtractError on unreadable audio)."""


class ExtractError(Exception):
    """A file could not be turned into text; ``code`` is stable, ``message`` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def kind_of(path: Path) -> str | None:
    """"pdf" | "text" | "audio" | None (unsupported) by file suffix."""
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return "pdf"
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in AUDIO_SUFFIXES:
        return "audio"
    return None


def decode_text(data: bytes) -> str:
    """Bytes -> str: UTF-8 (with or without BOM) first, else charset-normalizer's best guess."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractError("binary_content", "file looks binary (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # noqa: PLC0415 - only for non-UTF-8 input

    best = from_bytes(data, cp_isolation=list(_LIKELY_ENCODINGS)).best()
    if best is None:
        raise ExtractError("unknown_encoding", "cannot detect the text encoding")
    return str(best)


class _HtmlText(HTMLParser):
    """Collects visible text; block elements become line breaks, script/style are dropped."""

    _BLOCK = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                        "section", "article", "header", "footer", "pre", "blockquote", "table",
                        "title"})
    _SKIP = frozenset({"script", "style", "noscript", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    return re.sub(r"\n\s*\n(\s*\n)*", "\n\n", text).strip()


def _csv_to_text(text: str, delimiter: str) -> str:
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    return "\n".join(". ".join(cell.strip() for cell in row if cell.strip()) + "." for row in rows
                     if any(cell.strip() for cell in row))


def _json_to_text(text: str) -> str:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExtractError("corrupt_json", f"not valid JSON: {exc}") from None
    lines: list[str] = []

    def walk(node: object, key: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{key}.{k}" if key else str(k))
        elif isinstance(node, list):
            for item in node:
                walk(item, key)
        elif node is not None:
            lines.append(f"{key}: {node}." if key else f"{node}.")

    walk(value, "")
    return "\n".join(lines)


def _text_pages(path: Path, data: bytes) -> list[Page]:
    text = decode_text(data)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        text = html_to_text(text)
    elif suffix == ".csv":
        text = _csv_to_text(text, ",")
    elif suffix == ".tsv":
        text = _csv_to_text(text, "\t")
    elif suffix == ".json":
        text = _json_to_text(text)
    return [Page(number=None, text=text)]


def _pdf_pages(data: bytes) -> list[Page]:
    pymupdf: Any = importlib.import_module("pymupdf")  # heavy; only for PDFs

    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises several types for broken files
        raise ExtractError("corrupt_pdf", f"not a readable PDF: {exc}") from None
    with doc:
        if doc.needs_pass or doc.is_encrypted:
            raise ExtractError("encrypted_pdf", "the PDF is password-protected; cannot read it")
        pages: list[Page] = []
        try:
            for number, page in enumerate(doc, start=1):
                pages.append(Page(number=number, text=page.get_text("text")))
        except Exception as exc:
            raise ExtractError("corrupt_pdf", f"cannot read page {len(pages) + 1}: {exc}") from None
    return pages


def extract(path: Path, data: bytes, *, transcribe: Transcriber | None = None) -> list[Page]:
    """Page texts of a file whose content is ``data``; raises ExtractError with a stable code.

    Codes: unsupported_type, empty, binary_content, unknown_encoding, corrupt_json, corrupt_pdf,
    encrypted_pdf, no_text, audio_unavailable (plus what the transcriber raises).
    """
    kind = kind_of(path)
    if kind is None:
        raise ExtractError("unsupported_type",
                           f"files of type {path.suffix or '(no suffix)'!r} are not ingested")
    if not data:
        raise ExtractError("empty", "the file is empty")
    if kind == "pdf":
        pages = _pdf_pages(data)
    elif kind == "text":
        pages = _text_pages(path, data)
    else:
        if transcribe is None:
            raise ExtractError("audio_unavailable", "no speech recogniser is available here")
        pages = [Page(number=None, text=transcribe(path))]
    if not any(p.text.strip() for p in pages):
        raise ExtractError("no_text", "no text found (a scanned PDF needs OCR, which is not done)")
    return pages
