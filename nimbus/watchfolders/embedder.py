"""Sentence-transformers embeddings: offline, batched, unit-normalised float32 vectors."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from nimbus.daemon.config import EmbeddingsConfig
from nimbus.daemon.models import resolve_embeddings

__all__ = ["Embedder", "SharedEmbedder"]

_RECENT = 16
"""Single texts (questions) whose vectors are kept: one command is embedded once."""

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
        self._model.eval()
        self._tokenizing = threading.Lock()
        self._recent: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()
        self._remembering = threading.Lock()
        # sentence-transformers 6 renamed `tokenize` (kept, deprecated) to `preprocess`.
        self._preprocess = getattr(self._model, "preprocess", None) or self._model.tokenize
        log.info("embeddings model %s loaded (%d dims)", self.name, self.dimension)

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """(len(texts), dimension) unit vectors; batched by ``embeddings.batch_size``.

        Safe to call from several threads at once, and no caller waits for another's batch: the
        ingest writer and a question's search share the model. Only tokenizing is serialised (a
        Hugging Face fast tokenizer is not reentrant, and it takes well under a millisecond per
        text); the forward pass runs in inference mode, which changes no state of the model.
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if len(texts) == 1:  # a question: the intent stage and retrieval both embed it
            with self._remembering:
                known = self._recent.get(texts[0])
                if known is not None:
                    self._recent.move_to_end(texts[0])
                    return known.copy()
            vector = self._embed(texts)
            with self._remembering:
                self._recent[texts[0]] = vector.copy()
                while len(self._recent) > _RECENT:
                    self._recent.popitem(last=False)
            return vector
        return self._embed(texts)

    def _embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        import torch  # noqa: PLC0415 - sentence-transformers already imported it

        parts = []
        for start in range(0, len(texts), self.batch_size):
            with self._tokenizing:
                features = self._preprocess(list(texts[start : start + self.batch_size]))
            with torch.inference_mode():
                vectors = self._forward(features)
                vectors = torch.nn.functional.normalize(vectors, p=2, dim=1)
            parts.append(vectors.float().cpu().numpy())
        return np.ascontiguousarray(np.concatenate(parts), dtype=np.float32)

    def _forward(self, features: dict[str, Any]) -> Any:
        device = self._model.device
        features = {k: v.to(device) if hasattr(v, "to") else v for k, v in features.items()}
        return self._model.forward(features)["sentence_embedding"]


class SharedEmbedder:
    """One embedding model for the whole daemon, loaded by whichever user asks first.

    The composition root hands the same instance to the documents handler (ingest, search on the
    bus) and to the responder's retriever; before, each loaded its own copy of the model.
    """

    def __init__(self, config: EmbeddingsConfig) -> None:
        self._config = config
        self._embedder: Embedder | None = None
        self._loading = threading.Lock()

    def get(self) -> Embedder:
        """The loaded model (loads it on the first call; blocking: call it off the loop)."""
        with self._loading:
            if self._embedder is None:
                self._embedder = Embedder(self._config)
            return self._embedder
