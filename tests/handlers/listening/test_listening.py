"""The listening pipeline end to end on real speech (Piper + espeak-ng) and real models."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from nimbus.daemon.config import AsrConfig, Config
from nimbus.daemon.events import (
    AssistantState,
    AudioChunk,
    Command,
    Event,
    PhraseHeard,
    PlaybackStarted,
    SpeechEnded,
    SpeechSegment,
    SpeechStarted,
    StateChanged,
    Stop,
    Transcript,
)
from nimbus.daemon.models import resolve_vad
from nimbus.handlers.listening.asr.engine import WhisperEngine
from nimbus.handlers.listening.vad.engine import SileroVad
from tests.handlers.listening.helpers import listen
from tests.speech import espeak_speech, silence, synthesize_speech, to_16k, write_wav

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def whisper() -> WhisperEngine:
    config = Config()
    return WhisperEngine(config.asr, prompt_words=(*config.phrases.action, *config.phrases.stop))


@pytest.fixture(scope="module")
def silero() -> SileroVad:
    path = resolve_vad("").path
    assert path is not None
    return SileroVad(path)


def words(text: str) -> str:
    return " ".join(re.findall(r"[a-z']+", text.lower()))


def of(events: list[Event], cls: type[Event], site: str | None = None) -> list[Event]:
    return [e for e in events if isinstance(e, cls) and (site is None or e.site == site)]


async def test_wake_submit_and_stop_in_one_recording(
    tmp_path: Path, whisper: WhisperEngine, silero: SileroVad
) -> None:
    path = write_wav(
        tmp_path / "talk.wav",
        silence(0.5),
        synthesize_speech("Nimbus, what time is it?"),
        silence(1.2),
        espeak_speech("Add milk to the shopping list. Nimbus."),
        silence(1.2),
        synthesize_speech("Yonder."),
        silence(1.0),
    )
    events = await listen([("default", path)], whisper=whisper, silero=silero)

    # VAD: three utterances, each started -> ended -> final segment, in order.
    vad = [e for e in events if isinstance(e, SpeechStarted | SpeechEnded)
           or (isinstance(e, SpeechSegment) and e.final)]
    assert [e.type.value for e in vad] == ["speech.started", "speech.ended", "speech.segment"] * 3
    starts = [e.offset for e in vad if isinstance(e, SpeechStarted)]
    assert starts[0] < 0.6 < starts[1] < starts[2]
    for started, ended, segment in zip(vad[::3], vad[1::3], vad[2::3], strict=True):
        assert ended.cause == started.id == segment.cause

    # ASR: one final transcript per utterance, pointing at its segment.
    finals = [e for e in of(events, Transcript) if isinstance(e, Transcript) and e.final]
    assert [t.cause for t in finals] == [s.id for s in vad[2::3]]
    texts = [words(t.text) for t in finals]
    assert texts[0] == "nimbus what time is it"
    assert "milk" in texts[1]
    assert "shopping list" in texts[1]
    assert texts[2] == "yonder"
    assert all(t.language == "en" and t.avg_logprob < 0 and t.end > t.start for t in finals)

    # Phrases: action (wake style) -> command; action (submit style) -> command; stop.
    decisions = [e for e in events if isinstance(e, PhraseHeard | Command | Stop)]
    summary = [(e.type.value, getattr(e, "kind", ""), words(getattr(e, "text", "")))
               for e in decisions]
    assert summary[:4] == [
        ("phrase.heard", "action", ""),
        ("command", "", "what time is it"),
        ("phrase.heard", "action", ""),
        ("command", "", summary[3][2]),
    ]
    assert "milk to the shopping list" in summary[3][2]
    # Stop rides the control lane, so it may overtake the phrase event that explains it.
    assert sorted(summary[4:]) == [("phrase.heard", "stop", ""), ("stop", "", "")]
    commands = of(events, Command)
    assert [c.cause for c in commands] == [finals[0].id, finals[1].id]
    assert all(isinstance(c, Command) and c.origin == "voice" for c in commands)
    (stop,) = of(events, Stop)
    assert isinstance(stop, Stop)
    assert (stop.reason, stop.cause) == ("stop phrase", finals[2].id)

    # State: listening on speech, thinking on the command, idle on the stop.
    changes = [e for e in of(events, StateChanged) if isinstance(e, StateChanged)]
    states = [(e.previous, e.state) for e in changes]
    S = AssistantState
    assert states == [(S.IDLE, S.LISTENING), (S.LISTENING, S.THINKING), (S.THINKING, S.IDLE)]


async def test_stop_phrase_acts_on_a_partial_before_the_utterance_ends(
    tmp_path: Path, whisper: WhisperEngine, silero: SileroVad
) -> None:
    path = write_wav(
        tmp_path / "stop.wav",
        silence(0.3),
        synthesize_speech("Yonder! Please stop talking now, I have heard more than enough about "
                          "the weather in the mountains and the clouds over the sea today."),
        silence(0.8),
    )
    asr = AsrConfig(partials=True, partial_interval_s=0.5)
    # The assistant is speaking: a stop acts on the partial, unverified (while it is silent a
    # stop phrase waits for the final transcript and is verified).
    events = await listen([("default", path)], whisper=whisper, silero=silero, asr=asr,
                          realtime=True,
                          before=[PlaybackStarted(site="default", response="r1", sink="speaker")])
    (stop,) = of(events, Stop)
    cause = next(e for e in events if e.id == stop.cause)
    assert isinstance(cause, Transcript)
    assert not cause.final, "the stop came from a partial transcript"
    (ended,) = of(events, SpeechEnded)
    assert events.index(stop) < events.index(ended)
    assert not of(events, Command)


async def test_sites_are_independent_and_playback_mutes_commands(
    tmp_path: Path, whisper: WhisperEngine, silero: SileroVad
) -> None:
    kitchen = write_wav(tmp_path / "k.wav", silence(0.3),
                        synthesize_speech("Nimbus, turn on the kitchen lights."), silence(0.8))
    # Site "den" is playing an answer: its microphone hears a command-like sentence, then a stop.
    den = write_wav(tmp_path / "d.wav", silence(0.6), espeak_speech("Nimbus, what time is it?"),
                    silence(0.9), espeak_speech("Yonder"), silence(0.8))
    events = await listen(
        [("kitchen", kitchen), ("den", den)], whisper=whisper, silero=silero,
        before=[PlaybackStarted(site="den", response="r1", sink="speaker")],
    )
    assert [words(c.text) for c in of(events, Command, "kitchen")] == [  # type: ignore[attr-defined]
        "turn on the kitchen lights"
    ]
    assert of(events, Stop, "kitchen") == []
    assert of(events, Command, "den") == []
    assert len(of(events, Stop, "den")) == 1
    assert len(of(events, SpeechStarted, "kitchen")) == 1
    assert len(of(events, SpeechStarted, "den")) == 2


async def test_ugly_input_silence_noise_clipping_and_odd_formats(
    tmp_path: Path, whisper: WhisperEngine, silero: SileroVad
) -> None:
    rng = np.random.default_rng(3)
    write_wav(tmp_path / "silence.wav", silence(3.0))
    noise = (rng.normal(0, 0.05, 16000 * 3) * 32767).astype(np.int16)
    write_wav(tmp_path / "noise.wav", noise)
    speech = to_16k(*synthesize_speech("Nimbus, open the garage door."))
    clipped = np.clip(speech.astype(np.int32) * 8, -32768, 32767).astype(np.int16)
    write_wav(tmp_path / "clipped.wav", silence(0.3), clipped, silence(0.8))
    # 8 kHz mono and 48 kHz stereo, written as FLAC/WAV at those rates.
    padded = np.concatenate([silence(0.3), speech, silence(0.8)]).astype(np.float32) / 32768
    sf.write(tmp_path / "narrow.flac", padded[::2], 8000)
    wide = np.repeat(np.interp(np.arange(len(padded) * 3) / 3, np.arange(len(padded)), padded),
                     1)
    sf.write(tmp_path / "wide.wav", np.stack([wide, wide * 0.5], axis=1), 48000)

    files = [("silence", tmp_path / "silence.wav"), ("noise", tmp_path / "noise.wav"),
             ("clipped", tmp_path / "clipped.wav"), ("narrow", tmp_path / "narrow.flac"),
             ("wide", tmp_path / "wide.wav")]
    events = await listen(files, whisper=whisper, silero=silero)
    assert of(events, SpeechStarted, "silence") == []
    assert of(events, Command, "silence") == []
    assert of(events, Command, "noise") == []
    for site in ("clipped", "narrow", "wide"):
        commands = [words(c.text) for c in of(events, Command, site)]  # type: ignore[attr-defined]
        assert commands == ["open the garage door"], (site, commands)
    assert all(isinstance(c, AudioChunk) and c.rate == 16000 for c in of(events, AudioChunk))


async def test_long_recording_streams_fast(
    tmp_path: Path, whisper: WhisperEngine, silero: SileroVad
) -> None:
    # 150 s (not the 10 min, to keep CI fast; benchmarks/bench_listening.py runs longer
    # ones): low noise throughout, a command near the start and a stop near the end.
    rng = np.random.default_rng(5)
    seconds = 150
    audio = (rng.normal(0, 0.003, 16000 * seconds) * 32767).astype(np.int16)
    command = to_16k(*synthesize_speech("Nimbus, read me the news."))
    stop = to_16k(*synthesize_speech("Yonder."))
    audio[16000 * 10 : 16000 * 10 + len(command)] += command
    audio[16000 * 140 : 16000 * 140 + len(stop)] += stop
    path = write_wav(tmp_path / "long.wav", audio)
    events = await listen([("default", path)], whisper=whisper, silero=silero)
    commands = [words(c.text) for c in of(events, Command)]  # type: ignore[attr-defined]
    assert commands == ["read me the news"]
    assert len(of(events, Stop)) == 1
    started = [e.offset for e in of(events, SpeechStarted)]  # type: ignore[attr-defined]
    assert len(started) == 2
    assert 9.5 < started[0] < 10.1
    assert 139.5 < started[1] < 140.1
    chunks = [c for c in events if isinstance(c, AudioChunk)]
    assert sum(len(c.audio) for c in chunks) // 2 == 16000 * seconds
