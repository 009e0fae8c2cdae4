"""Speaking benchmarks: TTS real-time factor and time to first audio, chunker first-chunk latency,
stop -> silence latency at a real (PulseAudio null) sink.

Run: ``python -m benchmarks speaking`` (``--quick`` for fewer repetitions; ``--no-xtts`` skips
XTTS). XTTS rows use randomly initialised checkpoints built on the spot (the real xtts_v2 weights
come from Coqui's hub, unreachable here): one with the real xtts_v2 GPT size (30 layers x 1024),
whose compute per audio token is the real model's, and the tiny one the tests use. Random weights
never pick the stop code early, so each answer runs to the token cap (100 codes, ~4.6 s of audio):
speech content is meaningless, time per second of audio is not.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks._harness import print_table, summarize, write_results
from nimbus.daemon.bus import Bus
from nimbus.daemon.config import AudioConfig, Config, DaemonConfig
from nimbus.daemon.events import (
    AudioOut,
    PlaybackFinished,
    PlaybackStarted,
    ResponseDelta,
    ResponseStarted,
    Say,
    Stop,
)
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.audio.echo.far_end import Reference
from nimbus.handlers.speaking.handler import SpeakerHandler
from nimbus.handlers.speaking.sentences import SentenceChunker
from nimbus.voices import load_voice
from tests.pulse import SINK, PulseServer, pulseaudio_available

TEXTS = {
    "short (1 sentence)": "The kettle is on.",
    "medium (2 sentences)": "The weather tomorrow looks sunny and warm. Take a hat if you go out.",
    "long (5 sentences)": (
        "Paris is the capital of France. It lies on the river Seine. About two million people "
        "live in the city itself. The Eiffel Tower was finished in 1889. Museums line both "
        "banks of the river."),
}
ANSWERS = (
    "Sure, here is what I found in your documents: the warranty lasts two years from the "
    "date of purchase.",
    "The meeting is at 10:30 tomorrow. Dr. Smith will join from the U.S. office.",
    "Well, that depends on the model. The bigger one, e.g. large-v3, is slower but more "
    "accurate.",
    "Based on the manual you added last week, the filter should be cleaned every three months, "
    "and replaced once a year.",
    "According to the notes from the meeting, the budget for the garden project was approved, "
    "but only for the first phase.",
)
TOKENS_PER_S = 20.0
"""An assumed token rate for a small local LLM on a CPU (the test paces deltas at it)."""


def bench_piper(reps: int) -> list[dict[str, Any]]:
    voice = load_voice("joe", Config())
    list(voice.synthesize("Warm up."))
    rows = []
    for name, text in TEXTS.items():
        first, total, rtf = [], [], []
        audio_s = 0.0
        for _ in range(reps):
            started = time.perf_counter()
            chunks = voice.synthesize(text)
            pcm = [next(chunks)]
            first.append(time.perf_counter() - started)
            pcm += list(chunks)
            total.append(time.perf_counter() - started)
            audio_s = sum(len(c) for c in pcm) / 2 / voice.sample_rate
            rtf.append(total[-1] / audio_s)
        rows.append({"engine": "piper joe (medium)", "text": name, "audio_s": audio_s,
                     "first_chunk_s": summarize(first)["median"],
                     "total_s": summarize(total)["median"], "rtf": summarize(rtf)["median"]})
    return rows


def _rss_mib() -> float:
    import resource  # noqa: PLC0415

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_xtts(reps: int) -> list[dict[str, Any]]:
    from nimbus.voices.xtts_engine import XttsEngine, xtts_available  # noqa: PLC0415

    if (problem := xtts_available()) is not None:
        return [{"engine": "xtts", "note": f"skipped: {problem}"}]
    import soundfile  # noqa: PLC0415
    import torch  # noqa: PLC0415

    from tests.speech import synthesize_speech  # noqa: PLC0415
    from tests.voices.tiny_xtts import build_tiny_xtts  # noqa: PLC0415

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        clip = Path(folder) / "clip.wav"
        speech, rate = synthesize_speech("This is my voice. Please copy the way I speak. " * 2)
        soundfile.write(str(clip), speech, rate, subtype="PCM_16")
        for label, full_size in (("xtts_v2 size, random weights", True),
                                 ("tiny test XTTS, random weights", False)):
            model_dir = build_tiny_xtts(Path(folder) / label.split(",")[0].replace(" ", "_"),
                                        full_size=full_size, max_audio_tokens=100)
            started = time.perf_counter()
            voice = XttsEngine("bench", model_dir, speaker=clip, cache_dir=Path(folder) / "l")
            load_s = time.perf_counter() - started
            torch.manual_seed(0)
            list(voice.synthesize("Warm up."))
            first, total, audio = [], [], []
            for _ in range(reps):
                torch.manual_seed(0)
                started = time.perf_counter()
                chunks = voice.synthesize(TEXTS["medium (2 sentences)"])
                pcm = [next(chunks)]
                first.append(time.perf_counter() - started)
                pcm += list(chunks)
                total.append(time.perf_counter() - started)
                audio.append(sum(len(c) for c in pcm) / 2 / voice.sample_rate)
            audio_s = summarize(audio)["median"]
            rows.append({"engine": label, "text": "medium (2 sentences)", "audio_s": audio_s,
                         "first_chunk_s": summarize(first)["median"],
                         "total_s": summarize(total)["median"],
                         "rtf": summarize(total)["median"] / audio_s, "load_s": load_s,
                         "peak_rss_mib": _rss_mib()})
            del voice
            (model_dir / "model.pth").unlink()
    return rows


def bench_chunker() -> list[dict[str, Any]]:
    rows = []
    for label, min_chars in (("early clause cut (default)", 20), ("whole sentences only", 1000)):
        tokens_needed, per_push = [], []
        for answer in ANSWERS:
            chunker = SentenceChunker(first_min_chars=min_chars)
            tokens = [t + " " for t in answer.split(" ")]
            for i, token in enumerate(tokens, start=1):
                started = time.perf_counter()
                ready = chunker.push(token)
                per_push.append(time.perf_counter() - started)
                if ready:
                    tokens_needed.append(i)
                    break
            else:
                tokens_needed.append(len(tokens))
        mean = summarize([float(t) for t in tokens_needed])["mean"]
        rows.append({"chunker": label, "mean_words_to_first_chunk": mean,
                     "first_chunk_s_at_20_tok_s": mean / TOKENS_PER_S,
                     "push_us": summarize(per_push)["median"] * 1e6})
    return rows


async def _ttfa_stream(reps: int) -> list[dict[str, Any]]:
    """Time from the first token of a streamed answer to its first audio.out (no sink)."""
    config = Config(daemon=DaemonConfig(site="bench"), audio=AudioConfig(output="none"))
    bus = Bus()
    speaker = SpeakerHandler(config, bus)
    samples = []
    async with EventRecorder(bus, AudioOut) as rec, running(speaker):
        for _ in range(reps):
            for answer in ANSWERS:
                started = ResponseStarted(site="bench")
                await bus.publish(started)
                begun = time.perf_counter()
                for token in answer.split(" "):
                    await bus.publish(ResponseDelta(site="bench", cause=started.id,
                                                    text=token + " "))
                    if any(isinstance(e, AudioOut) and e.response == started.id
                           for e in rec.events):
                        break
                    await asyncio.sleep(1 / TOKENS_PER_S)
                await rec.wait_for(lambda e, s=started: isinstance(e, AudioOut)
                                   and e.response == s.id)
                samples.append(time.perf_counter() - begun)
                await bus.publish(Stop(site="bench"))
    speaker.close()
    stats = summarize(samples)
    return [{"pipeline": f"LLM tokens at {TOKENS_PER_S:g}/s -> first audio.out",
             "median_s": stats["median"], "p90_s": stats["p90"], "n": stats["n"]}]


def _monitor(env: dict[str, str], pieces: list[tuple[float, float]]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        ["parec", "-d", f"{SINK}.monitor", "--format=s16le", "--rate=16000", "--channels=1",
         "--raw", "--latency-msec=10"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        env=env)

    def read() -> None:
        assert process.stdout is not None
        while piece := process.stdout.read(320):
            samples = np.frombuffer(piece[: len(piece) // 2 * 2], np.int16).astype(np.float64)
            rms = float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0
            pieces.append((time.monotonic(), rms))

    threading.Thread(target=read, daemon=True).start()
    return process


async def _stop_to_silence(reps: int, *, echo: bool = False) -> list[dict[str, Any]]:
    """``echo``: the speaker also hands every buffer to an echo-cancellation reference."""
    if not pulseaudio_available():
        return [{"sink": "speaker (PulseAudio)", "note": "pulseaudio not installed: skipped"}]
    samples = []
    with tempfile.TemporaryDirectory() as folder, PulseServer(Path(folder)) as pulse:
        os.environ.update(pulse.env)
        pieces: list[tuple[float, float]] = []
        monitor = _monitor({**os.environ, **pulse.env}, pieces)
        config = Config(daemon=DaemonConfig(site="bench"),
                        audio=AudioConfig(output="speaker", output_device="pulse"))
        bus = Bus()
        speaker = SpeakerHandler(config, bus, reference=Reference() if echo else None)
        text = " ".join(f"This is sentence {i} of a long answer." for i in range(20))
        async with EventRecorder(bus) as rec, running(speaker):
            # A fresh PulseAudio server starts its first stream about 2 s late.
            warm = Say(site="bench", text="Ready.")
            await bus.publish(warm)
            await rec.wait_for(
                lambda e: isinstance(e, PlaybackFinished) and e.response == warm.id)
            for _ in range(reps):
                say = Say(site="bench", text=text)
                await bus.publish(say)
                await rec.wait_for(lambda e, s=say: isinstance(e, PlaybackStarted)
                                   and e.response == s.id)
                await asyncio.sleep(1.5)
                stopped = time.monotonic()
                await bus.publish(Stop(site="bench"))
                await asyncio.sleep(1.0)
                loud = [t for t, rms in pieces if rms > 30 and stopped - 0.5 < t < stopped + 1]
                samples.append(max(loud, default=stopped) - stopped)
        speaker.close()
        monitor.terminate()
        monitor.wait()
        if monitor.stdout is not None:
            monitor.stdout.close()
    stats = summarize(samples)
    return [{"sink": "speaker (PyAudio -> PulseAudio null sink, 50 ms buffers)"
             + (", feeding the echo reference" if echo else ""),
             "stop_to_silence_median_s": stats["median"], "p90_s": stats["p90"],
             "max_s": stats["max"], "n": stats["n"]}]


def main(argv: list[str]) -> list[dict[str, Any]]:
    reps = 1 if "--quick" in argv else 5
    piper_rows = bench_piper(reps)
    if "--no-xtts" not in argv:
        piper_rows += bench_xtts(max(1, reps // 2))
    print_table("TTS: time to first audio chunk and real-time factor (synthesis / audio time)",
                piper_rows)
    chunk_rows = bench_chunker()
    print_table("Chunker: words of a token stream before the first speakable chunk",
                chunk_rows)
    ttfa_rows = asyncio.run(_ttfa_stream(max(1, reps // 2)))
    print_table("Speaking stage: streamed answer -> first audio", ttfa_rows)
    stop_rows = asyncio.run(_stop_to_silence(reps)) + asyncio.run(
        _stop_to_silence(reps, echo=True))
    print_table("Stop -> silence at the sink (recorded from the sink's monitor)", stop_rows)
    rows = [*piper_rows, *chunk_rows, *ttfa_rows, *stop_rows]
    path = write_results("speaking", rows)
    print(f"\nwrote {path}")
    return rows
