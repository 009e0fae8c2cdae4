"""Speex MDF (``speexdsp``'s echo canceller, through the ``pyaec`` wheel), 16 kHz, 10 ms frames.

Issue 25's fallback candidate, measured against the daemon's cancellers by ``python -m
benchmarks echo_engines`` and not chosen (docs/listening.md): a benchmark-only engine, so
``pyaec`` is a ``dev`` dependency, not the daemon's. ``pyaec``'s own wrapper copies every
frame through Python lists (the first round measured 14 ms of CPU per audio second that way);
this one hands its C library numpy buffers, so the cost is the canceller's own. Speex's
preprocessor (its residual-echo and noise suppressor) runs when ``preprocess`` is on.

Blocking; one instance, one thread. It has the daemon's ``EchoEngine`` shape (``process``,
``reset``, ``reach_s``), so ``EchoCanceller`` drives it as it drives the others.
"""

from __future__ import annotations

import ctypes
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["SpeexEngine"]

_FRAME = 160
_I16 = ctypes.POINTER(ctypes.c_int16)


class SpeexEngine:
    """Speex MDF with ``filter_s`` of room (and its preprocessor when ``preprocess``)."""

    name = "speex-mdf"

    def __init__(self, *, rate: int = 16000, filter_s: float = 0.4,
                 preprocess: bool = False) -> None:
        import pyaec  # noqa: PLC0415 - a native library, loaded with the engine

        self._lib: Any = pyaec.lib
        self._rate = rate
        self._taps = round(filter_s * rate)
        self._preprocess = preprocess
        self.reach_s = filter_s + 0.05
        self._handle: Any = None
        self.reset()

    def reset(self) -> None:
        if self._handle:
            self._lib.AecDestroy(self._handle)
        self._handle = self._lib.AecNew(_FRAME, self._taps, self._rate, self._preprocess)
        if not self._handle:
            raise RuntimeError("speexdsp: AecNew failed")

    def process(self, near: npt.NDArray[np.int16], far: npt.NDArray[np.int16]
                ) -> npt.NDArray[np.int16]:
        count = len(near) // _FRAME
        near = np.ascontiguousarray(near[: count * _FRAME], dtype=np.int16)
        far = np.ascontiguousarray(far[: count * _FRAME], dtype=np.int16)
        out = np.empty(count * _FRAME, np.int16)
        for i in range(count):
            part = slice(i * _FRAME, (i + 1) * _FRAME)
            self._lib.AecCancelEcho(self._handle, near[part].ctypes.data_as(_I16),
                                    far[part].ctypes.data_as(_I16),
                                    out[part].ctypes.data_as(_I16), _FRAME)
        return out

    def __del__(self) -> None:
        if getattr(self, "_handle", None):
            self._lib.AecDestroy(self._handle)
            self._handle = None
