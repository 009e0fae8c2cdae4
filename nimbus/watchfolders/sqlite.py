"""Open a SQLite connection that can load sqlite-vec: stdlib sqlite3 when it can, else pysqlite3."""

from __future__ import annotations

import errno
import importlib
import logging
import sqlite3
import time
from pathlib import Path
from types import ModuleType
from typing import Any

__all__ = ["StoreUnavailable", "connect", "driver", "is_disk_full"]

log = logging.getLogger(__name__)


class StoreUnavailable(RuntimeError):
    """No SQLite driver here can load sqlite-vec, or FTS5 is missing."""

    code = "store_unavailable"


def driver() -> ModuleType:
    """The DB-API module to use: stdlib ``sqlite3`` if it can load extensions, else ``pysqlite3``.

    Many distribution and pyenv builds of Python compile ``sqlite3`` without
    ``enable_load_extension``; ``pysqlite3-binary`` (a pinned dependency on Linux x86-64) bundles
    its own SQLite with extension loading. Both speak the same DB-API, so the rest of the code
    is one path.
    """
    if hasattr(sqlite3.Connection, "enable_load_extension"):
        return sqlite3
    try:
        return importlib.import_module("pysqlite3.dbapi2")
    except ImportError:
        raise StoreUnavailable(
            "this Python's sqlite3 cannot load extensions and pysqlite3 is not installed; "
            "install pysqlite3-binary (Linux x86-64) or use a Python built with "
            "--enable-loadable-sqlite-extensions"
        ) from None


def connect(path: Path | str, *, readonly: bool = False, timeout: float = 30.0) -> Any:
    """A connection with sqlite-vec loaded, WAL mode, foreign keys on, autocommit off-by-hand.

    The connection is in autocommit mode (``isolation_level=None``): callers open transactions
    explicitly with ``BEGIN IMMEDIATE`` so that a write is one atomic unit.
    """
    import sqlite_vec  # noqa: PLC0415 - heavy-ish, only where a store is opened

    module = driver()
    # Readers open the file normally (a "mode=ro" URI cannot create the WAL index file when no
    # writer is running) and set query_only, so they can never write.
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = module.connect(str(path), timeout=timeout, isolation_level=None,
                          check_same_thread=False)
    try:
        conn.enable_load_extension(True)
        sqlite_vec.load(conn)
        conn.enable_load_extension(False)
    except Exception as exc:
        conn.close()
        raise StoreUnavailable(f"cannot load sqlite-vec into SQLite: {exc}") from exc
    options = conn.execute("PRAGMA compile_options").fetchall()
    if not any(str(row[0]).upper() == "ENABLE_FTS5" for row in options):
        conn.close()
        raise StoreUnavailable("this SQLite has no FTS5 (ENABLE_FTS5 missing)")
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    if readonly:
        conn.execute("PRAGMA query_only = ON")
    else:
        _enable_wal(conn, module, timeout)
        # NORMAL in WAL mode: a killed process loses nothing; only an OS crash or power cut
        # can lose the last commits (never corrupts).
        conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _enable_wal(conn: Any, module: ModuleType, timeout: float) -> None:
    """Switch to WAL, waiting out another connection that is creating the same store.

    Changing the journal mode needs the database to itself, and SQLite answers "database is
    locked" at once (no busy handler) while another connection holds it - e.g. when the
    responder and the documents handler open a new store at the same start-up.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        except module.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                conn.close()
                raise
            time.sleep(0.05)
        else:
            return


SQLITE_FULL = 13
"""SQLite's primary result code for "database or disk is full"."""


def is_disk_full(exc: BaseException) -> bool:
    """Is this error a full disk (SQLITE_FULL, ENOSPC, EDQUOT), a state to wait out?"""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF == SQLITE_FULL:
        return True
    return "database or disk is full" in str(exc)
