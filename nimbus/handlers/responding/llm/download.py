"""Fetch a GGUF named by URL or Hugging Face ``repo/file`` once into the state dir's model cache.

The download shows its progress (a bar on a terminal, log lines otherwise), is checked against a
SHA-256 (``llm.model_sha256``, else the one the hub sends for its LFS files in
``X-Linked-Etag``), written to ``<name>.part`` and renamed only when complete and checked, and
never hangs: the connection has ``llm.connect_timeout_s``, every read ``llm.timeout_s``. With
``HF_HUB_OFFLINE`` set a hub model that is not cached yet is a clear ``model_unavailable``
error, not a network attempt. The hub is ``HF_ENDPOINT`` when set (a mirror), else
huggingface.co.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

import httpx

from nimbus.daemon.models import HubFile
from nimbus.handlers.responding.llm.base import LlmError

__all__ = ["HUB_ENDPOINT", "Progress", "fetch_hub_model", "fetch_model", "hub_url",
           "terminal_bar"]

log = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]
"""Called with (bytes so far, total bytes or None) as a download proceeds."""

HUB_ENDPOINT = "https://huggingface.co"
_CHUNK = 1 << 20
_SHA256 = re.compile(r"[0-9a-f]{64}")
_TRUE = ("1", "true", "yes", "on")


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


def terminal_bar(name: str, stream: TextIO, width: int = 30) -> Progress:
    """A one-line progress bar redrawn in place: ``name [#####     ]  52% 130.1/250.0 MB``."""
    last = [-1]

    def report(done: int, total: int | None) -> None:
        if total:
            percent = 100 * done // total
            if percent == last[0]:
                return
            last[0] = percent
            filled = width * done // total
            bar = "#" * filled + " " * (width - filled)
            line = f"{name} [{bar}] {percent:3d}% {done / 1e6:.1f}/{total / 1e6:.1f} MB"
        else:
            line = f"{name} {done / 1e6:.1f} MB"
        end = "\n" if total and done >= total else ""
        stream.write(f"\r{line}{end}")
        stream.flush()

    return report


def _default_progress(name: str) -> Progress:
    return terminal_bar(name, sys.stderr) if sys.stderr.isatty() else _log_progress(name)


def _expected_digest(response: httpx.Response, sha256: str) -> str:
    """The SHA-256 the file must have: configured, else the hub's LFS one, else none ("")."""
    if sha256:
        return sha256.lower()
    for header in ("x-linked-etag", "etag"):
        value = str(response.headers.get(header, "")).strip().removeprefix("W/").strip('"')
        if _SHA256.fullmatch(value.lower()):
            return value.lower()
    return ""


def _download(url: str, partial: Path, *, timeout_s: float, connect_timeout_s: float,
              report: Progress, hint: str, sha256: str) -> str:
    """Stream ``url`` into ``partial``; return its SHA-256 (checked when one is known)."""
    digest = hashlib.sha256()
    timeout = httpx.Timeout(timeout_s, connect=connect_timeout_s)
    with httpx.stream("GET", url, follow_redirects=True, timeout=timeout) as response:
        if response.status_code >= 400:
            raise LlmError("model_download_failed",
                           f"cannot download {url}: HTTP {response.status_code} "
                           f"{response.reason_phrase}; {hint}")
        expected = _expected_digest(response, sha256)
        length = response.headers.get("content-length")
        total = int(length) if length and length.isdigit() else None
        done = 0
        report(0, total)
        with partial.open("wb") as out:
            for block in response.iter_bytes(_CHUNK):
                out.write(block)
                digest.update(block)
                done += len(block)
                report(done, total)
        report(done, total or done)
    got = digest.hexdigest()
    if expected and got != expected:
        raise LlmError("model_download_failed",
                       f"{url} downloaded, but its SHA-256 is {got}, not {expected}: the file is "
                       f"damaged or not the one expected (llm.model_sha256); nothing was kept")
    return got


def fetch_model(url: str, dest: Path, *, timeout_s: float = 60.0, connect_timeout_s: float = 5.0,
                progress: Progress | None = None, sha256: str = "") -> Path:
    """``dest`` if it is already there, else download ``url`` to it (atomically) and return it.

    Raises :class:`LlmError` (``model_download_failed``) with a message saying what to do when
    the URL cannot be fetched - typically because this machine is offline - or when the file is
    not a GGUF or does not match its SHA-256. The digest is kept beside it (``<name>.sha256``).
    """
    if dest.is_file():
        return dest
    report = progress or _default_progress(dest.name)
    partial = dest.with_name(dest.name + ".part")
    dest.parent.mkdir(parents=True, exist_ok=True)
    hint = (f"download it on a connected machine, copy it here and set llm.model to its path "
            f"(or to {dest})")
    try:
        digest = _download(url, partial, timeout_s=timeout_s, connect_timeout_s=connect_timeout_s,
                           report=report, hint=hint, sha256=sha256)
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
    dest.with_name(dest.name + ".sha256").write_text(f"{digest}  {dest.name}\n")
    os.replace(partial, dest)
    log.info("downloaded %s to %s (sha256 %s)", url, dest, digest)
    return dest


def hub_url(hub: HubFile, endpoint: str | None = None) -> str:
    """Where the hub serves ``hub``'s file: ``<endpoint>/<repo>/resolve/<revision>/<file>``."""
    base = (endpoint or os.environ.get("HF_ENDPOINT") or HUB_ENDPOINT).rstrip("/")
    return f"{base}/{hub.repo}/resolve/{quote(hub.revision, safe='')}/{quote(hub.file)}"


def fetch_hub_model(hub: HubFile, dest: Path, *, timeout_s: float = 60.0,
                    connect_timeout_s: float = 5.0, progress: Progress | None = None,
                    sha256: str = "") -> Path:
    """:func:`fetch_model` for a Hugging Face ``repo/file``; offline mode fetches nothing."""
    if dest.is_file():
        return dest
    url = hub_url(hub)
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in _TRUE:
        raise LlmError("model_unavailable",
                       f"{hub} is not downloaded yet ({dest} does not exist) and HF_HUB_OFFLINE "
                       f"is set, so it is not fetched: unset HF_HUB_OFFLINE to download it once, "
                       f"or fetch {url} on a connected machine and copy it to {dest}")
    return fetch_model(url, dest, timeout_s=timeout_s, connect_timeout_s=connect_timeout_s,
                       progress=progress, sha256=sha256)
