"""`nimbus satellite`: a thin room client (microphone, local VAD, speaker) over WebSocket v1.

Microphone (PyAudio or ``--input-file``) → Silero VAD on ONNX Runtime → only speech, with
pre-roll and hang-over (:mod:`nimbus.cli.speech_gate`), is streamed as ``audio.chunk`` of the
satellite's own site. The server does the rest (its VAD, ASR, phrases, answer, voice) and sends
the site's ``audio.out`` back, which is played on the speaker (or ``--output-file``); a ``stop``
for the site silences it at once. A lost server is retried forever with full-jitter exponential
backoff, logged each time. Imports nothing heavy (no torch, llama.cpp, faster-whisper): it runs
from the thin ``nimbus-assistant[satellite]`` install.

Queues: microphone frames go through a bounded outbox (2 s); while the server is unreachable
the oldest frames are dropped and counted (a room's live speech is worthless later). Playback
has a bounded queue of answer audio that ``stop`` empties.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import random
import signal
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from nimbus.cli.client import DaemonClient, DaemonClientError
from nimbus.cli.satellite_io import (
    RATE,
    AudioFormatError,
    Sink,
    Source,
    find_vad_model,
    open_sink,
    open_source,
)
from nimbus.cli.speech_gate import GateSettings, SpeechGate
from nimbus.daemon.events import (
    ArbitrationLost,
    AudioChunk,
    AudioOut,
    Error,
    StateChanged,
    Stop,
)
from nimbus.handlers.audio.echo.handler import SiteEcho
from nimbus.handlers.listening.vad.engine import SileroVad, VadState

__all__ = ["SatelliteOptions", "register", "run_satellite"]

log = logging.getLogger("nimbus.satellite")

OUTBOX_FRAMES: Final = 64
"""2 s of microphone frames waiting for the socket."""
PLAYBACK_QUEUE: Final = 512


@dataclass(frozen=True, slots=True, kw_only=True)
class SatelliteOptions:
    site: str
    url: str
    token: str = ""
    area: str = ""
    input_file: str | None = None
    output_file: str | None = None
    state_command: str = ""
    reconnect_max_s: float = 30.0
    gate: GateSettings = field(default_factory=GateSettings)
    echo_cancel: bool = True
    """Cancel this machine's speaker from its microphone (both sound-card devices only)."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sat = sub.add_parser(
        "satellite", help="run a thin room client: microphone + speaker for a remote daemon",
        description="Stream this room's speech to a Nimbus server as its own site and play "
                    "its answers. Needs only the thin install: "
                    "pip install 'nimbus-assistant[satellite]'.")
    site = os.environ.get("NIMBUS_SITE", "")
    sat.add_argument("--site", required=not site, default=site or None,
                     help="this room's site name, e.g. kitchen (default: $NIMBUS_SITE)")
    sat.add_argument("--url", default=os.environ.get("NIMBUS_URL", "ws://127.0.0.1:8765/ws"),
                     help="the server's WebSocket URL (default: $NIMBUS_URL or "
                          "ws://127.0.0.1:8765/ws)")
    sat.add_argument("--token", default=os.environ.get("NIMBUS_WEBSOCKET__TOKEN", ""),
                     help="the server's websocket.token (default: $NIMBUS_WEBSOCKET__TOKEN)")
    sat.add_argument("--area", default=os.environ.get("NIMBUS_AREA", ""),
                     help="the room's area, e.g. Kitchen (default: $NIMBUS_AREA): Home Assistant's "
                          "suggested area for this site's device, and $NIMBUS_AREA for the "
                          "state command")
    sat.add_argument("--input-file", metavar="WAV",
                     help="read the microphone from a WAV file (real-time pace, then silence) "
                          "or a FIFO of raw 16 kHz mono s16le, instead of PyAudio")
    sat.add_argument("--output-file", metavar="WAV",
                     help="write what would be played to this WAV file instead of the speaker")
    sat.add_argument("--state-command", default="", metavar="CMD",
                     help="shell command run on every state change (idle, listening, thinking, "
                          "speaking; disconnected when the server is unreachable) with the state "
                          "as $1 and $NIMBUS_STATE, e.g. for LEDs")
    sat.add_argument("--threshold", type=float, default=0.5, help="VAD speech threshold")
    sat.add_argument("--no-echo-cancel", action="store_true",
                     help="do not cancel this machine's speaker from its microphone")
    sat.add_argument("--reconnect-max", type=float, default=30.0, metavar="SECONDS",
                     help="ceiling of the reconnect backoff")
    sat.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sat.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    options = SatelliteOptions(
        site=args.site, url=args.url, token=args.token, area=args.area,
        input_file=args.input_file, output_file=args.output_file,
        state_command=args.state_command, reconnect_max_s=args.reconnect_max,
        gate=GateSettings(threshold=args.threshold), echo_cancel=not args.no_echo_cancel)
    try:
        return asyncio.run(run_satellite(options))
    except (AudioFormatError, ExceptionGroup) as exc:
        # At start, or from a task (a speaker that cannot open at the first answer).
        reason = _first(exc, AudioFormatError)
        if reason is None:
            raise
        log.error("satellite %s: %s", args.site, reason)  # noqa: TRY400 - a clear reason
        return 2


def _first(exc: BaseException, kind: type[Exception]) -> Exception | None:
    if isinstance(exc, kind):
        return exc
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            if (found := _first(inner, kind)) is not None:
                return found
    return None


async def run_satellite(options: SatelliteOptions) -> int:
    """Serve until SIGINT/SIGTERM; raises AudioFormatError for unusable audio in or out."""
    vad = SileroVad(find_vad_model())
    echo = None
    if options.echo_cancel and not options.input_file and not options.output_file:
        echo = SiteEcho(options.site)  # the speaker's exact PCM, cancelled from the microphone
        await asyncio.to_thread(echo.load)
    source = open_source(options.input_file, echo)
    try:
        sink = open_sink(options.output_file, echo.reference if echo is not None else None)
    except AudioFormatError:
        source.close()
        raise
    satellite = _Satellite(options, vad, source, sink)
    log.info("satellite %s: microphone %s, speaker %s, VAD %s, echo cancellation %s",
             options.site, options.input_file or "(PyAudio)", options.output_file or "(PyAudio)",
             find_vad_model(), "on" if echo is not None and echo.canceller is not None else (
                 echo.problem if echo is not None and echo.problem else "off"))
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()
    assert main is not None
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, main.cancel)
    try:
        await satellite.run()
    except asyncio.CancelledError:
        log.info("satellite %s: stopping", options.site)
    finally:
        satellite.stopped.set()
        source.close()
        sink.close()
    return 0


class _Satellite:
    def __init__(self, options: SatelliteOptions, vad: SileroVad, source: Source,
                 sink: Sink) -> None:
        self.options = options
        self._vad = vad
        self._vad_state = VadState()
        self._source = source
        self._sink = sink
        self._gate = SpeechGate(options.gate)
        self._outbox: asyncio.Queue[bytes] = asyncio.Queue(OUTBOX_FRAMES)
        self._playback: asyncio.Queue[AudioOut] = asyncio.Queue(PLAYBACK_QUEUE)
        self._states: asyncio.Queue[str] = asyncio.Queue(64)
        self._connected = False
        self._said_down = False
        self._last_response: str | None = None
        self._cancelled: deque[str | None] = deque(maxlen=32)
        self.stopped = threading.Event()
        """Set by a stop: the sink returns from the piece it is playing."""
        self.dropped = 0

    async def run(self) -> None:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(self._capture(), name="satellite-mic")
            tg.create_task(self._connection(), name="satellite-link")
            tg.create_task(self._play(), name="satellite-speaker")
            tg.create_task(self._state_hook(), name="satellite-state")

    # The microphone side.
    def _listen(self) -> list[bytes]:
        frame = self._source.read()
        pcm = np.frombuffer(frame, dtype="<i2").astype(np.float32) / 32768.0
        return self._gate.push(frame, self._vad.probability(self._vad_state, pcm))

    async def _capture(self) -> None:
        was_open = False
        while True:
            frames = await asyncio.to_thread(self._listen)
            if self._gate.open != was_open:
                was_open = self._gate.open
                log.debug("satellite %s: %s", self.options.site,
                          "speech: streaming" if was_open else "silence: not streaming")
            for frame in frames:
                if not self._connected:
                    self.dropped += 1
                    continue
                if self._outbox.full():
                    self._outbox.get_nowait()
                    self.dropped += 1
                self._outbox.put_nowait(frame)

    # The server side.
    async def _connection(self) -> None:
        options = self.options
        delay = 0.5
        while True:
            try:
                async with DaemonClient(options.url, token=options.token, site=options.site,
                                        area=options.area) as client:
                    await self._session(client)
            except* (DaemonClientError, OSError) as group:
                reason = "; ".join(str(exc) for exc in group.exceptions)
                if self._connected:
                    delay = 0.5  # a session that ran resets the backoff
                if self._connected or not self._said_down:
                    self._said_down = True
                    with contextlib.suppress(asyncio.QueueFull):
                        self._states.put_nowait("disconnected")  # e.g. a red LED
                self._connected = False
                self._stop_playback()
                wait = random.uniform(0, delay)
                log.warning("satellite %s: server unreachable (%s); retrying in %.1f s "
                            "(%d microphone frames dropped so far)",
                            options.site, reason, wait, self.dropped)
                await asyncio.sleep(wait)
                delay = min(delay * 2, options.reconnect_max_s)

    async def _session(self, client: DaemonClient) -> None:
        options = self.options
        if client.site != options.site:
            raise DaemonClientError(f"the server gave us site {client.site!r}")
        await client.subscribe([AudioOut, Stop, StateChanged, Error, ArbitrationLost],
                               sites=[options.site])
        log.info("satellite %s%s: connected to %s", options.site,
                 f" ({options.area})" if options.area else "", options.url)
        self._drain_outbox()
        self._connected = True
        async with asyncio.TaskGroup() as tg:
            tg.create_task(self._send(client))
            await self._receive(client)
            raise DaemonClientError("the server closed the connection")

    def _drain_outbox(self) -> None:
        while not self._outbox.empty():
            self._outbox.get_nowait()

    async def _send(self, client: DaemonClient) -> None:
        sequence = 0
        while True:
            frame = await self._outbox.get()
            sequence += 1
            await client.send(AudioChunk(site=self.options.site, audio=frame, rate=RATE,
                                         sequence=sequence))

    async def _receive(self, client: DaemonClient) -> None:
        async for event in client.events():
            if event.site != self.options.site:
                continue
            if isinstance(event, Stop):
                log.info("satellite %s: stop (%s)", self.options.site, event.reason or "-")
                # Audio of the stopped answer may still be in flight: it is not played.
                if self._last_response is not None:
                    self._cancelled.append(self._last_response)
                self._stop_playback()
            elif isinstance(event, AudioOut) and event.audio:
                if event.response is not None and event.response in self._cancelled:
                    continue
                self._last_response = event.response
                if event.width != 2 or event.channels != 1:
                    log.warning("satellite %s: audio.out %d-byte/%d-channel not supported",
                                self.options.site, event.width, event.channels)
                    continue
                self.stopped.clear()
                await self._playback.put(event)
            elif isinstance(event, StateChanged):
                with contextlib.suppress(asyncio.QueueFull):
                    self._states.put_nowait(event.state.value)
            elif isinstance(event, ArbitrationLost):
                log.info("satellite %s: %s heard %r better and answers it", self.options.site,
                         event.winner, event.text)
            elif isinstance(event, Error) and event.stage in ("websocket", "vad"):
                # What the server refused of ours (site_taken, rate_limited, audio_stalled...).
                log.warning("satellite %s: the server says %s: %s", self.options.site,
                            event.code, event.message)

    def _stop_playback(self) -> None:
        self.stopped.set()
        while not self._playback.empty():
            self._playback.get_nowait()

    async def _play(self) -> None:
        while True:
            chunk = await self._playback.get()
            if self.stopped.is_set():
                continue
            await asyncio.to_thread(self._sink.play, chunk.audio, chunk.rate, self.stopped)

    async def _state_hook(self) -> None:
        while True:
            state = await self._states.get()
            if not self.options.state_command:
                continue
            env = {**os.environ, "NIMBUS_STATE": state, "NIMBUS_SITE": self.options.site,
                   "NIMBUS_AREA": self.options.area}
            try:
                process = await asyncio.create_subprocess_exec(
                    "/bin/sh", "-c", self.options.state_command, "nimbus-state", state, env=env)
                async with asyncio.timeout(10):
                    code = await process.wait()
            except (OSError, TimeoutError) as exc:
                log.warning("satellite %s: state command failed on %s: %s",
                            self.options.site, state, exc)
                continue
            if code:
                log.warning("satellite %s: state command exited %d on %s",
                            self.options.site, code, state)
