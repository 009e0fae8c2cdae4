"""`nimbus phrases enroll FILE...`: the user's own renditions of the action phrase become the
acoustic template that verification consults (docs/listening.md, Verification)."""

from __future__ import annotations

import argparse
import sys

from nimbus.cli.common import config_from_args

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("phrases", help="action-phrase tools (enroll your voice)")
    commands = parser.add_subparsers(dest="phrases_command", metavar="SUBCOMMAND", required=True)
    enroll = commands.add_parser(
        "enroll",
        help="store a template of the action phrase from recordings of you saying it "
             "(at least 3 times: one recording each, or several in one)",
    )
    enroll.add_argument("files", nargs="+", metavar="FILE",
                        help="recordings (WAV/FLAC/MP3/OGG/M4A) of the phrase said alone")
    enroll.add_argument("--phrase", default="", help="the phrase (default: the first of "
                        "phrases.action)")
    enroll.add_argument("--replace", action="store_true",
                        help="drop the renditions enrolled before (default: add to them, "
                             "e.g. a second person)")
    enroll.set_defaults(func=_enroll)


def _enroll(args: argparse.Namespace) -> int:
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
    for name in args.files:
        try:
            recordings.append((name, read_audio_file(name)))
        except AudioFileError as exc:
            print(f"nimbus phrases enroll: {name}: {exc}", file=sys.stderr)
            return 1
    engine = WhisperEngine(config.asr, prompt_words=(*config.phrases.action,
                                                     *config.phrases.stop))
    try:
        found = renditions(engine, recordings, phrase)
    except EnrollError as exc:
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
