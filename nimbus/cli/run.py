"""`nimbus run`: the daemon."""

from __future__ import annotations

import argparse
import asyncio
import logging

from nimbus.app.lifecycle import Daemon
from nimbus.cli.common import config_from_args
from nimbus.daemon.arenas import limit_malloc_arenas
from nimbus.daemon.logs import setup_logging
from nimbus.daemon.native_stderr import log_stream

__all__ = ["register"]

log = logging.getLogger("nimbus.daemon")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("run", help="run the daemon (foreground; systemd Type=notify aware)")
    parser.add_argument("--log-level", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    parser.add_argument("--log-json", action="store_true", help="log JSON lines")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    # Before anything loads: the daemon restarts itself (same PID) with fewer malloc arenas.
    limit_malloc_arenas(relaunch=True)
    config = config_from_args(args)
    setup_logging(
        args.log_level or config.daemon.log_level,
        "json" if args.log_json else config.daemon.log_format,
        stream=log_stream(),  # its own descriptor: silencing native stderr never hides it
    )
    log.info("starting nimbus", extra={"state_dir": str(config.state_path)})
    try:
        return asyncio.run(Daemon(config).run())
    except ModuleNotFoundError as exc:
        # The base install is the thin satellite; the daemon's engines are an extra.
        log.error("nimbus run needs the server extra (pip install 'nimbus-assistant[server]'): "  # noqa: TRY400 - the reason, not a trace
                  "module %r is not installed", exc.name)
        return 2
