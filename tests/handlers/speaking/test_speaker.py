"""The speaking stage with the real shipped Piper voice, a real WAV sink and the real Whisper ASR.

Every test drives the handler only through bus events and checks the events it publishes.
"""

from __future__ import annotations

import asyncio
import difflib
import re
import wave
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import AudioConfig, Config, DaemonConfig, TtsConfig
from nimbus.daemon.events import (
    AudioOut,
    Error,
    Event,
    PlaybackFinished,
    PlaybackStarted,
    ResponseDelta,
    ResponseDone,
    ResponseStarted,
    Say,
    Sentence,
    Stop,
)
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.audio.convert import Resampler, to_float32
from nimbus.handlers.listening.asr.engine import WhisperEngine
from nimbus.handlers.speaking.handler import NETWORK_SINK, SpeakerHandler
from nimbus.handlers.speaking.sinks import WavSink

pytestmark = pytest.mark.slow

SITE = "kitchen"


@pytest.fixture(scope="module")
def whisper() -> WhisperEngine:
    return WhisperEngine(Config().asr)


def config(**tts: object) -> Config:
    return Config(daemon=DaemonConfig(site=SITE), audio=AudioConfig(output="none"),
                  tts=TtsConfig(**tts))  # type: ignore[arg-type]


@pytest.fixture
async def wav_speaker(tmp_path: Path) -> AsyncIterator[tuple[Bus, SpeakerHandler, Path]]:
    bus = Bus()
    path = tmp_path / "spoken.wav"
    speaker = SpeakerHandler(config(), bus, sink=WavSink(path, rate=22050))
    yield bus, speaker, path
    speaker.close()


def audio_of(events: list[Event], response: str) -> bytes:
    return b"".join(e.audio for e in events if isinstance(e, AudioOut) and e.response == response)


def words(text: str) -> list[str]:
    return re.sub(r"[^a-z ]", "", text.lower()).split()


def transcribe(whisper: WhisperEngine, pcm: bytes, rate: int) -> str:
    resampler = Resampler(rate)
    audio = np.concatenate([resampler.push(pcm), resampler.flush()])
    return whisper.transcribe(to_float32(audio)).text


async def test_a_streamed_answer_is_spoken_sentence_by_sentence_into_the_sink(
    wav_speaker: tuple[Bus, SpeakerHandler, Path], whisper: WhisperEngine
) -> None:
    bus, speaker, path = wav_speaker
    answer = "The kettle is on the stove. Breakfast will be ready very soon."
    async with EventRecorder(bus) as rec, running(speaker):
        started = ResponseStarted(site=SITE, question="tea?")
        await bus.publish(started)
        for i in range(0, len(answer), 4):
            await bus.publish(ResponseDelta(site=SITE, cause=started.id, text=answer[i:i + 4]))
        await bus.publish(ResponseDone(site=SITE, cause=started.id, text=answer))
        finished = await rec.wait_for(PlaybackFinished, within=30)
    assert isinstance(finished, PlaybackFinished)
    spoken = [e for e in rec.events if isinstance(e, (Sentence, AudioOut, PlaybackStarted,
                                                      PlaybackFinished))]
    sentences = [e for e in spoken if isinstance(e, Sentence)]
    outs = [e for e in spoken if isinstance(e, AudioOut)]
    assert [s.text for s in sentences] == ["The kettle is on the stove.",
                                           "Breakfast will be ready very soon."]
    assert [s.final for s in sentences] == [False, True]
    assert [(o.index, o.text, o.final, o.rate) for o in outs] == [
        (0, sentences[0].text, False, 22050), (1, sentences[1].text, False, 22050),
        (2, "", True, 22050)]
    assert [o.cause for o in outs[:2]] == [s.id for s in sentences]
    assert all(o.response == started.id and o.site == SITE for o in outs)
    kinds = [type(e) for e in spoken]
    assert kinds.index(PlaybackStarted) < kinds.index(PlaybackFinished) == len(kinds) - 1
    assert not finished.cancelled
    pcm = audio_of(rec.events, started.id)
    assert finished.seconds == pytest.approx(len(pcm) / 2 / 22050, abs=0.01)
    assert finished.timings["first_audio"] < finished.timings["total"]
    with wave.open(str(path)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (22050, 1, 2)
        assert wav.readframes(wav.getnframes()) == pcm
    # The round trip: the real ASR hears the words that were written.
    heard = words(transcribe(whisper, pcm, 22050))
    match = difflib.SequenceMatcher(None, heard, words(answer)).ratio()
    assert match >= 0.85, heard  # tiny.en may mishear a word; the sentence must come back


async def test_say_audio_length_scales_with_the_text() -> None:
    bus = Bus()
    speaker = SpeakerHandler(config(), bus)  # output = none: audio.out events only
    short = Say(site=SITE, text="Hello.")
    long = Say(site=SITE, text="Hello. " + "This sentence is quite a lot longer than that. " * 2)
    async with EventRecorder(bus) as rec, running(speaker):
        for say in (short, long):
            await bus.publish(say)
            await rec.wait_for(lambda e, s=say: isinstance(e, AudioOut) and e.final
                               and e.response == s.id)
    speaker.close()
    seconds = [len(audio_of(rec.events, s.id)) / 2 / 22050 for s in (short, long)]
    assert 0.3 < seconds[0] < 2.0
    assert seconds[1] > 4 * seconds[0]
    assert not rec.of(Error)
    # No local sink: the audio.out frames are the playback, which a network client does.
    assert {e.sink for e in rec.of(PlaybackStarted)} <= {NETWORK_SINK}
    outs = [e for e in rec.events if isinstance(e, AudioOut) and e.response == long.id]
    assert [o.index for o in outs] == list(range(len(outs)))
    assert [o.text for o in outs[:-1]] == [s.text for s in rec.of(Sentence)
                                           if s.cause == long.id]


async def test_network_sites_get_audio_at_the_configured_rate() -> None:
    bus = Bus()
    speaker = SpeakerHandler(config(network_rate=16000), bus)
    say = Say(site="satellite", text="Lights are on.")
    async with EventRecorder(bus) as rec, running(speaker):
        await bus.publish(say)
        await rec.wait_for(lambda e: isinstance(e, AudioOut) and e.final)
    speaker.close()
    outs = [e for e in rec.of(AudioOut) if isinstance(e, AudioOut)]
    assert {o.rate for o in outs} == {16000}
    assert {o.site for o in outs} == {"satellite"}


async def test_ugly_input_gives_clear_errors_and_the_handler_keeps_speaking() -> None:
    bus = Bus()
    speaker = SpeakerHandler(config(), bus)
    bad = {
        "empty": Say(site=SITE, text="   "),
        "punctuation": Say(site=SITE, text="!!! ??? ..."),
        "emoji": Say(site=SITE, text="😀🎉👍"),
        "voice": Say(site=SITE, text="Hello.", voice="nobody"),
        "script": Say(site=SITE, text="Привет, как дела?"),
        "too_long": Say(site=SITE, text="a" * 100_001),
    }
    good = Say(site=SITE, text="Still here. 你好. Bye.")
    async with EventRecorder(bus) as rec, running(speaker):
        for say in bad.values():
            await bus.publish(say)
        await bus.publish(good)
        await rec.wait_for(lambda e: isinstance(e, AudioOut) and e.final
                           and e.response == good.id)
    speaker.close()
    errors = {e.cause: e for e in rec.of(Error) if isinstance(e, Error)}
    codes = {name: errors[say.id].code for name, say in bad.items() if say.id in errors}
    assert codes == {"empty": "empty_text", "punctuation": "nothing_to_say",
                     "emoji": "nothing_to_say", "voice": "unknown_voice",
                     "script": "unsupported_script", "too_long": "text_too_long"}
    assert "joe" in errors[bad["voice"].id].message  # the error lists the voices that exist
    assert "Cyrillic" in errors[bad["script"].id].message
    assert not audio_of(rec.events, bad["script"].id)
    # The good text is spoken, minus the sentence the English voice cannot read.
    assert "Han" in errors[good.id].message or "Cjk" in errors[good.id].message
    spoken = [e.text for e in rec.of(AudioOut) if isinstance(e, AudioOut) and e.audio
              and e.response == good.id]
    assert spoken == ["Still here.", "Bye."]


async def test_twenty_kilobytes_stream_paced_and_stop_cuts_it_off() -> None:
    bus = Bus()
    speaker = SpeakerHandler(config(), bus)
    text = " ".join(f"This is sentence number {i} of a very long text." for i in range(420))
    assert len(text) > 20_000
    say = Say(site="satellite", text=text)  # a network site: paced near real time
    async with EventRecorder(bus) as rec, running(speaker):
        await bus.publish(say)
        first = await rec.wait_for(AudioOut, within=10)
        await asyncio.sleep(0.5)
        await bus.publish(Stop(site="satellite", reason="test"))
        await asyncio.sleep(0.5)
        count = len(rec.of(AudioOut))
        await asyncio.sleep(1.0)
        assert len(rec.of(AudioOut)) == count  # nothing after the stop
        again = Say(site="satellite", text="Fresh start.")
        await bus.publish(again)
        await rec.wait_for(lambda e: isinstance(e, AudioOut) and e.final
                           and e.response == again.id)
    speaker.close()
    assert isinstance(first, AudioOut)
    spoken = [e for e in rec.of(AudioOut) if isinstance(e, AudioOut) and e.response == say.id]
    assert 1 <= len(spoken) < 20  # paced: a few seconds ahead, not all 420 sentences
    assert not any(e.final for e in spoken)
    assert [e.text for e in rec.of(AudioOut) if isinstance(e, AudioOut)
            and e.response == again.id] == ["Fresh start.", ""]
    assert not rec.of(Error)


async def test_a_newer_answer_supersedes_and_a_cancelled_answer_goes_quiet() -> None:
    bus = Bus()
    speaker = SpeakerHandler(config(), bus)
    async with EventRecorder(bus) as rec, running(speaker):
        old = ResponseStarted(site="satellite")
        await bus.publish(old)
        await bus.publish(ResponseDelta(site="satellite", cause=old.id,
                                        text="Old answer one. Old answer two. " * 30))
        await rec.wait_for(AudioOut)
        new = ResponseStarted(site="satellite")
        await bus.publish(new)
        await bus.publish(ResponseDelta(site="satellite", cause=new.id, text="New answer."))
        await bus.publish(ResponseDone(site="satellite", cause=new.id))
        await rec.wait_for(lambda e: isinstance(e, AudioOut) and e.final)
        gone = ResponseStarted(site="satellite")
        await bus.publish(gone)
        await bus.publish(ResponseDelta(site="satellite", cause=gone.id, text="Never. "))
        await bus.publish(ResponseDone(site="satellite", cause=gone.id, cancelled=True))
        await asyncio.sleep(0.5)
    speaker.close()
    outs = [e for e in rec.of(AudioOut) if isinstance(e, AudioOut)]
    assert not any(e.final for e in outs if e.response == old.id)
    assert [e.text for e in outs if e.response == new.id] == ["New answer.", ""]
    assert not any(e.final for e in outs if e.response == gone.id)
