"""MQTT faults against a real mosquitto: a retained command is not replayed on every reconnect, and
the bridge's client id is unique per install (a guessable one lets any client take its session).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiomqtt

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config, load_config
from nimbus.daemon.events import Error, Say
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.interfaces.mqtt.handler import MqttBridge
from tests.mosquitto import Mosquitto, mosquitto  # noqa: F401 - fixture


def _config(broker: Mosquitto, state_dir: Path) -> Config:
    return load_config(None, environ={}, overrides=[
        f'daemon.state_dir="{state_dir}"', "mqtt.enabled=true", f"mqtt.port={broker.port}",
        'mqtt.host="127.0.0.1"', "mqtt.reconnect_max_s=0.3", "mqtt.discovery=false"])


def ignored(recorder: EventRecorder) -> int:
    return sum(1 for e in recorder.of(Error) if e.code == "retained_command")  # type: ignore[attr-defined]


async def test_retained_commands_are_ignored_live_ones_run(
        mosquitto: Mosquitto, tmp_path: Path) -> None:  # noqa: F811 - fixture
    async with aiomqtt.Client(mosquitto.host, mosquitto.port, identifier="prankster") as client:
        await client.publish("nimbus/default/cmd/say", b"the vault code is 1234", qos=1,
                             retain=True)
    bus = Bus()
    config = _config(mosquitto, tmp_path / "state")
    async with EventRecorder(bus) as recorder:
        for start in range(1, 3):  # the broker replays the retained message on each connection
            bridge = MqttBridge(config, bus)
            async with running(bridge):
                async with asyncio.timeout(10):
                    await bridge.connected.wait()
                    while ignored(recorder) < start:  # noqa: ASYNC110 - a recorded list
                        await asyncio.sleep(0.02)
                assert bridge.ignored_retained == 1
        async with running(bridge):
            async with asyncio.timeout(10):
                await bridge.connected.wait()
            async with aiomqtt.Client(mosquitto.host, mosquitto.port,
                                      identifier="owner") as client:
                await client.publish("nimbus/default/cmd/say", b"dinner is ready", qos=1)
            said = await recorder.wait_for(Say, within=10)
            assert said.text == "dinner is ready"  # type: ignore[attr-defined]
            await asyncio.sleep(0.3)
    assert [e.text for e in recorder.of(Say)] == ["dinner is ready"]  # type: ignore[attr-defined]
    assert ignored(recorder) == 3


async def test_client_id_is_unique_per_install_and_kept(
        mosquitto: Mosquitto, tmp_path: Path) -> None:  # noqa: F811 - fixture
    first = MqttBridge(_config(mosquitto, tmp_path / "one"), Bus())
    again = MqttBridge(_config(mosquitto, tmp_path / "one"), Bus())
    other = MqttBridge(_config(mosquitto, tmp_path / "two"), Bus())
    ids = []
    for bridge in (first, again, other):
        await bridge.prepare()
        ids.append(bridge._client().identifier)  # what the broker is told
    assert ids[0].startswith("nimbus-default-")
    assert ids[0] != "nimbus-default"
    assert ids[1] == ids[0], "kept in the state dir across restarts"
    assert ids[2] != ids[0], "another install, another id"
    assert (tmp_path / "one" / "mqtt-client-id").read_text().strip() == ids[0]
    # The old, guessable id no longer knocks the bridge off the broker.
    async with running(first):
        async with asyncio.timeout(10):
            await first.connected.wait()
        async with aiomqtt.Client(mosquitto.host, mosquitto.port,
                                  identifier="nimbus-default"):
            await asyncio.sleep(0.5)
        assert first.connections == 1, "still the first session"
