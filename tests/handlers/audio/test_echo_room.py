"""The stop phrase over the assistant's own voice, in real time, in a PulseAudio room.

A private PulseAudio server is the room (tests/pulse.py): the daemon's speaker plays into a null
sink, a loopback carries it 60 ms later into the "air" sink, the user's voice is played into the
air too, and the microphone records the air. The real speaker (Piper), microphone, echo
canceller, VAD, ASR and phrase stage run on one bus, as `nimbus run` wires them. Not real: the
sound card and the acoustics (PulseAudio's loopback is a delay without reverberation; the
reverberant rooms are the offline benchmark's, `python -m benchmarks bargein`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import AsrConfig, AudioConfig, Config, DaemonConfig
from nimbus.daemon.events import PlaybackFinished, PlaybackStarted, Say, Stop, Transcript
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.audio.echo.handler import EchoHandler, SiteEcho
from nimbus.handlers.listening.asr.handler import AsrHandler
from nimbus.handlers.listening.microphone import MicrophoneSource
from nimbus.handlers.listening.phrases.handler import PhraseHandler
from nimbus.handlers.listening.vad.handler import VadHandler, settings_from_config
from nimbus.handlers.speaking.handler import SpeakerHandler
from tests.pulse import PulseServer, pulseaudio_available
from tests.speech import espeak_speech, synthesize_speech, to_16k

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not pulseaudio_available(),
                       reason="needs the pulseaudio + pulseaudio-utils Debian packages"),
]

SITE = "desk"
LONG = ("The museum opens at nine in the morning and closes at five in the afternoon. The "
        "guided tour starts every hour on the hour, and the cafe on the ground floor serves "
        "lunch until three. Tickets are cheaper online, and children under twelve go free.")
YONDER = "The old mill lies yonder, by the river."


@pytest.fixture
def room(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PulseServer]:
    with PulseServer(tmp_path, room_delay_ms=60) as server:
        for key, value in server.env.items():
            monkeypatch.setenv(key, value)
        yield server


def voiced_rms(pcm: npt.NDArray[np.int16]) -> float:
    wide = pcm.astype(np.float64)
    return float(np.sqrt(np.mean(wide[np.abs(wide) > 0.05 * np.abs(wide).max()] ** 2)))


async def test_the_stop_phrase_cuts_an_answer_at_minus_6_db_and_its_own_yonder_does_not(
        room: PulseServer) -> None:
    config = Config(daemon=DaemonConfig(site=SITE),
                    audio=AudioConfig(input="microphone", input_device="pulse",
                                      output="speaker", output_device="pulse"),
                    asr=AsrConfig(noisy_model=""))
    bus = Bus()
    echo = SiteEcho(SITE)
    handlers = [
        EchoHandler(bus, echo),
        SpeakerHandler(config, bus, reference=echo.reference),
        MicrophoneSource(bus, config.audio, site=SITE, echo=echo),
        VadHandler(bus, settings_from_config(config.vad, config.asr)),
        AsrHandler(bus, config.asr, prompt_words=("Nimbus", "Yonder")),
        PhraseHandler(bus, config.phrases, cancelling=lambda site: echo.active()),
    ]
    # The user, 6 dB quieter than the assistant's voice in the air.
    user = to_16k(*espeak_speech("Yonder!", voice="en-gb", speed=150))
    assistant = to_16k(*synthesize_speech(LONG))
    user = (user * (voiced_rms(assistant) / voiced_rms(user) / 2)).astype(np.int16)
    async with EventRecorder(bus) as rec, running(*handlers):
        warm = Say(site=SITE, text="Ready when you are.")
        await bus.publish(warm)  # a fresh server starts its first stream late; and AEC3 adapts
        await rec.wait_for(lambda e: isinstance(e, PlaybackFinished) and e.response == warm.id,
                           within=30)
        assert echo.active()

        answer = Say(site=SITE, text=LONG)
        await bus.publish(answer)
        await rec.wait_for(lambda e: isinstance(e, PlaybackStarted) and e.response == answer.id,
                           within=30)
        await asyncio.sleep(3.0)
        room.feed(user.tobytes())
        try:
            stop = await rec.wait_for(Stop, within=15)
        except TimeoutError:
            heard = [e.text for e in rec.of(Transcript) if isinstance(e, Transcript) and e.final]
            pytest.fail(f"no stop; heard {heard}; echo {echo.status()}")
        cut = await rec.wait_for(lambda e: isinstance(e, PlaybackFinished)
                                 and e.response == answer.id, within=5)

        said = Say(site=SITE, text=YONDER)
        await bus.publish(said)
        whole = await rec.wait_for(lambda e: isinstance(e, PlaybackFinished)
                                   and e.response == said.id, within=30)
        await asyncio.sleep(1.5)  # the ASR's last transcript of the answer's tail
        status = echo.status()
    for handler in handlers:
        if isinstance(handler, SpeakerHandler):
            handler.close()
    assert isinstance(stop, Stop)
    assert stop.reason == "stop phrase"
    assert isinstance(cut, PlaybackFinished)
    assert cut.cancelled
    assert cut.seconds < 8.0  # the answer is ~15 s long
    assert isinstance(whole, PlaybackFinished)
    assert not whole.cancelled  # its own "yonder" did not stop it
    assert rec.of(Stop) == [stop]
    assert status["erle_db"] is not None
    assert status["erle_db"] > 10
