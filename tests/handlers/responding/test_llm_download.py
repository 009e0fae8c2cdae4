"""GGUF downloads by Hugging Face ``repo/file``, against a real HTTP hub on 127.0.0.1.

The file served is a small GGUF-headed blob, not a model: what is tested is naming, fetching,
the checksum, progress, the cache and the offline and never-hang rules (loading a downloaded
GGUF is tested in ``test_llm_llama.py``).
"""

from __future__ import annotations

import hashlib
import http.server
import io
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from nimbus.daemon.config import load_config
from nimbus.daemon.models import HubFile, parse_hub_file, resolve_llm
from nimbus.handlers.responding.llm import LlmError, load_backend
from nimbus.handlers.responding.llm.download import fetch_hub_model, hub_url, terminal_bar

BLOB = b"GGUF" + os.urandom(3 << 20)
SPEC = "nimbus-test/tiny-model-GGUF/tiny.Q4.gguf"


@dataclass
class Hub:
    url: str
    requests: list[str] = field(default_factory=list)
    etag: str = hashlib.sha256(BLOB).hexdigest()


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[Hub]:
    """Serves BLOB at <repo>/resolve/main/<file> with its LFS SHA-256, as the HF hub does."""
    state = Hub(url="")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append(self.path)
            if self.path != "/nimbus-test/tiny-model-GGUF/resolve/main/tiny.Q4.gguf":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(BLOB)))
            self.send_header("X-Linked-Etag", f'"{state.etag}"')
            self.end_headers()
            self.wfile.write(BLOB)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("HF_ENDPOINT", state.url)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_hub_names_are_told_from_paths_and_urls(tmp_path: Path) -> None:
    assert parse_hub_file(SPEC) == HubFile("nimbus-test/tiny-model-GGUF", "tiny.Q4.gguf")
    assert parse_hub_file("org/repo@v2/sub/x.gguf") == HubFile("org/repo", "sub/x.gguf", "v2")
    for not_hub in ("/models/x.gguf", "./a/b/x.gguf", "~/a/b/x.gguf", "models/x.gguf",
                    "https://example.org/a/b/x.gguf", "org/repo/readme.md", "x.gguf"):
        assert parse_hub_file(not_hub) is None, not_hub
    assert hub_url(HubFile("org/repo", "x y.gguf"), "http://mirror/") == (
        "http://mirror/org/repo/resolve/main/x%20y.gguf")


def test_a_hub_file_is_downloaded_once_with_progress_and_checksum(hub: Hub,
                                                                   state_dir: Path) -> None:
    config = load_config(None, environ={}, overrides=[
        f'llm.model="{SPEC}"', f'daemon.state_dir="{state_dir}"'])
    location = resolve_llm(config)
    assert location.path is not None
    assert location.path.is_relative_to(state_dir / "models")
    seen: list[tuple[int, int | None]] = []
    got = fetch_hub_model(parse_hub_file(SPEC), location.path,  # type: ignore[arg-type]
                          progress=lambda done, total: seen.append((done, total)))
    assert got.read_bytes() == BLOB
    assert seen[-1] == (len(BLOB), len(BLOB))
    assert len(seen) > 2
    assert got.with_name(got.name + ".sha256").read_text().split()[0] == hub.etag
    assert not list(got.parent.glob("*.part"))
    again = fetch_hub_model(parse_hub_file(SPEC), location.path)  # type: ignore[arg-type]
    assert again == got
    assert len(hub.requests) == 1, "the second start uses the cached file"


def test_a_file_that_does_not_match_its_checksum_is_not_kept(hub: Hub, state_dir: Path) -> None:
    hub.etag = "0" * 64
    dest = state_dir / "models" / "tiny.gguf"
    with pytest.raises(LlmError) as caught:
        fetch_hub_model(parse_hub_file(SPEC), dest)  # type: ignore[arg-type]
    assert caught.value.code == "model_download_failed"
    assert "SHA-256" in caught.value.message
    assert not dest.exists()
    assert not list(dest.parent.glob("*.part"))


def test_a_configured_checksum_wins(hub: Hub, state_dir: Path) -> None:
    config = load_config(None, environ={}, overrides=[
        f'llm.model="{SPEC}"', f'daemon.state_dir="{state_dir}"', f'llm.model_sha256="{"a" * 64}"'])
    with pytest.raises(LlmError, match="not the one expected"):
        load_backend(config)


def test_offline_mode_fetches_nothing_and_says_what_to_do(hub: Hub, state_dir: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    config = load_config(None, environ={}, overrides=[
        f'llm.model="{SPEC}"', f'daemon.state_dir="{state_dir}"'])
    with pytest.raises(LlmError) as caught:
        load_backend(config)
    assert caught.value.code == "model_unavailable"
    assert "HF_HUB_OFFLINE" in caught.value.message
    assert SPEC in caught.value.message
    assert hub.requests == []


def test_a_hub_that_never_answers_is_an_error_not_a_hang(state_dir: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as silent:  # accepts connections (the kernel does), never replies
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{silent.getsockname()[1]}")
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
        with pytest.raises(LlmError) as caught:
            fetch_hub_model(parse_hub_file(SPEC), state_dir / "x.gguf",  # type: ignore[arg-type]
                            timeout_s=0.5, connect_timeout_s=0.5)
    assert caught.value.code == "model_download_failed"
    assert "Timeout" in caught.value.message


def test_the_terminal_bar_draws_in_place() -> None:
    out = io.StringIO()
    bar = terminal_bar("tiny.gguf", out, width=10)
    for done in (0, 50, 50, 100):
        bar(done * 1_000_000, 100_000_000)
    assert out.getvalue().count("\r") == 3  # an unchanged percentage is not redrawn
    assert out.getvalue().endswith("tiny.gguf [##########] 100% 100.0/100.0 MB\n")
