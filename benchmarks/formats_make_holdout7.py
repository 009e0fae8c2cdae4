"""Write the holdout7 set's files: each text of `formats_holdout7` in its format.

`python -m benchmarks.formats_make_holdout7` (re)writes `benchmarks/data/formats_holdout7/
documents/`, `questions.json` and `scans.json`. Deterministic texts and pixels (seeded noise).
Reused: the first set's spreadsheet (ods), deck (pptx), scan and photo writers (`formats_make`),
the third set's OpenDocument text, workbook, RTF letter and printed-PDF writers
(`formats_make_holdout3`) and the fourth set's Word, Impress (odp) and EPUB 3 writers
(`formats_make_holdout4`). Written here, because the earlier ones are tied to their own texts:
the mail, the PDF with a scanned page, the Markdown kit list and the saved order page. Photos: a
lost cat poster on a lamp post (JPEG), a yoga class flyer (lossy WebP) and a grandmother's recipe
card (TIFF with JPEG compression); a pharmacy's prescription slip (PNG) and a parking penalty
notice (image-only PDF) are scans.
"""

from __future__ import annotations

import json
import sys
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np

from benchmarks import formats_holdout7 as corpus
from benchmarks import formats_holdout7_pages as pages
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

DATA = Path(__file__).parent / "data" / "formats_holdout7"
DOCS = DATA / "documents"
SCANS = DATA / "scans.json"
"""The text each scanned page or photo shows: the reference for OCR character accuracy."""


def _mail(path: Path, mail: dict[str, Any], attachment: tuple[str, bytes]) -> None:
    """A repair shop's mail: plain text and HTML bodies (a table layout), the invoice as a PDF."""
    message = EmailMessage()
    message["From"], message["To"] = str(mail["from"]), str(mail["to"])
    message["Date"], message["Subject"] = str(mail["date"]), str(mail["subject"])
    message["Message-ID"] = "<PF-20417.ready@pixelfix.example>"
    paragraphs = [str(p) for p in mail["body"]]
    message.set_content("\n\n".join(paragraphs) + "\n")
    rows = "".join(f"<tr><td style=\"padding:6px 0\">{escape(p)}</td></tr>" for p in paragraphs)
    message.add_alternative('<html><head><style>td{font-family:Verdana}</style></head><body>'
                            '<table role="presentation" width="600">' + rows
                            + "</table></body></html>\n", subtype="html")
    name, content = attachment
    message.add_attachment(content, maintype="application", subtype="pdf", filename=name)
    path.write_bytes(message.as_bytes())


def _carpet_quote(path: Path, rng: np.random.Generator) -> None:
    """The printed carpet quote, then the signed order form scanned in (no text layer)."""
    data = pages.CARPET_QUOTE
    doc = _pdf_doc(data, [170, 210, 90])
    page = _scan(_text_page_image(list(data["scanned_page"]), dpi=200, size=11), rng,
                 angle=1.3, noise=5)
    doc.insert_pdf(_image_pdf([page], 200))
    doc.save(str(path), garbage=3, deflate=True)


def _markdown(path: Path, data: dict[str, Any]) -> None:
    """A camping kit list kept in Markdown: bullets, a pipe table, a numbered list."""
    head, *rows = data["table"]
    out = [f"# {data['title']}", "", "## The trip", ""] + [f"- {line}" for line in data["trip"]]
    out += ["", "## Kit", "", "| " + " | ".join(head) + " |",
            "| " + " | ".join(":--" for _ in head) + " |"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    out += ["", "## Reminders", ""] + [f"{n}. {line}" for n, line in enumerate(data["notes"], 1)]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _order_page(path: Path, data: dict[str, Any]) -> None:
    """A farm shop's order confirmation saved from a browser: header, styles, a table."""
    head, *rows = data["table"]
    table = ("<table class=\"basket\"><thead><tr>" + "".join(
        f"<th>{escape(h)}</th>" for h in head) + "</tr></thead><tbody>" + "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
        + "</tbody></table>")
    notes = "".join(f"<p>{escape(s)}</p>" for s in data["sentences"])
    path.write_text(
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n<title>Order '
        "confirmed | Hollowmere Farm Shop</title>\n<style>.basket th{text-align:left}</style>\n"
        "<script>window.dataLayer = window.dataLayer || [];</script>\n</head>\n<body>\n"
        "<header><a href=\"/\">Hollowmere Farm Shop</a> <a href=\"/christmas\">Christmas</a> "
        "<a href=\"/account\">My account</a></header>\n<aside class=\"cookie\">We use cookies "
        "to make this site work. <button>Accept</button></aside>\n"
        f"<main>\n<h1>{escape(data['title'])}</h1>\n{table}\n<section>{notes}</section>\n"
        "</main>\n<footer>Hollowmere Farm Shop, Mill Road. Registered in England.</footer>\n"
        "</body>\n</html>\n", encoding="utf-8")


def _parking_fine(path: Path, rng: np.random.Generator) -> None:
    page = _scan(_text_page_image(pages.PARKING_FINE, dpi=200, width=520, height=500,
                                  size=11), rng, angle=-1.8, noise=6)
    _image_pdf([page], 200).save(str(path), garbage=3, deflate=True)


def _cat_poster(path: Path, rng: np.random.Generator) -> None:
    from PIL import Image  # noqa: PLC0415

    image = _text_page_image(pages.LOST_CAT, dpi=150, width=440, height=560, size=14)
    turned = image.rotate(-2.4, resample=Image.Resampling.BICUBIC, fillcolor=225)
    _photo(turned, rng).save(path, quality=70)


def _prescription(path: Path, rng: np.random.Generator) -> None:
    """A pharmacy's bag slip in Courier on a flatbed at 220 dpi, a little askew, as PNG."""
    image = _text_page_image(pages.PRESCRIPTION, dpi=220, width=300, height=480, size=9,
                             font="cour")
    _scan(image, rng, angle=1.2, noise=4).save(path, optimize=True)


def _yoga_flyer(path: Path, rng: np.random.Generator) -> None:
    from PIL import Image  # noqa: PLC0415

    image = _text_page_image(pages.YOGA_FLYER, dpi=180, width=430, height=380, size=11)
    turned = image.rotate(1.7, resample=Image.Resampling.BICUBIC, fillcolor=230)
    _photo(turned, rng).save(path, "WEBP", quality=70, method=4)


def _recipe_card(path: Path, rng: np.random.Generator) -> None:
    from PIL import Image  # noqa: PLC0415

    image = _text_page_image(pages.RECIPE_CARD, dpi=150, width=500, height=520, size=13,
                             font="tiro")
    turned = image.rotate(-2.0, resample=Image.Resampling.BICUBIC, fillcolor=220)
    _photo(turned, rng).save(path, compression="jpeg", quality=75)


def make(folder: Path = DOCS) -> dict[str, list[str]]:
    """Write every document into ``folder``; returns the scans' and photos' reference texts."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(corpus.SEED)
    _word(folder / "pet-insurance-policy.docx", corpus.PET_POLICY, "Bramblecover Pet Insurance")
    _writer(folder / "school-uniform-list.odt", corpus.UNIFORM)
    _rtf_letter(folder / "hearing-test-letter.rtf", corpus.HEARING_LETTER)
    _workbook(folder / "wedding-planner.xlsx", corpus.WEDDING)
    write_ods(folder / "cricket-club-averages.ods", corpus.CRICKET)
    write_pptx(folder / "loft-conversion-proposal.pptx", corpus.LOFT_SLIDES)
    _impress(folder / "first-aid-course.odp", corpus.FIRST_AID_SLIDES)
    _epub3(folder / "composting-guide.epub", corpus.COMPOST, "Black Gold",
           "Leofric Amberley-Shah")
    invoice = _pdf_doc(corpus.REPAIR_INVOICE, [230, 70, 110]).tobytes(garbage=3, deflate=True)
    _mail(folder / "laptop-repair.eml", corpus.REPAIR_MAIL,
          (Path(corpus.ATTACHMENT).name, bytes(invoice)))
    _pdf_doc(corpus.EPC, [220, 140, 110]).save(str(folder / "energy-certificate.pdf"),
                                               garbage=3, deflate=True)
    _parking_fine(folder / "parking-fine-scan.pdf", rng)
    _carpet_quote(folder / "carpet-fitting-quote.pdf", rng)
    _cat_poster(folder / "lost-cat-poster.jpg", rng)
    _prescription(folder / "prescription-slip.png", rng)
    _yoga_flyer(folder / "yoga-class-flyer.webp", rng)
    _recipe_card(folder / "recipe-card.tiff", rng)
    _markdown(folder / "camping-kit-list.md", pages.KIT_LIST)
    (folder / "tradespeople.txt").write_text("\n\n".join(pages.TRADESPEOPLE) + "\n",
                                             encoding="utf-8")
    _order_page(folder / "christmas-food-order.html", pages.FOOD_ORDER)
    return {"parking-fine-scan.pdf": pages.PARKING_FINE,
            "carpet-fitting-quote.pdf#2": list(pages.CARPET_QUOTE["scanned_page"]),
            "lost-cat-poster.jpg": pages.LOST_CAT,
            "prescription-slip.png": pages.PRESCRIPTION,
            "yoga-class-flyer.webp": pages.YOGA_FLYER,
            "recipe-card.tiff": pages.RECIPE_CARD}


def main() -> None:
    scans: dict[str, Any] = make()
    SCANS.write_text(json.dumps(scans, indent=1) + "\n", encoding="utf-8")
    (DATA / "questions.json").write_text(json.dumps(corpus.questions(), indent=1) + "\n",
                                         encoding="utf-8")
    for path in sorted(DOCS.iterdir()):
        print(f"{path.stat().st_size:>9}  {path.name}")


if __name__ == "__main__":
    if sys.argv[1:]:
        raise SystemExit("usage: python -m benchmarks.formats_make_holdout7")
    main()
