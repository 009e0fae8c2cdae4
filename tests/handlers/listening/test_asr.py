"""faster-whisper ASR: the engine on real speech, the handler's partial/final logic and errors."""

from __future__ import annotations

import re

import numpy as np
import pytest

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import AsrConfig, Config, PhrasesConfig
from nimbus.daemon.events import (
    Error,
    PlaybackStarted,
    ResponseStarted,
    SpeechSegment,
    Stop,
    Transcript,
)
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.audio.convert import to_float32
from nimbus.handlers.listening.asr.engine import WhisperEngine, build_prompt, trim_repeat
from nimbus.handlers.listening.asr.handler import AsrHandler
from nimbus.handlers.listening.phrases.handler import PhraseHandler
from tests.speech import espeak_speech, silence, synthesize_speech, to_16k


def test_prompt_is_biased_toward_the_phrases() -> None:
    assert build_prompt("", ["Nimbus", "Yonder"]) == "Nimbus. Yonder."
    assert build_prompt("Kitchen talk.", ["Nimbus"]) == "Kitchen talk. Nimbus."
    assert build_prompt("", []) == ""


@pytest.fixture(scope="module")
def whisper() -> WhisperEngine:
    return WhisperEngine(Config().asr, prompt_words=("Nimbus", "Yonder"))


@pytest.fixture(scope="module")
def whisper_30s() -> WhisperEngine:
    """Every utterance through faster-whisper's own 30 s window (``asr.padded_s = 0``)."""
    return WhisperEngine(AsrConfig(padded_s=0), prompt_words=("Nimbus", "Yonder"))


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
def test_short_utterances_decode_padded_to_10_s_with_the_same_words(
    whisper: WhisperEngine, whisper_30s: WhisperEngine,
) -> None:
    said = ["Nimbus, what is the capital of France?",
            "Remind me to call the plumber tomorrow, Nimbus."]
    audios = [to_16k(*synthesize_speech(text)) for text in said]
    for text, audio in zip(said, audios, strict=True):
        short, full = whisper.transcribe(to_float32(audio)), whisper_30s.transcribe(
            to_float32(audio))
        assert words(short.text) == words(full.text) == words(text)
        # The short path reports one segment spanning the audio.
        assert short.segments == ((0.0, round(len(audio) / 16000, 3), short.text),)
        assert short.avg_logprob < 0
    # Longer than padded_s less a second: faster-whisper's 30 s path, nothing cut off.
    long = np.concatenate([audios[0], silence(5.0), audios[1]])
    assert len(long) > 9 * 16000
    heard = words(whisper.transcribe(to_float32(long)).text)
    assert "france" in heard
    assert "plumber" in heard
    assert whisper.transcribe(np.zeros(3 * 16000, np.float32)).text == ""


def test_a_tail_that_starts_the_transcript_over_is_cut() -> None:
    # "What is the sky? | What is the" (the slip of a short window)
    assert trim_repeat([5, 6, 7, 8, 9, 5, 6, 7]) == [5, 6, 7, 8, 9]
    assert trim_repeat([5, 6, 7, 8, 9]) == [5, 6, 7, 8, 9]
    assert trim_repeat([5, 5, 5]) == [5, 5, 5]  # "no no no": too short to be a restart
    assert trim_repeat([1, 2, 3, 1, 2, 3]) == [1, 2, 3]
    assert trim_repeat([]) == []


@pytest.mark.slow
def test_evidence_scores_words_without_the_prompt_from_the_same_encoder_pass(
    whisper: WhisperEngine, whisper_30s: WhisperEngine,
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
    # A near miss: the biased decode over a 30 s window writes "Nimbus" for "nimble" (the
    # 10 s one happens to write "Nimble"); without the prompt the model does not believe it.
    near = whisper_30s.transcribe(
        to_float32(to_16k(*synthesize_speech("A nimble cat jumped over the fence."))))
    assert "nimbus" in words(near.text)
    near_evidence = whisper_30s.evidence(near, redecode=True)
    assert near_evidence is not None
    (nimbus,) = [w for w in near_evidence.words if words(w.word) == "nimbus"]
    assert nimbus.probability < 0.2
    assert "nimbus" not in words(near_evidence.unbiased_text or "")
    # Evidence is only for the newest result of this thread (its encoder output is gone).
    whisper.transcribe(to_float32(to_16k(*synthesize_speech("Yonder."))))
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
    pause = SpeechSegment(site="den", audio=speech.tobytes(), start=1.0, final=False,
                          pause=True)
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


@pytest.mark.slow
async def test_a_stop_is_heard_from_the_newest_window_while_partials_are_pending(
    whisper: WhisperEngine,
) -> None:
    """While the assistant speaks in the den, the den's newest 1.5 s are decoded ahead of the
    kitchen's pending partials and final, and the phrase handler stops the den at once."""
    bus = Bus()
    asr = AsrHandler(bus, AsrConfig(), engine=whisper)
    phrases = PhraseHandler(bus, PhrasesConfig())
    question = to_16k(*synthesize_speech("Nimbus, what is the weather like in the mountains?"))
    long_talk = to_16k(*synthesize_speech(
        "Please remember to buy apples and pears at the market. Yonder."))
    kitchen = [SpeechSegment(site="kitchen", cause="k", audio=question[: int(n * 16000)].tobytes(),
                             final=False) for n in (1.0, 1.5, 2.0)]
    kitchen_final = SpeechSegment(site="kitchen", cause="k", audio=question.tobytes(), final=True)
    den = SpeechSegment(site="den", cause="d", audio=long_talk.tobytes(), final=False)
    async with EventRecorder(bus, Transcript, Stop) as rec, running(asr, phrases):
        await bus.publish(PlaybackStarted(site="den", response="r1", sink="speaker"))
        await bus.publish(ResponseStarted(site="den"))
        for segment in (*kitchen, kitchen_final, den):
            await bus.publish(segment)
        stop = await rec.wait_for(Stop, within=60)
        await asr.wait_finals(1)
        await rec.wait_for(lambda e: isinstance(e, Transcript) and e.final, within=30)
    assert isinstance(stop, Stop)
    assert (stop.site, stop.reason) == ("den", "stop phrase")
    order = [(e.site, e.final) for e in rec.events if isinstance(e, Transcript)]
    # At most the one kitchen decode already running when the den's audio came goes first.
    assert order.index(("den", False)) <= 1
    assert order.index(("den", False)) < order.index(("kitchen", True))
    heard = next(e for e in rec.events if isinstance(e, Transcript) and e.site == "den")
    assert isinstance(heard, Transcript)
    assert "yonder" in words(heard.text)
    assert "apples" not in words(heard.text)  # only the newest 1.5 s were decoded
    assert asr.schedule.stats.decoded["stop"] == 1


@pytest.mark.slow
async def test_a_final_replaces_pending_partials_and_no_partial_follows_it(
    whisper: WhisperEngine,
) -> None:
    bus = Bus()
    handler = AsrHandler(bus, AsrConfig(), engine=whisper)
    speech = to_16k(*synthesize_speech("Nimbus, what is on my calendar for tomorrow morning?"))
    partials = [SpeechSegment(site="den", cause="u", audio=speech[: int(s * 16000)].tobytes(),
                              final=False) for s in (1.0, 1.4, 1.8, 2.2)]
    final = SpeechSegment(site="den", cause="u", audio=speech.tobytes(), final=True)
    async with EventRecorder(bus, Transcript) as rec, running(handler):
        for segment in (*partials, final):
            await bus.publish(segment)
        await handler.wait_finals(1)
    texts = [e for e in rec.events if isinstance(e, Transcript)]
    assert texts[-1].final
    assert texts[-1].cause == final.id
    assert "calendar" in words(texts[-1].text)
    assert all(not t.final for t in texts[:-1])  # nothing after the final
    stats = handler.schedule.stats
    # Every partial was either decoded, replaced by a newer one or the final, or skipped.
    assert stats.decoded.get("partial", 0) + stats.replaced + stats.skipped_slow == len(partials)
    assert stats.decoded["final"] == 1
