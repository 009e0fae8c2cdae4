"""Which microphone frames a satellite streams: speech, with pre-roll before and hang-over after.

Pure: speech probabilities (from the satellite's Silero VAD) and frames in, frames to send out;
no clock, no socket. The server runs its own VAD on what arrives, so the gate keeps streaming
``hangover_ms`` of silence after the last speech frame: longer than the server's
``vad.silence_ms`` (400 ms by default), or the server would never see the utterance end.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

__all__ = ["GateSettings", "SpeechGate"]


@dataclass(frozen=True, slots=True, kw_only=True)
class GateSettings:
    threshold: float = 0.5
    """A frame at or above this probability opens the gate."""
    preroll_ms: int = 500
    """Audio before the first speech frame that is sent with it (the start of the first word)."""
    hangover_ms: int = 1200
    """Silence streamed after the last speech frame before the gate closes."""
    frame_ms: int = 32


class SpeechGate:
    """Open on speech, closed after ``hangover_ms`` of silence; hysteresis like the server's VAD.

    A frame below ``threshold - 0.15`` counts as silence; one between keeps the current run.
    """

    def __init__(self, settings: GateSettings | None = None) -> None:
        self.settings = settings or GateSettings()
        self._silence_below = max(0.01, self.settings.threshold - 0.15)
        self._preroll: deque[bytes] = deque(
            maxlen=max(0, self.settings.preroll_ms // self.settings.frame_ms))
        self._hangover_frames = max(1, self.settings.hangover_ms // self.settings.frame_ms)
        self._silent_frames = 0
        self.open = False
        self.opened = 0
        """How many times the gate has opened (utterances streamed)."""

    def push(self, frame: bytes, probability: float) -> list[bytes]:
        """The frames to send now for one microphone frame and its speech probability."""
        if not self.open:
            if probability < self.settings.threshold:
                if self._preroll.maxlen:
                    self._preroll.append(frame)
                return []
            self.open = True
            self.opened += 1
            self._silent_frames = 0
            frames = [*self._preroll, frame]
            self._preroll.clear()
            return frames
        if probability < self._silence_below:
            self._silent_frames += 1
        elif probability >= self.settings.threshold:
            self._silent_frames = 0
        if self._silent_frames >= self._hangover_frames:
            self.open = False
            self._silent_frames = 0
        return [frame]
