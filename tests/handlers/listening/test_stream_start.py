"""No word lost at a stream's start: an utterance that begins at the very first sample of a
file, a WebSocket stream (a browser tab, a `nimbus satellite`) or a Wyoming transcription keeps
its first word ("Nimbus, turn on the kitchen lights." must give the command). Real models, a
real bus, real sockets on 127.0.0.1; espeak-ng speech with no silence before it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import numpy as np
import pytest
from wyoming.asr import Transcribe
from wyoming.asr import Transcript as WyTranscript
from wyoming.audio import AudioChunk as WyChunk
from wyoming.audio import AudioStart, AudioStop
from wyoming.client import AsyncTcpClient

from nimbus.cli.client import DaemonClient
from nimbus.cli.speech_gate import SpeechGate
from nimbus.daemon.bus import Bus
from nimbus.daemon.config import AsrConfig, Config
from nimbus.daemon.events import AudioChunk, Command, SpeechSegment, Transcript
from nimbus.daemon.models import resolve_vad
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.interfaces.websocket.handler import WebSocketServer
from nimbus.handlers.interfaces.wyoming.handler import WyomingServer
from nimbus.handlers.listening.asr.engine import WhisperEngine
from nimbus.handlers.listening.asr.handler import AsrHandler, lead_in
from nimbus.handlers.listening.file_source import FileSource
from nimbus.handlers.listening.phrases.handler import PhraseHandler
from nimbus.handlers.listening.vad.engine import FRAME_SAMPLES, SileroVad, VadState
from nimbus.handlers.listening.vad.handler import VadHandler, settings_from_config
from tests.handlers.interfaces.ws_helpers import make_config
from tests.speech import espeak_speech, silence, to_16k, write_wav

pytestmark = pytest.mark.slow

SENTENCE = "Nimbus, turn on the kitchen lights."


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    """The sentence from its first sample (espeak-ng starts speaking at once), then silence."""
    audio = to_16k(*espeak_speech(SENTENCE))
    assert np.abs(audio[:320].astype(np.int32)).max() > 300, "speech at the first sample"
    return np.concatenate([audio, silence(1.0)])


def test_only_speech_from_a_streams_first_sample_gets_a_lead_in(speech: np.ndarray) -> None:
    at_start = SpeechSegment(site="a", start=0.0)
    assert lead_in(at_start, speech) > 0.05
    assert lead_in(SpeechSegment(site="a", start=4.2), speech) == 0.0, "mid-stream: pre-roll"
    quiet_first = np.concatenate([silence(0.3), speech])
    assert lead_in(at_start, quiet_first) == 0.0, "a lead-in is there already"
    rng = np.random.default_rng(7)
    noise = rng.normal(0, 800, quiet_first.size)
    noisy = np.clip(quiet_first + noise, -32768, 32767).astype(np.int16)
    assert lead_in(at_start, noisy) == 0.0, "the room's noise before the speech is a lead-in"


async def test_the_first_word_of_every_kind_of_stream_is_heard(
        tmp_path: Path, speech: np.ndarray) -> None:
    config = make_config(tmp_path / "state", tmp_path / "watched", "wyoming.enabled=true",
                         "wyoming.port=0", "wyoming.zeroconf=false")
    (tmp_path / "state").mkdir()
    vad_path = resolve_vad("").path
    assert vad_path is not None
    silero = SileroVad(vad_path)
    whisper = WhisperEngine(config.asr, prompt_words=(*config.phrases.action,
                                                      *config.phrases.stop))
    asr = AsrConfig(partials=False)
    bus = Bus()
    server = WebSocketServer(config, bus)
    handlers = (
        VadHandler(bus, settings_from_config(Config().vad, asr), engine=silero),
        AsrHandler(bus, asr, engine=whisper, action_words=config.phrases.action),
        PhraseHandler(bus, config.phrases),
        server,
        WyomingServer(config, bus),
    )
    pcm = speech.astype("<i2").tobytes()
    async with EventRecorder(bus) as rec, running(*handlers), asyncio.timeout(150):
        # A file.
        source = FileSource(bus, write_wav(tmp_path / "s.wav", speech), site="file")
        async with running(source):
            await source.done.wait()
        # A browser tab: the microphone's frames from the first one.
        async with DaemonClient(server.url, site="browser") as client:
            for at in range(0, len(pcm), 2 * FRAME_SAMPLES):
                await client.send(AudioChunk(site="browser", audio=pcm[at:at + 2 * FRAME_SAMPLES]))
            await rec.wait_for(lambda e: isinstance(e, Transcript) and e.site == "browser")
        # `nimbus satellite`: its own VAD gate passes the speech (no pre-roll to give yet).
        gate, state = SpeechGate(), VadState()
        async with DaemonClient(server.url, site="satellite") as client:
            for at in range(0, len(speech) - FRAME_SAMPLES + 1, FRAME_SAMPLES):
                frame = speech[at:at + FRAME_SAMPLES]
                p = silero.probability(state, frame.astype(np.float32) / 32768)
                for passed in gate.push(frame.astype("<i2").tobytes(), p):
                    await client.send(AudioChunk(site="satellite", audio=passed))
            await rec.wait_for(lambda e: isinstance(e, Transcript) and e.site == "satellite")
        # Home Assistant asking the Wyoming server to transcribe.
        port = json.loads((tmp_path / "state" / "wyoming.json").read_text())["port"]
        async with AsyncTcpClient("127.0.0.1", port) as wy:
            await wy.write_event(Transcribe(language="en").event())
            await wy.write_event(AudioStart(rate=16000, width=2, channels=1).event())
            await wy.write_event(WyChunk(rate=16000, width=2, channels=1, audio=pcm).event())
            await wy.write_event(AudioStop().event())
            while (event := await wy.read_event()) is not None:
                if WyTranscript.is_type(event.type):
                    wyoming = WyTranscript.from_event(event).text
                    break
        for site in ("file", "browser", "satellite"):
            await rec.wait_for(lambda e, site=site: isinstance(e, Command) and e.site == site)
    for site in ("file", "browser", "satellite"):
        heard = [e for e in rec.of(Transcript) if isinstance(e, Transcript) and e.site == site]
        assert heard[0].start == 0.0, "the utterance starts at the stream's first sample"
        assert heard[0].text.lower().startswith("nimbus"), (site, heard[0].text)
        commands = [e for e in rec.of(Command) if isinstance(e, Command) and e.site == site]
        assert "kitchen lights" in commands[0].text.lower()
    assert wyoming.lower().startswith("nimbus"), wyoming
