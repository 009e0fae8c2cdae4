"""`nimbus stop`, `nimbus status`, `nimbus events`: the running daemon, through DaemonClient."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from nimbus.cli.client import DaemonClient, DaemonClientError
from nimbus.cli.common import config_from_args
from nimbus.daemon import codec
from nimbus.daemon.events import AudioEvent, Event, Status, StatusReport, Stop
from nimbus.handlers.routing import describe

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    stop = sub.add_parser("stop", help="stop what the assistant is saying/doing on a site")
    stop.add_argument("--site", help="site to stop (default: daemon.site, the local speaker)")
    stop.add_argument("--all", action="store_true", help="stop every known site")
    stop.add_argument("--json", action="store_true", help="print what was sent as JSON")
    stop.set_defaults(func=_stop)

    status = sub.add_parser("status", help="show the running daemon's status")
    status.add_argument("--json", action="store_true", help="print the raw status report")
    status.add_argument("--timeout", type=float, default=10.0)
    status.set_defaults(func=_status)

    events = sub.add_parser("events", help="print the daemon's events as they happen")
    events.add_argument("types", nargs="*", metavar="TYPE",
                        help="event wire names, e.g. transcript response.delta (default: all "
                             "but live audio)")
    events.add_argument("--site", action="append", dest="sites", help="only these sites")
    events.add_argument("--json", action="store_true", help="one JSON object per line")
    events.add_argument("--count", type=int, default=0, help="exit after this many events")
    events.set_defaults(func=_events)


def _client(args: argparse.Namespace) -> DaemonClient:
    return DaemonClient.from_config(config_from_args(args))


def _fail(exc: Exception) -> int:
    print(f"nimbus: {exc}", file=sys.stderr)
    return 1


def _run(coro: Any) -> int:
    try:
        result: int = asyncio.run(coro)
    except (DaemonClientError, TimeoutError) as exc:
        return _fail(exc)
    return result


# --- stop ------------------------------------------------------------------------------------


def _stop(args: argparse.Namespace) -> int:
    config = config_from_args(args)

    async def go() -> int:
        async with DaemonClient.from_config(config) as client:
            if args.all:
                sites = set(client.welcome.get("sites", ())) | {config.daemon.site}
            else:
                sites = {args.site or config.daemon.site}
            for site in sorted(sites):
                event = Stop(site=site, reason="nimbus stop")
                await client.send(event)
                print(codec.encode_json(event) if args.json else f"stop sent to site {site}")
        return 0

    return _run(go())


# --- status ----------------------------------------------------------------------------------


def _format_status(status: dict[str, Any], url: str) -> str:
    lines = [f"nimbus {status.get('version', '?')} at {url}",
             f"  uptime     {status.get('uptime_s', 0):.0f} s"]
    handlers = status.get("handlers")
    if handlers:
        lines.append(f"  handlers   {', '.join(map(str, handlers))}")
    sites = status.get("sites") or {}
    listed = ", ".join(f"{k}={v}" for k, v in sites.items())
    lines.append("  sites      " + (listed or "(none yet)"))
    bus = status.get("bus") or {}
    if bus:
        lines.append(f"  bus        {bus.get('published', 0)} events, "
                     f"{bus.get('subscriptions', 0)} subscribers, "
                     f"{bus.get('dropped_audio', 0)} audio drops")
    for site, echo in (status.get("echo") or {}).items():
        erle = echo.get("erle_db")
        lines.append(f"  echo       {site}: {'active' if echo.get('active') else 'inactive'}, "
                     f"ERLE {erle if erle is not None else '-'} dB, delay "
                     f"{echo.get('delay_ms') if echo.get('delay_ms') is not None else '-'} ms, "
                     f"reference {echo.get('reference')}"
                     + (f" ({echo['problem']})" if echo.get("problem") else ""))
    for key, value in status.items():
        if key not in ("version", "uptime_s", "handlers", "sites", "bus", "echo"):
            lines.append(f"  {key:<10} {json.dumps(value, default=str)}")
    return "\n".join(lines)


def _status(args: argparse.Namespace) -> int:
    async def go() -> int:
        async with _client(args) as client:
            request = Status(site=client.site)
            async for event in client.request(request, until=lambda e: True,
                                              timeout=args.timeout):
                if isinstance(event, StatusReport):
                    if args.json:
                        print(json.dumps(event.status, indent=2, default=str))
                    else:
                        print(_format_status(event.status, client.url))
                    return 0
                print(f"nimbus: unexpected reply {event.type.value}", file=sys.stderr)
                return 1
        return 1

    return _run(go())


# --- events ----------------------------------------------------------------------------------


def _line(event: Event) -> str:
    return f"{event.type.value:<18} {event.site:<12} {describe(event)}"


def _events(args: argparse.Namespace) -> int:
    async def go() -> int:
        async with _client(args) as client:
            types: list[str] | None = list(args.types) or None
            if types is None:
                types = [t for t in client.welcome.get("events", ()) if t != "audio.chunk"]
            seen = 0
            async with client.stream() as events:
                await client.subscribe(types, args.sites)
                async for event in events:
                    if args.json:
                        header, payload = codec.encode(event)
                        if isinstance(event, AudioEvent):
                            header["bytes"] = len(payload or b"")
                        print(json.dumps(header, default=str), flush=True)
                    else:
                        print(_line(event), flush=True)
                    seen += 1
                    if args.count and seen >= args.count:
                        return 0
        return 0

    try:
        return _run(go())
    except KeyboardInterrupt:
        return 0
