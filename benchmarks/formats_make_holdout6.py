"""Write the holdout6 set's files: each text of `formats_holdout6` in its format.

`python -m benchmarks.formats_make_holdout6` (re)writes `benchmarks/data/formats_holdout6/
documents/`, `questions.json` and `scans.json`. Deterministic texts and pixels (seeded noise).
Reused: the first set's spreadsheet (ods), deck (pptx), scan and photo writers (`formats_make`),
the third set's OpenDocument text, workbook, RTF letter and printed-PDF writers
(`formats_make_holdout3`) and the fourth set's Word, Impress (odp) and EPUB 3 writers
(`formats_make_holdout4`). Written here, because the earlier ones are tied to their own texts:
the mail, the PDF with a scanned page, the Markdown notes and the saved booking page. Photos: a
car boot sale poster on a school gate (JPEG), a recycling centre van permit (lossy WebP) and a
family's weekly whiteboard (TIFF with JPEG compression); a bakery's cake order slip (PNG) and an
angling club's season ticket (image-only PDF) are scans.
"""

from __future__ import annotations

import json
import sys
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np

from benchmarks import formats_holdout6 as corpus
from benchmarks import formats_holdout6_pages as pages
from benchmarks.formats_make import (
    _image_pdf,
    _photo,
    _scan,
    _text_page_image,
    write_ods,
    write_pptx,
)
from benchmarks.formats_make_holdout3 import _pdf_doc, _rtf_letter, _workbook, _writer
from benchmarks.formats_make_holdout4 import _epub3, _impress, _word

DATA = Path(__file__).parent / "data" / "formats_holdout6"
DOCS = DATA / "documents"
SCANS = DATA / "scans.json"
"""The text each scanned page or photo shows: the reference for OCR character accuracy."""


def _mail(path: Path, mail: dict[str, Any], attachment: tuple[str, bytes]) -> None:
    """A festival's ticket mail: plain text and HTML bodies, the invoice as a PDF."""
    message = EmailMessage()
    message["From"], message["To"] = str(mail["from"]), str(mail["to"])
    message["Date"], message["Subject"] = str(mail["date"]), str(mail["subject"])
    message["Message-ID"] = "<FF27-30815.tickets@fernlight-festival.example>"
    paragraphs = [str(p) for p in mail["body"]]
    message.set_content("\n\n".join(paragraphs) + "\n")
    message.add_alternative('<html><body style="font-family:Arial;color:#222"><div '
                            'class="wrapper">' + "".join(f"<p>{escape(p)}</p>"
                                                         for p in paragraphs)
                            + "</div></body></html>\n", subtype="html")
    name, content = attachment
    message.add_attachment(content, maintype="application", subtype="pdf", filename=name)
    path.write_bytes(message.as_bytes())


def _tree_quote(path: Path, rng: np.random.Generator) -> None:
    """The printed tree surgery quote, then the signed acceptance form scanned in (no text)."""
    data = pages.TREE_QUOTE
    doc = _pdf_doc(data, [190, 170, 100])
    page = _scan(_text_page_image(list(data["scanned_page"]), dpi=200, size=11), rng,
                 angle=-1.1, noise=5)
    doc.insert_pdf(_image_pdf([page], 200))
    doc.save(str(path), garbage=3, deflate=True)


def _markdown(path: Path, data: dict[str, Any]) -> None:
    """Notes kept in a Markdown file: a numbered list, a pipe table, bullets."""
    head, *rows = data["table"]
    out = [f"# {data['title']}", "", "## Set-up", ""]
    out += [f"{n}. {line}" for n, line in enumerate(data["setup"], 1)]
    out += ["", "## Who lives in it", "", "| " + " | ".join(head) + " |",
            "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    out += ["", "## Looking after them", ""] + [f"- {line}" for line in data["rules"]]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _booking_page(path: Path, data: dict[str, Any]) -> None:
    """An escape room's booking confirmation saved from a browser: banner, styles, a table."""
    head, *rows = data["table"]
    table = ("<table class=\"players\"><thead><tr>" + "".join(
        f"<th>{escape(h)}</th>" for h in head) + "</tr></thead><tbody>" + "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
        + "</tbody></table>")
    notes = "".join(f"<p>{escape(s)}</p>" for s in data["sentences"])
    path.write_text(
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n<title>Your '
        "booking | Locked In Ravensholme</title>\n<style>.players td{padding:4px}</style>\n"
        "<script>var basket = {items: 0};</script>\n</head>\n<body>\n<nav><a href=\"/\">Home"
        "</a> <a href=\"/rooms\">Our rooms</a> <a href=\"/gift\">Gift vouchers</a></nav>\n"
        "<div class=\"banner\">Sign up to our newsletter for new rooms first.</div>\n"
        f"<main>\n<h1>{escape(data['title'])}</h1>\n{table}\n<section>{notes}</section>\n"
        "</main>\n<footer>Locked In Ravensholme Ltd, Foundry Street. All rights reserved."
        "</footer>\n</body>\n</html>\n", encoding="utf-8")


def _fishing_permit(path: Path, rng: np.random.Generator) -> None:
    page = _scan(_text_page_image(pages.FISHING_PERMIT, dpi=200, width=520, height=520,
                                  size=11), rng, angle=2.1, noise=6)
    _image_pdf([page], 200).save(str(path), garbage=3, deflate=True)


def _poster(path: Path, rng: np.random.Generator) -> None:
    from PIL import Image  # noqa: PLC0415

    image = _text_page_image(pages.CAR_BOOT, dpi=150, width=440, height=520, size=14)
    turned = image.rotate(2.6, resample=Image.Resampling.BICUBIC, fillcolor=225)
    _photo(turned, rng).save(path, quality=70)


def _cake_slip(path: Path, rng: np.random.Generator) -> None:
    """A bakery's order slip in Courier on a flatbed at 220 dpi, a little askew, as PNG."""
    image = _text_page_image(pages.BAKERY_SLIP, dpi=220, width=300, height=460, size=9,
                             font="cour")
    _scan(image, rng, angle=-1.5, noise=4).save(path, optimize=True)


def _van_permit(path: Path, rng: np.random.Generator) -> None:
    from PIL import Image  # noqa: PLC0415

    image = _text_page_image(pages.RECYCLING_PERMIT, dpi=180, width=430, height=320,
                             size=11)
    turned = image.rotate(-1.6, resample=Image.Resampling.BICUBIC, fillcolor=230)
    _photo(turned, rng).save(path, "WEBP", quality=70, method=4)


def _whiteboard(path: Path, rng: np.random.Generator) -> None:
    from PIL import Image  # noqa: PLC0415

    image = _text_page_image(pages.WHITEBOARD, dpi=150, width=500, height=400, size=13,
                             font="tiro")
    turned = image.rotate(2.0, resample=Image.Resampling.BICUBIC, fillcolor=220)
    _photo(turned, rng).save(path, compression="jpeg", quality=75)


def make(folder: Path = DOCS) -> dict[str, list[str]]:
    """Write every document into ``folder``; returns the scans' and photos' reference texts."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(corpus.SEED)
    _word(folder / "dog-adoption-contract.docx", corpus.ADOPTION, "Ravensholme Dog Rescue")
    _writer(folder / "mooring-licence.odt", corpus.MOORING)
    _rtf_letter(folder / "blood-donor-letter.rtf", corpus.BLOOD_LETTER)
    _workbook(folder / "house-move-planner.xlsx", corpus.HOUSE_MOVE)
    write_ods(folder / "chess-club-ladder.ods", corpus.CHESS_CLUB)
    write_pptx(folder / "family-reunion.pptx", corpus.REUNION_SLIDES)
    _impress(folder / "beekeeping-course.odp", corpus.BEES_SLIDES)
    _epub3(folder / "backyard-hens-guide.epub", corpus.HENS, "The Backyard Flock",
           "Cordelia Penhaligon")
    invoice = _pdf_doc(corpus.FESTIVAL_INVOICE, [230, 60, 120]).tobytes(garbage=3,
                                                                         deflate=True)
    _mail(folder / "festival-tickets.eml", corpus.FESTIVAL_MAIL,
          (Path(corpus.ATTACHMENT).name, bytes(invoice)))
    _pdf_doc(corpus.CHARGER, [200, 140, 110]).save(str(folder / "ev-charger-certificate.pdf"),
                                                   garbage=3, deflate=True)
    _fishing_permit(folder / "fishing-permit-scan.pdf", rng)
    _tree_quote(folder / "tree-surgery-quote.pdf", rng)
    _poster(folder / "car-boot-sale-poster.jpg", rng)
    _cake_slip(folder / "cake-order-slip.png", rng)
    _van_permit(folder / "recycling-van-permit.webp", rng)
    _whiteboard(folder / "family-whiteboard.tiff", rng)
    _markdown(folder / "fish-tank-notes.md", pages.AQUARIUM)
    (folder / "school-run-car-share.txt").write_text("\n\n".join(pages.CARPOOL) + "\n",
                                                     encoding="utf-8")
    _booking_page(folder / "escape-room-booking.html", pages.ESCAPE_ROOM)
    return {"fishing-permit-scan.pdf": pages.FISHING_PERMIT,
            "tree-surgery-quote.pdf#2": list(pages.TREE_QUOTE["scanned_page"]),
            "car-boot-sale-poster.jpg": pages.CAR_BOOT,
            "cake-order-slip.png": pages.BAKERY_SLIP,
            "recycling-van-permit.webp": pages.RECYCLING_PERMIT,
            "family-whiteboard.tiff": pages.WHITEBOARD}


def main() -> None:
    scans: dict[str, Any] = make()
    SCANS.write_text(json.dumps(scans, indent=1) + "\n", encoding="utf-8")
    (DATA / "questions.json").write_text(json.dumps(corpus.questions(), indent=1) + "\n",
                                         encoding="utf-8")
    for path in sorted(DOCS.iterdir()):
        print(f"{path.stat().st_size:>9}  {path.name}")


if __name__ == "__main__":
    if sys.argv[1:]:
        raise SystemExit("usage: python -m benchmarks.formats_make_holdout6")
    main()
