"""The fourth to seventh documents_formats sets (holdout4 to holdout7) are consistent.

One parametrised file for all four (their labels, frozen files, mail, scans), so that the fifth,
sixth and seventh sets did not add near-copies of the holdout3 test.
"""

from __future__ import annotations

import email
import json
from dataclasses import dataclass
from email import policy
from pathlib import Path
from types import ModuleType
from typing import Any

import pymupdf
import pytest

from benchmarks import (
    formats_holdout4,
    formats_holdout5,
    formats_holdout6,
    formats_holdout7,
    formats_make_holdout4,
    formats_make_holdout5,
    formats_make_holdout6,
    formats_make_holdout7,
)
from benchmarks.bench_documents_formats import _chosen
from tests.benchmarks.test_formats_holdout import _flat, _normal


@dataclass(frozen=True, slots=True)
class _Case:
    name: str
    corpus: ModuleType
    data: Path
    grounded: int
    """The fewest answerable questions the set was written with."""
    absent: int
    """The fewest unanswerable ones."""

    @property
    def docs(self) -> Path:
        return self.data / "documents"

    def frozen(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads((self.data / "questions.json").read_text("utf-8"))
        return loaded


CASES = [_Case("holdout4", formats_holdout4, formats_make_holdout4.DATA, 180, 20),
         _Case("holdout5", formats_holdout5, formats_make_holdout5.DATA, 230, 30),
         _Case("holdout6", formats_holdout6, formats_make_holdout6.DATA, 240, 32),
         _Case("holdout7", formats_holdout7, formats_make_holdout7.DATA, 260, 36)]
BY_CASE = pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
EACH_FILE = [(case, name) for case in CASES for name in sorted(case.corpus.FILES)]


@BY_CASE
def test_the_committed_questions_are_the_modules_all_test_and_enough(case: _Case) -> None:
    frozen = case.frozen()
    assert json.loads(json.dumps(case.corpus.questions())) == frozen
    assert frozen["set"] == case.name
    grounded, absent = frozen["grounded"], frozen["absent"]
    assert len(grounded) >= case.grounded
    assert len(absent) >= case.absent
    everything = [q["q"] for q in grounded + absent]
    assert len(set(everything)) == len(everything)
    assert all(q["split"] == "test" for q in grounded + absent)


@pytest.mark.parametrize(("case", "name"), EACH_FILE,
                         ids=[f"{case.name}-{name}" for case, name in EACH_FILE])
def test_each_file_is_on_disk_and_has_its_questions(case: _Case, name: str) -> None:
    mail, _, attached = case.corpus.ATTACHMENT.partition("/")
    if name == attached:
        message = email.message_from_bytes((case.docs / mail).read_bytes(),
                                           policy=policy.default)
        assert isinstance(message, email.message.EmailMessage)
        assert [p.get_filename() for p in message.iter_attachments()] == [attached]
    else:
        assert (case.docs / name).stat().st_size > 0
    assert sum(q["doc"] == name for q in case.frozen()["grounded"]) >= 6


@BY_CASE
def test_nothing_on_disk_is_unlabelled(case: _Case) -> None:
    attached = Path(case.corpus.ATTACHMENT).name
    assert {p.name for p in case.docs.iterdir()} == set(case.corpus.FILES) - {attached}


@BY_CASE
def test_the_benchmark_loads_the_set_with_a_reference_for_every_file(case: _Case) -> None:
    chosen = _chosen([f"--set={case.name}"])
    assert chosen.name == case.name
    assert chosen.data == case.data
    on_disk = {p.name for p in (chosen.data / "documents").iterdir()}
    assert on_disk | {chosen.attachment} <= set(chosen.reference)
    assert all(chosen.reference[name].strip() for name in on_disk)


@BY_CASE
def test_each_expected_answer_is_in_the_text_of_the_labelled_file(case: _Case) -> None:
    texts = {Path(key).name: _normal(_flat(value)) for key, value in case.corpus.REFERENCE.items()}
    missing = []
    for q in case.frozen()["grounded"]:
        text = texts[q["doc"]]
        flat = text.replace(" ", "").replace("-", "")
        if not any(_normal(e) in text or _normal(e).replace(" ", "").replace("-", "") in flat
                   for e in q["expect"]):
            missing.append(q["q"])
    assert missing == []


@BY_CASE
def test_the_scans_reference_texts_are_the_modules_and_the_scanned_pages_hold_no_text(
        case: _Case) -> None:
    scans = json.loads((case.data / "scans.json").read_text(encoding="utf-8"))
    assert {Path(n.partition("#")[0]).suffix for n in scans} == {".png", ".pdf", ".jpg",
                                                                  ".tiff", ".webp"}
    for key, lines in scans.items():
        name, _, page = key.partition("#")
        reference = case.corpus.REFERENCE[name]
        assert lines == (reference["scanned_page"] if page else reference), key
        if not name.endswith(".pdf"):
            continue
        with pymupdf.open(case.docs / name) as pdf:  # type: ignore[no-untyped-call]
            texts = [p.get_text().strip() for p in pdf]
        if page:  # a printed page, then the scanned one with no text layer
            assert len(texts) == int(page) == 2
            assert " ".join(reference["title"].split()) in " ".join(texts[0].split())
            assert texts[1] == ""
        else:  # an image-only scan
            assert texts == [""]
