"""The real wyoming-satellite (1.0.0, from PyPI) for tests: its own venv, a FIFO microphone.

The venv lives in ``.cache/`` at the repository root (git-ignored), is created on first use by
:func:`satellite_python` with the pins in ``tests/wyoming-satellite.constraints`` and reused
afterwards. wyoming-satellite pins an older ``wyoming`` than Nimbus, hence the separate venv.

There is no sound card here: the satellite's microphone command is ``cat`` on a FIFO that
:class:`Microphone` feeds at real-time pace (silence, or speech when asked), and its speaker
command appends what it plays to a raw PCM file.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
from collections import deque
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".cache" / "wyoming-satellite-1.0.0"
CONSTRAINTS = ROOT / "tests" / "wyoming-satellite.constraints"
CHUNK = 512
"""Samples per microphone write (32 ms at 16 kHz)."""
SND_RATE = 22050
"""The satellite's speaker command receives 16-bit mono at this rate (its default)."""


def satellite_python() -> Path:
    """The side venv's python, created (once) with the pinned wyoming-satellite."""
    python = VENV / "bin" / "python"
    stamp = VENV / ".installed"
    if stamp.exists() and stamp.read_text() == CONSTRAINTS.read_text():
        return python
    VENV.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True, timeout=300)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q",
         "-c", str(CONSTRAINTS), "wyoming-satellite"],
        check=True, timeout=600)
    stamp.write_text(CONSTRAINTS.read_text())
    return python


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SatelliteProcess:
    """``python -m wyoming_satellite`` listening on 127.0.0.1:port."""

    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.port = port
        self.fifo = root / "mic.fifo"
        self.speaker = root / "speaker.raw"
        self.log_path = root / "satellite.log"
        self.process: subprocess.Popen[bytes] | None = None
        if not self.fifo.exists():
            os.mkfifo(self.fifo)

    def start(self) -> None:
        python = satellite_python()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [str(python), "-m", "wyoming_satellite", "--name", "test satellite",
                 "--uri", f"tcp://127.0.0.1:{self.port}", "--no-zeroconf",
                 "--mic-command", f"cat {self.fifo}",
                 "--snd-command", f"sh -c 'cat >> {self.speaker}'", "--debug"],
                stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            time.sleep(0.1)
        raise TimeoutError(f"wyoming-satellite did not listen:\n{self.log()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-8000:] if self.log_path.exists() else ""

    def played_seconds(self) -> float:
        return self.speaker.stat().st_size / 2 / SND_RATE if self.speaker.exists() else 0.0

    def played_audio(self) -> npt.NDArray[np.int16]:
        return np.frombuffer(self.speaker.read_bytes(), dtype="<i2")


class Microphone:
    """Feeds the satellite's FIFO in real time: queued speech, else silence."""

    def __init__(self, fifo: Path) -> None:
        # Read-write open never blocks on a FIFO; non-blocking writes drop audio nobody reads.
        self._fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
        self._queue: deque[bytes] = deque()
        self._task: asyncio.Task[None] | None = None
        self.dropped = 0

    def say(self, audio: npt.NDArray[np.int16]) -> float:
        """Queue 16 kHz speech; the seconds until it has all been sent."""
        pcm = audio.astype("<i2").tobytes()
        self._queue.extend(pcm[i:i + CHUNK * 2] for i in range(0, len(pcm), CHUNK * 2))
        return len(self._queue) * CHUNK / 16000

    @property
    def speaking(self) -> bool:
        return bool(self._queue)

    async def _run(self) -> None:
        silence = bytes(CHUNK * 2)
        started = time.monotonic()
        for index in range(sys.maxsize):
            delay = started + index * CHUNK / 16000 - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            chunk = self._queue.popleft() if self._queue else silence
            try:
                os.write(self._fd, chunk)
            except BlockingIOError:
                self.dropped += 1

    async def __aenter__(self) -> Microphone:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="mic")
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        os.close(self._fd)
