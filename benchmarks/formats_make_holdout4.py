"""Write the holdout4 set's files: each text of `formats_holdout4` in its format.

`python -m benchmarks.formats_make_holdout4` (re)writes `benchmarks/data/formats_holdout4/
documents/`, `questions.json` and `scans.json`. Deterministic texts and pixels (seeded noise).
Reused: the first set's spreadsheet, deck, ruled-table, scan and photo writers (`formats_make`)
and the third set's OpenDocument text, workbook, RTF letter and printed-PDF writers
(`formats_make_holdout3`). Written here, because the earlier ones are tied to their own texts:
the Word letter, the Impress deck (odp), the EPUB 3 book, the mail, the PDF with a scanned page,
the Markdown notes and the saved web page. Photos: a planning notice on a lamp post (JPEG), a
courier's card (lossy WebP) and a bus timetable (TIFF with JPEG compression); a garden centre's
receipt (PNG) and a TV licence (image-only PDF) are scans.
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

from benchmarks import formats_holdout4 as corpus
from benchmarks.formats_make import (
    _WHEN,
    _image_pdf,
    _photo,
    _scan,
    _text_page_image,
    write_ods,
    write_pptx,
)
from benchmarks.formats_make_holdout3 import _pdf_doc, _rtf_letter, _workbook, _writer

DATA = Path(__file__).parent / "data" / "formats_holdout4"
DOCS = DATA / "documents"
SCANS = DATA / "scans.json"
"""The text each scanned page or photo shows: the reference for OCR character accuracy."""
_STAMP = (2026, 12, 7, 14, 0, 0)
"""The time written into the zip entries of the EPUB (so the texts do not change between runs)."""


def _word(path: Path, blocks: list[tuple[str, Any]], author: str) -> None:
    """A Word letter: headings, paragraphs and a gridded table with a bold header row."""
    import docx  # noqa: PLC0415

    doc = docx.Document()
    for kind, value in blocks:
        if kind == "table":
            grid = doc.add_table(rows=len(value), cols=len(value[0]))
            grid.style = "Table Grid"
            for r, cells in enumerate(value):
                for c, text in enumerate(cells):
                    grid.cell(r, c).paragraphs[0].add_run(str(text)).bold = r == 0
        elif kind in ("h1", "h2"):
            doc.add_heading(value, int(kind[1]))
        else:
            doc.add_paragraph(value)
    doc.core_properties.author = author
    doc.core_properties.created = _WHEN
    doc.save(str(path))


def _impress(path: Path, slides: list[tuple[str, list[str]]]) -> None:
    """An OpenDocument presentation (LibreOffice Impress): a title and an outline frame a slide."""
    from odf.draw import Frame, Page, TextBox  # type: ignore[import-untyped]  # noqa: PLC0415
    from odf.namespaces import PRESENTATIONNS  # type: ignore[import-untyped]  # noqa: PLC0415
    from odf.opendocument import OpenDocumentPresentation  # type: ignore[import-untyped]  # noqa: PLC0415
    from odf.style import (  # type: ignore[import-untyped]  # noqa: PLC0415
        MasterPage,
        PageLayout,
        PageLayoutProperties,
    )
    from odf.text import P  # type: ignore[import-untyped]  # noqa: PLC0415

    doc = OpenDocumentPresentation()
    layout = PageLayout(name="Widescreen")
    layout.addElement(PageLayoutProperties(margin="0cm", pagewidth="28cm", pageheight="15.75cm",
                                           printorientation="landscape"))
    doc.automaticstyles.addElement(layout)
    master = MasterPage(name="Default", pagelayoutname=layout)
    doc.masterstyles.addElement(master)
    for n, (title, bullets) in enumerate(slides, 1):
        page = Page(name=f"page{n}", masterpagename=master)
        doc.presentation.addElement(page)
        for kind, lines, y, height in (("title", [title], "0.8cm", "2.5cm"),
                                       ("outline", bullets, "3.8cm", "11cm")):
            frame = Frame(width="25cm", height=height, x="1.5cm", y=y)
            frame.setAttrNS(PRESENTATIONNS, "class", kind)
            box = TextBox()
            for line in lines:
                box.addElement(P(text=line))
            frame.addElement(box)
            page.addElement(frame)
    doc.save(str(path))


def _epub3(path: Path, chapters: list[tuple[str, list[str]]], title: str, author: str) -> None:
    """An EPUB 3 book: a nav document (no NCX), one XHTML file a chapter, a title page."""

    def xhtml(head: str, body: str) -> str:
        return ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns="http://'
                'www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="en-GB">'
                f'<head><title>{escape(head)}</title></head><body>{body}</body></html>\n')

    names = [f"xhtml/ch{n + 1}.xhtml" for n in range(len(chapters))]
    links = "".join(f'<li><a href="{name}">{escape(head)}</a></li>'
                    for name, (head, _) in zip(names, chapters, strict=True))
    parts = {
        "OPS/nav.xhtml": xhtml(title, f'<nav epub:type="toc" id="toc"><h1>Contents</h1><ol>'
                                      f"{links}</ol></nav>"),
        "OPS/xhtml/title.xhtml": xhtml(title, f'<section epub:type="titlepage"><h1>'
                                              f"{escape(title)}</h1><p>{escape(author)}</p>"
                                              "</section>"),
    }
    for name, (head, paragraphs) in zip(names, chapters, strict=True):
        parts[f"OPS/{name}"] = xhtml(head, f'<section epub:type="chapter"><h1>{escape(head)}'
                                           "</h1>" + "".join(f"<p>{escape(p)}</p>"
                                                             for p in paragraphs) + "</section>")
    items = ['<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" '
             'properties="nav"/>',
             '<item id="title" href="xhtml/title.xhtml" media-type="application/xhtml+xml"/>']
    items += [f'<item id="ch{n}" href="{name}" media-type="application/xhtml+xml"/>'
              for n, name in enumerate(names, 1)]
    spine = '<itemref idref="title"/>' + "".join(f'<itemref idref="ch{n}"/>'
                                                 for n in range(1, len(names) + 1))
    parts["OPS/content.opf"] = (
        '<?xml version="1.0" encoding="utf-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" '
        'version="3.0" unique-identifier="bookid" xml:lang="en-GB"><metadata xmlns:dc="http://'
        'purl.org/dc/elements/1.1/"><dc:identifier id="bookid">urn:uuid:0b7e5a3c-4d21-4c8e-9f10-'
        f'holdout4bike</dc:identifier><dc:title>{escape(title)}</dc:title><dc:creator>'
        f'{escape(author)}</dc:creator><dc:language>en-GB</dc:language><meta property='
        f'"dcterms:modified">2026-12-07T14:00:00Z</meta></metadata><manifest>{"".join(items)}'
        f"</manifest><spine>{spine}</spine></package>\n")
    container = ('<?xml version="1.0" encoding="utf-8"?>\n<container version="1.0" xmlns="urn:'
                 'oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path='
                 '"OPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>'
                 "</container>\n")
    with zipfile.ZipFile(path, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype", _STAMP), "application/epub+zip",
                      compress_type=zipfile.ZIP_STORED)  # first and stored, as EPUB requires
        book.writestr(zipfile.ZipInfo("META-INF/container.xml", _STAMP), container,
                      compress_type=zipfile.ZIP_DEFLATED)
        for name, content in parts.items():
            book.writestr(zipfile.ZipInfo(name, _STAMP), content.encode("utf-8"),
                          compress_type=zipfile.ZIP_DEFLATED)


def _mail(path: Path, mail: dict[str, Any], attachment: tuple[str, bytes]) -> None:
    """A shop's delivery mail: plain text and HTML bodies, and the order receipt as a PDF."""
    message = EmailMessage()
    message["From"], message["To"] = str(mail["from"]), str(mail["to"])
    message["Date"], message["Subject"] = str(mail["date"]), str(mail["subject"])
    message["Message-ID"] = "<HH-302718.delivery@hearthandhome.example>"
    paragraphs = [str(p) for p in mail["body"]]
    message.set_content("\n\n".join(paragraphs) + "\n")
    message.add_alternative('<html><body style="font-family:Arial">' + "".join(
        f"<p>{escape(p)}</p>" for p in paragraphs) + "</body></html>\n", subtype="html")
    name, content = attachment
    message.add_attachment(content, maintype="application", subtype="pdf", filename=name)
    path.write_bytes(message.as_bytes())


def _club(path: Path, rng: np.random.Generator) -> None:
    """A printed booking page, then the signed consent form scanned in (a page with no text)."""
    data = corpus.HOLIDAY_CLUB
    doc = _pdf_doc(data, [150, 150, 95, 70])
    page = _scan(_text_page_image(list(data["scanned_page"]), dpi=200, size=11.5), rng,
                 angle=-1.1, noise=5)
    doc.insert_pdf(_image_pdf([page], 200))
    doc.save(str(path), garbage=3, deflate=True)


def _markdown(path: Path, data: dict[str, Any]) -> None:
    head, *rows = data["table"]
    out = [f"# {data['title']}", "", "## Where things are", ""]
    out += [f"- {line}" for line in data["where"]]
    out += ["", "## Who to call", "", "| " + " | ".join(head) + " |",
            "|" + "|".join(":---" for _ in head) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    out += ["", "## Heating"] + [f"\n{line}" for line in data["heating"]]
    out += ["", "## Safety", ""] + [f"- {line}" for line in data["safety"]]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _web_page(path: Path, data: dict[str, Any]) -> None:
    """The council's bin page as a browser saves it: navigation, the table, notes, a footer."""
    head, *rows = data["table"]
    table = ("<table class=\"bins\"><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head)
             + "</tr></thead><tbody>" + "".join(
                 "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
             + "</tbody></table>")
    notes = "".join(f"<p>{escape(s)}</p>" for s in data["sentences"])
    path.write_text(
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n<title>Bin '
        "collections - Ashcombe Borough Council</title>\n<style>table.bins{border-collapse:"
        "collapse}td,th{border:1px solid #999;padding:4px}</style>\n</head>\n<body>\n"
        '<nav><a href="/">Home</a> &gt; <a href="/bins">Bins and recycling</a></nav>\n'
        f"<main>\n<h1>{escape(data['title'])}</h1>\n{table}\n{notes}\n</main>\n"
        "<footer><p>Ashcombe Borough Council, Town Hall, Ashcombe</p></footer>\n</body>\n"
        "</html>\n", encoding="utf-8")


def _tv_licence(path: Path, rng: np.random.Generator) -> None:
    page = _scan(_text_page_image(corpus.TV_LICENCE, dpi=200, size=11.5), rng, angle=2.3,
                 noise=6)
    _image_pdf([page], 200).save(str(path), garbage=3, deflate=True)


def _planning(path: Path, rng: np.random.Generator) -> None:
    from PIL import Image  # noqa: PLC0415

    image = _text_page_image(corpus.PLANNING_NOTICE, dpi=160, size=13)
    turned = image.rotate(2.6, resample=Image.Resampling.BICUBIC, fillcolor=230)
    _photo(turned, rng).save(path, quality=70)


def _receipt(path: Path, rng: np.random.Generator) -> None:
    """A till receipt in Courier on a flatbed at 250 dpi, a little askew, saved as PNG."""
    image = _text_page_image(corpus.GARDEN_RECEIPT, dpi=250, width=290, height=470, size=9,
                             font="cour")
    _scan(image, rng, angle=-1.3, noise=4).save(path, optimize=True)


def _card(path: Path, rng: np.random.Generator) -> None:
    from PIL import Image  # noqa: PLC0415

    image = _text_page_image(corpus.DELIVERY_CARD, dpi=170, width=430, height=380, size=11,
                             font="tiro")
    turned = image.rotate(-1.6, resample=Image.Resampling.BICUBIC, fillcolor=230)
    _photo(turned, rng).save(path, "WEBP", quality=70, method=4)


def _timetable(path: Path, rng: np.random.Generator) -> None:
    from PIL import Image  # noqa: PLC0415

    image = _text_page_image(corpus.BUS_TIMES, dpi=160, width=520, height=430, size=11)
    turned = image.rotate(2.1, resample=Image.Resampling.BICUBIC, fillcolor=225)
    _photo(turned, rng).save(path, compression="jpeg", quality=80)


def make(folder: Path = DOCS) -> dict[str, list[str]]:
    """Write every document into ``folder``; returns the scans' and photos' reference texts."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(corpus.SEED)
    _word(folder / "mortgage-offer.docx", corpus.MORTGAGE, "Thornbury Building Society")
    _writer(folder / "hall-hire-agreement.odt", corpus.HALL_HIRE)
    _rtf_letter(folder / "jury-summons.rtf", corpus.JURY)
    _workbook(folder / "chores-and-pocket-money.xlsx", corpus.CHORES)
    write_ods(folder / "10k-training-plan.ods", corpus.TRAINING)
    write_pptx(folder / "solar-panels-proposal.pptx", corpus.SOLAR_SLIDES)
    _impress(folder / "choir-concert.odp", corpus.CHOIR_SLIDES)
    _epub3(folder / "bike-care-guide.epub", corpus.BIKE_GUIDE, "Keep Rolling", "Owen Pemberton")
    receipt = _pdf_doc(corpus.SOFA_RECEIPT, [230, 110, 100]).tobytes(garbage=3, deflate=True)
    _mail(folder / "sofa-delivery.eml", corpus.SOFA_MAIL,
          (Path(corpus.ATTACHMENT).name, bytes(receipt)))
    _pdf_doc(corpus.PAYSLIP, [190, 140, 140]).save(str(folder / "payslip-november.pdf"),
                                                   garbage=3, deflate=True)
    _tv_licence(folder / "tv-licence-scan.pdf", rng)
    _club(folder / "holiday-club-booking.pdf", rng)
    _planning(folder / "planning-notice-photo.jpg", rng)
    _receipt(folder / "garden-centre-receipt.png", rng)
    _card(folder / "missed-delivery-card.webp", rng)
    _timetable(folder / "bus-timetable-photo.tiff", rng)
    _markdown(folder / "house-notes.md", corpus.HOUSE_NOTES)
    (folder / "birthdays-and-sizes.txt").write_text("\n".join(corpus.BIRTHDAYS) + "\n",
                                                     encoding="utf-8")
    _web_page(folder / "bin-collections.html", corpus.BINS)
    return {"tv-licence-scan.pdf": corpus.TV_LICENCE,
            "holiday-club-booking.pdf#2": list(corpus.HOLIDAY_CLUB["scanned_page"]),
            "planning-notice-photo.jpg": corpus.PLANNING_NOTICE,
            "garden-centre-receipt.png": corpus.GARDEN_RECEIPT,
            "missed-delivery-card.webp": corpus.DELIVERY_CARD,
            "bus-timetable-photo.tiff": corpus.BUS_TIMES}


def main() -> None:
    scans: dict[str, Any] = make()
    SCANS.write_text(json.dumps(scans, indent=1) + "\n", encoding="utf-8")
    (DATA / "questions.json").write_text(json.dumps(corpus.questions(), indent=1) + "\n",
                                         encoding="utf-8")
    for path in sorted(DOCS.iterdir()):
        print(f"{path.stat().st_size:>9}  {path.name}")


if __name__ == "__main__":
    if sys.argv[1:]:
        raise SystemExit("usage: python -m benchmarks.formats_make_holdout4")
    main()
