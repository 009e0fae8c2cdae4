"""Thread counts for the model engines, chosen from the cores this process may use.

On two cores, ASR with 2 threads, the LLM with 2 (and llama.cpp's prompt threads: one per core
of the *machine*, whatever ``taskset`` says) and Piper with ONNX Runtime's default (one per core)
ask for six busy threads at once while an answer is spoken. llama.cpp's threads wait for each
other at every layer, so one of them preempted stalls the whole token: measured on a 2-core EPYC
loaded ~9 by other work, SmolLM2-135M with 2 threads had gaps of up to 8 s between tokens, with
1 thread a steady 28 ms per token. The plan keeps the engines that run at the same time (the LLM
writing while the TTS speaks) within the cores, and gives the ASR, which mostly runs alone and is
on every turn's critical path, all of them.
A config value other than 0 always wins (``asr.cpu_threads``, ``llm.n_threads``,
``tts.threads``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["ThreadPlan", "available_cores", "thread_plan"]


def available_cores() -> int:
    """Cores this process may run on (``taskset``/cgroup affinity counts, not the machine's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True, slots=True, kw_only=True)
class ThreadPlan:
    """Threads per engine."""

    cores: int
    asr: int
    llm: int
    tts: int


def thread_plan(cores: int | None = None) -> ThreadPlan:
    """The plan for ``cores`` (default: :func:`available_cores`).

    - ASR: every core up to 4 (CTranslate2 gains little beyond that for the small models).
    - TTS: 1 thread up to 4 cores, then 2: Piper speaks a sentence far faster than real time.
    - LLM: the cores the TTS leaves (at least 1), for generation and for reading the prompt.
    """
    n = available_cores() if cores is None else max(1, cores)
    tts = 1 if n <= 4 else 2
    return ThreadPlan(cores=n, asr=min(n, 4), llm=max(1, n - tts), tts=tts)
