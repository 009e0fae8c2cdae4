"""Bus back-pressure, control-lane priority, unsubscribe and leak behaviour."""

from __future__ import annotations

import asyncio
import gc

import pytest

from nimbus.daemon.bus import Bus
from nimbus.daemon.events import AudioChunk, Shutdown, Stop, Transcript


def _chunk(n: int, site: str = "default") -> AudioChunk:
    return AudioChunk(audio=b"\x00\x00" * 512, sequence=n, site=site)


async def test_stalled_audio_subscriber_neither_blocks_publisher_nor_grows() -> None:
    bus = Bus()
    stalled = bus.subscribe(AudioChunk, maxsize=8, name="stalled")
    live = bus.subscribe(AudioChunk, maxsize=10_000, name="live")
    async with asyncio.timeout(2):  # would hang forever if the stalled subscriber blocked us
        for n in range(5000):
            await bus.publish(_chunk(n))
    assert stalled.qsize() == 8
    assert stalled.dropped == 5000 - 8
    kept = [stalled.get_nowait() for _ in range(8)]
    # The newest audio survives: drop-oldest keeps the stream current.
    assert [c.sequence for c in kept if isinstance(c, AudioChunk)] == list(range(4992, 5000))
    assert live.qsize() == 5000
    assert live.dropped == 0


async def test_stop_overtakes_queued_audio() -> None:
    bus = Bus()
    async with bus.subscribe(AudioChunk, Stop, maxsize=100) as sub:
        for n in range(50):
            await bus.publish(_chunk(n))
        await bus.publish(Stop(reason="yonder"))
        first = await sub.get()
        assert isinstance(first, Stop)
        second = await sub.get()
        assert isinstance(second, AudioChunk)
        assert second.sequence == 0


async def test_control_events_are_never_dropped_publisher_waits() -> None:
    bus = Bus()
    sub = bus.subscribe(Stop, maxsize=1)
    publisher = asyncio.create_task(_publish_stops(bus, 100))
    received = []
    async with asyncio.timeout(5):
        while len(received) < 100:
            event = await sub.get()
            assert isinstance(event, Stop)
            received.append(event.reason)
    await publisher
    assert received == [str(i) for i in range(100)]
    await sub.close()


async def _publish_stops(bus: Bus, count: int) -> None:
    for i in range(count):
        await bus.publish(Stop(reason=str(i)))


async def test_non_audio_data_waits_instead_of_dropping() -> None:
    bus = Bus()
    sub = bus.subscribe(Transcript, maxsize=2)
    await bus.publish(Transcript(text="a"))
    await bus.publish(Transcript(text="b"))
    blocked = asyncio.create_task(bus.publish(Transcript(text="c")))
    await asyncio.sleep(0.05)
    assert not blocked.done()
    assert [getattr(await sub.get(), "text", "") for _ in range(1)] == ["a"]
    await asyncio.wait_for(blocked, 1)
    assert [getattr(await sub.get(), "text", "") for _ in range(2)] == ["b", "c"]
    await sub.close()


async def test_filters_by_type_and_site() -> None:
    bus = Bus()
    async with bus.subscribe(Transcript, sites=["kitchen"]) as sub:
        await bus.publish(Transcript(text="x", site="garage"))
        await bus.publish(_chunk(1, site="kitchen"))
        await bus.publish(Transcript(text="y", site="kitchen"))
        event = await asyncio.wait_for(sub.get(), 1)
        assert isinstance(event, Transcript)
        assert event.text == "y"
        assert sub.qsize() == 0


async def test_close_releases_a_waiting_publisher_and_unsubscribes() -> None:
    bus = Bus()
    sub = bus.subscribe(Transcript, maxsize=1)
    await bus.publish(Transcript(text="fills the queue"))
    blocked = asyncio.create_task(bus.publish(Transcript(text="waits")))
    await asyncio.sleep(0.01)
    assert not blocked.done()
    await sub.close()
    await asyncio.wait_for(blocked, 1)
    assert bus.subscriptions == ()
    # Iterating a closed subscription ends instead of hanging.
    assert [e async for e in sub] == []


async def test_subscriber_task_that_dies_leaves_no_subscription() -> None:
    bus = Bus()

    async def consumer() -> None:
        async with bus.subscribe(Transcript) as sub:
            async for _ in sub:
                raise RuntimeError("consumer bug")

    task = asyncio.create_task(consumer())
    await asyncio.sleep(0)
    assert len(bus.subscriptions) == 1
    await bus.publish(Transcript(text="boom"))
    with pytest.raises(RuntimeError):
        await task
    assert bus.subscriptions == ()

    cancelled = asyncio.create_task(consumer())
    await asyncio.sleep(0)
    cancelled.cancel()
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    assert bus.subscriptions == ()
    gc.collect()
    # Publishing afterwards still works and goes nowhere.
    await asyncio.wait_for(bus.publish(Transcript(text="after")), 1)


async def test_shutdown_is_control_lane_too() -> None:
    bus = Bus()
    async with bus.subscribe(Transcript, Shutdown, maxsize=10) as sub:
        await bus.publish(Transcript(text="queued"))
        await bus.publish(Shutdown(reason="sigterm"))
        assert isinstance(await sub.get(), Shutdown)


async def test_discard_data_flushes_audio_only() -> None:
    bus = Bus()
    async with bus.subscribe(AudioChunk, Transcript) as sub:
        for n in range(5):
            await bus.publish(_chunk(n))
        await bus.publish(Transcript(text="kept"))
        assert sub.discard_data(AudioChunk) == 5
        event = await sub.get()
        assert isinstance(event, Transcript)
