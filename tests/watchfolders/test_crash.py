"""SIGKILL a real ingest worker mid-way through 200 files; restart; nothing lost, nothing repeated.

The worker is `python -m nimbus.watchfolders` - the same DocumentsHandler that `nimbus run`
composes, without the voice pipeline (whose models this test does not need).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import write_config
from tests.watchfolders.helpers import rows

pytestmark = pytest.mark.slow

FILES = 80


def start_worker(config: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "nimbus.watchfolders", "-c", str(config)],
            stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"},
        )


def wait_until(check, timeout: float, process: subprocess.Popen[bytes], log: Path):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        if process.poll() is not None:
            pytest.fail(f"worker exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        time.sleep(0.02)
    pytest.fail(f"timed out; worker log:\n{log.read_text()[-3000:]}")


def test_sigkill_mid_ingest_then_restart(tmp_path: Path, state_dir: Path,
                                        watch_dir: Path) -> None:
    config_path = write_config(tmp_path / "nimbus.toml", state_dir, watch_dir)
    from nimbus.daemon.config import load_config  # noqa: PLC0415

    config = load_config(config_path, environ={})
    for i in range(FILES):
        # ~400 characters: one chunk each, slow enough to embed that a kill lands mid-way.
        (watch_dir / f"doc-{i:03d}.txt").write_text(
            f"Document {i}. " + " ".join(f"word{i}x{j}" for j in range(40)) + ".")
    log = tmp_path / "worker.log"

    def indexed() -> int:
        if not config.store_path.exists():
            return 0
        try:
            return int(rows(config, "SELECT count(*) FROM documents WHERE status = 'indexed'")
                       [0][0])
        except Exception:  # schema not created yet
            return 0

    worker = start_worker(config_path, log)
    try:
        done_at_kill = wait_until(lambda: indexed() or None, 120, worker, log)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert 0 < done_at_kill < FILES, "the kill landed mid-way"
    queued_after_kill = rows(config, "SELECT count(*) FROM queue")[0][0]
    assert queued_after_kill > 0, "pending work survived the kill in the store"

    worker = start_worker(config_path, log)
    try:
        wait_until(lambda: indexed() == FILES and rows(config, "SELECT count(*) FROM queue")
                   == [(0,)], 180, worker, log)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(30) == 0
    finally:
        if worker.poll() is None:
            worker.kill()

    documents = rows(config, "SELECT path, status, chunks, ingests FROM documents")
    assert sorted(d[0] for d in documents) == sorted(
        str(watch_dir / f"doc-{i:03d}.txt") for i in range(FILES))
    assert {d[1:] for d in documents} == {("indexed", 1, 1)}, "each file embedded exactly once"
    chunk_count, vec_count, fts_count = rows(
        config, "SELECT (SELECT count(*) FROM chunks), (SELECT count(*) FROM chunks_vec), "
        "(SELECT count(*) FROM chunks_fts)")[0]
    assert chunk_count == vec_count == fts_count == FILES
    assert rows(config, "SELECT count(DISTINCT text) FROM chunks") == [(FILES,)]
    assert rows(config, "PRAGMA integrity_check") == [("ok",)]
    from nimbus.watchfolders.sqlite import connect  # noqa: PLC0415

    conn = connect(config.store_path)
    try:  # FTS5's own consistency check against the chunks table (raises if corrupt)
        conn.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('integrity-check')")
    finally:
        conn.close()
