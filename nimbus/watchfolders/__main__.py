"""`python -m nimbus.watchfolders [-c CONFIG]`: run only the documents handler (an ingest worker).

The same handler `nimbus run` composes, without listening/responding/speaking: useful on a box
that only indexes, and in the crash tests (SIGKILL mid-ingest, then restart).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Sequence

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import load_config
from nimbus.daemon.handler import supervise
from nimbus.watchfolders.handler import DocumentsHandler


async def _serve(handler: DocumentsHandler, bus: Bus) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await handler.prepare()
    print("ready", flush=True)
    async with asyncio.TaskGroup() as tg:
        task = tg.create_task(supervise(handler, bus), name="documents")
        await stop.wait()
        task.cancel()
    await handler.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nimbus.watchfolders")
    parser.add_argument("-c", "--config")
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    config = load_config(args.config, overrides=args.overrides)
    bus = Bus()
    return asyncio.run(_serve(DocumentsHandler(config, bus), bus))


if __name__ == "__main__":
    sys.exit(main())
