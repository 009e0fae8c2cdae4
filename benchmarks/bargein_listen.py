"""The listening stack as the daemon runs it while it speaks, on signals made offline.

In the daemon, while an answer plays, the VAD cuts a partial segment every
``asr.partial_interval_s`` (0.35 s) of speech and the ASR decodes the newest
``asr.stop_window_s`` (1.5 s) of each as a *stop window* ahead of everything else
(``asr/schedule.py``): that, not the utterance's final transcript, is how a stop said over the
answer is heard - the VAD may well hear the answer's residue as speech and make one long
utterance of it and the user. A file read as fast as the pipeline takes it leaves the ASR
behind, and a pending window is replaced by the next one, so most windows would never be
decoded; read in real time, a benchmark of hundreds of trials would take hours. So here every
site's audio is fed in lockstep: one 32 ms chunk per site, then wait until the VAD has taken it
and every stop window it made has been decoded - as in real time on a machine that decodes a
window within 0.35 s (Whisper tiny.en: 0.05-0.15 s a window on the 2-core test machine).
Finals are decoded as they come, behind the windows, as in the daemon. The handlers are the
daemon's own; only the pacing is the benchmark's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import AsrConfig, Config
from nimbus.daemon.events import AudioChunk, Event, SpeechSegment
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.audio.files import iter_audio_file
from nimbus.handlers.listening.asr.engine import WhisperEngine
from nimbus.handlers.listening.asr.handler import AsrHandler
from nimbus.handlers.listening.asr.schedule import AsrScheduler, Offer
from nimbus.handlers.listening.phrases.handler import PhraseHandler
from nimbus.handlers.listening.vad.engine import SileroVad
from nimbus.handlers.listening.vad.handler import VadHandler, settings_from_config

__all__ = ["listen_lockstep"]

CHUNK = 512
RATE = 16000


class _CountingVad(VadHandler):
    """The daemon's VAD, counting the chunks it took and the segments it made."""

    processed = 0
    segments = 0

    def _process(self, chunk: AudioChunk) -> list[Event]:
        events = super()._process(chunk)
        self.segments += sum(isinstance(e, SpeechSegment) for e in events)
        self.processed += 1
        return events


class _CountingScheduler(AsrScheduler):
    """The daemon's ASR scheduler, counting the segments offered to it."""

    offered = 0

    def offer(self, offer: Offer) -> None:
        super().offer(offer)
        self.offered += 1

    @property
    def windows_pending(self) -> bool:
        running = self.running
        return bool(self._stops) or (running is not None and running.kind == "stop")


async def listen_lockstep(
    files: Sequence[tuple[str, Path]], *, whisper: WhisperEngine, silero: SileroVad,
    noisy_whisper: WhisperEngine | None, asr: AsrConfig, before: Sequence[Event] = (),
    cancelling: Callable[[str], bool] | None = None, within: float = 3600.0,
) -> list[Event]:
    """Every (site, file) through the real pipeline in lockstep (module docstring)."""
    config = Config()
    bus = Bus()
    vad = _CountingVad(bus, settings_from_config(config.vad, asr), engine=silero,
                       stall_s=3600.0, echo_playing=cancelling)
    phrases = config.phrases
    recognizer = AsrHandler(bus, asr, engine=whisper, noisy_engine=noisy_whisper,
                            action_words=phrases.action, stop_words=phrases.stop,
                            sensitivity=phrases.sensitivity,
                            tolerance=phrases.tolerance)
    scheduler = _CountingScheduler(
        hangover_s=0.4, budget=asr.partial_budget, stop_window_s=asr.stop_window_s,
        short_s=max(0.0, asr.padded_s - 1.0) if asr.padded_s else 0.0)
    recognizer.schedule = scheduler
    matcher = PhraseHandler(bus, phrases, cancelling=cancelling)
    audio = {site: np.concatenate(list(iter_audio_file(path))) for site, path in files}
    published = 0

    def busy() -> bool:
        return (vad.processed < published or scheduler.offered < vad.segments
                or scheduler.windows_pending)

    async def settled() -> None:
        # Polled: the VAD's counters move on its worker thread, nothing signals them.
        while busy():  # noqa: ASYNC110
            await asyncio.sleep(0.002)

    async with EventRecorder(bus) as rec, running(vad, recognizer, matcher):
        for event in before:
            await bus.publish(event)
        async with asyncio.timeout(within):
            longest = max(len(a) for a in audio.values())
            for step, first in enumerate(range(0, longest, CHUNK)):
                for site, samples in audio.items():
                    piece = samples[first : first + CHUNK]
                    if len(piece):
                        await bus.publish(AudioChunk(site=site, audio=piece.tobytes(),
                                                     sequence=step, rate=RATE))
                        published += 1
                await settled()
            for site, samples in audio.items():
                await bus.publish(AudioChunk(site=site, audio=b"", rate=RATE,
                                             sequence=(len(samples) + CHUNK - 1) // CHUNK))
                published += 1
            for site, _ in files:
                await vad.wait_stream_end(site)
            finals = sum(1 for e in rec.events if isinstance(e, SpeechSegment) and e.final)
            await recognizer.wait_finals(finals)
            await matcher.wait_finals(recognizer.transcribed)
            await asyncio.sleep(0.05)
    return list(rec.events)
