"""`nimbus phrases enroll FILE...` / `--record`: the user's own renditions of the action phrase
become the acoustic template that verification consults (docs/listening.md, Verification)."""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

from nimbus.cli.common import config_from_args

__all__ = ["register"]

_TAKES = (3, 12)
"""--takes bounds: fewer says little about how the phrase varies; more is tedious."""


def _takes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not _TAKES[0] <= value <= _TAKES[1]:
        raise argparse.ArgumentTypeError(f"between {_TAKES[0]} and {_TAKES[1]}, not {value}")
    return value


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("phrases", help="action-phrase tools (enroll your voice)")
    commands = parser.add_subparsers(dest="phrases_command", metavar="SUBCOMMAND", required=True)
    enroll = commands.add_parser(
        "enroll",
        help="store a template of the action phrase from recordings of you saying it "
             "(at least 3 times: one recording each, or several in one) or from the microphone "
             "(--record)",
    )
    enroll.add_argument("files", nargs="*", metavar="FILE",
                        help="recordings (WAV/FLAC/MP3/OGG/M4A) of the phrase said alone")
    enroll.add_argument("--record", action="store_true",
                        help="say the phrase into the microphone (audio.input_device), once "
                             "per prompt")
    enroll.add_argument("--takes", type=_takes, metavar="N",
                        help=f"with --record: how many takes ({_TAKES[0]}-{_TAKES[1]}, default "
                             f"{_TAKES[0]})")
    enroll.add_argument("--save-takes", type=Path, metavar="DIR",
                        help="with --record: also write each take to DIR as a WAV")
    enroll.add_argument("--phrase", default="", help="the phrase (default: the first of "
                        "phrases.action)")
    enroll.add_argument("--replace", action="store_true",
                        help="drop the renditions enrolled before (default: add to them, "
                             "e.g. a second person)")
    enroll.set_defaults(func=functools.partial(_enroll, enroll))


def _usage(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Exit 2 with the usage when the options do not go together (argparse's own mutually
    exclusive groups cannot hold a ``nargs="*"`` positional: it always counts as given)."""
    if args.record and args.files:
        parser.error("FILE arguments and --record do not go together")
    if not args.record and not args.files:
        parser.error("give the recordings (FILE...) or --record")
    if not args.record and (args.save_takes is not None or args.takes is not None):
        parser.error("--takes and --save-takes go with --record")


def _enroll(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    _usage(parser, args)
    from nimbus.cli.phrases_record import (  # noqa: PLC0415 - heavy
        Recorder,
        RecordError,
        open_microphone,
    )
    from nimbus.handlers.audio.files import AudioFileError, read_audio_file  # noqa: PLC0415
    from nimbus.handlers.listening.asr.engine import WhisperEngine  # noqa: PLC0415 - heavy
    from nimbus.handlers.listening.phrases.enroll import (  # noqa: PLC0415 - heavy
        EnrollError,
        renditions,
        self_distances,
    )
    from nimbus.handlers.listening.phrases.template import (  # noqa: PLC0415
        TemplateError,
        load_templates,
        merge,
        save_templates,
    )

    config = config_from_args(args)
    phrase = args.phrase or (config.phrases.action[0] if config.phrases.action else "")
    if not phrase:
        print("nimbus phrases enroll: no action phrase (phrases.action is empty; use --phrase)",
              file=sys.stderr)
        return 2
    if config.asr.backend != "faster-whisper":
        print("nimbus phrases enroll: needs the local ASR (asr.backend = \"faster-whisper\"); "
              "a remote Wyoming ASR gives text only", file=sys.stderr)
        return 2
    recordings = []
    if args.record:
        try:
            # Opened once before the models load: a wrong device is said at once.
            with open_microphone(config.audio) as mic:
                print(f"microphone: {mic.device.name!r} ({mic.rate} Hz"
                      f"{', resampled' if mic.resampled else ''})", flush=True)
        except RecordError as exc:
            print(f"nimbus phrases enroll: {exc}", file=sys.stderr)
            return 1
    for name in args.files:
        try:
            recordings.append((name, read_audio_file(name)))
        except AudioFileError as exc:
            print(f"nimbus phrases enroll: {name}: {exc}", file=sys.stderr)
            return 1
    engine = WhisperEngine(config.asr, prompt_words=(*config.phrases.action,
                                                     *config.phrases.stop))
    recorder = Recorder(config=config, engine=engine, phrase=phrase,
                        takes=args.takes or _TAKES[0], save_dir=args.save_takes)
    try:
        found = recorder.renditions() if args.record else renditions(engine, recordings, phrase)
    except (EnrollError, RecordError) as exc:
        print(f"nimbus phrases enroll: {exc}", file=sys.stderr)
        return 1
    path = config.phrase_templates_path
    existing = None
    if path.exists() and not args.replace:
        try:
            existing = load_templates(path)
        except TemplateError as exc:
            print(f"nimbus phrases enroll: replacing an unusable file: {exc}", file=sys.stderr)
    templates = merge(existing, found, phrase=phrase, model=engine.name)
    save_templates(path, templates)
    spread = ", ".join(f"{d:.2f}" for d in self_distances(templates))
    print(f"enrolled {len(found)} rendition(s) of {phrase!r} ({len(templates.renditions)} in "
          f"all) for ASR model {engine.name}: {path}")
    print(f"distance of each rendition to the others (0 = identical; a wake-style phrase "
          f"passes at <= ~0.22): {spread}")
    print("restart the daemon to use it")
    return 0
