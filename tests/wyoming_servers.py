"""Real Wyoming engine servers for tests: wyoming-piper and wyoming-faster-whisper (the `dev`
extra installs them) serving the models Nimbus's own packages ship, passed by path, offline."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from nimbus.daemon.config import VoiceConfig
from nimbus.daemon.models import resolve_asr, resolve_voice

__all__ = ["free_port", "piper_server", "whisper_server"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _serve(args: list[str], port: int, log_path: Path) -> Iterator[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    with log_path.open("ab") as log:
        process = subprocess.Popen([sys.executable, "-m", *args,
                                    "--uri", f"tcp://127.0.0.1:{port}"],
                                   stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{args[0]} exited: {log_path.read_text(errors='replace')}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"{args[0]} did not listen on {port}")
            time.sleep(0.2)
        yield f"tcp://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def piper_server(root: Path) -> Iterator[str]:
    """wyoming-piper serving the shipped en_US joe voice as ``joe``; yields its URI."""
    model = resolve_voice("joe", VoiceConfig()).path
    assert model is not None
    data = root / "piper-voices"
    data.mkdir(exist_ok=True)
    for suffix in (".onnx", ".onnx.json"):
        link = data / f"joe{suffix}"
        if not link.exists():
            link.symlink_to(Path(f"{model}{suffix.removeprefix('.onnx')}"))
    with _serve(["wyoming_piper", "--voice", "joe", "--data-dir", str(data),
                 "--local-files-only"], free_port(), root / "wyoming-piper.log") as uri:
        yield uri


@contextlib.contextmanager
def whisper_server(root: Path) -> Iterator[str]:
    """wyoming-faster-whisper serving the shipped tiny.en; yields its URI."""
    model = resolve_asr("").path
    assert model is not None
    data = root / "whisper-data"
    data.mkdir(exist_ok=True)
    with _serve(["wyoming_faster_whisper", "--model", str(model), "--data-dir", str(data),
                 "--local-files-only", "--stt-library", "faster-whisper", "--language", "en",
                 "--cpu-threads", "1"], free_port(), root / "wyoming-faster-whisper.log") as uri:
        yield uri
