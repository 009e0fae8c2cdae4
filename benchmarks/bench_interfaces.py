"""Interfaces: WebSocket event fan-out to 1/10/100 clients, MQTT publish latency, memory per client.

Everything runs on 127.0.0.1. Fan-out clients live in a child process (so they do not share the
server's event loop); latency is publish-on-bus -> client receive, measured with
``time.monotonic`` (the same clock in both processes on Linux). ``--quick`` does fewer events.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from benchmarks._harness import print_table, summarize, write_results

_CLIENTS = r"""
import asyncio, json, sys, time
from websockets.asyncio.client import connect

async def one(url, n_events, out):
    async with connect(url, compression=None, max_queue=None) as ws:
        await ws.send(json.dumps({"type": "hello", "protocol": 1}))
        await ws.recv()
        await ws.send(json.dumps({"type": "subscribe", "events": ["transcript"]}))
        await ws.recv()
        out["ready"] += 1
        got = 0
        while got < n_events:
            data = json.loads(await ws.recv())
            if data.get("type") == "transcript":
                out["lat"].append(time.monotonic() - float(data["text"]))
                got += 1
        out["done"] = time.monotonic()

async def main():
    url, clients, n_events, hold = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    out = {"ready": 0, "lat": [], "done": 0.0}
    tasks = [asyncio.create_task(one(url, n_events, out)) for _ in range(clients)]
    while out["ready"] < clients:
        await asyncio.sleep(0.01)
    print("ready", flush=True)
    if hold == "hold":
        await asyncio.sleep(3600)
    await asyncio.gather(*tasks)
    print(json.dumps({"lat": out["lat"], "done": out["done"]}), flush=True)

asyncio.run(main())
"""


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@contextlib.asynccontextmanager
async def _server(tmp: Path, *settings: str) -> Any:
    from nimbus.daemon.bus import Bus  # noqa: PLC0415 - benchmark-local imports
    from nimbus.daemon.config import load_config  # noqa: PLC0415
    from nimbus.daemon.testing import running  # noqa: PLC0415
    from nimbus.handlers.interfaces.websocket.handler import WebSocketServer  # noqa: PLC0415

    config = load_config(None, environ={}, overrides=[
        f'daemon.state_dir="{tmp}"', "websocket.port=0", "websocket.max_clients=1000",
        "websocket.client_queue=4096", *settings])
    bus = Bus()
    server = WebSocketServer(config, bus)
    async with running(server):
        yield bus, server


async def _fan_out(clients: int, events: int, tmp: Path) -> dict[str, Any]:
    from nimbus.daemon.events import Transcript  # noqa: PLC0415

    async with _server(tmp) as (bus, server):
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-c", _CLIENTS, server.url, str(clients), str(events), "run",
            stdout=asyncio.subprocess.PIPE)
        assert proc.stdout is not None
        assert (await proc.stdout.readline()).strip() == b"ready"
        started = time.monotonic()
        for _ in range(events):
            await bus.publish(Transcript(site="bench", text=repr(time.monotonic())))
            await asyncio.sleep(0.002)  # ~500 events/s offered
        line = await asyncio.wait_for(proc.stdout.read(), 300)
        await proc.wait()
        result = json.loads(line)
    elapsed = result["done"] - started
    lat = summarize([x * 1000 for x in result["lat"]])
    return {"clients": clients, "events": events, "deliveries": len(result["lat"]),
            "deliveries_per_s": round(len(result["lat"]) / elapsed),
            "latency_ms_median": round(lat["median"], 2), "latency_ms_p90": round(lat["p90"], 2),
            "latency_ms_max": round(lat["max"], 2)}


async def _memory(clients: int, tmp: Path) -> dict[str, Any]:
    async with _server(tmp) as (_, server):
        await asyncio.sleep(0.2)
        tracemalloc.start()
        before = _rss_kib()
        heap_before = tracemalloc.get_traced_memory()[0]
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-c", _CLIENTS, server.url, str(clients), "1", "hold",
            stdout=asyncio.subprocess.PIPE)
        assert proc.stdout is not None
        assert (await proc.stdout.readline()).strip() == b"ready"
        await asyncio.sleep(0.5)
        after = _rss_kib()
        heap_after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        connected = server.clients
        proc.kill()
        await proc.wait()
    return {"clients": connected, "server_rss_kib_delta": after - before,
            "rss_kib_per_client": round((after - before) / max(connected, 1), 1),
            "python_heap_kib_per_client": round((heap_after - heap_before) / 1024
                                                / max(connected, 1), 1)}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def _mqtt(events: int, tmp: Path) -> dict[str, Any] | None:
    import aiomqtt  # noqa: PLC0415

    from nimbus.daemon.bus import Bus  # noqa: PLC0415
    from nimbus.daemon.config import load_config  # noqa: PLC0415
    from nimbus.daemon.events import Transcript  # noqa: PLC0415
    from nimbus.daemon.testing import running  # noqa: PLC0415
    from nimbus.handlers.interfaces.mqtt.handler import MqttBridge  # noqa: PLC0415

    broker = shutil.which("mosquitto")
    if broker is None:
        print("mosquitto not installed: MQTT benchmark skipped")
        return None
    port = _free_port()
    conf = tmp / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
                    + ("user root\n" if os.geteuid() == 0 else ""))
    proc = subprocess.Popen([broker, "-c", str(conf)], stdout=subprocess.DEVNULL,  # noqa: ASYNC220
                            stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.1):
                break
            await asyncio.sleep(0.05)
        config = load_config(None, environ={}, overrides=[
            f'daemon.state_dir="{tmp}"', "mqtt.enabled=true", f"mqtt.port={port}"])
        bus = Bus()
        bridge = MqttBridge(config, bus)
        latencies: list[float] = []
        async with running(bridge), aiomqtt.Client("127.0.0.1", port) as observer:
            await asyncio.wait_for(bridge.connected.wait(), 10)
            await observer.subscribe("nimbus/bench/event/transcript", qos=1)

            async def receive() -> None:
                async for message in observer.messages:
                    assert isinstance(message.payload, bytes)
                    sent = float(json.loads(message.payload)["text"])
                    latencies.append(time.monotonic() - sent)
                    if len(latencies) >= events:
                        return

            task = asyncio.create_task(receive())
            await asyncio.sleep(0.2)
            for _ in range(events):
                await bus.publish(Transcript(site="bench", text=repr(time.monotonic())))
                await asyncio.sleep(0.005)
            await asyncio.wait_for(task, 60)
    finally:
        proc.terminate()
        proc.wait()
    lat = summarize([x * 1000 for x in latencies])
    return {"messages": len(latencies), "qos": 1, "latency_ms_median": round(lat["median"], 2),
            "latency_ms_p90": round(lat["p90"], 2), "latency_ms_max": round(lat["max"], 2)}


async def _run(quick: bool) -> list[dict[str, Any]]:
    events = 100 if quick else 500
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for clients in (100, 500):  # first, before the fan-out runs grow the heap
            rows.append({"bench": "ws_memory", **await _memory(clients, Path(tmp))})  # noqa: PERF401 - sequential
        for clients in (1, 10, 100):
            rows.append({"bench": "ws_fanout",  # noqa: PERF401 - sequential on purpose
                         **await _fan_out(clients, events, Path(tmp))})
        mqtt = await _mqtt(events, Path(tmp))
        if mqtt is not None:
            rows.append({"bench": "mqtt_publish", **mqtt})
    return rows


def main(argv: list[str]) -> list[dict[str, Any]]:
    rows = asyncio.run(_run("--quick" in argv))
    print_table("interfaces: WebSocket fan-out (transcript events, ~500/s offered)",
                [r for r in rows if r["bench"] == "ws_fanout"])
    print_table("interfaces: server memory per connected WebSocket client",
                [r for r in rows if r["bench"] == "ws_memory"])
    print_table("interfaces: MQTT publish latency (bus -> mosquitto -> subscriber)",
                [r for r in rows if r["bench"] == "mqtt_publish"])
    path = write_results("interfaces", rows)
    print(f"\nwrote {path}")
    return rows


if __name__ == "__main__":
    main(sys.argv[1:])
