"""`nimbus config show`: the effective configuration."""

from __future__ import annotations

import argparse

from nimbus.cli.common import config_from_args
from nimbus.daemon.config import default_config_path, to_toml

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("config", help="inspect the configuration")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="print the effective config as TOML")
    show.add_argument("--secrets", action="store_true", help="do not redact tokens/passwords")
    show.set_defaults(func=_show)
    path = actions.add_parser("path", help="print the default config file path")
    path.set_defaults(func=lambda _args: print(default_config_path()) or 0)


def _show(args: argparse.Namespace) -> int:
    print(to_toml(config_from_args(args), redact=not args.secrets), end="")
    return 0
