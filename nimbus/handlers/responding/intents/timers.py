"""Timers and alarms: the per-site book of what rings when, kept in SQLite across restarts.

The book is plain data and pure functions (due times are wall-clock seconds, passed in); the
``TimerStore`` writes every change through at once, so a restart (or a crash) loses nothing: a
timer that came due while the daemon was down rings as soon as it is back.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Final

__all__ = ["TimerEntry", "TimerStore", "pick"]

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS timers (
    id TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    kind TEXT NOT NULL,          -- timer | alarm
    name TEXT NOT NULL,
    seconds REAL NOT NULL,       -- the duration a timer was set for (0 for alarms)
    due REAL NOT NULL,           -- wall-clock epoch seconds
    created REAL NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class TimerEntry:
    """One timer or alarm that has not rung yet (or is ringing)."""

    id: str
    site: str
    kind: str
    name: str
    seconds: float
    due: float
    created: float

    def left(self, now: float) -> float:
        return max(0.0, self.due - now)


def pick(entries: list[TimerEntry], *, name: str = "", seconds: float = 0.0) -> list[TimerEntry]:
    """The entries a command names: by name ("pasta"), by duration ("the 10 minute one"), or all."""
    if name:
        wanted = name.lower().strip()
        exact = [e for e in entries if e.name.lower() == wanted]
        if exact:
            return exact
        return [e for e in entries if e.name and (wanted in e.name.lower()
                                                  or e.name.lower() in wanted)]
    if seconds:
        return [e for e in entries if abs(e.seconds - seconds) < 1]
    return list(entries)


class TimerStore:
    """The SQLite file of timers and alarms. Thread-safe; every call commits."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # a timer set is a promise: on disk now
        self._db.executescript(_SCHEMA)

    def add(self, entry: TimerEntry) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO timers VALUES (?,?,?,?,?,?,?)",
                             (entry.id, entry.site, entry.kind, entry.name, entry.seconds,
                              entry.due, entry.created))

    def remove(self, ids: list[str]) -> None:
        with self._lock:
            self._db.executemany("DELETE FROM timers WHERE id = ?", [(i,) for i in ids])

    def all(self, site: str | None = None) -> list[TimerEntry]:
        with self._lock:
            if site is None:
                rows = self._db.execute("SELECT * FROM timers ORDER BY due").fetchall()
            else:
                rows = self._db.execute("SELECT * FROM timers WHERE site = ? ORDER BY due",
                                        (site,)).fetchall()
        return [TimerEntry(*row) for row in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()
