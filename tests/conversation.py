"""A spoken conversation with a real `nimbus run`, driven from outside (tests and benchmarks).

Speech is made by the shipped Piper voice and streamed to the daemon over WebSocket as a site of
its own, paced like a microphone; every event the daemon sends back is recorded with the
client's receive time, so latencies are measured the way a user feels them.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from nimbus.cli.client import DaemonClient
from nimbus.daemon.events import AudioChunk, Event
from nimbus.handlers.audio.convert import PIPELINE_RATE
from tests.speech import silence, synthesize_speech, to_16k

__all__ = ["Heard", "Recorder", "Utterance", "daemon_config", "speak", "spoken"]

CHUNK_SAMPLES = 512
"""32 ms frames, as a browser or satellite would send them."""

LLM_SETTINGS = {
    "temperature": "0", "seed": "0", "max_tokens": "48", "n_ctx": "1024",
    "max_input_tokens": "700", "memory_tokens": "256",
}
"""Short, repeatable answers from the shipped 135M model (it invents facts when it rambles)."""


def daemon_config(path: Path, *, state_dir: Path, watch_dir: Path, mqtt_port: int | None = None,
                  llm: dict[str, str] | None = None, extra: str = "") -> Path:
    """A config for a real daemon on loopback: temp state and folder, no sound card."""
    settings = {**LLM_SETTINGS, **(llm or {})}
    text = (
        f'[daemon]\nstate_dir = "{state_dir}"\n\n'
        f'[watch]\nfolders = ["{watch_dir}"]\nsettle_s = 0.3\n\n'
        # No sound card here: the microphone and speaker are network sites (a fake would be a
        # physical device, which cannot exist on this machine).
        '[audio]\ninput = "none"\noutput = "none"\n\n'
        '[websocket]\nport = 0\n\n'
        "[llm]\n" + "".join(f"{k} = {v}\n" for k, v in settings.items()) + "\n"
    )
    if mqtt_port is not None:
        text += f'[mqtt]\nenabled = true\nhost = "127.0.0.1"\nport = {mqtt_port}\n\n'
    path.write_text(text + extra, encoding="utf-8")
    return path


@dataclass(frozen=True, slots=True)
class Utterance:
    """16 kHz mono speech with silence around it; ``speech_end`` is the sample where it stops."""

    text: str
    audio: npt.NDArray[np.int16]
    speech_end: int


def spoken(text: str, *, lead_s: float = 0.3, tail_s: float = 1.5) -> Utterance:
    speech = to_16k(*synthesize_speech(text))
    audio = np.concatenate([silence(lead_s), speech, silence(tail_s)])
    return Utterance(text, audio, int(lead_s * PIPELINE_RATE) + len(speech))


async def speak(client: DaemonClient, utterance: Utterance, *, pace: float = 1.0,
                sequence: int = 0) -> float:
    """Stream the utterance at ``pace`` x real time; the monotonic time its speech ended.

    The returned time is when the chunk holding the last speech sample was sent: from then on
    the user is silent and waiting, which is where voice-to-voice latency starts.
    """
    audio = utterance.audio
    started = time.monotonic()
    speech_ended = started
    for index, offset in enumerate(range(0, len(audio), CHUNK_SAMPLES)):
        due = started + offset / PIPELINE_RATE / pace
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        piece = audio[offset:offset + CHUNK_SAMPLES]
        await client.send(AudioChunk(site=client.site, audio=piece.tobytes(),
                                     rate=PIPELINE_RATE, sequence=sequence + index))
        if offset <= utterance.speech_end < offset + CHUNK_SAMPLES:
            speech_ended = time.monotonic()
    return speech_ended


@dataclass(frozen=True, slots=True)
class Heard:
    """One event and when the client received it (time.monotonic())."""

    at: float
    event: Event


@dataclass
class Recorder:
    """Everything a client receives, with receive times; ``wait_for`` blocks on a predicate."""

    heard: list[Heard] = field(default_factory=list)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    @classmethod
    @contextlib.asynccontextmanager
    async def on(cls, client: DaemonClient) -> AsyncIterator[Recorder]:
        recorder = cls()
        ready = asyncio.Event()

        async def pump() -> None:
            events = client.events()
            ready.set()
            async for event in events:
                async with recorder._changed:
                    recorder.heard.append(Heard(time.monotonic(), event))
                    recorder._changed.notify_all()

        async with asyncio.TaskGroup() as tg:
            task = tg.create_task(pump(), name="recorder")
            await ready.wait()
            await asyncio.sleep(0)  # the tap is registered once the generator has started
            try:
                yield recorder
            finally:
                task.cancel()

    def since(self, mark: int) -> list[Heard]:
        return self.heard[mark:]

    def events(self, mark: int = 0) -> list[Event]:
        return [h.event for h in self.heard[mark:]]

    async def wait_for(self, check: Callable[[Event], bool], *, after: int = 0,
                       timeout: float = 120.0) -> Heard:  # noqa: ASYNC109 - a helper
        """The first event at or after index ``after`` for which ``check`` is true."""
        async with asyncio.timeout(timeout), self._changed:
            index = after
            while True:
                while index < len(self.heard):
                    if check(self.heard[index].event):
                        return self.heard[index]
                    index += 1
                await self._changed.wait()
