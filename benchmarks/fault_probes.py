"""The probes of the faults benchmark: each does something an attacker or an unlucky user would,
then says what it tried, how much was handled as documented, and how many documents were lost.

A probe returns ``(tried, handled, lost, note)``; the runner (bench_faults) adds crash (the
daemon died), hung (it stopped answering) and RSS before/after.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import socket
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiomqtt

from benchmarks.fault_world import World
from nimbus.cli.client import DaemonClient
from nimbus.daemon.events import (
    Ask,
    Command,
    ResponseDelta,
    ResponseDone,
    ResponseStarted,
    Status,
)
from tests.watchfolders.pdfs import make_pdf

__all__ = ["PROBES", "Outcome"]

Outcome = tuple[int, int, int, str]
Probe = Callable[[World], Awaitable[Outcome]]


def _indexed(world: World, folder: Path) -> int:
    return sum(1 for s, _ in world.docs(folder).values() if s == "indexed")


# --- the watched folder -------------------------------------------------------------------------


async def symlink_out(world: World) -> Outcome:
    secret = world.outside / "secret.txt"
    secret.write_text("The vault password is plover-tangerine-58.")
    (world.outside / "dir").mkdir(exist_ok=True)
    (world.outside / "dir" / "more.txt").write_text("The alarm code is heron-91.")
    folder = world.watch / "links"
    folder.mkdir()
    (folder / "link.txt").symlink_to(secret)
    (folder / "dirlink").symlink_to(world.outside / "dir", target_is_directory=True)
    await world.until(lambda: len(world.docs(folder)) >= 2, 60)
    refused = sum(1 for _, code in world.docs(folder).values() if code == "outside_watched")
    leaked = world.sql("SELECT count(*) FROM chunks WHERE text LIKE '%plover%' "
                       "OR text LIKE '%heron-91%'")[0][0]
    return 2, refused if not leaked else 0, 0, f"{leaked} leaked chunk(s)"


async def hard_link(world: World) -> Outcome:
    source = world.outside / "hard.txt"
    source.write_text("The hard-linked note says the shed key hangs by the door.")
    folder = world.watch / "hard"
    folder.mkdir()
    os.link(source, folder / "hard.txt")
    ok = await world.until(lambda: _indexed(world, folder) == 1, 60)
    return 1, int(ok), int(not ok), "indexed: a hard link is a file of the folder (documented)"


ODD = ["odd name\nwith newline.txt", "ünïcødé ☂ notes.txt", "-leading-dash.txt",
       "x" * 240 + ".txt", "many   spaces.md", "quote'and\"double.txt", "back\\slash.txt",
       "emoji 🐙 list.txt", "tab\tname.txt", "semi;colon&amp.txt"]


async def odd_names(world: World) -> Outcome:
    folder = world.watch / "odd"
    folder.mkdir()
    for i, name in enumerate(ODD):
        (folder / name).write_text(f"Odd file {i}: the answer is {i * 7}.")
    await world.until(lambda: _indexed(world, folder) == len(ODD), 120)
    done = _indexed(world, folder)
    return len(ODD), done, len(ODD) - done, ""


async def huge_and_pdfs(world: World) -> Outcome:
    folder = world.watch / "ugly"
    folder.mkdir()
    with (folder / "huge.txt").open("wb") as handle:  # sparse: 2 GB, no disk used
        handle.truncate(2 << 30)
    (folder / "junk.pdf").write_bytes(os.urandom(50_000))
    (folder / "empty.pdf").write_bytes(b"")
    make_pdf(folder / "locked.pdf", ["the locked secret"], password="pw")
    make_pdf(folder / "long.pdf", [f"Page {i} of the manual: step {i}." for i in range(300)])
    expected = {"huge.txt": "too_large", "junk.pdf": "corrupt_pdf", "empty.pdf": "empty",
                "locked.pdf": "encrypted_pdf", "long.pdf": None}
    await world.until(lambda: len(world.docs(folder)) == len(expected)
                      and world.queued() == 0, 180)
    got = {Path(p).name: code for p, (_, code) in world.docs(folder).items()}
    handled = sum(1 for name, code in expected.items() if name in got and got[name] == code)
    return len(expected), handled, int("long.pdf" not in got), json.dumps(got)


async def two_thousand(world: World) -> Outcome:
    folder = world.watch / "bulk"
    folder.mkdir()
    for i in range(2000):
        (folder / f"n{i:04d}.txt").write_text(f"Bulk note {i}: item {i} lives on shelf {i % 40}.")
    started = time.monotonic()
    await world.until(lambda: _indexed(world, folder) == 2000, 900)
    done = _indexed(world, folder)
    return 2000, done, 2000 - done, f"{time.monotonic() - started:.0f} s to index"


async def rewrite_and_delete(world: World) -> Outcome:
    folder = world.watch / "churn"
    folder.mkdir()
    moving = folder / "moving.txt"
    for version in range(40):  # rewritten every 50 ms while the watcher and ingest look at it
        moving.write_text(f"Draft version {version}: " + "words " * 200)
        await asyncio.sleep(0.05)
    for i in range(200):
        (folder / f"d{i:03d}.txt").write_text(f"Short-lived note {i}.")
    await asyncio.sleep(0.2)
    for i in range(0, 200, 2):
        (folder / f"d{i:03d}.txt").unlink()
    await world.until(lambda: world.queued() == 0
                      and len(world.docs(folder)) == 101, 180)
    state = world.docs(folder)
    survivors = sum(1 for i in range(1, 200, 2) if state.get(str(folder / f"d{i:03d}.txt"),
                                                              ("",))[0] == "indexed")
    ghosts = sum(1 for i in range(0, 200, 2) if str(folder / f"d{i:03d}.txt") in state)
    final = world.sql("SELECT count(*) FROM chunks c JOIN documents d ON d.id = c.doc_id "
                      "WHERE d.path = ? AND c.text LIKE 'Draft version 39%'", str(moving))[0][0]
    handled = survivors + (1 if final else 0) + (100 - ghosts)
    return 201, handled, (100 - survivors) + (0 if final else 1), f"{ghosts} ghost(s)"


# --- crashes -------------------------------------------------------------------------------------


async def sigkill_ingest(world: World) -> Outcome:
    folder = world.watch / "killed"
    folder.mkdir()
    for i in range(300):
        (folder / f"k{i:03d}.txt").write_text(
            f"Killed batch note {i}. " + " ".join(f"w{i}x{j}" for j in range(60)))
    kills = 0
    for _ in range(5):  # kill -9 a few seconds after each ready, as an OOM killer would
        await world.until(lambda: _indexed(world, folder) > 0, 120)
        await asyncio.sleep(random.uniform(1.0, 3.0))
        if _indexed(world, folder) == 300:
            break
        world.kill9()
        kills += 1
        await asyncio.to_thread(world.start)
    await world.until(lambda: _indexed(world, folder) == 300, 600)
    state = world.docs(folder)
    done = sum(1 for s, _ in state.values() if s == "indexed")
    gave_up = sum(1 for _, code in state.values() if code == "gave_up")
    ok = world.sql("PRAGMA integrity_check") == [("ok",)]
    return 300, done if ok else 0, 300 - done, f"{kills} kill -9, {gave_up} gave_up, " \
        f"integrity {'ok' if ok else 'BAD'}"


async def sigkill_answer(world: World) -> Outcome:
    async def ask(text: str) -> tuple[bool, bool]:
        async with DaemonClient(world.url, site="asker") as client:
            # The request follows causes: command -> response.started -> deltas -> done.
            await client.subscribe([Command, ResponseStarted, ResponseDelta, ResponseDone])
            started = False
            async for event in client.request(Ask(text=text), until=lambda e: isinstance(
                    e, ResponseDone | ResponseDelta), timeout=120):
                started = started or isinstance(event, ResponseDelta | ResponseDone)
            return started, True

    task = asyncio.create_task(ask("Which shelf holds item 12?"))
    await asyncio.sleep(1.5)
    world.kill9()
    with contextlib.suppress(Exception):
        await task
    await asyncio.to_thread(world.start)
    answered, _ = await ask("Which shelf holds item 7?")
    ok = world.sql("PRAGMA integrity_check") == [("ok",)]
    return 1, int(answered and ok), 0, "answered after restart" if answered else "no answer"


# --- WebSocket ------------------------------------------------------------------------------------


async def ws_flood(world: World) -> Outcome:
    errors = answered = 0
    async with DaemonClient(world.url, site="flooder") as client:
        async def read() -> None:
            nonlocal errors, answered
            async for event in client.events():
                if event.type.value == "error":
                    errors += 1
                elif event.type.value == "status.report":
                    answered += 1

        reader = asyncio.create_task(read())
        for _ in range(3000):
            await client.send(Status())
        await asyncio.sleep(3)
        reader.cancel()
    # Documented: over commands_per_second (burst 2x) messages are dropped, with one
    # rate_limited error per second. Handled = answered + dropped once the client was told.
    handled = 3000 if errors else answered
    return 3000, handled, 0, (f"{answered} answered, {3000 - answered} dropped with "
                              f"{errors} rate_limited error(s)")


async def ws_abuse(world: World) -> Outcome:
    from websockets.asyncio.client import connect  # noqa: PLC0415

    handled = tried = 0
    for _ in range(5):  # oversized: 2 MB text
        tried += 1
        try:
            async with connect(world.url, max_size=None) as ws:
                await ws.send("x" * (2 << 20))
                await asyncio.wait_for(ws.recv(), 10)
        except Exception:
            handled += 1
    rng = random.Random(7)
    async with connect(world.url) as ws:  # malformed after a good hello
        await ws.send(json.dumps({"type": "hello", "protocol": 1, "site": "fuzzer"}))
        await ws.recv()
        seeds = [b'{"type": "cmd.ask", "text": "hi"}', b'{"type": "subscribe", "events": []}']
        for _ in range(300):
            data = bytearray(rng.choice(seeds))
            for _ in range(rng.randint(1, 4)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            tried += 1
            try:
                await ws.send(bytes(data).decode("utf-8", "replace"))
                handled += 1  # each gets an error reply or is a valid command
            except Exception:
                handled += 1
                break
    return tried, handled, 0, "oversized closed; mutated messages answered"


async def ws_many(world: World) -> Outcome:
    from websockets.asyncio.client import connect  # noqa: PLC0415

    opened, refused = [], 0
    for _ in range(150):
        try:
            ws = await connect(world.url, open_timeout=5)
            await ws.send(json.dumps({"type": "hello", "protocol": 1}))
            reply = json.loads(await asyncio.wait_for(ws.recv(), 5))
            if reply.get("type") == "welcome":
                opened.append(ws)
            else:
                refused += 1
                await ws.close()
        except Exception:
            refused += 1
    for ws in opened:
        await ws.close()
    return 150, len(opened) + refused, 0, f"{len(opened)} served, {refused} refused (max 64)"


# --- Wyoming --------------------------------------------------------------------------------------


async def _closed(port: int, data: bytes, within: float) -> bool:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    try:
        async with asyncio.timeout(within):
            while await reader.read(65536):
                pass
    except TimeoutError:
        return False
    else:
        return True
    finally:
        writer.close()


async def wyoming_abuse(world: World) -> Outcome:
    port = world.wyoming_port
    stall = b'{"type": "audio-chunk", "payload_length": 1000}\n' + b"\0" * 10
    results = await asyncio.gather(*(_closed(port, stall, 8) for _ in range(5)))
    rng = random.Random(11)
    seeds = [b'{"type": "describe"}\n', b'{"type": "transcribe", "data_length": 4}\n{}  ',
             b'{"type": "audio-chunk", "payload_length": 999999999}\n']
    mutated = []
    for _ in range(200):
        data = bytearray(rng.choice(seeds))
        data[rng.randrange(len(data))] = rng.randrange(256)
        mutated.append(bytes(data) + b"\n\n")
    closed = [await _closed(port, m, 8) for m in mutated]
    many = []
    for _ in range(200):
        with contextlib.suppress(OSError):
            many.append(socket.create_connection(("127.0.0.1", port), timeout=5))
    for sock in many:
        sock.close()
    return 405, sum(results) + sum(closed) + len(many), 0, (
        f"stalled mid-frame dropped {sum(results)}/5; mutated frames closed {sum(closed)}/200; "
        f"{len(many)}/200 connections")


# --- MQTT -----------------------------------------------------------------------------------------


async def mqtt_abuse(world: World) -> Outcome:
    broker = world.broker
    rng = random.Random(5)
    async with aiomqtt.Client(broker.host, broker.port, identifier="nimbus-default") as spoof:
        await spoof.publish("nimbus/default/cmd/status", b"", qos=0)  # the old guessable id
    async with aiomqtt.Client(broker.host, broker.port, identifier="abuser") as client:
        for _ in range(2000):
            await client.publish("nimbus/default/cmd/status", b"", qos=0)
        for _ in range(300):
            topic = rng.choice(["nimbus/default/cmd/ask", "nimbus/default/cmd/say",
                                "nimbus/default/audio/in", "nimbus/bad site/cmd/ask"])
            payload = bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))
            await client.publish(topic, payload, qos=0)
        await client.publish("nimbus/default/cmd/say", b"retained words", qos=1, retain=True)
    await asyncio.sleep(3)
    healthy = await world.healthy()
    return 2302, 2302 if healthy else 0, 0, "flood, garbage, retained; bridge still serving"


async def retained_replays(world: World) -> Outcome:
    """After the daemon restarts of the crash probes, the retained cmd/say published by
    mqtt_abuse was replayed by the broker on each new connection: it must never be spoken."""
    log = world.daemon.log_path.read_text(encoding="utf-8", errors="replace")
    spoken = log.count("cmd.say site=default text='retained words'")
    ignored = sum(1 for line in log.splitlines() if " WARNING " in line
                  and "nimbus/default/cmd/say: ignored a retained message" in line)
    # Spoken once live (a live message reaches a connected bridge without the retain flag).
    return max(1, ignored), ignored if spoken <= 1 else 0, 0, \
        f"replays ignored: {ignored}; spoken: {spoken} (the live delivery)"


async def broker_restart(world: World) -> Outcome:
    seen: list[bytes] = []
    world.broker.kill()
    await asyncio.sleep(3)
    world.broker.start()
    async with aiomqtt.Client(world.broker.host, world.broker.port, identifier="watcher") as c:
        await c.subscribe("nimbus/availability")
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(40):
                async for message in c.messages:
                    seen.append(bytes(message.payload))  # type: ignore[arg-type]
                    if message.payload == b"online":
                        break
    back = b"online" in seen
    return 1, int(back), 0, "reconnected, availability online" if back else "not back"


PROBES: list[tuple[str, str, Probe]] = [
    ("folder", "symlink out of the folder (file + folder)", symlink_out),
    ("folder", "hard link to an outside file", hard_link),
    ("folder", "odd file names", odd_names),
    ("folder", "2 GB sparse file, broken/empty/encrypted/300-page PDFs", huge_and_pdfs),
    ("folder", "files rewritten and deleted mid-ingest", rewrite_and_delete),
    ("folder", "2,000 files at once", two_thousand),
    ("websocket", "3,000 commands flood", ws_flood),
    ("websocket", "oversized + 300 mutated messages", ws_abuse),
    ("websocket", "150 connections (max 64)", ws_many),
    ("wyoming", "stall mid-frame, mutated frames, 200 connections", wyoming_abuse),
    ("mqtt", "flood, garbage payloads, retained command, id spoof", mqtt_abuse),
    ("crash", "kill -9 during an answer, restart", sigkill_answer),
    ("crash", "kill -9 x5 during ingest of 300 files", sigkill_ingest),
    ("mqtt", "retained command replayed after each restart", retained_replays),
    ("mqtt", "broker killed and restarted", broker_restart),
]
