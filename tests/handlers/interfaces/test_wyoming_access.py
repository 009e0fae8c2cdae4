"""Who may talk to the Wyoming server, and the pure pieces (wire limits, sentence splitting).

The server runs in-process on its own (describe needs no model): bound to this machine's LAN
address, a peer from that address that is not in ``wyoming.allow_from`` is refused, logged and
reported; loopback is always served.
"""

from __future__ import annotations

import asyncio
import json
import socket

import pytest
from wyoming.client import AsyncTcpClient
from wyoming.info import Describe

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import ConfigError, load_config
from nimbus.daemon.events import Error
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.interfaces.wyoming.handler import WyomingServer
from nimbus.handlers.interfaces.wyoming.text import SentenceSplitter
from nimbus.handlers.interfaces.wyoming.wire import Limits, WireError, parse_header
from tests.handlers.interfaces.test_mqtt_bridge import observing
from tests.mosquitto import Mosquitto, mosquitto  # noqa: F401 - fixture


def _lan_address() -> str | None:
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.254", 9))  # no packet is sent
        address = str(probe.getsockname()[0])
    except OSError:
        return None
    finally:
        probe.close()
    return None if address.startswith("127.") else address


def test_a_public_bind_needs_allow_from() -> None:
    with pytest.raises(ConfigError, match=r"wyoming\.allow_from"):
        load_config(None, environ={}, overrides=["wyoming.enabled=true",
                                                 'wyoming.host="0.0.0.0"'])
    with pytest.raises(ConfigError, match="not an address or network"):
        load_config(None, environ={}, overrides=['wyoming.allow_from=["kitchen"]'])
    config = load_config(None, environ={}, overrides=[
        "wyoming.enabled=true", 'wyoming.host="0.0.0.0"',
        'wyoming.allow_from=["192.168.1.0/24", "10.0.0.7"]'])
    server = WyomingServer(config, Bus())
    assert server.allowed("192.168.1.77")
    assert server.allowed("10.0.0.7")
    assert server.allowed("127.0.0.1")
    assert server.allowed("::1")
    assert server.allowed("::ffff:192.168.1.5")
    assert not server.allowed("10.0.0.8")
    assert not server.allowed("192.168.2.1")


async def test_a_peer_outside_allow_from_is_refused_and_reported(tmp_path: object) -> None:
    address = _lan_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address to connect from")
    config = load_config(None, environ={}, overrides=[
        f'daemon.state_dir="{tmp_path}"', "wyoming.enabled=true", f'wyoming.host="{address}"',
        "wyoming.port=0", "wyoming.zeroconf=false", 'wyoming.allow_from=["203.0.113.9"]'])
    bus = Bus()
    server = WyomingServer(config, bus)
    async with EventRecorder(bus, Error) as errors, running(server):
        await asyncio.sleep(0.2)
        assert server.port
        reader, writer = await asyncio.open_connection(address, server.port)
        writer.write(b'{"type": "describe"}\n')
        try:
            async with asyncio.timeout(10):
                answer = await reader.read()
        except ConnectionResetError:  # closed while our describe was unread: refused too
            answer = b""
        finally:
            writer.close()
        assert answer == b"", "refused: closed without an answer"
        refused = await errors.wait_for(lambda e: isinstance(e, Error)
                                        and e.code == "wyoming_refused", within=10)
        assert address in refused.message  # type: ignore[attr-defined]
        assert server.refused == 1


async def test_loopback_is_always_served(tmp_path: object) -> None:
    config = load_config(None, environ={}, overrides=[
        f'daemon.state_dir="{tmp_path}"', "wyoming.enabled=true", "wyoming.port=0",
        "wyoming.zeroconf=false"])
    server = WyomingServer(config, Bus())
    async with running(server):
        await asyncio.sleep(0.2)
        async with AsyncTcpClient("127.0.0.1", server.port) as tcp:
            await tcp.write_event(Describe().event())
            async with asyncio.timeout(10):
                event = await tcp.read_event()
        assert event is not None
        assert event.type == "info"
        assert [v["name"] for v in event.data["tts"][0]["voices"]] == ["joe"]


@pytest.mark.parametrize(
    ("line", "code"),
    [
        (b"{", "bad_json"),
        (b'"x"', "bad_header"),
        (b'{"type": "Bad Type"}', "bad_header"),
        (b'{"type": "a", "data": [1]}', "bad_header"),
        (b'{"type": "a", "payload_length": 2048}', "too_large"),
        (b'{"type": "a", "data_length": 2048}', "too_large"),
        (b'{"type": "a", "payload_length": true}', "bad_header"),
    ],
)
def test_header_lines_are_checked(line: bytes, code: str) -> None:
    with pytest.raises(WireError) as caught:
        parse_header(line, Limits(header_bytes=1024, payload_bytes=1024))
    assert caught.value.code == code


def test_header_within_limits_parses() -> None:
    kind, data, data_length, payload_length = parse_header(
        b'{"type": "audio-chunk", "data": {"rate": 16000}, "data_length": 10, '
        b'"payload_length": 640}', Limits(header_bytes=1024, payload_bytes=1024))
    assert (kind, data, data_length, payload_length) == ("audio-chunk", {"rate": 16000}, 10, 640)


def test_streamed_text_is_cut_into_whole_sentences() -> None:
    splitter = SentenceSplitter(max_chars=40)
    assert splitter.push("The lease ") == []
    assert splitter.push("allows one cat. Dogs") == ["The lease allows one cat."]
    assert splitter.push(" need consent! Really? Yes") == ["Dogs need consent!", "Really?"]
    assert splitter.push(" " + "word " * 12) == ["Yes word word word word word word word"]
    assert splitter.flush() == ["word word word word word"]
    assert splitter.flush() == []



async def test_wyoming_satellites_are_home_assistant_devices_over_mqtt(
        mosquitto: Mosquitto, tmp_path: object) -> None:  # noqa: F811 - fixture
    """A configured Wyoming satellite's site gets its Home Assistant device like any other."""
    from nimbus.handlers.interfaces.mqtt.handler import MqttBridge  # noqa: PLC0415

    config = load_config(None, environ={}, overrides=[
        f'daemon.state_dir="{tmp_path}"', "mqtt.enabled=true", f"mqtt.port={mosquitto.port}",
        'mqtt.host="127.0.0.1"', 'mqtt.client_id="nimbus-wyoming-test"',
        'wyoming.satellites=[{uri="tcp://127.0.0.1:10700", site="porch", area="Porch"}]'])
    bridge = MqttBridge(config, Bus())
    async with observing(mosquitto, "homeassistant/#") as (observer, _), running(bridge):
        payload = json.loads(await observer.wait(
            "homeassistant/sensor/nimbus_porch/state/config"))
    assert payload["device"]["name"] == "Nimbus Porch"
    assert payload["state_topic"] == "nimbus/porch/state"


async def test_no_answer_in_time_and_an_unknown_voice_are_errors_on_a_live_connection(
        tmp_path: object) -> None:
    """Only the server runs (no ASR on this bus): a transcription is never answered."""
    from wyoming.asr import Transcribe  # noqa: PLC0415
    from wyoming.audio import AudioChunk, AudioStart, AudioStop  # noqa: PLC0415
    from wyoming.tts import Synthesize, SynthesizeVoice  # noqa: PLC0415

    config = load_config(None, environ={}, overrides=[
        f'daemon.state_dir="{tmp_path}"', "wyoming.enabled=true", "wyoming.port=0",
        "wyoming.zeroconf=false", "wyoming.answer_timeout_s=1"])
    bus = Bus()
    server = WyomingServer(config, bus)
    async with EventRecorder(bus, Error) as errors, running(server):
        await asyncio.sleep(0.2)
        async with AsyncTcpClient("127.0.0.1", server.port) as tcp:
            await tcp.write_event(Transcribe().event())
            await tcp.write_event(AudioStart(rate=16000, width=2, channels=1).event())
            await tcp.write_event(AudioChunk(rate=16000, width=2, channels=1,
                                             audio=bytes(32000)).event())
            await tcp.write_event(AudioStop().event())
            async with asyncio.timeout(10):
                answer = await tcp.read_event()
            assert answer is not None
            assert answer.type == "error"
            assert answer.data["code"] == "no_answer"
            await tcp.write_event(Synthesize(text="Hi.", voice=SynthesizeVoice(name="nobody"))
                                  .event())
            async with asyncio.timeout(10):
                answer = await tcp.read_event()
            assert answer is not None
            assert answer.data["code"] == "bad_event"
            assert "nobody" in answer.data["text"]
            await tcp.write_event(Describe().event())  # the connection still serves
            async with asyncio.timeout(10):
                answer = await tcp.read_event()
            assert answer is not None
            assert answer.type == "info"
        codes = [e.code for e in errors.events if isinstance(e, Error)]
        assert codes == ["wyoming_no_answer", "wyoming_bad_event"]
