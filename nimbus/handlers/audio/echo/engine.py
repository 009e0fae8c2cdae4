"""The echo canceller engine: WebRTC's AEC3 (``pywebrtc-audio``), 16 kHz mono, 10 ms frames.

Blocking; one instance per microphone, called from that microphone's reader thread. The wheel
releases the GIL while it works (about 9 ms of CPU per second of audio on the 2-core test
machine: ``python -m benchmarks bargein``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["Aec3Engine", "aec3_available"]


def aec3_available() -> str:
    """"" when AEC3 can be loaded, else why not (for ``nimbus doctor``)."""
    try:
        import pywebrtc_audio  # noqa: F401, PLC0415 - a probe
    except ImportError as exc:
        return f"pywebrtc-audio is not installed ({exc})"
    return ""


class Aec3Engine:
    """AEC3 with its own delay estimator and nonlinear suppressor (Chrome's canceller)."""

    name = "webrtc-aec3"
    reach_s = 0.6
    """AEC3's own delay estimator finds delays up to about 0.6 s."""

    def __init__(self, *, rate: int = 16000) -> None:
        from pywebrtc_audio import EchoCanceller  # noqa: PLC0415 - native extension

        self._aec: Any = EchoCanceller(sample_rate=rate, num_channels=1, stream_delay_ms=0)

    def process(self, near: npt.NDArray[np.int16], far: npt.NDArray[np.int16]
                ) -> npt.NDArray[np.int16]:
        cleaned: npt.NDArray[np.int16] = self._aec.process(
            np.ascontiguousarray(near, dtype=np.int16), np.ascontiguousarray(far, dtype=np.int16))
        return cleaned

    def reset(self) -> None:
        self._aec.reset()
