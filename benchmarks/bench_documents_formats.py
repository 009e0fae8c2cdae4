"""Every format a household has: ingest seconds, text fidelity, OCR accuracy, grounded answers.

`python -m benchmarks documents_formats
[--set=main|holdout|holdout3|holdout4|holdout5|holdout6|holdout7] [--split=dev|test|all]
[--no-answers]` writes `benchmarks/results/documents_formats-<split>.json` (for the held-out
set, `documents_formats-holdout-<split>.json`; for the third to seventh sets,
`documents_formats-holdout3-...`, `documents_formats-holdout4-...`,
`documents_formats-holdout5-...`, `documents_formats-holdout6-...` and
`documents_formats-holdout7-...`).

The labelled set (`benchmarks/formats_corpus.py`, files written by `benchmarks/formats_make.py`
into `benchmarks/data/formats/`) has 13 files in 12 formats and a mail attachment, and 89
questions whose answer is in one of them plus 8 whose answer is in none. It was written before
any reader or ranking was tuned; tuning looked only at the development split, and the test split
(seed 24) is run once at the end.

`--set=holdout` runs the held-out set instead (`benchmarks/formats_holdout.py`, files under
`benchmarks/data/formats_holdout/`, see its README): 16 files and a mail attachment on other
subjects, written later by another hand that saw neither the readers nor the ranking; all its
questions are test questions, run once at the end.

- **Ingest**: each file is ingested alone into a real store (the real readers, OCR, chunker,
  MiniLM, sqlite-vec): seconds, pages, pages read by OCR, chunks.
- **Fidelity**: the share of the words of the text the file was written from that the store
  holds for it (a reader that drops a table's cells or a slide's notes loses words here).
- **OCR character accuracy**: 1 - character error rate (Levenshtein distance over the reference
  length, whitespace and case folded) of each scanned page and photo against the text it shows;
  and the seconds each page took.
- **Answers**: every question of the split through the real Responder (SmolLM2-135M, evidence +
  faithfulness gate, the default configuration) and the real Piper speaker, as
  `benchmarks/answers.py` does. *Correct*: the answer holds an expected string. *Right file*:
  the best evidence sentence (the first source) is from the expected file. *Invented*: the answer
  speaks a number, date, name or code that is not in the expected file (in no file, for the
  absent questions). *Refused*: "I couldn't find that in your documents" for an answerable one.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import formats_corpus as corpus
from benchmarks import formats_holdout as holdout
from benchmarks._harness import machine, print_table, write_results
from benchmarks.answers import SETTINGS, _ask_all, _holds, _unsupported
from nimbus.daemon.config import load_config
from nimbus.handlers.responding.grounding import NOT_FOUND
from nimbus.handlers.responding.llm import load_backend
from nimbus.watchfolders.embedder import Embedder
from nimbus.watchfolders.extract import extract_document
from nimbus.watchfolders.ocr import Ocr
from nimbus.watchfolders.oneshot import ingest_paths
from nimbus.watchfolders.retriever import Retriever
from nimbus.watchfolders.store import Store

DATA = Path(__file__).parent / "data" / "formats"
ATTACHMENT = "dentist-appointment.eml/dental-price-list.pdf"


@dataclass(frozen=True, slots=True)
class _Set:
    """One labelled set: where its files are and what each was written from."""

    name: str
    data: Path
    files: dict[str, str]
    """Each file (and the mail's attachment by its own name) -> the format it stands for."""
    attachment: str
    """The attachment's path in the store, relative to the watched folder."""
    reference: dict[str, str]


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return " ".join(_flat(v) for v in value.values())
    if isinstance(value, list | tuple):
        return " ".join(_flat(v) for v in value)
    return str(value)


def _chosen(argv: list[str]) -> _Set:
    name = next((a.split("=", 1)[1] for a in argv if a.startswith("--set=")), "main")
    if name == "holdout":
        return _Set("holdout", DATA.parent / "formats_holdout", dict(holdout.FILES),
                    holdout.ATTACHMENT, {k: _flat(v) for k, v in holdout.REFERENCE.items()})
    if name == "holdout3":
        from benchmarks import formats_holdout3 as third  # noqa: PLC0415

        return _Set("holdout3", DATA.parent / "formats_holdout3", dict(third.FILES),
                    third.ATTACHMENT, {k: _flat(v) for k, v in third.REFERENCE.items()})
    if name == "holdout4":
        from benchmarks import formats_holdout4 as fourth  # noqa: PLC0415

        return _Set("holdout4", DATA.parent / "formats_holdout4", dict(fourth.FILES),
                    fourth.ATTACHMENT, {k: _flat(v) for k, v in fourth.REFERENCE.items()})
    if name == "holdout5":
        from benchmarks import formats_holdout5 as fifth  # noqa: PLC0415

        return _Set("holdout5", DATA.parent / "formats_holdout5", dict(fifth.FILES),
                    fifth.ATTACHMENT, {k: _flat(v) for k, v in fifth.REFERENCE.items()})
    if name == "holdout6":
        from benchmarks import formats_holdout6 as sixth  # noqa: PLC0415

        return _Set("holdout6", DATA.parent / "formats_holdout6", dict(sixth.FILES),
                    sixth.ATTACHMENT, {k: _flat(v) for k, v in sixth.REFERENCE.items()})
    if name == "holdout7":
        from benchmarks import formats_holdout7 as seventh  # noqa: PLC0415

        return _Set("holdout7", DATA.parent / "formats_holdout7", dict(seventh.FILES),
                    seventh.ATTACHMENT, {k: _flat(v) for k, v in seventh.REFERENCE.items()})
    if name != "main":
        raise SystemExit(f"--set must be main, holdout, holdout3, holdout4, holdout5, holdout6 "
                         f"or holdout7, not {name!r}")
    return _Set("main", DATA, dict(corpus.FILES), ATTACHMENT, _reference())


def _reference() -> dict[str, str]:
    """The text each file was written from (for fidelity)."""
    price = dict(corpus.PRICE_LIST)
    mail = dict(corpus.DENTIST_MAIL.items())
    return {
        "school-trip-letter.docx": _flat(corpus.SCHOOL_TRIP),
        "babysitter-notes.odt": _flat(corpus.BABYSITTER),
        "lemon-drizzle-recipe.rtf": _flat(corpus.RECIPE),
        "household-budget.xlsx": _flat(corpus.BUDGET),
        "allotment-rota.ods": _flat(corpus.ALLOTMENT),
        "neighbourhood-watch-meeting.pptx": _flat(corpus.WATCH_SLIDES),
        "garden-birds-guide.epub": _flat(corpus.BIRDS),
        "bedtime-story.fb2": _flat(corpus.STORY),
        "dentist-appointment.eml": _flat(mail),
        ATTACHMENT: _flat(price),
        "scanned-water-bill.pdf": _flat(corpus.WATER_BILL_PAGES),
        "car-insurance-schedule.pdf": _flat(corpus.INSURANCE),
        "washing-machine-receipt.png": _flat(corpus.RECEIPT),
        "parking-permit-photo.jpg": _flat(corpus.PARKING_LETTER),
    }


def _words(text: str) -> list[str]:
    cleaned = "".join(c.lower() if c.isalnum() else " " for c in text.replace("\u2019", "'"))
    return cleaned.split()


def _fidelity(reference: str, stored: str) -> float:
    have = set(_words(stored))
    wanted = _words(reference)
    return sum(w in have for w in wanted) / max(1, len(wanted))


def _levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def char_accuracy(reference: str, read: str) -> float:
    """1 - character error rate, whitespace runs and case folded; 0 when nothing matches."""
    ref = " ".join(reference.replace("\u2019", "'").split()).lower()
    got = " ".join(read.replace("\u2019", "'").split()).lower()
    return max(0.0, 1 - _levenshtein(ref, got) / max(1, len(ref)))


def _ocr_rows(config: Any, chosen: _Set) -> list[dict[str, Any]]:
    scans = json.loads((chosen.data / "scans.json").read_text(encoding="utf-8"))
    rows = []
    texts: dict[str, list[str]] = {}
    seconds: dict[str, float] = {}
    for key in scans:
        name = key.partition("#")[0]
        if name not in texts:
            path = chosen.data / "documents" / name
            ocr = Ocr(config.ocr)
            extracted = extract_document(path, path.read_bytes(), ocr=ocr)
            texts[name] = [p.text for p in extracted.pages]
            pages = sum(p.ocr for p in extracted.pages)
            seconds[name] = ocr.seconds / max(1, pages)
    for key, lines in scans.items():
        name, _, number = key.partition("#")
        page = texts[name][int(number) - 1] if number else texts[name][0]
        rows.append({"page": key, "kind": chosen.files[name],
                     "char accuracy": round(char_accuracy("\n".join(lines), page), 4),
                     "s/page": round(seconds[name], 2)})
    return rows


def _ingest_rows(config: Any, embedder: Embedder, watch: Path,
                 chosen: _Set) -> tuple[list[dict[str, Any]], dict[str, str]]:
    reference = chosen.reference
    rows = []
    for path in sorted(watch.iterdir()):
        begun = time.perf_counter()
        outcomes = ingest_paths(config, [path], embedder=embedder)
        took = time.perf_counter() - begun
        outcome = outcomes[0]
        rows.append({"file": path.name, "format": chosen.files.get(path.name, "?"),
                     "status": outcome.status, "pages": outcome.pages,
                     "ocr pages": outcome.ocr_pages, "chunks": outcome.chunks,
                     "ingest s": round(took, 2)})
    store = Store(config.store_path, model=embedder.name, dimension=embedder.dimension)
    stored: dict[str, str] = {}
    try:
        for doc in store.all_documents():
            name = doc.path[len(str(watch)) + 1:]
            stored[name] = "\n".join(text for _, text in store.chunk_texts(doc.path))
            if name == chosen.attachment:
                rows.append({"file": name, "format": chosen.files[Path(name).name],
                             "status": doc.status, "pages": doc.pages, "ocr pages": 0,
                             "chunks": doc.chunks, "ingest s": "(with the mail)"})
    finally:
        store.close()
    for row in rows:
        row["fidelity"] = round(_fidelity(reference[row["file"]], stored.get(row["file"], "")), 3)
    return rows, stored


def _score(questions: dict[str, Any], answers: dict[str, dict[str, Any]],
           stored: dict[str, str], attachment: str = ATTACHMENT,
           ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    rows = []
    everything = list(stored.values())
    correct = cited = invented = refused = absent_ok = 0
    grounded = questions["grounded"]
    for q in grounded:
        answer = answers[q["q"]]
        doc = attachment if q["doc"] == Path(attachment).name else q["doc"]
        ok = _holds(answer["text"], q["expect"])
        first = answer["first_source"]
        right = bool(first) and Path(first).name == Path(doc).name
        bad = _unsupported(answer["text"], [stored.get(doc, "")], first)
        no = NOT_FOUND.lower() in answer["text"].lower()
        correct += ok
        cited += right
        invented += bool(bad)
        refused += no
        rows.append({**answer, "kind": "grounded", "doc": q["doc"], "split": q["split"],
                     "correct": ok, "right_file": right, "invented": bad, "refused": no})
    for q in questions["absent"]:
        answer = answers[q["q"]]
        ok = NOT_FOUND.lower() in answer["text"].lower()
        bad = _unsupported(answer["text"], everything, answer["first_source"])
        absent_ok += ok
        invented += bool(bad)
        rows.append({**answer, "kind": "absent", "split": q["split"], "correct": ok,
                     "invented": bad})
    n, m = len(grounded), len(questions["absent"])
    summary = {
        "answer correct": f"{correct}/{n} ({100 * correct / max(1, n):.0f} %)",
        "right file cited": f"{cited}/{n} ({100 * cited / max(1, n):.0f} %)",
        "answers with an invented fact": invented,
        "answerable refused": f"{refused}/{n} ({100 * refused / max(1, n):.1f} %)",
        "absent: not found": f"{absent_ok}/{m}",
    }
    return summary, rows


def _by_format(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["kind"] != "grounded":
            continue
        entry = out.setdefault(row["doc"], {"file": row["doc"], "questions": 0, "correct": 0,
                                            "right file": 0, "refused": 0})
        entry["questions"] += 1
        entry["correct"] += row["correct"]
        entry["right file"] += row["right_file"]
        entry["refused"] += row["refused"]
    return list(out.values())


def main(argv: list[str]) -> list[dict[str, Any]]:
    chosen = _chosen(argv)
    split = next((a.split("=", 1)[1] for a in argv if a.startswith("--split=")),
                 "dev" if chosen.name == "main" else "test")  # the held-out set is all test
    data = json.loads((chosen.data / "questions.json").read_text(encoding="utf-8"))
    questions = {kind: [q for q in data[kind] if split == "all" or q["split"] == split]
                 for kind in ("grounded", "absent")}
    load = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="nimbus-formats-") as tmp:
        state, watch = Path(tmp) / "state", Path(tmp) / "watched"
        state.mkdir()
        shutil.copytree(chosen.data / "documents", watch)
        config = load_config(None, environ={}, overrides=[
            f'daemon.state_dir="{state}"', f'watch.folders=["{watch}"]', *SETTINGS])
        embedder = Embedder(config.embeddings)
        ingest, stored = _ingest_rows(config, embedder, watch, chosen)
        print_table("Ingest, one file at a time (readers + OCR + chunk + embed + store)", ingest)
        ocr = _ocr_rows(config, chosen)
        print_table("OCR (Tesseract through PyMuPDF): character accuracy and seconds a page", ocr)
        summary: dict[str, Any] = {}
        rows: list[dict[str, Any]] = []
        if "--no-answers" not in argv:
            texts = [q["q"] for kind in ("grounded", "absent") for q in questions[kind]]
            backend = load_backend(config)
            begun = time.perf_counter()
            with Retriever.open(config, embedder=embedder) as retriever:
                answers = asyncio.run(_ask_all(config, backend, retriever, texts))
            by_question = {a["question"]: a for a in answers}
            summary, rows = _score(questions, by_question, stored, chosen.attachment)
            summary = {"set": chosen.name, "split": split, **summary,
                       "wall s": round(time.perf_counter() - begun, 1)}
            print_table(f"Answers, {split} split (SmolLM2-135M, evidence + gate)", [summary])
            print_table("By file", _by_format(rows))
    stem = "documents_formats" if chosen.name == "main" else f"documents_formats-{chosen.name}"
    write_results(f"{stem}-{split}", [summary] if summary else [], ingest=ingest,
                  ocr=ocr, answers=rows, machine=machine(), load=load,
                  questions={k: len(v) for k, v in questions.items()})
    return [summary]
