"""Thread niceness: the ear (VAD, ASR) outranks the voice (TTS), which outranks the brain (LLM).

On two cores everything competes while the assistant answers: the LLM writes, Piper speaks, and
the ASR must still hear "Yonder" at once. Each model's worker thread gets a niceness when it
starts (threads that a native library spawns from it inherit it), so under contention the
scheduler serves listening first. Without contention niceness changes nothing.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from typing import Final

__all__ = ["INGEST_NICENESS", "LLM_NICENESS", "TTS_NICENESS", "nicer"]

TTS_NICENESS: Final = 2
LLM_NICENESS: Final = 4
INGEST_NICENESS: Final = 10
"""Ingest (embedding documents) always comes after the voice pipeline."""


def nicer(niceness: int) -> Callable[[], None]:
    """An executor initializer that gives its worker thread ``niceness`` (Linux; else a no-op)."""

    def initializer() -> None:
        with contextlib.suppress(OSError, AttributeError):  # not Linux, or not allowed
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), niceness)

    return initializer
