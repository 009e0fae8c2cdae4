"""Ugly input and overload on a real socket: huge frames, bad bytes, floods, a stalled client."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from websockets.asyncio.client import ClientConnection, connect

from nimbus.daemon import codec
from nimbus.daemon.events import (
    AssistantState,
    AudioChunk,
    AudioOut,
    Error,
    StateChanged,
    Status,
    Stop,
    Transcript,
)
from nimbus.handlers.interfaces.websocket.handler import MIC_HOLD_S
from tests.handlers.interfaces.ws_helpers import (
    Served,
    closed_code,
    hello,
    next_message,
    serve_ws,
    status_round_trip,
    subscribe,
    wait_until,
)


@pytest.fixture
def extra_settings() -> list[str]:
    return []


@pytest.fixture
async def served(state_dir: Path, watch_dir: Path, extra_settings: list[str]
                 ) -> AsyncIterator[Served]:
    async with serve_ws(state_dir, watch_dir, *extra_settings) as running_server:
        yield running_server


async def test_a_10_mb_frame_closes_only_that_client_with_1009(served: Served) -> None:
    big, _ = await hello(served.url)
    bystander, _ = await hello(served.url)
    await big.send(b"\x00" * (10 * 1024 * 1024))
    assert await closed_code(big) == 1009
    big_text, _ = await hello(served.url)
    await big_text.send("x" * (10 * 1024 * 1024))
    assert await closed_code(big_text) == 1009
    assert (await status_round_trip(bystander))["type"] == "status.report"
    await bystander.close()


async def test_bad_bytes_get_errors_and_the_connection_is_kept(served: Served) -> None:
    conn, _ = await hello(served.url, site="ugly")
    cases: list[tuple[str | bytes, str]] = [
        (b"\x00\x01", "short_frame"),
        (codec.encode_frame(Transcript(text="binary where text is expected")), "binary_not_audio"),
        (b"\x00\x00\x00\x03\xc3\x28\xa0", "bad_utf8"),
        ("{oops", "bad_json"),
        ("[" * 30_000 + "]" * 30_000, "too_deep"),
        ('{"type":"cmd.ask","text":["not","a","string"]}', "bad_field"),
        ('{"type":"teleport"}', "unknown_type"),
        ('{"type":"response.done","text":"spoofed"}', "not_allowed"),
        ('"just a string"', "bad_message"),
        # a nonsense rate would make the resampler turn 1 KiB into minutes of audio
        (codec.encode_frame(AudioChunk(audio=bytes(1024), rate=1)), "bad_audio_format"),
        (codec.encode_frame(AudioChunk(audio=bytes(1026), rate=16000, width=3)),
         "bad_audio_format"),
    ]
    for message, code in cases:
        await conn.send(message)
        error = await next_message(conn, "error")
        assert error["code"] == code, (message[:40], error)
        assert error["stage"] == "websocket"
        assert error["site"] == "ugly"
    assert (await status_round_trip(conn))["type"] == "status.report"
    errors = [e for e in served.recorder.of(Error) if e.site == "ugly"]
    assert len(errors) == len(cases)  # each bad message is also an error event on the bus
    await conn.close()


async def test_invalid_utf8_in_a_text_frame_fails_the_connection_per_rfc6455(
    served: Served,
) -> None:
    conn, _ = await hello(served.url)
    # websockets validates text frames; craft one by hand below the library: a raw frame.
    await conn.send(b"placeholder")  # binary garbage is answered, text must be valid UTF-8
    assert (await next_message(conn, "error"))["code"] in ("too_large", "short_frame")
    transport = conn.transport
    # FIN + text opcode, masked, 2-byte payload \xc3\x28 (invalid UTF-8), mask key 0.
    transport.write(b"\x81\x82\x00\x00\x00\x00\xc3\x28")
    assert await closed_code(conn) in (1007, 1006)


@pytest.mark.parametrize("extra_settings", [["websocket.commands_per_second=20"]])
async def test_1000_commands_per_second_are_rate_limited_without_hurting_others(
    served: Served,
) -> None:
    flooder, _ = await hello(served.url, site="flood")
    calm, _ = await hello(served.url, site="calm")
    started = time.monotonic()
    for _ in range(1000):
        await flooder.send('{"type":"status"}')
    limited = await next_message(flooder, "error")
    assert limited["code"] == "rate_limited"
    assert (await status_round_trip(calm))["site"] == "calm"
    elapsed = time.monotonic() - started
    await asyncio.sleep(0.3)
    published = [e for e in served.recorder.of(Status) if e.site == "flood"]
    # burst (2 x rate) plus what the rate refills while the flood lasted; nowhere near 1000
    assert 0 < len(published) <= 40 + 20 * (elapsed + 0.3) + 1
    assert len(published) < 1000
    await asyncio.sleep(0.2)
    assert (await status_round_trip(flooder))["site"] == "flood"  # still connected
    await flooder.close()
    await calm.close()


async def test_audio_faster_than_real_time_is_cut_back_without_hurting_other_rooms(
    served: Served,
) -> None:
    # 60 s of audio in one-second frames, as fast as the socket takes them (far under the
    # frame rate limit): a satellite replaying a recording, or a broken one.
    flooder, _ = await hello(served.url, site="flood")
    calm, _ = await hello(served.url, site="calm")
    second = bytes(32000)
    started = time.monotonic()
    for _ in range(60):
        await flooder.send(codec.encode_frame(AudioChunk(audio=second)))
    limited = await next_message(flooder, "error")
    assert limited["code"] == "rate_limited"
    assert "faster than 4x real time" in limited["message"]
    await calm.send(codec.encode_frame(AudioChunk(audio=bytes(1024))))
    await wait_until(lambda: any(e.site == "calm" for e in served.recorder.of(AudioChunk)))
    elapsed = time.monotonic() - started
    flooded = sum(e.duration for e in served.recorder.of(AudioChunk)
                  if isinstance(e, AudioChunk) and e.site == "flood")
    # the 30 s burst plus 4 s of audio per second of the flood; nowhere near 60 s
    assert 30 <= flooded <= 30 + 4 * elapsed + 1
    assert any(e.code == "rate_limited" and e.site == "flood"
               for e in served.recorder.of(Error) if isinstance(e, Error))
    await flooder.close()
    await calm.close()


async def test_a_room_that_drops_mid_answer_is_stopped_and_its_speech_closed(
    served: Served,
) -> None:
    kitchen, _ = await hello(served.url, site="kitchen")
    bedroom, _ = await hello(served.url, site="bedroom")
    await kitchen.send(codec.encode_frame(AudioChunk(audio=bytes(1024))))
    for site in ("kitchen", "bedroom"):
        await served.bus.publish(StateChanged(site=site, state=AssistantState.SPEAKING,
                                              previous=AssistantState.THINKING))
    await status_round_trip(kitchen)  # the fan-out has seen the states
    await kitchen.close()
    stop = await served.recorder.wait_for(Stop)
    assert isinstance(stop, Stop)
    assert (stop.site, stop.reason) == ("kitchen", "client disconnected")
    (gone,) = [e for e in served.recorder.of(Error) if isinstance(e, Error)
               and e.code == "client_gone"]
    assert gone.site == "kitchen"
    assert "in the middle of an answer" in gone.message
    # its microphone's stream is ended, so speech cut off by the drop is closed at once
    assert [e.audio for e in served.recorder.of(AudioChunk) if e.site == "kitchen"][-1] == b""
    # the other room keeps its answer; an idle room that leaves stops nothing
    idle, _ = await hello(served.url, site="porch")
    await idle.close()
    await asyncio.sleep(0.5)
    assert [e.site for e in served.recorder.of(Stop)] == ["kitchen"]
    assert (await status_round_trip(bedroom))["site"] == "bedroom"
    await bedroom.close()


@pytest.mark.parametrize("extra_settings", [[
    "websocket.client_queue=64", "websocket.client_queue_bytes=1048576",
    "websocket.max_clients=64",
]])
async def test_50_clients_with_one_stalled(served: Served) -> None:
    readers: list[ClientConnection] = []
    for i in range(49):
        conn, _ = await hello(served.url, site=f"reader-{i}")
        await subscribe(conn, ["transcript"])
        readers.append(conn)
    # max_queue=1: the library stops reading the socket after one frame, like a hung app.
    stalled = await connect(served.url, max_queue=1, compression=None)
    await stalled.send(json.dumps({"type": "hello", "protocol": 1, "site": "stalled"}))
    await next_message(stalled, "welcome")
    await subscribe(stalled, ["transcript", "audio.out"])

    total = 400
    speech = b"\x01\x00" * 16000  # 1 s of audio per frame: 32 kB
    counts = [0] * len(readers)

    async def read_all(index: int, conn: ClientConnection) -> list[int]:
        seen: list[int] = []
        async with asyncio.timeout(60):
            while len(seen) < total:
                data = json.loads(await conn.recv())
                if data["type"] == "transcript":
                    seen.append(int(data["text"]))
                    counts[index] += 1
        return seen

    tasks = [asyncio.create_task(read_all(i, c)) for i, c in enumerate(readers)]
    for n in range(total):
        await served.bus.publish(AudioOut(site="x", audio=speech, index=n))
        await served.bus.publish(Transcript(site="x", text=str(n)))
    results = await asyncio.gather(*tasks)
    assert all(seen == list(range(total)) for seen in results)  # everyone got everything, in order
    # The stalled client lost audio first and was then disconnected as too far behind.
    assert await closed_code(stalled, within=30) == 4001
    assert "too far behind" in (stalled.close_reason or "")
    await wait_until(lambda: served.server.clients == 49)
    assert served.recorder.of(AudioChunk) == []
    for conn in readers:
        await conn.close()


async def test_two_satellites_claiming_one_site_the_second_is_refused(served: Served) -> None:
    first, _ = await hello(served.url, site="kitchen")
    second, welcome = await hello(served.url, site="kitchen")
    other, _ = await hello(served.url, site="bedroom")
    assert welcome["site"] == "kitchen"

    def chunk(site: str, value: int) -> bytes:
        return codec.encode_frame(AudioChunk(site=site, audio=value.to_bytes(2, "little") * 512))

    await first.send(chunk("kitchen", 1))
    await wait_until(lambda: any(e.site == "kitchen" for e in served.recorder.of(AudioChunk)))
    for _ in range(3):
        await second.send(chunk("kitchen", 2))
    taken = await next_message(second, "error")
    assert taken["code"] == "site_taken"
    assert "kitchen" in taken["message"]
    await other.send(chunk("bedroom", 3))
    await first.send(chunk("kitchen", 1))
    await wait_until(lambda: len([e for e in served.recorder.of(AudioChunk)
                                  if e.site in ("kitchen", "bedroom")]) >= 3)
    heard = [(e.site, e.audio[:2]) for e in served.recorder.of(AudioChunk)]
    assert ("kitchen", (2).to_bytes(2, "little")) not in heard, "the second room's audio is refused"
    assert heard.count(("kitchen", (1).to_bytes(2, "little"))) == 2
    assert ("bedroom", (3).to_bytes(2, "little")) in heard
    assert any(e.code == "site_taken" for e in served.recorder.of(Error))
    # The first has been quiet for MIC_HOLD_S (or leaves): the other connection may speak.
    await asyncio.sleep(MIC_HOLD_S + 0.2)
    await second.send(chunk("kitchen", 2))
    await wait_until(lambda: ("kitchen", (2).to_bytes(2, "little")) in
                     [(e.site, e.audio[:2]) for e in served.recorder.of(AudioChunk)])
    await first.close()
    await second.close()
    await other.close()
