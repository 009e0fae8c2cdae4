"""Sentence-transformers embeddings: offline, batched, unit-normalised float32 vectors."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from nimbus.daemon.config import EmbeddingsConfig
from nimbus.daemon.models import resolve_embeddings

__all__ = ["Embedder"]

log = logging.getLogger(__name__)


class Embedder:
    """One loaded sentence-transformers model. Load and call it off the event loop.

    ``name`` identifies the vector space: the store records it, and a store embedded with another
    model is re-embedded rather than mixed.
    """

    def __init__(self, config: EmbeddingsConfig) -> None:
        location = resolve_embeddings(config.model)
        from sentence_transformers import SentenceTransformer  # noqa: PLC0415 - heavy import

        with contextlib.suppress(ImportError, AttributeError):
            from transformers.utils import logging as hf_logging  # noqa: PLC0415

            hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # quiet CLI

        spec = str(location.path) if location.path is not None else config.model
        # local_files_only: never reach a model hub at run time.
        self._model: Any = SentenceTransformer(
            spec, device=config.device, local_files_only=True
        )
        self.name = location.name if not config.model else config.model
        dimension = self._model.get_embedding_dimension()
        if not dimension:
            raise ValueError(f"embedding model {spec} does not report its dimension")
        self.dimension = int(dimension)
        self.batch_size = config.batch_size
        self._lock = threading.Lock()
        log.info("embeddings model %s loaded (%d dims)", self.name, self.dimension)

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """(len(texts), dimension) unit vectors; batched by ``embeddings.batch_size``."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # One inference at a time: the writer thread and search threads share the model.
        with self._lock:
            vectors = self._model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                show_progress_bar=False,
                convert_to_numpy=True,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)
