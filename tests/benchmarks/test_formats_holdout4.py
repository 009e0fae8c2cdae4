"""The fourth documents_formats set (holdout4) is consistent: labels, frozen files, mail, scans."""

from __future__ import annotations

import email
import json
from email import policy
from pathlib import Path

import pymupdf
import pytest

from benchmarks import formats_holdout4 as fourth
from benchmarks.bench_documents_formats import _chosen
from benchmarks.formats_make_holdout4 import DATA, DOCS
from tests.benchmarks.test_formats_holdout import _flat, _normal

FROZEN = json.loads((DATA / "questions.json").read_text(encoding="utf-8"))


def test_the_committed_questions_are_the_modules_all_test_and_enough() -> None:
    assert json.loads(json.dumps(fourth.questions())) == FROZEN
    grounded, absent = FROZEN["grounded"], FROZEN["absent"]
    assert len(grounded) >= 180
    assert len(absent) >= 20
    everything = [q["q"] for q in grounded + absent]
    assert len(set(everything)) == len(everything)
    assert all(q["split"] == "test" for q in grounded + absent)


@pytest.mark.parametrize("name", sorted(fourth.FILES))
def test_each_file_is_on_disk_and_has_its_questions(name: str) -> None:
    mail, _, attached = fourth.ATTACHMENT.partition("/")
    if name == attached:
        message = email.message_from_bytes((DOCS / mail).read_bytes(), policy=policy.default)
        assert isinstance(message, email.message.EmailMessage)
        assert [p.get_filename() for p in message.iter_attachments()] == [attached]
    else:
        assert (DOCS / name).stat().st_size > 0
    assert sum(q["doc"] == name for q in FROZEN["grounded"]) >= 6


def test_nothing_on_disk_is_unlabelled() -> None:
    assert {p.name for p in DOCS.iterdir()} == set(fourth.FILES) - {Path(fourth.ATTACHMENT).name}


def test_the_benchmark_loads_the_set_with_a_reference_for_every_file() -> None:
    chosen = _chosen(["--set=holdout4"])
    assert chosen.data == DATA
    on_disk = {p.name for p in (chosen.data / "documents").iterdir()}
    assert on_disk | {chosen.attachment} <= set(chosen.reference)
    assert all(chosen.reference[name].strip() for name in on_disk)


def test_each_expected_answer_is_in_the_text_of_the_labelled_file() -> None:
    texts = {Path(key).name: _normal(_flat(value)) for key, value in fourth.REFERENCE.items()}
    missing = []
    for q in FROZEN["grounded"]:
        text = texts[q["doc"]]
        flat = text.replace(" ", "").replace("-", "")
        if not any(_normal(e) in text or _normal(e).replace(" ", "").replace("-", "") in flat
                   for e in q["expect"]):
            missing.append(q["q"])
    assert missing == []


def test_the_scans_reference_texts_are_the_modules_and_the_scanned_pages_hold_no_text() -> None:
    scans = json.loads((DATA / "scans.json").read_text(encoding="utf-8"))
    assert scans["bus-timetable-photo.tiff"] == fourth.BUS_TIMES
    assert scans["holiday-club-booking.pdf#2"] == fourth.HOLIDAY_CLUB["scanned_page"]
    assert {Path(n.partition("#")[0]).suffix for n in scans} == {".png", ".pdf", ".jpg",
                                                                  ".tiff", ".webp"}
    with pymupdf.open(DOCS / "tv-licence-scan.pdf") as scan:  # type: ignore[no-untyped-call]
        assert [page.get_text().strip() for page in scan] == [""]
    with pymupdf.open(DOCS / "holiday-club-booking.pdf") as mixed:  # type: ignore[no-untyped-call]
        first, second = (page.get_text().strip() for page in mixed)
    assert "Oakridge Farm Park" in first
    assert second == ""
