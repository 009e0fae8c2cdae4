"""DaemonClient: talk to a running Nimbus daemon over WebSocket protocol v1.

Where the daemon is (first that applies):

1. the ``url`` argument; 2. ``$NIMBUS_URL``; 3. ``<state_dir>/daemon.json`` written by the
running daemon (always used when ``websocket.port`` is 0, i.e. a random port; otherwise only
if it names a live process); 4. ``ws://{websocket.host}:{websocket.port}/ws``.

The token is the ``token`` argument, else ``websocket.token`` from the config (which also reads
``$NIMBUS_WEBSOCKET__TOKEN``).

Example::

    async with DaemonClient.from_config(config) as client:
        await client.subscribe([ResponseStarted, ResponseDelta, ResponseDone, Error])
        async for event in client.request(Ask(text="hi", site=client.site),
                                          until=lambda e: isinstance(e, ResponseDone),
                                          timeout=60):
            ...
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import AsyncIterator, Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from nimbus.daemon import codec
from nimbus.daemon.config import Config
from nimbus.daemon.events import AudioEvent, Event

__all__ = ["DaemonClient", "DaemonClientError", "daemon_url"]

PROTOCOL_VERSION: Final = 1
_TAP_SIZE: Final = 1024


class DaemonClientError(Exception):
    """The daemon could not be reached, refused us, or closed the connection."""


def _pid_alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def daemon_url(config: Config) -> str:
    """The daemon's WebSocket URL for a config (see the module docstring for the order)."""
    env = os.environ.get("NIMBUS_URL")
    if env:
        return env
    info_path = config.state_path / "daemon.json"
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        info = None
    if isinstance(info, dict) and isinstance(info.get("ws_url"), str) and (
        config.websocket.port == 0 or _pid_alive(info.get("pid"))
    ):
        return str(info["ws_url"])
    if config.websocket.port == 0:
        raise DaemonClientError(
            f"websocket.port is 0 (random) and {info_path} does not exist: is the daemon running?"
        )
    host = config.websocket.host
    if host in ("0.0.0.0", "", "::"):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"ws://{host}:{config.websocket.port}/ws"


class DaemonClient:
    """An async context manager holding one protocol v1 connection to the daemon."""

    def __init__(
        self,
        url: str,
        *,
        token: str = "",
        site: str | None = None,
        area: str = "",
        open_timeout: float = 5.0,
        max_message_bytes: int = 16 * 1024 * 1024,
    ) -> None:
        self.url = url
        self._token = token
        self._site = site
        self._area = area
        self._open_timeout = open_timeout
        self._max_size = max_message_bytes
        self._conn: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._taps: list[asyncio.Queue[Event | None]] = []
        self._acks: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=16)  # one per subscribe
        self._closed_reason: str | None = None
        self.welcome: dict[str, Any] = {}
        """The server's reply to our hello (protocol, site, sites, capabilities, audio, limits)."""

    @classmethod
    def from_config(cls, config: Config, *, url: str | None = None, token: str | None = None,
                    site: str | None = None) -> DaemonClient:
        return cls(url or daemon_url(config),
                   token=config.websocket.token if token is None else token, site=site)

    @property
    def site(self) -> str:
        """This connection's own site (chosen by us in the hello, or assigned by the server)."""
        return str(self.welcome.get("site", self._site or ""))

    async def __aenter__(self) -> Self:
        try:
            self._conn = await connect(self.url, open_timeout=self._open_timeout,
                                       max_size=self._max_size, compression=None,
                                       close_timeout=2)
        except (OSError, TimeoutError, InvalidHandshake, InvalidURI) as exc:
            raise DaemonClientError(f"cannot connect to the daemon at {self.url}: {exc}") from exc
        hello: dict[str, Any] = {"type": "hello", "protocol": PROTOCOL_VERSION,
                                 "token": self._token}
        if self._site:
            hello["site"] = self._site
        if self._area:
            hello["area"] = self._area
        try:
            await self._conn.send(json.dumps(hello))
            async with asyncio.timeout(self._open_timeout):
                reply = await self._conn.recv()
        except ConnectionClosed as exc:
            await self._conn.close()
            code = exc.rcvd.code if exc.rcvd else None
            reason = (exc.rcvd.reason if exc.rcvd and exc.rcvd.reason else str(exc))
            if code == 1008:
                reason = "bad or missing token (websocket.token)"
            raise DaemonClientError(f"the daemon refused the connection: {reason}") from None
        except TimeoutError:
            await self._conn.close()
            raise DaemonClientError("the daemon did not answer our hello") from None
        try:
            welcome = json.loads(reply)
        except (TypeError, ValueError):
            welcome = None
        if not isinstance(welcome, dict) or welcome.get("type") != "welcome":
            await self._conn.close()
            raise DaemonClientError(f"unexpected reply to hello: {str(reply)[:200]}")
        self.welcome = welcome
        self._reader = asyncio.create_task(self._read(), name="daemon-client-reader")
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None

    async def _read(self) -> None:
        assert self._conn is not None
        try:
            async for message in self._conn:
                if isinstance(message, str) and message.startswith('{"type":"subscribed"'):
                    await self._acks.put(json.loads(message))
                    continue
                try:
                    event = (codec.decode_frame(message) if isinstance(message, bytes)
                             else codec.decode_json(message))
                except codec.CodecError:
                    continue  # a newer server's event type: skip what we cannot read
                for tap in tuple(self._taps):
                    await tap.put(event)  # waits when a consumer lags: TCP slows the server
        except ConnectionClosed as exc:
            self._closed_reason = f"connection closed: {exc}"
        finally:
            self._closed_reason = self._closed_reason or "connection closed"
            for tap in tuple(self._taps):
                with contextlib.suppress(asyncio.QueueFull):
                    tap.put_nowait(None)

    def _require(self) -> ClientConnection:
        if self._conn is None:
            raise DaemonClientError("not connected: use `async with DaemonClient(...)`")
        return self._conn

    async def send(self, event: Event) -> None:
        """Send a command (ask, say, stop, ingest, search, status) or an audio.chunk."""
        conn = self._require()
        frame: str | bytes = (codec.encode_frame(event) if isinstance(event, AudioEvent)
                              else codec.encode_json(event))
        try:
            await conn.send(frame)
        except ConnectionClosed as exc:
            raise DaemonClientError(f"the daemon closed the connection: {exc}") from None

    async def subscribe(self, types: Iterable[type[Event] | str] | None,
                        sites: Iterable[str] | None = None) -> None:
        """Replace our subscription: event classes or wire names (None = all), sites (None = all).

        Events caused by our own commands (replies, errors) arrive whatever the subscription.
        """
        conn = self._require()
        names: list[str] | str = "*" if types is None else sorted(
            t if isinstance(t, str) else t.type.value for t in types)
        message = {"type": "subscribe", "events": names,
                   "sites": "*" if sites is None else sorted(sites)}
        await conn.send(json.dumps(message))
        async with asyncio.timeout(self._open_timeout):
            await self._acks.get()

    @contextlib.asynccontextmanager
    async def _tap(self) -> AsyncIterator[asyncio.Queue[Event | None]]:
        # Bounded; the reader waits on a full tap (back-pressure reaches the server over TCP).
        tap: asyncio.Queue[Event | None] = asyncio.Queue(maxsize=_TAP_SIZE)
        self._taps.append(tap)
        try:
            yield tap
        finally:
            self._taps.remove(tap)

    async def events(self) -> AsyncIterator[Event]:
        """Every event the daemon sends us from the first iteration on, until the connection
        closes. To miss nothing that a :meth:`subscribe` lets through, use :meth:`stream`."""
        self._require()
        async with self._tap() as tap:
            while (event := await tap.get()) is not None:
                yield event

    @contextlib.asynccontextmanager
    async def stream(self) -> AsyncIterator[AsyncIterator[Event]]:
        """Events from the moment this block is entered: enter it, then :meth:`subscribe`, then
        iterate, and nothing the new subscription lets through is missed (the server may send it
        before the subscribe call returns)."""
        self._require()
        async with self._tap() as tap:

            async def received() -> AsyncIterator[Event]:
                while (event := await tap.get()) is not None:
                    yield event

            yield received()

    async def request(self, command: Event, *, until: Callable[[Event], bool],
                      timeout: float) -> AsyncIterator[Event]:  # noqa: ASYNC109 - contract
        """Send ``command``; yield the events it caused (transitively) until ``until`` is true.

        An event belongs to the request when its ``cause`` (or ``response``) is the command's
        id or the id of an event already yielded. Raises TimeoutError after ``timeout``
        seconds in all, DaemonClientError if the connection closes first. Subscribe to the
        event types you want beyond direct replies first.
        """
        self._require()
        related = {command.id}
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        async with self._tap() as tap:
            await self.send(command)
            while True:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise TimeoutError(f"no end of {command.type.value} within {timeout:g}s")
                try:
                    event = await asyncio.wait_for(tap.get(), remaining)
                except TimeoutError:
                    raise TimeoutError(
                        f"no end of {command.type.value} within {timeout:g}s") from None
                if event is None:
                    raise DaemonClientError(self._closed_reason or "connection closed")
                if event.cause in related or getattr(event, "response", None) in related:
                    related.add(event.id)
                    yield event
                    if until(event):
                        return


def state_file(config: Config) -> Path:
    """Where the running daemon describes itself (see :func:`daemon_url`)."""
    return config.state_path / "daemon.json"
