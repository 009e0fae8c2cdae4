"""`nimbus phrases enroll --record`: the takes come from the microphone, one prompt each.

Each take is handled like a recording given as a file (``rendition_frames``, the path
``renditions`` takes); one in which the phrase is not heard is asked for again, saying what was
heard, a bounded number of times. Nothing is stored unless every take succeeded.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from nimbus.daemon.config import AudioConfig, Config
from nimbus.daemon.models import resolve_vad
from nimbus.handlers.audio.convert import PIPELINE_RATE, to_float32
from nimbus.handlers.audio.devices import AudioDeviceError
from nimbus.handlers.listening.asr.engine import WhisperEngine
from nimbus.handlers.listening.input_stream import InputStream, describe_input_devices
from nimbus.handlers.listening.phrases.enroll import EnrollError, rendition_frames
from nimbus.handlers.listening.phrases.record import NoSpeech, TakeSettings, record_take
from nimbus.handlers.listening.vad.engine import SileroVad

__all__ = ["RETRIES", "RecordError", "Recorder", "open_microphone"]

RETRIES: Final = 3
"""Takes asked again after a refused one, per take: past that something else is wrong (the
wrong microphone, a noisy room), which another try will not fix."""


class RecordError(Exception):
    """Recording stopped; the message is the one line to print. Nothing was stored."""


def open_microphone(audio: AudioConfig) -> InputStream:
    """The configured input device, open; ``RecordError`` naming the devices that exist."""
    try:
        return InputStream(audio)
    except AudioDeviceError as exc:
        raise RecordError(f"cannot open the microphone: {exc.message}") from None
    except ImportError:
        raise RecordError("recording needs PyAudio (pip install 'nimbus-assistant[audio]')"
                          ) from None
    except Exception as exc:  # PortAudio refuses with OSError; its wording is all we get
        raise RecordError(f"cannot open the microphone {audio.input_device or '(default)'!r}: "
                          f"{exc}; {describe_input_devices()}") from None


@dataclass(frozen=True, slots=True, kw_only=True)
class Recorder:
    """Records ``takes`` takes of ``phrase`` and returns their renditions' encoder frames."""

    config: Config
    engine: WhisperEngine
    phrase: str
    takes: int
    save_dir: Path | None = None

    def renditions(self) -> list[npt.NDArray[np.float32]]:
        location = resolve_vad(self.config.vad.model)
        assert location.path is not None  # a VAD model is always a local file
        vad = SileroVad(location.path)
        settings = TakeSettings(vad=self.config.vad)
        if self.save_dir is not None:
            self.save_dir.mkdir(parents=True, exist_ok=True)
        found: list[npt.NDArray[np.float32]] = []
        for number in range(1, self.takes + 1):
            found += self._take(number, vad, settings)
        return found

    def _take(
        self, number: int, vad: SileroVad, settings: TakeSettings,
    ) -> list[npt.NDArray[np.float32]]:
        label = f"take {number}/{self.takes}"
        for attempt in range(RETRIES + 1):
            audio = self._record(label, vad, settings)
            try:
                frames = rendition_frames(self.engine, label, to_float32(audio), self.phrase)
            except EnrollError as exc:
                self._save(audio, number, refused=attempt + 1)
                reason = (f"{self.phrase!r} not heard (heard: {exc.heard!r})"
                          if exc.heard is not None else str(exc).removeprefix(f"{label}: "))
                if attempt == RETRIES:
                    raise RecordError(f"{label}: {reason}, {RETRIES + 1} times; nothing stored "
                                      "(is it the right microphone? a quiet room?)") from None
                print(f"{label}: {reason}; again, please: the phrase alone, clearly",
                      flush=True)
                continue
            self._save(audio, number)
            print(f"{label}: got it", flush=True)
            return frames
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _record(self, label: str, vad: SileroVad, settings: TakeSettings) -> npt.NDArray[np.int16]:
        # A fresh stream per take: audio that queued up while the last take was transcribed
        # must not start this one.
        with open_microphone(self.config.audio) as mic:
            print(f'{label}: say "{self.phrase}" now', flush=True)
            try:
                return record_take(mic.read, vad, settings)
            except NoSpeech:
                raise RecordError(
                    f"{label}: no speech heard in {settings.timeout_s:g} s from "
                    f"{mic.device.name!r}; nothing stored (muted, or the wrong microphone? "
                    "set audio.input_device)") from None
            except OSError as exc:
                raise RecordError(f"{label}: the microphone {mic.device.name!r} failed: {exc}; "
                                  "nothing stored") from None

    def _save(self, audio: npt.NDArray[np.int16], number: int, *, refused: int = 0) -> None:
        if self.save_dir is None:
            return
        name = f"take-{number}-refused-{refused}.wav" if refused else f"take-{number}.wav"
        with wave.open(str(self.save_dir / name), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(PIPELINE_RATE)
            wav.writeframes(audio.astype("<i2").tobytes())
