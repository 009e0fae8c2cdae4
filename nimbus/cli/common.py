"""Helpers shared by CLI commands."""

from __future__ import annotations

import argparse

from nimbus.daemon.config import Config, load_config

__all__ = ["config_from_args"]


def config_from_args(args: argparse.Namespace) -> Config:
    """The effective config for a command: file (if any) + env + --set overrides."""
    return load_config(args.config, overrides=args.overrides)
