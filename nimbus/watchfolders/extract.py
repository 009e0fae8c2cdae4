"""Turn a file's bytes into page texts: PDF and e-books (PyMuPDF), Office, e-mail, text, images
(OCR), audio (via ASR)."""

from __future__ import annotations

import csv
import importlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nimbus.watchfolders.errors import ExtractError
from nimbus.watchfolders.mail import MAIL_SUFFIXES, Attachment, read_mail
from nimbus.watchfolders.ocr import IMAGE_SUFFIXES, Ocr
from nimbus.watchfolders.office import OFFICE_SUFFIXES, read_office
from nimbus.watchfolders.passages import Page
from nimbus.watchfolders.plaintext import html_to_text, pipe_tables, unwrap
from nimbus.watchfolders.tables import table_lines

__all__ = [
    "AUDIO_SUFFIXES",
    "BOOK_SUFFIXES",
    "IMAGE_SUFFIXES",
    "MAIL_SUFFIXES",
    "OFFICE_SUFFIXES",
    "PDF_SUFFIXES",
    "TEXT_SUFFIXES",
    "ExtractError",
    "Extracted",
    "Transcriber",
    "decode_text",
    "extract",
    "extract_document",
    "html_to_text",
    "kind_of",
]

PDF_SUFFIXES = frozenset({".pdf"})
TEXT_SUFFIXES = frozenset(
    {".txt", ".text", ".md", ".markdown", ".rst", ".csv", ".tsv", ".json", ".html", ".htm",
     ".log", ".org"}
)
AUDIO_SUFFIXES = frozenset({".wav", ".mp3", ".flac", ".m4a", ".ogg", ".opus"})
BOOK_SUFFIXES = frozenset({".epub", ".mobi", ".fb2", ".xps", ".oxps", ".cbz"})
"""What PyMuPDF opens besides PDF: e-books, XPS, comic archives."""

_LIKELY_ENCODINGS = (
    "utf_8", "utf_16", "utf_32", "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255",
    "cp1256", "cp1257", "koi8_r", "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr",
    "iso8859_15", "iso8859_2", "iso8859_5",
)
"""Encodings real text files use; without this list charset-normalizer may pick obscure code
pages (mac_latin2, cp775) for short Western-European texts."""

Transcriber = Callable[[Path], str]
"""Audio file -> transcript text (raises ExtractError on unreadable audio)."""


_KINDS = {
    **dict.fromkeys(PDF_SUFFIXES, "pdf"), **dict.fromkeys(BOOK_SUFFIXES, "book"),
    **dict.fromkeys(TEXT_SUFFIXES, "text"), **dict.fromkeys(AUDIO_SUFFIXES, "audio"),
    **dict.fromkeys(OFFICE_SUFFIXES, "office"), **dict.fromkeys(MAIL_SUFFIXES, "mail"),
    **dict.fromkeys(IMAGE_SUFFIXES, "image"),
}
_MIN_PAGE_CHARS = 20
"""A PDF page with less text than this and an image on it is a scan: it is OCR'd."""


def kind_of(path: Path) -> str | None:
    """"pdf" | "book" | "text" | "office" | "mail" | "image" | "audio" | None (unsupported)."""
    return _KINDS.get(path.suffix.lower())


def supported_suffixes() -> list[str]:
    """Every suffix Nimbus reads, sorted."""
    return sorted(_KINDS)


@dataclass(frozen=True, slots=True, kw_only=True)
class Extracted:
    """What a file holds: its page texts, and the files attached to it (e-mail)."""

    pages: list[Page]
    attachments: tuple[Attachment, ...] = ()
    ocr_seconds: float = 0.0
    """Time spent on OCR (0 when no page needed it)."""


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
    elif suffix in (".md", ".markdown", ".txt", ".text"):
        text = pipe_tables(text)  # "| Grace | Levothyroxine |" under its header row
    return [Page(number=None, text=text)]


def _pdf_page_text(pymupdf: Any, page: Any) -> str:
    """A page's text in reading order, each table found on it as header-carrying rows."""
    plain = str(page.get_text("text"))
    if len(plain.strip()) < _MIN_PAGE_CHARS or not page.get_drawings():
        return plain  # a scan, or no ruled lines: no table to find (find_tables is slow)
    try:
        tables = list(page.find_tables().tables)
    except Exception:  # table detection is best effort; the plain text is still there
        tables = []
    if not tables:
        return plain
    boxes = [pymupdf.Rect(table.bbox) for table in tables]
    items: list[tuple[float, float, str]] = []
    for x0, y0, x1, y1, text, _number, kind in page.get_text("blocks"):
        block = pymupdf.Rect(x0, y0, x1, y1)
        inside = any((block & box).get_area() > 0.5 * max(block.get_area(), 1e-6)
                     for box in boxes)
        if kind == 0 and not inside and text.strip():
            items.append((y0, x0, text.strip()))
    for table, box in zip(tables, boxes, strict=True):
        # Each cell's own text (table.extract() can drop the spaces between words).
        rows = [[" ".join(str(page.get_text("text", clip=pymupdf.Rect(cell))).split())
                 if cell else "" for cell in row.cells] for row in table.rows]
        items.append((box.y0, box.x0, "\n".join(table_lines(rows))))
    return "\n".join(text for _, _, text in sorted(items) if text)


def _pymupdf_pages(data: bytes, filetype: str, ocr: Ocr | None) -> list[Page]:
    pymupdf: Any = importlib.import_module("pymupdf")  # heavy; only for PDFs and e-books
    what = "PDF" if filetype == "pdf" else f".{filetype} file"
    code = "corrupt_pdf" if filetype == "pdf" else "corrupt_document"
    try:
        doc = pymupdf.open(stream=data, filetype=filetype)
    except Exception as exc:  # PyMuPDF raises several types for broken files
        raise ExtractError(code, f"not a readable {what}: {exc}") from None
    with doc:
        if doc.needs_pass or doc.is_encrypted:
            raise ExtractError("encrypted_pdf" if filetype == "pdf" else "encrypted_document",
                               f"the {what} is password-protected; cannot read it")
        texts: list[str] = []
        scanned: list[int] = []
        try:
            for index, page in enumerate(doc):
                text = _pdf_page_text(pymupdf, page) if filetype == "pdf" else \
                    str(page.get_text("text"))
                texts.append(unwrap(text))
                if len(text.strip()) < _MIN_PAGE_CHARS and page.get_images(full=False):
                    scanned.append(index)
        except Exception as exc:
            raise ExtractError(code, f"cannot read page {len(texts) + 1}: {exc}") from None
        ocr_read: set[int] = set()
        if scanned and ocr is None and not any(t.strip() for t in texts):
            raise ExtractError("ocr_unavailable", "the file is a scan and OCR is not "
                               "available here")
        if scanned and ocr is not None:
            dpi = ocr.config.dpi

            def render(index: int) -> Callable[[], Any]:
                return lambda: doc[index].get_pixmap(dpi=dpi)

            for index, text in zip(scanned, ocr.read([render(i) for i in scanned]),
                                   strict=True):
                if text.strip():
                    texts[index] = f"{texts[index].strip()}\n{unwrap(text)}".strip()
                    ocr_read.add(index)
        if filetype != "pdf" and texts:  # an e-book's title and author are not on its pages
            meta = doc.metadata or {}
            said = [f"{key.title()}: {meta[key]}" for key in ("title", "author")
                    if meta.get(key) and str(meta[key]) not in texts[0]]
            texts[0] = "\n".join([*said, texts[0]])
    return [Page(number=i + 1, text=t, ocr=i in ocr_read) for i, t in enumerate(texts)]


def extract_document(path: Path, data: bytes, *, transcribe: Transcriber | None = None,
                     ocr: Ocr | None = None) -> Extracted:
    """What a file whose content is ``data`` holds; raises ExtractError with a stable code.

    Codes: unsupported_type, empty, binary_content, unknown_encoding, corrupt_json, corrupt_pdf,
    encrypted_pdf, corrupt_document, encrypted_document, corrupt_mail, corrupt_image,
    reader_unavailable, ocr_unavailable, ocr_disabled, ocr_page_limit, ocr_timeout, ocr_failed,
    no_text, audio_unavailable (plus what the transcriber raises).
    """
    kind = kind_of(path)
    suffix = path.suffix.lower()
    if kind is None:
        raise ExtractError("unsupported_type",
                           f"files of type {path.suffix or '(no suffix)'!r} are not read")
    if not data:
        raise ExtractError("empty", "the file is empty")
    attachments: tuple[Attachment, ...] = ()
    if kind in ("pdf", "book"):
        pages = _pymupdf_pages(data, suffix[1:], ocr)
    elif kind == "text":
        pages = _text_pages(path, data)
    elif kind == "office":
        pages = read_office(suffix, data)
    elif kind == "mail":
        mail = read_mail(suffix, data)
        pages, attachments = [Page(number=None, text=mail.text)], mail.attachments
    elif kind == "image":
        if ocr is None:
            raise ExtractError("ocr_unavailable", "images are read by OCR, which is not "
                               "available here")
        texts = ocr.images(data)
        pages = [Page(number=i if len(texts) > 1 else None, text=t, ocr=True)
                 for i, t in enumerate(texts, start=1)]
    else:
        if transcribe is None:
            raise ExtractError("audio_unavailable", "no speech recogniser is available here")
        pages = [Page(number=None, text=transcribe(path))]
    if not any(p.text.strip() for p in pages):
        if kind == "image":
            raise ExtractError("no_text", "OCR found no text in the image")
        raise ExtractError("no_text", "no text found (scanned pages were OCR'd and held none)"
                           if kind == "pdf" else "no text found")
    return Extracted(pages=pages, attachments=attachments,
                     ocr_seconds=ocr.seconds if ocr is not None else 0.0)


def extract(path: Path, data: bytes, *, transcribe: Transcriber | None = None,
            ocr: Ocr | None = None) -> list[Page]:
    """Page texts of a file whose content is ``data`` (see :func:`extract_document`)."""
    return extract_document(path, data, transcribe=transcribe, ocr=ocr).pages
