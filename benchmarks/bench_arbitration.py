"""Arbitration benchmark: which signal picks the room that heard a command best?

Run: ``python -m benchmarks arbitration`` (``--quick`` = a third of the pairs). Writes
``benchmarks/results/arbitration.json``.

One spoken question (the shipped Piper voice, and espeak-ng as a second voice) is heard by two
rooms at once: the near room at 0 dB, the far room 6, 12 or 18 dB quieter. Each room has its own
noise (white noise like a fan, or a "TV": another voice talking on) at its own level, and its own
microphone gain (-6, 0 or +6 dB, which scales speech and noise alike). The room that heard it
best is the one with the higher true speech-to-noise ratio (known by construction; pairs within
3 dB of each other are left out as ties).

Each room's audio goes through what the daemon runs: the Silero VAD segmenter (the default
[vad] settings) cuts the utterance, Whisper tiny.en (with the phrase prompt) transcribes it, and
the signals are computed on the segment exactly as the ASR stage does:

* ``level``: the speech level above the segment's own noise floor (``speech_level_db``: 90th vs
  10th percentile of 32 ms frame RMS);
* ``loudness``: the speech level alone (90th percentile frame RMS, dBFS) - the naive signal,
  fooled by microphone gain;
* ``confidence``: the transcript's average log-probability;
* ``words``: the mean unprompted word probability (the phrase stage's evidence).

A *contest* is a pair in which both rooms gave the command (the transcript is alike the question,
as the arbiter compares them): that is when arbitration decides. The table counts, per signal,
how often its pick is the room that heard it best.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

import numpy as np
import numpy.typing as npt

from benchmarks._harness import print_table, write_results
from nimbus.daemon.config import AsrConfig, VadConfig
from nimbus.daemon.models import resolve_vad
from nimbus.handlers.audio.level import FRAME_SAMPLES, speech_level_db
from nimbus.handlers.listening.arbitration.arbiter import similar
from nimbus.handlers.listening.asr.engine import WhisperEngine
from nimbus.handlers.listening.vad.engine import SileroVad, VadState
from nimbus.handlers.listening.vad.handler import settings_from_config
from nimbus.handlers.listening.vad.segmenter import Ended, Segmenter
from tests.speech import espeak_speech, synthesize_speech, to_16k

Pcm = npt.NDArray[np.int16]
F64 = npt.NDArray[np.float64]

QUESTION = "Nimbus, what does the lease say about pets?"
TV = ("And now the weather for the weekend. Saturday starts cloudy with light rain in the "
      "north, clearing by the afternoon, with highs around fourteen degrees.")
SPEECH_DBFS = -20.0
"""RMS of the question's speech (its voiced frames) at 0 dB."""
NOISE_DBFS = (-65.0, -50.0, -40.0)
FAR_GAINS_DB = (-6.0, -12.0, -18.0)
MIC_GAINS_DB = (-6.0, 0.0, 6.0)
SIGNALS = ("level", "loudness", "confidence", "words")
RATE = 16000


def _db(x: float) -> float:
    return 20.0 * float(np.log10(max(x, 1e-9)))


def _active_rms(audio: F64) -> float:
    whole = len(audio) - len(audio) % FRAME_SAMPLES
    frames = audio[:whole].reshape(-1, FRAME_SAMPLES)
    rms = np.sqrt(np.mean(frames * frames, axis=1))
    return float(np.sqrt(np.mean(rms[rms > rms.max() / 30] ** 2)))


def _scaled(audio: Pcm | F64, dbfs: float) -> F64:
    signal = audio.astype(np.float64)
    return signal * (32768.0 * 10 ** (dbfs / 20) / _active_rms(signal))


def _noise(kind: str, n: int, dbfs: float, rng: np.random.Generator, tv: Pcm) -> F64:
    if kind == "white":
        return rng.normal(0.0, 32768.0 * 10 ** (dbfs / 20), n)
    start = int(rng.integers(0, len(tv)))
    looped = np.tile(tv, n // len(tv) + 2)[start:start + n]
    return _scaled(looped, dbfs)


def _room(speech: F64, gain_db: float, noise: F64, mic_db: float) -> Pcm:
    lead, tail = int(1.0 * RATE), int(1.5 * RATE)
    clean = np.concatenate([np.zeros(lead), speech * 10 ** (gain_db / 20), np.zeros(tail)])
    mixed = (clean + noise[: len(clean)]) * 10 ** (mic_db / 20)
    return np.clip(np.round(mixed), -32768, 32767).astype(np.int16)


def _segment(vad: SileroVad, audio: Pcm) -> Pcm | None:
    """The first utterance the default VAD settings cut out of ``audio`` (None: none)."""
    segmenter = Segmenter(settings_from_config(VadConfig()))
    state = VadState()
    whole = len(audio) - len(audio) % FRAME_SAMPLES
    for i in range(0, whole, FRAME_SAMPLES):
        frame = audio[i:i + FRAME_SAMPLES]
        probability = vad.probability(state, frame.astype(np.float32) / 32768.0)
        for event in segmenter.process(frame, probability):
            if isinstance(event, Ended):
                return event.audio
    for event in segmenter.finish():
        if isinstance(event, Ended):
            return event.audio
    return None


def _signals(engine: WhisperEngine, vad: SileroVad, audio: Pcm) -> dict[str, Any] | None:
    segment = _segment(vad, audio)
    if segment is None:
        return None
    samples = segment.astype(np.float32) / 32768.0
    started = time.perf_counter()
    result = engine.transcribe(samples)
    evidence = engine.evidence(result)
    words = [w.probability for w in evidence.words] if evidence is not None else []
    whole = len(segment) - len(segment) % FRAME_SAMPLES
    frames = segment[:whole].astype(np.float64).reshape(-1, FRAME_SAMPLES)
    loud = float(np.percentile(np.sqrt(np.mean(frames * frames, axis=1)), 90))
    return {
        "text": result.text.strip(),
        "command": similar(result.text, QUESTION, 0.5),
        "level": speech_level_db(segment),
        "loudness": round(_db(loud / 32768.0), 2),
        "confidence": round(result.avg_logprob, 4),
        "words": round(float(np.mean(words)), 4) if words else 0.0,
        "asr_s": round(time.perf_counter() - started, 3),
    }


def main(argv: list[str]) -> list[dict[str, Any]]:
    quick = "--quick" in argv
    rng = np.random.default_rng(15)
    config = AsrConfig()
    engine = WhisperEngine(config, prompt_words=("Nimbus", "Yonder"))
    vad = SileroVad(resolve_vad("").path)
    voices = {"piper": to_16k(*synthesize_speech(QUESTION)),
              "espeak": to_16k(*espeak_speech(QUESTION))}
    tv = to_16k(*espeak_speech(TV, voice="en-gb", speed=170))
    grid = list(itertools.product(voices, ("white", "tv"), FAR_GAINS_DB, NOISE_DBFS, NOISE_DBFS))
    if quick:
        grid = grid[::3]
    pairs: list[dict[str, Any]] = []
    started = time.perf_counter()
    for voice, kind, far_gain, near_noise, far_noise in grid:
        speech = _scaled(voices[voice], SPEECH_DBFS)
        n = len(speech) + int(2.5 * RATE)
        rooms = {}
        for name, gain, noise_db in (("near", 0.0, near_noise), ("far", far_gain, far_noise)):
            mic = float(rng.choice(MIC_GAINS_DB))
            audio = _room(speech, gain, _noise(kind, n, noise_db, rng, tv), mic)
            rooms[name] = {"gain_db": gain, "noise_dbfs": noise_db, "mic_db": mic,
                           "snr_db": SPEECH_DBFS + gain - noise_db,
                           "heard": _signals(engine, vad, audio)}
        pairs.append({"voice": voice, "noise": kind, **{
            f"{room}_{key}": value for room, info in rooms.items() for key, value in info.items()}})
    elapsed = time.perf_counter() - started

    def best(pair: dict[str, Any]) -> str | None:
        gap = pair["near_snr_db"] - pair["far_snr_db"]
        return None if abs(gap) < 3 else ("near" if gap > 0 else "far")

    rows: list[dict[str, Any]] = []
    for kind in ("white", "tv", "all"):
        chosen = [p for p in pairs if kind in ("all", p["noise"]) and best(p) is not None]
        contests = [p for p in chosen if p["near_heard"] and p["far_heard"]
                    and p["near_heard"]["command"] and p["far_heard"]["command"]]
        row: dict[str, Any] = {"noise": kind, "pairs": len(chosen), "contests": len(contests)}
        for signal in SIGNALS:
            right = sum(
                ("near" if p["near_heard"][signal] >= p["far_heard"][signal] else "far")
                == best(p) for p in contests)
            row[signal] = f"{right}/{len(contests)}"
            row[f"{signal}_share"] = round(right / len(contests), 3) if contests else None
        rows.append(row)
    table = [{k: v for k, v in r.items() if not k.endswith("_share")} for r in rows]
    print_table("Arbitration: right room picked, per signal (contests = both rooms gave the "
                "command)", table)
    canonical = [p for p in pairs if p["far_gain_db"] == -12.0 and p["near_noise_dbfs"]
                 == p["far_noise_dbfs"] == -65.0]
    print_table("The issue's case: the same question at 0 dB and -12 dB, quiet rooms", [
        {"voice": p["voice"], "noise": p["noise"],
         **{f"{room} {s}": (p[f"{room}_heard"] or {}).get(s) for room in ("near", "far")
            for s in ("level", "confidence")}} for p in canonical])
    print(f"\n{len(pairs)} pairs ({2 * len(pairs)} rooms through VAD + ASR) in {elapsed:.0f} s")
    path = write_results("arbitration", rows, pairs=pairs, seconds=round(elapsed, 1),
                         settings={"speech_dbfs": SPEECH_DBFS, "noise_dbfs": NOISE_DBFS,
                                   "far_gains_db": FAR_GAINS_DB, "mic_gains_db": MIC_GAINS_DB,
                                   "tie_db": 3, "quick": quick})
    print(f"wrote {path}")
    return rows


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
