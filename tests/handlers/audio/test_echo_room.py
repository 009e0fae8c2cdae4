"""The assistant's own voice, cancelled in real time, in a PulseAudio room.

A private PulseAudio server is the room (tests/pulse.py): the daemon's speaker plays into a null
sink, a loopback carries it 60 ms later into the "air" sink, and the microphone records the
air. The real speaker (Piper), microphone, echo canceller, VAD, ASR and phrase stage run on one
bus, wired as `nimbus run` wires them. Not real: the sound card and the acoustics (PulseAudio's
loopback is a delay without reverberation; reverberant rooms are the offline benchmark's,
`python -m benchmarks bargein`).

An answer that itself says "Yonder" and "Nimbus" must play to its end. The user's "Yonder!"
(espeak) fed into the air 6 dB quieter than the assistant's voice three seconds into a long
answer should cut it: not yet reliable in this room (the xfail says why).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import AsrConfig, AudioConfig, Config, DaemonConfig, TtsConfig
from nimbus.daemon.events import (
    Command,
    PlaybackFinished,
    PlaybackStarted,
    Say,
    Stop,
    Transcript,
)
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
ANSWER = ("Yonder lies the old mill, about two miles past the bridge. Nimbus can tell you more "
          "about it: look yonder, by the river, and you will see its wheel.")


@pytest.fixture
def room(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PulseServer]:
    with PulseServer(tmp_path, room_delay_ms=60) as server:
        for key, value in server.env.items():
            monkeypatch.setenv(key, value)
        yield server


def voiced_rms(pcm: npt.NDArray[np.int16]) -> float:
    wide = pcm.astype(np.float64)
    return float(np.sqrt(np.mean(wide[np.abs(wide) > 0.05 * np.abs(wide).max()] ** 2)))


class Stack:
    """The daemon's speaker, microphone, canceller, VAD, ASR and phrases on one bus."""

    def __init__(self) -> None:
        config = Config(daemon=DaemonConfig(site=SITE),
                        audio=AudioConfig(input="microphone", input_device="pulse",
                                          output="speaker", output_device="pulse"),
                        asr=AsrConfig(noisy_model=""),
                        # Barge-in stays off: the VAD still hears the canceller's residue of
                        # the answer's first second or two (docs/listening.md).
                        tts=TtsConfig(barge_in="off"))
        self.bus = Bus()
        self.echo = echo = SiteEcho(SITE)
        self.speaker = SpeakerHandler(config, self.bus, reference=echo.reference)
        self.handlers = [
            EchoHandler(self.bus, echo),
            self.speaker,
            MicrophoneSource(self.bus, config.audio, site=SITE, echo=echo),
            VadHandler(self.bus, settings_from_config(config.vad, config.asr)),
            AsrHandler(self.bus, config.asr, prompt_words=("Nimbus", "Yonder")),
            PhraseHandler(self.bus, config.phrases, cancelling=lambda site: echo.active()),
        ]

    async def warm_up(self, rec: EventRecorder) -> None:
        """A daemon has spoken before: the canceller adapts over its first seconds of audio."""
        warm = Say(site=SITE, text="Ready when you are; ask me anything about the old mill.")
        await self.bus.publish(warm)
        await rec.wait_for(lambda e: isinstance(e, PlaybackFinished) and e.response == warm.id,
                           within=60)


async def test_an_answer_saying_yonder_and_nimbus_plays_to_its_end(room: PulseServer) -> None:
    stack = Stack()
    async with EventRecorder(stack.bus) as rec, running(*stack.handlers):
        await stack.warm_up(rec)
        await asyncio.sleep(0.5)
        first = len(rec.events)
        said = Say(site=SITE, text=ANSWER)
        await stack.bus.publish(said)
        whole = await rec.wait_for(lambda e: isinstance(e, PlaybackFinished)
                                   and e.response == said.id, within=60)
        active = stack.echo.active()
        await asyncio.sleep(1.5)  # the ASR's last transcripts of the answer's tail
        status = stack.echo.status()
    stack.speaker.close()
    assert isinstance(whole, PlaybackFinished)
    after = rec.events[first:]
    # A stop while the answer plays would cut it; one heard in the echo's tail after it ended
    # stops nothing (issue 25 is open: the bargein benchmark still counts 1-2 self-stops in 50
    # answers, and this room once heard "Yonder." in the tail). A command is a self-wake
    # whenever it comes.
    stops = [e for e in after if isinstance(e, Stop) and e.time < whole.time]
    wakes = [e for e in after if isinstance(e, Command)]
    heard = "; ".join(e.text for e in after if isinstance(e, Transcript) and e.final)
    assert not whole.cancelled, f"{stops} heard: {heard}"  # its own "yonder" did not stop it
    assert whole.seconds > 8.0
    assert not stops, f"{stops} heard: {heard}"
    assert not wakes, f"{wakes} heard: {heard}"  # ... nor did its own "Nimbus" wake it
    assert active  # the microphone ran through the canceller, fed by the speaker
    assert status["sink"] == "speaker 'pulse'"
    assert status["erle_db"] is not None
    assert status["delay_ms"] is not None
    assert status["while_playing_s"] > 5.0


@pytest.mark.xfail(strict=False, reason=(
    "issue 25, open: in this room the echo path drifts and jumps by samples to milliseconds "
    "(a least-squares FIR fitted on 1 s of it cancels -3 to 19 dB on the next 0.5 s), so the "
    "linear canceller never fits and the hybrid gives AEC3's output, which gates the user; "
    "heard in 1 of 10 runs on 2026-12-07 (one run with the loopback's rate adjustment off; "
    "load average 2.4-5.6), and in 6 of 7 after the linear filter's floor and the hybrid's "
    "hold (15:30 UTC, load average 2.5-8; docs/listening.md): not yet reliable"))
async def test_the_stop_phrase_cuts_a_long_answer_at_minus_6_db(room: PulseServer) -> None:
    stack = Stack()
    # The user, 6 dB quieter than the assistant's voice in the air (the loopback carries the
    # speaker at unit gain; the user is fed into the same air).
    user = to_16k(*espeak_speech("Yonder!", voice="en-gb", speed=150))
    assistant = to_16k(*synthesize_speech(LONG))
    user = (user * (voiced_rms(assistant) / voiced_rms(user) / 2)).astype(np.int16)
    async with EventRecorder(stack.bus) as rec, running(*stack.handlers):
        await stack.warm_up(rec)
        long = Say(site=SITE, text=LONG)
        await stack.bus.publish(long)
        await rec.wait_for(lambda e: isinstance(e, PlaybackStarted) and e.response == long.id,
                           within=30)
        await asyncio.sleep(3.0)
        room.feed(user.tobytes())
        try:
            stop = await rec.wait_for(Stop, within=15)
        except TimeoutError:
            heard = [e.text for e in rec.of(Transcript) if isinstance(e, Transcript)]
            pytest.fail(f"no stop; heard {heard}; echo {stack.echo.status()}")
        cut = await rec.wait_for(lambda e: isinstance(e, PlaybackFinished)
                                 and e.response == long.id, within=5)
    stack.speaker.close()
    assert isinstance(stop, Stop)
    assert stop.reason == "stop phrase"
    assert isinstance(cut, PlaybackFinished)
    assert cut.cancelled
    assert cut.seconds < 8.0  # the long answer is ~15 s
