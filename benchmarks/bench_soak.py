"""Soak: mixed load on one daemon for a long time, killed and restarted on a schedule.

    python -m benchmarks soak [--minutes=30] [--window=5] [--kill-every=180]

One real `nimbus run` (WebSocket, Wyoming, MQTT through a real mosquitto, a watched folder)
under a supervisor that does what systemd's ``Restart=always`` does (start it again when it
dies), while a killer sends SIGKILL every ``--kill-every`` seconds. Meanwhile:

* two satellites talk (capacity's simulated satellite: its VAD gate's frames of spoken questions,
  at real-time pace, over WebSocket), reconnecting to wherever the daemon comes back;
* documents churn in the watched folder (create / rewrite / delete every few seconds), with a
  ledger of what each file finally holds;
* a WebSocket client subscribed to everything and an MQTT client asking for status.

Per window: turns asked, answered, p50/p90 end of speech -> first audio, the daemon's RSS (max
of samples every 10 s), kills. At the end: documents lost (a file in the folder whose final
content is not what the store holds, or a deleted file still there: must be 0) and the store's
integrity check. Writes ``benchmarks/results/soak.json`` with the machine and its load.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import math
import os
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import aiomqtt

from benchmarks._harness import print_table, write_results
from benchmarks.capacity import (
    PLAIN,
    SUBSCRIPTION,
    SimulatedSatellite,
    TurnResult,
    satellite_stream,
)
from benchmarks.fault_world import World
from nimbus.cli.client import DaemonClient
from nimbus.cli.satellite_io import find_vad_model
from nimbus.handlers.listening.vad.engine import SileroVad
from tests.conversation import Recorder, spoken


class Soak:
    def __init__(self, world: World, args: argparse.Namespace) -> None:
        self.world = world
        self.args = args
        self.start = time.monotonic()
        self.stop_at = self.start + args.minutes * 60
        self.turns: list[tuple[float, TurnResult]] = []
        self.rss: list[tuple[float, float]] = []
        self.kills: list[float] = []
        self.restarts = 0
        self.ledger: dict[str, str | None] = {}
        self.ws_events = 0
        self.mqtt_replies = 0
        self.churn = world.watch / "churn"
        self.churn.mkdir()

    def running(self) -> bool:
        return time.monotonic() < self.stop_at

    async def supervise(self) -> None:
        """Restart=always, and a SIGKILL every kill_every seconds."""
        next_kill = self.start + self.args.kill_every
        while self.running():
            if not self.world.alive():
                self.restarts += 1
                await asyncio.to_thread(self.world.start)
            if time.monotonic() >= next_kill:
                self.world.kill9()
                self.kills.append(time.monotonic() - self.start)
                next_kill += self.args.kill_every
                continue
            rss = self.world.rss()
            if rss is not None:
                self.rss.append((time.monotonic() - self.start, rss))
            await asyncio.sleep(min(10.0, max(0.5, next_kill - time.monotonic())))

    async def room(self, site: str, streams: list[Any], seed: int) -> None:
        rng = random.Random(seed)
        while self.running():
            try:
                satellite = SimulatedSatellite(self.world.url, site, streams, seed=seed)
                async with DaemonClient(self.world.url, site=site) as client, \
                        Recorder.on(client) as rec:
                    await client.subscribe(SUBSCRIPTION, sites=[site])
                    while self.running():
                        asked = time.monotonic() - self.start
                        result = await satellite._turn(client, rec, rng.choice(streams))
                        self.turns.append((asked, result))
                        if math.isinf(result.first_audio_s):
                            break  # the daemon went away: reconnect
                        await asyncio.sleep(rng.uniform(0.5, 2.0))
            except Exception:
                await asyncio.sleep(2.0)

    async def documents(self) -> None:
        rng = random.Random(3)
        serial = 0
        while self.running():
            names = [n for n, c in self.ledger.items() if c is not None]
            op = rng.choice(["create"] * 3 + ["rewrite"] * 2 + ["delete"]) if names else "create"
            if op == "create" or len(names) < 5:
                serial += 1
                name = f"note-{serial:04d}.txt"
            else:
                name = rng.choice(names)
            path = self.churn / name
            if op == "delete" and len(names) >= 5:
                path.unlink()
                self.ledger[name] = None
            else:
                content = (f"Soak note {name}, revision {rng.randrange(10**6)}: "
                           + " ".join(f"w{rng.randrange(999)}" for _ in range(80)))
                path.write_text(content)
                self.ledger[name] = content
            await asyncio.sleep(rng.uniform(1.0, 5.0))

    async def websocket_watcher(self) -> None:
        while self.running():
            with contextlib.suppress(Exception):
                async with DaemonClient(self.world.url, site="soak-watcher") as client:
                    await client.subscribe(None)
                    async for _event in client.events():
                        self.ws_events += 1
                        if not self.running():
                            return
            await asyncio.sleep(2.0)

    async def mqtt_client(self) -> None:
        broker = self.world.broker
        while self.running():
            with contextlib.suppress(Exception):
                async with aiomqtt.Client(broker.host, broker.port,
                                          identifier="soak-client") as client:
                    await client.subscribe("nimbus/+/event/status.report")

                    async def ask() -> None:
                        while self.running():
                            await client.publish("nimbus/default/cmd/status", b"", qos=1)
                            await asyncio.sleep(5.0)

                    task = asyncio.create_task(ask())
                    try:
                        async for _message in client.messages:
                            self.mqtt_replies += 1
                            if not self.running():
                                break
                    finally:
                        task.cancel()
            await asyncio.sleep(2.0)

    async def run(self) -> None:
        vad = SileroVad(find_vad_model())
        streams = [satellite_stream(spoken(q, lead_s=0.6, tail_s=1.6), vad) for q in PLAIN[:6]]
        tasks = [asyncio.create_task(coro) for coro in (
            self.supervise(), self.room("soak-kitchen", streams, 1),
            self.room("soak-porch", streams, 2), self.documents(), self.websocket_watcher(),
            self.mqtt_client())]
        await asyncio.sleep(max(0.0, self.stop_at - time.monotonic()))
        await asyncio.sleep(5)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def lost_documents(self) -> tuple[int, int]:
        """(lost, checked): files whose final content the store does not hold, or ghosts."""
        rows = {r[0]: (r[1], r[2]) for r in self.world.sql(
            "SELECT path, status, hash FROM documents WHERE path LIKE ?", f"{self.churn}/%")}
        lost = 0
        for name, content in self.ledger.items():
            row = rows.get(str(self.churn / name))
            if content is None:
                lost += row is not None
            else:
                digest = hashlib.sha256(content.encode()).hexdigest()
                lost += row is None or row != ("indexed", digest)
        return lost, len(self.ledger)

    def windows(self) -> list[dict[str, Any]]:
        width = self.args.window * 60
        rows = []
        for w in range(math.ceil(self.args.minutes * 60 / width)):
            lo, hi = w * width, (w + 1) * width
            turns = [r for t, r in self.turns if lo <= t < hi and not r.missed]
            firsts = sorted(r.first_audio_s for r in turns if math.isfinite(r.first_audio_s))
            rss = [m for t, m in self.rss if lo <= t < hi]
            rows.append({
                "window": f"{lo / 60:g}-{hi / 60:g} min", "turns": len(turns),
                "answered": len(firsts),
                "p50_first_audio_s": round(statistics.median(firsts), 2) if firsts else None,
                "p90_first_audio_s": round(firsts[min(len(firsts) - 1,
                                                      round(0.9 * (len(firsts) - 1)))], 2)
                if firsts else None,
                "rss_max_mb": max(rss) if rss else None,
                "kills": sum(1 for k in self.kills if lo <= k < hi),
            })
        return rows


def main(argv: list[str]) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks soak")
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--window", type=float, default=5.0)
    parser.add_argument("--kill-every", type=float, default=180.0)
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="nimbus-soak-"))
    world = World(root)
    load_before = os.getloadavg()
    world.start()
    soak = Soak(world, args)
    try:
        asyncio.run(soak.run())
        if not world.alive():
            world.start()
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:  # the churn's last changes settle and are ingested
            with contextlib.suppress(Exception):
                if world.queued() == 0:
                    break
            time.sleep(1.0)
        time.sleep(3.0)
        lost, checked = soak.lost_documents()
        integrity = world.sql("PRAGMA integrity_check")[0][0]
    finally:
        world.stop()
    rows = soak.windows()
    print_table(f"Soak: {args.minutes:g} min, SIGKILL every {args.kill_every:g} s", rows)
    summary = {"documents_checked": checked, "documents_lost": lost, "integrity": integrity,
               "kills": len(soak.kills), "restarts": soak.restarts,
               "turns": len(soak.turns), "websocket_events": soak.ws_events,
               "mqtt_status_replies": soak.mqtt_replies,
               "load_before": load_before, "load_after": os.getloadavg()}
    print(f"\n{summary}\nlogs in {root}")
    write_results("soak", rows, summary=summary, args=vars(args))
    return rows
