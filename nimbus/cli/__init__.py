"""The `nimbus` command line: one module per command group, each with a `register` function."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from nimbus import __version__
from nimbus.daemon.config import ConfigError

__all__ = ["build_parser", "main"]

# Each module defines `register(subparsers)`, adding commands whose `func(args) -> int` runs them.
_COMMAND_MODULES = (
    "nimbus.cli.run",
    "nimbus.cli.config_cmd",
    "nimbus.cli.doctor",
    "nimbus.cli.documents",
    "nimbus.cli.client_cmds",
    "nimbus.cli.transcribe",
    "nimbus.cli.phrases",
    "nimbus.cli.ask",
    "nimbus.cli.say",
    "nimbus.cli.voices",
    "nimbus.cli.satellite",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nimbus", description="Nimbus: a local, offline-first voice assistant."
    )
    parser.add_argument("--version", action="version", version=f"nimbus {__version__}")
    parser.add_argument("-c", "--config", help="config file (default: $NIMBUS_CONFIG or "
                        "~/.config/nimbus/nimbus.toml)")
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        metavar="SECTION.KEY=VALUE", help="override one config value (repeatable)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_name in _COMMAND_MODULES:
        importlib.import_module(module_name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except ConfigError as exc:
        print(f"nimbus: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
