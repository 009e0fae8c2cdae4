"""Two satellites claiming one site name: the second is told why its audio is refused.

A real WebSocket server (no models needed) and the satellite in-process with its real Silero VAD
and a WAV of Piper speech; another connection is already streaming the site's microphone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

import pytest

from nimbus.cli.satellite import SatelliteOptions, run_satellite
from nimbus.daemon import codec
from nimbus.daemon.events import AudioChunk
from tests.handlers.interfaces.ws_helpers import hello, serve_ws, wait_until
from tests.speech import silence, synthesize_speech, to_16k, write_wav


async def test_the_second_satellite_on_a_site_logs_site_taken(
        state_dir: Path, watch_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    speech = to_16k(*synthesize_speech("Nimbus, what is the time?"))
    wav = write_wav(tmp_path / "room.wav", silence(0.3), speech, silence(1.5))
    caplog.set_level(logging.INFO, logger="nimbus.satellite")
    async with serve_ws(state_dir, watch_dir) as served:
        first, _ = await hello(served.url, site="kitchen")

        async def stream_first() -> None:
            while True:  # the first kitchen satellite is talking all along
                await first.send(codec.encode_frame(AudioChunk(site="kitchen",
                                                               audio=bytes(1024))))
                await asyncio.sleep(0.032)

        streamer = asyncio.create_task(stream_first())
        options = SatelliteOptions(site="kitchen", url=served.url, input_file=str(wav),
                                   output_file=str(tmp_path / "out.wav"))
        satellite = asyncio.create_task(run_satellite(options))
        try:
            await wait_until(lambda: "site_taken" in caplog.text, within=60)
        finally:
            satellite.cancel()
            streamer.cancel()
            for task in (satellite, streamer):
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await first.close()
    assert "another connection already streams site 'kitchen'" in caplog.text
    # (the empty chunk is the end-of-stream marker sent when the first one left)
    assert all(e.audio in (bytes(1024), b"") for e in served.recorder.of(AudioChunk)), \
        "only the first satellite's audio reached the bus"
