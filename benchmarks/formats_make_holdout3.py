"""Write the holdout3 set's files: each text of `formats_holdout3` in its format.

`python -m benchmarks.formats_make --set=holdout3` (or `python -m benchmarks.formats_make_holdout3`)
(re)writes `benchmarks/data/formats_holdout3/documents/`, `questions.json` and `scans.json`.
Deterministic texts and pixels (seeded noise). The spreadsheet, deck and the scan/photo effects
are the first set's writers (`formats_make`); the Word file, OpenDocument text, workbook, EPUB 3,
RTF letter, mail and PDFs are written here from block lists, because the earlier writers are tied
to their own texts. Photos: a roofer's quote (JPEG), a note in an italic face (TIFF with JPEG
compression) and a music school's slip (lossy WebP); a vet's card and a school report are scans.
"""

from __future__ import annotations

import json
import sys
import zipfile
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np

from benchmarks import formats_holdout3 as corpus
from benchmarks.formats_make import (
    _WHEN,
    _grid_table,
    _image_pdf,
    _lines,
    _photo,
    _scan,
    _text_page_image,
    write_ods,
    write_pptx,
)

DATA = Path(__file__).parent / "data" / "formats_holdout3"
DOCS = DATA / "documents"
SCANS = DATA / "scans.json"
"""The text each scanned page or photo shows: the reference for OCR character accuracy."""
_STAMP = (2026, 12, 7, 9, 0, 0)
"""The time written into the zip entries of the EPUB (so the texts do not change between runs)."""


def _word(path: Path, blocks: list[tuple[str, Any]]) -> None:
    """A Word letter: headings, paragraphs and tables in the order of ``blocks``."""
    import docx  # noqa: PLC0415

    doc = docx.Document()
    for kind, value in blocks:
        if kind == "table":
            grid = doc.add_table(rows=0, cols=len(value[0]))
            grid.style = "Light Grid Accent 1"
            for n, cells in enumerate(value):
                row = grid.add_row().cells
                for cell, text in zip(row, cells, strict=True):
                    run = cell.paragraphs[0].add_run(str(text))
                    run.bold = n == 0
        elif kind in ("h1", "h2"):
            doc.add_heading(value, int(kind[1]))
        else:
            doc.add_paragraph(value)
    doc.core_properties.author = "Harbourside Lettings"
    doc.core_properties.created = _WHEN
    doc.save(str(path))


def _writer(path: Path, blocks: list[tuple[str, Any]]) -> None:
    """An OpenDocument text (LibreOffice Writer): the same block list as `_word`."""
    from odf import table as t  # type: ignore[import-untyped]  # noqa: PLC0415
    from odf import text as x  # noqa: PLC0415
    from odf.opendocument import OpenDocumentText  # type: ignore[import-untyped]  # noqa: PLC0415

    doc = OpenDocumentText()
    for n, (kind, value) in enumerate(blocks):
        if kind in ("h1", "h2"):
            doc.text.addElement(x.H(outlinelevel=int(kind[1]), text=value))
            continue
        if kind == "p":
            doc.text.addElement(x.P(text=value))
            continue
        sheet = t.Table(name=f"Table{n}")
        sheet.addElement(t.TableColumn(numbercolumnsrepeated=len(value[0])))
        for cells in value:
            line = t.TableRow()
            for text in cells:
                box = t.TableCell(valuetype="string")
                box.addElement(x.P(text=text))
                line.addElement(box)
            sheet.addElement(line)
        doc.text.addElement(sheet)
    doc.save(str(path))


def _workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> None:
    """An Excel workbook: one sheet per entry, a bold frozen header row, prices as 0.00."""
    import openpyxl  # type: ignore[import-untyped]  # noqa: PLC0415
    from openpyxl.styles import Font  # type: ignore[import-untyped]  # noqa: PLC0415

    book = openpyxl.Workbook()
    first = True
    for title, rows in sheets.items():
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = title
        for r, values in enumerate(rows, 1):
            for c, value in enumerate(values, 1):
                cell = sheet.cell(row=r, column=c, value=value)
                cell.font = Font(bold=r == 1)
                cell.number_format = "0.00" if isinstance(value, float) else "General"
        sheet.freeze_panes = "A2"
        for letter in "ABCDE":
            sheet.column_dimensions[letter].width = 22
    book.properties.created = _WHEN.replace(tzinfo=None)
    book.save(str(path))


def _epub3(path: Path, chapters: list[tuple[str, list[str]]], title: str, author: str) -> None:
    """An EPUB 3 book (a nav document, no NCX), one XHTML file per chapter."""

    def xhtml(head: str, body: str, extra: str = "") -> str:
        return ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns="http://'
                f'www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"{extra}>'
                f'<head><title>{escape(head)}</title></head><body>{body}</body></html>\n')

    names = [f"text/part{n + 1:02d}.xhtml" for n in range(len(chapters))]
    links = "".join(f'<li><a href="{name}">{escape(head)}</a></li>'
                    for name, (head, _) in zip(names, chapters, strict=True))
    nav = xhtml(title, f'<nav epub:type="toc"><h1>Contents</h1><ol>{links}</ol></nav>')
    manifest = '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" ' \
               'properties="nav"/>' + "".join(
                   f'<item id="p{n}" href="{name}" media-type="application/xhtml+xml"/>'
                   for n, name in enumerate(names))
    spine = "".join(f'<itemref idref="p{n}"/>' for n in range(len(names)))
    package = ('<?xml version="1.0" encoding="utf-8"?>\n<package xmlns="http://www.idpf.org/'
               '2007/opf" version="3.0" unique-identifier="uid"><metadata xmlns:dc="http://'
               'purl.org/dc/elements/1.1/"><dc:identifier id="uid">urn:uuid:6c1f0d62-holdout3-'
               f'slow-cooker</dc:identifier><dc:title>{escape(title)}</dc:title><dc:creator>'
               f'{escape(author)}</dc:creator><dc:language>en-GB</dc:language><meta property='
               '"dcterms:modified">2026-12-07T09:00:00Z</meta></metadata><manifest>'
               f'{manifest}</manifest><spine>{spine}</spine></package>\n')
    parts = {"META-INF/container.xml": (
        '<?xml version="1.0" encoding="utf-8"?>\n<container version="1.0" xmlns="urn:oasis:'
        'names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="EPUB/'
        'package.opf" media-type="application/oebps-package+xml"/></rootfiles></container>\n'),
        "EPUB/package.opf": package, "EPUB/nav.xhtml": nav}
    for name, (head, paragraphs) in zip(names, chapters, strict=True):
        body = f"<section><h2>{escape(head)}</h2>" + "".join(
            f"<p>{escape(p)}</p>" for p in paragraphs) + "</section>"
        parts[f"EPUB/{name}"] = xhtml(head, body, ' xml:lang="en-GB"')
    with zipfile.ZipFile(path, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype", _STAMP), "application/epub+zip",
                      compress_type=zipfile.ZIP_STORED)  # first and stored, as EPUB requires
        for name, content in parts.items():
            book.writestr(zipfile.ZipInfo(name, _STAMP), content.encode("utf-8"),
                          compress_type=zipfile.ZIP_DEFLATED)


def _rtf_letter(path: Path, lines: list[str]) -> None:
    """A letter as WordPad or Word saves it: Times, a bold title, a paragraph per line."""

    def rtf(text: str) -> str:
        out = []
        for ch in text:
            if ch in "\\{}":
                out.append("\\" + ch)
            elif ord(ch) > 127:
                out.append(f"\\u{ord(ch)}?")
            else:
                out.append(ch)
        return "".join(out)

    head = ("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0\\froman\\fcharset0 Times New Roman;}}"
            "{\\colortbl;\\red0\\green51\\blue102;}\n")
    title = f"\\pard\\sb0\\sa240\\cf1\\b\\fs30 {rtf(lines[0])}\\b0\\cf0\\fs24\\par\n"
    rest = "".join(f"\\pard\\sa160 {rtf(line)}\\par\n" for line in lines[1:])
    path.write_text(head + title + rest + "}\n", encoding="ascii")


def _pdf_doc(data: dict[str, Any], widths: list[float]) -> Any:
    """A one-page printed PDF: a title, key/value lines, a ruled table, then sentences."""
    import pymupdf  # noqa: PLC0415

    doc = pymupdf.open()  # type: ignore[no-untyped-call]
    page = doc.new_page()
    top = _lines(page, [str(data["title"])], 48, 14)
    top = _lines(page, list(data["header"]), top + 2, 10.5)
    top = _grid_table(page, data["table"], top + 8, widths)
    tail = data.get("sentences") or [data["note"]]
    _lines(page, list(tail), top, 10.5)
    return doc


def _mail(path: Path, mail: dict[str, Any], attachment: tuple[str, bytes]) -> None:
    """A booking mail: plain text and HTML bodies, and an attached PDF invoice."""
    message = EmailMessage()
    message["From"], message["To"] = str(mail["from"]), str(mail["to"])
    message["Date"], message["Subject"] = str(mail["date"]), str(mail["subject"])
    message["Message-ID"] = "<SWC-58213.1@seawhistle-cottages.example>"
    paragraphs = [str(p) for p in mail["body"]]
    message.set_content("\n\n".join(paragraphs) + "\n")
    message.add_alternative("<html><body>" + "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
                            + "</body></html>\n", subtype="html")
    name, content = attachment
    message.add_attachment(content, maintype="application", subtype="pdf", filename=name)
    path.write_bytes(message.as_bytes())


def _markdown(path: Path, data: dict[str, Any]) -> None:
    head, *rows = data["table"]
    out = [f"# {data['title']}", "", "## Allergies", ""]
    out += [f"* {line}" for line in data["allergies"]]
    out += ["", "## Everyday medicines", "", "| " + " | ".join(head) + " |",
            "| " + " | ".join("---" for _ in head) + " |"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    out += ["", "## Fevers", "", str(data["fever"]), "", "## Numbers", ""]
    out += [f"* {line}" for line in data["notes"]]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _card(path: Path, rng: np.random.Generator) -> None:
    """The cat's vaccination card on a flatbed at 200 dpi, a little askew, saved as PNG."""
    image = _text_page_image(corpus.CAT_CARD, dpi=200, width=420, height=470, size=10)
    _scan(image, rng, angle=1.4, noise=5).save(path, optimize=True)


def _report(path: Path, rng: np.random.Generator) -> None:
    dpi = 200
    page = _scan(_text_page_image(corpus.SCHOOL_REPORT, dpi=dpi, size=11.5), rng, angle=-1.7,
                 noise=7)
    _image_pdf([page], dpi).save(str(path), garbage=3, deflate=True)


def _roof(path: Path, rng: np.random.Generator) -> None:
    from PIL import Image  # noqa: PLC0415

    image = _text_page_image(corpus.ROOF_QUOTE, dpi=160, size=13)
    turned = image.rotate(-3.0, resample=Image.Resampling.BICUBIC, fillcolor=230)
    _photo(turned, rng).save(path, quality=68)


def _note(path: Path, rng: np.random.Generator) -> None:
    """A note in a large italic face on a half sheet, photographed; TIFF with JPEG inside."""
    from PIL import Image  # noqa: PLC0415

    image = _text_page_image(corpus.FRIDGE_NOTE, dpi=150, width=420, height=520, size=15,
                             font="tiit")
    turned = image.rotate(1.8, resample=Image.Resampling.BICUBIC, fillcolor=225)
    _photo(turned, rng).save(path, compression="jpeg", quality=80)


def _slip(path: Path, rng: np.random.Generator) -> None:
    from PIL import Image  # noqa: PLC0415

    image = _text_page_image(corpus.PIANO_SLIP, dpi=170, width=500, height=420, size=11)
    turned = image.rotate(-2.2, resample=Image.Resampling.BICUBIC, fillcolor=230)
    _photo(turned, rng).save(path, "WEBP", quality=72, method=4)


def make(folder: Path = DOCS) -> dict[str, list[str]]:
    """Write every document into ``folder``; returns the scans' and photos' reference texts."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(corpus.SEED)
    _word(folder / "tenancy-renewal.docx", corpus.TENANCY)
    _writer(folder / "nursery-newsletter.odt", corpus.NURSERY)
    _epub3(folder / "slow-cooker-recipes.epub", corpus.RECIPES, "Slow Cooker Sundays",
           "Hattie Marlowe")
    _pdf_doc(corpus.ENERGY_BILL, [80, 80, 95, 95, 95]).save(
        str(folder / "energy-bill.pdf"), garbage=3, deflate=True)
    invoice = _pdf_doc(corpus.COTTAGE_INVOICE, [150, 110, 150]).tobytes(garbage=3, deflate=True)
    _mail(folder / "cottage-booking.eml", corpus.COTTAGE_MAIL,
          (Path(corpus.ATTACHMENT).name, bytes(invoice)))
    _workbook(folder / "christmas-planner.xlsx", corpus.CHRISTMAS)
    write_ods(folder / "falcons-fixtures.ods", corpus.FIXTURES)
    write_pptx(folder / "year7-welcome.pptx", corpus.YEAR7_SLIDES)
    _pdf_doc(corpus.DISHWASHER, [45, 140, 220]).save(
        str(folder / "dishwasher-manual-page.pdf"), garbage=3, deflate=True)
    _card(folder / "biscuit-vaccination-card.png", rng)
    _report(folder / "school-report-scan.pdf", rng)
    _roof(folder / "roof-quote-photo.jpg", rng)
    _note(folder / "fridge-note.tiff", rng)
    _slip(folder / "piano-lessons-slip.webp", rng)
    _rtf_letter(folder / "pension-statement.rtf", corpus.PENSION)
    _markdown(folder / "medicines-and-allergies.md", corpus.MEDICINES)
    (folder / "passports.txt").write_text("\n".join(corpus.PASSPORTS) + "\n", encoding="utf-8")
    return {"biscuit-vaccination-card.png": corpus.CAT_CARD,
            "school-report-scan.pdf": corpus.SCHOOL_REPORT,
            "roof-quote-photo.jpg": corpus.ROOF_QUOTE,
            "fridge-note.tiff": corpus.FRIDGE_NOTE,
            "piano-lessons-slip.webp": corpus.PIANO_SLIP}


def main() -> None:
    scans: dict[str, Any] = make()
    SCANS.write_text(json.dumps(scans, indent=1) + "\n", encoding="utf-8")
    (DATA / "questions.json").write_text(json.dumps(corpus.questions(), indent=1) + "\n",
                                         encoding="utf-8")
    for path in sorted(DOCS.iterdir()):
        print(f"{path.stat().st_size:>9}  {path.name}")


if __name__ == "__main__":
    if sys.argv[1:]:
        raise SystemExit("usage: python -m benchmarks.formats_make_holdout3")
    main()
