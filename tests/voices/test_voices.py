"""The voices registry: listing, cloning from a clip, bad clips, and XTTS without its extra.

XTTS itself speaks in tests/voices/test_xtts.py; here is what a user without the ``xtts`` extra
sees: a clear ``engine_unavailable`` error that says how to install it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile

from nimbus.daemon.config import Config, DaemonConfig, TtsConfig, VoiceConfig
from nimbus.voices import VoiceError, clone_voice, list_voices, load_voice
from nimbus.voices.reference import read_reference, resample
from tests.speech import synthesize_speech


def make_config(state: Path, **voices: VoiceConfig) -> Config:
    return Config(daemon=DaemonConfig(state_dir=str(state)), tts=TtsConfig(),
                  voices={"joe": VoiceConfig(), **voices})


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    speech, rate = synthesize_speech("This is my voice, please copy it. " * 3)
    path = tmp_path / "me.wav"
    soundfile.write(str(path), speech, rate, subtype="PCM_16")
    return path


HIDE_COQUI = """
import importlib.abc, sys
class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "TTS" or name.startswith("TTS."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, NotInstalled())
"""


def test_without_the_extra_xtts_says_how_to_install_it(tmp_path: Path, clip: Path) -> None:
    """A fresh process in which coqui-tts is not importable, as without ``[xtts]``."""
    model = tmp_path / "xtts_v2"
    model.mkdir()
    script = HIDE_COQUI + f"""
from pathlib import Path
from nimbus.daemon.config import Config, DaemonConfig, TtsConfig, VoiceConfig
from nimbus.voices import VoiceError, load_voice, xtts_engine
print("AVAILABLE", xtts_engine.xtts_available())
config = Config(daemon=DaemonConfig(state_dir={str(tmp_path)!r}), tts=TtsConfig(),
                voices={{"joe": VoiceConfig(),
                        "clone": VoiceConfig(engine="xtts", model={str(model)!r},
                                             speaker={str(clip)!r})}})
try:
    load_voice("clone", config)
except VoiceError as exc:
    print("ERROR", exc.code, exc.message)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    available = next(line for line in done.stdout.splitlines() if line.startswith("AVAILABLE"))
    assert "nimbus-assistant[xtts]" in available
    assert "ModuleNotFoundError" in available
    error = next(line for line in done.stdout.splitlines() if line.startswith("ERROR"))
    assert error.startswith("ERROR engine_unavailable voice 'clone'")


def test_unknown_voice_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(VoiceError) as caught:
        load_voice("nobody", make_config(tmp_path))
    assert caught.value.code == "unknown_voice"
    assert "joe" in caught.value.message


def test_clone_stores_a_mono_clip_of_at_most_30_s_and_lists_it(tmp_path: Path,
                                                                 clip: Path) -> None:
    config = make_config(tmp_path / "state")
    speech, rate = read_reference(clip)
    long = tmp_path / "long.wav"
    stereo = np.stack([np.tile(speech, 20), np.tile(speech, 20)], axis=1)  # > 30 s, 2 channels
    soundfile.write(str(long), stereo, rate, subtype="PCM_16")
    settings = clone_voice(config, "me", long, language="de")
    assert settings == config.voices_path / "me.toml"
    stored, stored_rate = soundfile.read(str(config.voices_path / "me.wav"))
    assert stored.ndim == 1
    assert stored_rate == rate
    assert len(stored) == 30 * rate
    listed = {v.name: v for v in list_voices(config)}
    assert listed["joe"].default
    assert not listed["joe"].problem
    assert listed["me"].engine == "xtts"
    assert listed["me"].origin == "cloned"
    assert listed["me"].language == "de"
    assert listed["me"].problem


@pytest.mark.parametrize("content", [b"", b"RIFF\x00\x00garbage" * 10, b"\x00" * 1000])
def test_a_corrupt_reference_clip_is_a_voice_error(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_bytes(content)
    with pytest.raises(VoiceError) as caught:
        clone_voice(make_config(tmp_path / "state"), "bad", bad)
    assert caught.value.code == "bad_reference_clip"
    assert not (tmp_path / "state" / "voices" / "bad.toml").exists()


def test_silent_short_and_missing_clips(tmp_path: Path) -> None:
    silent = tmp_path / "silent.wav"
    soundfile.write(str(silent), np.zeros(32000, np.int16), 16000)
    short = tmp_path / "short.wav"
    soundfile.write(str(short), np.full(800, 1000, np.int16), 16000)
    for path, words in ((silent, "silent"), (short, "long"), (tmp_path / "no.wav", "exist")):
        with pytest.raises(VoiceError, match=words):
            read_reference(path)
    with pytest.raises(VoiceError, match="letters"):
        clone_voice(make_config(tmp_path), "bad name!", silent)


def test_resample_keeps_duration() -> None:
    audio = np.sin(np.arange(24000) / 24000 * 2 * np.pi * 220).astype(np.float32)
    assert abs(resample(audio, 24000, 22050).size - 22050) < 50
