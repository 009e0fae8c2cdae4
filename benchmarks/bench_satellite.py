"""What a thin `nimbus satellite` costs a small machine: install size, CPU, memory, bandwidth.

Run: ``python -m benchmarks satellite`` (``--seconds=N`` for the streamed recording's length).
The satellite is the thin install (``.cache/satellite-thin``, built by tests/thin_satellite.py)
reading a WAV of Piper questions between silences at real-time pace, its server unreachable (so
the numbers are the satellite's own: microphone, VAD, gate). CPU is user+system time of the
process over the recording, as a share of one core; the baseline is a `python -c "import numpy"`
idle loop measured in the same run. Bandwidth is what the gate streams of the same recording,
computed with the same VAD and gate in-process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks._harness import print_table, write_results
from nimbus.cli.satellite_io import find_vad_model
from nimbus.cli.speech_gate import SpeechGate
from nimbus.handlers.listening.vad.engine import FRAME_SAMPLES, SileroVad, VadState
from tests.speech import silence, synthesize_speech, to_16k, write_wav
from tests.thin_satellite import VENV, thin_venv

QUESTIONS = ("Nimbus, what is the capital of France?", "Nimbus, turn off the kitchen lights.",
             "Yonder.")


def _recording(seconds: float) -> np.ndarray:
    pieces: list[np.ndarray] = []
    total = 0
    index = 0
    while total < seconds * 16000:
        speech = to_16k(*synthesize_speech(QUESTIONS[index % len(QUESTIONS)]))
        gap = silence(6.0)
        pieces += [speech, gap]
        total += speech.size + gap.size
        index += 1
    return np.concatenate(pieces)[: int(seconds * 16000)]


def _cpu_and_rss(pid: int) -> tuple[float, int]:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    rss = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            rss = int(line.split()[1]) * 1024
    return cpu, rss


def _run(argv: list[str], seconds: float, ready: str | None, log: Path) -> dict[str, float]:
    with log.open("wb") as out:
        started = time.monotonic()
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)
    try:
        startup = 0.0
        if ready:
            while ready not in log.read_text(errors="replace"):
                if process.poll() is not None or time.monotonic() - started > 120:
                    raise RuntimeError(log.read_text(errors="replace"))
                time.sleep(0.02)
            startup = time.monotonic() - started
        cpu0, _ = _cpu_and_rss(process.pid)
        time.sleep(seconds)
        cpu1, rss = _cpu_and_rss(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=10)
    return {"startup_s": startup, "cpu_share": (cpu1 - cpu0) / seconds, "rss_mib": rss / 2**20}


def _streamed_share(audio: np.ndarray) -> tuple[float, int]:
    vad, state, gate = SileroVad(find_vad_model()), VadState(), SpeechGate()
    sent = frames = 0
    for offset in range(0, audio.size - FRAME_SAMPLES + 1, FRAME_SAMPLES):
        frame = audio[offset:offset + FRAME_SAMPLES]
        probability = vad.probability(state, frame.astype(np.float32) / 32768)
        sent += len(gate.push(frame.tobytes(), probability))
        frames += 1
    return sent / frames, gate.opened


def main(argv: list[str]) -> list[dict[str, Any]]:
    seconds = 30.0
    for arg in argv:
        if arg.startswith("--seconds="):
            seconds = float(arg.split("=", 1)[1])
    bin_dir = thin_venv()
    size = sum(f.stat().st_size for f in VENV.rglob("*") if f.is_file() and not f.is_symlink())
    audio = _recording(seconds + 5)
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        wav = write_wav(Path(tmp) / "room.wav", audio)
        satellite = _run([str(bin_dir / "nimbus"), "satellite", "--site", "bench",
                          "--url", "ws://127.0.0.1:9/ws", "--input-file", str(wav),
                          "--output-file", str(Path(tmp) / "out.wav"), "--reconnect-max", "5"],
                         seconds, "microphone", Path(tmp) / "satellite.log")
        baseline = _run([sys.executable, "-c", "import time, numpy\nwhile True: time.sleep(0.032)"],
                        seconds, None, Path(tmp) / "baseline.log")
    share, utterances = _streamed_share(audio[: int(seconds * 16000)])
    rows = [
        {"measure": "thin venv size (MiB)", "value": size / 2**20},
        {"measure": "satellite startup to listening (s)", "value": satellite["startup_s"]},
        {"measure": "satellite CPU (share of one core)", "value": satellite["cpu_share"]},
        {"measure": "baseline idle python CPU (share of one core)",
         "value": baseline["cpu_share"]},
        {"measure": "satellite peak RSS (MiB)", "value": satellite["rss_mib"]},
        {"measure": "audio streamed (share of the recording)", "value": share},
        {"measure": "utterances streamed", "value": utterances},
    ]
    print_table(f"nimbus satellite, {seconds:g} s of a room (questions every ~8 s), "
                f"load avg {load[0]:.1f}", rows)
    path = write_results("satellite", rows, seconds=seconds, load_average=load)
    print(f"wrote {path}")
    return rows
