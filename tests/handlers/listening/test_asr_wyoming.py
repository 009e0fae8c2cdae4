"""ASR on a remote Wyoming server: the real wyoming-faster-whisper (shipped tiny.en, by path)
behind Nimbus's own ASR handler - the same events, and the same error when it is down."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import ConfigError, load_config
from nimbus.daemon.events import Error, SpeechSegment, Transcript
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.listening.asr.handler import AsrHandler
from tests.speech import synthesize_speech, to_16k
from tests.wyoming_servers import free_port, whisper_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def whisper_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with whisper_server(tmp_path_factory.mktemp("whisper")) as uri:
        yield uri


def _segment(text: str) -> SpeechSegment:
    audio = to_16k(*synthesize_speech(text))
    return SpeechSegment(site="garden", audio=audio.tobytes(), rate=16000, final=True)


def _handler(uri: str) -> AsrHandler:
    config = load_config(None, environ={}, overrides=[
        'asr.backend="wyoming"', f'asr.uri="{uri}"', "asr.timeout_s=60"])
    return AsrHandler(Bus(), config.asr)


async def test_a_remote_server_transcribes_through_the_asr_handler(whisper_uri: str) -> None:
    handler = _handler(whisper_uri)
    bus = handler._bus
    async with EventRecorder(bus, Transcript, Error) as seen, running(handler):
        segment = _segment("Where are the garden tools kept?")
        await bus.publish(segment)
        heard = await seen.wait_for(lambda e: e.cause == segment.id, within=120)
    assert isinstance(heard, Transcript)
    assert heard.final
    assert heard.site == "garden"
    assert "garden tools" in heard.text.lower(), heard.text
    assert heard.language == "en"


async def test_a_server_that_is_down_gives_the_usual_asr_error() -> None:
    uri = f"tcp://127.0.0.1:{free_port()}"
    handler = _handler(uri)
    bus = handler._bus
    async with EventRecorder(bus, Transcript, Error) as seen, running(handler):
        segment = _segment("Hello there.")
        await bus.publish(segment)
        error = await seen.wait_for(lambda e: e.cause == segment.id, within=60)
    assert isinstance(error, Error)
    assert error.code == "asr_failed"
    assert uri in error.message
    assert "unreachable" in error.message


def test_the_wyoming_backend_needs_a_uri() -> None:
    with pytest.raises(ConfigError, match=r"asr\.uri"):
        load_config(None, environ={}, overrides=['asr.backend="wyoming"'])
