"""A thin install of this checkout (``nimbus-assistant[satellite]``) in its own venv, for tests.

The venv lives in ``.cache/`` at the repository root (git-ignored). Its dependencies are
installed once per ``pyproject.toml`` + ``constraints.txt`` (the stamp); this checkout itself is
reinstalled on every first use in a test session (no deps, a few seconds), so the tests run the
code under test, built as a wheel, not the editable tree.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".cache" / "satellite-thin"
HEAVY = ("torch", "llama_cpp", "faster_whisper", "sentence_transformers", "piper", "ctranslate2",
         "silero_vad", "transformers")
"""What the thin install must not contain."""


def _pip(python: Path, *args: str) -> None:
    subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q",
                    "-c", str(ROOT / "constraints.txt"), *args], check=True, timeout=900)


@cache
def thin_venv() -> Path:
    """The thin venv's bin folder, with this checkout installed (once per test session)."""
    python = VENV / "bin" / "python"
    stamp = VENV / ".installed"
    key = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()
                         + (ROOT / "constraints.txt").read_bytes()).hexdigest()
    if not (stamp.exists() and stamp.read_text() == key):
        VENV.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True,
                       timeout=300)
        _pip(python, f"{ROOT}[satellite]")
        stamp.write_text(key)
    _pip(python, "--no-deps", "--force-reinstall", str(ROOT))
    return VENV / "bin"
