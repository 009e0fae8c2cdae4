"""The MQTT bridge against a real mosquitto: discovery, commands, events, satellites, restarts."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import wave
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiomqtt
import pytest

from nimbus.cli.client import DaemonClient
from nimbus.daemon import codec
from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config, load_config
from nimbus.daemon.events import (
    Ask,
    AssistantState,
    AudioChunk,
    Command,
    Error,
    SatelliteState,
    Say,
    StateChanged,
    Stop,
    Transcript,
)
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.interfaces.mqtt.handler import MqttBridge
from nimbus.handlers.interfaces.websocket.handler import WebSocketServer
from nimbus.handlers.routing import CommandRouter
from tests.handlers.interfaces.ws_helpers import hello, status_round_trip, wait_until
from tests.mosquitto import Mosquitto, mosquitto  # noqa: F401 - fixture


def bridge_config(broker: Mosquitto, state_dir: Path, watch_dir: Path) -> Config:
    return load_config(None, environ={}, overrides=[
        f'daemon.state_dir="{state_dir}"', f'watch.folders=["{watch_dir}"]', "websocket.port=0",
        "mqtt.enabled=true", f"mqtt.port={broker.port}", 'mqtt.host="127.0.0.1"',
        "mqtt.reconnect_max_s=0.5", 'mqtt.client_id="nimbus-test"',
        'mqtt.areas=["porch=Porch"]',
    ])


@dataclass
class Bridged:
    broker: Mosquitto
    bus: Bus
    bridge: MqttBridge
    ws: WebSocketServer
    recorder: EventRecorder


@pytest.fixture
async def bridged(mosquitto: Mosquitto, state_dir: Path,  # noqa: F811 - fixture
                  watch_dir: Path) -> AsyncIterator[Bridged]:
    config = bridge_config(mosquitto, state_dir, watch_dir)
    bus = Bus()
    bridge = MqttBridge(config, bus)
    ws = WebSocketServer(config, bus)
    async with EventRecorder(bus) as recorder, running(bridge, ws, CommandRouter(bus)):
        async with asyncio.timeout(10):
            await bridge.connected.wait()
        yield Bridged(mosquitto, bus, bridge, ws, recorder)


class Observer:
    """A plain MQTT client watching the broker, as Home Assistant would."""

    def __init__(self, broker: Mosquitto) -> None:
        self.broker = broker
        self.latest: dict[str, bytes] = {}
        self.seen: list[tuple[str, bytes, bool]] = []
        self.changed = asyncio.Condition()

    async def run(self, client: aiomqtt.Client) -> None:
        async for message in client.messages:
            payload = message.payload if isinstance(message.payload, bytes) else b""
            async with self.changed:
                self.latest[message.topic.value] = payload
                self.seen.append((message.topic.value, payload, message.retain))
                self.changed.notify_all()

    async def wait(self, topic: str, payload: bytes | None = None, within: float = 15) -> bytes:
        async with asyncio.timeout(within), self.changed:
            await self.changed.wait_for(lambda: topic in self.latest and (
                payload is None or self.latest[topic] == payload))
            return self.latest[topic]


@contextlib.asynccontextmanager
async def observing(broker: Mosquitto, *topics: str) -> AsyncIterator[tuple[Observer,
                                                                          aiomqtt.Client]]:
    observer = Observer(broker)
    async with aiomqtt.Client(broker.host, broker.port, identifier="observer") as client:
        for topic in topics:
            await client.subscribe(topic, qos=1)
        task = asyncio.create_task(observer.run(client))
        try:
            yield observer, client
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, aiomqtt.MqttError):
                await task


async def test_discovery_and_availability_are_retained_and_well_formed(bridged: Bridged) -> None:
    async with observing(bridged.broker, "homeassistant/#", "nimbus/availability",
                         "nimbus/default/state") as (obs, _):
        assert await obs.wait("nimbus/availability", b"online") == b"online"
        # Idle from the start (retained), not "Unknown" in Home Assistant until something happens.
        assert await obs.wait("nimbus/default/state") == b"idle"
        base = "homeassistant/{}/nimbus_default/{}/config"
        wanted = [("sensor", "state"), ("sensor", "transcript"), ("sensor", "answer"),
                  ("button", "stop"), ("text", "ask"), ("text", "say")]
        for component, object_id in wanted:
            payload = json.loads(await obs.wait(base.format(component, object_id)))
            assert payload["unique_id"] == f"nimbus_default_{object_id}"
            assert payload["device"]["name"] == "Nimbus", "daemon.name for the daemon's site"
            assert payload["availability_topic"] == "nimbus/availability"
        retained = {t for t, _, r in obs.seen if r}
        assert base.format("button", "stop") in retained
        assert "nimbus/default/state" in retained


async def test_a_websocket_satellites_area_reaches_home_assistant(bridged: Bridged) -> None:
    async with observing(bridged.broker, "homeassistant/#") as (obs, _), \
            DaemonClient(bridged.ws.url, site="kitchen", area="Kitchen") as client:
        assert client.site == "kitchen"
        payload = json.loads(await obs.wait("homeassistant/sensor/nimbus_kitchen/state/config"))
        assert payload["device"]["suggested_area"] == "Kitchen"
        assert payload["device"]["name"] == "Nimbus Kitchen"
        # A site with a configured area (mqtt.areas) is announced with it from the start.
        porch = json.loads(await obs.wait("homeassistant/sensor/nimbus_porch/state/config"))
        assert porch["device"]["suggested_area"] == "Porch"
    await wait_until(lambda: len(bridged.recorder.of(SatelliteState)) >= 2)
    states = [(e.site, e.state, e.area) for e in bridged.recorder.of(SatelliteState)]
    assert states[:2] == [("kitchen", "connected", "Kitchen"),
                          ("kitchen", "disconnected", "Kitchen")]


async def test_commands_over_mqtt_reach_the_bus(bridged: Bridged) -> None:
    async with observing(bridged.broker, "nimbus/kitchen/#") as (obs, client):
        await client.publish("nimbus/kitchen/cmd/ask", "what time is it?", qos=1)
        command = await bridged.recorder.wait_for(Command)
        assert isinstance(command, Command)
        assert (command.site, command.text) == ("kitchen", "what time is it?")
        ask = bridged.recorder.of(Ask)[0]
        assert command.cause == ask.id
        await client.publish("nimbus/kitchen/cmd/say", '{"text":"dinner is ready"}', qos=1)
        say = await bridged.recorder.wait_for(Say)
        assert say.text == "dinner is ready"  # type: ignore[attr-defined]
        await client.publish("nimbus/kitchen/cmd/stop", '{"reason":"home assistant"}', qos=1)
        stop = await bridged.recorder.wait_for(Stop)
        assert (stop.site, stop.reason) == ("kitchen", "home assistant")  # type: ignore[attr-defined]
        # The events go back out under the site; the command event too.
        command_out = json.loads(await obs.wait("nimbus/kitchen/event/command"))
        assert command_out["text"] == "what time is it?"
        # a new site announces itself to Home Assistant
        async with observing(bridged.broker, "homeassistant/#") as (ha, _):
            await ha.wait("homeassistant/text/nimbus_kitchen/ask/config")


async def test_ugly_mqtt_payloads_become_error_events(bridged: Bridged) -> None:
    async with observing(bridged.broker, "nimbus/+/event/error") as (obs, client):
        for topic, payload in [("nimbus/kitchen/cmd/ask", b"{not json"),
                               ("nimbus/kitchen/cmd/say", b"\xff\xfe"),
                               ("nimbus/kitchen/cmd/dance", b"x"),
                               ("nimbus/kitchen/cmd/ask", b""),
                               ("nimbus/sat/audio/in", b"not audio at all")]:
            await client.publish(topic, payload, qos=1)
        await wait_until(lambda: len(bridged.recorder.of(Error)) >= 5, within=15)
        codes = sorted(e.code for e in bridged.recorder.of(Error))  # type: ignore[attr-defined]
        assert codes == sorted(["bad_json", "bad_utf8", "unknown_command", "empty_text",
                                "too_large"])
        assert all(e.stage == "mqtt" for e in bridged.recorder.of(Error))  # type: ignore[attr-defined]
        error = json.loads(await obs.wait("nimbus/kitchen/event/error"))
        assert error["stage"] == "mqtt"
        assert not bridged.recorder.of(Ask, Say)


async def test_events_out_and_satellite_audio_in(bridged: Bridged) -> None:
    async with observing(bridged.broker, "nimbus/#") as (obs, client):
        await bridged.bus.publish(StateChanged(site="kitchen", state=AssistantState.THINKING))
        await bridged.bus.publish(Transcript(site="kitchen", text="turn on the lights"))
        assert await obs.wait("nimbus/kitchen/state", b"thinking") == b"thinking"
        transcript = json.loads(await obs.wait("nimbus/kitchen/transcript"))
        assert transcript["text"] == "turn on the lights"
        pcm = b"\x10\x00" * 512
        await client.publish("nimbus/sat1/audio/in",
                             codec.encode_frame(AudioChunk(audio=pcm, sequence=4)))
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(16000)
            wav.writeframes(pcm)
        await client.publish("nimbus/sat2/audio/in", buffer.getvalue())
        first = await bridged.recorder.wait_for(lambda e: isinstance(e, AudioChunk)
                                                and e.site == "sat1")
        second = await bridged.recorder.wait_for(lambda e: isinstance(e, AudioChunk)
                                                 and e.site == "sat2")
        assert first.audio == pcm  # type: ignore[attr-defined]
        assert second.audio == pcm  # type: ignore[attr-defined]
        assert first.sequence == 4  # type: ignore[attr-defined]


async def test_broker_killed_and_restarted_mid_run(bridged: Bridged) -> None:
    await bridged.bus.publish(StateChanged(site="kitchen", state=AssistantState.SPEAKING))
    async with observing(bridged.broker, "nimbus/kitchen/state") as (obs, _):
        await obs.wait("nimbus/kitchen/state", b"speaking")
    assert bridged.bridge.connections == 1
    ws_client, _ = await hello(bridged.ws.url, site="tab")
    bridged.broker.kill()
    await wait_until(lambda: not bridged.bridge.connected.is_set(), within=15)
    # The daemon keeps working while the broker is gone: the bus flows, WebSocket clients are
    # served, nothing waits on MQTT.
    for i in range(2000):
        await bridged.bus.publish(Transcript(site="kitchen", text=f"offline {i}"))
    assert (await status_round_trip(ws_client))["site"] == "tab"
    assert bridged.bridge.outbox.dropped > 0
    bridged.broker.start()  # same port, empty broker: retained topics are gone
    async with asyncio.timeout(20):
        await bridged.bridge.connected.wait()
    assert bridged.bridge.connections == 2
    async with observing(bridged.broker, "nimbus/#", "homeassistant/#") as (obs, _):
        assert await obs.wait("nimbus/availability", b"online") == b"online"
        await obs.wait("homeassistant/sensor/nimbus_default/state/config")
        assert await obs.wait("nimbus/kitchen/state") == b"speaking"  # retained state replayed
        last = json.loads(await obs.wait("nimbus/kitchen/transcript"))
        assert last["text"] == "offline 1999"
    assert (await status_round_trip(ws_client))["site"] == "tab"
    await ws_client.close()


_BRIDGE_ONLY = """
import asyncio, sys
from nimbus.daemon.bus import Bus
from nimbus.daemon.config import load_config
from nimbus.handlers.interfaces.mqtt.handler import MqttBridge

async def main():
    config = load_config(None, environ={}, overrides=sys.argv[1:])
    bridge = MqttBridge(config, Bus())
    task = asyncio.create_task(bridge.run())
    await bridge.connected.wait()
    print("connected", flush=True)
    await task

asyncio.run(main())
"""


def _spawn_bridge(args: list[str]) -> subprocess.Popen[str]:
    """Only the MQTT bridge in a process of its own, so that it can really be killed."""
    return subprocess.Popen([sys.executable, "-c", _BRIDGE_ONLY, *args],
                            stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path.cwd())})


async def test_last_will_marks_a_killed_daemon_offline_and_clean_stop_too(
    mosquitto: Mosquitto, tmp_path: Path,  # noqa: F811 - fixture
) -> None:
    args = [f'daemon.state_dir="{tmp_path}"', "mqtt.enabled=true", f"mqtt.port={mosquitto.port}",
            "mqtt.keepalive_s=5"]
    proc = _spawn_bridge(args)
    try:
        assert proc.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(proc.stdout.readline), 30)
        assert line.strip() == "connected"
        async with observing(mosquitto, "nimbus/availability") as (obs, _):
            await obs.wait("nimbus/availability", b"online")
            proc.send_signal(signal.SIGKILL)
            assert await obs.wait("nimbus/availability", b"offline") == b"offline"
    finally:
        proc.kill()
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
    # A clean stop publishes offline itself.
    config = load_config(None, environ={}, overrides=args)
    bridge = MqttBridge(config, Bus())
    async with observing(mosquitto, "nimbus/availability") as (obs, _):
        async with running(bridge):
            await asyncio.wait_for(bridge.connected.wait(), 10)
            await obs.wait("nimbus/availability", b"online")
        assert await obs.wait("nimbus/availability", b"offline") == b"offline"


@pytest.mark.skipif(shutil.which("openssl") is None or shutil.which("mosquitto_passwd") is None,
                    reason="needs the openssl CLI (test certificates) and mosquitto_passwd")
async def test_username_password_and_tls(tmp_path: Path, state_dir: Path) -> None:
    work = tmp_path / "secure"
    work.mkdir()
    broker = Mosquitto(work, users={"nimbus": "hunter2"}, tls=True)
    broker.start()
    try:
        assert broker.ca_file is not None
        base = [f'daemon.state_dir="{state_dir}"', "mqtt.enabled=true", f"mqtt.port={broker.port}",
                "mqtt.tls=true", f'mqtt.ca_file="{broker.ca_file}"', "mqtt.reconnect_max_s=0.2"]
        good = MqttBridge(load_config(None, environ={}, overrides=[
            *base, 'mqtt.username="nimbus"', 'mqtt.password="hunter2"']), Bus())
        async with running(good):
            await asyncio.wait_for(good.connected.wait(), 15)
        bad = MqttBridge(load_config(None, environ={}, overrides=[
            *base, 'mqtt.username="nimbus"', 'mqtt.password="wrong"']), Bus())
        async with running(bad):
            await asyncio.sleep(1.5)  # several refused attempts; the bridge keeps retrying
            assert not bad.connected.is_set()
            assert bad.connections == 0
    finally:
        broker.stop()
