"""Write the holdout5 set's files: each text of `formats_holdout5` in its format.

`python -m benchmarks.formats_make_holdout5` (re)writes `benchmarks/data/formats_holdout5/
documents/`, `questions.json` and `scans.json`. Deterministic texts and pixels (seeded noise).
Reused: the first set's spreadsheet (ods), deck (pptx), scan and photo writers (`formats_make`),
the third set's OpenDocument text, workbook, RTF letter and printed-PDF writers
(`formats_make_holdout3`) and the fourth set's Word, Impress (odp) and EPUB 3 writers
(`formats_make_holdout4`). Written here, because the earlier ones are tied to their own texts:
the mail, the PDF with a scanned page, the Markdown notes and the saved booking page. Photos: a
road closure notice on a lamp post (JPEG), a museum membership card (lossy WebP) and the library's
opening hours on its door (TIFF with JPEG compression); a dry cleaner's ticket (PNG) and a poll
card (image-only PDF) are scans.
"""

from __future__ import annotations

import json
import sys
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np

from benchmarks import formats_holdout5 as corpus
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

DATA = Path(__file__).parent / "data" / "formats_holdout5"
DOCS = DATA / "documents"
SCANS = DATA / "scans.json"
"""The text each scanned page or photo shows: the reference for OCR character accuracy."""


def _mail(path: Path, mail: dict[str, Any], attachment: tuple[str, bytes]) -> None:
    """A driving school's booking mail: plain text and HTML bodies, the invoice as a PDF."""
    message = EmailMessage()
    message["From"], message["To"] = str(mail["from"]), str(mail["to"])
    message["Date"], message["Subject"] = str(mail["date"]), str(mail["subject"])
    message["Message-ID"] = "<GDS-6624.booking@greenlight-driving.example>"
    paragraphs = [str(p) for p in mail["body"]]
    message.set_content("\n\n".join(paragraphs) + "\n")
    message.add_alternative('<html><body style="font-family:Verdana"><table width="600"><tr><td>'
                            + "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
                            + "</td></tr></table></body></html>\n", subtype="html")
    name, content = attachment
    message.add_attachment(content, maintype="application", subtype="pdf", filename=name)
    path.write_bytes(message.as_bytes())


def _optician(path: Path, rng: np.random.Generator) -> None:
    """The printed eye test summary, then the signed spectacle order scanned in (no text)."""
    data = corpus.OPTICIAN
    doc = _pdf_doc(data, [90, 90, 90, 90])
    page = _scan(_text_page_image(list(data["scanned_page"]), dpi=200, size=11), rng,
                 angle=1.4, noise=5)
    doc.insert_pdf(_image_pdf([page], 200))
    doc.save(str(path), garbage=3, deflate=True)


def _markdown(path: Path, data: dict[str, Any]) -> None:
    """Notes kept in a Markdown file: a numbered list, a pipe table, bullets."""
    head, *rows = data["table"]
    out = [f"# {data['title']}", "", "## Wifi and internet", ""]
    out += [f"{n}. {line}" for n, line in enumerate(data["wifi"], 1)]
    out += ["", "## Devices", "", "| " + " | ".join(head) + " |",
            "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    out += ["", "## House rules", ""] + [f"* {line}" for line in data["rules"]]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _booking_page(path: Path, data: dict[str, Any]) -> None:
    """A theatre's booking confirmation saved from a browser: a cookie banner, a script, a table."""
    head, *rows = data["table"]
    table = ("<table><caption>Your seats</caption><tr>" + "".join(
        f"<th>{escape(h)}</th>" for h in head) + "</tr>" + "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
        + "</table>")
    notes = "".join(f"<li>{escape(s)}</li>" for s in data["sentences"])
    path.write_text(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Order '
        "confirmation | Kelsworth Playhouse</title>\n<script>window.dataLayer = [];</script>\n"
        "</head>\n<body>\n<div class=\"cookies\">We use cookies to make this site work. "
        "<button>Accept</button></div>\n<header><a href=\"/\">Kelsworth Playhouse</a> | "
        "<a href=\"/whats-on\">What's on</a> | <a href=\"/basket\">Basket</a></header>\n"
        f"<main>\n<h2>{escape(data['title'])}</h2>\n{table}\n<ul>{notes}</ul>\n</main>\n"
        "<footer>Kelsworth Playhouse, Dock Road, Kelsworth. Registered charity.</footer>\n"
        "</body>\n</html>\n", encoding="utf-8")


def _poll_card(path: Path, rng: np.random.Generator) -> None:
    page = _scan(_text_page_image(corpus.POLLING_CARD, dpi=200, width=500, height=560,
                                  size=11.5), rng, angle=-1.9, noise=6)
    _image_pdf([page], 200).save(str(path), garbage=3, deflate=True)


def _road_closure(path: Path, rng: np.random.Generator) -> None:
    from PIL import Image  # noqa: PLC0415

    image = _text_page_image(corpus.STREET_PARTY, dpi=160, size=13)
    turned = image.rotate(-2.2, resample=Image.Resampling.BICUBIC, fillcolor=230)
    _photo(turned, rng).save(path, quality=70)


def _ticket(path: Path, rng: np.random.Generator) -> None:
    """A dry cleaner's ticket in Courier on a flatbed at 250 dpi, a little askew, as PNG."""
    image = _text_page_image(corpus.DRY_CLEANING, dpi=250, width=300, height=470, size=9,
                             font="cour")
    _scan(image, rng, angle=1.2, noise=4).save(path, optimize=True)


def _museum_card(path: Path, rng: np.random.Generator) -> None:
    from PIL import Image  # noqa: PLC0415

    image = _text_page_image(corpus.MUSEUM_CARD, dpi=180, width=420, height=330, size=11,
                             font="tiro")
    turned = image.rotate(1.8, resample=Image.Resampling.BICUBIC, fillcolor=230)
    _photo(turned, rng).save(path, "WEBP", quality=70, method=4)


def _library(path: Path, rng: np.random.Generator) -> None:
    from PIL import Image  # noqa: PLC0415

    image = _text_page_image(corpus.LIBRARY_HOURS, dpi=160, width=440, height=470, size=12)
    turned = image.rotate(-2.4, resample=Image.Resampling.BICUBIC, fillcolor=225)
    _photo(turned, rng).save(path, compression="jpeg", quality=75)


def make(folder: Path = DOCS) -> dict[str, list[str]]:
    """Write every document into ``folder``; returns the scans' and photos' reference texts."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(corpus.SEED)
    _word(folder / "car-hire-agreement.docx", corpus.CAR_HIRE, "Roadway Car Rental")
    _writer(folder / "braces-treatment-plan.odt", corpus.BRACES)
    _rtf_letter(folder / "wills-appointment-letter.rtf", corpus.WILLS_LETTER)
    _workbook(folder / "subscriptions-and-savings.xlsx", corpus.SUBSCRIPTIONS)
    write_ods(folder / "weekly-meal-plan.ods", corpus.MEAL_PLAN)
    write_pptx(folder / "fjords-cruise.pptx", corpus.CRUISE_SLIDES)
    _impress(folder / "book-club-programme.odp", corpus.BOOK_CLUB_SLIDES)
    _epub3(folder / "sourdough-guide.epub", corpus.SOURDOUGH, "Crust and Crumb",
           "Ingrid Halvorsen")
    invoice = _pdf_doc(corpus.LESSONS_INVOICE, [220, 110, 170]).tobytes(garbage=3, deflate=True)
    _mail(folder / "driving-lessons-booking.eml", corpus.LESSONS_MAIL,
          (Path(corpus.ATTACHMENT).name, bytes(invoice)))
    _pdf_doc(corpus.GAS_SAFETY, [190, 120, 190]).save(str(folder / "gas-safety-record.pdf"),
                                                      garbage=3, deflate=True)
    _poll_card(folder / "poll-card-scan.pdf", rng)
    _optician(folder / "eye-test-and-glasses.pdf", rng)
    _road_closure(folder / "road-closure-photo.jpg", rng)
    _ticket(folder / "dry-cleaning-ticket.png", rng)
    _museum_card(folder / "museum-membership-card.webp", rng)
    _library(folder / "library-hours-photo.tiff", rng)
    _markdown(folder / "gadgets-and-wifi.md", corpus.TECH_NOTES)
    (folder / "veg-patch-notes.txt").write_text("\n\n".join(corpus.VEG_PATCH) + "\n",
                                                encoding="utf-8")
    _booking_page(folder / "panto-tickets.html", corpus.PANTO)
    return {"poll-card-scan.pdf": corpus.POLLING_CARD,
            "eye-test-and-glasses.pdf#2": list(corpus.OPTICIAN["scanned_page"]),
            "road-closure-photo.jpg": corpus.STREET_PARTY,
            "dry-cleaning-ticket.png": corpus.DRY_CLEANING,
            "museum-membership-card.webp": corpus.MUSEUM_CARD,
            "library-hours-photo.tiff": corpus.LIBRARY_HOURS}


def main() -> None:
    scans: dict[str, Any] = make()
    SCANS.write_text(json.dumps(scans, indent=1) + "\n", encoding="utf-8")
    (DATA / "questions.json").write_text(json.dumps(corpus.questions(), indent=1) + "\n",
                                         encoding="utf-8")
    for path in sorted(DOCS.iterdir()):
        print(f"{path.stat().st_size:>9}  {path.name}")


if __name__ == "__main__":
    if sys.argv[1:]:
        raise SystemExit("usage: python -m benchmarks.formats_make_holdout5")
    main()
