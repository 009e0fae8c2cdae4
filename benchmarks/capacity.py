"""Capacity: how many rooms one `nimbus run` carries before the rooms feel it.

    python -m benchmarks capacity [--max-k=N] [--rounds=N] [--baseline-turns=N] [--cases=...]
    python -m benchmarks.capacity --max-k 4

K simulated satellites, each a room of its own (its own site), talk to ONE real daemon on its
embedded defaults (plus short, repeatable answers): each streams what a `nimbus satellite` would
stream of a spoken question (the satellite's own Silero VAD and speech gate pick the frames:
pre-roll, speech, hang-over; nothing in silence), at real-time pace, over the satellite's
WebSocket client (:class:`~nimbus.cli.client.DaemonClient` with the site in the hello and the
satellite's per-site subscription), waits for the whole answer, pauses like a listener, and asks
the next question. Rooms ask different questions and start staggered. Per turn, the time from the
end of the speech (the frame holding its last sample leaves the satellite) to the first
``audio.out`` for the room is taken on the client's clock.

First the single-site median (K = 1, ``--baseline-turns`` turns); then K grows (doubling, then
bisection: :mod:`benchmarks.capacity_search`) and the largest K whose p90 stays at most 2 x the
single-site median is the capacity. Done twice: with no documents, and with retrieval (a PDF in
the watched folder, questions it answers). A turn that never gets audio counts as infinitely
slow; a turn the daemon heard without a command (a misheard action phrase) is left out and
listed. Machines of one kind differ 2-3x and a shared machine's load changes by the minute, so
the verdict is a ratio within one run; the load average is recorded around every step.

The daemon reads ``NIMBUS_SECTION__KEY`` from the environment like any `nimbus run` (recorded in
the JSON), so the same command measures a grown house, e.g. the LLM on another machine:
``NIMBUS_LLM__BACKEND=openai NIMBUS_LLM__URL=http://gpu-box:8080/v1 python -m benchmarks capacity``.
``--llm-server=llama_cpp --name=capacity-openai`` does that wiring on this one machine (a
llama-cpp-python server with the shipped GGUF). On a shared machine run one benchmark at a
time (e.g. under ``flock``). The defaults (``--max-k=8 --rounds=3 --baseline-turns=6``) take about
7 minutes on 2 quiet cores (measured), more on a loaded machine.

Prints tables and writes ``benchmarks/results/capacity.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks._harness import RESULTS_DIR, machine, print_table, write_results
from benchmarks.capacity_search import FACTOR, capacity, next_k, verdict
from nimbus.cli.client import DaemonClient
from nimbus.cli.satellite_io import FRAME_BYTES, RATE, find_vad_model
from nimbus.cli.speech_gate import SpeechGate
from nimbus.daemon.events import (
    AudioChunk,
    AudioOut,
    Command,
    DocumentIngested,
    Error,
    PlaybackFinished,
    ResponseDelta,
    ResponseDone,
    StateChanged,
    Stop,
    Transcript,
)
from nimbus.daemon.testing import DaemonProcess
from nimbus.handlers.listening.vad.engine import SileroVad, VadState
from tests.conversation import Recorder, Utterance, daemon_config, spoken
from tests.handlers.responding.llm_servers import free_port, llama_server
from tests.handlers.responding.test_responder import GARDEN_PAGES, make_pdf

PLAIN = [
    "Nimbus, what is the capital of France?",
    "Nimbus, how many days are in a week?",
    "Nimbus, what color is the sky?",
    "Nimbus, say hello to my friend.",
    "Nimbus, how many legs does a spider have?",
    "Nimbus, what is the opposite of hot?",
    "Nimbus, what is the largest ocean?",
    "Nimbus, name a yellow fruit.",
]
HOUSE_PAGE = ("House notes. The bins go out on Tuesday evening. The spare key is with the "
              "neighbour at number twelve. The boiler is serviced every October. The wifi "
              "password is written inside the kitchen cupboard.")
GROUNDED = [
    "Nimbus, who is the head gardener of the Zorvex garden?",
    "Nimbus, where are the tools kept in the garden?",
    "Nimbus, when do volunteers water the beds?",
    "Nimbus, when do the bins go out?",
    "Nimbus, where is the spare key?",
    "Nimbus, when is the boiler serviced?",
    "Nimbus, where is the wifi password written?",
    "Nimbus, who plans the planting calendar?",
]
CASES = {"no documents": PLAIN, "with retrieval": GROUNDED}
FRAME_SAMPLES = FRAME_BYTES // 2
WAIT = 90.0
"""Seconds a stage may take before the turn counts as lost (generous: the machine is shared)."""
MISSED_AFTER = 10.0
"""Seconds after the final transcript without a command: the daemon misheard the phrase."""
THINK_S = (0.5, 2.0)
"""A listener's pause between the end of an answer and the next question (uniform, seeded)."""
SUBSCRIPTION = [AudioOut, Stop, StateChanged, Error,  # what `nimbus satellite` subscribes to
                Transcript, Command, ResponseDelta, ResponseDone,  # and what is timed
                PlaybackFinished]


@dataclass(frozen=True, slots=True)
class SatelliteStream:
    """What a satellite sends of one question: (seconds after the mic started, frame) pairs."""

    text: str
    frames: list[tuple[float, bytes]]
    speech_end_index: int
    """Index in ``frames`` of the frame holding the last speech sample."""


def satellite_stream(utterance: Utterance, vad: SileroVad) -> SatelliteStream:
    """Run the satellite's VAD and speech gate over the utterance, as its microphone would.

    Done once per question before the run, so K rooms' VADs (on their own boards in a house)
    do not load the server's cores here.
    """
    state, gate = VadState(), SpeechGate()
    frames: list[tuple[float, bytes]] = []
    end_index = -1
    audio = utterance.audio
    for offset in range(0, audio.size - FRAME_SAMPLES + 1, FRAME_SAMPLES):
        frame = audio[offset:offset + FRAME_SAMPLES]
        probability = vad.probability(state, frame.astype(np.float32) / 32768.0)
        sent = gate.push(frame.tobytes(), probability)
        read_at = (offset + FRAME_SAMPLES) / RATE  # a frame exists once the mic has recorded it
        frames += [(read_at, piece) for piece in sent]
        if sent and offset <= utterance.speech_end < offset + FRAME_SAMPLES:
            end_index = len(frames) - 1
    if end_index < 0 or gate.open:
        raise RuntimeError(f"the satellite's gate did not stream {utterance.text!r} whole "
                           "(make the silence after it longer)")
    return SatelliteStream(utterance.text, frames, end_index)


@dataclass(frozen=True, slots=True)
class TurnResult:
    site: str
    question: str
    first_audio_s: float
    """End of speech -> first audio.out for the room; inf when it never came (lost)."""
    transcript_s: float = math.nan
    """End of speech -> final transcript (the ASR's share)."""
    first_token_s: float = math.nan
    """End of speech -> first response.delta (ASR + waiting for the LLM + prefill)."""
    llm_queued_s: float = math.nan
    """Command -> the model free for it (response.done ``timings.queued``: retrieval and the
    prompt, then waiting while other rooms' answers hold the model)."""
    missed: bool = False
    heard: str = ""


class SimulatedSatellite:
    """One room: the satellite's WebSocket client and subscription, streaming its gate's frames."""

    def __init__(self, url: str, site: str, questions: list[SatelliteStream], *,
                 seed: int) -> None:
        self.url = url
        self.site = site
        self.questions = questions
        self._rng = random.Random(seed)
        self._sequence = 0

    async def run(self, start_after: float) -> list[TurnResult]:
        await asyncio.sleep(start_after)
        results: list[TurnResult] = []
        async with DaemonClient(self.url, site=self.site) as client, \
                Recorder.on(client) as rec:
            if client.site != self.site:
                raise RuntimeError(f"the server gave {self.site} the site {client.site!r}")
            await client.subscribe(SUBSCRIPTION, sites=[self.site])
            for question in self.questions:
                results.append(await self._turn(client, rec, question))
                await asyncio.sleep(self._rng.uniform(*THINK_S))
        return results

    async def _turn(self, client: DaemonClient, rec: Recorder,
                    question: SatelliteStream) -> TurnResult:
        site = self.site
        mark = len(rec.heard)
        started = time.monotonic()
        ended = started
        for index, (at, frame) in enumerate(question.frames):
            delay = started + at - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self._sequence += 1
            await client.send(AudioChunk(site=site, audio=frame, rate=RATE,
                                         sequence=self._sequence))
            if index == question.speech_end_index:
                ended = time.monotonic()
        lost = TurnResult(site, question.text, math.inf)
        try:
            transcript = await rec.wait_for(
                lambda e: isinstance(e, Transcript) and e.final and e.site == site,
                after=mark, timeout=WAIT)
        except TimeoutError:
            return lost
        try:  # a command follows its final transcript at once, or never
            await rec.wait_for(lambda e: isinstance(e, Command) and e.site == site,
                               after=mark, timeout=MISSED_AFTER)
        except TimeoutError:
            assert isinstance(transcript.event, Transcript)
            return TurnResult(site, question.text, math.nan, missed=True,
                              heard=transcript.event.text)
        try:
            token = await rec.wait_for(lambda e: isinstance(e, ResponseDelta) and e.site == site,
                                       after=mark, timeout=WAIT)
            first = await rec.wait_for(
                lambda e: isinstance(e, AudioOut) and e.site == site and bool(e.audio),
                after=mark, timeout=WAIT)
            done = await rec.wait_for(lambda e: isinstance(e, ResponseDone) and e.site == site,
                                      after=mark, timeout=WAIT)
            assert isinstance(done.event, ResponseDone)
            response = done.event.cause
            queued = float(done.event.timings.get("queued", math.nan))
            # The room listens to the whole answer before it asks again.
            await rec.wait_for(lambda e: isinstance(e, PlaybackFinished)
                               and e.response == response, after=mark, timeout=WAIT)
        except TimeoutError:
            return lost
        finally:
            if len(rec.heard) > 5000:  # keep the client's memory flat over long runs
                del rec.heard[:2500]
        return TurnResult(site, question.text, first.at - ended,
                          transcript_s=transcript.at - ended, first_token_s=token.at - ended,
                          llm_queued_s=queued)


async def _step(url: str, tag: str, k: int, questions: list[SatelliteStream], *, turns: int,
                stagger_s: float, seed: int) -> list[TurnResult]:
    """K rooms at once, each asking ``turns`` questions; room i starts i x stagger later."""
    rooms = [
        SimulatedSatellite(
            url, f"{tag}-room{i}",
            [questions[(i + r) % len(questions)] for r in range(turns)], seed=seed + i)
        for i in range(k)
    ]
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(room.run(i * stagger_s)) for i, room in enumerate(rooms)]
    return [turn for task in tasks for turn in task.result()]


def _median(values: list[float]) -> float:
    """The median of the values that were measured (an answer without the LLM has no wait)."""
    measured = [v for v in values if not math.isnan(v)]
    return statistics.median(measured) if measured else math.nan


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, timeout=5,
                              check=False).stdout.strip()
    except OSError:
        load = os.getloadavg()
        return f"load average: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}"


async def _run(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        env: dict[str, str] = {}
        if args.llm_server == "llama_cpp":
            # The grown setup's wiring on this one machine: the LLM behind an OpenAI-compatible
            # server (llama-cpp-python's, which serves one request at a time: no batching). By
            # default it ends a running stream when another request arrives: two rooms asking
            # at once would cut each other's answers off.
            base = stack.enter_context(llama_server(
                free_port(), RESULTS_DIR / f"{args.name}-llm-server.log", n_ctx=1024,
                extra=("--interrupt_requests", str(args.interrupt_requests).lower())))
            env = {"NIMBUS_LLM__BACKEND": "openai", "NIMBUS_LLM__URL": base,
                   "NIMBUS_LLM__MODEL": "smollm2"}
        return await _run_daemon(args, root, env)


async def _run_daemon(args: argparse.Namespace, root: Path,
                      env: dict[str, str]) -> dict[str, Any]:
    state_dir, watch_dir = root / "state", root / "watched"
    state_dir.mkdir()
    watch_dir.mkdir()
    config = daemon_config(root / "nimbus.toml", state_dir=state_dir, watch_dir=watch_dir,
                           llm={"max_tokens": "64"})
    vad = SileroVad(find_vad_model())
    streams = {label: [satellite_stream(spoken(q, lead_s=0.6, tail_s=1.6), vad) for q in qs]
               for label, qs in CASES.items() if label in args.cases}
    log_path = RESULTS_DIR / f"{args.name}-daemon.log"
    log_path.unlink(missing_ok=True)
    daemon = DaemonProcess(config, state_dir, log_path=log_path, env=env)
    raw: dict[str, Any] = {"uptime_before": _uptime(), "daemon_environment": env}
    started = time.perf_counter()
    url = await asyncio.to_thread(daemon.start, ready_within=300)
    raw["ready_s"] = time.perf_counter() - started
    rows: list[dict[str, Any]] = []
    summary: list[dict[str, Any]] = []
    try:
        async with DaemonClient(url, site="bench-monitor") as monitor, \
                Recorder.on(monitor) as watched:
            await monitor.subscribe([DocumentIngested])
            for label, questions in streams.items():
                if label == "with retrieval":
                    make_pdf(watch_dir / "house-notes.pdf", [*GARDEN_PAGES, HOUSE_PAGE])
                    await watched.wait_for(lambda e: isinstance(e, DocumentIngested),
                                           timeout=WAIT)
                case = await _case(url, label, questions, args)
                rows += case["rows"]
                summary.append(case["summary"])
                raw[label] = case["raw"]
    finally:
        raw["exit_code"] = await asyncio.to_thread(daemon.stop)
    raw["uptime_after"] = _uptime()
    return {"rows": rows, "summary": summary, "raw": raw}


async def _case(url: str, label: str, questions: list[SatelliteStream],
                args: argparse.Namespace) -> dict[str, Any]:
    # Warm-up (the first answer loads caches; the first retrieval opens the index): not counted.
    slug = "docs" if label == "with retrieval" else "plain"
    await _step(url, f"{slug}-warmup", 1, questions[-1:], turns=1, stagger_s=0.0,
                seed=args.seed)
    tried: dict[int, bool] = {}
    steps: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    single_median = math.nan
    while (k := next_k(tried, args.max_k)) is not None:
        turns = args.baseline_turns if k == 1 else args.rounds
        load_before = os.getloadavg()
        began = time.monotonic()
        results = await _step(url, f"{slug}-k{k}", k, questions, turns=turns,
                              stagger_s=args.stagger, seed=args.seed + k)
        seconds = time.monotonic() - began
        load_after = os.getloadavg()
        samples = [t.first_audio_s for t in results if not t.missed]
        missed = [f"{t.site}: said {t.question!r}, heard {t.heard!r}" for t in results
                  if t.missed]
        if not samples:
            raise RuntimeError(f"{label}, K={k}: every turn was misheard: {missed}")
        if k == 1:
            finite = sorted(s for s in samples if math.isfinite(s))
            if not finite:
                raise RuntimeError(f"{label}: no single-site turn was answered")
            single_median = statistics.median(finite)
        result = verdict(k, samples, single_median)
        tried[k] = result.holds
        lost = sum(1 for s in samples if math.isinf(s))
        heard = [t for t in results if not t.missed and math.isfinite(t.first_audio_s)]
        rows.append({"case": label, "K": k, "turns": result.turns, "lost": lost,
                     "missed": len(missed), "p50_s": result.p50, "p90_s": result.p90,
                     "limit_s": result.limit, "holds": "yes" if result.holds else "no",
                     "transcript_p50_s": _median([t.transcript_s for t in heard]),
                     "first_token_p50_s": _median([t.first_token_s for t in heard]),
                     "llm_queued_p50_s": _median([t.llm_queued_s for t in heard]),
                     "step_s": seconds, "load_1min": f"{load_before[0]:.2f}->{load_after[0]:.2f}"})
        steps[str(k)] = {"samples": samples, "missed": missed, "seconds": seconds,
                         "transcript_s": [t.transcript_s for t in heard],
                         "first_token_s": [t.first_token_s for t in heard],
                         "llm_queued_s": [t.llm_queued_s for t in heard],
                         "load_before": load_before, "load_after": load_after}
        print(f"  {label}: K={k} p50 {result.p50:.2f} s, p90 {result.p90:.2f} s "
              f"(limit {result.limit:.2f} s) -> {'holds' if result.holds else 'does not hold'}; "
              f"load {load_before[0]:.2f} -> {load_after[0]:.2f}", flush=True)
    found = capacity(tried)
    return {"rows": rows,
            "summary": {"case": label, "single_site_median_s": single_median,
                        f"limit_s ({FACTOR:g}x median)": FACTOR * single_median,
                        "capacity_K": found, "tried": ", ".join(
                            f"{k}:{'ok' if ok else 'over'}" for k, ok in tried.items()),
                        "max_k": args.max_k},
            "raw": {"steps": steps, "tried": tried, "capacity": found}}


def main(argv: list[str]) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(prog="benchmarks.capacity")
    parser.add_argument("--max-k", type=int, default=8, help="most rooms tried at once")
    parser.add_argument("--rounds", type=int, default=3,
                        help="questions each room asks at K > 1")
    parser.add_argument("--baseline-turns", type=int, default=6,
                        help="questions the single room asks for the baseline median")
    parser.add_argument("--stagger", type=float, default=1.3,
                        help="seconds between the rooms' first questions")
    parser.add_argument("--cases", default=",".join(CASES),
                        help=f"comma-separated, of: {', '.join(CASES)}")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--llm-server", choices=("none", "llama_cpp"), default="none",
                        help="llama_cpp: start `python -m llama_cpp.server` with the shipped GGUF "
                             "here and point the daemon's openai backend at it")
    parser.add_argument("--interrupt-requests", action="store_true",
                        help="with --llm-server=llama_cpp: keep its default, a new request "
                             "ends the running stream (off here: rooms would lose answers)")
    parser.add_argument("--name", default="capacity",
                        help="results file name, e.g. capacity-openai for another setup")
    args = parser.parse_args(argv)
    args.cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = sorted(set(args.cases) - set(CASES))
    if unknown or args.max_k < 1 or args.rounds < 1 or args.baseline_turns < 1:
        parser.error(f"bad --cases {unknown} or a count below 1")
    if not args.name.replace("-", "").replace("_", "").isalnum():
        parser.error(f"--name {args.name!r}: letters, digits, - and _ only")
    with tempfile.TemporaryDirectory(prefix="nimbus-capacity-") as tmp:
        result = asyncio.run(_run(args, Path(tmp)))
    raw = result["raw"]
    raw["machine"] = machine()
    raw["settings"] = dict(vars(args))
    raw["environment"] = {k: v for k, v in os.environ.items() if k.startswith("NIMBUS_")}
    print_table("Rooms at once vs one daemon: end of speech -> first audio.out per turn "
                "(client clock, seconds)", result["rows"])
    print_table(f"Capacity: largest K whose p90 <= {FACTOR:g} x the single-site median",
                result["summary"])
    print(f"\nmachine: {raw['machine']['cores']} cores, {raw['machine']['cpu']}; "
          f"daemon ready in {raw['ready_s']:.1f} s, exit code {raw['exit_code']}")
    print(f"uptime before: {raw['uptime_before']}\nuptime after:  {raw['uptime_after']}")
    path = write_results(args.name, result["rows"], summary=result["summary"], raw=raw)
    print(f"wrote {path}")
    return list(result["rows"])


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main(sys.argv[1:])
