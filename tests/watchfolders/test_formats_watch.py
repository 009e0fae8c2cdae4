"""Real files of every format dropped into a real watched folder of a real DocumentsHandler
(watchdog, store, MiniLM, Tesseract), and the unreadable ones beside them: each readable file is
found by a search for its facts, each unreadable one fails with its reason, OCR reports progress,
and the store stays whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nimbus.daemon.events import (
    DocumentFailed,
    DocumentIngested,
    DocumentProgress,
    Event,
    Search,
    SearchResults,
)
from nimbus.watchfolders.embedder import Embedder
from tests.watchfolders.helpers import (
    blank_photo,
    docs,
    documents,
    encrypted_docx,
    long_scan,
    make_config,
    rows,
    wait_count,
)

pytestmark = pytest.mark.slow

DOCS = Path(__file__).parents[2] / "benchmarks" / "data" / "formats" / "documents"
DROPPED = ("school-trip-letter.docx", "babysitter-notes.odt", "lemon-drizzle-recipe.rtf",
           "household-budget.xlsx", "allotment-rota.ods", "neighbourhood-watch-meeting.pptx",
           "garden-birds-guide.epub", "bedtime-story.fb2", "dentist-appointment.eml",
           "car-insurance-schedule.pdf", "washing-machine-receipt.png")
"""Every format; the 2-page water bill and the photo are left to the benchmark (OCR time)."""
FACTS = {
    "Who leads the Otters group?": "school-trip-letter.docx",
    "Wi-Fi password": "babysitter-notes.odt",
    "lemon drizzle oven temperature": "lemon-drizzle-recipe.rtf",
    "gas bill in February": "household-budget.xlsx",
    "allotment padlock code": "allotment-rota.ods",
    "new neighbourhood watch coordinator": "neighbourhood-watch-meeting.pptx",
    "nest box entrance hole blue tits": "garden-birds-guide.epub",
    "lighthouse cat puffin": "bedtime-story.fb2",
    "dentist check-up with Dr Miriam Lowe": "dentist-appointment.eml",
    "price of a filling": "dentist-appointment.eml/dental-price-list.pdf",
    "theft excess": "car-insurance-schedule.pdf",
    "car insurance claims helpline": "car-insurance-schedule.pdf",
    "washing machine receipt total": "washing-machine-receipt.png",
}


async def test_every_format_in_a_watched_folder(tmp_path: Path, watch_dir: Path,
                                                embedder: Embedder) -> None:
    config = make_config(tmp_path, watch_dir, "ocr.max_pages=3")
    async with documents(config, embedder) as (bus, rec, handler):
        for name in DROPPED:
            shutil.copy(DOCS / name, watch_dir / name)
        (watch_dir / "empty.eml").write_bytes(b"")
        (watch_dir / "broken.xlsx").write_bytes((DOCS / "household-budget.xlsx").read_bytes()[:900])
        (watch_dir / "locked-letter.docx").write_bytes(encrypted_docx())
        (watch_dir / "blank-photo.jpg").write_bytes(blank_photo())
        # 500 scanned pages, over ocr.max_pages = 3: refused before any page is read.
        (watch_dir / "long-scan.pdf").write_bytes(long_scan(500))

        def done(e: Event) -> bool:
            return isinstance(e, DocumentIngested | DocumentFailed)

        await wait_count(rec, done, len(DROPPED) + 6, within=180)
        failed = {Path(e.path).name: (e.code, e.message) for e in rec.of(DocumentFailed)}
        assert failed == {
            "empty.eml": ("empty", "the file is empty"),
            "broken.xlsx": ("corrupt_document", failed["broken.xlsx"][1]),
            "locked-letter.docx": ("encrypted_document", failed["locked-letter.docx"][1]),
            "blank-photo.jpg": ("no_text", failed["blank-photo.jpg"][1]),
            "long-scan.pdf": ("ocr_page_limit", "500 pages need OCR, more than ocr.max_pages = "
                              "3; raise ocr.max_pages to read this file"),
        }
        assert "not a readable .xlsx" in failed["broken.xlsx"][1]
        assert "password-protected" in failed["locked-letter.docx"][1]
        assert "OCR found no text" in failed["blank-photo.jpg"][1]
        progress = [(Path(e.path).name, e.done, e.total) for e in rec.of(DocumentProgress)]
        assert ("washing-machine-receipt.png", 1, 1) in progress
        assert ("car-insurance-schedule.pdf", 1, 1) in progress

        for query, expected in FACTS.items():
            search = Search(query=query, k=1)
            await bus.publish(search)
            found = await wait_count(rec, lambda e, s=search: isinstance(e, SearchResults)
                                     and e.cause == s.id)
            hit = found[0].hits[0]  # type: ignore[attr-defined]
            assert hit.path == str(watch_dir / expected), query
        search = Search(query="washing machine receipt total", k=1)
        await bus.publish(search)
        found = await wait_count(rec, lambda e: isinstance(e, SearchResults)
                                 and e.cause == search.id)
        assert found[0].hits[0].ocr  # type: ignore[attr-defined]

        status = handler.status()
        assert status["indexed"] == len(DROPPED) + 1  # and the mail's attachment
        assert {Path(u["path"]).name: u["code"] for u in status["unreadable"]} == {
            name: code for name, (code, _) in failed.items()}

        # The mail goes, and its attachment with it.
        (watch_dir / "dentist-appointment.eml").unlink()
        await wait_count(rec, lambda e: type(e).__name__ == "DocumentRemoved")
    state = docs(config)
    assert str(watch_dir / "dentist-appointment.eml/dental-price-list.pdf") not in state
    assert state[str(watch_dir / "long-scan.pdf")][0] == "failed"
    assert rows(config, "PRAGMA integrity_check") == [("ok",)]
    assert rows(config, "SELECT count(*) FROM chunks")[0][0] == sum(
        chunks for status_, chunks, *_ in state.values() if status_ == "indexed")
