"""End to end in headless Chromium: the daemon's own page, a fake microphone fed from a WAV file.

The real daemon runs as a subprocess (`nimbus run`). The browser's microphone is Chromium's fake
capture device playing a WAV of a spoken question (the only fake: there is no sound card here).
What the page must show depends on what the daemon composes: with the listening handlers it
must show the transcript; with the responder also the answer.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from nimbus.cli.client import DaemonClient, DaemonClientError
from nimbus.daemon.config import load_config
from nimbus.daemon.events import AudioChunk, ResponseDone, Status, StatusReport, Stop
from tests.conftest import NIMBUS, write_config
from tests.handlers.interfaces.ws_helpers import wait_until

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
         "--autoplay-policy=no-user-gesture-required"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]


def _start_daemon(config: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen([*NIMBUS, "--config", str(config), "run"],
                                stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ))


async def _connect(config_path: Path, proc: subprocess.Popen[bytes],
                   within: float = 240) -> DaemonClient:
    config = load_config(config_path)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"daemon exited with {proc.returncode}")
        try:
            client = DaemonClient.from_config(config)
            client._open_timeout = 30
            return await client.__aenter__()
        except DaemonClientError:
            await asyncio.sleep(0.5)
    raise AssertionError("daemon did not come up")


async def test_browser_page_streams_the_microphone_and_shows_what_the_daemon_does(
    tmp_path: Path, state_dir: Path, watch_dir: Path
) -> None:
    playwright_api = pytest.importorskip("playwright.async_api")
    from tests.speech import silence, synthesize_speech, write_wav  # noqa: PLC0415 - piper

    wav = write_wav(tmp_path / "question.wav", silence(1.0),
                    synthesize_speech("Nimbus, what time is it?"), silence(2.5))
    config = write_config(tmp_path / "nimbus.toml", state_dir, watch_dir)
    log = tmp_path / "daemon.log"
    proc = _start_daemon(config, log)
    try:
        client = await _connect(config, proc)
        try:
            await _drive_browser(playwright_api, client, wav)
        finally:
            await client.close()
    except BaseException:
        sys.stderr.write(log.read_text(errors="replace")[-5000:])
        raise
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0


async def _drive_browser(api: object, client: DaemonClient, wav: Path) -> None:
    status = await anext(client.request(Status(site=client.site), until=lambda e: True,
                                        timeout=30))
    assert isinstance(status, StatusReport)
    handlers = set(status.status.get("handlers", ()))
    print(f"daemon handlers: {sorted(handlers)}")
    await client.subscribe(["audio.chunk", "transcript", "response.done", "state.changed",
                            "stop"])
    http_url = client.url.replace("ws://", "http://").removesuffix("/ws") + "/"
    heard: list[AudioChunk] = []
    stops: list[Stop] = []
    answers: list[ResponseDone] = []

    async def collect() -> None:
        async for event in client.events():
            if isinstance(event, AudioChunk) and event.site.startswith("browser-"):
                heard.append(event)
            elif isinstance(event, Stop):
                stops.append(event)
            elif isinstance(event, ResponseDone) and event.site.startswith("browser-"):
                answers.append(event)

    collector = asyncio.create_task(collect())
    async with api.async_playwright() as pw:  # type: ignore[attr-defined]
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=[*FLAGS, f"--use-file-for-fake-audio-capture={wav}"],
        )
        try:
            page = await browser.new_page()
            await page.goto(http_url)
            connection = page.get_by_test_id("connection")
            await page.wait_for_function(
                "() => document.getElementById('connection').textContent"
                ".startsWith('connected as browser-')", timeout=30_000)
            site = (await connection.text_content() or "").removeprefix("connected as ")
            assert site.startswith("browser-")
            assert await page.get_by_test_id("state").text_content() in (
                "idle", "listening", "thinking", "speaking")
            await page.get_by_test_id("mic").click()
            await wait_until(lambda: len(heard) >= 20, within=60)
            # The page asked for the browser's own echo cancellation, and got it.
            assert await page.get_by_test_id("echo").text_content() == "echo cancellation on"
            # The page's microphone reaches the daemon as audio.chunk events of its own site,
            # 16 kHz 16-bit mono, in order.
            assert {c.site for c in heard} == {site}
            assert all((c.rate, c.width, c.channels) == (16000, 2, 1) for c in heard)
            sequences = [c.sequence for c in heard]
            assert sequences == sorted(sequences)
            if "asr" in handlers:
                await page.wait_for_function(
                    "() => /time/i.test(document.getElementById('transcript').textContent)",
                    timeout=120_000)
            if "responder" in handlers:
                await wait_until(lambda: bool(answers), within=180)
                assert answers[0].site == site
                assert answers[0].text.strip()
                await page.wait_for_function(
                    "() => document.getElementById('answer').textContent.trim().length > 0",
                    timeout=30_000)
                shown = await page.get_by_test_id("answer").text_content() or ""
                assert answers[0].text.strip() in shown
            print("page transcript:", await page.get_by_test_id("transcript").text_content())
            print("page answer:", await page.get_by_test_id("answer").text_content())
            await page.get_by_test_id("stop").click()
            await wait_until(lambda: any(s.site == site for s in stops), within=30)
        finally:
            await browser.close()
            collector.cancel()

