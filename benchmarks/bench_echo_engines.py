"""The echo cancellers on the echo alone: ERLE, convergence and CPU, Speex MDF included.

    .venv/bin/python -m benchmarks echo_engines --split=dev     # or --split=test

Issue 25 asks for Speex MDF (``pyaec``) to be measured against the daemon's cancellers. For
each room of the bargein split (``bench_bargein.rooms``) one of the split's answers that say
the phrases is played by the shipped Piper voice through the room (its bulk delay, clipping,
echo gain and noise floor, as the bargein benchmark builds it), nobody speaking, and each engine
cancels it, fed the played PCM through the daemon's ``EchoCanceller`` (``tests/echo_room``):
AEC3, the linear canceller alone, the hybrid (the default), and Speex MDF (0.4 s filter, as
the linear one; with and without its preprocessor, Speex's residual-echo suppressor). Each
starts cold (fresh on the answer). Measured as in the bargein benchmark
(``bargein_report.echo_measures``): ERLE over voiced echo frames from 1 s on, convergence (the
first time from which every 0.5 s window with echo has ERLE >= 20 dB for the next 2 s; ``inf``:
never), and thread CPU per audio second. Prints a table per room and one summary table, writes
``benchmarks/results/echo_engines-<split>.json``. No listening stack: the stop-phrase figures
are ``bench_bargein``'s.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import onnxruntime

from benchmarks._harness import print_table, write_results
from benchmarks.bargein_report import echo_measures
from benchmarks.bargein_set import self_answers
from benchmarks.bench_bargein import CANCELLERS, PIPER_SEED, Trial, build, rooms
from benchmarks.speex_engine import SpeexEngine
from nimbus.handlers.audio.echo import EchoEngine
from tests.echo_room import cancel_offline

ENGINES: dict[str, Callable[[], EchoEngine]] = {
    "webrtc-aec3": CANCELLERS["webrtc-aec3"],
    "nimbus-mdf": CANCELLERS["nimbus-mdf"],
    "nimbus-hybrid": CANCELLERS["nimbus-hybrid"],
    "speex-mdf": SpeexEngine,
    "speex-mdf+preprocess": lambda: SpeexEngine(preprocess=True),
}


def main(argv: list[str]) -> list[dict[str, Any]]:
    split = next((a.split("=", 1)[1] for a in argv if a.startswith("--split=")), "dev")
    if split not in ("dev", "test"):
        raise SystemExit("--split=dev|test (the frozen holdouts are bench_bargein's, run once)")
    onnxruntime.set_seed(PIPER_SEED)
    load = os.getloadavg()
    rng = np.random.default_rng(25)
    per_room: list[dict[str, Any]] = []
    measured: dict[str, list[tuple[float, float, float]]] = {name: [] for name in ENGINES}
    chosen = rooms(split)
    for i, (room, text) in enumerate(zip(chosen, self_answers(split, len(chosen)), strict=True)):
        trial = Trial("self", f"echo{i}", room, text)
        build(trial, rng, None)
        row: dict[str, Any] = {"room": room.name}
        for name, make in ENGINES.items():
            started = time.thread_time()
            trial.cleaned[name], _ = cancel_offline(trial.far, trial.mic, make(),
                                                    far_rate=trial.far_rate)
            cpu = (time.thread_time() - started) / (len(trial.mic) / 16000)
            erle, converged = echo_measures(trial, name)
            if erle is None:
                continue
            measured[name].append((erle, np.inf if converged is None else converged, cpu))
            row[f"{name} ERLE dB"] = round(erle, 1)
        per_room.append(row)
        print(f"  {room.name}: done", flush=True)
    summary = []
    for name, values in measured.items():
        erles = [v[0] for v in values]
        times = [v[1] for v in values]
        summary.append({
            "engine": name, "rooms": len(values),
            "ERLE dB median": round(float(np.median(erles)), 1),
            "ERLE dB 10th pct": round(float(np.percentile(erles, 10)), 1),
            "convergence s median": float(np.median(times)),
            "convergence s max": float(max(times)),
            "CPU ms per audio s": round(1000 * float(np.mean([v[2] for v in values])), 1),
        })
    print_table(f"Echo alone, per room ({split} split; ERLE dB)", per_room)
    print_table(f"Echo cancellers on the echo alone ({split} split, cold, load average "
                f"{load[0]:.2f})", summary)
    write_results(f"echo_engines-{split}", summary, per_room=per_room, load_average=load)
    return summary
