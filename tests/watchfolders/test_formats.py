"""Every format a household has, read by the real readers: the benchmark's real files (written by
python-docx, openpyxl, python-pptx, odfpy, PyMuPDF, the email package), a real OCR of a scanned
receipt, and the bad cases (an encrypted docx made by msoffcrypto-tool, a corrupt xlsx, an empty
mail, a photo with no text, a 500-page scan over the page limit) each with its reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from nimbus.daemon.config import OcrConfig
from nimbus.watchfolders.errors import ExtractError
from nimbus.watchfolders.extract import extract_document, unwrap
from nimbus.watchfolders.ocr import Ocr
from nimbus.watchfolders.tables import table_lines
from tests.watchfolders.helpers import blank_photo, encrypted_docx, long_scan

DOCS = Path(__file__).parents[2] / "benchmarks" / "data" / "formats" / "documents"


def read(name: str, ocr: Ocr | None = None) -> str:
    path = DOCS / name
    return "\n".join(p.text for p in extract_document(path, path.read_bytes(), ocr=ocr).pages)


def test_tables_carry_their_headers() -> None:
    rows = [["Cover", "Limit", "Excess"], ["Theft", "Market value", "250 pounds"],
            ["", "", ""], ["Windscreen", "Unlimited", "90 pounds"]]
    assert table_lines(rows) == ["Theft: Limit Market value, Excess 250 pounds.",
                                 "Windscreen: Limit Unlimited, Excess 90 pounds."]
    assert table_lines([["Week starting", "Watering"], ["13 April", "Dev"]],
                       caption="Sheet Rota") == ["Sheet Rota.", "Week starting 13 April: "
                                                 "Watering Dev."]
    assert table_lines([["Item", "Detail"], ["Padlock code", 7391]]) == ["Padlock code: 7391."]
    assert table_lines([["January", 96.4, None], ["Note only"]]) == ["January, 96.40.",
                                                                    "Note only."]


def test_unwrap_joins_wrapped_lines_only() -> None:
    text = ("Every night at nine o'clock, Captain Bramble the cat climbed the\n117 steps.\n"
            "Policy number: HMM-5580-2214\nPolicyholder: Thomas Hollis\nMonth\nGas")
    assert unwrap(text).split("\n") == [
        "Every night at nine o'clock, Captain Bramble the cat climbed the 117 steps.",
        "Policy number: HMM-5580-2214", "Policyholder: Thomas Hollis", "Month", "Gas"]


@pytest.mark.parametrize(("name", "expected"), [
    ("school-trip-letter.docx", ["12 February 2027",
                                 "Otters: Leader Miss Brennan, Meeting point Blue whale hall."]),
    ("babysitter-notes.odt", ["Wi-Fi password: puffin-lantern-42",
                              "Dr Ahmed: Relation GP surgery, Phone 01632 960 450."]),
    ("lemon-drizzle-recipe.rtf", ["Oven: 180 C (160 C fan), gas mark 4."]),
    ("household-budget.xlsx", ["Sheet Monthly bills.", "Month February: Electricity 88.75, "
                               "Gas 109.60, Water 38.20, Broadband 32.00."]),
    ("allotment-rota.ods", ["Week starting 27 April: Watering Priya, Weeding Dev, Job Plant "
                            "potatoes.", "Padlock code: 7391."]),
    ("neighbourhood-watch-meeting.pptx", ["Our new coordinator is Farida Haque."]),
    ("garden-birds-guide.epub", ["Fix a nest box 2 to 4 metres up a tree or wall, facing "
                                 "between north and east."]),
    ("bedtime-story.fb2", ["Captain Bramble the cat climbed the 117 steps of the Gull Point"]),
    ("dentist-appointment.eml", ["From: Riverside Dental Practice", "Subject: Your check-up "
                                 "appointment on 3 February", "Attachments: dental-price-list.pdf",
                                 "Dr Miriam Lowe on Wednesday 3 February 2027 at 10:40 am"]),
    ("car-insurance-schedule.pdf", ["Renewal date: 14 March 2027",
                                    "Theft: Limit Market value, Excess 250 pounds."]),
])
def test_each_format_is_read(name: str, expected: list[str]) -> None:
    text = read(name)
    for fact in expected:
        assert fact in text


def test_mail_attachment_is_handed_back() -> None:
    path = DOCS / "dentist-appointment.eml"
    extracted = extract_document(path, path.read_bytes())
    assert [a.name for a in extracted.attachments] == ["dental-price-list.pdf"]
    price_list = extract_document(Path("dental-price-list.pdf"), extracted.attachments[0].data)
    assert "Filling: Band Band 2, Price 73.50 pounds." in price_list.pages[0].text


def test_scanned_receipt_is_read_by_ocr() -> None:
    done: list[tuple[int, int]] = []
    ocr = Ocr(OcrConfig(), lambda page, total: done.append((page, total)))
    path = DOCS / "washing-machine-receipt.png"
    pages = extract_document(path, path.read_bytes(), ocr=ocr).pages
    assert pages[0].ocr
    assert "Total 589.00" in pages[0].text
    assert "Paid by Visa ending 4821" in pages[0].text
    assert done == [(1, 1)]


@pytest.mark.parametrize(("name", "data", "code", "words"), [
    ("letter.docx", encrypted_docx(), "encrypted_document", "password-protected"),
    ("budget.xlsx", (DOCS / "household-budget.xlsx").read_bytes()[:2000], "corrupt_document",
     "not a readable .xlsx"),
    ("old.docx", b"PK\x03\x04 not really a zip", "corrupt_document", "not a readable .docx"),
    ("mail.eml", b"", "empty", "empty"),
    ("blank.jpg", blank_photo(), "no_text", "OCR found no text"),
    ("junk.png", b"\x89PNG\r\n\x1a\n broken", "corrupt_image", "not a readable image"),
    ("scan.pdf", long_scan(500), "ocr_page_limit", "500 pages need OCR"),
    ("archive.7z", b"7z\xbc\xaf\x27\x1c", "unsupported_type", "'.7z' are not read"),
])
def test_unreadable_files_say_why(name: str, data: bytes, code: str, words: str) -> None:
    with pytest.raises(ExtractError) as info:
        extract_document(Path(name), data, ocr=Ocr(OcrConfig(max_pages=5)))
    assert info.value.code == code
    assert words in info.value.message


def test_ocr_can_be_switched_off() -> None:
    path = DOCS / "washing-machine-receipt.png"
    with pytest.raises(ExtractError) as info:
        extract_document(path, path.read_bytes(), ocr=Ocr(OcrConfig(enabled=False)))
    assert info.value.code == "ocr_disabled"
