"""Ingest one file (stat, settle, read, hash, extract, chunk, embed, store) and one-shot ingest."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import importlib
import logging
import os
import stat
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nimbus.daemon.config import Config
from nimbus.watchfolders.attempts import Attempts
from nimbus.watchfolders.embedder import Embedder
from nimbus.watchfolders.extract import (
    ExtractError,
    Transcriber,
    extract_document,
    kind_of,
)
from nimbus.watchfolders.filters import contains
from nimbus.watchfolders.ocr import Ocr
from nimbus.watchfolders.passages import Chunk, chunk_pages
from nimbus.watchfolders.sqlite import is_disk_full
from nimbus.watchfolders.store import Job, Store

__all__ = [
    "BATCH_JOBS",
    "MAX_ATTEMPTS",
    "IngestOutcome",
    "IngestStopped",
    "Ingestor",
    "Progress",
    "StoreFull",
    "is_attachment",
]

log = logging.getLogger(__name__)

BATCH_BYTES = 8 * 1024 * 1024
"""At most this much file content is held in memory by one batch (plus one file)."""

BATCH_JOBS = 32
"""At most this many queued files are embedded together."""

MAX_ATTEMPTS = 3
"""A file that was alone in progress when the process died this many times is marked failed
(``gave_up``), not retried (see :mod:`.attempts`)."""


Progress = Callable[[str, str, int, int], None]
"""(path, stage, done, total): a long step of one file moved on (OCR: a page was read)."""


def is_attachment(path: str) -> bool:
    """Is this store path a file attached to a mail (``…/letter.eml/price-list.pdf``)?"""
    return os.path.isfile(os.path.dirname(path))


class IngestStopped(Exception):
    """The ingest was abandoned because the process is stopping (the queue keeps the job)."""


class StoreFull(OSError):
    """The store's disk is full (a state to wait out); ``outcomes`` were written before it."""

    def __init__(self, cause: Exception, outcomes: Sequence[IngestOutcome]) -> None:
        super().__init__(errno.ENOSPC, f"database or disk is full ({cause})")
        self.outcomes = tuple(outcomes)


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestOutcome:
    """What happened to one path."""

    path: str
    status: str
    """ingested | skipped (same hash) | moved | removed | failed | waiting (still settling)."""
    pages: int = 0
    chunks: int = 0
    seconds: float = 0.0
    code: str = ""
    """For failed: a stable code (empty, corrupt_pdf, encrypted_pdf, too_large, ...)."""
    message: str = ""
    old_path: str = ""
    """For moved: where the file was before."""
    ocr_pages: int = 0
    """Pages read by OCR."""


def _stat_key(st: os.stat_result) -> tuple[int, float]:
    return st.st_size, st.st_mtime


class Ingestor:
    """Runs queue jobs against the store. Synchronous; lives on the single writer thread."""

    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        config: Config,
        *,
        transcriber: Callable[[], Transcriber] | None = None,
        clock: Callable[[], float] = time.time,
        accepts: Callable[[str], bool] | None = None,
        progress: Progress | None = None,
        roots: Sequence[str] | None = None,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.chunk_chars = config.store.chunk_chars
        self.chunk_overlap = config.store.chunk_overlap
        self.max_bytes = int(config.watch.max_file_mb * 1024 * 1024)
        self.settle_s = config.watch.settle_s
        self._asr_config = config.asr
        self._make_transcriber = transcriber or self._whisper
        self._transcribe: Transcriber | None = None
        self._clock = clock
        self.stopping = threading.Event()
        """Set on shutdown: the batch in progress is abandoned between two embedding batches."""
        self._accepts = accepts or (lambda _path: True)
        """Whether a path still belongs in the store (watched and not excluded)."""
        self._ocr_config = config.ocr
        self.progress = progress
        """Told after each OCR'd page (the handler publishes ``document.progress``)."""
        self.roots = tuple(os.path.realpath(r) for r in (
            config.watch_paths if roots is None else roots))
        """Resolved folders that what a file resolves to must stay inside (symlinks)."""
        self.attempts = Attempts(store)
        self._isolate: list[int] = []
        """Queue ids of an interrupted batch, retried one at a time (see :mod:`.attempts`)."""

    # --- audio -----------------------------------------------------------------------------

    def _whisper(self) -> Transcriber:
        """LISTENING's Whisper engine and audio reader, loaded on the first audio file."""
        try:
            asr_engine: Any = importlib.import_module("nimbus.handlers.listening.asr.engine")
            audio_file: Any = importlib.import_module("nimbus.handlers.audio.files")
        except ImportError as exc:
            raise ExtractError("audio_unavailable", f"speech recognition unavailable: {exc}") \
                from None
        engine = asr_engine.WhisperEngine(self._asr_config)
        read_audio_file, audio_file_error = audio_file.read_audio_file, audio_file.AudioFileError

        def transcribe(path: Path) -> str:
            try:
                audio = read_audio_file(path)
            except audio_file_error as exc:
                raise ExtractError(str(getattr(exc, "code", "corrupt_audio")),
                                   str(getattr(exc, "message", exc))) from None
            return str(engine.transcribe(audio).text)

        return transcribe

    def _transcriber(self, path: Path) -> str:
        if self._transcribe is None:
            self._transcribe = self._make_transcriber()
        return self._transcribe(path)

    # --- jobs ------------------------------------------------------------------------------

    def recover(self) -> list[IngestOutcome]:
        """Once per process, before any job: charge the file a dead process was working on
        alone (give it up after MAX_ATTEMPTS), isolate the files of an interrupted batch."""
        recovery = self.attempts.recover()
        self._isolate = list(recovery.isolate)
        if recovery.isolate and not recovery.charged:
            log.warning("the process stopped while embedding a batch of %d file(s): nobody is "
                        "charged; they are retried one at a time", len(recovery.isolate))
        outcomes = []
        for job in recovery.charged:
            log.warning("the process stopped while ingesting %s alone (interrupted attempt %d "
                        "of %d)", job.path, job.attempts, MAX_ATTEMPTS)
            if job.attempts >= MAX_ATTEMPTS:
                outcomes.append(self._give_up(job))
        return outcomes

    def due_jobs(self, now: float) -> list[Job]:
        """The next jobs to run: an isolated one alone, else up to BATCH_JOBS due jobs."""
        while self._isolate:
            job = self.store.job(self._isolate[0])
            if job is not None and job.due <= now:
                return [job]
            self._isolate.pop(0)  # done, replaced, or settling again: back to batches
        return self.store.next_jobs(now, BATCH_JOBS)

    def _give_up(self, job: Job) -> IngestOutcome:
        message = (f"gave up after {job.attempts} interrupted attempts (the process died "
                   "while this file alone was being ingested)")
        log.warning("%s: %s", job.path, message)
        try:
            st: os.stat_result | None = os.stat(job.path)
        except OSError:
            st = None
        # With its stat recorded, start-up reconciliation leaves it alone until it changes
        # (else every restart would queue it, and it would crash the process again).
        self.store.mark_failed(path=job.path, code="gave_up", message=message,
                               size=st.st_size if st else None,
                               mtime=st.st_mtime if st else None, job=job)
        return IngestOutcome(path=job.path, status="failed", code="gave_up", message=message)

    def process(self, job: Job) -> IngestOutcome:
        """Run one queued job; never raises for a per-file problem."""
        return self.process_batch([job])[0]

    def _working_on(self, ids: Sequence[int]) -> None:
        self.attempts.working_on(ids, isolate=self._isolate)

    def process_batch(self, jobs: Sequence[Job]) -> list[IngestOutcome]:
        """Run queued jobs, embedding the chunks of all their files together (throughput for many
        small files); each file is still committed in its own transaction, in job order.

        Stops taking jobs once BATCH_BYTES of file content are held; the jobs not reached stay
        queued, untouched, so memory is bounded whatever the queue holds.
        """
        given_up = [job for job in jobs if job.attempts >= MAX_ATTEMPTS]
        if given_up:  # decided and reported on their own, before any other work
            return [self._give_up(job) for job in given_up]
        try:
            results = self._run_batch(jobs)
        except BaseException:
            # Not a dead process (a stop, a bug, a full disk): nobody is charged. Best effort:
            # on a full disk even this may fail, and the next start then charges one file.
            with contextlib.suppress(Exception):
                self.attempts.done()
            raise
        self.attempts.done()
        finished = {job.id for job in jobs}
        self._isolate = [i for i in self._isolate if i not in finished]
        return results

    def _run_batch(self, jobs: Sequence[Job]) -> list[IngestOutcome]:
        # A stop (IngestStopped) charges nobody: the attempts tracker is cleared by the caller.
        outcomes: list[IngestOutcome | _Prepared] = []
        self._prepare_all(jobs, outcomes)
        return self._commit_all(outcomes)

    def _prepare_all(self, jobs: Sequence[Job], outcomes: list[IngestOutcome | _Prepared],
                     ) -> None:
        held = 0
        for job in jobs:
            if held >= BATCH_BYTES:
                break
            if job.action == "remove" and (
                not os.path.lexists(job.path) or not self._accepts(job.path)
                or not contains(self.roots, os.path.realpath(job.path))
            ):
                outcomes.append(self.remove(job.path, job))
            elif job.action == "reembed":
                self._working_on([job.id])
                outcomes.append(self.reembed(job))
            else:
                self._working_on([job.id])  # this file alone: reading and extracting it
                item = self._prepare(job.path, job=job)
                held += item.nbytes if isinstance(item, _Prepared) else 0
                outcomes.append(item)
        batch = [p.job.id for p in outcomes if isinstance(p, _Prepared) and p.job is not None]
        if batch:
            self._working_on(batch)  # embedding them together: one alone is charged

    def _commit_all(self, items: Sequence[IngestOutcome | _Prepared]) -> list[IngestOutcome]:
        prepared = [p for item in items if isinstance(item, _Prepared)
                    for p in (*(c for c in item.children if isinstance(c, _Prepared)), item)]
        vectors = self._embed([c.text for p in prepared for c in p.chunks])
        results: list[IngestOutcome] = []
        full: Exception | None = None
        offset = 0

        def commit(item: _Prepared) -> IngestOutcome | None:
            nonlocal offset, full
            own = vectors[offset:offset + len(item.chunks)]
            offset += len(item.chunks)
            if full is not None:
                return None  # stays queued: ingested again once there is space
            try:
                self.store.replace_document(path=item.path, digest=item.digest, size=item.size,
                                            mtime=item.mtime, pages=item.pages,
                                            chunks=item.chunks, vectors=own, job=item.job)
            except Exception as exc:
                if not is_disk_full(exc):
                    raise
                full = exc
                return None
            return IngestOutcome(path=item.path, status="ingested", pages=item.pages,
                                 chunks=len(item.chunks), ocr_pages=item.ocr_pages,
                                 seconds=time.perf_counter() - item.started)

        for item in items:
            if isinstance(item, IngestOutcome):
                results.append(item)  # already decided and written while preparing
                continue
            # Attachments first, the mail last: its job leaves the queue with it, so a crash
            # in between repeats the whole mail.
            children = [commit(c) if isinstance(c, _Prepared) else c for c in item.children]
            if item.attachments is not None and full is None:
                self.store.remove_attachments(item.path, keep=set(item.attachments))
            mail = commit(item)
            results += [r for r in (mail, *children) if r is not None]
        if full is not None:
            raise StoreFull(full, results)
        return results

    def remove(self, path: str, job: Job | None) -> IngestOutcome:
        removed = self.store.remove_document(path, job)
        if removed is None:
            return IngestOutcome(path=path, status="skipped", message="not in the store")
        return IngestOutcome(path=path, status="removed", chunks=removed)

    def reembed(self, job: Job) -> IngestOutcome:
        started = time.perf_counter()
        rows = self.store.chunk_texts(job.path)
        vectors = self._embed([text for _, text in rows])
        self.store.set_vectors([i for i, _ in rows], vectors, job)
        return IngestOutcome(path=job.path, status="ingested", chunks=len(rows),
                             seconds=time.perf_counter() - started)

    def _embed(self, texts: Sequence[str]) -> Any:
        import numpy as np  # noqa: PLC0415

        # Batch by batch, so a search can take the model between two batches, and a shutdown
        # can abandon the work (its jobs stay queued; nothing was committed).
        step = self.embedder.batch_size
        parts = []
        for i in range(0, len(texts), step):
            if self.stopping.is_set():
                raise IngestStopped
            parts.append(self.embedder.embed(texts[i:i + step]))
        return np.concatenate(parts) if parts else self.embedder.embed([])

    def _fail(self, path: str, code: str, message: str, job: Job | None,
              st: os.stat_result | None = None, *, status: str = "failed") -> IngestOutcome:
        self.store.mark_failed(path=path, code=code, message=message,
                               size=st.st_size if st else None, mtime=st.st_mtime if st else None,
                               job=job, status=status)
        return IngestOutcome(path=path, status="failed", code=code, message=message)

    def _outside(self, path: str, real: str, job: Job | None) -> IngestOutcome:
        """A link whose target leaves the watched folders: refused, and anything indexed under
        that name before is forgotten (it may have come from outside)."""
        self.store.remove_document(path, None)
        return self._fail(path, "outside_watched",
                          f"resolves to {real}, outside the watched folders "
                          f"({', '.join(self.roots)}): not read", job)

    def ingest(self, path: str, *, job: Job | None) -> IngestOutcome:
        """Bring the store up to date with one file; settle first when it came from the queue."""
        return self._commit_all([self._prepare(path, job=job)])[0]

    def _prepare(self, path: str, *, job: Job | None) -> IngestOutcome | _Prepared:
        """Everything before embedding: stat, settle, read, hash, extract, chunk."""
        started = time.perf_counter()
        real = os.path.realpath(path)
        if not contains(self.roots, real):
            return self._outside(path, real, job)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return self.remove(path, job)
        except OSError as exc:
            code = "symlink_loop" if exc.errno == errno.ELOOP else "unreadable"
            return self._fail(path, code, f"cannot stat: {exc.strerror or exc}", job)
        if not stat.S_ISREG(st.st_mode):
            return self._fail(path, "not_a_file", "not a regular file (directory, FIFO, device)",
                              job, st)
        if kind_of(Path(path)) is None:
            suffix = Path(path).suffix or "(no suffix)"
            return self._fail(path, "unsupported_type",
                              f"files of type {suffix!r} are not ingested", job, st,
                              status="skipped")
        if st.st_size > self.max_bytes:
            return self._fail(
                path, "too_large",
                f"{st.st_size / 1048576:.1f} MB is over watch.max_file_mb "
                f"({self.max_bytes / 1048576:g} MB)", job, st)
        now = self._clock()
        if job is not None and self.settle_s > 0 and (
            (job.size, job.mtime) != _stat_key(st) or now - st.st_mtime < self.settle_s
        ):
            self.store.defer(job, due=now + self.settle_s, size=st.st_size, mtime=st.st_mtime)
            return IngestOutcome(path=path, status="waiting")
        try:
            with open(path, "rb") as handle:
                # What was opened, not what the name said a moment ago (a link swapped since).
                opened = _opened_path(handle.fileno())
                if opened is not None and not contains(self.roots, opened):
                    return self._outside(path, opened, job)
                data = handle.read(self.max_bytes + 1)
            after = os.stat(path)
        except FileNotFoundError:
            return self.remove(path, job)
        except OSError as exc:
            return self._fail(path, "unreadable", f"cannot read: {exc.strerror or exc}", job, st)
        if _stat_key(after) != _stat_key(st) or len(data) != st.st_size:
            if job is None:
                return self._fail(path, "changing", "the file changed while being read", None, st)
            self.store.defer(job, due=now + self.settle_s, size=after.st_size,
                             mtime=after.st_mtime)
            return IngestOutcome(path=path, status="waiting")
        return self._index(path, data, st, job, started)

    def _index(self, path: str, data: bytes, st: os.stat_result, job: Job | None,
               started: float) -> IngestOutcome | _Prepared:
        digest = hashlib.sha256(data).hexdigest()
        existing = self.store.document(path)
        if existing is not None and existing.hash == digest and existing.status == "indexed":
            self.store.touch(path=path, size=st.st_size, mtime=st.st_mtime, job=job)
            return IngestOutcome(path=path, status="skipped", pages=existing.pages,
                                 chunks=existing.chunks, message="content unchanged")
        for twin in self.store.documents_with_hash(digest):
            if twin.path != path and not os.path.lexists(twin.path) and \
                    not is_attachment(twin.path):
                self.store.rename_document(old=twin.path, new=path, size=st.st_size,
                                           mtime=st.st_mtime, job=job)
                return IngestOutcome(path=path, status="moved", pages=twin.pages,
                                     chunks=twin.chunks, old_path=twin.path)
        try:
            extracted = extract_document(Path(path), data, transcribe=self._transcriber,
                                         ocr=self._ocr(path))
        except ExtractError as exc:
            return self._fail(path, exc.code, exc.message, job, st)
        children = [self._attachment(f"{path}/{attachment.name}", attachment.data, st.st_mtime)
                    for attachment in extracted.attachments]
        pages = extracted.pages
        chunks = chunk_pages(pages, size=self.chunk_chars, overlap=self.chunk_overlap)
        return _Prepared(path=path, digest=digest, size=st.st_size, mtime=st.st_mtime,
                         pages=len(pages), chunks=tuple(chunks), job=job, started=started,
                         nbytes=len(data), ocr_pages=sum(p.ocr for p in pages),
                         children=tuple(children),
                         attachments=tuple(f"{path}/{a.name}" for a in extracted.attachments)
                         if kind_of(Path(path)) == "mail" else None)

    def _ocr(self, path: str) -> Ocr:
        def told(done: int, total: int) -> None:
            if self.stopping.is_set():
                raise IngestStopped
            if self.progress is not None:
                self.progress(path, "ocr", done, total)

        return Ocr(self._ocr_config, told)

    def _attachment(self, path: str, data: bytes, mtime: float) -> IngestOutcome | _Prepared:
        """A mail's attachment: a document of its own, stored under the mail's path."""
        started = time.perf_counter()
        digest = hashlib.sha256(data).hexdigest()
        existing = self.store.document(path)
        if existing is not None and existing.hash == digest and existing.status == "indexed":
            return IngestOutcome(path=path, status="skipped", pages=existing.pages,
                                 chunks=existing.chunks, message="content unchanged")
        if kind_of(Path(path)) is None:
            suffix = Path(path).suffix or "(no suffix)"
            return self._fail(path, "unsupported_type", f"files of type {suffix!r} are not read",
                              None, status="skipped")
        try:
            extracted = extract_document(Path(path), data, transcribe=None, ocr=self._ocr(path))
        except ExtractError as exc:
            return self._fail(path, exc.code, exc.message, None)
        chunks = chunk_pages(extracted.pages, size=self.chunk_chars, overlap=self.chunk_overlap)
        return _Prepared(path=path, digest=digest, size=len(data), mtime=mtime,
                         pages=len(extracted.pages), chunks=tuple(chunks), job=None,
                         started=started, nbytes=len(data),
                         ocr_pages=sum(p.ocr for p in extracted.pages))


@dataclass(frozen=True, slots=True, kw_only=True)
class _Prepared:
    """A file read, extracted and chunked, waiting for its vectors."""

    path: str
    digest: str
    size: int
    mtime: float
    pages: int
    chunks: tuple[Chunk, ...]
    job: Job | None
    started: float
    nbytes: int
    ocr_pages: int = 0
    children: tuple[IngestOutcome | _Prepared, ...] = ()
    """A mail's attachments, each read as a document of its own."""
    attachments: tuple[str, ...] | None = None
    """A mail: the paths of all its attachments now (older ones are forgotten)."""


def _opened_path(fd: int) -> str | None:
    """The resolved path of an open file (Linux: /proc/self/fd), or None where unknown."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None
