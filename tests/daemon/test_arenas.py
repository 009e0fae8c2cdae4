"""The malloc arena limit: applied in a fresh process, and an explicit environment value wins."""

from __future__ import annotations

import os
import subprocess
import sys

_PROBE = "from nimbus.daemon.arenas import limit_malloc_arenas; print(limit_malloc_arenas())"


def _probe(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True,
                          check=True, env={**clean, **env})
    return done.stdout.strip()


def test_the_arena_limit_takes_effect_unless_the_environment_sets_one() -> None:
    assert _probe() == "True"  # glibc (the project's platform) accepts it
    assert _probe(MALLOC_ARENA_MAX="4") == "False"
