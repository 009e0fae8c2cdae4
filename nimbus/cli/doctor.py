"""`nimbus doctor`: is everything Nimbus needs here, and does it load?"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os

from nimbus.cli.common import config_from_args
from nimbus.cli.doctor_checks import run_checks

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("doctor", help="check models, devices, broker and store")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--no-load", action="store_true", help="resolve models without loading")
    parser.set_defaults(func=_doctor)


def _doctor(args: argparse.Namespace) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    logging.disable(logging.WARNING)
    checks = run_checks(config_from_args(args), load=not args.no_load)
    if args.json:
        print(json.dumps([dataclasses.asdict(c) for c in checks], indent=2))
    else:
        width = max(len(c.name) for c in checks)
        for check in checks:
            mark = "ok  " if check.ok else "FAIL"
            took = f" [{check.seconds:.2f}s]" if check.seconds is not None else ""
            print(f"{mark} {check.name:<{width}}  {check.detail}{took}")
            if check.where:
                print(f"     {'':<{width}}  -> {check.where}")
    failed = [c for c in checks if not c.ok and c.name != "audio"]
    return 1 if failed else 0
