"""The SQLite store on a real file: transactions, queue, moves, model change, hybrid search.

Vectors here are small hand-made unit vectors (4 dimensions) so each assertion about ranking
and distance is exact; the real embedding model is exercised in test_handler/test_cli.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from nimbus.watchfolders.attempts import Attempts
from nimbus.watchfolders.passages import chunk_text
from nimbus.watchfolders.search import hybrid_search
from nimbus.watchfolders.sqlite import connect, driver
from nimbus.watchfolders.store import QueueItem, Store


def unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def add(store: Store, path: str, texts: list[str], vectors: list[np.ndarray],
        digest: str = "h") -> None:
    chunks = [c for t in texts for c in chunk_text(t, size=500, overlap=0)]
    chunks = [type(c)(index=i, page=i + 1, start=c.start, end=c.end, text=c.text)
              for i, c in enumerate(chunks)]
    store.replace_document(path=path, digest=digest, size=1, mtime=1.0, pages=len(texts),
                           chunks=chunks, vectors=np.stack(vectors), job=None)


def table_counts(store: Store) -> tuple[int, int, int]:
    one = store.conn.execute
    return (one("SELECT count(*) FROM chunks").fetchone()[0],
            one("SELECT count(*) FROM chunks_vec").fetchone()[0],
            one("SELECT count(*) FROM chunks_fts").fetchone()[0])


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "store.sqlite3", model="test-model", dimension=4)
    yield s
    s.close()


def test_driver_loads_sqlite_vec_and_has_fts5(tmp_path: Path) -> None:
    conn = connect(tmp_path / "x.sqlite3")
    assert conn.execute("SELECT vec_version()").fetchone()[0].startswith("v")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert driver().__name__ in ("sqlite3", "pysqlite3.dbapi2")


def test_replace_is_one_transaction_and_tables_agree(store: Store) -> None:
    add(store, "/w/a.txt", ["alpha one", "alpha two"], [unit(1, 0, 0, 0), unit(0, 1, 0, 0)])
    assert table_counts(store) == (2, 2, 2)
    add(store, "/w/a.txt", ["alpha three"], [unit(0, 0, 1, 0)], digest="h2")
    assert table_counts(store) == (1, 1, 1)
    doc = store.document("/w/a.txt")
    assert doc is not None
    assert (doc.hash, doc.chunks, doc.ingests) == ("h2", 1, 2)
    with pytest.raises(ValueError, match="one vector per chunk"):
        store.replace_document(path="/w/a.txt", digest="h3", size=1, mtime=1.0, pages=1,
                               chunks=chunk_text("x. y.", size=2, overlap=0),
                               vectors=np.stack([unit(1, 0, 0, 0)]), job=None)
    assert table_counts(store) == (1, 1, 1)
    assert store.remove_document("/w/a.txt", None) == 1
    assert table_counts(store) == (0, 0, 0)
    assert store.remove_document("/w/a.txt", None) is None
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_failed_ingest_keeps_the_previous_chunks(store: Store) -> None:
    add(store, "/w/a.txt", ["alpha"], [unit(1, 0, 0, 0)])
    store.mark_failed(path="/w/a.txt", code="corrupt_pdf", message="broken", size=2, mtime=2.0,
                      job=None)
    doc = store.document("/w/a.txt")
    assert doc is not None
    assert (doc.status, doc.error_code, doc.chunks) == ("failed", "corrupt_pdf", 1)
    assert table_counts(store) == (1, 1, 1)


def test_move_file_and_folder_without_reembedding(store: Store) -> None:
    add(store, "/w/d/a.txt", ["alpha"], [unit(1, 0, 0, 0)])
    add(store, "/w/d/sub/b.txt", ["beta"], [unit(0, 1, 0, 0)], digest="hb")
    add(store, "/w/dd.txt", ["not under d/"], [unit(0, 0, 1, 0)], digest="hc")
    store.enqueue([QueueItem(path="/w/d/sub/c.txt", reason="created", due=5.0)])
    vec_before = store.conn.execute("SELECT rowid FROM chunks_vec ORDER BY rowid").fetchall()
    moved = store.move("/w/d", "/w/e")
    assert sorted(m[:2] for m in moved) == [("/w/d/a.txt", "/w/e/a.txt"),
                                            ("/w/d/sub/b.txt", "/w/e/sub/b.txt")]
    assert [d.path for d in store.all_documents()] == ["/w/dd.txt", "/w/e/a.txt",
                                                       "/w/e/sub/b.txt"]
    job = store.next_job(10.0)
    assert job is not None
    assert job.path == "/w/e/sub/c.txt"
    assert store.conn.execute("SELECT rowid FROM chunks_vec ORDER BY rowid").fetchall() == \
        vec_before
    assert [d.ingests for d in store.all_documents()] == [1, 1, 1]


def test_queue_newest_action_wins_and_reconcile_keeps_attempts(store: Store) -> None:
    assert store.enqueue([QueueItem(path="/w/a", reason="created", due=1.0)]) == ["/w/a"]
    job = store.next_job(2.0)
    assert job is not None
    attempts = Attempts(store)
    attempts.working_on([job.id])  # ...and the process died here
    assert attempts.recover().charged[0].attempts == 1
    assert store.enqueue([QueueItem(path="/w/a", reason="startup", due=1.0)],
                         replace=False) == []
    kept = store.next_job(2.0)
    assert kept is not None
    assert (kept.reason, kept.attempts) == ("created", 1)
    assert store.enqueue([QueueItem(path="/w/a", action="remove", reason="deleted",
                                    due=1.5)]) == []
    newest = store.next_job(2.0)
    assert newest is not None
    assert (newest.action, newest.attempts, newest.version) == ("remove", 0, 1)
    assert store.next_job(1.0) is None, "not due yet"
    # A job finished with a stale version stays queued (the file changed meanwhile).
    store.finish(job)
    assert store.pending() == 1
    store.finish(newest)
    assert store.pending() == 0


def test_model_change_drops_vectors_and_queues_reembed(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    first = Store(path, model="model-a", dimension=4)
    add(first, "/w/a.txt", ["alpha"], [unit(1, 0, 0, 0)])
    first.close()
    same = Store(path, model="model-a", dimension=4)
    assert not same.model_changed
    same.close()
    second = Store(path, model="model-b", dimension=8)
    assert second.model_changed
    assert table_counts(second) == (1, 0, 1), "text kept, vectors of the old space gone"
    job = second.next_job(float("inf"))
    assert job is not None
    assert (job.path, job.action) == ("/w/a.txt", "reembed")
    ids = [i for i, _ in second.chunk_texts("/w/a.txt")]
    second.set_vectors(ids, np.ones((1, 8), dtype=np.float32) / np.sqrt(8), job)
    assert table_counts(second) == (1, 1, 1)
    assert second.pending() == 0
    second.close()


def test_hybrid_search_fuses_and_cuts_off(store: Store) -> None:
    add(store, "/w/boiler.pdf", ["The boiler pressure is 1.5 bar.", "Bleed the radiators."],
        [unit(1, 0.1, 0, 0), unit(0.7, 0.7, 0, 0)])
    add(store, "/w/garden.txt", ["Tomatoes need sun."], [unit(0, 0, 1, 0)], digest="g")
    query = unit(1, 0, 0, 0)
    hits = hybrid_search(store.conn, "boiler pressure", query, k=3)
    assert [(h.path, h.page) for h in hits][:2] == [("/w/boiler.pdf", 1), ("/w/boiler.pdf", 2)]
    assert hits[0].score > hits[1].score
    close = hybrid_search(store.conn, "tomatoes", query, k=5, max_distance=0.9)
    assert [h.text for h in close] == ["The boiler pressure is 1.5 bar.", "Bleed the radiators."]
    assert "Tomatoes need sun." not in [h.text for h in close], "BM25 hit beyond the cut-off"
    text_only = hybrid_search(store.conn, "tomatoes", None, k=5)
    assert [h.path for h in text_only] == ["/w/garden.txt"]
    assert hybrid_search(store.conn, "x", query, k=0) == []


def test_readers_do_not_block_the_writer(store: Store) -> None:
    add(store, "/w/a.txt", ["alpha"], [unit(1, 0, 0, 0)])
    reader = connect(store.path, readonly=True)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM chunks").fetchone()[0] == 1
    done = threading.Event()

    def write() -> None:
        add(store, "/w/b.txt", ["beta"], [unit(0, 1, 0, 0)], digest="b")
        done.set()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join(10)
    assert done.is_set(), "the writer committed while a read transaction was open"
    assert reader.execute("SELECT count(*) FROM chunks").fetchone()[0] == 1, "snapshot"
    reader.execute("COMMIT")
    assert reader.execute("SELECT count(*) FROM chunks").fetchone()[0] == 2
    with pytest.raises(Exception, match=r"readonly|read-only|query_only|attempt to write"):
        reader.execute("DELETE FROM chunks")
    reader.close()


def _open_at_once(path: Path, openers: int) -> tuple[list[Store], list[BaseException]]:
    barrier = threading.Barrier(openers)
    failures: list[BaseException] = []
    stores: list[Store] = []

    def open_store() -> None:
        barrier.wait()
        try:
            stores.append(Store(path, model="m", dimension=4))
        except BaseException as exc:  # reported by the caller
            failures.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(openers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return stores, failures


def test_two_openers_of_a_new_store_at_once_both_succeed(tmp_path: Path) -> None:
    # The responder's retriever and the documents handler open a new store at the same
    # start-up; switching to WAL while the other creates the schema must wait, not fail.
    # Without the wait, about one attempt in ten failed with "database is locked".
    for attempt in range(100):
        stores, failures = _open_at_once(tmp_path / f"race-{attempt}.sqlite", 2)
        for store in stores:
            store.close()
        assert failures == []
        assert len(stores) == 2
    conn = connect(tmp_path / "race-0.sqlite", readonly=True)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
