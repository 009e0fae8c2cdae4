"""Ingest named files and folders now, without a daemon (``nimbus docs add``, benchmarks)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from nimbus.daemon.config import Config
from nimbus.watchfolders.embedder import Embedder
from nimbus.watchfolders.filters import PathFilter, walk_files
from nimbus.watchfolders.ingest import Ingestor, IngestOutcome
from nimbus.watchfolders.store import Store

__all__ = ["ingest_paths"]

log = logging.getLogger(__name__)


def ingest_paths(
    config: Config,
    paths: Sequence[Path],
    *,
    progress: Callable[[IngestOutcome], None] | None = None,
    planned: Callable[[int], None] | None = None,
    embedder: Embedder | None = None,
) -> list[IngestOutcome]:
    """Synchronously ingest files (folders are walked) into the configured store.

    Works beside a running daemon (SQLite WAL; each file is one transaction). Files whose content
    is unchanged are skipped. ``planned`` gets the number of files once the folders are walked,
    ``progress`` is called after each file.
    """
    embedder = embedder or Embedder(config.embeddings)
    store = Store(config.store_path, model=embedder.name, dimension=embedder.dimension)
    outcomes: list[IngestOutcome] = []
    try:
        # Containment for a one-shot ingest: the folders and files the user named.
        ingestor = Ingestor(store, embedder, config, roots=[
            *(str(p) for p in config.watch_paths), *(os.path.abspath(p) for p in paths)])
        if store.model_changed:
            while (job := store.next_job(float("inf"))) is not None and job.action == "reembed":
                ingestor.reembed(job)  # not process(): the daemon's in-progress marker is its own
        targets: list[str] = []
        for given in paths:
            root = Path(os.path.abspath(given))
            if root.is_dir():
                path_filter = PathFilter.of([str(root)], config.watch.include,
                                            config.watch.exclude)
                targets += walk_files(root, path_filter)
            else:
                targets.append(str(root))
        if planned is not None:
            planned(len(targets))
        for target in targets:
            try:
                outcome = ingestor.ingest(target, job=None)
            except Exception as exc:  # one bad file never stops the batch
                log.exception("ingest of %s failed", target)
                outcome = IngestOutcome(path=target, status="failed", code="internal",
                                        message=f"{type(exc).__name__}: {exc}")
            outcomes.append(outcome)
            if progress is not None:
                progress(outcome)
    finally:
        store.close()
    return outcomes
