"""The third documents_formats set (holdout3) is consistent: labels, frozen files, mail, scans."""

from __future__ import annotations

import email
import json
from email import policy
from pathlib import Path

import pytest

from benchmarks import formats_holdout3 as third
from benchmarks.formats_make_holdout3 import DATA, DOCS
from tests.benchmarks.test_formats_holdout import _flat, _normal

FROZEN = json.loads((DATA / "questions.json").read_text(encoding="utf-8"))


def test_the_committed_questions_are_the_modules_all_test_and_enough() -> None:
    assert json.loads(json.dumps(third.questions())) == FROZEN
    grounded, absent = FROZEN["grounded"], FROZEN["absent"]
    assert len(grounded) >= 130
    assert len(absent) >= 16
    everything = [q["q"] for q in grounded + absent]
    assert len(set(everything)) == len(everything)
    assert all(q["split"] == "test" for q in grounded + absent)


@pytest.mark.parametrize("name", sorted(third.FILES))
def test_each_file_is_on_disk_and_has_its_questions(name: str) -> None:
    mail, _, attached = third.ATTACHMENT.partition("/")
    if name == attached:
        message = email.message_from_bytes((DOCS / mail).read_bytes(), policy=policy.default)
        assert isinstance(message, email.message.EmailMessage)
        assert [p.get_filename() for p in message.iter_attachments()] == [attached]
    else:
        assert (DOCS / name).stat().st_size > 0
    assert sum(q["doc"] == name for q in FROZEN["grounded"]) >= 6


def test_nothing_on_disk_is_unlabelled() -> None:
    assert {p.name for p in DOCS.iterdir()} == set(third.FILES) - {Path(third.ATTACHMENT).name}


def test_each_expected_answer_is_in_the_text_of_the_labelled_file() -> None:
    texts = {Path(key).name: _normal(_flat(value)) for key, value in third.REFERENCE.items()}
    missing = []
    for q in FROZEN["grounded"]:
        text = texts[q["doc"]]
        flat = text.replace(" ", "").replace("-", "")
        if not any(_normal(e) in text or _normal(e).replace(" ", "").replace("-", "") in flat
                   for e in q["expect"]):
            missing.append(q["q"])
    assert missing == []


def test_the_scans_reference_texts_are_the_modules_and_each_is_an_image_file() -> None:
    scans = json.loads((DATA / "scans.json").read_text(encoding="utf-8"))
    assert scans["fridge-note.tiff"] == third.FRIDGE_NOTE
    assert scans["school-report-scan.pdf"] == third.SCHOOL_REPORT
    assert {Path(name).suffix for name in scans} == {".png", ".pdf", ".jpg", ".tiff", ".webp"}
