"""A private PulseAudio server for tests: a virtual microphone fed from PCM, and a null sink.

Each server gets its own runtime dir and HOME under a temp folder, so parallel tests never share
one. Point PortAudio/PyAudio at it with :attr:`PulseServer.env` (``PULSE_SERVER``): its ALSA
"pulse" and "default" devices then capture from the virtual source ``nimbus_test_mic``, which
plays whatever is queued with :meth:`PulseServer.feed` (16 kHz mono s16le, at real-time
pace), and silence otherwise (a writer thread keeps the pipe fed, as a real microphone does).
``nimbus_test_sink`` is a null sink whose monitor can be recorded.

With ``room_delay_ms`` the server is a room: a third null sink, ``nimbus_air``, is the air; a
loopback carries the speaker (``nimbus_test_sink``) into it ``room_delay_ms`` later, another
carries the fed PCM (the user) into it, and the default source - what a microphone records - is
the air's monitor: the assistant's own voice and the user's, mixed as a room mixes them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections import deque
from pathlib import Path
from types import TracebackType
from typing import Self

__all__ = ["PulseServer", "pulseaudio_available"]

SOURCE = "nimbus_test_mic"
SINK = "nimbus_test_sink"
AIR = "nimbus_air"
_PIECE = 640
"""20 ms of 16 kHz mono s16le."""
_SILENCE = bytes(_PIECE)


def pulseaudio_available() -> bool:
    return shutil.which("pulseaudio") is not None and shutil.which("pactl") is not None


class PulseServer:
    """``with PulseServer(tmp_path) as pulse: ...`` - started on enter, killed on exit."""

    def __init__(self, root: Path, *, rate: int = 16000, room_delay_ms: int | None = None
                 ) -> None:
        self.root = root
        self.rate = rate
        self.room_delay_ms = room_delay_ms
        self.runtime = root / "pulse-runtime"
        self.home = root / "pulse-home"
        self.fifo = root / "pulse-mic.fifo"
        self.socket = self.runtime / "native"
        self._process: subprocess.Popen[bytes] | None = None
        self._queue: deque[bytes] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._pump_thread: threading.Thread | None = None

    @property
    def env(self) -> dict[str, str]:
        """Environment that makes PulseAudio clients (ALSA's pulse plugin) use this server."""
        return {
            "PULSE_SERVER": f"unix:{self.socket}",
            "PULSE_RUNTIME_PATH": str(self.runtime),
            "PULSE_COOKIE": str(self.home / "cookie"),
        }

    def start(self) -> None:
        for folder in (self.runtime, self.home):
            folder.mkdir(parents=True, exist_ok=True)
            folder.chmod(0o700)
        # module-pipe-source makes the FIFO itself and refuses an existing one (left by a
        # killed server).
        self.fifo.unlink(missing_ok=True)
        script = self.root / "pulse.pa"
        room = "" if self.room_delay_ms is None else (
            f"load-module module-null-sink sink_name={AIR} rate={self.rate} channels=1\n"
            f"load-module module-loopback source={SINK}.monitor sink={AIR} "
            f"latency_msec={self.room_delay_ms}\n"
            f"load-module module-loopback source={SOURCE} sink={AIR} latency_msec=20\n")
        script.write_text(
            ".fail\n"
            f"load-module module-null-sink sink_name={SINK}\n"
            f"load-module module-pipe-source source_name={SOURCE} file={self.fifo} "
            f"format=s16le rate={self.rate} channels=1\n"
            f"{room}"
            f"load-module module-native-protocol-unix socket={self.socket} auth-anonymous=1\n"
            f"set-default-source {SOURCE if self.room_delay_ms is None else AIR + '.monitor'}\n"
            f"set-default-sink {SINK}\n"
        )
        env = {
            **os.environ,
            "HOME": str(self.home),
            "XDG_RUNTIME_DIR": str(self.runtime),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "PULSE_RUNTIME_PATH": str(self.runtime),
        }
        # Running as root (CI containers) works with a private runtime dir; pulseaudio only
        # warns. -n: no default.pa (no hardware probing); no idle exit; no D-Bus needed.
        with (self.root / "pulse.log").open("wb") as log:
            self._process = subprocess.Popen(
                ["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "-n", "-F", str(script),
                 "--use-pid-file=no", "--disable-shm=yes", "--log-target=stderr"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"pulseaudio exited: {self.log()}")
            probe = subprocess.run(
                ["pactl", "info"], env={**env, **self.env}, capture_output=True, check=False
            )
            if probe.returncode == 0:
                self._stopping.clear()
                self._pump_thread = threading.Thread(target=self._pump, name="pulse-mic",
                                                     daemon=True)
                self._pump_thread.start()
                return
            time.sleep(0.1)
        raise RuntimeError(f"pulseaudio did not start in 20 s: {self.log()}")

    def log(self) -> str:
        path = self.root / "pulse.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def feed(self, pcm: bytes) -> None:
        """Play 16 kHz mono s16le through the virtual microphone, after what is queued."""
        with self._lock:
            self._queue.extend(pcm[i : i + _PIECE] for i in range(0, len(pcm), _PIECE))

    def idle(self) -> bool:
        """True when everything fed has been written to the source."""
        with self._lock:
            return not self._queue

    def _pump(self) -> None:
        """Like a real microphone, the source always has samples: fed audio, else silence."""
        try:
            with self.fifo.open("wb", buffering=0) as pipe:
                started = time.monotonic()
                written = 0.0
                while not self._stopping.is_set():
                    with self._lock:
                        piece = self._queue.popleft() if self._queue else _SILENCE
                    pipe.write(piece)
                    written += len(piece) / (2 * self.rate)
                    ahead = started + written - time.monotonic() - 0.1
                    if ahead > 0:
                        time.sleep(ahead)
        except OSError:
            pass  # the server went away (a test that kills it)

    def kill(self) -> None:
        """Make the device disappear: the server dies."""
        self._stopping.set()
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=10)
        # Unblock a writer stuck opening the FIFO.
        try:
            fd = os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK)
            os.close(fd)
        except OSError:
            pass

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.kill()
        if self._pump_thread is not None:
            self._pump_thread.join(timeout=2)
