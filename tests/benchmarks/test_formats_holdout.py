"""The held-out documents_formats set is consistent: its labels, its frozen files, its splits."""

from __future__ import annotations

import email
import json
from email import policy
from pathlib import Path
from typing import Any

from benchmarks import formats_holdout as holdout
from benchmarks.formats_make_holdout import DATA, DOCS


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return " ".join(_flat(v) for v in value.values())
    if isinstance(value, list | tuple):
        return " ".join(_flat(v) for v in value)
    return str(value)


def _normal(text: str) -> str:
    # The same folding as benchmarks.answers._normal (not imported: it loads the answering stack).
    return " ".join(text.lower().replace(",", "").replace("\u2019", "'").split())


def test_the_frozen_questions_are_the_modules_and_all_test() -> None:
    frozen = json.loads((DATA / "questions.json").read_text(encoding="utf-8"))
    assert frozen == json.loads(json.dumps(holdout.questions()))
    asked = frozen["grounded"] + frozen["absent"]
    assert {q["split"] for q in asked} == {"test"}
    assert len(asked) >= 90
    assert len(frozen["absent"]) >= 12
    assert len({q["q"] for q in asked}) == len(asked)  # no question twice


def test_every_expected_answer_is_in_the_text_its_file_was_written_from() -> None:
    by_name = {Path(name).name: _normal(_flat(text)) for name, text in holdout.REFERENCE.items()}
    for q in holdout.questions()["grounded"]:
        source = by_name[q["doc"]]
        squeezed = source.replace(" ", "").replace("-", "")
        assert any(_normal(e) in source or _normal(e).replace(" ", "").replace("-", "")
                   in squeezed for e in q["expect"]), q


def test_every_cited_file_is_on_disk_and_the_attachment_is_in_the_mail() -> None:
    on_disk = {path.name for path in DOCS.iterdir()}
    mail_name, _, attached = holdout.ATTACHMENT.partition("/")
    assert on_disk == set(holdout.FILES) - {attached}
    mail = email.message_from_bytes((DOCS / mail_name).read_bytes(), policy=policy.default)
    assert isinstance(mail, email.message.EmailMessage)
    names = [part.get_filename() for part in mail.iter_attachments()]
    assert names == [attached]
    assert {q["doc"] for q in holdout.questions()["grounded"]} == set(holdout.FILES)


def test_the_scans_reference_texts_are_the_modules() -> None:
    scans = json.loads((DATA / "scans.json").read_text(encoding="utf-8"))
    assert scans["council-tax-bill-scan.pdf#2"] == holdout.COUNCIL_TAX_PAGES[1]
    assert scans["hospital-letter-photo.jpg"] == holdout.HOSPITAL_LETTER
    assert set(scans) == {"council-tax-bill-scan.pdf#1", "council-tax-bill-scan.pdf#2",
                          "wedding-invitation-scan.pdf", "hospital-letter-photo.jpg",
                          "broadband-contract-screenshot.png"}
