"""The documents handler: watch folders, run the durable ingest queue, answer Search and Ingest."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config
from nimbus.daemon.events import (
    DocumentFailed,
    DocumentIngested,
    DocumentProgress,
    DocumentQueued,
    DocumentRemoved,
    Error,
    Event,
    Ingest,
    Search,
    SearchResults,
)
from nimbus.daemon.priority import INGEST_NICENESS, nicer
from nimbus.watchfolders.embedder import Embedder, SharedEmbedder
from nimbus.watchfolders.extract import Transcriber
from nimbus.watchfolders.filters import PathFilter, contains, walk_files
from nimbus.watchfolders.full_disk import FullDisk
from nimbus.watchfolders.ingest import (
    Ingestor,
    IngestOutcome,
    IngestStopped,
    StoreFull,
    is_attachment,
)
from nimbus.watchfolders.retriever import Retriever
from nimbus.watchfolders.sqlite import connect, is_disk_full
from nimbus.watchfolders.store import QueueItem, Store
from nimbus.watchfolders.watcher import Change, FolderWatcher

__all__ = ["DocumentsHandler", "plan_changes"]

log = logging.getLogger(__name__)

T = TypeVar("T")

MAX_K = 50
"""Largest k a Search command gets (bounds the work one client request can cause)."""

_lower_priority = nicer(INGEST_NICENESS)
"""Executor initializer: the ingest writer thread (and the threads it spawns) come last."""


def plan_changes(
    changes: Sequence[Change], path_filter: PathFilter, *, now: float, settle_s: float
) -> tuple[list[QueueItem], list[tuple[str, str]], list[str]]:
    """Pure: turn watcher changes into (queue items, moves to apply, deleted folders)."""
    items: list[QueueItem] = []
    moves: list[tuple[str, str]] = []
    deleted_dirs: list[str] = []
    due = now + settle_s
    for change in changes:
        if change.kind == "moved":
            src_ok = path_filter.root_of(change.path) is not None and (
                change.is_dir or path_filter.accepts(change.path))
            dest_ok = path_filter.root_of(change.dest) is not None and (
                change.is_dir or path_filter.accepts(change.dest))
            if src_ok and dest_ok:
                moves.append((change.path, change.dest))
            elif src_ok:
                if change.is_dir:
                    deleted_dirs.append(change.path)
                else:
                    items.append(QueueItem(path=change.path, action="remove", reason="moved away",
                                           due=now))
            elif dest_ok and not change.is_dir:
                items.append(QueueItem(path=change.dest, reason="moved", due=due))
            elif dest_ok:
                deleted_dirs.append("+" + change.dest)  # a folder moved in: walk it
        elif change.is_dir:
            if change.kind == "deleted":
                deleted_dirs.append(change.path)
            elif change.kind == "created" and path_filter.root_of(change.path) is not None:
                deleted_dirs.append("+" + change.path)
        elif path_filter.accepts(change.path):
            if change.kind == "deleted":
                items.append(QueueItem(path=change.path, action="remove", reason="deleted",
                                       due=now))
            else:
                items.append(QueueItem(path=change.path, reason=change.kind, due=due))
    return items, moves, deleted_dirs


class DocumentsHandler:
    """Owns the store's single writer thread, the folder watcher and the search API on the bus."""

    name = "documents"

    def __init__(
        self,
        config: Config,
        bus: Bus,
        *,
        embedder: Embedder | SharedEmbedder | None = None,
        transcriber: Callable[[], Transcriber] | None = None,
        watch: bool = True,
    ) -> None:
        self.config = config
        self._bus = bus
        self._embedder = embedder
        self._transcriber = transcriber
        self._watch = watch
        self.roots = tuple(os.path.realpath(p) for p in config.watch_paths)
        self.filter = PathFilter.of(self.roots, config.watch.include, config.watch.exclude)
        # One thread owns every write to the store (SQLite: one writer).
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="nimbus-ingest",
                                          initializer=_lower_priority)
        self._store: Store | None = None
        self._ingestor: Ingestor | None = None
        self._retriever: Retriever | None = None
        self._wake = asyncio.Event()
        self.processed = 0
        self.serving = asyncio.Event()
        """Set once the folders are watched (the daemon reports ready after that)."""
        self._recovered: list[IngestOutcome] = []
        self.full_disk = FullDisk(bus.publish)
        """A full disk is waited out (nimbus/watchfolders/full_disk.py)."""
        self._resync = False
        """Watcher changes could not be queued (full disk): reconcile with the folders again."""

    async def _write(self, func: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._writer, func, *args)

    def _progress(self, loop: asyncio.AbstractEventLoop) -> Callable[[str, str, int, int], None]:
        """Publishes ``document.progress`` from the writer thread (it does not wait for it)."""
        def told(path: str, stage: str, done: int, total: int) -> None:
            event = DocumentProgress(path=path, stage=stage, done=done, total=total)
            asyncio.run_coroutine_threadsafe(self._bus.publish(event), loop)

        return told

    async def prepare(self) -> None:
        progress = self._progress(asyncio.get_running_loop())

        def load() -> None:
            shared = self._embedder
            embedder = shared.get() if isinstance(shared, SharedEmbedder) else (
                shared or Embedder(self.config.embeddings))
            self._embedder = embedder
            self._store = Store(self.config.store_path, model=embedder.name,
                                dimension=embedder.dimension)
            self._ingestor = Ingestor(self._store, embedder, self.config,
                                      transcriber=self._transcriber, accepts=self.filter.accepts,
                                      progress=progress, roots=self.roots)
            self._recovered = self._ingestor.recover()
            self._retriever = Retriever(connect(self.config.store_path, readonly=True), embedder)

        await self._write(load)

    async def run(self) -> None:
        watcher = FolderWatcher(self.roots) if self._watch else None
        if self._ingestor is not None:
            self._ingestor.stopping.clear()  # a restart after a crash works again
        try:
            if watcher is not None:
                watcher.start()  # before reconciling, so nothing falls in between
            self.serving.set()
            for outcome in self._recovered:
                await self._announce(outcome)
            self._recovered = []
            await self._reconcile()
            async with asyncio.TaskGroup() as tg:
                tg.create_task(self._work(), name="documents:worker")
                tg.create_task(self._commands(), name="documents:commands")
                if watcher is not None:
                    tg.create_task(self._follow(watcher), name="documents:watch")
        finally:
            self.serving.clear()
            if self._ingestor is not None:
                self._ingestor.stopping.set()  # abandon a long batch; its jobs stay queued
            if watcher is not None:
                await asyncio.to_thread(watcher.stop)

    def status(self, limit: int = 20) -> dict[str, Any]:
        """For ``nimbus status``: counts, and the files that cannot be read, each with why."""
        try:
            conn = connect(self.config.store_path, readonly=True, timeout=1.0)
        except Exception as exc:  # a store that cannot be opened: say so, never raise
            return {"error": f"{type(exc).__name__}: {exc}"}
        try:
            counts = dict(conn.execute(
                "SELECT status, count(*) FROM documents GROUP BY status").fetchall())
            queued = int(conn.execute("SELECT count(*) FROM queue").fetchone()[0])
            unreadable = [
                {"path": str(r[0]), "status": str(r[1]), "code": str(r[2] or ""),
                 "message": str(r[3] or "")}
                for r in conn.execute(
                    "SELECT path, status, error_code, error FROM documents WHERE status != "
                    "'indexed' ORDER BY updated DESC LIMIT ?", (limit,)).fetchall()]
        except Exception as exc:  # a store not created yet, or locked: say so
            return {"error": f"{type(exc).__name__}: {exc}"}
        finally:
            conn.close()
        return {"indexed": int(counts.get("indexed", 0)), "failed": int(counts.get("failed", 0)),
                "skipped": int(counts.get("skipped", 0)), "queued": queued,
                "unreadable": unreadable}

    async def close(self) -> None:
        """Release the store (tests and one-shot runs; the daemon just exits)."""
        def shut() -> None:
            if self._retriever is not None:
                self._retriever.close()
            if self._store is not None:
                self._store.close()

        await self._write(shut)
        self._writer.shutdown(wait=True)

    # --- feeding the queue -------------------------------------------------------------------

    async def _publish_queued(self, items: Sequence[QueueItem], cause: str | None = None,
                              site: str | None = None) -> None:
        for item in items:
            if item.action != "remove":
                extra: dict[str, Any] = {"site": site} if site else {}
                await self._bus.publish(
                    DocumentQueued(path=item.path, reason=item.reason, cause=cause, **extra)
                )
        self._wake.set()

    def _reconcile_sync(self) -> list[QueueItem]:
        assert self._store is not None
        now = time.time()
        known = {d.path: d for d in self._store.all_documents()}
        items: list[QueueItem] = []
        seen: set[str] = set()
        for root in self.roots:
            os.makedirs(root, exist_ok=True)
            for path in walk_files(Path(root), self.filter):
                seen.add(path)
                doc = known.get(path)
                try:
                    st = os.stat(path)
                except OSError:
                    st = None
                # An indexed symlink that now resolves outside (an older version's leak, or a
                # link re-pointed while we were down) is queued: refused, its chunks dropped.
                if st is None or (doc is not None and doc.status == "indexed"
                                  and os.path.islink(path)
                                  and not contains(self.roots, os.path.realpath(path))):
                    items.append(QueueItem(path=path, reason="startup", due=now))
                elif doc is None or (doc.size, doc.mtime) != (st.st_size, st.st_mtime):
                    items.append(QueueItem(path=path, reason="startup", due=now,
                                           size=st.st_size, mtime=st.st_mtime))
        # Forgotten after the new names, so a file renamed while we were down is found by hash.
        later = now + self.config.watch.settle_s + 1.0
        # Inside a watched folder: gone or no longer accepted. Outside (a one-off `nimbus ingest`
        # of another path): only when the file itself is gone.
        # A mail's attachments live under its path; the mail's own job looks after them.
        items += [QueueItem(path=p, action="remove", reason="startup", due=later)
                  for p in known if p not in seen and not is_attachment(p) and (
                      self.filter.root_of(p) is not None or not os.path.lexists(p))]
        fresh = set(self._store.enqueue(items, replace=False))
        return [i for i in items if i.path in fresh]

    async def _reconcile(self) -> None:
        try:
            items = await self._write(self._reconcile_sync)
        except Exception as exc:
            if not is_disk_full(exc):
                raise
            await self.full_disk.hit(exc)
            self._resync = True  # the worker tries again, after its pause
            return
        log.info("reconciliation with the folders queued %d change(s)", len(items))
        if items:
            self.full_disk.written()
        await self._publish_queued(items)

    def _apply_changes(self, changes: Sequence[Change]) -> tuple[list[QueueItem],
                                                                 list[tuple[str, str, int]]]:
        assert self._store is not None
        items, moves, dirs = plan_changes(changes, self.filter, now=time.time(),
                                          settle_s=self.config.watch.settle_s)
        now = time.time()
        for folder in dirs:
            if folder.startswith("+"):
                items += [QueueItem(path=p, reason="created", due=now + self.config.watch.settle_s)
                          for p in walk_files(Path(folder[1:]), self.filter)]
            else:
                items += [QueueItem(path=p, action="remove", reason="deleted", due=now)
                          for p in self._store.paths_under(folder)]
        moved: list[tuple[str, str, int]] = []
        for src, dest in moves:
            done = self._store.move(src, dest)
            moved += done
            if not done and os.path.isfile(dest) and self.filter.accepts(dest):
                items.append(QueueItem(path=dest, reason="moved", due=now))
        items = [stamped for i in items if (stamped := self._stamp(i)) is not None]
        fresh = set(self._store.enqueue(items))
        first: dict[str, QueueItem] = {}
        for item in items:
            if item.path in fresh:
                first.setdefault(item.path, item)  # one event a path, with its first reason
        return list(first.values()), moved

    def _stamp(self, item: QueueItem) -> QueueItem | None:
        """Record the file's size and mtime with the item (settle detection starts now); None for
        a late event (e.g. close-after-write) about a file already handled in its current state.
        """
        assert self._store is not None
        if item.action != "ingest":
            return item
        try:
            st = os.stat(item.path)
        except OSError:
            return item  # gone or unreadable: the job reports it
        doc = self._store.document(item.path)
        if doc is not None and (doc.size, doc.mtime) == (st.st_size, st.st_mtime) and \
                not self._store.is_queued(item.path):
            return None
        return dataclasses.replace(item, size=st.st_size, mtime=st.st_mtime)

    async def _follow(self, watcher: FolderWatcher) -> None:
        while True:
            changes = await watcher.changes()
            try:
                items, moved = await self._write(self._apply_changes, changes)
            except (asyncio.CancelledError, KeyboardInterrupt):
                raise
            except Exception as exc:
                if is_disk_full(exc):  # nothing lost: the folders are walked again later
                    self._resync = True
                    await self.full_disk.hit(exc, pause=False)
                    self._wake.set()
                    continue
                log.exception("cannot queue %d change(s)", len(changes))
                await self._bus.publish(Error(code="queue_failed", message=str(exc),
                                              stage="ingest"))
                continue
            for old, new, chunks in moved:
                log.info("moved %s -> %s", old, new)
                await self._bus.publish(DocumentIngested(path=new, chunks=chunks, skipped=True))
            await self._publish_queued([i for i in items if i.action != "remove"])
            self._wake.set()

    # --- draining the queue ------------------------------------------------------------------

    def _step(self) -> list[IngestOutcome] | float | None:
        """Run the next due jobs: their outcomes; else the time of the next due job (or None)."""
        assert self._store is not None
        assert self._ingestor is not None
        jobs = self._ingestor.due_jobs(time.time())
        if not jobs:
            return self._store.next_due()
        try:
            return self._ingestor.process_batch(jobs)
        except IngestStopped:
            return []
        except Exception as exc:  # a bug must not wedge the queue: retry one by one
            if is_disk_full(exc):
                raise  # not the files' fault: _work waits for space
            log.exception("batch ingest failed; retrying its files one at a time")
        outcomes: list[IngestOutcome] = []
        for job in self._store.next_jobs(time.time(), len(jobs)):
            try:
                outcomes.append(self._ingestor.process(job))
            except IngestStopped:
                break
            except Exception as exc:
                if is_disk_full(exc):
                    raise
                log.exception("ingest of %s failed", job.path)
                message = f"{type(exc).__name__}: {exc}"
                self._store.mark_failed(path=job.path, code="internal", message=message,
                                        size=None, mtime=None, job=job)
                outcomes.append(IngestOutcome(path=job.path, status="failed", code="internal",
                                              message=message))
        return outcomes

    async def _work(self) -> None:
        while True:
            self._wake.clear()
            if self._resync:
                self._resync = False
                await self._reconcile()
                continue
            try:
                result = await self._write(self._step)
            except Exception as exc:
                if not is_disk_full(exc):
                    raise
                for outcome in exc.outcomes if isinstance(exc, StoreFull) else ():
                    self.processed += 1  # written before the disk filled up
                    await self._announce(outcome)
                await self.full_disk.hit(exc)
                continue
            if isinstance(result, list):
                if result:
                    self.full_disk.written()  # something was written again
                for outcome in result:
                    self.processed += 1
                    await self._announce(outcome)
                continue
            timeout = None if result is None else max(0.01, result - time.time())
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._wake.wait()

    async def _announce(self, outcome: IngestOutcome) -> None:
        event: Event | None = None
        match outcome.status:
            case "ingested":
                event = DocumentIngested(path=outcome.path, pages=outcome.pages,
                                         chunks=outcome.chunks, seconds=outcome.seconds)
            case "skipped" | "moved" if outcome.chunks:
                event = DocumentIngested(path=outcome.path, pages=outcome.pages,
                                         chunks=outcome.chunks, skipped=True)
            case "removed":
                event = DocumentRemoved(path=outcome.path, chunks=outcome.chunks)
            case "failed":
                event = DocumentFailed(path=outcome.path, code=outcome.code,
                                       message=outcome.message)
        if event is not None:
            if outcome.status == "failed" and outcome.code != "unsupported_type":
                log.warning("failed %s: %s: %s", outcome.path, outcome.code, outcome.message)
            else:
                log.info("%s %s", outcome.status, outcome.path)
            await self._bus.publish(event)
        if outcome.status == "failed" and outcome.code != "unsupported_type":
            await self._bus.publish(Error(code=outcome.code, stage="ingest",
                                          message=f"{outcome.path}: {outcome.message}"))

    # --- commands ----------------------------------------------------------------------------

    async def _commands(self) -> None:
        # Overflow policy: commands wait for room (never dropped); searches are quick.
        async with self._bus.subscribe(Search, Ingest, name=self.name, maxsize=64) as commands:
            async for command in commands:
                try:
                    match command:
                        case Search():
                            await self._search(command)
                        case Ingest():
                            await self._ingest(command)
                except (asyncio.CancelledError, KeyboardInterrupt):
                    raise
                except Exception as exc:
                    log.exception("command %s failed", command.type)
                    await self._bus.publish(Error(code="documents_failed", stage="documents",
                                                  message=f"{type(exc).__name__}: {exc}",
                                                  site=command.site, cause=command.id))

    async def _search(self, command: Search) -> None:
        assert self._retriever is not None
        k = max(1, min(command.k, MAX_K))
        hits = await asyncio.to_thread(self._retriever.search, command.query, k=k)
        await self._bus.publish(SearchResults(query=command.query, hits=tuple(hits),
                                              site=command.site, cause=command.id))

    def _request_items(self, paths: Sequence[str]
                       ) -> tuple[list[QueueItem], list[tuple[str, str, str]]]:
        """Queue requested paths; (items, refused as (path, code, message))."""
        assert self._store is not None
        items: list[QueueItem] = []
        refused: list[tuple[str, str, str]] = []
        now = time.time()
        for raw in paths:
            path = os.path.abspath(os.path.expanduser(raw))
            if self.filter.root_of(path) is None:
                path = os.path.realpath(path)  # reached through a symlink to a watched folder?
            if self.filter.root_of(path) is None:
                refused.append((raw, "path_not_watched",
                                f"{raw} is not inside a watched folder ({', '.join(self.roots)})"))
            elif os.path.isdir(path):
                items += [QueueItem(path=p, reason="request", due=now)
                          for p in walk_files(Path(path), self.filter)]
            elif not os.path.lexists(path):
                refused.append((raw, "file_not_found", f"{raw} does not exist"))
            elif (why := self.filter.reason_ignored(path)) is not None:
                refused.append((raw, "path_ignored", f"{raw} is not ingested: {why}"))
            else:
                items.append(QueueItem(path=path, reason="request", due=now))
        self._store.enqueue(items)
        return items, refused

    async def _ingest(self, command: Ingest) -> None:
        items, refused = await self._write(self._request_items, list(command.paths))
        for _raw, code, message in refused:
            await self._bus.publish(Error(code=code, message=message, stage="documents",
                                          site=command.site, cause=command.id))
        await self._publish_queued(items, cause=command.id, site=command.site)
