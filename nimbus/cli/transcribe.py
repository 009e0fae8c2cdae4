"""`nimbus transcribe FILE`: run the listening pipeline on a recording, in-process."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sys
import time
from typing import Any

from nimbus.cli.common import config_from_args
from nimbus.daemon import codec
from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config
from nimbus.daemon.events import (
    AudioChunk,
    Command,
    Event,
    PhraseRejected,
    SpeechSegment,
    Stop,
    Transcript,
)
from nimbus.daemon.models import ModelNotFound
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.routing import describe

__all__ = ["register", "transcribe_file"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "transcribe",
        help="transcribe an audio file (WAV/FLAC/MP3/OGG/M4A) through VAD, ASR and phrases",
    )
    parser.add_argument("file", help="the recording")
    parser.add_argument("--events", action="store_true",
                        help="print the whole event stream (except audio chunks)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--realtime", action="store_true",
                        help="stream at the recording's own speed, like a microphone (partial "
                             "transcripts then follow asr.partials)")
    parser.add_argument("--site", default="", help="site name for the events (default: "
                        "daemon.site)")
    parser.set_defaults(func=_main)


async def transcribe_file(
    config: Config, path: str, *, site: str, realtime: bool, sink: Any = None
) -> tuple[list[Event], str | None]:
    """Run file -> VAD -> ASR -> phrases; every event in bus order and the file error, if any.

    ``sink(event)`` is called for each event as it is recorded (live printing).
    """
    from nimbus.handlers.listening.asr.handler import AsrHandler  # noqa: PLC0415 - heavy
    from nimbus.handlers.listening.file_source import FileSource  # noqa: PLC0415 - heavy
    from nimbus.handlers.listening.phrases.handler import PhraseHandler  # noqa: PLC0415 - heavy
    from nimbus.handlers.listening.vad.handler import VadHandler, settings_from_config  # noqa: PLC0415

    asr_config = dataclasses.replace(config.asr, partials=realtime and config.asr.partials)
    bus = Bus()
    vad = VadHandler(bus, settings_from_config(config.vad, asr_config), model=config.vad.model)
    asr = AsrHandler(
        bus, asr_config, prompt_words=(*config.phrases.action, *config.phrases.stop),
        action_words=config.phrases.action, sensitivity=config.phrases.sensitivity,
        tolerance=config.phrases.tolerance,
        hangover_s=config.vad.silence_ms / 1000, templates=config.phrase_templates_path,
        model_cache=config.model_cache_path,
    )
    phrases = PhraseHandler(bus, config.phrases)
    source = FileSource(bus, path, site=site, realtime=realtime, chunk_ms=config.audio.chunk_ms)
    async with EventRecorder(bus) as recorder, running(vad, asr, phrases):
        printed = 0

        def flush() -> None:
            nonlocal printed
            if sink is not None:
                for event in recorder.events[printed:]:
                    sink(event)
            printed = len(recorder.events)

        async with running(source):
            while not source.done.is_set():
                flush()
                await asyncio.sleep(0.05)
        await vad.wait_stream_end(site)
        finals = sum(1 for e in recorder.events if isinstance(e, SpeechSegment) and e.final)
        await asr.wait_finals(finals)
        await phrases.wait_finals(asr.transcribed)
        await asyncio.sleep(0.05)
        flush()
        events = list(recorder.events)
    return events, source.error.message if source.error else None


def _event_line(event: Event, started: float, as_json: bool) -> str:
    if as_json:
        header, _ = codec.encode(event)  # audio stays out: its size is in the header
        return json.dumps(header)
    return f"{event.time - started:7.3f}  {event.type.value:<16} {event.site}  {describe(event)}"


def _main(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    site = args.site or config.daemon.site
    started = time.monotonic()

    def show(event: Event) -> None:
        if args.events and not isinstance(event, AudioChunk):
            print(_event_line(event, started, args.json), flush=True)

    try:
        events, error = asyncio.run(
            transcribe_file(config, args.file, site=site, realtime=args.realtime, sink=show)
        )
    except ModelNotFound as exc:
        print(f"nimbus: {exc}", file=sys.stderr)
        return 2
    if not args.events:
        for event in events:
            _print_result(event, as_json=args.json)
    if error:
        print(f"nimbus: {error}", file=sys.stderr)
        return 1
    return 0


def _print_result(event: Event, *, as_json: bool) -> None:
    match event:
        case Transcript(final=True):
            if as_json:
                print(json.dumps({"start": round(event.start, 3), "end": round(event.end, 3),
                                  "text": event.text, "language": event.language,
                                  "avg_logprob": round(event.avg_logprob, 3)}))
            else:
                print(f"[{event.start:7.2f} -> {event.end:7.2f}]  {event.text}")
        case Command(text=text) if not as_json:
            print(f"{'':20}command: {text}")
        case Stop() if not as_json:
            print(f"{'':20}stop")
        case PhraseRejected(phrase=phrase, score=score, reason=reason) if not as_json:
            print(f"{'':20}not addressed: {phrase!r} ({reason}, score {score:.2f})")
        case _:
            pass
