"""The clock-free segmenter (synchronously) and the Silero ONNX engine on real speech."""

from __future__ import annotations

import asyncio
import itertools

import numpy as np
import pytest

from nimbus.daemon.bus import Bus
from nimbus.daemon.events import (
    AudioChunk,
    Error,
    SpeechEnded,
    SpeechSegment,
    SpeechStarted,
    Transcript,
)
from nimbus.daemon.models import resolve_vad
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.audio.convert import to_float32
from nimbus.handlers.listening.vad.engine import FRAME_SAMPLES, SileroVad, VadState
from nimbus.handlers.listening.vad.handler import VadHandler
from nimbus.handlers.listening.vad.segmenter import (
    Ended,
    Growing,
    Segmenter,
    SegmenterSettings,
    Started,
    ends_question,
)
from tests.speech import random_cuts, silence, synthesize_speech, to_16k

FRAME_S = FRAME_SAMPLES / 16000


def feed(segmenter: Segmenter, probabilities: list[float]) -> list[tuple[int, object]]:
    """Feed frames whose samples are their frame index, so audio content can be checked."""
    out: list[tuple[int, object]] = []
    for i, p in enumerate(probabilities):
        frame = np.full(FRAME_SAMPLES, i, dtype=np.int16)
        out += [(i, e) for e in segmenter.process(frame, p)]
    return out


def frames(ms: float) -> int:
    return round(ms / 1000 / FRAME_S)


def settings(**kw: object) -> SegmenterSettings:
    base: dict[str, object] = {"threshold": 0.5, "min_speech_ms": 96, "silence_ms": 320,
                               "preroll_ms": 64, "max_speech_s": 30.0}
    base.update(kw)
    return SegmenterSettings(**base)  # type: ignore[arg-type]


def test_utterance_with_preroll_and_hangover() -> None:
    seg = Segmenter(settings())
    probs = [0.0] * 10 + [0.9] * 20 + [0.0] * 15
    events = feed(seg, probs)
    kinds = [(i, type(e).__name__) for i, e in events]
    # Started after min_speech (3 frames of speech), Ended after 10 frames of silence.
    assert kinds == [(12, "Started"), (39, "Ended")]
    started, ended = events[0][1], events[1][1]
    assert isinstance(started, Started)
    assert isinstance(ended, Ended)
    assert started.offset == pytest.approx(8 * FRAME_S)  # two frames of pre-roll
    assert ended.reason == "silence"
    assert ended.start == started.offset
    assert ended.end == pytest.approx(40 * FRAME_S)
    # The audio is frames 8..39: pre-roll, speech, hang-over, in order.
    assert list(ended.audio[::FRAME_SAMPLES]) == list(range(8, 40))


def test_blip_shorter_than_min_speech_is_ignored() -> None:
    seg = Segmenter(settings(min_speech_ms=250))
    assert feed(seg, [0.0] * 5 + [0.9] * 3 + [0.0] * 30) == []
    assert not seg.active


def test_hysteresis_keeps_speech_through_middling_frames() -> None:
    seg = Segmenter(settings())
    probs = [0.9] * 5 + [0.4] * 30 + [0.1] * 10
    kinds = [type(e).__name__ for _, e in feed(seg, probs)]
    # 0.4 is between threshold-0.15 and threshold: not silence, so the utterance continues.
    assert kinds == ["Started", "Ended"]
    seg2 = Segmenter(settings())
    ended = next(e for _, e in feed(seg2, probs) if isinstance(e, Ended))
    assert ended.end == pytest.approx(45 * FRAME_S)


def test_frames_over_the_sites_own_cancelled_answer_use_the_echo_threshold() -> None:
    probs = [0.0] * 5 + [0.4] * 10 + [0.05] * 15  # a user under the answer's residue
    plain = Segmenter(settings(echo_threshold=0.3))
    assert feed(plain, probs) == []  # not while nothing plays: 0.4 < vad.threshold
    over = Segmenter(settings(echo_threshold=0.3))
    events = [e for i, p in enumerate(probs)
              for e in over.process(np.full(FRAME_SAMPLES, i, np.int16), p, echo=True)]
    assert [type(e).__name__ for e in events] == ["Started", "Ended"]
    unset = Segmenter(settings())  # no echo_threshold: the threshold holds over an answer too
    assert not [e for p in probs
                for e in unset.process(np.zeros(FRAME_SAMPLES, np.int16), p, echo=True)]


def test_max_length_splits_and_partials_grow() -> None:
    seg = Segmenter(settings(max_speech_s=1.0, partial_interval_s=0.32, preroll_ms=0))
    events = [e for _, e in feed(seg, [0.9] * 40)]
    kinds = [type(e).__name__ for e in events]
    assert kinds[0] == "Started"
    assert "Ended" in kinds
    ended = next(e for e in events if isinstance(e, Ended))
    assert ended.reason == "max_length"
    assert len(ended.audio) >= 16000
    growing = [e for e in events if isinstance(e, Growing)]
    assert len(growing) >= 2
    assert len(growing[1].audio) > len(growing[0].audio)
    assert kinds.count("Started") == 2  # speech goes on: a new utterance starts


def test_one_pause_partial_then_none_during_the_hang_over() -> None:
    seg = Segmenter(settings(partial_interval_s=0.064, silence_ms=640, preroll_ms=0))
    events = feed(seg, [0.9] * 6 + [0.0] * 20)
    growing = [(i, e) for i, e in events if isinstance(e, Growing)]
    # Started at frame 2 (96 ms of speech), then a partial every 2 frames while speech lasts.
    assert [i for i, e in growing if not e.pause] == [4]
    # The first silent frame cuts one pause partial, then nothing until the end.
    ((index, pause),) = [(i, e) for i, e in growing if e.pause]
    assert index == 6
    assert len(pause.audio) == 7 * FRAME_SAMPLES
    ended = events[-1][1]
    assert isinstance(ended, Ended)
    assert ended.same_as_pause
    assert np.array_equal(ended.audio[: len(pause.audio)], pause.audio)


def test_speech_after_a_pause_means_the_final_is_new_speech() -> None:
    seg = Segmenter(settings(partial_interval_s=1.0, silence_ms=320, preroll_ms=0))
    events = [e for _, e in feed(seg, [0.9] * 6 + [0.0] * 3 + [0.9] * 4 + [0.0] * 12)]
    assert [e.pause for e in events if isinstance(e, Growing)] == [True, True]
    ended = events[-1]
    assert isinstance(ended, Ended)
    assert ended.same_as_pause  # the second pause covers all the speech
    seg2 = Segmenter(settings(partial_interval_s=1.0, silence_ms=320, preroll_ms=0))
    feed(seg2, [0.9] * 6 + [0.0] * 3 + [0.9] * 4)
    (final,) = seg2.finish()
    assert isinstance(final, Ended)
    assert not final.same_as_pause  # speech came after the last pause, then the stream ended


def test_a_whole_question_at_the_pause_ends_after_the_shorter_hang_over() -> None:
    # silence_ms 640 = 20 frames; question_silence_ms 192 = 6 frames.
    def utterance() -> Segmenter:
        return Segmenter(settings(partial_interval_s=1.0, silence_ms=640,
                                  question_silence_ms=192, preroll_ms=0))

    # Told at the 2nd silent frame (the pause transcript came back): ends at the 6th.
    seg = utterance()
    early = feed(seg, [0.9] * 6 + [0.0] * 2)
    assert seg.end_early()
    events = early + [(8 + i, e) for i, e in feed(seg, [0.0] * 10)]
    ended = [(i, e) for i, e in events if isinstance(e, Ended)]
    assert [i for i, _ in ended] == [8 + 3]  # frames 6..11: the 6th silent frame
    assert ended[0][1].same_as_pause
    # Told late (8 silent frames already): ends on the next frame.
    seg = utterance()
    feed(seg, [0.9] * 6 + [0.0] * 8)
    assert seg.end_early()
    assert isinstance(seg.process(np.zeros(FRAME_SAMPLES, np.int16), 0.0)[0], Ended)
    # The speaker resumed before the transcript came back: the pause is over, no early end.
    seg = utterance()
    feed(seg, [0.9] * 6 + [0.0] * 2 + [0.9] * 2)
    assert not seg.end_early()
    # Resumed after being told: the full hang-over again.
    seg = utterance()
    feed(seg, [0.9] * 6 + [0.0] * 2)
    assert seg.end_early()
    rest = feed(seg, [0.9] * 2 + [0.0] * 19)
    assert not any(isinstance(e, Ended) for _, e in rest)
    assert isinstance(seg.process(np.zeros(FRAME_SAMPLES, np.int16), 0.0)[-1], Ended)
    # Off (0), or no shorter than the hang-over: never.
    for value in (0, 640):
        seg = Segmenter(settings(partial_interval_s=1.0, silence_ms=640,
                                 question_silence_ms=value, preroll_ms=0))
        feed(seg, [0.9] * 6 + [0.0] * 2)
        assert not seg.end_early()


def test_a_question_is_a_transcript_ending_in_a_question_mark() -> None:
    assert ends_question("Nimbus, what time is it?")
    assert ends_question('He asked "is it raining?" ')
    assert not ends_question("Nimbus, what is the")
    assert not ends_question("Turn on the lights.")
    assert not ends_question("")


def test_finish_closes_an_open_utterance() -> None:
    seg = Segmenter(settings())
    feed(seg, [0.9] * 10)
    assert seg.active
    (ended,) = seg.finish()
    assert isinstance(ended, Ended)
    assert ended.reason == "end_of_stream"
    assert seg.finish() == []


def test_silence_only_never_starts() -> None:
    seg = Segmenter(settings())
    assert feed(seg, [0.0] * 1000) == []
    assert seg.position == 1000 * FRAME_SAMPLES


@pytest.fixture(scope="module")
def silero() -> SileroVad:
    location = resolve_vad("")
    assert location.path is not None
    return SileroVad(location.path)


def probabilities(engine: SileroVad, audio: np.ndarray) -> list[float]:
    state = VadState()
    whole = len(audio) - len(audio) % FRAME_SAMPLES
    return [engine.probability(state, to_float32(audio[i : i + FRAME_SAMPLES]))
            for i in range(0, whole, FRAME_SAMPLES)]


@pytest.mark.slow
def test_silero_hears_speech_not_silence_or_noise(silero: SileroVad) -> None:
    speech = to_16k(*synthesize_speech("Nimbus, what time is it?"))
    assert max(probabilities(silero, speech)) > 0.8
    assert max(probabilities(silero, silence(2.0))) < 0.2
    rng = np.random.default_rng(7)
    noise = (rng.normal(0, 0.05, 32000) * 32767).astype(np.int16)
    assert np.mean(np.array(probabilities(silero, noise)) > 0.5) < 0.1


@pytest.mark.slow
def test_silero_rejects_bad_frames(silero: SileroVad) -> None:
    with pytest.raises(ValueError, match="512"):
        silero.probability(VadState(), np.zeros(100, np.float32))


@pytest.mark.slow
async def test_handler_takes_network_audio_in_any_format_per_site(silero: SileroVad) -> None:
    # As a WebSocket/MQTT client would send it: 48 kHz stereo, for two sites interleaved, then
    # an empty chunk (end of stream) for each. The phone sends 20 ms chunks; the tablet the same
    # stream cut at random bytes (inside samples and frames, as an HTTP body arrives).
    speech = to_16k(*synthesize_speech("Nimbus, what time is it?"))
    mono = np.concatenate([silence(0.5), speech, silence(1.0)])
    wide = np.repeat(np.interp(np.arange(len(mono) * 3) / 3, np.arange(len(mono)), mono), 2)
    stereo48 = wide.astype(np.int16).tobytes()
    step = 960 * 2 * 2  # 20 ms at 48 kHz, stereo, 16-bit
    bus = Bus()
    vad = VadHandler(bus, settings(min_speech_ms=250, silence_ms=400, preroll_ms=300),
                     engine=silero)
    pieces = {"phone": [stereo48[i : i + step] for i in range(0, len(stereo48), step)],
              "tablet": random_cuts(stereo48, np.random.default_rng(5), most=2 * step)}
    assert sum(len(p) % 4 for p in pieces["tablet"]) > 10, "pieces end inside frames"
    async with EventRecorder(bus) as rec, running(vad):
        for number, chunks in enumerate(itertools.zip_longest(*pieces.values())):
            for site, chunk in zip(pieces, chunks, strict=True):
                if chunk:
                    await bus.publish(AudioChunk(site=site, audio=chunk, rate=48000,
                                                 channels=2, sequence=number))
        for site in ("phone", "tablet"):
            await bus.publish(AudioChunk(site=site, audio=b"", rate=48000, channels=2))
            await vad.wait_stream_end(site)
        await bus.publish(AudioChunk(site="odd", audio=b"\0" * 30, width=3))
        error = await rec.wait_for(Error)
    for site in ("phone", "tablet"):
        kinds = [type(e).__name__ for e in rec.of(SpeechStarted, SpeechEnded, SpeechSegment)
                 if e.site == site]
        assert kinds == ["SpeechStarted", "SpeechEnded", "SpeechSegment"], site
        (segment,) = [e for e in rec.of(SpeechSegment) if e.site == site]
        assert isinstance(segment, SpeechSegment)
        assert (segment.rate, segment.channels, segment.width) == (16000, 1, 2)
        assert 0.1 < segment.start < 0.5
        assert abs(segment.duration - (len(speech) / 16000 + 0.3 + 0.4)) < 0.3
    assert isinstance(error, Error)
    assert (error.code, error.site) == ("audio_format", "odd")
    phone, tablet = (next(e for e in rec.of(SpeechSegment) if e.site == site)
                     for site in ("phone", "tablet"))
    assert isinstance(phone, SpeechSegment)
    assert isinstance(tablet, SpeechSegment)
    assert tablet.audio == phone.audio, "cut anywhere, the same utterance"


@pytest.mark.slow
async def test_a_site_that_stalls_mid_utterance_is_closed_with_an_error(silero: SileroVad) -> None:
    # A satellite's link freezes half-way through a question while another room keeps talking.
    speech = to_16k(*synthesize_speech("Nimbus, what is the capital of France?"))
    half = np.concatenate([silence(0.3), speech[: len(speech) // 2]])
    whole = np.concatenate([silence(0.3), speech, silence(1.0)])
    bus = Bus()
    vad = VadHandler(bus, settings(min_speech_ms=250, silence_ms=400, preroll_ms=300),
                     engine=silero, stall_s=0.6)
    step = FRAME_SAMPLES * 2
    async with EventRecorder(bus) as rec, running(vad):
        for i in range(0, len(whole) * 2, step):
            if i < len(half) * 2:
                await bus.publish(AudioChunk(site="stalled", audio=half.tobytes()[i:i + step]))
            await bus.publish(AudioChunk(site="steady", audio=whole.tobytes()[i:i + step]))
        error = await rec.wait_for(Error, within=30)
        await rec.wait_for(lambda e: isinstance(e, SpeechSegment) and e.site == "stalled")
        await rec.wait_for(lambda e: isinstance(e, SpeechSegment) and e.site == "steady")
    assert isinstance(error, Error)
    assert (error.code, error.site, error.stage) == ("audio_stalled", "stalled", "vad")
    assert "in the middle of an utterance" in error.message
    segments = {e.site: e for e in rec.of(SpeechSegment) if isinstance(e, SpeechSegment)}
    assert segments["stalled"].final
    assert segments["stalled"].duration == pytest.approx(len(half) / 16000, abs=0.4)
    assert segments["steady"].duration > len(speech) / 16000
    assert not [e for e in rec.of(Error) if e.site == "steady"], "the other room is unaffected"


async def test_handler_ends_an_utterance_early_when_its_pause_was_a_whole_question(
    silero: SileroVad,
) -> None:
    # Real speech through Silero; the transcript of the pause partial is what the ASR would
    # publish. Audio is fed in two parts so that the transcript lands inside the pause.
    speech = to_16k(*synthesize_speech("Nimbus, what time is it?"))
    bus = Bus()
    vad = VadHandler(bus, settings(min_speech_ms=250, silence_ms=640, preroll_ms=300,
                                   partial_interval_s=5.0, question_silence_ms=192),
                     engine=silero)

    async def utterance(site: str, text: str) -> SpeechEnded:
        first = np.concatenate([silence(0.3), speech, silence(0.1)]).tobytes()
        async with EventRecorder(bus) as rec:
            await bus.publish(AudioChunk(site=site, audio=first, rate=16000))
            pause = await rec.wait_for(  # the pause at the end (not the comma's)
                lambda e: isinstance(e, SpeechSegment) and e.pause and e.site == site
                and len(e.audio) // 2 > 0.9 * len(speech))
            await bus.publish(Transcript(site=site, cause=pause.id, text=text, final=False))
            await asyncio.sleep(0.05)
            for _ in range(40):  # 1.28 s of silence, 32 ms at a time, as a client sends it
                await bus.publish(AudioChunk(site=site, audio=silence(0.032).tobytes(),
                                             rate=16000))
            ended = await rec.wait_for(lambda e: isinstance(e, SpeechEnded) and e.site == site)
        assert isinstance(ended, SpeechEnded)
        return ended

    async with running(vad):
        question = await utterance("kitchen", "Nimbus, what time is it?")
        statement = await utterance("hall", "Nimbus, what time is it")
    # The statement waits out the 640 ms hang-over. The question ends on the first frame after
    # the transcript came back, ~290 ms into the pause (past its 192 ms): 0.3 s sooner.
    assert question.offset <= statement.offset - 0.25
    assert vad.ended_early == 1
