"""The Wyoming server handler: Home Assistant's speech-to-text, text-to-speech and conversation
agent, served by Nimbus's own stages over the bus (each connection is a :class:`Session`).

* Bound in :meth:`WyomingServer.prepare`, accepting from :meth:`~WyomingServer.run` on (once every
  model is loaded); ``<state_dir>/wyoming.json`` names the port (``wyoming.port = 0`` in tests).
* Wyoming has no authentication: peers other than loopback and ``wyoming.allow_from`` are refused
  with a log line and an ``error`` event (the config refuses a public bind without the list).
* Announced as ``_wyoming._tcp.local.`` over zeroconf unless ``wyoming.zeroconf = false``.
* One bus subscription routes each connection's site events into that session's bounded inbox
  without waiting: a full inbox drops the event and reports it (a session that far behind is
  broken); nothing upstream ever waits for a peer.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import itertools
import json
import logging
import os
import socket
from pathlib import Path
from typing import Any, Final

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config
from nimbus.daemon.events import (
    AudioOut,
    Command,
    Error,
    Event,
    ResponseDelta,
    ResponseDone,
    ResponseStarted,
    Stop,
    Transcript,
)
from nimbus.handlers.interfaces.wyoming.info import server_info
from nimbus.handlers.interfaces.wyoming.session import STAGE, Inbox, Session

__all__ = ["SERVICE_TYPE", "STATE_FILE", "WyomingServer"]

log = logging.getLogger(__name__)

STATE_FILE: Final = "wyoming.json"
SERVICE_TYPE: Final = "_wyoming._tcp.local."
INBOX: Final = 4096
"""Events queued for one connection (audio is paced by the speaker, so this is never near)."""


class WyomingServer:
    """Serves the Wyoming protocol on ``wyoming.host:port`` (see the module docstring)."""

    name = STAGE

    def __init__(self, config: Config, bus: Bus) -> None:
        self._config = config
        self._wy = config.wyoming
        self._bus = bus
        self._info = server_info(config)
        self._server: asyncio.Server | None = None
        self._inboxes: dict[str, Inbox] = {}
        self._stt_sites: set[str] = set()
        self._unknown_types: set[str] = set()
        self._numbers = itertools.count(1)
        self._allowed = tuple(ipaddress.ip_network(a, strict=False) for a in self._wy.allow_from)
        self._zeroconf: Any = None
        self.port: int | None = None
        self.serving = asyncio.Event()
        """Set once the server listens (the daemon reports ready after that)."""
        self.connections = 0
        self.refused = 0

    # --- lifecycle ---------------------------------------------------------------------------

    async def prepare(self) -> None:
        if self._server is not None:
            return
        host = "127.0.0.1" if self._wy.host == "localhost" else self._wy.host
        self._server = await asyncio.start_server(
            self._connection, host or None, self._wy.port, start_serving=False,
            limit=self._wy.max_header_bytes + 1)  # a longer header line is refused
        self.port = self._server.sockets[0].getsockname()[1]
        log.info("wyoming server bound on tcp://%s:%s", host, self.port)

    async def run(self) -> None:
        if self._server is None:
            await self.prepare()
        assert self._server is not None
        try:
            async with self._bus.subscribe(
                Transcript, AudioOut, Error, Command, ResponseStarted, ResponseDelta,
                ResponseDone, name=self.name, maxsize=4096, lossy_audio=False,
            ) as events:
                await self._server.start_serving()
                self._write_state_file()
                log.info("wyoming listening on %s", self.uri)
                self.serving.set()
                if self._wy.zeroconf:
                    await self._announce()
                async for event in events:
                    await self._route(event)
        finally:
            self.serving.clear()
            await self._unannounce()
            self._server.close()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(3):
                    await self._server.wait_closed()
            self._server = None
            self._remove_state_file()

    @property
    def uri(self) -> str:
        host = self._wy.host if self._wy.host not in ("", "0.0.0.0", "::") else "127.0.0.1"
        return f"tcp://{host}:{self.port}"

    def _state_file(self) -> Path:
        return self._config.state_path / STATE_FILE

    def _write_state_file(self) -> None:
        path = self._state_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"pid": os.getpid(), "uri": self.uri, "port": self.port})
                       + "\n", encoding="utf-8")
        tmp.replace(path)

    def _remove_state_file(self) -> None:
        path = self._state_file()
        with contextlib.suppress(OSError, ValueError):
            if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
                path.unlink()

    # --- zeroconf ----------------------------------------------------------------------------

    def service_name(self) -> str:
        name = self._wy.zeroconf_name or f"nimbus-{self._config.daemon.site}"
        return f"{name}.{SERVICE_TYPE}"

    def _announced_address(self) -> str:
        if self._wy.zeroconf_address:
            return self._wy.zeroconf_address
        if self._wy.host not in ("", "0.0.0.0", "::", "localhost"):
            return self._wy.host
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:  # no packet is sent: this only asks the kernel for the outgoing address
            probe.connect(("224.0.0.251", 5353))
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"
        finally:
            probe.close()

    async def _announce(self) -> None:
        from zeroconf import IPVersion  # noqa: PLC0415 - only when announcing
        from zeroconf.asyncio import AsyncServiceInfo, AsyncZeroconf  # noqa: PLC0415

        address = self._announced_address()
        info = AsyncServiceInfo(
            SERVICE_TYPE, self.service_name(), port=self.port,
            addresses=[socket.inet_aton(address)],
            properties={"name": "Nimbus", "site": self._config.daemon.site},
        )
        try:
            zc = AsyncZeroconf(ip_version=IPVersion.V4Only)
            await zc.async_register_service(info)
        except (OSError, ValueError) as exc:  # no multicast here: keep serving, say why
            log.warning("wyoming: zeroconf announcement failed (%s); Home Assistant must be "
                        "given host and port by hand", exc)
            await self._bus.publish(Error(site=self._config.daemon.site, stage=STAGE,
                                          code="zeroconf_failed", message=str(exc)))
            return
        self._zeroconf = (zc, info)
        log.info("wyoming announced over zeroconf as %s at %s:%s", self.service_name(),
                 address, self.port)

    async def _unannounce(self) -> None:
        if self._zeroconf is None:
            return
        zc, info = self._zeroconf
        self._zeroconf = None
        with contextlib.suppress(Exception):
            await zc.async_unregister_service(info)
        with contextlib.suppress(Exception):
            await zc.async_close()

    # --- routing -----------------------------------------------------------------------------

    async def _route(self, event: Event) -> None:
        if isinstance(event, ResponseStarted) and event.site in self._stt_sites:
            # A transcription is text for the peer; the phrases stage made a command of it.
            await self._bus.publish(Stop(site=event.site, target=event.id, cause=event.id,
                                         reason="wyoming: transcription only"))
            return
        inbox = self._inboxes.get(event.site)
        if inbox is None:
            return
        try:
            inbox.put_nowait(event)
        except asyncio.QueueFull:
            log.warning("wyoming session %s is %d events behind: dropped %s", event.site, INBOX,
                      event.type.value)

    # --- connections -------------------------------------------------------------------------

    def allowed(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return False
        if ip.is_loopback:
            return True
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        return any(ip in network for network in self._allowed)

    async def _connection(self, reader: asyncio.StreamReader,
                          writer: asyncio.StreamWriter) -> None:
        peername = writer.get_extra_info("peername")
        address = str(peername[0]) if peername else "?"
        try:
            if not self.allowed(address):
                self.refused += 1
                message = (f"connection from {address} refused: not loopback and not in "
                           "wyoming.allow_from")
                log.warning("wyoming: %s", message)
                await self._bus.publish(Error(site=self._config.daemon.site, stage=STAGE,
                                              code="wyoming_refused", message=message))
                return
            number = next(self._numbers)
            site, stt_site = f"wyoming-{number}", f"wyoming-{number}-stt"
            inbox: Inbox = asyncio.Queue(INBOX)
            self._inboxes[site] = self._inboxes[stt_site] = inbox
            self._stt_sites.add(stt_site)
            self.connections += 1
            log.info("wyoming peer %s connected (site %s)", address, site)
            session = Session(config=self._config, publish=self._bus.publish, info=self._info,
                              reader=reader, writer=writer, site=site, stt_site=stt_site,
                              peer=address, inbox=inbox, unknown_types=self._unknown_types)
            try:
                await session.serve()
            finally:
                self.connections -= 1
                self._inboxes.pop(site, None)
                self._inboxes.pop(stt_site, None)
                self._stt_sites.discard(stt_site)
                log.info("wyoming peer %s gone (site %s)", address, site)
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    def snapshot(self) -> dict[str, Any]:
        return {"uri": self.uri, "connections": self.connections, "refused": self.refused}
