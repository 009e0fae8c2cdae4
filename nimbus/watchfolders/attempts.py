"""Interrupted attempts: which queued file was in progress when the process died, kept durably.

A process killed from outside (OOM killer, watchdog, power cut, ``kill -9``) must not make
healthy files look guilty, yet a file whose extraction crashes the process every time must not
put the daemon into a crash loop. So an attempt is charged to a file only when that file alone
was in progress:

* while one file is read, extracted and chunked, the marker names that file;
* while several prepared files are embedded together, the marker names the whole batch, and an
  interruption then charges nobody: the batch's files are retried one at a time (isolated), so
  a file that really kills the process is soon found alone and charged;
* a clean stop or an exception clears the marker (only a dead process leaves it behind).

The marker is one row of the store's ``meta`` table, written by the store's single writer.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from nimbus.watchfolders.store import Job, Store

__all__ = ["Attempts", "Recovery"]

log = logging.getLogger(__name__)

KEY: Final = "in_progress"


@dataclass(frozen=True, slots=True, kw_only=True)
class Recovery:
    """What a process that died in the middle of ingest left behind."""

    charged: tuple[Job, ...] = ()
    """The file that was in progress alone (its attempt counter now includes this one)."""
    isolate: tuple[int, ...] = ()
    """Queue ids of an interrupted batch: to be retried one file at a time."""


class Attempts:
    """Reads and writes the in-progress marker. Called only from the store's writer thread."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def working_on(self, ids: Sequence[int], *, isolate: Sequence[int] = ()) -> None:
        """Record durably, before the work starts, which queue rows are in progress."""
        value = json.dumps({"ids": list(ids), "isolate": [i for i in isolate if i not in ids]})
        with self._store.transaction() as conn:
            conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) "
                         "DO UPDATE SET value = excluded.value", (KEY, value))

    def done(self) -> None:
        """Nothing is in progress any more (finished, stopped cleanly, or failed in-process)."""
        with self._store.transaction() as conn:
            conn.execute("DELETE FROM meta WHERE key = ?", (KEY,))

    def recover(self) -> Recovery:
        """At start: charge the file a dead process was working on alone, isolate a batch."""
        with self._store.transaction() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (KEY,)).fetchone()
            if row is None:
                return Recovery()
            conn.execute("DELETE FROM meta WHERE key = ?", (KEY,))
            try:
                marker = json.loads(row[0])
                ids = [int(i) for i in marker.get("ids", [])]
                isolate = [int(i) for i in marker.get("isolate", [])]
            except (TypeError, ValueError, AttributeError):
                log.warning("ignoring an unreadable in-progress marker %r", row[0])
                return Recovery()
            if len(ids) == 1:
                conn.execute("UPDATE queue SET attempts = attempts + 1 WHERE id = ?", (ids[0],))
                charged = tuple(j for j in (self._store.job(ids[0]),) if j is not None)
                return Recovery(charged=charged, isolate=tuple(isolate))
            return Recovery(isolate=tuple(ids + [i for i in isolate if i not in ids]))
