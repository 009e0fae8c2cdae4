"""Interrupted attempts are charged to the file that was in progress, not to its whole batch.

Each "process" here is a real child process (spawned) that runs the documents handler until the
queue is empty, and dies by a real SIGKILL at the worst moment: while a batch is embedded.
The embedding model is the one stand-in (``DyingEmbedder``): a SIGKILL cannot otherwise be
aimed at one exact line, and the vectors do not matter to what is counted here.
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import os
import signal
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config
from nimbus.daemon.events import DocumentFailed, DocumentIngested
from nimbus.daemon.testing import EventRecorder, running
from nimbus.watchfolders.handler import DocumentsHandler
from nimbus.watchfolders.ingest import MAX_ATTEMPTS
from nimbus.watchfolders.store import QueueItem, Store
from tests.watchfolders.helpers import docs, make_config, rows

POISON = "POISON-PILL"


class DyingEmbedder:
    """Kills its own process (SIGKILL) when asked to embed text containing ``poison``."""

    name = "dying-embedder"
    dimension = 4
    batch_size = 64

    def __init__(self, poison: str) -> None:
        self.poison = poison

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if any(self.poison in text for text in texts):
            os.kill(os.getpid(), signal.SIGKILL)
        return np.ones((len(texts), self.dimension), dtype=np.float32)


async def _life(config: Config, poison: str, report: Path) -> None:
    """One daemon's life: the documents handler (as `nimbus run` composes it, without the
    watcher) runs until the queue is empty; what it publishes goes to ``report``, its log
    to ``report``.log."""
    handler_log = logging.FileHandler(report.with_suffix(".log"))
    handler_log.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.getLogger("nimbus").addHandler(handler_log)
    bus = Bus()
    documents = DocumentsHandler(config, bus, embedder=DyingEmbedder(poison),  # type: ignore[arg-type]
                                 watch=False)
    async with EventRecorder(bus, DocumentIngested, DocumentFailed) as recorder, \
            running(documents):
        async with asyncio.timeout(60):
            while rows(config, "SELECT count(*) FROM queue") != [(0,)]:  # noqa: ASYNC110
                await asyncio.sleep(0.02)
        await asyncio.sleep(0.1)  # the last outcome's event
    with report.open("a") as out:
        for event in recorder.events:
            out.write(json.dumps({"path": event.path, "type": event.type.value,  # type: ignore[attr-defined]
                                  "code": getattr(event, "code", "")}) + "\n")
    await documents.close()


def _drain(config: Config, poison: str, report: Path) -> None:
    asyncio.run(_life(config, poison, report))


def _run(config: Config, poison: str, report: Path) -> bool:
    """Run one process; True if it finished, False if it was killed.

    A fresh interpreter (spawn), not a fork of pytest: a fork of a process with threads (the
    event loop's, torch's) can inherit a lock held by one of them and hang forever.
    """
    child = multiprocessing.get_context("spawn").Process(target=_drain,
                                                         args=(config, poison, report))
    child.start()
    child.join(timeout=120)
    if child.is_alive():
        child.kill()
        child.join()
        raise AssertionError("the child process hung")
    if child.exitcode == -signal.SIGKILL:
        return False
    assert child.exitcode == 0, child.exitcode
    return True


def _queue(config: Config, paths: Sequence[Path]) -> None:
    store = Store(config.store_path, model=DyingEmbedder.name, dimension=DyingEmbedder.dimension)
    store.enqueue([QueueItem(path=str(p), reason="created", due=0.0) for p in paths])
    store.close()


def _files(folder: Path, count: int, poisoned: int | None = None) -> list[Path]:
    paths = []
    for i in range(count):
        path = folder / f"note-{i:02d}.txt"
        marker = f" {POISON}" if i == poisoned else ""
        path.write_text(f"Note {i}: the recycling goes out on day {i}.{marker}")
        paths.append(path)
    return paths


def test_outside_kills_during_a_batch_blame_no_file(tmp_path: Path, watch_dir: Path) -> None:
    config = make_config(tmp_path, watch_dir, "watch.settle_s=0")
    files = _files(watch_dir, 20)
    _queue(config, files)
    report = tmp_path / "outcomes.jsonl"
    # kill -9 three times, each while a batch (or, later, a single file) is being embedded:
    # "Note" is in every text, so every embedding call dies.
    for _ in range(MAX_ATTEMPTS):
        assert not _run(config, "Note", report)
    assert _run(config, "never present", report)
    state = docs(config)
    assert sorted(state) == sorted(str(p) for p in files)
    assert {s[0] for s in state.values()} == {"indexed"}, state
    assert not report.read_text().count("gave_up")


def test_a_file_that_kills_every_time_is_given_up_alone_and_reported(
        tmp_path: Path, watch_dir: Path) -> None:
    config = make_config(tmp_path, watch_dir, "watch.settle_s=0")
    files = _files(watch_dir, 6, poisoned=3)
    _queue(config, files)
    report = tmp_path / "outcomes.jsonl"
    deaths = 0
    while not _run(config, POISON, report):
        deaths += 1
        assert deaths < 3 * MAX_ATTEMPTS, "never gave up"
    state = docs(config)
    poisoned = str(files[3])
    assert state[poisoned][0] == "failed"
    assert state[poisoned][3] == "gave_up"
    assert all(state[str(p)][0] == "indexed" for p in files if str(p) != poisoned), state
    reported = [json.loads(line) for line in report.read_text().splitlines()]
    # Reported once, by the process that decided it (the handler announces what recover()
    # and process_batch() return as document.failed + error events), and logged.
    assert [r["path"] for r in reported if r["code"] == "gave_up"] == [poisoned]
    log = report.with_suffix(".log").read_text()
    assert f"WARNING nimbus.watchfolders.ingest: {poisoned}: gave up after {MAX_ATTEMPTS}" in log
    assert log.count("while ingesting") == MAX_ATTEMPTS, "each charged interruption is logged"
