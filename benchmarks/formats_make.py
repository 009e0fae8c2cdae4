"""Write the documents_formats benchmark's files: each text of `formats_corpus` in its format.

`python -m benchmarks.formats_make` (re)writes `benchmarks/data/formats/documents/` and
`questions.json`; `--set=holdout` writes the held-out set instead (`formats_make_holdout`),
`--set=holdout3` the third set (`formats_make_holdout3`).
Deterministic: the same texts, the same seed for the noise of the scans and
photos, the same split. The Office, OpenDocument and PDF files are written by the same libraries
people's programs use (python-docx, openpyxl, python-pptx, odfpy, PyMuPDF); the e-book, FB2, RTF
and e-mail are written by hand (they are plain XML, text and MIME); scans are PyMuPDF renders at
200-300 dpi, turned, shaded and blurred with Pillow and numpy like a scanner or a phone camera.
"""

from __future__ import annotations

import datetime
import io
import json
import sys
import zipfile
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np

from benchmarks import formats_corpus as corpus

DATA = Path(__file__).parent / "data" / "formats"
DOCS = DATA / "documents"
SCANS = DATA / "scans.json"
"""The text each scanned page or photo shows: the reference for OCR character accuracy."""
_WHEN = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def _docx(path: Path) -> None:
    import docx  # noqa: PLC0415

    data = corpus.SCHOOL_TRIP
    doc = docx.Document()
    doc.add_heading(str(data["title"]), level=1)
    for paragraph in data["paragraphs"]:
        doc.add_paragraph(paragraph)
    doc.add_paragraph("Group leaders")
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

    data = corpus.BABYSITTER
    doc = OpenDocumentText()
    doc.text.addElement(H(outlinelevel=1, text=str(data["title"])))
    for line in data["lines"]:
        doc.text.addElement(P(text=line))
    doc.text.addElement(P(text="Emergency contacts"))
    rows = data["table"]
    table = Table(name="Contacts")
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

    lines = corpus.RECIPE
    body = [f"{{\\b\\fs32 {esc(lines[0])}}}\\par"] + [f"{esc(line)}\\par" for line in lines[1:]]
    path.write_text("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0\\froman Times New Roman;}}\n"
                    "\\f0\\fs24\n" + "\n".join(body) + "\n}\n", encoding="ascii")


def _xlsx(path: Path) -> None:
    import openpyxl  # noqa: PLC0415

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in corpus.BUDGET.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, float):
                    cell.number_format = "0.00"
    book.save(str(path))


def write_ods(path: Path, sheets: dict[str, list[list[str]]]) -> None:
    """An OpenDocument spreadsheet, one sheet per entry, every cell a string."""
    from odf.opendocument import OpenDocumentSpreadsheet  # noqa: PLC0415
    from odf.table import Table, TableCell, TableRow  # noqa: PLC0415
    from odf.text import P  # noqa: PLC0415

    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            tr = TableRow()
            for value in row:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))


def write_pptx(path: Path, slides: list[tuple[str, list[str]]]) -> None:
    """A PowerPoint deck: a title and bullets per slide."""
    import pptx  # noqa: PLC0415

    deck = pptx.Presentation()
    for title, bullets in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        body = slide.placeholders[1].text_frame
        body.text = bullets[0]
        for bullet in bullets[1:]:
            body.add_paragraph().text = bullet
    deck.core_properties.created = _WHEN
    deck.save(str(path))


def _epub(path: Path) -> None:
    chapters = corpus.BIRDS
    title = "A guide to garden birds"
    container = ('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:'
                 'opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf"'
                 ' media-type="application/oebps-package+xml"/></rootfiles></container>')
    items = "".join(f'<item id="c{i}" href="c{i}.xhtml" media-type="application/xhtml+xml"/>'
                    for i in range(len(chapters)))
    spine = "".join(f'<itemref idref="c{i}"/>' for i in range(len(chapters)))
    opf = ('<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" '
           'version="2.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/'
           f'1.1/"><dc:title>{title}</dc:title><dc:identifier id="id">nimbus-birds</dc:identifier>'
           '<dc:language>en</dc:language></metadata><manifest><item id="ncx" href="toc.ncx" '
           f'media-type="application/x-dtbncx+xml"/>{items}</manifest><spine toc="ncx">{spine}'
           '</spine></package>')
    points = "".join(f'<navPoint id="n{i}" playOrder="{i + 1}"><navLabel><text>{escape(name)}'
                     f'</text></navLabel><content src="c{i}.xhtml"/></navPoint>'
                     for i, (name, _) in enumerate(chapters))
    ncx = ('<?xml version="1.0" encoding="utf-8"?><ncx xmlns="http://www.daisy.org/z3986/2005/'
           'ncx/" version="2005-1"><head><meta name="dtb:uid" content="nimbus-birds"/></head>'
           f'<docTitle><text>{title}</text></docTitle><navMap>{points}</navMap></ncx>')
    with zipfile.ZipFile(path, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype", (2026, 1, 1, 0, 0, 0)), "application/epub+zip")
        for name, text in (("META-INF/container.xml", container), ("OEBPS/content.opf", opf),
                           ("OEBPS/toc.ncx", ncx)):
            book.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), text,
                          compress_type=zipfile.ZIP_DEFLATED)
        for i, (name, paragraphs) in enumerate(chapters):
            body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
            xhtml = ('<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/'
                     f'xhtml"><head><title>{escape(name)}</title></head><body><h1>{escape(name)}'
                     f'</h1>{body}</body></html>')
            book.writestr(zipfile.ZipInfo(f"OEBPS/c{i}.xhtml", (2026, 1, 1, 0, 0, 0)), xhtml,
                          compress_type=zipfile.ZIP_DEFLATED)


def _fb2(path: Path) -> None:
    story = corpus.STORY
    first, last = str(story["author"]).split()
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in story["paragraphs"])
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<FictionBook xmlns="http://www.gribuser.ru/xml/'
        'fictionbook/2.0"><description><title-info><genre>child_tale</genre><author><first-name>'
        f'{first}</first-name><last-name>{last}</last-name></author><book-title>'
        f'{escape(str(story["title"]))}</book-title><lang>en</lang></title-info></description>'
        f'<body><title><p>{escape(str(story["title"]))}</p></title><section>{paragraphs}'
        "</section></body></FictionBook>\n", encoding="utf-8")


def _grid_table(page: Any, rows: list[list[str]], top: float, widths: list[float]) -> float:
    """Draw a ruled table (as office programs print one); returns the y below it."""
    import pymupdf  # noqa: PLC0415

    height = 22.0
    for r, row in enumerate(rows):
        x = 60.0
        for c, value in enumerate(row):
            rect = pymupdf.Rect(x, top + r * height, x + widths[c], top + (r + 1) * height)
            page.draw_rect(rect, color=(0, 0, 0), width=0.8)
            page.insert_text((x + 5, rect.y1 - 7), value, fontsize=10,
                             fontname="hebo" if r == 0 else "helv")
            x += widths[c]
    return top + len(rows) * height + 20


def _lines(page: Any, lines: list[str], top: float, size: float = 11.0) -> float:
    import pymupdf  # noqa: PLC0415

    for line in lines:
        rect = pymupdf.Rect(60, top, page.rect.width - 60, top + 200)
        spare = page.insert_textbox(rect, line, fontsize=size, fontname="helv")
        top += 200 - spare + 8
    return top


def _price_list() -> bytes:
    import pymupdf  # noqa: PLC0415

    data = corpus.PRICE_LIST
    doc = pymupdf.open()
    page = doc.new_page()
    top = _lines(page, [str(data["title"])], 60, 14)
    top = _grid_table(page, data["table"], top + 10, [200, 100, 120])
    _lines(page, [str(data["note"])], top)
    return bytes(doc.tobytes(garbage=3, deflate=True))


def _eml(path: Path) -> None:
    mail = corpus.DENTIST_MAIL
    message = EmailMessage()
    for key in ("from", "to", "date", "subject"):
        message[key.capitalize()] = str(mail[key])
    message["Message-ID"] = "<check-up-3feb@riverside-dental.example>"
    message.set_content("\n\n".join(mail["body"]) + "\n")
    message.add_attachment(_price_list(), maintype="application", subtype="pdf",
                           filename="dental-price-list.pdf")
    path.write_bytes(message.as_bytes())


def _text_page_image(lines: list[str], *, dpi: int, width: float = 595, height: float = 842,
                     size: float = 12, font: str = "helv") -> Any:
    """A page of text rendered like a flatbed scan: a grey PIL image at ``dpi``."""
    import pymupdf  # noqa: PLC0415
    from PIL import Image  # noqa: PLC0415

    doc = pymupdf.open()
    page = doc.new_page(width=width, height=height)
    top = 50.0
    for line in lines:
        rect = pymupdf.Rect(40, top, width - 40, top + 300)
        spare = page.insert_textbox(rect, line, fontsize=size, fontname=font)
        top += 300 - spare + size * 0.8
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    return Image.frombytes("L", (pix.width, pix.height), pix.samples)


def _scan(image: Any, rng: np.random.Generator, *, angle: float, noise: float) -> Any:
    """Turn a clean render into a scan: a slight rotation, grey paper, speckle, soft focus."""
    from PIL import Image, ImageFilter  # noqa: PLC0415

    turned = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=250)
    pixels = np.asarray(turned, dtype=np.float32) * 0.92 + 10
    pixels += rng.normal(0, noise, pixels.shape)
    out = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return out.filter(ImageFilter.GaussianBlur(0.6))


def _photo(image: Any, rng: np.random.Generator) -> Any:
    """A phone photo of a letter: perspective, uneven light, colour cast, noise, JPEG later."""
    from PIL import Image, ImageFilter  # noqa: PLC0415

    w, h = image.size
    # Perspective: the top edge is narrower (the phone was held tilted towards the page).
    src = [(0, 0), (w, 0), (w, h), (0, h)]
    dst = [(w * 0.06, h * 0.04), (w * 0.95, h * 0.02), (w * 0.99, h * 0.98), (w * 0.01, h)]
    coeffs = _perspective_coeffs(dst, src)
    warped = image.transform((w, h), Image.Transform.PERSPECTIVE, coeffs,
                             Image.Resampling.BICUBIC, fillcolor=90)
    gray = np.asarray(warped, dtype=np.float32)
    yy, xx = np.mgrid[0:h, 0:w]
    light = 0.75 + 0.25 * (xx / w) * (1 - 0.4 * yy / h)  # a shadow on the left and at the foot
    gray = gray * light + rng.normal(0, 7, gray.shape)
    rgb = np.stack([gray * 1.0, gray * 0.96, gray * 0.86], axis=-1)  # warm indoor light
    out = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")
    return out.filter(ImageFilter.GaussianBlur(0.9))


def _perspective_coeffs(dst: list[tuple[float, float]], src: list[tuple[float, float]],
                        ) -> list[float]:
    matrix = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        matrix.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        matrix.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    a = np.array(matrix, dtype=np.float64)
    b = np.array([c for point in src for c in point], dtype=np.float64)
    return [float(v) for v in np.linalg.solve(a, b)]


def _image_pdf(images: list[Any], dpi: int) -> Any:
    """An image-only PDF (what a scanner writes): one page per image, no text layer."""
    import pymupdf  # noqa: PLC0415

    doc = pymupdf.open()
    for image in images:
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=80)  # scanners write JPEG pages
        page = doc.new_page(width=image.width * 72 / dpi, height=image.height * 72 / dpi)
        page.insert_image(page.rect, stream=buffer.getvalue())
    return doc


def _water_bill(path: Path, rng: np.random.Generator) -> None:
    dpi = 200
    pages = [_scan(_text_page_image(lines, dpi=dpi), rng, angle=angle, noise=6)
             for lines, angle in zip(corpus.WATER_BILL_PAGES, (0.4, -2.5), strict=True)]
    doc = _image_pdf(pages, dpi)
    doc.save(str(path), garbage=3, deflate=True)


def _insurance(path: Path, rng: np.random.Generator) -> None:
    import pymupdf  # noqa: PLC0415

    data = corpus.INSURANCE
    doc = pymupdf.open()
    page = doc.new_page()
    top = _lines(page, [str(data["title"])], 50, 15)
    top = _lines(page, list(data["header"]), top + 4)
    top = _grid_table(page, data["table"], top + 10, [170, 120, 110])
    _lines(page, list(data["sentences"]), top)
    scanned = _image_pdf([_scan(_text_page_image(list(data["scanned_page"]), dpi=200), rng,
                                angle=1.2, noise=5)], 200)
    doc.insert_pdf(scanned)
    doc.save(str(path), garbage=3, deflate=True)


def _receipt(path: Path, rng: np.random.Generator) -> None:
    image = _text_page_image(corpus.RECEIPT, dpi=250, width=260, height=400, size=9,
                             font="cour")
    _scan(image, rng, angle=-0.8, noise=3).save(path, optimize=True)


def _parking(path: Path, rng: np.random.Generator) -> None:
    image = _text_page_image(corpus.PARKING_LETTER, dpi=170, size=13)
    _photo(image, rng).save(path, quality=72)


def make(folder: Path = DOCS) -> dict[str, list[str]]:
    """Write every document into ``folder``; returns the scans' reference texts."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(corpus.SEED)
    _docx(folder / "school-trip-letter.docx")
    _odt(folder / "babysitter-notes.odt")
    _rtf(folder / "lemon-drizzle-recipe.rtf")
    _xlsx(folder / "household-budget.xlsx")
    write_ods(folder / "allotment-rota.ods", corpus.ALLOTMENT)
    write_pptx(folder / "neighbourhood-watch-meeting.pptx", corpus.WATCH_SLIDES)
    _epub(folder / "garden-birds-guide.epub")
    _fb2(folder / "bedtime-story.fb2")
    _eml(folder / "dentist-appointment.eml")
    _water_bill(folder / "scanned-water-bill.pdf", rng)
    _insurance(folder / "car-insurance-schedule.pdf", rng)
    _receipt(folder / "washing-machine-receipt.png", rng)
    _parking(folder / "parking-permit-photo.jpg", rng)
    return {
        "scanned-water-bill.pdf#1": corpus.WATER_BILL_PAGES[0],
        "scanned-water-bill.pdf#2": corpus.WATER_BILL_PAGES[1],
        "car-insurance-schedule.pdf#2": list(corpus.INSURANCE["scanned_page"]),
        "washing-machine-receipt.png": corpus.RECEIPT,
        "parking-permit-photo.jpg": corpus.PARKING_LETTER,
    }


def main(argv: list[str]) -> None:
    chosen = next((a.split("=", 1)[1] for a in argv if a.startswith("--set=")), "main")
    if chosen == "holdout":  # the held-out set, written later by another hand: see its module
        from benchmarks import formats_make_holdout  # noqa: PLC0415

        formats_make_holdout.main()
        return
    if chosen == "holdout3":  # the third set, by yet another hand: see its module
        from benchmarks import formats_make_holdout3  # noqa: PLC0415

        formats_make_holdout3.main()
        return
    if chosen != "main":
        raise SystemExit(f"--set must be main, holdout or holdout3, not {chosen!r}")
    scans = make()
    SCANS.write_text(json.dumps(scans, indent=1) + "\n", encoding="utf-8")
    (DATA / "questions.json").write_text(json.dumps(corpus.questions(), indent=1) + "\n",
                                         encoding="utf-8")
    for path in sorted(DOCS.iterdir()):
        print(f"{path.stat().st_size:>9}  {path.name}")


if __name__ == "__main__":
    main(sys.argv[1:])
