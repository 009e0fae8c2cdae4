"""Process-wide memory settings for the daemon (called once, before any model loads)."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys

__all__ = ["limit_malloc_arenas"]

log = logging.getLogger(__name__)

_M_ARENA_MAX = -8
"""glibc's mallopt parameter number for the arena limit (malloc.h)."""


def limit_malloc_arenas(count: int = 2, *, relaunch: bool = False) -> bool:
    """Cap glibc's malloc arenas at ``count``; True if it took effect.

    glibc gives threads that allocate at the same time arenas of their own (up to 8 per core),
    and memory freed in one arena serves no other. The daemon runs a dozen worker threads (VAD,
    ASR, LLM, TTS, ingest, their native helpers), so idle arenas add up: measured with every
    default model loaded, 896-906 MiB RSS at ready with 16 arenas, 829-878 MiB with
    ``MALLOC_ARENA_MAX=2`` set at start (3 runs each); set at run time instead, after the
    imports had made their arenas, it saved less. So with ``relaunch`` the process replaces
    itself (``exec``: same PID, same arguments) with one started under ``MALLOC_ARENA_MAX``;
    without it, or if that fails, the limit is set at run time. An explicit
    ``MALLOC_ARENA_MAX`` always wins.
    """
    if "MALLOC_ARENA_MAX" in os.environ:
        return False
    if relaunch and sys.platform == "linux" and sys.orig_argv:
        environment = {**os.environ, "MALLOC_ARENA_MAX": str(count)}
        try:
            os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], environment)
        except OSError:
            log.warning("could not restart under MALLOC_ARENA_MAX=%d", count, exc_info=True)
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        done = bool(libc.mallopt(_M_ARENA_MAX, count))
    except (OSError, AttributeError):  # not glibc
        return False
    log.debug("malloc arenas limited to %d: %s", count, done)
    return done
