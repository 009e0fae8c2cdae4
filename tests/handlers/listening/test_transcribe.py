"""`nimbus transcribe FILE [--events]` in a subprocess, on real speech and on a broken file."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import NIMBUS
from tests.speech import espeak_speech, silence, synthesize_speech, to_16k, write_wav

pytestmark = pytest.mark.slow


def nimbus(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*NIMBUS, "-c", str(cwd / "none.toml"), *args],
        capture_output=True, text=True, timeout=240, cwd=cwd, check=False,
    )


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    (tmp_path / "none.toml").write_text(
        f'[daemon]\nstate_dir = "{tmp_path}"\n\n[audio]\ninput = "none"\noutput = "none"\n'
    )
    return tmp_path


def test_transcript_with_timings_and_the_command(cfg: Path) -> None:
    path = write_wav(cfg / "talk.wav", silence(0.5), synthesize_speech("Nimbus, what time is it?"),
                     silence(1.0), espeak_speech("Yonder"), silence(0.8))
    result = nimbus("transcribe", str(path), cwd=cfg)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("[")
    start, end = (float(x) for x in lines[0][1:lines[0].index("]")].split("->"))
    assert 0.1 < start < 0.6 < end < 3.0
    assert "what time is it" in lines[0].lower()
    assert lines[1].strip() == "command: What time is it?"
    assert "yonder" in lines[2].lower()
    assert lines[3].strip() == "stop"


def test_events_stream_as_json(cfg: Path) -> None:
    path = write_wav(cfg / "talk.wav", silence(0.3), synthesize_speech("Nimbus, lights off."),
                     silence(0.8))
    result = nimbus("transcribe", "--events", "--json", "--site", "porch", str(path), cwd=cfg)
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    types = [e["type"] for e in events]
    assert types == ["speech.started", "state.changed", "speech.ended", "speech.segment",
                     "transcript", "phrase.heard", "command", "state.changed"]
    assert {e["site"] for e in events} == {"porch"}
    assert events[6]["text"].rstrip(".").lower() == "lights off"
    assert events[3]["bytes"] > 16000  # audio stays out of the JSON; its size is given


def test_truncated_file_prints_what_it_heard_then_fails(cfg: Path) -> None:
    speech = np.concatenate([silence(0.3), to_16k(*synthesize_speech("Nimbus, what time is it?"))])
    full = write_wav(cfg / "full.wav", speech, silence(3.0))
    data = full.read_bytes()
    cut = cfg / "cut.wav"
    cut.write_bytes(data[: len(data) * 2 // 3])
    result = nimbus("transcribe", str(cut), cwd=cfg)
    assert result.returncode == 1
    assert "what time is it" in result.stdout.lower()  # the audio before the cut is used
    assert "truncated" in result.stderr
    assert str(cut) in result.stderr
    missing = nimbus("transcribe", str(cfg / "nope.ogg"), cwd=cfg)
    assert missing.returncode == 1
    assert "no such file" in missing.stderr
