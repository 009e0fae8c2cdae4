"""`nimbus voices list` and `nimbus voices clone NAME CLIP.wav`."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from nimbus.cli.common import config_from_args

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    voices = sub.add_parser("voices", help="list the voices, or clone one from a recording")
    commands = voices.add_subparsers(dest="voices_command", metavar="ACTION", required=True)
    listing = commands.add_parser("list", help="every configured and cloned voice")
    listing.add_argument("--json", action="store_true", help="one JSON array")
    listing.set_defaults(func=_list)
    clone = commands.add_parser(
        "clone", help="add an XTTS voice cloned from a clip of speech (6-30 s works best)")
    clone.add_argument("name", help="the new voice's name (letters, digits, - and _)")
    clone.add_argument("clip", help="a WAV/FLAC/OGG recording of the speaker")
    clone.add_argument("--language", default="en", help="language the voice speaks (XTTS code)")
    clone.add_argument("--model", default="", help="xtts_v2 folder (default: tts.xtts_model, "
                       "else Coqui's cache)")
    clone.set_defaults(func=_clone)


def _list(args: argparse.Namespace) -> int:
    from nimbus.voices import list_voices  # noqa: PLC0415

    infos = list_voices(config_from_args(args))
    if args.json:
        print(json.dumps([asdict(i) for i in infos], indent=2))
        return 0
    for info in infos:
        mark = "*" if info.default else " "
        print(f"{mark} {info.name:<16} {info.engine:<6} {info.language:<6} {info.origin:<7} "
              f"{info.model}")
        if info.speaker:
            print(f"    speaker: {info.speaker}")
        if info.problem:
            print(f"    unavailable: {info.problem}")
    return 0


def _clone(args: argparse.Namespace) -> int:
    from nimbus.voices import VoiceError, clone_voice  # noqa: PLC0415

    config = config_from_args(args)
    try:
        settings = clone_voice(config, args.name, Path(args.clip).expanduser(),
                               language=args.language, model=args.model)
    except VoiceError as exc:
        print(f"nimbus: {exc.code}: {exc.message}", file=sys.stderr)
        return 1
    print(f"voice {args.name!r} saved in {settings}; use it with "
          f"`nimbus say --voice {args.name} ...` or tts.voice = \"{args.name}\"")
    return 0
