"""Office and OpenDocument files as page texts: Word, Excel, PowerPoint, ODF, RTF.

Each format is read by the library made for it (python-docx, openpyxl, python-pptx, odfpy,
striprtf), imported only when such a file arrives. Tables become rows that carry their column
headers (:func:`nimbus.watchfolders.tables.table_lines`); slides and sheets are pages.
"""

from __future__ import annotations

import datetime
import importlib
import io
import zipfile
from collections.abc import Iterator
from typing import Any

from nimbus.watchfolders.errors import ExtractError
from nimbus.watchfolders.passages import Page
from nimbus.watchfolders.tables import cell_text, table_lines

__all__ = ["OFFICE_SUFFIXES", "read_office"]

OFFICE_SUFFIXES = frozenset({".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".rtf"})
MAX_SHEET_ROWS = 20_000
"""Rows read from one sheet (a log exported to Excel can hold a million)."""
MAX_REPEAT = 64
"""An OpenDocument cell or row "repeated" more often than this is an empty filler."""

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""Compound-file magic: how an encrypted OOXML file (or an old .doc/.xls) starts."""


def _module(name: str, package: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ExtractError("reader_unavailable",
                           f"the {package} package is not installed: {exc}") from None


def _encrypted(data: bytes) -> bool:
    """Is this compound file an encrypted Office package (msoffcrypto-tool reads its header)?"""
    try:
        msoffcrypto: Any = importlib.import_module("msoffcrypto")
        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except ImportError:
        return True  # an OOXML suffix on a compound file is almost always an encrypted package
    except Exception:  # not an Office compound file msoffcrypto knows
        return False


def _check_zip(data: bytes, suffix: str) -> None:
    if data.startswith(_OLE):
        if _encrypted(data):
            raise ExtractError("encrypted_document", f"the {suffix} file is password-protected "
                               "(encrypted); cannot read it")
        raise ExtractError("corrupt_document", f"not a {suffix} file: an old binary Office file "
                           f"(.doc/.xls/.ppt) named {suffix}, which is not read")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ExtractError("corrupt_document", f"not a readable {suffix} file (not a zip package)")


def _when(value: datetime.date) -> str:
    if isinstance(value, datetime.datetime) and (value.hour or value.minute):
        return value.strftime("%-d %B %Y %H:%M")
    return value.strftime("%-d %B %Y")


def _docx(data: bytes) -> list[Page]:
    docx = _module("docx", "python-docx")
    table_type = importlib.import_module("docx.table").Table
    doc = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    for block in doc.iter_inner_content():
        if isinstance(block, table_type):
            rows = [[cell.text for cell in row.cells] for row in block.rows]
            lines += table_lines(_dedupe_merged(rows))
        elif block.text.strip():
            lines.append(block.text.strip())
    return [Page(number=None, text="\n".join(lines))]


def _dedupe_merged(rows: list[list[str]]) -> list[list[str]]:
    """python-docx repeats a merged cell's text in each grid cell it spans: say it once."""
    out = []
    for row in rows:
        cleaned: list[str] = []
        for i, cell in enumerate(row):
            cleaned.append("" if i and cell and cell == row[i - 1] else cell)
        out.append(cleaned)
    return out


def _xlsx_value(cell: Any) -> str:
    value = cell.value
    if isinstance(value, datetime.date):
        return _when(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and "0.00" in str(
            getattr(cell, "number_format", "")):
        return f"{value:.2f}"
    return cell_text(value)


def _xlsx(data: bytes) -> list[Page]:
    openpyxl = _module("openpyxl", "openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        pages = []
        for number, sheet in enumerate(book.worksheets, start=1):
            rows = []
            for index, row in enumerate(sheet.iter_rows()):
                if index >= MAX_SHEET_ROWS:
                    break
                rows.append([_xlsx_value(cell) for cell in row])
            pages.append(Page(number=number, text="\n".join(
                table_lines(rows, caption=f"Sheet {sheet.title}"))))
    finally:
        book.close()
    return pages


def _pptx(data: bytes) -> list[Page]:
    pptx = _module("pptx", "python-pptx")
    deck = pptx.Presentation(io.BytesIO(data))
    pages = []
    for number, slide in enumerate(deck.slides, start=1):
        lines: list[str] = []
        for shape in slide.shapes:
            if getattr(shape, "has_table", False) and shape.has_table:
                lines += table_lines([[c.text for c in row.cells] for row in shape.table.rows])
            elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
                lines += [p.strip() for p in shape.text_frame.text.split("\n") if p.strip()]
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            notes = slide.notes_slide.notes_text_frame.text.strip()
            if notes:
                lines.append(notes)
        pages.append(Page(number=number, text="\n".join(lines)))
    return pages


def _odf_text(element: Any) -> str:
    teletype = importlib.import_module("odf.teletype")
    return " ".join(str(teletype.extractText(element)).split())


def _odf_rows(table: Any) -> list[list[str]]:
    odf_table = importlib.import_module("odf.table")
    rows: list[list[str]] = []
    for row in table.getElementsByType(odf_table.TableRow):
        cells: list[str] = []
        for cell in row.childNodes:
            if cell.qname[1] not in ("table-cell", "covered-table-cell"):
                continue
            repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
            value = _odf_text(cell)
            cells += [value] * (repeat if value or repeat <= MAX_REPEAT else 1)
        repeat = int(row.getAttribute("numberrowsrepeated") or 1)
        rows += [cells] * (repeat if any(cells) and repeat <= MAX_REPEAT else 1)
        if len(rows) >= MAX_SHEET_ROWS:
            break
    return rows


def _odf_body(element: Any) -> Iterator[str]:
    """Headings, paragraphs, list items and tables in document order."""
    for node in element.childNodes:
        kind = getattr(node, "qname", ("", ""))[1]
        if kind == "table":
            yield from table_lines(_odf_rows(node))
        elif kind in ("h", "p"):
            text = _odf_text(node)
            if text:
                yield text
        elif getattr(node, "childNodes", None):
            yield from _odf_body(node)


def _odf(data: bytes, suffix: str) -> list[Page]:
    opendocument = _module("odf.opendocument", "odfpy")
    doc = opendocument.load(io.BytesIO(data))
    if suffix == ".ods":
        odf_table = importlib.import_module("odf.table")
        return [Page(number=n, text="\n".join(table_lines(
                    _odf_rows(sheet), caption=f"Sheet {sheet.getAttribute('name')}")))
                for n, sheet in enumerate(doc.spreadsheet.getElementsByType(odf_table.Table),
                                          start=1)]
    if suffix == ".odp":
        draw = importlib.import_module("odf.draw")
        return [Page(number=n, text="\n".join(_odf_body(slide)))
                for n, slide in enumerate(doc.presentation.getElementsByType(draw.Page),
                                          start=1)]
    return [Page(number=None, text="\n".join(_odf_body(doc.text)))]


def _rtf(data: bytes) -> list[Page]:
    striprtf = _module("striprtf.striprtf", "striprtf")
    if not data.lstrip().startswith(b"{\\rtf"):
        raise ExtractError("corrupt_document", "not an RTF file (it does not start with {\\rtf)")
    text = striprtf.rtf_to_text(data.decode("latin-1"), errors="ignore")
    return [Page(number=None, text="\n".join(line.strip() for line in text.splitlines()))]


def read_office(suffix: str, data: bytes) -> list[Page]:
    """Page texts of an Office/OpenDocument/RTF file; ExtractError for what cannot be read."""
    if suffix == ".rtf":
        return _rtf(data)
    _check_zip(data, suffix)
    try:
        if suffix == ".docx":
            return _docx(data)
        if suffix == ".xlsx":
            return _xlsx(data)
        if suffix == ".pptx":
            return _pptx(data)
        return _odf(data, suffix)
    except ExtractError:
        raise
    except Exception as exc:  # each library raises its own types for a broken package
        raise ExtractError("corrupt_document",
                           f"cannot read the {suffix} file: {type(exc).__name__}: {exc}") from None
