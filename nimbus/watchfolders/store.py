"""The document store: one SQLite file (WAL) with documents, chunks, a vec0 table, FTS5, a queue.

Only one thread writes (the ingest writer); readers open their own connections (see retriever).
Every change to a document is one transaction, and the queue row that asked for it is deleted in
that same transaction, so a crash either applied a job completely or not at all.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from nimbus.watchfolders.passages import Chunk
from nimbus.watchfolders.sqlite import connect

__all__ = ["DocumentRow", "Job", "QueueItem", "Store"]

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents(
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    hash TEXT,
    size INTEGER,
    mtime REAL,
    status TEXT NOT NULL,            -- indexed | failed | skipped (unsupported type)
    error_code TEXT,
    error TEXT,
    pages INTEGER NOT NULL DEFAULT 0,
    chunks INTEGER NOT NULL DEFAULT 0,
    ingests INTEGER NOT NULL DEFAULT 0, -- committed (re-)embeddings of this file
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_hash ON documents(hash);
CREATE TABLE IF NOT EXISTS chunks(
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    page INTEGER,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    ocr INTEGER NOT NULL DEFAULT 0   -- 1: read by OCR from a scan or photo
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    text, content='chunks', content_rowid='id', tokenize='porter unicode61'
);
CREATE TRIGGER IF NOT EXISTS chunks_ai AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS chunks_ad AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
    DELETE FROM chunks_vec WHERE rowid = old.id;
END;
CREATE TABLE IF NOT EXISTS queue(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    path TEXT NOT NULL UNIQUE,
    action TEXT NOT NULL,            -- ingest | remove | reembed
    reason TEXT NOT NULL,
    due REAL NOT NULL,               -- wall-clock time before which the job waits (settling)
    size INTEGER,                    -- last observed size/mtime, for settle detection
    mtime REAL,
    attempts INTEGER NOT NULL DEFAULT 0, -- interrupted while in progress alone (attempts.py)
    version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS queue_due ON queue(due, id);
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueItem:
    """Work to put in the durable queue."""

    path: str
    action: str = "ingest"
    """ingest | remove | reembed."""
    reason: str = "created"
    due: float = 0.0
    size: int | None = None
    """Size and mtime seen when queued: a file still the same at ``due`` has settled."""
    mtime: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Job:
    """One queued row, as read by the writer."""

    id: int
    path: str
    action: str
    reason: str
    due: float
    size: int | None
    mtime: float | None
    attempts: int
    version: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentRow:
    """One row of the documents table."""

    id: int
    path: str
    hash: str | None
    size: int | None
    mtime: float | None
    status: str
    error_code: str | None
    error: str | None
    pages: int
    chunks: int
    ingests: int
    updated: float


_DOC_COLUMNS = ("id, path, hash, size, mtime, status, error_code, error, pages, chunks, ingests, "
                "updated")
_JOB_COLUMNS = "id, path, action, reason, due, size, mtime, attempts, version"


class Store:
    """The writer's handle on the store. Not thread-safe: one owner thread calls it."""

    def __init__(self, path: Path, *, model: str, dimension: int) -> None:
        self.path = path
        self.model = model
        self.dimension = dimension
        self.conn: Any = connect(path)
        self.model_changed = False
        """True when this open found vectors from another model and queued a re-embed."""
        self._setup()

    # --- schema and model ----------------------------------------------------------------

    def _setup(self) -> None:
        # executescript runs outside our transactions; every statement is IF NOT EXISTS.
        self.conn.executescript(
            "BEGIN IMMEDIATE;\n"
            "CREATE VIRTUAL TABLE IF NOT EXISTS chunks_vec USING "
            f"vec0(embedding float[{self.dimension}]);\n" + _SCHEMA + "\nCOMMIT;"
        )
        with self.transaction():
            columns = {str(r[1]) for r in self.conn.execute("PRAGMA table_info(chunks)")}
            if "ocr" not in columns:  # a store written before OCR existed
                self.conn.execute("ALTER TABLE chunks ADD COLUMN ocr INTEGER NOT NULL DEFAULT 0")
            meta = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("embedding_model") not in (None, self.model) or meta.get(
                "embedding_dim"
            ) not in (None, str(self.dimension)):
                self._switch_model(meta.get("embedding_model", "?"))
            self._set_meta("schema_version", SCHEMA_VERSION)
            self._set_meta("embedding_model", self.model)
            self._set_meta("embedding_dim", str(self.dimension))

    def _create_vec(self) -> None:
        self.conn.execute("DROP TABLE IF EXISTS chunks_vec")
        self.conn.execute(
            f"CREATE VIRTUAL TABLE chunks_vec USING vec0(embedding float[{self.dimension}])"
        )

    def _switch_model(self, old: str) -> None:
        """Drop every vector (never mix two vector spaces) and queue a re-embed of each file."""
        log.warning("embedding model changed (%s -> %s): re-embedding the store", old, self.model)
        self._create_vec()
        now = time.time()
        self.conn.execute(
            "INSERT INTO queue(path, action, reason, due) "
            "SELECT path, 'reembed', 'model changed', ? FROM documents WHERE chunks > 0 "
            "ON CONFLICT(path) DO NOTHING",
            (now,),
        )
        self.model_changed = True

    def _set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on any exception)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            # SQLite may have rolled back by itself (SQLITE_FULL, SQLITE_IOERR): a second
            # ROLLBACK would raise and hide the real error.
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    # --- queue ----------------------------------------------------------------------------

    def enqueue(self, items: Sequence[QueueItem], *, replace: bool = True) -> list[str]:
        """Add queued work, one row per path; returns the paths that were not queued before.

        ``replace``: the newest action wins (a new event); else a path already queued keeps its
        row (start-up reconciliation must not reset the attempt count of a file that crashed us).
        """
        if not items:
            return []
        conflict = (
            "DO UPDATE SET action = excluded.action, reason = excluded.reason, "
            "due = excluded.due, size = excluded.size, mtime = excluded.mtime, attempts = 0, "
            "version = version + 1"
            if replace else "DO NOTHING"
        )
        with self.transaction() as conn:
            fresh = [i.path for i in items if conn.execute(
                "SELECT 1 FROM queue WHERE path = ?", (i.path,)).fetchone() is None]
            conn.executemany(
                "INSERT INTO queue(path, action, reason, due, size, mtime) "
                f"VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(path) {conflict}",
                [(i.path, i.action, i.reason, i.due, i.size, i.mtime) for i in items],
            )
        return list(dict.fromkeys(fresh))

    def next_jobs(self, now: float, limit: int) -> list[Job]:
        """Due jobs, oldest first (one per path, so a file's work is always in order)."""
        names = _JOB_COLUMNS.split(", ")
        return [Job(**dict(zip(names, row, strict=True))) for row in self.conn.execute(
            f"SELECT {_JOB_COLUMNS} FROM queue WHERE due <= ? ORDER BY due, id LIMIT ?",
            (now, limit)).fetchall()]

    def job(self, job_id: int) -> Job | None:
        """The queued row with this id, if it is still queued."""
        row = self.conn.execute(f"SELECT {_JOB_COLUMNS} FROM queue WHERE id = ?",
                                (job_id,)).fetchone()
        return None if row is None else Job(**dict(zip(_JOB_COLUMNS.split(", "), row,
                                                       strict=True)))

    def next_job(self, now: float) -> Job | None:
        jobs = self.next_jobs(now, 1)
        return jobs[0] if jobs else None

    def next_due(self) -> float | None:
        row = self.conn.execute("SELECT min(due) FROM queue").fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def is_queued(self, path: str) -> bool:
        return self.conn.execute("SELECT 1 FROM queue WHERE path = ?", (path,)).fetchone() \
            is not None

    def pending(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM queue").fetchone()[0])

    def defer(self, job: Job, *, due: float, size: int | None, mtime: float | None) -> None:
        """The file is still changing: look again at ``due`` with the newly observed stat."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE queue SET due = ?, size = ?, mtime = ? WHERE id = ? AND version = ?",
                (due, size, mtime, job.id, job.version),
            )

    def _finish(self, job: Job | None) -> None:
        if job is not None:
            self.conn.execute("DELETE FROM queue WHERE id = ? AND version = ?",
                              (job.id, job.version))

    def finish(self, job: Job) -> None:
        with self.transaction():
            self._finish(job)

    # --- documents ------------------------------------------------------------------------

    def _doc(self, where: str, args: tuple[Any, ...]) -> list[DocumentRow]:
        rows = self.conn.execute(f"SELECT {_DOC_COLUMNS} FROM documents WHERE {where}",
                                 args).fetchall()
        names = _DOC_COLUMNS.split(", ")
        return [DocumentRow(**dict(zip(names, row, strict=True))) for row in rows]

    def document(self, path: str) -> DocumentRow | None:
        rows = self._doc("path = ?", (path,))
        return rows[0] if rows else None

    def documents_with_hash(self, digest: str) -> list[DocumentRow]:
        return self._doc("hash = ? AND status = 'indexed'", (digest,))

    def all_documents(self) -> list[DocumentRow]:
        return self._doc("1 ORDER BY path", ())

    def replace_document(
        self,
        *,
        path: str,
        digest: str,
        size: int,
        mtime: float,
        pages: int,
        chunks: Sequence[Chunk],
        vectors: npt.NDArray[np.float32],
        job: Job | None,
    ) -> None:
        """Replace a file's chunks and vectors (or add the file) in one transaction."""
        if len(chunks) != len(vectors):
            raise ValueError("one vector per chunk")
        now = time.time()
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO documents(path, hash, size, mtime, status, pages, chunks, ingests, "
                "updated) VALUES (?, ?, ?, ?, 'indexed', ?, ?, 1, ?) "
                "ON CONFLICT(path) DO UPDATE SET hash = excluded.hash, size = excluded.size, "
                "mtime = excluded.mtime, status = 'indexed', error_code = NULL, error = NULL, "
                "pages = excluded.pages, chunks = excluded.chunks, ingests = ingests + 1, "
                "updated = excluded.updated",
                (path, digest, size, mtime, pages, len(chunks), now),
            )
            doc_id = conn.execute("SELECT id FROM documents WHERE path = ?", (path,)).fetchone()[0]
            conn.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
            for chunk, vector in zip(chunks, vectors, strict=True):
                cursor = conn.execute(
                    'INSERT INTO chunks(doc_id, seq, page, start, "end", text, ocr) '
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (doc_id, chunk.index, chunk.page, chunk.start, chunk.end, chunk.text,
                     int(chunk.ocr)),
                )
                conn.execute("INSERT INTO chunks_vec(rowid, embedding) VALUES (?, ?)",
                             (cursor.lastrowid, np.asarray(vector, dtype=np.float32).tobytes()))
            self._finish(job)

    def chunk_texts(self, path: str) -> list[tuple[int, str]]:
        return [
            (int(r[0]), str(r[1]))
            for r in self.conn.execute(
                "SELECT c.id, c.text FROM chunks c JOIN documents d ON d.id = c.doc_id "
                "WHERE d.path = ? ORDER BY c.seq", (path,)
            ).fetchall()
        ]

    def set_vectors(self, ids: Sequence[int], vectors: npt.NDArray[np.float32],
                    job: Job | None) -> None:
        """Re-embed: replace the vectors of existing chunks (model change)."""
        with self.transaction() as conn:
            for chunk_id, vector in zip(ids, vectors, strict=True):
                conn.execute("DELETE FROM chunks_vec WHERE rowid = ?", (chunk_id,))
                conn.execute("INSERT INTO chunks_vec(rowid, embedding) VALUES (?, ?)",
                             (chunk_id, np.asarray(vector, dtype=np.float32).tobytes()))
            self._finish(job)

    def touch(self, *, path: str, size: int, mtime: float, job: Job | None) -> None:
        """Content unchanged: record the new stat so start-up reconciliation stays quiet."""
        with self.transaction() as conn:
            conn.execute("UPDATE documents SET size = ?, mtime = ?, updated = ? WHERE path = ?",
                         (size, mtime, time.time(), path))
            self._finish(job)

    def mark_failed(
        self,
        *,
        path: str,
        code: str,
        message: str,
        size: int | None,
        mtime: float | None,
        job: Job | None,
        status: str = "failed",
    ) -> None:
        """Record why a file failed (or was skipped). An earlier indexed version keeps its chunks.
        """
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO documents(path, size, mtime, status, error_code, error, updated) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime = excluded.mtime, "
                "status = excluded.status, error_code = excluded.error_code, "
                "error = excluded.error, updated = excluded.updated",
                (path, size, mtime, status, code, message, time.time()),
            )
            self._finish(job)

    def remove_document(self, path: str, job: Job | None) -> int | None:
        """Forget a file and what was attached to it (``mail.eml/x.pdf``); the number of chunks
        removed, None if it was not in the store."""
        prefix = path.rstrip("/") + "/"
        with self.transaction() as conn:
            row = conn.execute("SELECT id, chunks FROM documents WHERE path = ?",
                               (path,)).fetchone()
            if row is not None:
                conn.execute("DELETE FROM chunks WHERE doc_id = ?", (row[0],))
                conn.execute("DELETE FROM documents WHERE id = ?", (row[0],))
                for (child,) in conn.execute(
                        "SELECT id FROM documents WHERE substr(path, 1, ?) = ?",
                        (len(prefix), prefix)).fetchall():
                    conn.execute("DELETE FROM chunks WHERE doc_id = ?", (child,))
                    conn.execute("DELETE FROM documents WHERE id = ?", (child,))
            self._finish(job)
        return None if row is None else int(row[1])

    def remove_attachments(self, parent: str, *, keep: set[str]) -> None:
        """Forget the attachments of ``parent`` that its new version no longer has."""
        with self.transaction() as conn:
            for doc_id, path in conn.execute(
                    "SELECT id, path FROM documents WHERE substr(path, 1, ?) = ?",
                    (len(parent) + 1, parent + "/")).fetchall():
                if path not in keep:
                    conn.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
                    conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def paths_under(self, folder: str) -> list[str]:
        prefix = folder.rstrip("/") + "/"
        return [
            str(r[0]) for r in self.conn.execute(
                "SELECT path FROM documents WHERE substr(path, 1, ?) = ?", (len(prefix), prefix)
            ).fetchall()
        ]

    def move(self, src: str, dest: str) -> list[tuple[str, str, int]]:
        """Rename a file or folder in the store (no re-embedding); the (old, new) paths moved.

        Queued work follows the file. A document already at ``dest`` is replaced.
        """
        src_prefix, dest_prefix = src.rstrip("/") + "/", dest.rstrip("/") + "/"
        moved: list[tuple[str, str, int]] = []
        with self.transaction() as conn:
            pairs = [(src, dest)] + [
                (p, dest_prefix + p[len(src_prefix):]) for p in
                (str(r[0]) for r in conn.execute(
                    "SELECT path FROM documents WHERE substr(path, 1, ?) = ? "
                    "UNION SELECT path FROM queue WHERE substr(path, 1, ?) = ?",
                    (len(src_prefix), src_prefix, len(src_prefix), src_prefix)).fetchall())
            ]
            for old, new in pairs:
                row = conn.execute("SELECT id, chunks FROM documents WHERE path = ?",
                                   (old,)).fetchone()
                if row is not None:
                    target = conn.execute("SELECT id FROM documents WHERE path = ?",
                                          (new,)).fetchone()
                    if target is not None:
                        conn.execute("DELETE FROM chunks WHERE doc_id = ?", (target[0],))
                        conn.execute("DELETE FROM documents WHERE id = ?", (target[0],))
                    conn.execute("UPDATE documents SET path = ?, updated = ? WHERE id = ?",
                                  (new, time.time(), row[0]))
                    moved.append((old, new, int(row[1])))
                conn.execute("DELETE FROM queue WHERE path = ? AND EXISTS "
                             "(SELECT 1 FROM queue WHERE path = ?)", (new, old))
                conn.execute("UPDATE queue SET path = ?, version = version + 1 WHERE path = ?",
                             (new, old))
        return moved

    def rename_document(self, *, old: str, new: str, size: int, mtime: float,
                        job: Job | None) -> None:
        """Reconciliation found a known file under a new name: move it, no re-embedding."""
        with self.transaction() as conn:
            target = conn.execute("SELECT id FROM documents WHERE path = ?", (new,)).fetchone()
            if target is not None:
                conn.execute("DELETE FROM chunks WHERE doc_id = ?", (target[0],))
                conn.execute("DELETE FROM documents WHERE id = ?", (target[0],))
            conn.execute("UPDATE documents SET path = ?, size = ?, mtime = ?, updated = ? "
                         "WHERE path = ?", (new, size, mtime, time.time(), old))
            self._finish(job)

    # --- statistics ------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        one = self.conn.execute
        return {
            "documents": int(one("SELECT count(*) FROM documents WHERE status = 'indexed'")
                             .fetchone()[0]),
            "failed": int(one("SELECT count(*) FROM documents WHERE status = 'failed'")
                          .fetchone()[0]),
            "skipped": int(one("SELECT count(*) FROM documents WHERE status = 'skipped'")
                           .fetchone()[0]),
            "chunks": int(one("SELECT count(*) FROM chunks").fetchone()[0]),
            "queued": self.pending(),
        }
