"""Shared fixtures: offline model hubs, temp configs, a notify socket."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from nimbus.watchfolders.embedder import Embedder

# No test may reach a model hub: every model comes from an installed package.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

NIMBUS = [sys.executable, "-m", "nimbus.cli"]
"""How tests start the real CLI in a subprocess."""


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The shipped embedding model, loaded once for every module that asks (a few seconds)."""
    from nimbus.daemon.config import EmbeddingsConfig  # noqa: PLC0415 - after the env above
    from nimbus.watchfolders.embedder import Embedder  # noqa: PLC0415

    return Embedder(EmbeddingsConfig())


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    path = tmp_path / "state"
    path.mkdir()
    return path


@pytest.fixture
def watch_dir(tmp_path: Path) -> Path:
    path = tmp_path / "watched"
    path.mkdir()
    return path


def write_config(path: Path, state_dir: Path, watch_dir: Path, extra: str = "") -> Path:
    """A minimal config for a daemon under test: temp state and watched folder, random WS port."""
    path.write_text(
        f'[daemon]\nstate_dir = "{state_dir}"\n\n'
        f'[watch]\nfolders = ["{watch_dir}"]\nsettle_s = 0.3\n\n'
        '[audio]\ninput = "none"\noutput = "none"\n\n'
        '[websocket]\nport = 0\n\n' + extra,
        encoding="utf-8",
    )
    return path
