"""The bargein benchmark's tables and JSON: stop heard per SER and condition, why each miss
happened, the echo measures (ERLE, convergence, CPU) and per room (``bench_bargein.py``)."""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from benchmarks._harness import print_table, write_results

if TYPE_CHECKING:
    from benchmarks.bench_bargein import Subset, Trial

__all__ = ["echo_measures", "report"]

RATE = 16000
HEADS = {"none": "no AEC", "webrtc-aec3": "AEC3 alone", "nimbus-mdf": "linear alone",
         "nimbus-hybrid": "hybrid", "room, no echo": "no echo (room)",
         "dry, no echo": "no echo (dry)"}
WHY = ("no segment", "glued", "echo rule", "rejected", "misheard")
"""The kinds of miss (``bargein_why``), in the order they are judged."""


def _db(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> float:
    return float(10 * np.log10(np.sum(a * a) / max(float(np.sum(b * b)), 1e-6)))


def echo_measures(trial: Trial, condition: str) -> tuple[float | None, float | None]:
    """(ERLE over the echo alone from 1 s on, convergence time) for one trial."""
    end = int(trial.onset_s * RATE) if trial.kind != "self" else len(trial.echo)
    echo = trial.echo[:end]
    left = trial.cleaned[condition][:end].astype(np.float64)
    frames = np.arange(RATE, end - 160, 160)
    voiced = [f for f in frames if np.sqrt(np.mean(echo[f : f + 160] ** 2)) > 300]
    if len(voiced) < 50:
        return None, None
    picked = np.concatenate([np.arange(f, f + 160) for f in voiced])
    erle = _db(echo[picked], left[picked])
    window = RATE // 2
    converged = None
    for start in range(0, end - 4 * window, RATE // 20):
        good = True
        for k in range(4):
            piece = slice(start + k * window, start + (k + 1) * window)
            if np.sqrt(np.mean(echo[piece] ** 2)) < 100:
                continue
            if _db(echo[piece], left[piece]) < 20:
                good = False
                break
        if good:
            converged = start / RATE
            break
    return erle, converged


def _share(trials: Sequence[Trial], condition: str, outcome: str) -> str:
    hits = sum(t.outcome.get(condition) == outcome for t in trials)
    return f"{hits}/{len(trials)} ({100 * hits / max(len(trials), 1):.0f} %)"


def _count(trials: Sequence[Trial], condition: str,
           test: Callable[[Trial, str], bool]) -> str:
    hits = sum(test(t, condition) for t in trials if condition in t.outcome)
    ran = sum(condition in t.outcome for t in trials)
    return f"{hits}/{ran} ({100 * hits / max(ran, 1):.0f} %)"


def _windows(trials: Sequence[Trial], condition: str) -> str:
    seconds = sorted(s for t in trials for s in t.window_s.get(condition, []))
    if not seconds:
        return "0"
    p90 = seconds[min(len(seconds) - 1, round(0.9 * (len(seconds) - 1)))]
    return f"{len(seconds)}, {statistics.median(seconds):.3f} / {p90:.3f}"


def _kind(why: str) -> str:
    return next((k for k in WHY if why.startswith(k)), why)


def report(split: str, trials: Sequence[Trial], conditions: Sequence[str], *,
           subset: Subset, load: tuple[float, float, float], started: float,
           partials: bool) -> list[dict[str, Any]]:
    """Print the tables, write ``benchmarks/results/bargein-<split>[-subset].json``."""
    from benchmarks.bench_bargein import COMMAND, SERS, rooms  # noqa: PLC0415 - its caller

    cancellers = [c for c in conditions if c in subset.cancellers]
    heads = {c: HEADS.get(c) or f"{HEADS.get(c.removesuffix('+warm'), c)}, warm"
             for c in conditions}
    stop_rows = []
    for ser in SERS:
        group = [t for t in trials if t.kind == "stop" and t.ser_db == ser]
        if not group:
            continue
        row: dict[str, Any] = {"SER dB": ser, "trials": len(group)}
        row |= {f"stop heard, {heads[c]}": _share(group, c, "heard") for c in conditions}
        row |= {f"self-stop before the user, {heads[c]}": _share(group, c, "self-stop")
                for c in conditions if c in ("none", *cancellers)}
        stop_rows.append(row)
    why_rows = []
    stops = [t for t in trials if t.kind == "stop"]
    for condition in conditions:
        kinds = Counter(_kind(t.why[condition]) for t in stops if condition in t.why)
        if kinds:
            why_rows.append({"condition": heads[condition],
                             **{k: kinds.get(k, 0) for k in ("heard", *WHY)}})
    selfs = [t for t in trials if t.kind == "self"]
    commands = [t for t in trials if t.kind == "command"]
    audio_s = sum(len(t.mic) for t in trials) / RATE
    measures: dict[str, dict[str, str]] = {"none": {"erle": "0", "converge": "-", "cpu": "0"}}
    for name in cancellers:
        erles, convergences = [], []
        for trial in trials:
            erle, converged = echo_measures(trial, name)
            if erle is not None:
                erles.append(erle)
            if trial.kind == "self":
                convergences.append(converged if converged is not None else float("inf"))
        cpu_ms = 1000 * sum(t.aec_cpu_s[name] for t in trials) / audio_s
        measures[name] = {
            "erle": (f"{statistics.median(erles):.1f} / {np.percentile(erles, 10):.1f}"
                     if erles else "-"),
            "converge": (f"{statistics.median(convergences):.2f} / {max(convergences):.2f}"
                         if convergences else "-"),
            "cpu": f"{cpu_ms:.1f}"}
    echoing = tuple(c for c in ("none", *cancellers) if c in conditions)
    other_rows = [
        {"measure": "answers saying Yonder/Nimbus: self-stops",
         **{heads[c]: _share(selfs, c, "self-stop") for c in echoing}},
        {"measure": "answers saying Yonder/Nimbus: self-wakes",
         **{heads[c]: _share(selfs, c, "self-wake") for c in echoing}},
        {"measure": "answers saying Yonder/Nimbus: a speech.started (tts.barge_in fires)",
         **{heads[c]: _count(selfs, c, lambda t, c: bool(t.started.get(c)))
            for c in echoing}},
        {"measure": "stop trials: a speech.started before the user spoke",
         **{heads[c]: _count(stops, c, lambda t, c: any(
             s < t.onset_s - 0.3 for s in t.started.get(c, []))) for c in echoing}},
        {"measure": f"'{COMMAND}' at -6 dB: answered",
         **{heads[c]: _share(commands, c, "command") for c in conditions}},
        {"measure": "ERLE dB, median / 10th percentile (echo alone, from 1 s)",
         **{heads[c]: measures[c]["erle"] for c in echoing}},
        {"measure": "convergence s (ERLE >= 20 dB from then on), median / max",
         **{heads[c]: measures[c]["converge"] for c in echoing}},
        {"measure": "canceller CPU per audio second, ms",
         **{heads[c]: measures[c]["cpu"] for c in echoing}},
        {"measure": "stop windows decoded, median / 90th percentile decode s",
         **{heads[c]: _windows(trials, c) for c in conditions}},
    ]
    minutes = (time.perf_counter() - started) / 60
    machine = (f"load average {load[0]:.2f}, {len(trials)} trials, {audio_s / 60:.1f} min "
               f"audio, {minutes:.1f} min, ASR partials {'on' if partials else 'off'}")
    print_table(f"Stop phrase over the answer ({split} split; {machine})", stop_rows)
    print_table(f"Why the stop trials were missed ({split} split)", why_rows)
    for trial in trials:
        for condition, why in trial.why.items():
            if why == "heard":
                continue
            if trial.kind == "self":
                print(f"  {trial.site} {trial.room.name}, '{trial.answer}', "
                      f"{heads[condition]}: {why}")
            else:
                print(f"  {trial.site} {trial.ser_db:+.0f} dB {trial.room.name}, "
                      f"{trial.voice}, '{trial.said}' at {trial.onset_s:.1f} s, "
                      f"{heads[condition]}: {why}")
    print_table(f"Own voice, commands, canceller ({split} split)", other_rows)
    per_room = []
    for room in rooms(split):
        group = [t for t in trials if t.room == room and t.kind == "stop"]
        if not group:
            continue
        row = {"room": room.name}
        row |= {f"stop heard, {heads[c]}": _share(group, c, "heard") for c in conditions}
        for name in cancellers:
            erl = [e for t in trials
                   if t.room == room and (e := echo_measures(t, name)[0]) is not None]
            row[f"ERLE dB {name} (median)"] = round(statistics.median(erl), 1) if erl else "-"
        per_room.append(row)
    print_table(f"Per room ({split} split)", per_room)
    rows = stop_rows + why_rows + other_rows + per_room
    name = f"bargein-{split}" if subset.full else f"bargein-{split}-subset"
    write_results(name, rows, split=split, subset=repr(subset), partials=partials,
                  load_average=load, minutes=round(minutes, 1),
                  trials=[{"kind": t.kind, "room": t.room.name, "ser_db": t.ser_db,
                           "said": t.said, "voice": t.voice, "answer": t.answer,
                           "onset_s": round(t.onset_s, 2), **t.outcome,
                           **{f"why {c}": w for c, w in t.why.items()}} for t in trials])
    return rows
