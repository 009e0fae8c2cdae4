"""Read-side API for other capabilities: open the store, embed a query, hybrid search."""

from __future__ import annotations

import logging
import threading
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from nimbus.daemon.config import Config
from nimbus.daemon.events import SearchHit
from nimbus.watchfolders.embedder import Embedder
from nimbus.watchfolders.search import hybrid_search
from nimbus.watchfolders.store import Store

__all__ = ["Retriever"]

log = logging.getLogger(__name__)


class Retriever:
    """Searches the document store. Thread-safe; call it from a worker thread, not the loop.

    Uses its own read connection (WAL: it never blocks the ingest writer, nor is blocked by it).
    If the store's vectors come from another embedding model (the daemon has not re-embedded
    yet), vector search is skipped and results come from BM25 alone.
    """

    def __init__(self, conn: Any, embedder: Embedder, *, owns_conn: bool = True) -> None:
        self._conn = conn
        self._embedder = embedder
        self._owns_conn = owns_conn
        self._lock = threading.Lock()

    @classmethod
    def open(cls, config: Config, *, embedder: Embedder | None = None) -> Retriever:
        """Load the embedder (unless one is given) and open a read connection to the store.

        A missing store is created empty, so a search before any ingest returns no hits.
        """
        embedder = embedder or Embedder(config.embeddings)
        store = Store(config.store_path, model=embedder.name, dimension=embedder.dimension) \
            if not config.store_path.exists() else None
        if store is not None:
            store.close()
        from nimbus.watchfolders.sqlite import connect  # noqa: PLC0415

        return cls(connect(config.store_path, readonly=True), embedder)

    def _vectors_usable(self) -> bool:
        meta = dict(self._conn.execute("SELECT key, value FROM meta").fetchall())
        usable = (meta.get("embedding_model") == self._embedder.name
                  and meta.get("embedding_dim") == str(self._embedder.dimension))
        if not usable:
            log.warning("store vectors are from %s, not %s: BM25-only search until re-embedded",
                        meta.get("embedding_model"), self._embedder.name)
        return usable

    def search(self, query: str, *, k: int, max_distance: float | None = None) -> list[SearchHit]:
        """Top ``k`` passages for ``query``, best first (score: higher is better)."""
        if not query.strip() or k <= 0:
            return []
        with self._lock:
            vector = self._embedder.embed([query])[0] if self._vectors_usable() else None
            return hybrid_search(self._conn, query, vector, k=k, max_distance=max_distance)

    def documents(self) -> list[tuple[str, str, str]]:
        """Every file the store knows: (path, status, why) - why is empty for indexed ones.

        The responder names a file it cannot read when a question is about it.
        """
        with self._lock:
            return [(str(r[0]), str(r[1]), str(r[2] or ""))
                    for r in self._conn.execute(
                        "SELECT path, status, error FROM documents").fetchall()]

    def embed(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """Unit vectors from the store's embedding model (the responder scores evidence with it)."""
        return self._embedder.embed(texts)

    def close(self) -> None:
        with self._lock:
            if self._owns_conn:
                self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
