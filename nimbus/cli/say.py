"""`nimbus say "text"`: speak through the running daemon (or here with --local)."""

from __future__ import annotations

import argparse
import asyncio
import sys
import wave
from dataclasses import dataclass, field
from pathlib import Path

from nimbus.cli.common import config_from_args
from nimbus.daemon.config import Config
from nimbus.daemon.events import (
    AudioOut,
    Error,
    Event,
    PlaybackFinished,
    PlaybackStarted,
    Say,
    Sentence,
)

__all__ = ["register"]

WARNINGS = frozenset({"unsupported_script", "synthesis_failed"})
"""Error codes after which the rest of the text is still spoken."""
_NO_PLAYBACK_GRACE_S = 3.0
"""After the last audio, how long to wait for a speaker to start before assuming none."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("say", help="speak a text (through the daemon's speaker by default)")
    parser.add_argument("text", nargs="+", help="what to say (quote it or not)")
    parser.add_argument("--local", action="store_true",
                        help="synthesize and play in this process instead of the daemon")
    parser.add_argument("--voice", help="voice name (see `nimbus voices list`)")
    parser.add_argument("--out", metavar="FILE.wav", help="also write the speech to a WAV file "
                        "(with --local: only to the file, not the speaker)")
    parser.add_argument("--site", help="site to speak on (default: daemon.site, the speaker)")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds to wait for the speech to finish (daemon mode)")
    parser.set_defaults(func=_say)


@dataclass
class _Outcome:
    audio: list[AudioOut] = field(default_factory=list)
    errors: list[Error] = field(default_factory=list)
    finished: PlaybackFinished | None = None

    def failed(self) -> bool:
        return any(e.code not in WARNINGS for e in self.errors) or (
            self.finished is not None and self.finished.cancelled)


def _show(event: Event, outcome: _Outcome) -> bool:
    """Record and print one event; True when the request is over."""
    match event:
        case Sentence():
            print(event.text, flush=True)
        case AudioOut():
            outcome.audio.append(event)
        case Error():
            outcome.errors.append(event)
            print(f"nimbus: {event.code}: {event.message}", file=sys.stderr)
            return event.code not in WARNINGS
        case PlaybackFinished():
            outcome.finished = event
            if event.cancelled:
                print("(stopped)", file=sys.stderr)
            return True
    return False


def _write_wav(path: Path, audio: list[AudioOut]) -> None:
    rate = next((a.rate for a in audio if a.audio), 22050)
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(b"".join(a.audio for a in audio))


async def _through_daemon(config: Config, say: Say, *, expect_playback: bool,
                          wait_s: float) -> _Outcome:
    from nimbus.cli.client import DaemonClient  # noqa: PLC0415

    outcome = _Outcome()
    async with DaemonClient.from_config(config) as client:
        await client.subscribe([Sentence, AudioOut, PlaybackStarted, PlaybackFinished, Error],
                               sites=[say.site])
        replies = client.request(say, until=lambda e: False, timeout=wait_s)
        last_audio = False
        playing = False
        while True:
            # Without a speaker on the site nothing plays: the last audio.out ends the request
            # (after a grace period in which a speaker could still start).
            wait = _NO_PLAYBACK_GRACE_S if last_audio and not playing else None
            try:
                event = await asyncio.wait_for(anext(replies), wait)
            except (StopAsyncIteration, TimeoutError):
                if last_audio:
                    break
                raise
            playing = playing or isinstance(event, PlaybackStarted)
            if _show(event, outcome):
                break
            if isinstance(event, AudioOut) and event.final:
                last_audio = True
                if not expect_playback:
                    break
        await replies.aclose()  # type: ignore[attr-defined]  # an async generator
    return outcome


async def _in_process(config: Config, say: Say, out: Path | None) -> _Outcome:
    from nimbus.daemon.bus import Bus  # noqa: PLC0415
    from nimbus.handlers.speaking.handler import SpeakerHandler  # noqa: PLC0415 - heavy
    from nimbus.handlers.speaking.sinks import WavSink  # noqa: PLC0415
    from nimbus.voices import load_voice  # noqa: PLC0415

    bus = Bus()
    sink = None
    if out is not None:
        voice = await asyncio.to_thread(load_voice, say.voice or config.tts.voice, config)
        sink = WavSink(out, rate=voice.sample_rate)
    speaker = SpeakerHandler(config, bus, sink=sink)
    outcome = _Outcome()
    try:
        await speaker.prepare()
        async with asyncio.TaskGroup() as tg, bus.subscribe(
                Sentence, AudioOut, PlaybackFinished, Error, lossy_audio=False,
                maxsize=4096, name="say") as events:
            serving = tg.create_task(speaker.run(), name="speaker")
            await speaker.listening.wait()
            await bus.publish(say)
            try:
                async for event in events:
                    if _show(event, outcome):
                        break
                    if isinstance(event, AudioOut) and event.final and speaker.sink is None:
                        break
            finally:
                serving.cancel()
    finally:
        if sink is not None:
            sink.close()
        speaker.close()
    return outcome


def _say(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    site = args.site or config.daemon.site
    say = Say(site=site, text=" ".join(args.text), voice=args.voice)
    out = Path(args.out).expanduser() if args.out else None
    if args.local:
        outcome = asyncio.run(_in_process(config, say, out))
    else:
        from nimbus.cli.client import DaemonClientError  # noqa: PLC0415

        expect = site == config.daemon.site and config.audio.output != "none"
        try:
            outcome = asyncio.run(_through_daemon(config, say, expect_playback=expect,
                                                  wait_s=args.timeout))
        except DaemonClientError as exc:
            print(f"nimbus: {exc}\nnimbus: is the daemon running (`nimbus run`)? "
                  "Or speak here with `nimbus say --local`.", file=sys.stderr)
            return 1
        except TimeoutError as exc:
            print(f"nimbus: {exc}", file=sys.stderr)
            return 1
        if out is not None:
            _write_wav(out, outcome.audio)
    if out is not None and not outcome.failed():
        print(f"wrote {out}", file=sys.stderr)
    return 1 if outcome.failed() else 0
