"""Write the held-out set's files: each text of `formats_holdout` in its format.

`python -m benchmarks.formats_make --set=holdout` (re)writes
`benchmarks/data/formats_holdout/documents/`, `questions.json` and `scans.json`. Deterministic
(fixed seed for the noise). Office, OpenDocument and PDF files come from the libraries people's
programs use (python-docx, openpyxl, python-pptx, odfpy, PyMuPDF); the EPUB, RTF, e-mail, text
and Markdown are written by hand. The scans are PyMuPDF renders at 200 and 300 dpi, turned,
shaded and speckled like a flatbed scan; the photo is turned, warped, unevenly lit and saved as
JPEG at quality 70; the screenshot is a crisp phone-sized render saved as PNG.
"""

from __future__ import annotations

import json
import zipfile
from email.message import EmailMessage
from html import escape as html_escape
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np

from benchmarks import formats_holdout as corpus
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

DATA = Path(__file__).parent / "data" / "formats_holdout"
DOCS = DATA / "documents"
SCANS = DATA / "scans.json"
"""The text each scanned page, photo or screenshot shows: the reference for OCR accuracy."""
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def _docx(path: Path) -> None:
    import docx  # noqa: PLC0415

    data = corpus.BOILER
    doc = docx.Document()
    doc.add_heading(str(data["title"]), level=1)
    for paragraph in data["paragraphs"]:
        doc.add_paragraph(paragraph)
    doc.add_heading("Checks carried out", level=2)
    rows = data["table"]
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for line in data["closing"]:
        doc.add_paragraph(line)
    doc.core_properties.created = _WHEN
    doc.save(str(path))


def _odt(path: Path) -> None:
    from odf.opendocument import OpenDocumentText  # noqa: PLC0415
    from odf.table import Table, TableCell, TableColumn, TableRow  # noqa: PLC0415
    from odf.text import H, P  # noqa: PLC0415

    data = corpus.GYM
    doc = OpenDocumentText()
    doc.text.addElement(H(outlinelevel=1, text=str(data["title"])))
    for line in data["lines"]:
        doc.text.addElement(P(text=line))
    doc.text.addElement(H(outlinelevel=2, text="Club opening hours"))
    rows = data["table"]
    table = Table(name="Hours")
    table.addElement(TableColumn(numbercolumnsrepeated=len(rows[0])))
    for row in rows:
        tr = TableRow()
        for value in row:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            tr.addElement(cell)
        table.addElement(tr)
    doc.text.addElement(table)
    doc.save(str(path))


def _rtf(path: Path) -> None:
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")

    lines = corpus.DRYER_WARRANTY
    body = [f"{{\\pard\\qc\\b\\fs32 {esc(lines[0])}\\par}}"]
    body += [f"{{\\pard\\sa120 {esc(line)}\\par}}" for line in lines[1:]]
    path.write_text("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}\n"
                    "{\\info{\\title Valeron warranty}}\n\\f0\\fs22\n" + "\n".join(body)
                    + "\n}\n", encoding="ascii")


def _xlsx(path: Path) -> None:
    import openpyxl  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in corpus.SWIMMING.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, float):
                    cell.number_format = "0.00"
    book.save(str(path))


def _odp(path: Path) -> None:
    from odf.draw import Frame, Page, TextBox  # noqa: PLC0415
    from odf.opendocument import OpenDocumentPresentation  # noqa: PLC0415
    from odf.style import MasterPage, PageLayout, PageLayoutProperties  # noqa: PLC0415
    from odf.text import P  # noqa: PLC0415

    doc = OpenDocumentPresentation()
    layout = PageLayout(name="Slide")
    layout.addElement(PageLayoutProperties(margin="0cm", pagewidth="28cm", pageheight="21cm",
                                           printorientation="landscape"))
    doc.automaticstyles.addElement(layout)
    master = MasterPage(name="Default", pagelayoutname=layout)
    doc.masterstyles.addElement(master)
    for n, (title, bullets) in enumerate(corpus.CUBS_SLIDES, 1):
        page = Page(name=f"Slide {n}", masterpagename=master)
        doc.presentation.addElement(page)
        for text, y, height in ((title, "1.5cm", "3cm"), (None, "5cm", "14cm")):
            frame = Frame(width="24cm", height=height, x="2cm", y=y)
            box = TextBox()
            for line in [text] if text is not None else bullets:
                box.addElement(P(text=line))
            frame.addElement(box)
            page.addElement(frame)
    doc.save(str(path))


def _epub(path: Path) -> None:
    chapters = corpus.PLANTS
    title = "The Windowsill Jungle: caring for houseplants"
    container = ('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:'
                 'opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf"'
                 ' media-type="application/oebps-package+xml"/></rootfiles></container>')
    items = "".join(f'<item id="ch{i}" href="ch{i}.xhtml" media-type="application/xhtml+xml"/>'
                    for i in range(len(chapters)))
    spine = "".join(f'<itemref idref="ch{i}"/>' for i in range(len(chapters)))
    opf = ('<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" '
           'version="2.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/'
           f'1.1/"><dc:title>{escape(title)}</dc:title><dc:creator>Marisol Penhaligon'
           '</dc:creator><dc:identifier id="id">nimbus-houseplants</dc:identifier>'
           '<dc:language>en</dc:language></metadata><manifest><item id="ncx" href="toc.ncx" '
           f'media-type="application/x-dtbncx+xml"/>{items}</manifest><spine toc="ncx">{spine}'
           '</spine></package>')
    points = "".join(f'<navPoint id="n{i}" playOrder="{i + 1}"><navLabel><text>{escape(name)}'
                     f'</text></navLabel><content src="ch{i}.xhtml"/></navPoint>'
                     for i, (name, _) in enumerate(chapters))
    ncx = ('<?xml version="1.0" encoding="utf-8"?><ncx xmlns="http://www.daisy.org/z3986/2005/'
           'ncx/" version="2005-1"><head><meta name="dtb:uid" content="nimbus-houseplants"/>'
           f'</head><docTitle><text>{escape(title)}</text></docTitle><navMap>{points}</navMap>'
           '</ncx>')
    with zipfile.ZipFile(path, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype", _ZIP_TIME), "application/epub+zip")
        files = [("META-INF/container.xml", container), ("OEBPS/content.opf", opf),
                 ("OEBPS/toc.ncx", ncx)]
        for i, (name, paragraphs) in enumerate(chapters):
            body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
            files.append((f"OEBPS/ch{i}.xhtml",
                          '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/'
                          f'1999/xhtml"><head><title>{escape(name)}</title></head><body><h2>'
                          f'Chapter {i + 1}: {escape(name)}</h2>{body}</body></html>'))
        for name, text in files:
            book.writestr(zipfile.ZipInfo(name, _ZIP_TIME), text,
                          compress_type=zipfile.ZIP_DEFLATED)


def _tickets_pdf() -> bytes:
    import pymupdf  # noqa: PLC0415

    data = corpus.TICKETS
    doc = pymupdf.open()
    page = doc.new_page()
    top = _lines(page, [str(data["title"])], 50, 15)
    top = _lines(page, list(data["header"]), top + 4)
    top = _grid_table(page, data["table"], top + 10, [170, 110, 60, 130])
    _lines(page, [str(data["note"])], top)
    return bytes(doc.tobytes(garbage=3, deflate=True))


def _eml(path: Path) -> None:
    mail = corpus.TRAIN_MAIL
    message = EmailMessage()
    for key in ("from", "to", "date", "subject"):
        message[key.capitalize()] = str(mail[key])
    message["Message-ID"] = "<NWR7Q4K2.confirm@northway-rail.example>"
    body = list(mail["body"])
    message.set_content("\n\n".join(body) + "\n")
    html = "".join(f"<p>{html_escape(line)}</p>" for line in body)
    message.add_alternative(f"<html><body>{html}</body></html>\n", subtype="html")
    message.add_attachment(_tickets_pdf(), maintype="application", subtype="pdf",
                           filename="train-tickets.pdf")
    path.write_bytes(message.as_bytes())


def _home_insurance(path: Path) -> None:
    import pymupdf  # noqa: PLC0415

    data = corpus.HOME_INSURANCE
    doc = pymupdf.open()
    page = doc.new_page()
    top = _lines(page, [str(data["title"])], 50, 15)
    top = _lines(page, list(data["header"]), top + 4)
    _grid_table(page, data["table"], top + 10, [190, 120, 100])
    page = doc.new_page()
    top = _lines(page, ["Important information"], 50, 13)
    _lines(page, list(data["sentences"]), top + 4)
    doc.save(str(path), garbage=3, deflate=True)


def _council_tax(path: Path, rng: np.random.Generator) -> None:
    dpi = 200
    pages = [_scan(_text_page_image(lines, dpi=dpi), rng, angle=angle, noise=6)
             for lines, angle in zip(corpus.COUNCIL_TAX_PAGES, (0.6, -3.2), strict=True)]
    _image_pdf(pages, dpi).save(str(path), garbage=3, deflate=True)


def _wedding(path: Path, rng: np.random.Generator) -> None:
    """An A5 card, centred serif text, scanned at 300 dpi and set down a little askew."""
    import pymupdf  # noqa: PLC0415
    from PIL import Image  # noqa: PLC0415

    dpi = 300
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=595)
    top = 70.0
    for n, line in enumerate(corpus.WEDDING):
        size = 17.0 if n == 1 else 12.0
        rect = pymupdf.Rect(30, top, 390, top + 200)
        spare = page.insert_textbox(rect, line, fontsize=size, fontname="tiro", align=1)
        if spare < 0:
            raise ValueError(f"{line!r} does not fit the card")
        top += 200 - spare + 12
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    _image_pdf([_scan(image, rng, angle=-0.8, noise=4)], dpi).save(str(path), garbage=3,
                                                                    deflate=True)


def _hospital(path: Path, rng: np.random.Generator) -> None:
    from PIL import Image  # noqa: PLC0415

    image = _text_page_image(corpus.HOSPITAL_LETTER, dpi=170, size=13)
    turned = image.rotate(2.5, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=235)
    _photo(turned, rng).save(path, quality=70)


def _screenshot(path: Path) -> None:
    """A phone app's contract page: a coloured bar, cards, crisp anti-aliased text, no noise."""
    import pymupdf  # noqa: PLC0415

    lines = corpus.BROADBAND_SCREEN
    doc = pymupdf.open()
    page = doc.new_page(width=390, height=600)
    page.draw_rect(page.rect, color=None, fill=(0.95, 0.96, 0.98))
    page.draw_rect(pymupdf.Rect(0, 0, 390, 70), color=None, fill=(0.10, 0.28, 0.55))
    page.insert_text((20, 45), lines[0], fontsize=20, fontname="hebo", color=(1, 1, 1))
    page.insert_text((20, 100), lines[1], fontsize=16, fontname="hebo", color=(0.1, 0.1, 0.1))
    top = 120.0
    for line in lines[2:]:
        card = pymupdf.Rect(14, top, 376, top + 34)
        page.draw_rect(card, color=(0.85, 0.86, 0.9), fill=(1, 1, 1), width=0.6, radius=0.2)
        inside = pymupdf.Rect(card.x0 + 10, card.y0 + 9, card.x1 - 10, card.y1)
        if page.insert_textbox(inside, line, fontsize=11.5, fontname="helv",
                               color=(0.15, 0.15, 0.2)) < 0:
            raise ValueError(f"{line!r} does not fit its card")
        top += 38
    page.get_pixmap(dpi=144).save(str(path))


def _txt(path: Path) -> None:
    path.write_text("\n".join(corpus.VET_RECORD) + "\n", encoding="utf-8")


def _md(path: Path) -> None:
    data = corpus.CAR_LOG
    rows = data["table"]
    table = [f"| {' | '.join(rows[0])} |", "|" + "---|" * len(rows[0])]
    table += [f"| {' | '.join(row)} |" for row in rows[1:]]
    text = [f"# {data['title']}", "", str(data["car"]), "", "## MOT", "",
            *(f"- {line}" for line in data["mot"]), "", "## Service history", "", *table, "",
            "## Notes", "", *(f"- {line}" for line in data["notes"])]
    path.write_text("\n".join(text) + "\n", encoding="utf-8")


def make(folder: Path = DOCS) -> dict[str, list[str]]:
    """Write every document into ``folder``; returns the scans' reference texts."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(corpus.SEED)
    _docx(folder / "boiler-service-report.docx")
    _odt(folder / "gym-membership.odt")
    _rtf(folder / "tumble-dryer-warranty.rtf")
    _xlsx(folder / "swimming-lessons.xlsx")
    write_ods(folder / "school-term-dates.ods", corpus.TERM_DATES)
    write_pptx(folder / "kitchen-refit-proposal.pptx", corpus.KITCHEN_SLIDES)
    _odp(folder / "cubs-summer-camp.odp")
    _epub(folder / "houseplant-care.epub")
    _eml(folder / "edinburgh-train-booking.eml")
    _home_insurance(folder / "home-insurance-schedule.pdf")
    _council_tax(folder / "council-tax-bill-scan.pdf", rng)
    _wedding(folder / "wedding-invitation-scan.pdf", rng)
    _hospital(folder / "hospital-letter-photo.jpg", rng)
    _screenshot(folder / "broadband-contract-screenshot.png")
    _txt(folder / "pickle-vet-record.txt")
    _md(folder / "car-mot-log.md")
    return {
        "council-tax-bill-scan.pdf#1": corpus.COUNCIL_TAX_PAGES[0],
        "council-tax-bill-scan.pdf#2": corpus.COUNCIL_TAX_PAGES[1],
        "wedding-invitation-scan.pdf": corpus.WEDDING,
        "hospital-letter-photo.jpg": corpus.HOSPITAL_LETTER,
        "broadband-contract-screenshot.png": corpus.BROADBAND_SCREEN,
    }


def main() -> None:
    scans: dict[str, Any] = make()
    SCANS.write_text(json.dumps(scans, indent=1) + "\n", encoding="utf-8")
    (DATA / "questions.json").write_text(json.dumps(corpus.questions(), indent=1) + "\n",
                                         encoding="utf-8")
    for path in sorted(DOCS.iterdir()):
        print(f"{path.stat().st_size:>9}  {path.name}")
