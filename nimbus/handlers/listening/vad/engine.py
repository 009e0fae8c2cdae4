"""Silero VAD on ONNX Runtime: speech probability of each 512-sample frame, one state per stream."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = ["FRAME_SAMPLES", "SileroVad", "VadState"]

FRAME_SAMPLES: Final = 512
"""One Silero frame at 16 kHz: 32 ms."""
_CONTEXT: Final = 64
"""Silero v5+ sees the last 64 samples of the previous frame in front of each frame."""


def _zeros_state() -> npt.NDArray[np.float32]:
    return np.zeros((2, 1, 128), dtype=np.float32)


def _zeros_context() -> npt.NDArray[np.float32]:
    return np.zeros((1, _CONTEXT), dtype=np.float32)


@dataclass(slots=True)
class VadState:
    """The recurrent state of one audio stream (one per site)."""

    rnn: npt.NDArray[np.float32] = field(default_factory=_zeros_state)
    context: npt.NDArray[np.float32] = field(default_factory=_zeros_context)


class SileroVad:
    """The shipped ``silero_vad.onnx`` (no torch). Thread-compatible: call from one thread."""

    def __init__(self, model_path: str | Path) -> None:
        import onnxruntime  # noqa: PLC0415 - heavy, loaded off the event loop

        options = onnxruntime.SessionOptions()
        options.inter_op_num_threads = 1
        options.intra_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._sr = np.array(16000, dtype=np.int64)

    def probability(self, state: VadState, frame: npt.NDArray[np.float32]) -> float:
        """Speech probability of one 512-sample float32 frame; advances ``state``."""
        if frame.shape != (FRAME_SAMPLES,):
            raise ValueError(f"a VAD frame is {FRAME_SAMPLES} samples, got {frame.shape}")
        x = np.concatenate([state.context, frame.reshape(1, -1)], axis=1)
        out, rnn = self._session.run(None, {"input": x, "state": state.rnn, "sr": self._sr})
        state.rnn = rnn
        state.context = x[:, -_CONTEXT:]
        return float(out[0][0])
