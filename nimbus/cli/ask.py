"""`nimbus ask "question"`: print the answer as it streams, then its sources."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass, field
from pathlib import PurePath
from typing import Any

from nimbus.cli.common import config_from_args
from nimbus.daemon.config import Config
from nimbus.daemon.events import (
    Ask,
    Command,
    Error,
    Event,
    ResponseDelta,
    ResponseDone,
    ResponseStarted,
    Stop,
)

__all__ = ["register"]

WARNINGS = frozenset({"command_truncated", "retrieval_unavailable", "retrieval_failed"})
"""Error codes after which the answer still comes."""

_REPLIES = (ResponseStarted, ResponseDelta, ResponseDone, Error)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "ask", help="ask a question: the answer streams as it is written, then its sources")
    parser.add_argument("text", nargs="+", help="the question (quote it or not)")
    parser.add_argument("--local", action="store_true",
                        help="answer in this process (loads the model here) instead of asking "
                             "the running daemon")
    parser.add_argument("--no-docs", action="store_true",
                        help="do not search the watched documents")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object: text, sources, token counts, timings")
    parser.add_argument("--site", help="site to answer on (daemon: default is this client's "
                                       "own; use daemon.site to hear it on the speaker)")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds to wait for the whole answer (daemon mode)")
    parser.set_defaults(func=_ask)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Question:
    """What the user asked, and how."""

    text: str
    use_docs: bool
    site: str | None
    as_json: bool
    wait_s: float


@dataclass
class _Outcome:
    """What came back for one question."""

    model: str = ""
    deltas: list[str] = field(default_factory=list)
    done: ResponseDone | None = None
    errors: list[Error] = field(default_factory=list)

    def as_json(self, question: str) -> dict[str, Any]:
        done = self.done
        return {
            "question": question,
            "model": self.model,
            "text": done.text if done else "".join(self.deltas),
            "cancelled": done.cancelled if done else False,
            "sources": [{"path": s.path, "page": s.page, "score": s.score}
                        for s in (done.sources if done else ())],
            "prompt_tokens": done.prompt_tokens if done else 0,
            "completion_tokens": done.completion_tokens if done else 0,
            "timings": dict(done.timings) if done else {},
            "grounding": asdict(done.grounding) if done else {},
            "errors": [{"code": e.code, "message": e.message} for e in self.errors],
        }


def _source_line(index: int, path: str, page: int | None) -> str:
    where = f", page {page}" if page is not None else ""
    return f"  [{index}] {PurePath(path).name}{where}  ({path})"


async def _consume(replies: AsyncIterator[Event], as_json: bool) -> _Outcome:
    """Print (unless JSON) and collect the replies until the answer is done or fails."""
    outcome = _Outcome()
    async for event in replies:
        match event:
            case ResponseStarted():
                outcome.model = event.model
            case ResponseDelta():
                outcome.deltas.append(event.text)
                if not as_json:
                    print(event.text, end="", flush=True)
            case Error():
                outcome.errors.append(event)
                if not as_json:
                    print(f"\nnimbus: {event.code}: {event.message}" if outcome.deltas
                          else f"nimbus: {event.code}: {event.message}", file=sys.stderr)
                if outcome.model == "" and event.code not in WARNINGS:
                    break  # failed before an answer started: nothing more will come
            case ResponseDone():
                outcome.done = event
                break
    return outcome


def _report(outcome: _Outcome, question: str, as_json: bool) -> int:
    done = outcome.done
    failed = [e for e in outcome.errors if e.code not in WARNINGS]
    if as_json:
        print(json.dumps(outcome.as_json(question), indent=2))
    elif done is not None:
        print()
        if done.cancelled:
            print("(cancelled)", file=sys.stderr)
        if done.grounding.status == "fell_back":
            unsupported = ", ".join(done.grounding.unsupported) or "no fact from your documents"
            print(f"(the model's answer was not spoken: {unsupported}; "
                  "read from the evidence instead)", file=sys.stderr)
        if done.sources:
            print("\nSources:")
            for index, source in enumerate(done.sources, start=1):
                print(_source_line(index, source.path, source.page))
    return 1 if failed or done is None else 0


async def _through_daemon(config: Config, question: _Question) -> _Outcome:
    from nimbus.cli.client import DaemonClient, DaemonClientError  # noqa: PLC0415

    async with DaemonClient.from_config(config) as client:
        ask = Ask(text=question.text, use_docs=question.use_docs,
                  site=question.site or client.site)
        # Only direct replies come unasked; the response events are subscribed on our site and
        # `request` keeps those that follow from our question.
        await client.subscribe(_REPLIES, sites=[ask.site])
        started: set[str] = set()

        def until(event: Event) -> bool:
            if isinstance(event, ResponseStarted):
                started.add(event.id)
            if isinstance(event, ResponseDone):
                return True
            # An error that is not a warning ends the request unless an answer is under way
            # (then its ResponseDone follows).
            return isinstance(event, Error) and event.code not in WARNINGS and not started

        replies = client.request(ask, until=until, timeout=question.wait_s)
        try:
            return await _consume(replies, question.as_json)
        except asyncio.CancelledError:  # Ctrl-C: stop the answer on the daemon too
            with contextlib.suppress(DaemonClientError, OSError):
                await client.send(Stop(site=ask.site, reason="nimbus ask interrupted"))
            raise


async def _in_process(config: Config, question: _Question) -> _Outcome:
    from nimbus.daemon.bus import Bus  # noqa: PLC0415
    from nimbus.handlers.responding.handler import Responder, Searcher  # noqa: PLC0415 - heavy

    def open_retriever() -> Searcher:
        from nimbus.watchfolders.retriever import Retriever  # noqa: PLC0415 - heavy

        return Retriever.open(config)

    bus = Bus()
    wants_docs = question.use_docs and config.llm.top_k > 0
    responder = Responder(config, bus, open_retriever=open_retriever if wants_docs else None)
    await responder.prepare()
    command = Command(text=question.text, origin="cli", use_docs=question.use_docs,
                      site=question.site or config.daemon.site)
    async with asyncio.TaskGroup() as tg, bus.subscribe(*_REPLIES, maxsize=1024) as events:
        serving = tg.create_task(responder.run(), name="responder")
        await responder.listening.wait()
        await bus.publish(command)
        try:
            return await _consume(events, question.as_json)
        finally:
            serving.cancel()


def _ask(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    question = _Question(text=" ".join(args.text), use_docs=not args.no_docs, site=args.site,
                         as_json=args.json, wait_s=args.timeout)
    if args.local:
        outcome = asyncio.run(_in_process(config, question))
        return _report(outcome, question.text, args.json)
    from nimbus.cli.client import DaemonClientError  # noqa: PLC0415

    try:
        outcome = asyncio.run(_through_daemon(config, question))
    except DaemonClientError as exc:
        print(f"nimbus: {exc}\nnimbus: is the daemon running (`nimbus run`)? "
              "Or answer here with `nimbus ask --local`.", file=sys.stderr)
        return 1
    except TimeoutError as exc:
        print(f"nimbus: {exc}", file=sys.stderr)
        return 1
    return _report(outcome, question.text, args.json)
