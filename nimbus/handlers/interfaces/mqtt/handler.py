"""The MQTT bridge handler: bus events out, commands and satellite audio in, reconnecting forever.

Two loops in one TaskGroup. The *collector* drains the bus without ever waiting on the network
into an :class:`Outbox`; the *link* connects (full-jitter backoff, forever), announces
availability + Home Assistant discovery + the retained state, then publishes from the outbox and
turns incoming command/audio messages into bus events. A broker outage therefore never slows
the pipeline: live (non-retained) messages are dropped and counted while offline, and the
latest retained value of every state topic is republished on reconnect.

Incoming messages that carry the MQTT retain flag are the broker replaying an old message to a
new subscription: a command is an instruction for now, so those are ignored (a log line and an
``error`` event), never executed again on every reconnect. The client id is unique per install
(``nimbus-<site>-<random>``, kept in ``<state_dir>/mqtt-client-id``), so no other client takes
over the bridge's session by guessing it; broker authentication is what keeps strangers out
(docs/interfaces.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import secrets
import ssl
import time
from collections import deque
from pathlib import Path
from typing import Final

import aiomqtt

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config
from nimbus.daemon.events import Error, Event, SatelliteState
from nimbus.handlers.interfaces.mqtt import topics
from nimbus.handlers.interfaces.mqtt.discovery import discovery_messages
from nimbus.handlers.interfaces.mqtt.topics import Message, MqttInputError
from nimbus.handlers.interfaces.websocket.protocol import valid_site

__all__ = ["CLIENT_ID_FILE", "MqttBridge", "Outbox", "install_client_id"]

log = logging.getLogger(__name__)

_OUTBOX: Final = 1024

CLIENT_ID_FILE: Final = "mqtt-client-id"


def install_client_id(state_dir: Path, site: str) -> str:
    """This install's MQTT client id: made once (``nimbus-<site>-<12 hex>``), then read back."""
    path = state_dir / CLIENT_ID_FILE
    with contextlib.suppress(OSError, UnicodeDecodeError):
        existing = path.read_text(encoding="utf-8").strip()
        if existing.startswith("nimbus-") and existing.isprintable() and len(existing) < 128:
            return existing
    value = f"nimbus-{site[:32]}-{secrets.token_hex(6)}"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(value + "\n", encoding="utf-8")
    tmp.replace(path)
    return value


class Outbox:
    """Messages waiting for the broker.

    Retained messages are also kept by topic (latest wins) and replayed on every reconnect.
    Overflow policy of the live queue: drop the oldest message and count it; while offline,
    live messages are dropped at once (they are stale by the time the broker is back).
    """

    def __init__(self, maxsize: int = _OUTBOX) -> None:
        self._live: deque[Message] = deque(maxlen=maxsize)
        self.retained: dict[str, Message] = {}
        self.dropped = 0
        self.online = False
        self._ready = asyncio.Event()

    def put(self, message: Message) -> None:
        if message.retain:
            self.retained[message.topic] = message
        if not self.online:
            if not message.retain:
                self.dropped += 1
            return
        if len(self._live) == self._live.maxlen:
            self.dropped += 1
        self._live.append(message)
        self._ready.set()

    def go_online(self) -> None:
        self.online = True
        self._live.clear()
        self._ready.set()

    def go_offline(self) -> None:
        self.online = False
        self._live.clear()

    async def get(self) -> Message:
        while not self._live:
            self._ready.clear()
            await self._ready.wait()
        return self._live.popleft()


class MqttBridge:
    """Bridges the bus to an MQTT broker (see :mod:`.topics` for the topic table)."""

    name = "mqtt"

    def __init__(self, config: Config, bus: Bus, *, rng: random.Random | None = None) -> None:
        self._config = config
        self._mqtt = config.mqtt
        self._bus = bus
        self._rng = rng or random.Random()  # backoff jitter, not crypto
        self.outbox = Outbox()
        self._sites: set[str] = {config.daemon.site,
                                 *(s.site for s in config.wyoming.satellites)}
        """Sites announced to Home Assistant: the daemon's own, the Wyoming satellites, and every
        MQTT satellite."""
        self._areas: dict[str, str] = {
            **{s.site: s.area for s in config.wyoming.satellites if s.area},
            **{site.strip(): area.strip() for site, area in self._mqtt.area_of().items()}}
        """Each site's area (Home Assistant's suggested_area): from the config (``mqtt.areas``,
        a Wyoming satellite's ``area``), or from a satellite that says where it is when it
        connects (``satellite.state``)."""
        self._sites.update(self._areas)
        self._announced: set[str] = set()
        self.connections = 0
        """Successful connections so far (a reconnect increments it)."""
        self.connected = asyncio.Event()
        self.client_id = self._mqtt.client_id
        """``mqtt.client_id``, or this install's own (made in prepare)."""
        self.ignored_retained = 0

    @property
    def prefix(self) -> str:
        return self._mqtt.prefix

    async def prepare(self) -> None:
        if not self.client_id:
            self.client_id = await asyncio.to_thread(
                install_client_id, self._config.state_path, self._config.daemon.site)
        if self._mqtt.tls:
            await asyncio.to_thread(self._tls_context)  # fail early on unreadable cert files

    def _tls_context(self) -> ssl.SSLContext | None:
        if not self._mqtt.tls:
            return None
        context = ssl.create_default_context(cafile=self._mqtt.ca_file or None)
        if self._mqtt.cert_file:
            context.load_cert_chain(self._mqtt.cert_file, self._mqtt.key_file)
        if self._mqtt.tls_insecure:
            context.check_hostname = False
        return context

    def _client(self) -> aiomqtt.Client:
        availability = topics.availability_topic(self.prefix)
        return aiomqtt.Client(
            self._mqtt.host,
            self._mqtt.port,
            username=self._mqtt.username or None,
            password=self._mqtt.password or None,
            identifier=self.client_id or install_client_id(self._config.state_path,
                                                           self._config.daemon.site),
            will=aiomqtt.Will(availability, "offline", qos=1, retain=True),
            keepalive=self._mqtt.keepalive_s,
            tls_context=self._tls_context(),
            tls_insecure=self._mqtt.tls_insecure if self._mqtt.tls else None,
            timeout=10,
        )

    async def run(self) -> None:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(self._collect(), name="mqtt-collect")
            tg.create_task(self._link_forever(), name="mqtt-link")

    async def _collect(self) -> None:
        async with self._bus.subscribe(Event, name="mqtt", maxsize=1024) as events:
            async for event in events:
                if (isinstance(event, SatelliteState) and event.state == "connected"
                        and event.area and self._areas.get(event.site) != event.area):
                    self._areas[event.site] = event.area
                    self._sites.add(event.site)
                    if self._mqtt.discovery:  # retained: republished on every reconnect
                        for message in self._discovery(event.site):
                            self.outbox.put(message)
                    if (idle := self._idle(event.site)) is not None:
                        self.outbox.put(idle)
                try:
                    messages = topics.messages_for(event, self.prefix,
                                                   audio_chunks=self._mqtt.publish_audio_chunks)
                except (TypeError, ValueError):
                    log.exception("cannot encode %s for MQTT", event.type.value)
                    continue
                for message in messages:
                    self.outbox.put(message)

    async def _link_forever(self) -> None:
        attempt = 0
        while True:
            started = time.monotonic()
            failure = ""
            try:
                async with self._client() as client:
                    await self._serve(client)
            except* aiomqtt.MqttError as group:
                failure = str(group.exceptions[0])
            finally:
                self.outbox.go_offline()
                self.connected.clear()
            if time.monotonic() - started > 30:
                attempt = 0  # it was up for a while: start the backoff over
            delay = topics.backoff_delay(attempt, base=0.5, cap=self._mqtt.reconnect_max_s,
                                         rng=self._rng)
            attempt += 1
            log.warning("mqtt %s:%d unavailable (%s); retrying in %.1fs", self._mqtt.host,
                        self._mqtt.port, failure or "disconnected", delay)
            await asyncio.sleep(delay)

    def _discovery(self, site: str) -> list[Message]:
        return discovery_messages(self.prefix, self._mqtt.discovery_prefix, site,
                                  self._areas.get(site, ""), name=self._config.daemon.name,
                                  main_site=self._config.daemon.site)

    async def _announce(self, client: aiomqtt.Client, site: str) -> None:
        if self._mqtt.discovery:
            for message in self._discovery(site):
                await self._publish(client, message)
        idle = self._idle(site)
        if idle is not None:
            self.outbox.retained[idle.topic] = idle
            await self._publish(client, idle)
        self._announced.add(site)

    def _idle(self, site: str) -> Message | None:
        """A site starts idle: Home Assistant shows that at once, not "Unknown" until the first
        interaction. Retained, until a real state replaces it; None once the site has one."""
        topic = f"{self.prefix}/{site}/state"
        return None if topic in self.outbox.retained else Message(topic, "idle", 1, True)

    async def _publish(self, client: aiomqtt.Client, message: Message) -> None:
        await client.publish(message.topic, message.payload, qos=message.qos,
                             retain=message.retain)
        _reraise_swallowed_cancel()

    async def _serve(self, client: aiomqtt.Client) -> None:
        self.connections += 1
        log.info("mqtt connected to %s:%d", self._mqtt.host, self._mqtt.port)
        await client.subscribe(f"{self.prefix}/+/cmd/+", qos=1)
        if self._mqtt.audio_in:
            await client.subscribe(f"{self.prefix}/+/audio/in", qos=0)
        _reraise_swallowed_cancel()
        await self._publish(client, Message(topics.availability_topic(self.prefix), "online",
                                            1, True))
        self._announced.clear()
        for site in sorted(self._sites):
            await self._announce(client, site)
        for message in list(self.outbox.retained.values()):
            await self._publish(client, message)
        self.outbox.go_online()
        self.connected.set()
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(self._receive(client), name="mqtt-receive")
                while True:
                    message = await self.outbox.get()
                    await self._publish(client, message)
        except asyncio.CancelledError:
            # A clean stop: say so ourselves (the broker sends the will only on a lost link).
            with contextlib.suppress(aiomqtt.MqttError, TimeoutError):
                async with asyncio.timeout(1):
                    await self._publish(client, Message(
                        topics.availability_topic(self.prefix), "offline", 1, True))
            raise

    async def _receive(self, client: aiomqtt.Client) -> None:
        async for message in client.messages:
            parts = topics.split_topic(message.topic.value, self.prefix)
            if parts is None:
                continue
            site, kind, name = parts
            if message.retain:
                await self._ignore_retained(message.topic.value, site)
                continue
            payload = message.payload if isinstance(message.payload, bytes) else (
                str(message.payload).encode() if message.payload is not None else b"")
            try:
                if kind == "cmd":
                    event = topics.parse_command(site, name, payload)
                elif kind == "audio" and name == "in":
                    event = topics.parse_audio(site, payload, now=time.monotonic())
                else:
                    continue
            except MqttInputError as exc:
                log.info("mqtt %s: %s", message.topic.value, exc)
                site = exc.site if valid_site(exc.site) else "mqtt"
                await self._bus.publish(Error(site=site, code=exc.code, message=exc.message,
                                              stage="mqtt"))
                continue
            if event.site not in self._announced:
                self._sites.add(event.site)
                await self._announce(client, event.site)
            await self._bus.publish(event)

    async def _ignore_retained(self, topic: str, site: str) -> None:
        """A retained message replayed by the broker: an old command, not one for now."""
        self.ignored_retained += 1
        message = (f"{topic}: ignored a retained message (the broker replays it to every new "
                   "subscription); publish commands without the retain flag")
        log.warning("mqtt %s", message)
        await self._bus.publish(Error(site=site if valid_site(site) else "mqtt",
                                      code="retained_command", message=message, stage="mqtt"))


def _reraise_swallowed_cancel() -> None:
    """Python 3.11's ``asyncio.wait_for`` (inside aiomqtt) drops a cancel that races the
    completion of what it waits for; the task is left "cancelling" but running. Honour it."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError
