"""A voice on a remote Wyoming TTS server: the real wyoming-piper serving the shipped voice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nimbus.daemon.config import ConfigError, load_config
from nimbus.voices import VoiceError, list_voices, load_voice
from tests.wyoming_servers import free_port, piper_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def piper_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with piper_server(tmp_path_factory.mktemp("piper")) as uri:
        yield uri


def _config(tmp_path: Path, uri: str, model: str = "joe") -> object:
    return load_config(None, environ={}, overrides=[
        f'daemon.state_dir="{tmp_path}"', 'voices.remote.engine="wyoming"',
        f'voices.remote.uri="{uri}"', f'voices.remote.model="{model}"'])


def test_a_remote_voice_speaks_and_longer_text_is_longer(tmp_path: Path, piper_uri: str) -> None:
    config = _config(tmp_path, piper_uri)
    voice = load_voice("remote", config)  # type: ignore[arg-type]
    assert voice.sample_rate == 22050
    short = b"".join(voice.synthesize("Hello."))
    long = b"".join(voice.synthesize("Hello. The green shed near the gate holds every tool."))
    assert 0.3 < len(short) / 2 / 22050 < len(long) / 2 / 22050
    assert list(voice.synthesize("   ")) == []
    (info,) = [v for v in list_voices(config) if v.name == "remote"]  # type: ignore[arg-type]
    assert info.engine == "wyoming"
    assert piper_uri in info.model


def test_a_server_that_is_down_is_a_clear_voice_error(tmp_path: Path) -> None:
    uri = f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(VoiceError) as caught:
        load_voice("remote", _config(tmp_path, uri))  # type: ignore[arg-type]
    assert caught.value.code == "voice_unavailable"
    assert uri in caught.value.message
    assert "refused" in caught.value.message.lower()


def test_a_wyoming_voice_needs_a_uri() -> None:
    with pytest.raises(ConfigError, match="tcp://HOST:PORT"):
        load_config(None, environ={}, overrides=['voices.remote.engine="wyoming"'])
