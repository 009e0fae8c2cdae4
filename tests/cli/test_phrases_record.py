"""`nimbus phrases enroll --record` against a real PulseAudio server, Silero VAD and Whisper.

The sound card is the one thing that cannot exist here: a private PulseAudio (tests/pulse.py)
stands in for it, and PyAudio reads its virtual microphone through ALSA's pulse plugin as it
would a USB microphone. The user is espeak-ng, speaking each take when its prompt is printed
(the prompt comes once the microphone is open, so nothing said after it is lost).
"""

from __future__ import annotations

import re
import sys
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from nimbus.cli import main as cli_main
from nimbus.handlers.listening.phrases.template import load_templates
from tests.pulse import PulseServer, pulseaudio_available
from tests.speech import espeak_speech, silence, to_16k

needs_pulse = pytest.mark.skipif(
    not pulseaudio_available(), reason="needs the pulseaudio + pulseaudio-utils Debian packages")

_PROMPT = re.compile(r'^take (\d+)/(\d+): say "Nimbus" now$', re.MULTILINE)


@pytest.fixture
def pulse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PulseServer]:
    monkeypatch.setenv("NIMBUS_CONFIG", str(tmp_path / "none.toml"))
    with PulseServer(tmp_path) as server:
        for key, value in server.env.items():
            monkeypatch.setenv(key, value)
        yield server


class Speaker:
    """The CLI's stdout: each prompt printed makes the virtual microphone say the next take."""

    def __init__(self, pulse: PulseServer, takes: list[npt.NDArray[np.int16]]) -> None:
        self._pulse = pulse
        self._takes = list(takes)
        self.text = ""
        self.prompts: list[str] = []

    def write(self, text: str) -> int:
        self.text += text
        found = _PROMPT.findall(self.text)
        while len(self.prompts) < len(found):
            self.prompts.append("/".join(found[len(self.prompts)]))
            if self._takes:
                take = self._takes.pop(0)
                self._pulse.feed(np.concatenate([silence(0.3), take, silence(1.0)]).tobytes())
        return len(text)

    def flush(self) -> None:
        pass


def say(text: str, speed: int = 150) -> npt.NDArray[np.int16]:
    return to_16k(*espeak_speech(text, speed=speed))


def enroll(state: Path, *extra: str) -> int:
    return cli_main(["--set", f"daemon.state_dir={state}", "--set", "audio.input_device=pulse",
                     "phrases", "enroll", "--record", *extra])


@needs_pulse
@pytest.mark.slow
def test_three_takes_said_into_the_microphone_are_enrolled(
    tmp_path: Path, pulse: PulseServer, monkeypatch: pytest.MonkeyPatch,
) -> None:
    speaker = Speaker(pulse, [say("Nimbus.", speed) for speed in (140, 150, 165)])
    monkeypatch.setattr(sys, "stdout", speaker)
    state = tmp_path / "state"
    assert enroll(state) == 0
    assert speaker.prompts == ["1/3", "2/3", "3/3"]
    assert "enrolled 3 rendition(s) of 'Nimbus'" in speaker.text
    templates = load_templates(state / "phrase-templates.npz")
    assert (templates.phrase, len(templates.renditions)) == ("Nimbus", 3)


@needs_pulse
@pytest.mark.slow
def test_a_take_without_the_phrase_is_asked_for_again(
    tmp_path: Path, pulse: PulseServer, monkeypatch: pytest.MonkeyPatch,
) -> None:
    speaker = Speaker(pulse, [say("Good morning."),
                              *(say("Nimbus.", speed) for speed in (140, 150, 165))])
    monkeypatch.setattr(sys, "stdout", speaker)
    state = tmp_path / "state"
    takes = tmp_path / "takes"
    assert enroll(state, "--save-takes", str(takes)) == 0
    assert speaker.prompts == ["1/3", "1/3", "2/3", "3/3"]
    refusal = re.search(r"^take 1/3: 'Nimbus' not heard \(heard: '([^']*)'\); again", speaker.text,
                        re.MULTILINE)
    assert refusal is not None, speaker.text
    assert "morning" in refusal.group(1).lower()
    assert "enrolled 3 rendition(s) of 'Nimbus'" in speaker.text
    assert len(load_templates(state / "phrase-templates.npz").renditions) == 3
    # Every take is kept as a WAV, the refused one under its own name.
    assert sorted(p.name for p in takes.iterdir()) == [
        "take-1-refused-1.wav", "take-1.wav", "take-2.wav", "take-3.wav"]
    with wave.open(str(takes / "take-1.wav")) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (16000, 1, 2)
        assert 0.5 < wav.getnframes() / 16000 < 4.0


@needs_pulse
@pytest.mark.slow
def test_no_speech_stops_with_a_clear_error_and_stores_nothing(
    tmp_path: Path, pulse: PulseServer, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    speaker = Speaker(pulse, [])  # the microphone hears only silence
    monkeypatch.setattr(sys, "stdout", speaker)
    state = tmp_path / "state"
    assert enroll(state) == 1
    assert speaker.prompts == ["1/3"]
    err = capsys.readouterr().err
    assert "take 1/3: no speech heard in 10 s" in err
    assert "nothing stored" in err
    assert not (state / "phrase-templates.npz").exists()


@needs_pulse
def test_a_microphone_that_does_not_exist_names_the_ones_that_do(
    tmp_path: Path, pulse: PulseServer, capsys: pytest.CaptureFixture[str],
) -> None:
    state = tmp_path / "state"
    code = cli_main(["--set", f"daemon.state_dir={state}",
                     "--set", "audio.input_device=no-such-microphone",
                     "phrases", "enroll", "--record"])
    assert code == 1
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "cannot open the microphone" in lines[0]
    assert "no-such-microphone" in lines[0]
    assert "'pulse'" in lines[0]  # the devices that exist
    assert "say" not in out  # no prompt
    assert not (state / "phrase-templates.npz").exists()


def test_files_and_record_do_not_go_together(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as both:
        cli_main(["phrases", "enroll", "--record", str(tmp_path / "take.wav")])
    with pytest.raises(SystemExit) as neither:
        cli_main(["phrases", "enroll"])
    with pytest.raises(SystemExit) as too_few:
        cli_main(["phrases", "enroll", "--record", "--takes", "2"])
    assert (both.value.code, neither.value.code, too_few.value.code) == (2, 2, 2)
