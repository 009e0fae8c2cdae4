"""The composition root wires echo cancellation only where the daemon plays and listens itself."""

from __future__ import annotations

import pytest

from nimbus.app.compose import build_handlers
from nimbus.daemon.bus import Bus
from nimbus.daemon.config import AudioConfig, Config, DaemonConfig
from nimbus.handlers.audio.echo.handler import EchoHandler
from nimbus.handlers.listening.microphone import MicrophoneSource
from nimbus.handlers.routing import CommandRouter
from nimbus.handlers.speaking.handler import SpeakerHandler

pytestmark = pytest.mark.slow  # resolves the shipped models


def test_echo_cancellation_joins_the_local_speaker_to_the_local_microphone() -> None:
    config = Config(daemon=DaemonConfig(site="desk"))  # audio input and output "auto"
    handlers = build_handlers(config, Bus())
    echo = next(h for h in handlers if isinstance(h, EchoHandler)).echo
    assert echo.site == "desk"
    microphone = next(h for h in handlers if isinstance(h, MicrophoneSource))
    speaker = next(h for h in handlers if isinstance(h, SpeakerHandler))
    assert microphone._echo is echo
    assert speaker._reference is echo.reference
    router = next(h for h in handlers if isinstance(h, CommandRouter))
    row = router.snapshot()["echo"]["desk"]
    assert row["active"] is False  # nothing loaded, no sink open, no microphone yet
    assert row["reference"] == "idle"


@pytest.mark.parametrize("audio", [AudioConfig(echo_cancel="off"), AudioConfig(input="none"),
                                   AudioConfig(output="none")])
def test_no_echo_cancellation_without_a_speaker_and_microphone_pair(audio: AudioConfig) -> None:
    handlers = build_handlers(Config(audio=audio), Bus())
    assert not any(isinstance(h, EchoHandler) for h in handlers)
    router = next(h for h in handlers if isinstance(h, CommandRouter))
    assert "echo" not in router.snapshot()


@pytest.mark.parametrize(("engine", "name"), [("hybrid", "nimbus-hybrid"), ("aec3", "webrtc-aec3")])
def test_audio_echo_engine_picks_the_canceller(engine: str, name: str) -> None:
    config = Config(audio=AudioConfig(echo_engine=engine))  # type: ignore[arg-type]
    echo = next(h for h in build_handlers(config, Bus()) if isinstance(h, EchoHandler)).echo
    echo.load()
    assert echo.engine_name == name


def test_an_unknown_echo_engine_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"audio\.echo_engine"):
        AudioConfig(echo_engine="speex")  # type: ignore[arg-type]
