"""Fixtures shared by the document tests."""

from __future__ import annotations

import pytest

from nimbus.daemon.config import EmbeddingsConfig
from nimbus.watchfolders.embedder import Embedder


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The shipped embedding model, loaded once for every module that asks (a few seconds)."""
    return Embedder(EmbeddingsConfig())
