"""Barge-in over the assistant's own voice: echo cancellation in rooms built offline.

    .venv/bin/python -m benchmarks bargein --split=dev      # while tuning
    .venv/bin/python -m benchmarks bargein --split=test     # frozen: run (2026-12-07), re-run
    .venv/bin/python -m benchmarks bargein --split=holdout  # frozen: run once (2026-12-07)
    .venv/bin/python -m benchmarks bargein --split=holdout4 # frozen: run once (2026-12-07)
    .venv/bin/python -m benchmarks bargein --split=holdout5 # frozen: run once (2026-12-07)
    .venv/bin/python -m benchmarks bargein --split=holdout6 # frozen: run once (2026-12-07)
    .venv/bin/python -m benchmarks bargein --split=holdout7 # frozen: run once (2026-12-08)

Each trial is a microphone signal made offline: the assistant's answer (the shipped Piper
voice, at its own 22.05 kHz, as the speaker sink plays it) through a room - a
``pyroomacoustics`` image-method impulse response (shoebox rooms, RT60 0.2-0.6 s, the speaker
0.1-0.3 m from the microphone), a bulk delay (20, 60, 150, 300 ms: device buffers), in half
the rooms a speaker driven into soft clipping - plus the user through the same room from 1-3 m,
plus a -65 dBFS noise floor. The microphone signal then goes through the real listening stack
(file source -> Silero VAD -> Whisper tiny.en (and Whisper base for quiet noisy utterances, as
the daemon does) -> phrases) as it is (the **no AEC** baseline) and echo-cancelled by each of
``CANCELLERS`` (``nimbus/handlers/audio/echo``: AEC3 alone, the linear canceller alone, the
daemon's hybrid of the two), each fed with the exact played PCM on the clock the sink and the
microphone would give it, each starting afresh on every trial (*cold*: the first answer after
the daemon starts) and, as ``NAME+warm``, having played an earlier answer in the same room
first (*warm*: every later answer; ``bargein_warm.py``). The phrase stage is told
the answer's sentences and that playback is on, as the speaker's events tell it in the daemon;
with AEC it is also told the site is cancelled (commands may come over the answer).

Trials (written before any tuning; rooms, answers and user voices of the splits are disjoint,
so the frozen splits also test generalisation). The test split was run once with the first
canceller (AEC3), and so seen; the **holdout** split was written on 2026-12-07 before the
canceller and the phrase stage were tuned against the dev split a second time (issue 25), with
new room seeds and RT60s between the others', other espeak voices and speeds, and other
answers, and is run once at the end. **holdout4** was written on 2026-12-07 at 14:30 UTC, before
the fourth round of tuning (warm cancellers, the double-talk output; issue 25), the same way:
new seeds, RT60s 0.22/0.32/0.42/0.58 s on the other half of the board, three other espeak
voices, other answers and other sentences that say the phrases; run once at the end.
**holdout5** was written on 2026-12-07 at 17:30 UTC, before the fifth round (Speex MDF, the
double-talk suppressor, cold start), the same way, and also with bulk delays of its own (25, 90,
180, 260 ms), RT60s 0.24/0.37/0.48/0.57 s and the clipping speaker in the middle RT60s;
run once at the end. **holdout6** was written on 2026-12-07 at 20:00 UTC, before the sixth round,
the same way: seeds, voices, answers and phrase sentences of its own, bulk delays 35, 75, 200,
280 ms, RT60s 0.21/0.34/0.44/0.53 s, the other half of the board; run once at the end.
**holdout7** was written on 2026-12-07 at 22:50 UTC, before the seventh round, the same way:
seeds (from 700), voices, answers and phrase sentences of its own, bulk delays 30, 110, 170,
240 ms, RT60s 0.23/0.31/0.47/0.56 s, the first half of the board, the other clipping room in
every RT60; run once at the end:

* **stop**: "Yonder." / "Yonder, stop." / "Okay, yonder." said 2-3.5 s into a long answer, at a
  signal-to-echo ratio (user vs echo power over the phrase) of +6, 0, -6, -12, -18 dB. Heard =
  a ``stop`` from a transcript that ends after the user began;
* **self**: whole answers that themselves say "Yonder" or "Nimbus", nobody speaking: any
  ``stop`` or ``command`` is a self-stop / self-wake;
* **command**: "Nimbus, stop, what time is it?" over an answer at -6 dB: a ``command`` about
  the time is heard (only possible with AEC: without it nothing but a stop acts over an answer).

Measured on the echo alone (the stop trials before the user speaks, the whole self trials):
ERLE (echo power over what is left, voiced echo frames from 1 s on), convergence (the first
time from which every 0.5 s window with echo has ERLE >= 20 dB for the next 2 s) and the
canceller's CPU time per second of audio. Prints the tables and writes
``benchmarks/results/bargein-<split>.json``. ``--quick``: a third of the trials (smoke run);
``Subset.parse`` lists the other subset flags.

The ASR runs as in the daemon, with partials on, so a stop over the answer is heard in its
*stop windows*; the audio is fed in lockstep (``bargein_listen.py``; ``--no-partials``: the
old way, final transcripts only). Two controls with no echo at all (``CONTROLS``) give the
recogniser path's ceiling, and each missed stop gets its reason (``bargein_why.py``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import onnxruntime
from scipy.signal import fftconvolve  # type: ignore[import-untyped]

from benchmarks.bargein_listen import listen_lockstep
from benchmarks.bargein_report import report
from benchmarks.bargein_set import ANSWERS, SPLIT_SEEDS, VOICES, self_answers
from benchmarks.bargein_warm import WARM, base_name, cancel_warm, room_echo, warm_answer
from benchmarks.bargein_why import why_acted, why_command, why_missed
from nimbus.daemon.config import AsrConfig, Config
from nimbus.daemon.events import (
    Command,
    Event,
    PlaybackStarted,
    ResponseStarted,
    Sentence,
    SpeechStarted,
    Stop,
    Transcript,
)
from nimbus.daemon.models import resolve_noisy_asr, resolve_vad
from nimbus.handlers.audio.echo import EchoEngine
from nimbus.handlers.audio.echo.engine import Aec3Engine
from nimbus.handlers.audio.echo.hybrid import HybridEngine
from nimbus.handlers.audio.echo.linear import LinearEngine
from nimbus.handlers.listening.asr.engine import WhisperEngine
from nimbus.handlers.listening.vad.engine import SileroVad
from tests.echo_room import cancel_offline
from tests.handlers.listening.helpers import listen
from tests.speech import espeak_speech, synthesize_speech, to_16k, write_wav

Pcm = npt.NDArray[np.int16]
RATE = 16000
SERS = (6, 0, -6, -12, -18)
RT60S = {"dev": (0.2, 0.3, 0.45, 0.6), "test": (0.2, 0.3, 0.45, 0.6),
         "holdout": (0.25, 0.35, 0.5, 0.55), "holdout4": (0.22, 0.32, 0.42, 0.58),
         "holdout5": (0.24, 0.37, 0.48, 0.57), "holdout6": (0.21, 0.34, 0.44, 0.53),
         "holdout7": (0.23, 0.31, 0.47, 0.56)}
DELAYS_MS = (20, 60, 150, 300)
SPLIT_DELAYS_MS = {"holdout5": (25, 90, 180, 260), "holdout6": (35, 75, 200, 280),
                   "holdout7": (30, 110, 170, 240)}
"""Bulk delays of a split that has its own (the others use ``DELAYS_MS``)."""
PHRASES = ("Yonder.", "Yonder, stop.", "Okay, yonder.")
COMMAND = "Nimbus, stop, what time is it?"
PIPER_SEED = 25
CANCELLERS: dict[str, Callable[[], EchoEngine]] = {
    "webrtc-aec3": Aec3Engine,
    "nimbus-mdf": LinearEngine.for_speech,
    "nimbus-hybrid": HybridEngine,
}
"""The cancellers compared, each fed the same played PCM: AEC3 alone (the first canceller),
the linear one alone, and the daemon's (``audio.echo_engine = "hybrid"``)."""
ALL_CANCELLERS = (*CANCELLERS, *(f"{name}{WARM}" for name in CANCELLERS))
"""Each canceller cold (fresh on the trial's answer) and warm (``bargein_warm``)."""
CONTROLS = ("room, no echo", "dry, no echo")
"""Conditions with no echo at all (stop and command trials only), the answer still playing as
far as the phrase stage knows: the user's phrase through the same room, and the phrase with no
room - the ceiling of the recogniser path (VAD, Whisper, phrase rules) with these voices."""

@dataclasses.dataclass(frozen=True, slots=True)
class Room:
    rt60: float
    delay_ms: int
    clip: bool
    seed: int

    @property
    def name(self) -> str:
        return f"rt60 {self.rt60} s, {self.delay_ms} ms{', clipping' if self.clip else ''}"


def rooms(split: str) -> list[Room]:
    """A checkerboard of RT60 x delay: each split has every RT60 and every delay (dev and test
    the two halves of one board; holdout and holdout4 boards of their own, other RT60s and room
    seeds)."""
    chosen = []
    first_seed = SPLIT_SEEDS[split][2]
    for i, rt60 in enumerate(RT60S[split]):
        for j, delay in enumerate(SPLIT_DELAYS_MS.get(split, DELAYS_MS)):
            if (i + j) % 2 == (1 if split in ("test", "holdout4", "holdout6") else 0):
                shift = 2 if split == "holdout5" else 1 if split.startswith("holdout") else 0
                clip = (i + 2 * j + shift) % 4 < 2
                if split in ("holdout6", "holdout7"):  # one clipping room in every RT60
                    clip = (i + j // 2) % 2 == (0 if split == "holdout6" else 1)
                chosen.append(Room(rt60, delay, clip=clip, seed=first_seed + 10 * i + j))
    return chosen


@functools.cache
def impulse_responses(room: Room) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(speaker -> microphone, user -> microphone) for one shoebox room."""
    import pyroomacoustics as pra  # noqa: PLC0415 - benchmark-only dependency

    rng = np.random.default_rng(room.seed)
    size = [rng.uniform(3.5, 6.0), rng.uniform(3.0, 5.0), rng.uniform(2.4, 3.0)]
    absorption, order = pra.inverse_sabine(room.rt60, size)
    shoebox = pra.ShoeBox(size, fs=RATE, materials=pra.Material(absorption),
                          max_order=min(order, 25))
    mic = np.array([rng.uniform(1.0, size[0] - 1.0), rng.uniform(1.0, size[1] - 1.0), 1.0])
    direction = rng.normal(size=3) * [1, 1, 0.2]
    speaker = mic + direction / np.linalg.norm(direction) * rng.uniform(0.1, 0.3)
    angle = rng.uniform(0, 2 * np.pi)
    distance = rng.uniform(1.0, 3.0)
    user = mic + np.array([np.cos(angle) * distance, np.sin(angle) * distance, 0.6])
    user = np.clip(user, 0.3, np.array(size) - 0.3)
    shoebox.add_source(list(speaker))
    shoebox.add_source(list(user))
    shoebox.add_microphone(list(mic))
    shoebox.compute_rir()
    return (np.asarray(shoebox.rir[0][0], np.float64), np.asarray(shoebox.rir[0][1], np.float64))


def _sentences(text: str) -> list[str]:
    return [s.strip() + "." for s in text.replace("?", ".").split(".") if s.strip()]


@dataclasses.dataclass(slots=True)
class Trial:
    kind: str  # stop | self | command
    site: str
    room: Room
    answer: str
    ser_db: float | None = None
    said: str = ""
    voice: str = ""
    onset_s: float = 0.0
    far: Pcm = dataclasses.field(default_factory=lambda: np.zeros(0, np.int16))
    """The answer as the sink plays it (22.05 kHz)."""
    far_rate: int = 22050
    echo_gain: float = 1.0
    """The room's echo scale (the echo as loud as the trial's for any answer played there)."""
    warm: str = ""
    """The earlier answer a warm canceller has played in the room (``bargein_warm``)."""
    echo: npt.NDArray[np.float64] = dataclasses.field(default_factory=lambda: np.zeros(0))
    mic: Pcm = dataclasses.field(default_factory=lambda: np.zeros(0, np.int16))
    cleaned: dict[str, Pcm] = dataclasses.field(default_factory=dict)
    """Canceller name -> the microphone signal it cleaned."""
    controls: dict[str, Pcm] = dataclasses.field(default_factory=dict)
    """``CONTROLS`` name -> the microphone signal with no echo at all (stop and command
    trials): the ceiling of the recogniser path in that room, and without a room."""
    said_s: float = 0.0
    why: dict[str, str] = dataclasses.field(default_factory=dict)
    """condition -> why a stop trial was missed (``bargein_why``)."""
    window_s: dict[str, list[float]] = dataclasses.field(default_factory=dict)
    """condition -> seconds each stop window of the trial took to decode."""
    started: dict[str, list[float]] = dataclasses.field(default_factory=dict)
    """condition -> where each ``speech.started`` began in the stream (s): each one ducks or
    stops the answer with ``tts.barge_in``."""
    aec_cpu_s: dict[str, float] = dataclasses.field(default_factory=dict)
    outcome: dict[str, str] = dataclasses.field(default_factory=dict)
    """condition -> heard | missed | self-stop | self-wake | quiet | command."""


@functools.cache
def _answer_audio(text: str) -> tuple[Pcm, int]:
    return synthesize_speech(text, natural=True)


def build(trial: Trial, rng: np.random.Generator, user_pcm: Pcm | None) -> None:
    """Make the trial's microphone signal (see module docstring)."""
    far, rate = _answer_audio(trial.answer)
    trial.far, trial.far_rate = far, rate
    speaker_rir, user_rir = impulse_responses(trial.room)
    played = to_16k(far, rate).astype(np.float64) / 32768  # what the speaker cone does
    echo = room_echo(played, speaker_rir, trial.room.delay_ms, trial.room.clip)
    scale = 0.1 / np.sqrt(np.mean(echo[np.abs(echo) > 0.01 * np.abs(echo).max()] ** 2))
    echo *= scale
    echo *= 32768
    trial.echo_gain = float(scale * 32768)
    user = np.zeros(len(echo))
    if user_pcm is not None and trial.ser_db is not None:
        trial.onset_s = float(rng.uniform(2.0, 3.5))
        wet = fftconvolve(user_pcm.astype(np.float64), user_rir)[: len(user_pcm) + RATE // 4]
        start = int(trial.onset_s * RATE)
        end = min(len(user), start + len(wet))
        user[start:end] = wet[: end - start]
        span = slice(start, start + len(user_pcm))
        voiced = np.abs(user[span]) > 0.05 * np.abs(user[span]).max()
        gain = np.sqrt(np.mean(echo[span] ** 2) / np.mean(user[span][voiced] ** 2)
                       * 10 ** (trial.ser_db / 10))
        user *= gain
        length = min(len(echo), end + int(1.5 * RATE))
        echo, user = echo[:length], user[:length]
        trial.far = far[: int(length * rate / RATE)]
        trial.said_s = len(user_pcm) / RATE
        # The same phrase without a room, as loud over the phrase as the wet one (controls).
        dry = np.zeros(len(echo))
        piece = user_pcm.astype(np.float64)[: max(0, len(dry) - start)]
        dry[start : start + len(piece)] = piece
        dry *= np.sqrt(np.mean(user[span][voiced] ** 2) / max(
            float(np.mean(dry[span][np.abs(dry[span]) > 0.05 * np.abs(dry[span]).max()] ** 2)),
            1e-9))
    noise = rng.normal(size=len(echo)) * 32768 * 10 ** (-65 / 20)
    trial.echo = echo
    trial.mic = np.clip(np.round(echo + user + noise), -32768, 32767).astype(np.int16)
    if user_pcm is not None and trial.ser_db is not None:
        trial.controls["room, no echo"] = _pcm(user + noise)
        trial.controls["dry, no echo"] = _pcm(dry + noise)


def cancel(trial: Trial, names: Sequence[str]) -> None:
    """Clean the trial's microphone signal with each named canceller (fresh each time; a
    ``+warm`` one first plays ``trial.warm_answer`` in the same room: ``bargein_warm``)."""
    for name in names:
        if name.endswith(WARM):
            cancel_warm(trial, name, CANCELLERS[base_name(name)], _answer_audio(trial.warm),
                        impulse_responses(trial.room)[0])
            continue
        started = time.thread_time()
        trial.cleaned[name], _ = cancel_offline(trial.far, trial.mic, CANCELLERS[name](),
                                                far_rate=trial.far_rate)
        trial.aec_cpu_s[name] = time.thread_time() - started


def _pcm(signal: npt.NDArray[np.float64]) -> Pcm:
    return np.clip(np.round(signal), -32768, 32767).astype(np.int16)


@dataclasses.dataclass(frozen=True, slots=True)
class Subset:
    """Which trials and conditions to run (all by default; for iterating on the dev split)."""

    quick: bool = False
    sers: tuple[int, ...] = SERS
    stops: int | None = None
    """At most this many stop trials per SER (the first ones)."""
    kinds: tuple[str, ...] = ("stop", "self", "command")
    cancellers: tuple[str, ...] = ALL_CANCELLERS
    controls: bool = True
    baseline: bool = True
    """Run the microphone signal as it is (no AEC) too (``--no-baseline``: not, for a fast
    loop over the cancellers)."""

    @classmethod
    def parse(cls, argv: Sequence[str]) -> Subset:
        """``--quick``, ``--ser=-6,-12``, ``--stops=N``, ``--kinds=stop,self``,
        ``--cancellers=nimbus-hybrid,webrtc-aec3`` (or ``none``), ``--no-controls``,
        ``--no-baseline``."""
        values = {a.split("=", 1)[0]: a.split("=", 1)[1] for a in argv if "=" in a}
        names = tuple(n for n in values.get("--cancellers", ",".join(ALL_CANCELLERS)).split(",")
                      if n and n != "none")
        unknown = {base_name(n) for n in names} - set(CANCELLERS)
        if unknown:
            raise SystemExit(f"--cancellers: unknown {sorted(unknown)}; "
                             f"known {list(ALL_CANCELLERS)}")
        return cls(quick="--quick" in argv,
                   sers=tuple(int(v) for v in values.get("--ser", "").split(",") if v) or SERS,
                   stops=int(values["--stops"]) if "--stops" in values else None,
                   kinds=tuple(values.get("--kinds", "stop,self,command").split(",")),
                   cancellers=names, controls="--no-controls" not in argv,
                   baseline="--no-baseline" not in argv)

    @property
    def full(self) -> bool:
        return self == Subset()


def make_trials(split: str, subset: Subset) -> list[Trial]:
    """Every trial of the split is built (so each has the same signal whatever the subset);
    only those in ``subset`` are kept and cleaned by its cancellers."""
    quick = subset.quick
    rng = np.random.default_rng(SPLIT_SEEDS[split][0])
    trials: list[Trial] = []
    voices = VOICES[split]
    answers = ANSWERS[split]
    split_rooms = rooms(split)
    count = 0
    for r, room in enumerate(split_rooms):
        for s, ser in enumerate(SERS):
            for v, (voice, speed) in enumerate(voices):
                if quick and (r + s + v) % 3:
                    continue
                said = PHRASES[(r + s + v) % len(PHRASES)]
                trials.append(Trial("stop", f"stop{count}", room, answers[(r + v) % len(answers)],
                                    ser_db=ser, said=said, voice=f"espeak {voice} {speed}"))
                count += 1
    for i, text in enumerate(self_answers(split, 30 if split == "dev" else 50)):
        if quick and i % 3:
            continue
        trials.append(Trial("self", f"self{i}", split_rooms[i % len(split_rooms)], text))
    for i, room in enumerate(split_rooms):
        if quick and i % 3:
            continue
        voice, speed = voices[i % len(voices)]
        trials.append(Trial("command", f"cmd{i}", room, answers[i % len(answers)], ser_db=-6,
                            said=COMMAND, voice=f"espeak {voice} {speed}"))
    kept: list[Trial] = []
    per_ser: dict[float, int] = {}
    for trial in trials:
        user = None
        if trial.said:
            espeak_voice, wpm = trial.voice.split()[1:]
            user = to_16k(*espeak_speech(trial.said, voice=espeak_voice, speed=int(wpm)))
        build(trial, rng, user)
        trial.warm = warm_answer(trial.answer, answers)
        if trial.kind not in subset.kinds:
            continue
        if trial.kind == "stop":
            assert trial.ser_db is not None
            if trial.ser_db not in subset.sers:
                continue
            per_ser[trial.ser_db] = per_ser.get(trial.ser_db, 0) + 1
            if subset.stops is not None and per_ser[trial.ser_db] > subset.stops:
                continue
        if not subset.controls:
            trial.controls.clear()
        cancel(trial, subset.cancellers)
        kept.append(trial)
    return kept


def _before(trial: Trial) -> list[Event]:
    """What the speaker's events tell the phrase stage in the daemon when the answer starts."""
    started = ResponseStarted(site=trial.site)
    events: list[Event] = [started, PlaybackStarted(site=trial.site, response=started.id,
                                                    sink="speaker")]
    events += [Sentence(site=trial.site, cause=started.id, text=text, index=i)
               for i, text in enumerate(_sentences(trial.answer))]
    return events


def judge(trial: Trial, events: Sequence[Event]) -> str:
    mine = [e for e in events if e.site == trial.site]
    transcripts = {e.id: e for e in mine if isinstance(e, Transcript)}
    stops = [e for e in mine if isinstance(e, Stop)]
    commands = [e for e in mine if isinstance(e, Command)]
    if trial.kind == "self":
        return "self-stop" if stops else "self-wake" if commands else "quiet"
    if trial.kind == "command":
        if any("time" in c.text.lower() for c in commands):
            return "command"
        return "stopped" if stops else "missed"
    for stop in stops:
        heard = transcripts.get(stop.cause or "")
        if heard is not None and heard.end >= trial.onset_s + 0.2:
            return "heard"
    return "self-stop" if stops else "missed"


async def run_condition(trials: Sequence[Trial], condition: str, folder: Path,
                        models: dict[str, Any], asr: AsrConfig) -> None:
    """Run one condition (``none``, a canceller or a control) over the trials that have it."""
    batch = 16
    if condition in CONTROLS:
        trials = [t for t in trials if condition in t.controls]
    for first in range(0, len(trials), batch):
        part = trials[first : first + batch]
        files = []
        for trial in part:
            audio = (trial.controls[condition] if condition in CONTROLS
                     else trial.cleaned.get(condition, trial.mic))
            name = condition.replace(" ", "-").replace(",", "")
            files.append((trial.site, write_wav(folder / f"{trial.site}-{name}.wav", audio)))
        before = [e for trial in part for e in _before(trial)]
        cancelling = (lambda site: True) if condition != "none" else None
        if asr.partials:  # the daemon's way: stop windows while the answer plays
            events = await listen_lockstep(files, whisper=models["whisper"],
                                           silero=models["silero"], noisy_whisper=models["noisy"],
                                           asr=asr, before=before, cancelling=cancelling)
        else:
            events = await listen(files, whisper=models["whisper"], silero=models["silero"],
                                  noisy_whisper=models["noisy"], asr=asr, before=before,
                                  within=3600, cancelling=cancelling)
        for trial in part:
            trial.outcome[condition] = judge(trial, events)
            trial.window_s[condition] = [e.decode_seconds for e in events
                                         if isinstance(e, Transcript) and not e.final
                                         and e.site == trial.site]
            trial.started[condition] = [e.offset for e in events
                                        if isinstance(e, SpeechStarted) and e.site == trial.site]
            if trial.kind == "stop":
                trial.why[condition] = why_missed(trial.site, trial.answer, trial.onset_s,
                                                  trial.said_s, events)
            elif trial.kind == "command":
                trial.why[condition] = why_command(trial.site, trial.onset_s, trial.said_s,
                                                   events)
            elif acted := why_acted(trial.site, events):
                trial.why[condition] = acted
        print(f"  {condition}: {first + len(part)}/{len(trials)} trials", flush=True)


def main(argv: list[str]) -> list[dict[str, Any]]:
    split = next((a.split("=", 1)[1] for a in argv if a.startswith("--split=")), "dev")
    if split not in SPLIT_SEEDS:
        raise SystemExit("--split=dev|test|holdout|holdout4|holdout5|holdout6|holdout7")
    subset = Subset.parse(argv)
    asr = AsrConfig(partials="--no-partials" not in argv)
    if "--no-stop-rescue" in argv:  # the stop window without its second look (asr/window.py)
        asr = dataclasses.replace(asr, stop_rescue_margin=0.0)
    onnxruntime.set_seed(PIPER_SEED)
    config = Config()
    location = resolve_vad("")
    assert location.path is not None
    prompt = (*config.phrases.action, *config.phrases.stop)
    models: dict[str, Any] = {"silero": SileroVad(location.path),
                              "whisper": WhisperEngine(config.asr, prompt_words=prompt),
                              "noisy": None}
    if "--no-noisy-model" not in argv:
        with tempfile.TemporaryDirectory() as cache:
            found = resolve_noisy_asr(config.asr.noisy_model, Path(cache))
            if found is not None:
                models["noisy"] = WhisperEngine(
                    dataclasses.replace(config.asr, model=str(found.path)), prompt_words=prompt)
    started = time.perf_counter()
    load = os.getloadavg()
    trials = make_trials(split, subset)
    print(f"{len(trials)} trials built in {time.perf_counter() - started:.0f} s", flush=True)
    conditions = (*(("none",) if subset.baseline else ()), *subset.cancellers,
                  *(CONTROLS if subset.controls else ()))
    with tempfile.TemporaryDirectory() as folder:
        for condition in conditions:
            asyncio.run(run_condition(trials, condition, Path(folder), models, asr))
    return report(split, trials, conditions, subset=subset, load=load, started=started,
                  partials=asr.partials)
