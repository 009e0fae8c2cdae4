"""A question about a file Nimbus could not read is answered with the file's name and why."""

from __future__ import annotations

from nimbus.handlers.responding.unreadable import cannot_read, name_words

DOCS = [
    ("/home/w/school-trip-letter.docx", "failed",
     "the .docx file is password-protected (encrypted); cannot read it"),
    ("/home/w/scan-0042.pdf", "failed", "500 pages need OCR, more than ocr.max_pages = 5"),
    ("/home/w/car-insurance-schedule.pdf", "indexed", ""),
    ("/home/w/car-insurance-letter.docx", "skipped", "files of type '.docx' are not read"),
]


def test_name_words() -> None:
    # As their roots ("letter" is also read as "let", the comparative of an adjective).
    assert name_words("/x/school-trip-letter.docx") == {"school", "trip", "letter", "let"}
    assert name_words("/x/IMG_2041.jpg") == set()
    assert name_words("/x/CarInsurance.pdf") == {"car", "insure"}  # its family's root


def test_a_question_naming_an_unreadable_file_gets_why() -> None:
    answer = cannot_read("What does the school letter say?", DOCS)
    assert answer == ("I can't read school-trip-letter.docx: the .docx file is password-"
                      "protected (encrypted); cannot read it.")
    assert cannot_read("what's in scan-0042.pdf?", DOCS) == (
        "I can't read scan-0042.pdf: 500 pages need OCR, more than ocr.max_pages = 5.")


def test_other_questions_are_left_alone() -> None:
    assert cannot_read("What does the letter say?", DOCS) is None  # one word of three
    assert cannot_read("What is the capital of France?", DOCS) is None
    # The schedule that was read is named as well as the letter that was not: it answers.
    assert cannot_read("When does the car insurance renew?", DOCS) is None
    assert cannot_read("What does the car insurance letter say?", DOCS) is not None
