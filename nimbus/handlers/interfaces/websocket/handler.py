"""The WebSocket server handler: protocol v1 clients in and out, the browser page on the same port.

Back-pressure, written down:

* one bus subscription feeds every client (the *fan-out*); it never awaits a client - each
  event is encoded once and pushed without waiting onto each interested client's bounded
  :class:`~nimbus.handlers.interfaces.websocket.protocol.OutQueue`;
* each client has one sender task draining its queue into the socket; a client that does not
  read fills its queue, loses audio frames first, and is disconnected (close 4001) when only
  events are left and the queue is still full - the pipeline and other clients never wait;
* incoming messages are read one at a time per client and published with ``await``: a client
  sending faster than the bus takes events is slowed by TCP, nobody else is.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import os
import secrets
import time
from pathlib import Path
from typing import Any, Final

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config, ConfigError
from nimbus.daemon.events import (
    AssistantState,
    AudioChunk,
    AudioEvent,
    Error,
    Event,
    Ingest,
    SatelliteState,
    StateChanged,
    Stop,
)
from nimbus.handlers.interfaces.websocket import protocol as proto
from nimbus.handlers.interfaces.websocket.browser import WS_PATH, route

__all__ = ["DAEMON_FILE", "WebSocketServer"]

log = logging.getLogger(__name__)

DAEMON_FILE: Final = "daemon.json"
"""Written into the state dir once the server is bound: pid, ws_url, http_url, protocol."""
_BUSY: Final = (AssistantState.THINKING, AssistantState.SPEAKING)
MIC_HOLD_S: Final = 1.0
"""A site's microphone belongs to the connection that streamed it until this long after its
last frame (see ``site_taken``)."""


class _Client:
    """One connected, welcomed client."""

    def __init__(self, conn: ServerConnection, site: str, config: Config) -> None:
        ws = config.websocket
        self.conn = conn
        self.site = site
        self.filter = proto.EventFilter()
        # Bounded in count and bytes; overflow policy in OutQueue: audio first, then disconnect.
        self.out = proto.OutQueue(ws.client_queue, ws.client_queue_bytes)
        self.wake = asyncio.Event()
        self.kicked = asyncio.Event()
        self.commands = proto.RateLimiter(ws.commands_per_second, 2 * ws.commands_per_second)
        self.audio = proto.RateLimiter(ws.audio_frames_per_second, 2 * ws.audio_frames_per_second)
        self.audio_time = proto.RateLimiter(ws.max_audio_speed, ws.audio_burst_s)
        """Seconds of audio: a room streaming faster than real time is cut back."""
        self.reported_at = float("-inf")

    def offer(self, frame: str | bytes, *, audio: bool) -> None:
        """Queue a frame without waiting (called from the fan-out)."""
        if self.kicked.is_set():
            return
        if self.out.push(frame, audio=audio) is proto.Push.OVERFLOW:
            log.warning("websocket client %s is too far behind (%d queued): disconnecting",
                        self.site, len(self.out))
            self.kicked.set()
            return
        self.wake.set()


class WebSocketServer:
    """Serves protocol v1 on ``ws://host:port/ws`` and the browser client on ``http://host:port/``."""

    name = "websocket"

    def __init__(self, config: Config, bus: Bus) -> None:
        self._config = config
        self._ws = config.websocket
        self._bus = bus
        self._server: Server | None = None
        self.serving = asyncio.Event()
        """Set while clients are served (the daemon reports ready after that)."""
        self._clients: set[_Client] = set()
        self._connections = 0
        self._sites: set[str] = {config.daemon.site}
        # The connection streaming each site's microphone, and when it last sent audio: a second
        # one would interleave two rooms' audio into one VAD stream, so its frames are refused
        # (`site_taken`) until the first has been quiet for MIC_HOLD_S (a satellite streams
        # only speech; a link that died without a close must not hold the site).
        self._microphones: dict[str, tuple[_Client, float]] = {}
        self._states: dict[str, AssistantState] = {}
        """Each site's assistant state (to stop an answer whose only listener left)."""
        self.port: int | None = None

    @property
    def clients(self) -> int:
        return len(self._clients)

    @property
    def url(self) -> str:
        host = self._ws.host
        if host in ("0.0.0.0", "", "::"):
            host = "127.0.0.1"
        if ":" in host:
            host = f"[{host}]"
        return f"ws://{host}:{self.port}{WS_PATH}"

    async def prepare(self) -> None:
        if self._server is not None:
            return
        if not self._ws.token and not proto.is_loopback(self._ws.host):
            raise ConfigError(f"websocket.host = {self._ws.host!r} needs websocket.token")
        host = "127.0.0.1" if self._ws.host == "localhost" else self._ws.host
        self._server = await serve(
            self._connection,
            host,
            self._ws.port,
            process_request=self._process_request,
            max_size=self._ws.max_message_bytes,
            max_queue=16,
            write_limit=65536,
            compression=None,  # PCM does not compress; no inflate bombs either
            close_timeout=2,
            server_header="nimbus",
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._write_daemon_file()
        log.info("websocket listening on %s (browser client at http://%s)", self.url,
                 self.url.removeprefix("ws://").removesuffix(WS_PATH))

    def _daemon_file(self) -> Path:
        return self._config.state_path / DAEMON_FILE

    def _write_daemon_file(self, *, ready: bool = False) -> None:
        """Bound (``ready`` false: models still loading, connections are refused) or serving."""
        path = self._daemon_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "pid": os.getpid(),
            "ws_url": self.url,
            "http_url": self.url.replace("ws://", "http://", 1).removesuffix(WS_PATH) + "/",
            "protocol": proto.PROTOCOL_VERSION,
            "site": self._config.daemon.site,
            "ready": ready,
        }
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        tmp.replace(path)

    def _remove_daemon_file(self) -> None:
        path = self._daemon_file()
        with contextlib.suppress(OSError, ValueError):
            if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
                path.unlink()

    async def run(self) -> None:
        if self._server is None:
            await self.prepare()
        try:
            async with self._bus.subscribe(Event, name="websocket", maxsize=4096) as events:
                self.serving.set()  # subscribed first: a client's first reply is not missed
                self._write_daemon_file(ready=True)
                async for event in events:
                    self._fan_out(event)
                    # Let the senders run between events: a burst drained from the bus in one
                    # go must not look like "too far behind" to clients that are reading.
                    await asyncio.sleep(0)
        finally:
            self.serving.clear()
            if self._server is not None:
                self._server.close()  # closes every connection with 1001 going away
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(3):
                        await self._server.wait_closed()
                self._server = None
            self._remove_daemon_file()

    def _fan_out(self, event: Event) -> None:
        if isinstance(event, StateChanged):
            self._sites.add(event.site)
            self._states[event.site] = event.state
        frame: str | bytes | None = None
        audio = isinstance(event, AudioEvent)
        for client in tuple(self._clients):
            if not client.filter.wants(event):
                continue
            if frame is None:
                try:
                    frame = proto.encode_event(event)
                except (TypeError, ValueError):
                    log.exception("cannot encode %s for websocket clients", event.type.value)
                    return
            client.offer(frame, audio=audio)

    # --- one connection ----------------------------------------------------------------------

    def _process_request(self, conn: ServerConnection, request: Request) -> Response | None:
        return route(request, self._ws.allowed_origins)

    async def _connection(self, conn: ServerConnection) -> None:
        self._connections += 1
        try:
            await self._serve_connection(conn)
        finally:
            self._connections -= 1

    async def _serve_connection(self, conn: ServerConnection) -> None:
        if not self.serving.is_set():
            # Bound early so the port is known, but the handlers are still loading models:
            # commands now would reach a bus nobody listens to yet.
            await conn.close(proto.CLOSE_FULL, "starting: loading models, try again shortly")
            return
        if self._connections > self._ws.max_clients:
            await conn.close(proto.CLOSE_FULL, "too many clients")
            return
        try:
            async with asyncio.timeout(self._ws.hello_timeout_s):
                raw = await conn.recv()
            hello = proto.parse_hello(raw)
        except (TimeoutError, proto.ProtocolError):
            await conn.close(proto.CLOSE_POLICY)
            return
        except ConnectionClosed:
            return
        if self._ws.token and not hmac.compare_digest(
            hello.token.encode(), self._ws.token.encode()
        ):
            log.warning("websocket client %s: bad token", conn.remote_address)
            await conn.close(proto.CLOSE_POLICY)
            return
        if hello.protocol != proto.PROTOCOL_VERSION:
            await conn.close(proto.CLOSE_PROTOCOL,
                             f"protocol {hello.protocol} unsupported; this server speaks "
                             f"{proto.PROTOCOL_VERSION}")
            return
        site = hello.site or f"ws-{secrets.token_hex(3)}"
        client = _Client(conn, site, self._config)
        self._sites.add(site)
        client.offer(proto.welcome_message(site=site, sites=self._sites, limits=self._limits()),
                     audio=False)
        self._clients.add(client)
        log.info("websocket client connected: site=%s from %s", site, conn.remote_address)
        if hello.area:  # a satellite saying where it stands (`nimbus satellite --area`)
            await self._satellite_state(client, "connected", hello.area)
        try:
            async with asyncio.TaskGroup() as tg:
                sender = tg.create_task(self._send_loop(client), name=f"ws-send:{site}")
                kicker = tg.create_task(self._kick_when_behind(client), name=f"ws-kick:{site}")
                try:
                    await self._receive_loop(client)
                finally:
                    sender.cancel()
                    kicker.cancel()
        finally:
            self._clients.discard(client)
            log.info("websocket client gone: site=%s (%s)", site, conn.close_code)
            await self._left(client)
            if hello.area:
                await self._satellite_state(client, "disconnected", hello.area)

    async def _left(self, client: _Client) -> None:
        """A connection ended: close its microphone's utterance; stop an answer nobody hears."""
        site = client.site
        if self._microphones.get(site, (None, 0.0))[0] is client:
            del self._microphones[site]
            # End of stream: speech cut off by the drop is closed now, not when the site
            # next speaks (the VAD would glue the two together).
            await self._bus.publish(AudioChunk(site=site, audio=b""))
        if (site == self._config.daemon.site or any(c.site == site for c in self._clients)
                or self._states.get(site) not in _BUSY):
            return
        message = (f"site {site!r} went away in the middle of an answer: the answer is "
                   "stopped (nobody is there to hear it)")
        log.warning("websocket: %s", message)
        await self._bus.publish(Error(code="client_gone", message=message, stage=self.name,
                                      site=site))
        await self._bus.publish(Stop(site=site, reason="client disconnected"))

    async def _satellite_state(self, client: _Client, state: str, area: str) -> None:
        peer = client.conn.remote_address
        uri = f"ws://{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else ""
        await self._bus.publish(SatelliteState(site=client.site, state=state, uri=uri,
                                               name=f"websocket {client.site}", area=area))

    def _limits(self) -> dict[str, float | int]:
        return {
            "max_message_bytes": self._ws.max_message_bytes,
            "commands_per_second": self._ws.commands_per_second,
            "audio_frames_per_second": self._ws.audio_frames_per_second,
            "client_queue": self._ws.client_queue,
        }

    async def _send_loop(self, client: _Client) -> None:
        with contextlib.suppress(ConnectionClosed):
            while True:
                await client.wake.wait()
                client.wake.clear()
                while (frame := client.out.pop()) is not None:
                    await client.conn.send(frame)

    async def _kick_when_behind(self, client: _Client) -> None:
        await client.kicked.wait()
        await client.conn.close(proto.CLOSE_SLOW, "too far behind: events were not read")

    async def _receive_loop(self, client: _Client) -> None:
        with contextlib.suppress(ConnectionClosed):
            async for message in client.conn:
                now = time.monotonic()
                try:
                    if isinstance(message, bytes):
                        await self._on_binary(client, message, now)
                    else:
                        await self._on_text(client, message, now)
                except proto.ProtocolError as exc:
                    await self._reject(client, exc)

    async def _reject(self, client: _Client, exc: proto.ProtocolError) -> None:
        error = proto.error_event(exc, site=client.site)
        client.filter.direct.add(error.id)
        client.offer(proto.encode_event(error), audio=False)
        log.info("websocket client %s: %s", client.site, exc)
        await self._bus.publish(error)

    async def _on_text(self, client: _Client, text: str, now: float) -> None:
        if not client.commands.allow(now):
            if now - client.reported_at >= 1.0:
                client.reported_at = now
                raise proto.ProtocolError(
                    "rate_limited",
                    f"more than {self._ws.commands_per_second:g} messages/s: "
                    f"{client.commands.rejected} dropped so far",
                )
            return
        parsed = proto.parse_text(text, site=client.site, now=now)
        if isinstance(parsed, proto.SubscribeRequest):
            client.filter.update(parsed)
            client.offer(proto.subscribed_message(parsed), audio=False)
            return
        if isinstance(parsed, Ingest):
            try:
                paths = proto.check_ingest_paths(parsed.paths, self._config.watch_paths)
            except proto.ProtocolError as exc:
                exc.cause = parsed.id
                raise
            parsed = Ingest(site=parsed.site, id=parsed.id, time=parsed.time,
                            cause=parsed.cause, paths=tuple(paths))
        client.filter.commands.add(parsed.id)
        await self._bus.publish(parsed)

    async def _on_binary(self, client: _Client, frame: bytes, now: float) -> None:
        if not client.audio.allow(now):
            if now - client.reported_at >= 1.0:
                client.reported_at = now
                raise proto.ProtocolError(
                    "rate_limited",
                    f"more than {self._ws.audio_frames_per_second:g} audio frames/s: "
                    f"{client.audio.rejected} dropped so far",
                )
            return
        owner, last = self._microphones.get(client.site, (client, now))
        if owner is not client and owner in self._clients and now - last < MIC_HOLD_S:
            if now - client.reported_at >= 1.0:
                client.reported_at = now
                raise proto.ProtocolError(
                    "site_taken",
                    f"another connection already streams site {client.site!r}'s microphone: "
                    "give each satellite its own site name (audio dropped)")
            return
        chunk = proto.parse_binary(frame, site=client.site, now=now)
        if not client.audio_time.allow(now, chunk.duration):
            if now - client.reported_at >= 1.0:
                client.reported_at = now
                raise proto.ProtocolError(
                    "rate_limited",
                    f"audio faster than {self._ws.max_audio_speed:g}x real time (after "
                    f"{self._ws.audio_burst_s:g} s at once): {client.audio_time.rejected} "
                    "chunks dropped so far")
            return
        self._microphones[client.site] = (client, now)
        await self._bus.publish(chunk)

    def subscriptions(self) -> list[tuple[str, frozenset[str] | None]]:
        """(site, subscribed wire names or None for all) of every connected client."""
        return [(c.site, c.filter.events) for c in self._clients]

    def snapshot(self) -> dict[str, Any]:
        return {"url": self.url, "clients": len(self._clients),
                "dropped_audio": sum(c.out.dropped_audio for c in self._clients)}
