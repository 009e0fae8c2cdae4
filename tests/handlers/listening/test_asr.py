"""faster-whisper ASR: the engine on real speech, the handler's partial/final logic and errors."""

from __future__ import annotations

import re

import numpy as np
import pytest

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import AsrConfig, Config
from nimbus.daemon.events import Error, SpeechSegment, Transcript
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.audio.convert import to_float32
from nimbus.handlers.listening.asr.engine import WhisperEngine, build_prompt
from nimbus.handlers.listening.asr.handler import AsrHandler, coalesce
from tests.speech import espeak_speech, silence, synthesize_speech, to_16k


def test_prompt_is_biased_toward_the_phrases() -> None:
    assert build_prompt("", ["Nimbus", "Yonder"]) == "Nimbus. Yonder."
    assert build_prompt("Kitchen talk.", ["Nimbus"]) == "Kitchen talk. Nimbus."
    assert build_prompt("", []) == ""


def test_coalesce_keeps_finals_and_only_the_newest_partial_per_site() -> None:
    a1 = SpeechSegment(site="a", final=False)
    a2 = SpeechSegment(site="a", final=False)
    b1 = SpeechSegment(site="b", final=False)
    a_final = SpeechSegment(site="a", final=True)
    a3 = SpeechSegment(site="a", final=False)
    assert coalesce([a1, b1, a2, a_final, a3]) == [b1, a_final, a3]
    assert coalesce([a1, a2]) == [a2]
    assert coalesce([]) == []


@pytest.fixture(scope="module")
def whisper() -> WhisperEngine:
    return WhisperEngine(Config().asr, prompt_words=("Nimbus", "Yonder"))


def words(text: str) -> str:
    return " ".join(re.findall(r"[a-z']+", text.lower()))


@pytest.mark.slow
def test_engine_transcribes_two_voices(whisper: WhisperEngine) -> None:
    piper = whisper.transcribe(to_float32(to_16k(*synthesize_speech("Nimbus, what time is it?"))))
    assert words(piper.text) == "nimbus what time is it"
    assert piper.language == "en"
    assert piper.avg_logprob < 0
    assert piper.segments
    assert piper.segments[0][0] >= 0
    assert piper.segments[-1][1] > piper.segments[0][0]
    espeak = whisper.transcribe(to_float32(to_16k(*espeak_speech("Turn off the radio."))))
    assert "radio" in words(espeak.text)


@pytest.mark.slow
def test_evidence_scores_words_without_the_prompt_from_the_same_encoder_pass(
    whisper: WhisperEngine,
) -> None:
    addressed = whisper.transcribe(
        to_float32(to_16k(*synthesize_speech("Nimbus, what time is it?"))))
    evidence = whisper.evidence(addressed)
    assert evidence is not None
    heard = {words(w.word): w for w in evidence.words if words(w.word)}
    assert list(heard) == ["nimbus", "what", "time", "is", "it"]
    assert heard["nimbus"].probability > 0.4
    assert heard["time"].probability > 0.5
    starts = [w.start for w in heard.values()]
    assert starts == sorted(starts)
    assert evidence.unbiased_text is None
    # A near miss: the biased decode writes "Nimbus" for "nimble"; without the prompt the
    # model does not believe it.
    near = whisper.transcribe(
        to_float32(to_16k(*synthesize_speech("A nimble cat jumped over the fence."))))
    assert "nimbus" in words(near.text)
    near_evidence = whisper.evidence(near, redecode=True)
    assert near_evidence is not None
    (nimbus,) = [w for w in near_evidence.words if words(w.word) == "nimbus"]
    assert nimbus.probability < 0.2
    assert "nimbus" not in words(near_evidence.unbiased_text or "")
    # Evidence is only for the newest result of this thread (its encoder output is gone).
    assert whisper.evidence(addressed) is None


@pytest.mark.slow
def test_engine_on_nothing(whisper: WhisperEngine) -> None:
    assert whisper.transcribe(np.zeros(0, np.float32)).text == ""
    assert whisper.transcribe(np.zeros(800, np.float32)).segments == ()


@pytest.mark.slow
async def test_handler_publishes_final_and_reports_bad_segments(whisper: WhisperEngine) -> None:
    bus = Bus()
    handler = AsrHandler(bus, AsrConfig(), engine=whisper)
    speech = np.concatenate([to_16k(*synthesize_speech("Yonder.")), silence(0.3)])
    good = SpeechSegment(site="den", audio=speech.tobytes(), start=2.0, final=True)
    bad = SpeechSegment(site="den", audio=b"\x01\x02\x03", final=True)
    async with EventRecorder(bus) as rec, running(handler):
        await bus.publish(good)
        await bus.publish(bad)
        transcript = await rec.wait_for(Transcript, within=60)
        error = await rec.wait_for(Error, within=60)
    assert isinstance(transcript, Transcript)
    assert words(transcript.text) == "yonder"
    assert (transcript.site, transcript.cause, transcript.final) == ("den", good.id, True)
    assert transcript.start == 2.0
    assert transcript.end == pytest.approx(2.0 + len(speech) / 16000)
    assert transcript.decode_seconds > 0
    assert isinstance(error, Error)
    assert (error.code, error.stage, error.cause) == ("asr_failed", "asr", bad.id)
    assert "16-bit" in error.message
    assert handler.finals == 2
    assert handler.reused == 0


@pytest.mark.slow
async def test_final_after_a_pause_reuses_the_pause_transcript(whisper: WhisperEngine) -> None:
    bus = Bus()
    handler = AsrHandler(bus, AsrConfig(), engine=whisper)
    speech = to_16k(*synthesize_speech("Nimbus, open the door."))
    pause = SpeechSegment(site="den", audio=speech.tobytes(), start=1.0, final=False)
    final = SpeechSegment(site="den", audio=np.concatenate([speech, silence(0.4)]).tobytes(),
                          start=1.0, final=True, same_speech_as=pause.id)
    other = SpeechSegment(site="den", audio=speech.tobytes(), start=5.0, final=True,
                          same_speech_as="not-a-decoded-partial")
    async with EventRecorder(bus, Transcript) as rec, running(handler):
        await bus.publish(pause)
        await rec.wait_for(lambda e: isinstance(e, Transcript) and not e.final, within=60)
        await bus.publish(final)
        await bus.publish(other)
        await handler.wait_finals(2)
        await rec.wait_for(lambda e: len(rec.events) == 3, within=10)
    partial, reused, decoded = rec.events
    assert isinstance(partial, Transcript)
    assert isinstance(reused, Transcript)
    assert isinstance(decoded, Transcript)
    assert (reused.cause, reused.final, reused.text) == (final.id, True, partial.text)
    assert reused.end == pytest.approx(1.0 + len(speech) / 16000 + 0.4)
    assert handler.reused == 1
    assert words(decoded.text) == words(partial.text)
