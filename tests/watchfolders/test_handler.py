"""The documents handler with the real watcher, real files, the real store and the shipped model."""

from __future__ import annotations

import asyncio
import hashlib
import os
import threading
from pathlib import Path

import numpy as np
import pytest

from nimbus.daemon.events import (
    DocumentFailed,
    DocumentIngested,
    DocumentQueued,
    DocumentRemoved,
    Error,
    Event,
    Ingest,
    Search,
    SearchResults,
)
from nimbus.watchfolders.embedder import Embedder
from nimbus.watchfolders.handler import INGEST_NICENESS
from nimbus.watchfolders.ingest import MAX_ATTEMPTS, Ingestor, IngestStopped
from nimbus.watchfolders.oneshot import ingest_paths
from nimbus.watchfolders.passages import chunk_text
from nimbus.watchfolders.store import QueueItem, Store
from tests.watchfolders.helpers import chunk_texts, docs, documents, make_config, rows, wait_count
from tests.watchfolders.pdfs import make_pdf

pytestmark = pytest.mark.slow


def ingested(path: Path, *, skipped: bool | None = None):  # type: ignore[no-untyped-def]
    def check(e: Event) -> bool:
        return (isinstance(e, DocumentIngested) and e.path == str(path)
                and (skipped is None or e.skipped == skipped))
    return check


async def test_lifecycle_create_slow_copy_modify_rename_delete(
    tmp_path: Path, watch_dir: Path, embedder: Embedder
) -> None:
    config = make_config(tmp_path, watch_dir)
    a, b, big = watch_dir / "a.txt", watch_dir / "b.txt", watch_dir / "big.txt"
    async with documents(config, embedder) as (_bus, rec, _handler):
        # created -> ingested
        a.write_text("The spare key is under the blue flowerpot.")
        await wait_count(rec, ingested(a))
        assert docs(config)[str(a)][:3] == ("indexed", 1, 1)
        assert chunk_texts(config, str(a)) == ["The spare key is under the blue flowerpot."]

        # a slow copy in pieces: never read while still growing (settle_s = 0.4)
        pieces = [f"Part {i} of the manual explains step {i} of the setup. " * 8
                  for i in range(8)]
        with big.open("w") as handle:
            for piece in pieces:
                handle.write(piece)
                handle.flush()
                await asyncio.sleep(0.2)
                assert str(big) not in docs(config), "ingested while still being copied"
        assert not [e for e in rec.events if isinstance(e, DocumentIngested) and e.path == str(big)]
        await wait_count(rec, ingested(big))
        text = " ".join(chunk_texts(config, str(big)))
        assert "Part 7 of the manual" in text, "the whole file was read, not a prefix"
        size = rows(config, "SELECT size FROM documents WHERE path = ?", str(big))[0][0]
        assert size == big.stat().st_size

        # modified -> chunks replaced
        a.write_text("The spare key is now in the garage drawer.")
        await wait_count(rec, ingested(a), 2)
        assert chunk_texts(config, str(a)) == ["The spare key is now in the garage drawer."]
        assert docs(config)[str(a)][2] == 2

        # renamed -> path updated, nothing re-embedded
        vectors_before = rows(config, "SELECT rowid FROM chunks_vec ORDER BY rowid")
        a.rename(b)
        await wait_count(rec, ingested(b, skipped=True))
        state = docs(config)
        assert str(a) not in state
        assert state[str(b)][:3] == ("indexed", 1, 2), "ingests unchanged: no re-embedding"
        assert rows(config, "SELECT rowid FROM chunks_vec ORDER BY rowid") == vectors_before

        # deleted -> removed
        b.unlink()
        await wait_count(rec, lambda e: isinstance(e, DocumentRemoved) and e.path == str(b))
        assert str(b) not in docs(config)
        assert chunk_texts(config, str(b)) == []

        # same content written again -> skipped by hash
        big.write_text("".join(pieces))
        await wait_count(rec, ingested(big, skipped=True))
        assert docs(config)[str(big)][2] == 1, "not re-embedded"

        # deleted and re-created with the same content -> indexed again
        big.unlink()
        await wait_count(rec, lambda e: isinstance(e, DocumentRemoved) and e.path == str(big))
        big.write_text("".join(pieces))
        await wait_count(rec, ingested(big, skipped=False), 2)
        assert docs(config)[str(big)][0] == "indexed"

        # hidden and temporary files are never queued
        (watch_dir / ".secret.txt").write_text("hidden words")
        (watch_dir / "download.pdf.part").write_text("partial")
        (watch_dir / "~$lock.txt").write_text("office lock")
        (watch_dir / "marker.txt").write_text("Marker file after the ignored ones.")
        await wait_count(rec, ingested(watch_dir / "marker.txt"))
        queued = {e.path for e in rec.of(DocumentQueued)}  # type: ignore[attr-defined]
        assert not {p for p in queued if "secret" in p or ".part" in p or "~$" in p}
    counts = rows(config, "SELECT (SELECT count(*) FROM chunks), (SELECT count(*) FROM "
                  "chunks_vec), (SELECT count(*) FROM chunks_fts)")[0]
    assert counts[0] == counts[1] == counts[2]
    assert rows(config, "PRAGMA integrity_check") == [("ok",)]


async def test_startup_reconciliation(tmp_path: Path, watch_dir: Path,
                                      embedder: Embedder) -> None:
    config = make_config(tmp_path, watch_dir)
    keep, gone, moved = watch_dir / "keep.txt", watch_dir / "gone.txt", watch_dir / "old.txt"
    keep.write_text("Keep this one about the water heater.")
    gone.write_text("This file will be deleted while the daemon is down.")
    moved.write_text("This file will be renamed while the daemon is down.")
    async with documents(config, embedder) as (_bus, rec, _h):
        await wait_count(rec, lambda e: isinstance(e, DocumentIngested), 3)
    # while "down": delete, rename, add, modify
    gone.unlink()
    moved.rename(watch_dir / "new name.txt")
    (watch_dir / "added.md").write_text("# Added\n\nWritten while the daemon was down.")
    keep.write_text("Keep this one: the water heater was replaced.")
    os.utime(keep, (1_000_000_000, 1_000_000_000))
    async with documents(config, embedder) as (_bus, rec, _h):
        await wait_count(rec, lambda e: isinstance(e, DocumentRemoved) and e.path == str(gone))
        await wait_count(rec, ingested(watch_dir / "added.md"))
        await wait_count(rec, ingested(keep))
        await wait_count(rec, ingested(watch_dir / "new name.txt", skipped=True))
    state = docs(config)
    assert set(state) == {str(keep), str(watch_dir / "added.md"), str(watch_dir / "new name.txt")}
    assert state[str(watch_dir / "new name.txt")][2] == 1, "renamed while down: not re-embedded"
    assert chunk_texts(config, str(keep)) == ["Keep this one: the water heater was replaced."]

    # A file outside the folders, ingested one-off, survives start-up; an excluded type goes.
    outside = tmp_path / "outside.txt"
    outside.write_text("Ingested by hand with nimbus ingest.")
    assert [o.status for o in ingest_paths(config, [outside], embedder=embedder)] == ["ingested"]
    excluding = make_config(tmp_path, watch_dir, 'watch.exclude=["*.md"]')
    async with documents(excluding, embedder) as (_bus, rec, _h):
        await wait_count(rec, lambda e: isinstance(e, DocumentRemoved)
                         and e.path == str(watch_dir / "added.md"))
    assert set(docs(config)) == {str(keep), str(watch_dir / "new name.txt"), str(outside)}


async def test_ugly_input(tmp_path: Path, watch_dir: Path, embedder: Embedder) -> None:
    config = make_config(tmp_path, watch_dir, "watch.max_file_mb=1")
    async with documents(config, embedder) as (_bus, rec, _h):
        (watch_dir / "empty.txt").write_bytes(b"")
        (watch_dir / "junk.pdf").write_bytes(os.urandom(20_000))
        make_pdf(watch_dir / "locked.pdf", ["secret"], password="pw")
        with (watch_dir / "huge.txt").open("wb") as handle:  # sparse: 300 MB, no disk used
            handle.truncate(300 * 1024 * 1024)
        os.symlink(watch_dir / "loop-b.txt", watch_dir / "loop-a.txt")
        os.symlink(watch_dir / "loop-a.txt", watch_dir / "loop-b.txt")
        os.mkfifo(watch_dir / "pipe.txt")  # reading it would block forever
        (watch_dir / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really")
        (watch_dir / "archive.7z").write_bytes(b"7z\xbc\xaf\x27\x1c")
        odd = watch_dir / "odd name\nwith newline ünïcødé ☂.txt"
        odd.write_text("Umbrella policy: take one when it rains.")
        spaced = watch_dir / "sub folder" / "notes with spaces.md"
        spaced.parent.mkdir()
        spaced.write_text("Notes with spaces in the name.")
        expected = {"empty.txt": "empty", "junk.pdf": "corrupt_pdf",
                    "locked.pdf": "encrypted_pdf", "huge.txt": "too_large",
                    "loop-a.txt": "symlink_loop", "loop-b.txt": "symlink_loop",
                    "pipe.txt": "not_a_file", "photo.jpg": "corrupt_image",
                    "archive.7z": "unsupported_type"}
        failed = await wait_count(rec, lambda e: isinstance(e, DocumentFailed), len(expected))
        await wait_count(rec, ingested(odd))
        await wait_count(rec, ingested(spaced))
        codes = {Path(e.path).name: e.code for e in failed}  # type: ignore[attr-defined]
        assert codes == expected
        assert all(e.message for e in failed)  # type: ignore[attr-defined]
        errors = {e.code for e in rec.of(Error)}  # type: ignore[attr-defined]
        assert errors == set(expected.values()) - {"unsupported_type"}
        search = Search(query="umbrella when it rains", k=1)
        await _bus.publish(search)
        result = await wait_count(rec, lambda e: isinstance(e, SearchResults)
                                  and e.cause == search.id)
        assert result[0].hits[0].path == str(odd)  # type: ignore[attr-defined]
    state = docs(config)
    assert state[str(watch_dir / "archive.7z")][0] == "skipped"
    assert state[str(watch_dir / "photo.jpg")][0] == "failed"
    assert state[str(watch_dir / "locked.pdf")][0] == "failed"
    assert rows(config, "PRAGMA integrity_check") == [("ok",)]


async def test_commands_search_and_ingest(tmp_path: Path, watch_dir: Path,
                                          embedder: Embedder) -> None:
    config = make_config(tmp_path, watch_dir)
    manual = make_pdf(watch_dir / "manual.pdf", [
        "Chapter one. Unpacking the dishwasher and checking the parts list.",
        "Chapter two. To descale the kettle, fill it with vinegar and water and boil twice.",
        "Chapter three. The warranty lasts two years from the date of purchase.",
    ])
    async with documents(config, embedder) as (bus, rec, _h):
        await wait_count(rec, ingested(manual))
        search = Search(query="how do I descale the kettle", k=2, site="kitchen")
        await bus.publish(search)
        found = await wait_count(rec, lambda e: isinstance(e, SearchResults)
                                 and e.cause == search.id)
        results = found[0]
        assert isinstance(results, SearchResults)
        assert results.site == "kitchen"
        assert (results.hits[0].path, results.hits[0].page) == (str(manual), 2)
        assert results.hits[0].score >= results.hits[-1].score

        outside = tmp_path / "elsewhere.txt"
        outside.write_text("not watched")
        request = Ingest(paths=(str(outside), str(manual), str(watch_dir / "nope.txt"),
                                str(watch_dir / ".hidden.txt")), site="phone")
        (watch_dir / ".hidden.txt").write_text("hidden")
        await bus.publish(request)
        errors = await wait_count(rec, lambda e: isinstance(e, Error) and e.cause == request.id,
                                  3)
        assert [(e.code, e.site) for e in errors] == [  # type: ignore[attr-defined]
            ("path_not_watched", "phone"), ("file_not_found", "phone"), ("path_ignored", "phone")]
        assert str(outside) in errors[0].message  # type: ignore[attr-defined]
        queued = await wait_count(rec, lambda e: isinstance(e, DocumentQueued)
                                  and e.cause == request.id)
        assert queued[0].path == str(manual)  # type: ignore[attr-defined]
        await wait_count(rec, ingested(manual, skipped=True))
    assert str(outside) not in docs(config)


async def test_thousands_of_files_at_once(tmp_path: Path, watch_dir: Path,
                                          embedder: Embedder) -> None:
    """1,500 files dropped at once: all ingested exactly once, each queued exactly once."""
    config = make_config(tmp_path, watch_dir, "watch.settle_s=0.2")
    count = 1500
    async with documents(config, embedder) as (_bus, rec, handler):
        await asyncio.sleep(0.1)
        for i in range(count):
            (watch_dir / f"note-{i:04d}.txt").write_text(f"Note number {i}: item {i * 7}.")
        done = await wait_count(rec, lambda e: isinstance(e, DocumentIngested), count,
                                within=240)
        queued = list(rec.of(DocumentQueued))
    assert len({e.path for e in done}) == count  # type: ignore[attr-defined]
    assert len(queued) == count, "each file queued once (events coalesce in the durable queue)"
    state = docs(config)
    assert len(state) == count
    assert {v[:3] for v in state.values()} == {("indexed", 1, 1)}
    assert rows(config, "SELECT count(*) FROM queue") == [(0,)]
    assert handler.processed >= count


async def test_model_change_reembeds_instead_of_mixing(tmp_path: Path, watch_dir: Path,
                                                       embedder: Embedder) -> None:
    """A store embedded by another model (8-dim vectors here) is re-embedded on start."""
    config = make_config(tmp_path, watch_dir)
    note = watch_dir / "note.txt"
    note.write_text("The bicycle lock code is 4711.")
    old = Store(config.store_path, model="some-older-model", dimension=8)
    chunks = chunk_text(note.read_text(), size=512, overlap=0)
    stat = note.stat()
    old.replace_document(path=str(note), digest=hashlib.sha256(note.read_bytes()).hexdigest(),
                         size=stat.st_size, mtime=stat.st_mtime, pages=1, chunks=chunks,
                         vectors=np.full((1, 8), 8 ** -0.5, dtype=np.float32), job=None)
    old.close()
    async with documents(config, embedder) as (bus, rec, handler):
        await wait_count(rec, ingested(note))
        nice = await handler._write(
            lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        assert nice >= INGEST_NICENESS, "ingest runs below the voice pipeline's priority"
        search = Search(query="what is the code for the bike lock", k=1)
        await bus.publish(search)
        found = await wait_count(rec, lambda e: isinstance(e, SearchResults)
                                 and e.cause == search.id)
        assert found[0].hits[0].path == str(note)  # type: ignore[attr-defined]
    assert rows(config, "SELECT value FROM meta WHERE key = 'embedding_model'") == [
        ("all-MiniLM-L6-v2",)]
    assert rows(config, "SELECT value FROM meta WHERE key = 'embedding_dim'") == [("384",)]
    assert rows(config, "SELECT count(*) FROM chunks_vec") == [(1,)]
    assert docs(config)[str(note)][2] == 1, "re-embedded from stored chunks, not re-ingested"


async def test_audio_file_is_transcribed(tmp_path: Path, watch_dir: Path,
                                         embedder: Embedder) -> None:
    """A spoken WAV becomes searchable text through LISTENING's Whisper engine."""
    pytest.importorskip("nimbus.handlers.listening.asr.engine",
                        reason="LISTENING's WhisperEngine (issue 3) is not in the tree yet")
    speech = pytest.importorskip("tests.speech", reason="tests/speech.py (issue 3) not there yet")
    import wave  # noqa: PLC0415

    samples, rate = speech.synthesize_speech("The recycling is collected every Tuesday morning.")
    memo = watch_dir / "memo.wav"
    with wave.open(str(memo), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    broken = watch_dir / "broken.mp3"
    broken.write_bytes(os.urandom(5000))
    config = make_config(tmp_path, watch_dir)
    async with documents(config, embedder) as (_bus, rec, _h):
        await wait_count(rec, ingested(memo), within=180)
        failed = await wait_count(rec, lambda e: isinstance(e, DocumentFailed)
                                  and e.path == str(broken))
    assert failed[0].code == "audio_unreadable"  # type: ignore[attr-defined]
    assert docs(config)[str(broken)][0] == "failed"
    text = " ".join(chunk_texts(config, str(memo))).lower()
    assert "recycling" in text
    assert "tuesday" in text


async def test_folder_rename_and_delete(tmp_path: Path, watch_dir: Path,
                                        embedder: Embedder) -> None:
    config = make_config(tmp_path, watch_dir)
    sub = watch_dir / "projects"
    async with documents(config, embedder) as (_bus, rec, _h):
        (sub / "deep").mkdir(parents=True)
        (sub / "plan.txt").write_text("The garden shed gets a green roof in May.")
        (sub / "deep" / "budget.md").write_text("The shed budget is 800 euros.")
        await wait_count(rec, lambda e: isinstance(e, DocumentIngested), 2)
        renamed = watch_dir / "archive"
        sub.rename(renamed)
        expected = {str(renamed / "plan.txt"), str(renamed / "deep" / "budget.md")}
        async with asyncio.timeout(30):
            while set(docs(config)) != expected:  # noqa: ASYNC110 - polling the store
                await asyncio.sleep(0.05)
        assert {v[2] for v in docs(config).values()} == {1}, "folder rename: no re-embedding"
        await asyncio.sleep(1.0)  # late events for the moved files must not re-embed them
        assert {v[2] for v in docs(config).values()} == {1}
        for path in renamed.rglob("*"):
            if path.is_file():
                path.unlink()
        for path in sorted(renamed.rglob("*"), reverse=True):
            path.rmdir()
        renamed.rmdir()
        await wait_count(rec, lambda e: isinstance(e, DocumentRemoved), 2)
    assert docs(config) == {}
    assert rows(config, "SELECT count(*) FROM chunks_vec") == [(0,)]


def test_shutdown_abandons_a_batch_and_crashes_are_counted(tmp_path: Path, watch_dir: Path,
                                                          embedder: Embedder) -> None:
    config = make_config(tmp_path, watch_dir, "watch.settle_s=0")
    store = Store(config.store_path, model=embedder.name, dimension=embedder.dimension)
    ingestor = Ingestor(store, embedder, config)
    note = watch_dir / "note.txt"
    note.write_text("The gas meter is read on the first Sunday of the month.")
    store.enqueue([QueueItem(path=str(note), reason="created", due=0.0)])
    ingestor.stopping.set()
    with pytest.raises(IngestStopped):
        ingestor.process_batch(store.next_jobs(1e12, 10))
    job = store.next_job(1e12)
    assert job is not None
    assert job.attempts == 0, "a clean shutdown is not counted as a crash"
    assert store.document(str(note)) is None
    ingestor.stopping.clear()
    assert [o.status for o in ingestor.process_batch([job])] == ["ingested"]
    assert store.pending() == 0
    # A file in progress alone when the process died MAX_ATTEMPTS times is given up on, not
    # retried forever (tests/watchfolders/test_interrupted.py kills real processes).
    store.enqueue([QueueItem(path=str(note), reason="modified", due=0.0)])
    outcomes = []
    for _ in range(MAX_ATTEMPTS):
        assert not outcomes, "given up too early"
        crashing = store.next_job(1e12)
        assert crashing is not None
        ingestor.attempts.working_on([crashing.id])  # ...and the process died here
        outcomes = ingestor.recover()  # the next start
    assert [(o.status, o.code) for o in outcomes] == [("failed", "gave_up")]
    assert store.pending() == 0
    store.close()
