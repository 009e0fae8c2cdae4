"""Faults and abuse, tried on purpose and counted: `python -m benchmarks faults`.

One real `nimbus run` (WebSocket, Wyoming, MQTT through a real mosquitto, a watched folder)
meets every probe in :mod:`benchmarks.fault_probes` in turn; a full disk is tried on its own
ingest worker (`python -m nimbus.watchfolders`) whose state lives on a small tmpfs (needs root
to mount; the row says "not tried" otherwise). Each row: tried, handled (as documented), crash
(the daemon died), lost (documents), hung (no status answer within 30 s after the probe), the
daemon's RSS before and after. ``--only NAME`` runs the probes whose name contains NAME;
``--fuzz N`` also runs each parser fuzz property N times (randomized, not the suite's seed).

Writes ``benchmarks/results/faults.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._harness import RESULTS_DIR, print_table, write_results
from benchmarks.fault_probes import PROBES
from benchmarks.fault_world import World, rss_mb


async def _probe_all(world: World, only: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for group, name, probe in PROBES:
        if only and only not in name and only != group:
            continue
        if not world.alive():
            await asyncio.to_thread(world.start)
        await asyncio.sleep(2.0)  # the previous probe's tail settles
        before = world.rss()
        started = time.monotonic()
        note = ""
        try:
            tried, handled, lost, note = await asyncio.wait_for(probe(world), 1200)
            probe_hung = 0
        except TimeoutError:
            tried, handled, lost, probe_hung, note = 1, 0, 0, 1, "probe timed out"
        except Exception as exc:
            tried, handled, lost, probe_hung, note = 1, 0, 0, 0, f"probe error: {exc!r}"
        await asyncio.sleep(1.0)  # a crash the probe caused shows itself here, not later
        hung = probe_hung or int(not await world.healthy())
        crash = int(not world.alive())
        if crash:
            hung = probe_hung
            note = f"{note}; daemon died, exit code {world.exits[-1] if world.exits else '?'}"
        rows.append({"group": group, "probe": name, "tried": tried, "handled": handled,
                     "crash": crash, "lost": lost, "hung": hung, "rss_before_mb": before,
                     "rss_after_mb": world.rss(), "seconds": round(time.monotonic() - started, 1),
                     "note": note[:160]})
        print(f"  {group}: {name}: {rows[-1]}", flush=True)
    return rows


def _disk_full(root: Path) -> dict[str, Any]:
    """The store on a 24 MB tmpfs, filled up while 40 files arrive; then space is freed."""
    row: dict[str, Any] = {"group": "disk", "probe": "store's disk full, then freed",
                           "tried": 40, "handled": 0, "crash": 0, "lost": 40, "hung": 0}
    if os.geteuid() != 0:
        return {**row, "tried": 0, "lost": 0, "note": "not tried: mounting a tmpfs needs root"}
    mount, watch = root / "small", root / "full-watch"
    mount.mkdir()
    watch.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], check=True)
    worker: subprocess.Popen[bytes] | None = None
    log = root / "worker.log"
    try:
        config = root / "full.toml"
        config.write_text(f'[daemon]\nstate_dir = "{mount}"\n\n[watch]\nfolders = ["{watch}"]\n'
                          "settle_s = 0.2\n", encoding="utf-8")
        with log.open("ab") as out:
            worker = subprocess.Popen([sys.executable, "-m", "nimbus.watchfolders", "-c",
                                       str(config)], stdout=out, stderr=subprocess.STDOUT)
        store = mount / "nimbus.sqlite3"
        deadline = time.monotonic() + 300
        while b"ready" not in log.read_bytes() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)
        free = shutil.disk_usage(mount).free
        (mount / "ballast").write_bytes(b"\0" * max(0, free - 32 * 1024))  # 32 KB left
        before = rss_mb(worker.pid)
        for i in range(40):
            (watch / f"f{i:02d}.txt").write_text(
                f"Full-disk note {i}. " + " ".join(f"jar{i}x{j}" for j in range(1200)))
        time.sleep(15)
        full_seen = b"disk is full" in log.read_bytes()
        alive_full = worker.poll() is None
        (mount / "ballast").unlink()
        import sqlite3  # noqa: PLC0415 - a plain reader is enough for counts

        def counts() -> tuple[int, int, int]:
            conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
            try:
                one = conn.execute
                return (one("SELECT count(*) FROM documents WHERE status='indexed'").fetchone()[0],
                        one("SELECT count(*) FROM documents WHERE status='failed'").fetchone()[0],
                        one("SELECT count(*) FROM queue").fetchone()[0])
            finally:
                conn.close()

        deadline = time.monotonic() + 300
        indexed = failed = 0
        while time.monotonic() < deadline:
            try:
                indexed, failed, queued = counts()
            except sqlite3.Error:
                queued = 1
            if indexed >= 40 and queued == 0:
                break
            time.sleep(0.5)
        errors = log.read_text(errors="replace").count("the store's disk is full")
        return {**row, "handled": indexed if (full_seen and alive_full) else 0,
                "crash": int(worker.poll() is not None), "lost": 40 - indexed,
                "hung": int(indexed < 40), "rss_before_mb": before,
                "rss_after_mb": rss_mb(worker.pid),
                "note": f"disk full seen: {full_seen}; {errors} warning(s); {failed} failed; "
                        "resumed by itself" if indexed >= 40 else "did not resume"}
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            worker.wait(30)
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fuzz(examples: int) -> list[dict[str, Any]]:
    """Each parser property, randomized, ``examples`` cases (pytest on the fuzz modules)."""
    started = time.monotonic()
    env = {**os.environ, "NIMBUS_FUZZ_EXAMPLES": str(examples)}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "tests/handlers/interfaces/test_fuzz.py", "tests/daemon/test_fuzz.py"],
                            capture_output=True, text=True, env=env, check=False)
    tail = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    return [{"group": "fuzz", "probe": f"every parser, {examples} random cases each",
             "tried": examples, "handled": examples if result.returncode == 0 else 0,
             "crash": 0, "lost": 0, "hung": 0, "seconds": round(time.monotonic() - started, 1),
             "note": tail[:160]}]


def _merged(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    path = RESULTS_DIR / "faults.json"
    try:
        old = json.loads(path.read_text(encoding="utf-8"))["rows"]
    except (OSError, ValueError, KeyError):
        return rows
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    fresh = {r["probe"]: {**r, "rerun": stamp} for r in rows}
    merged = [fresh.pop(r["probe"], r) for r in old]
    return merged + list(fresh.values())


def main(argv: list[str]) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks faults")
    parser.add_argument("--only", default="")
    parser.add_argument("--fuzz", type=int, default=0)
    args = parser.parse_args([a for a in argv if a != "faults"])
    root = Path(tempfile.mkdtemp(prefix="nimbus-faults-"))
    world = World(root)
    rows: list[dict[str, Any]] = []
    try:
        world.start()
        first_rss = world.rss()
        rows += asyncio.run(_probe_all(world, args.only))
        last_rss = world.rss()
    finally:
        world.stop()
    if not args.only or args.only == "disk":
        rows.append(_disk_full(root))
    if args.fuzz:
        rows += _fuzz(args.fuzz)
    if args.only:  # a partial re-run replaces its rows in the last full run's results
        rows = _merged(rows)
    print_table("Faults and abuse (one daemon; 127.0.0.1)", rows)
    totals = {k: sum(int(r.get(k) or 0) for r in rows) for k in ("tried", "handled", "crash",
                                                                  "lost", "hung")}
    print(f"\ntotals: {totals}; daemon starts: {world.starts}; RSS first/last ready: "
          f"{first_rss} / {last_rss} MB; logs in {root}")
    write_results("faults", rows, totals=totals, daemon_starts=world.starts,
                  rss_first_mb=first_rss, rss_last_mb=last_rss,
                  load_average=os.getloadavg())
    return rows
