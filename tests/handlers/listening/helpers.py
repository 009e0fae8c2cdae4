"""Test harness for the listening pipeline: file sources -> VAD -> ASR -> phrases, real models."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import AsrConfig, Config, PhrasesConfig
from nimbus.daemon.events import Event, SpeechSegment
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.listening.asr.engine import WhisperEngine
from nimbus.handlers.listening.asr.handler import AsrHandler
from nimbus.handlers.listening.file_source import FileSource
from nimbus.handlers.listening.phrases.handler import PhraseHandler
from nimbus.handlers.listening.phrases.template import PhraseTemplates
from nimbus.handlers.listening.vad.engine import SileroVad
from nimbus.handlers.listening.vad.handler import VadHandler, settings_from_config


async def listen(
    files: Sequence[tuple[str, Path]],
    *,
    whisper: WhisperEngine,
    silero: SileroVad,
    noisy_whisper: WhisperEngine | None = None,
    asr: AsrConfig | None = None,
    phrases: PhrasesConfig | None = None,
    realtime: bool = False,
    before: Sequence[Event] = (),
    within: float = 120.0,
    templates: PhraseTemplates | None = None,
    cancelling: Callable[[str], bool] | None = None,
) -> list[Event]:
    """Stream each (site, file) at once through the real pipeline; every event, in bus order."""
    config = Config()
    asr = asr or AsrConfig(partials=False)
    bus = Bus()
    vad = VadHandler(bus, settings_from_config(config.vad, asr), engine=silero)
    phrases = phrases or config.phrases
    recognizer = AsrHandler(bus, asr, engine=whisper, noisy_engine=noisy_whisper,
                            templates=templates,
                            action_words=phrases.action, stop_words=phrases.stop,
                            sensitivity=phrases.sensitivity,
                            tolerance=phrases.tolerance)
    matcher = PhraseHandler(bus, phrases, cancelling=cancelling)
    sources = [FileSource(bus, path, site=site, realtime=realtime) for site, path in files]
    async with EventRecorder(bus) as rec, running(vad, recognizer, matcher):
        for event in before:
            await bus.publish(event)
        async with asyncio.timeout(within):
            async with running(*sources):
                for site, _ in files:
                    await vad.wait_stream_end(site)
            finals = sum(1 for e in rec.events if isinstance(e, SpeechSegment) and e.final)
            await recognizer.wait_finals(finals)
            await matcher.wait_finals(recognizer.transcribed)
            await asyncio.sleep(0.05)  # let the recorder take the last published events
    return list(rec.events)
