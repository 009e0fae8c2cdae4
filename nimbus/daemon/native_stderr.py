"""The one owner of file descriptor 2: native libraries' chatter silenced, the daemon's log never.

C libraries (ALSA/JACK probing under PortAudio, llama.cpp's model loader) print to fd 2, which
no Python logging setting reaches; the only way to quiet them is to point fd 2 at /dev/null for
a while. Done by two threads at once with the usual save / dup2 / restore, the second one saves
the first one's /dev/null and "restores" it last, so the process's stderr stays silent for the
rest of its life (a daemon whose log stops after "starting nimbus").

fd 2 is process-wide state, so its owner is one object per process (:data:`_OWNER`; module state
on purpose, because the descriptor itself is global): the first :func:`quiet_native_stderr`
saves the real stderr and redirects, nested or concurrent ones only count, the last one out
restores. The daemon's log does not go through fd 2 at all (:func:`log_stream` writes to its own
duplicate of the real stderr), so a quiet window never hides a log line either.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from typing import TextIO

__all__ = ["log_stream", "quiet_native_stderr", "redirected"]

_FD = 2


class _Owner:
    """Reference-counted redirection of fd 2 to /dev/null."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._saved: int | None = None

    def enter(self) -> None:
        with self._lock:
            if self._depth == 0:
                try:
                    saved = os.dup(_FD)
                except OSError:
                    saved = None  # no stderr at all: nothing to silence or restore
                if saved is not None:
                    null = os.open(os.devnull, os.O_WRONLY)
                    try:
                        os.dup2(null, _FD)
                    finally:
                        os.close(null)
                self._saved = saved
            self._depth += 1

    def exit(self) -> None:
        with self._lock:
            self._depth -= 1
            if self._depth == 0 and self._saved is not None:
                os.dup2(self._saved, _FD)
                os.close(self._saved)
                self._saved = None

    @property
    def depth(self) -> int:
        return self._depth

    def real_stderr(self) -> int:
        """A new descriptor for the real stderr, even while it is redirected."""
        with self._lock:
            return os.dup(self._saved if self._saved is not None else _FD)


_OWNER = _Owner()


@contextlib.contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """Silence what native code prints on fd 2 for the duration (thread-safe, nestable)."""
    _OWNER.enter()
    try:
        yield
    finally:
        _OWNER.exit()


def redirected() -> bool:
    """Is fd 2 pointed at /dev/null right now (some quiet window is open)?"""
    return _OWNER.depth > 0


def log_stream() -> TextIO:
    """A line-buffered text stream on the real stderr that no quiet window silences."""
    return os.fdopen(_OWNER.real_stderr(), "w", buffering=1, encoding="utf-8",
                     errors="backslashreplace")
