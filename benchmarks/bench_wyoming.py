"""Wyoming against WebSocket on one real daemon: ASR, TTS, and a wyoming-satellite's turn.

* ASR: the same Piper utterance (the garden question, 16 kHz). Wyoming (as Home Assistant sends
  it): the whole audio, then ``audio-stop`` -> ``transcript``. WebSocket (as a microphone site):
  streamed at real time, end of speech -> final ``transcript`` (this includes the VAD's end-of-
  speech hang-over, ``vad.silence_ms``; Wyoming peers end the audio themselves).
* TTS: the same sentence, ``synthesize`` -> first ``audio-chunk`` vs ``cmd.say`` -> first
  ``audio.out`` with audio.
* Satellite: the real wyoming-satellite (own venv, FIFO microphone, file speaker): end of the
  spoken question -> first answer audio written by its speaker command; the same question spoken
  over WebSocket -> first ``audio.out`` is the baseline.

``--reps N`` (default 5; 2 for the voice turns). Writes ``benchmarks/results/wyoming.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._harness import print_table, summarize, write_results
from nimbus.cli.client import DaemonClient
from nimbus.daemon.events import AudioOut, DocumentIngested, Say, Transcript
from nimbus.daemon.testing import DaemonProcess
from tests.conversation import Recorder, daemon_config, speak, spoken
from tests.handlers.responding.test_responder import GARDEN_PAGES, make_pdf
from tests.satellite import Microphone, SatelliteProcess, free_port
from tests.speech import synthesize_speech, to_16k

QUESTION = "Nimbus, who plans the planting calendar?"
ASR_TEXT = "Who is the head gardener of the community garden?"
TTS_TEXT = "The green shed near the gate holds every tool you need."
WAIT = 240.0


async def _wyoming_asr(port: int, pcm: bytes) -> tuple[float, str]:
    from wyoming.asr import Transcribe  # noqa: PLC0415
    from wyoming.audio import AudioChunk, AudioStart, AudioStop  # noqa: PLC0415
    from wyoming.client import AsyncTcpClient  # noqa: PLC0415

    async with AsyncTcpClient("127.0.0.1", port) as client:
        await client.write_event(Transcribe(language="en").event())
        await client.write_event(AudioStart(rate=16000, width=2, channels=1).event())
        for offset in range(0, len(pcm), 3200):
            await client.write_event(AudioChunk(rate=16000, width=2, channels=1,
                                                audio=pcm[offset:offset + 3200]).event())
        await client.write_event(AudioStop().event())
        sent = time.monotonic()
        while (event := await client.read_event()) is not None:
            if event.type == "transcript":
                return time.monotonic() - sent, str(event.data.get("text", ""))
    raise RuntimeError("no transcript")


async def _wyoming_tts(port: int) -> float:
    from wyoming.client import AsyncTcpClient  # noqa: PLC0415
    from wyoming.tts import Synthesize  # noqa: PLC0415

    async with AsyncTcpClient("127.0.0.1", port) as client:
        sent = time.monotonic()
        await client.write_event(Synthesize(text=TTS_TEXT).event())
        first = 0.0
        while (event := await client.read_event()) is not None:
            if event.type == "audio-chunk" and not first:
                first = time.monotonic() - sent
            if event.type == "audio-stop":
                return first
    raise RuntimeError("no audio-stop")


async def _run(reps: int, turns: int, root: Path) -> dict[str, Any]:
    state_dir, watch_dir = root / "state", root / "watched"
    state_dir.mkdir()
    watch_dir.mkdir()
    satellite = SatelliteProcess(root, free_port())
    satellite.start()
    config = daemon_config(root / "nimbus.toml", state_dir=state_dir, watch_dir=watch_dir, extra=(
        "[wyoming]\nenabled = true\nport = 0\nzeroconf = false\n\n[[wyoming.satellites]]\n"
        f'uri = "tcp://127.0.0.1:{satellite.port}"\nsite = "porch"\n'))
    daemon = DaemonProcess(config, state_dir, log_path=root / "daemon.log")
    samples: dict[str, list[float]] = {k: [] for k in (
        "asr_wyoming", "asr_websocket", "tts_wyoming", "tts_websocket", "turn_satellite",
        "turn_websocket")}
    heard: list[str] = []
    try:
        url = daemon.start(ready_within=WAIT)
        import json  # noqa: PLC0415

        port = int(json.loads((state_dir / "wyoming.json").read_text())["port"])
        asr_audio = to_16k(*synthesize_speech(ASR_TEXT))
        async with DaemonClient(url, site="bench") as client, Recorder.on(client) as rec:
            await client.subscribe([Transcript, AudioOut, DocumentIngested], sites="*")
            pdf = watch_dir / "garden-notes.pdf"
            make_pdf(root / "garden-notes.pdf", GARDEN_PAGES)
            shutil.copyfile(root / "garden-notes.pdf", pdf)
            await rec.wait_for(lambda e: isinstance(e, DocumentIngested), timeout=WAIT)
            for _ in range(reps):
                seconds, text = await _wyoming_asr(port, asr_audio.tobytes())
                samples["asr_wyoming"].append(seconds)
                heard.append(text)
                mark = len(rec.heard)
                ended = await speak(client, spoken(ASR_TEXT))
                got = await rec.wait_for(lambda e: isinstance(e, Transcript) and e.final
                                         and e.site == "bench", after=mark, timeout=WAIT)
                samples["asr_websocket"].append(got.at - ended)
                samples["tts_wyoming"].append(await _wyoming_tts(port))
                mark = len(rec.heard)
                sent = time.monotonic()
                await client.send(Say(site="bench", text=TTS_TEXT))
                got = await rec.wait_for(lambda e: isinstance(e, AudioOut) and e.site == "bench"
                                         and bool(e.audio), after=mark, timeout=WAIT)
                samples["tts_websocket"].append(got.at - sent)
                await asyncio.sleep(4)  # let the paced audio finish before the next round
            async with Microphone(satellite.fifo) as mic:
                for _ in range(turns):
                    utterance = spoken(QUESTION)
                    before = satellite.played_seconds()
                    started = time.monotonic()
                    mic.say(utterance.audio)
                    speech_end = started + utterance.speech_end / 16000
                    deadline = time.monotonic() + WAIT
                    while satellite.played_seconds() == before and time.monotonic() < deadline:  # noqa: ASYNC110 - a file
                        await asyncio.sleep(0.01)
                    samples["turn_satellite"].append(time.monotonic() - speech_end)
                    mark = len(rec.heard)
                    ended = await speak(client, utterance)
                    got = await rec.wait_for(lambda e: isinstance(e, AudioOut)
                                             and e.site == "bench" and bool(e.audio),
                                             after=mark, timeout=WAIT)
                    samples["turn_websocket"].append(got.at - ended)
                    await asyncio.sleep(12)  # both answers play out
    finally:
        daemon.stop()
        satellite.stop()
    return {"samples": samples, "heard": heard, "load": os.getloadavg()}


def main(argv: list[str]) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(prog="benchmarks.bench_wyoming")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--turns", type=int, default=2)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="nimbus-wyoming-") as tmp:
        result = asyncio.run(_run(args.reps, args.turns, Path(tmp)))
    samples = result["samples"]
    what = {
        "asr": ("ASR: end of audio -> transcript", "asr_wyoming", "asr_websocket"),
        "tts": ("TTS: text -> first audio", "tts_wyoming", "tts_websocket"),
        "turn": ("turn: end of speech -> first answer audio", "turn_satellite",
                 "turn_websocket"),
    }
    rows = []
    for title, wyoming, websocket in what.values():
        w, s = summarize(samples[wyoming]), summarize(samples[websocket])
        rows.append({"measure": title, "wyoming median s": w["median"], "wyoming p90 s": w["p90"],
                     "websocket median s": s["median"], "websocket p90 s": s["p90"],
                     "ratio (wyoming/websocket)": w["median"] / s["median"], "n": w["n"]})
    print_table("Wyoming vs WebSocket (same daemon, same audio and text; satellite = the real "
                "wyoming-satellite)", rows)
    print(f"load average before {load_before}, after {result['load']}")
    path = write_results("wyoming", rows, samples=samples, heard=result["heard"],
                         load_before=load_before, load_after=result["load"])
    print(f"wrote {path}")
    return rows
