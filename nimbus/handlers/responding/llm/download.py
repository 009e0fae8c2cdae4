"""Fetch a GGUF named by URL once into the state dir's model cache, with progress."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from nimbus.handlers.responding.llm.base import LlmError

__all__ = ["Progress", "fetch_model"]

log = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]
"""Called with (bytes so far, total bytes or None) as a download proceeds."""

_CHUNK = 1 << 20


def _log_progress(name: str) -> Progress:
    last = [0.0]

    def report(done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - last[0] < 2.0 and done != total:
            return
        last[0] = now
        if total:
            log.info("downloading %s: %d%% (%.1f of %.1f MB)", name, 100 * done // total,
                     done / 1e6, total / 1e6)
        else:
            log.info("downloading %s: %.1f MB", name, done / 1e6)

    return report


def _download(url: str, partial: Path, *, timeout_s: float, report: Progress, hint: str) -> None:
    with httpx.stream("GET", url, follow_redirects=True,
                      timeout=httpx.Timeout(timeout_s, connect=10.0)) as response:
        if response.status_code >= 400:
            raise LlmError("model_download_failed",
                           f"cannot download {url}: HTTP {response.status_code} "
                           f"{response.reason_phrase}; {hint}")
        length = response.headers.get("content-length")
        total = int(length) if length and length.isdigit() else None
        done = 0
        report(0, total)
        with partial.open("wb") as out:
            for block in response.iter_bytes(_CHUNK):
                out.write(block)
                done += len(block)
                report(done, total)
        report(done, total or done)


def fetch_model(url: str, dest: Path, *, timeout_s: float = 60.0,
                progress: Progress | None = None) -> Path:
    """``dest`` if it is already there, else download ``url`` to it (atomically) and return it.

    Raises :class:`LlmError` (``model_download_failed``) with a message saying what to do when
    the URL cannot be fetched - typically because this machine is offline.
    """
    if dest.is_file():
        return dest
    report = progress or _log_progress(dest.name)
    partial = dest.with_name(dest.name + ".part")
    dest.parent.mkdir(parents=True, exist_ok=True)
    hint = (f"download it on a connected machine, copy it here and set llm.model to its path "
            f"(or to {dest})")
    try:
        _download(url, partial, timeout_s=timeout_s, report=report, hint=hint)
    except httpx.HTTPError as exc:
        partial.unlink(missing_ok=True)
        raise LlmError("model_download_failed",
                       f"cannot download {url} ({type(exc).__name__}: {exc}); offline? "
                       f"Nimbus never needs the network for its shipped models: {hint}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    with partial.open("rb") as handle:
        magic = handle.read(4)
    if magic != b"GGUF":
        partial.unlink(missing_ok=True)
        raise LlmError("model_download_failed", f"{url} is not a GGUF file (got {magic!r})")
    os.replace(partial, dest)
    log.info("downloaded %s to %s", url, dest)
    return dest
