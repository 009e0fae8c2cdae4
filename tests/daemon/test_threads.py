"""Thread counts from the cores the process may use; config values win."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from nimbus.daemon.config import Config, TtsConfig
from nimbus.daemon.threads import ThreadPlan, available_cores, thread_plan


def test_the_plan_never_asks_for_more_than_the_cores_at_once() -> None:
    assert thread_plan(1) == ThreadPlan(cores=1, asr=1, llm=1, tts=1)
    assert thread_plan(2) == ThreadPlan(cores=2, asr=2, llm=1, tts=1)
    assert thread_plan(4) == ThreadPlan(cores=4, asr=4, llm=3, tts=1)
    assert thread_plan(16) == ThreadPlan(cores=16, asr=4, llm=14, tts=2)
    for cores in range(2, 33):
        plan = thread_plan(cores)
        assert plan.llm + plan.tts <= cores  # what runs together fits
        assert 1 <= plan.asr <= min(4, cores)
    assert thread_plan(0).cores == 1


def test_available_cores_follows_the_affinity() -> None:
    assert available_cores() == len(os.sched_getaffinity(0))
    assert thread_plan().cores == available_cores()
    taskset = shutil.which("taskset")
    if taskset is None:
        pytest.skip("taskset (util-linux) is not installed")
    pinned = subprocess.run(
        [taskset, "-c", "0", sys.executable, "-c",
         "from nimbus.daemon.threads import thread_plan; print(thread_plan().asr)"],
        capture_output=True, text=True, check=True, env={**os.environ},
    )
    assert pinned.stdout.strip() == "1"


@pytest.mark.slow
def test_piper_gets_the_planned_threads_or_the_configured_ones() -> None:
    from nimbus.voices.registry import load_voice  # noqa: PLC0415 - heavy

    planned = load_voice("joe", Config())
    assert getattr(planned, "threads", None) == thread_plan().tts
    configured = load_voice("joe", Config(tts=TtsConfig(threads=3)))
    assert getattr(configured, "threads", None) == 3
    assert b"".join(configured.synthesize("Hello there."))  # the session really works
