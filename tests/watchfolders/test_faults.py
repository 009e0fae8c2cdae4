"""Documents under faults: symlinks that leave the watched folders, and a full disk.

Real watcher, real store, the shipped embedding model. The full disk is SQLite's own
SQLITE_FULL (``PRAGMA max_page_count`` on the writer's connection: the store may not grow),
which needs no root; `python -m benchmarks faults` also fills a real tmpfs.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from nimbus.daemon.events import DocumentFailed, DocumentIngested, Error, Event, Ingest
from nimbus.watchfolders.embedder import Embedder
from nimbus.watchfolders.ingest import Ingestor
from nimbus.watchfolders.passages import Chunk
from nimbus.watchfolders.store import QueueItem, Store
from tests.watchfolders.helpers import docs, documents, make_config, rows, wait_count

pytestmark = pytest.mark.slow

SECRET = "The vault password is hunter2-orange-47."


def _failed(path: Path, code: str):  # type: ignore[no-untyped-def]
    def check(e: Event) -> bool:
        return isinstance(e, DocumentFailed) and e.path == str(path) and e.code == code
    return check


def _all_text(config) -> str:  # type: ignore[no-untyped-def]
    return " ".join(r[0] for r in rows(config, "SELECT text FROM chunks"))


async def test_a_symlink_out_of_the_watched_folder_is_refused(
        tmp_path: Path, watch_dir: Path, embedder: Embedder) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    config = make_config(tmp_path, watch_dir)
    inside = watch_dir / "real.txt"
    inside.write_text("The bins go out on Tuesday.")
    async with documents(config, embedder) as (bus, rec, _handler):
        await wait_count(rec, lambda e: isinstance(e, DocumentIngested))
        (watch_dir / "link.txt").symlink_to(outside / "secret.txt")
        (watch_dir / "alias.txt").symlink_to(inside)  # stays inside: allowed
        (watch_dir / "outdir").symlink_to(outside, target_is_directory=True)
        failed = await wait_count(rec, _failed(watch_dir / "link.txt", "outside_watched"))
        assert str(outside / "secret.txt") in failed[0].message  # type: ignore[attr-defined]
        await wait_count(rec, lambda e: isinstance(e, DocumentIngested)
                         and e.path == str(watch_dir / "alias.txt"))
        # Asked for by name, through a symlinked folder: refused when it is read.
        await bus.publish(Ingest(paths=(str(watch_dir / "outdir" / "secret.txt"),)))
        await wait_count(rec, _failed(watch_dir / "outdir" / "secret.txt", "outside_watched"))
        # The folder link itself is reported too (it resolves outside; nothing under it is read).
        await wait_count(rec, _failed(watch_dir / "outdir", "outside_watched"))
        errors = [e for e in rec.of(Error) if e.code == "outside_watched"]  # type: ignore[attr-defined]
        assert len(errors) == 3
    assert "hunter2" not in _all_text(config)
    assert docs(config)[str(watch_dir / "link.txt")][0] == "failed"


def test_a_link_swapped_after_queueing_is_refused_at_ingest(
        tmp_path: Path, watch_dir: Path, embedder: Embedder) -> None:
    outside = tmp_path / "elsewhere.txt"
    outside.write_text(SECRET)
    target = watch_dir / "target.txt"
    target.write_text("The spare key is with the neighbour.")
    link = watch_dir / "link.txt"
    link.symlink_to(target)
    config = make_config(tmp_path, watch_dir, "watch.settle_s=0")
    store = Store(config.store_path, model=embedder.name, dimension=embedder.dimension)
    try:
        ingestor = Ingestor(store, embedder, config)
        store.enqueue([QueueItem(path=str(link), due=0.0)])
        link.unlink()
        link.symlink_to(outside)  # swapped between the watcher's event and the ingest
        [outcome] = ingestor.process_batch(store.next_jobs(1e12, 10))
        assert (outcome.status, outcome.code) == ("failed", "outside_watched")
        # A leak indexed by an older version (same name, outside content) is forgotten too.
        vector = embedder.embed([SECRET])
        store.replace_document(path=str(link), digest="x", size=1, mtime=1.0, pages=1,
                               chunks=[Chunk(index=0, page=None, start=0, end=len(SECRET),
                                             text=SECRET)],
                               vectors=np.asarray(vector), job=None)
        store.enqueue([QueueItem(path=str(link), due=0.0)])
        [again] = ingestor.process_batch(store.next_jobs(1e12, 10))
        assert again.code == "outside_watched"
    finally:
        store.close()
    assert "hunter2" not in _all_text(config)


async def test_a_full_disk_is_waited_out_and_ingest_resumes_by_itself(
        tmp_path: Path, watch_dir: Path, embedder: Embedder) -> None:
    config = make_config(tmp_path, watch_dir, "watch.settle_s=0.1")
    async with documents(config, embedder) as (_bus, rec, handler):
        handler.full_disk.retry_s = (0.1, 0.4)  # the test's clock; the daemon's is 0.5-10 s
        (watch_dir / "first.txt").write_text("The boiler was serviced in March.")
        await wait_count(rec, lambda e: isinstance(e, DocumentIngested))

        def limit(pages: int | None) -> None:
            store = handler._store
            assert store is not None
            now = store.conn.execute("PRAGMA page_count").fetchone()[0]
            store.conn.execute(f"PRAGMA max_page_count = {pages or now}")

        await handler._write(limit, None)  # the disk is full: the store cannot grow
        names = [f"full-{i}.txt" for i in range(3)]
        for i, name in enumerate(names):
            (watch_dir / name).write_text(" ".join(f"Shelf {i}-{j} holds jars of jam."
                                                   for j in range(60)))
        await wait_count(rec, lambda e: isinstance(e, Error) and e.code == "disk_full")
        await asyncio.sleep(1.0)  # several retries while still full
        assert [e for e in rec.of(Error) if e.code == "disk_full"].__len__() == 1, "once"
        await handler._write(limit, 1 << 30)  # space is back
        ingested = await wait_count(rec, lambda e: isinstance(e, DocumentIngested)
                                    and Path(e.path).name in names, len(names), within=60)
        assert {Path(e.path).name for e in ingested} == set(names)  # type: ignore[attr-defined]
        assert not rec.of(DocumentFailed)
        assert not [e for e in rec.of(Error) if e.code == "handler_crashed"]
    state = docs(config)
    assert all(state[str(watch_dir / n)][0] == "indexed" for n in names)
    assert rows(config, "SELECT count(*) FROM queue") == [(0,)]
    assert rows(config, "PRAGMA integrity_check") == [("ok",)]
