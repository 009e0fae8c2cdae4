"""Listening benchmarks: ASR speed/accuracy, end-of-speech and stop-phrase latency, VAD cost.

Run: ``python -m benchmarks listening`` (add ``--model=PATH_OR_SIZE`` for more ASR models,
``--quick`` for fewer repetitions). Speech is generated with the shipped Piper voice and espeak-ng;
no shipped recording with a reference transcript exists in the installed packages.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks._harness import print_table, summarize, write_results
from nimbus.daemon.bus import Bus
from nimbus.daemon.config import AsrConfig, Config
from nimbus.daemon.events import (
    AudioChunk,
    Event,
    PlaybackStarted,
    SpeechEnded,
    Stop,
    Transcript,
)
from nimbus.daemon.models import resolve_vad
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.audio.convert import to_float32
from nimbus.handlers.listening.asr.engine import WhisperEngine
from nimbus.handlers.listening.asr.handler import AsrHandler
from nimbus.handlers.listening.file_source import FileSource
from nimbus.handlers.listening.phrases.handler import PhraseHandler
from nimbus.handlers.listening.vad.engine import FRAME_SAMPLES, SileroVad, VadState
from nimbus.handlers.listening.vad.handler import VadHandler, settings_from_config
from nimbus.handlers.listening.vad.segmenter import Segmenter
from tests.speech import espeak_speech, silence, synthesize_speech, to_16k, write_wav

SENTENCES = (
    "Nimbus, what time is it?",
    "Add milk and eggs to the shopping list.",
    "Turn off the lights in the kitchen.",
    "What is the weather like in Paris tomorrow?",
    "Remind me to call my mother at six o'clock.",
    "Play some quiet music in the living room.",
    "How many days are left until the end of the month?",
    "Yonder.",
)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate: word-level edit distance / reference length."""
    ref, hyp = _words(reference), _words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (r != h))
    return row[len(hyp)] / max(1, len(ref))


def _voices() -> dict[str, list[np.ndarray]]:
    return {
        "piper": [to_16k(*synthesize_speech(s, natural=True)) for s in SENTENCES],
        "espeak": [to_16k(*espeak_speech(s)) for s in SENTENCES],
    }


def bench_asr(
    models: list[str], voices: dict[str, list[np.ndarray]], reps: int
) -> list[dict[str, Any]]:
    rows = []
    for model in models:
        config = AsrConfig(model=model)
        started = time.perf_counter()
        engine = WhisperEngine(config, prompt_words=("Nimbus", "Yonder"))
        load = time.perf_counter() - started
        engine.transcribe(to_float32(voices["piper"][0]))  # warm-up
        for voice, clips in voices.items():
            rtfs, errors, decode = [], [], []
            for _ in range(reps):
                for sentence, clip in zip(SENTENCES, clips, strict=True):
                    t = time.perf_counter()
                    result = engine.transcribe(to_float32(clip))
                    took = time.perf_counter() - t
                    decode.append(took)
                    rtfs.append(took / (len(clip) / 16000))
                    errors.append(wer(sentence, result.text))
            rows.append({
                "model": engine.name, "voice": voice, "load_s": round(load, 2),
                "rtf_median": summarize(rtfs)["median"], "rtf_p90": summarize(rtfs)["p90"],
                "decode_s_median": summarize(decode)["median"],
                "wer": float(np.mean(errors)), "utterances": len(errors),
            })
    return rows


async def _pipeline(path: Path, asr: AsrConfig, whisper: WhisperEngine,
                    silero: SileroVad, *, speaking: bool = False) -> tuple[list[Event], float]:
    """Stream ``path`` in real time; ``speaking``: the assistant is playing an answer on the
    site (a stop phrase then acts at once; while silent it is only verified on the final)."""
    config = Config()
    bus = Bus()
    vad = VadHandler(bus, settings_from_config(config.vad, asr), engine=silero)
    recognizer = AsrHandler(bus, asr, engine=whisper)
    phrases = PhraseHandler(bus, config.phrases)
    source = FileSource(bus, path, realtime=True)
    async with EventRecorder(bus) as rec, running(vad, recognizer, phrases):
        if speaking:
            await bus.publish(PlaybackStarted(site="default", response="bench", sink="speaker"))
        async with running(source):
            await rec.wait_for(AudioChunk)
            first = next(e for e in rec.events if isinstance(e, AudioChunk))
            await source.done.wait()
        await vad.wait_stream_end("default")
        finals = sum(1 for e in rec.events if isinstance(e, SpeechEnded))
        await recognizer.wait_finals(finals)
        await phrases.wait_finals(recognizer.transcribed)
        await asyncio.sleep(0.1)
    return list(rec.events), first.time


def bench_end_of_speech(whisper: WhisperEngine, silero: SileroVad,
                        voices: dict[str, list[np.ndarray]], tmp: Path) -> list[dict[str, Any]]:
    rows = []
    for partials in (False, True):
        asr = dataclasses.replace(whisper.config, partials=partials)
        pieces: list[np.ndarray] = [silence(0.5)]
        ends = []
        offset = 0.5
        for clip in voices["piper"][:5]:
            pieces += [clip, silence(2.0)]
            ends.append(offset + len(clip) / 16000)
            offset += len(clip) / 16000 + 2.0
        path = write_wav(tmp / f"eos-{partials}.wav", *pieces)
        events, t0 = asyncio.run(_pipeline(path, asr, whisper, silero))
        finals = [e for e in events if isinstance(e, Transcript) and e.final]
        latency = [f.time - (t0 + end) for f, end in zip(finals, ends, strict=False)]
        decode = [f.decode_seconds for f in finals]
        rows.append({"measure": "end of speech -> final transcript", "partials": partials,
                     **{f"latency_{k}": v for k, v in summarize(latency).items() if k != "n"},
                     "decode_median": summarize(decode)["median"], "n": len(latency),
                     "note": f"includes vad.silence_ms={Config().vad.silence_ms} hang-over"})
    return rows


def bench_stop(whisper: WhisperEngine, silero: SileroVad, tmp: Path, reps: int
               ) -> list[dict[str, Any]]:
    stop_word = to_16k(*synthesize_speech("Yonder!"))
    rest = to_16k(*synthesize_speech("Please stop talking now, I have heard quite enough about "
                                     "the clouds today."))
    rows = []
    for partials in (False, True):
        asr = dataclasses.replace(whisper.config, partials=partials, partial_interval_s=0.5)
        latencies = []
        for i in range(reps):
            path = write_wav(tmp / f"stop-{partials}-{i}.wav", silence(0.5), stop_word, rest,
                             silence(1.5))
            events, t0 = asyncio.run(_pipeline(path, asr, whisper, silero, speaking=True))
            stops = [e for e in events if isinstance(e, Stop)]
            if stops:
                latencies.append(stops[0].time - (t0 + 0.5 + len(stop_word) / 16000))
        rows.append({"measure": "stop phrase spoken -> stop event", "partials": partials,
                     **{f"latency_{k}": v for k, v in summarize(latencies).items() if k != "n"},
                     "n": len(latencies),
                     "note": f"stop word followed by {len(rest) / 16000:.1f} s more speech"})
    return rows


def bench_vad(silero: SileroVad, minutes: float) -> list[dict[str, Any]]:
    rng = np.random.default_rng(0)
    frames = [to_float32((rng.normal(0, 0.05, FRAME_SAMPLES) * 32767).astype(np.int16))
              for _ in range(200)]
    state = VadState()
    for frame in frames[:20]:
        silero.probability(state, frame)
    costs = []
    for _ in range(5):
        t = time.perf_counter()
        for frame in frames:
            silero.probability(state, frame)
        costs.append((time.perf_counter() - t) / len(frames) * 1000)
    segmenter = Segmenter(settings_from_config(Config().vad))
    pcm = np.zeros(FRAME_SAMPLES, np.int16)
    t = time.perf_counter()
    for i in range(10_000):
        segmenter.process(pcm, 0.9 if (i // 100) % 2 else 0.1)
    seg_ms = (time.perf_counter() - t) / 10_000 * 1000
    # A long recording through the whole VAD stage as fast as it goes.
    speech = to_16k(*synthesize_speech("Nimbus, what is on my calendar today?"))
    total = int(minutes * 60 * 16000)
    audio = (rng.normal(0, 0.003, total) * 32767).astype(np.int16)
    for start in range(16000 * 5, total - len(speech), 16000 * 30):
        audio[start : start + len(speech)] += speech
    with tempfile.TemporaryDirectory() as folder:
        path = write_wav(Path(folder) / "long.wav", audio)
        t = time.perf_counter()
        segments = asyncio.run(_vad_only(path, silero))
        took = time.perf_counter() - t
    return [
        {"measure": "Silero VAD per 32 ms frame (ONNX, 1 thread)", "ms_median":
         summarize(costs)["median"], "share_of_realtime": summarize(costs)["median"] / 32},
        {"measure": "segmenter per frame (pure Python)", "ms_median": seg_ms,
         "share_of_realtime": seg_ms / 32},
        {"measure": f"VAD stage on a {minutes:g}-min file, as fast as possible",
         "ms_median": took * 1000, "share_of_realtime": took / (minutes * 60),
         "note": f"{segments} utterances found"},
    ]


async def _vad_only(path: Path, silero: SileroVad) -> int:
    bus = Bus()
    vad = VadHandler(bus, settings_from_config(Config().vad), engine=silero)
    source = FileSource(bus, path, chunk_ms=512)
    async with EventRecorder(bus, SpeechEnded) as rec, running(vad):
        async with running(source):
            await source.done.wait()
        await vad.wait_stream_end("default")
        await asyncio.sleep(0.05)
    return len(rec.events)


def main(argv: list[str]) -> list[dict[str, Any]]:
    quick = "--quick" in argv
    models = [""] + [a.split("=", 1)[1] for a in argv if a.startswith("--model=")]
    reps = 1 if quick else 3
    voices = _voices()
    location = resolve_vad("")
    assert location.path is not None
    silero = SileroVad(location.path)
    whisper = WhisperEngine(Config().asr, prompt_words=("Nimbus", "Yonder"))
    asr_rows = bench_asr(models, voices, 1 if quick else 2)
    print_table("ASR: real-time factor (decode time / audio time) and WER", asr_rows)
    with tempfile.TemporaryDirectory() as folder:
        latency_rows = bench_end_of_speech(whisper, silero, voices, Path(folder))
        latency_rows += bench_stop(whisper, silero, Path(folder), reps)
    print_table("Latency in seconds (real-time streaming through file source -> VAD -> ASR "
                "-> phrases)", latency_rows)
    vad_rows = bench_vad(silero, 2.0 if quick else 10.0)
    print_table("VAD cost", vad_rows)
    rows = [*asr_rows, *latency_rows, *vad_rows]
    path = write_results("listening", rows)
    print(f"\nwrote {path}")
    return rows
