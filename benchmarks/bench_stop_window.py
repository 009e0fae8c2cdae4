"""Stop-phrase windows: how to decode the newest 1.5 s of speech fast and still hear "Yonder".

    .venv/bin/python -m benchmarks stop_window

13 sentences (8 with the stop phrase, 5 without) in two voices (Piper, espeak-ng), each cut as a
window of the newest ``asr.stop_window_s`` seconds ending at the speech's end and 0.3 s later.
Each window is decoded three ways: padded to Whisper's 30 s (faster-whisper's own decode),
padded to 10 s (what the ASR handler does, ``asr/window.py``), and unpadded. A window is right
when "Yonder" is heard (y?nder, the way the phrase matcher would take it) exactly when it was
said. Prints the table and writes ``benchmarks/results/stop_window.json``.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from benchmarks._harness import print_table, summarize, write_results
from nimbus.daemon.config import Config
from nimbus.handlers.audio.convert import to_float32
from nimbus.handlers.listening.asr.engine import WhisperEngine
from nimbus.handlers.listening.asr.window import WindowDecoder, quiet_start
from tests.speech import espeak_speech, synthesize_speech, to_16k

CASES = [
    ("Please remember to buy apples and pears at the market. Yonder.", True),
    ("Tell me a long story about a dragon. Yonder, stop now please.", True),
    ("I think that is enough. Yonder, stop.", True),
    ("Yonder.", True),
    ("Yonder!", True),
    ("Go over there and look yonder.", True),
    ("Stop talking now. Yonder.", True),
    ("Okay okay, yonder.", True),
    ("The weather is fine today and tomorrow.", False),
    ("Nimbus, what time is it?", False),
    ("I wonder what the answer is.", False),
    ("That's all I needed, thanks.", False),
    ("Let me think about it for a second.", False),
]
_HEARD = re.compile(r"\by[aou]n?d[ae]r\b")


def main(argv: list[str]) -> list[dict[str, Any]]:
    del argv
    config = Config()
    engine = WhisperEngine(config.asr, prompt_words=("Nimbus", "Yonder"))
    window_s = config.asr.stop_window_s
    ways: dict[str, Callable[[npt.NDArray[np.float32]], str]] = {
        "padded to 30 s (faster-whisper)": lambda a: engine.transcribe(a).text,
        "padded to 10 s (Nimbus)": WindowDecoder(engine.model, engine.prompt, "en").transcribe,
        "unpadded": WindowDecoder(engine.model, engine.prompt, "en", padded_s=0).transcribe,
    }
    windows: list[tuple[npt.NDArray[np.float32], bool]] = []
    for text, said in CASES:
        for voice in (synthesize_speech(text), espeak_speech(text)):
            speech = to_float32(to_16k(*voice))
            for after in (0.0, 0.3):
                audio = np.concatenate([speech, np.zeros(int(after * 16000), np.float32)])
                windows.append((audio[quiet_start(audio, window_s):], said))
    engine.transcribe(windows[0][0])  # warm-up
    rows = []
    for name, decode in ways.items():
        right, seconds = 0, []
        for audio, said in windows:
            started = time.perf_counter()
            text = decode(audio)
            seconds.append(time.perf_counter() - started)
            right += bool(_HEARD.search(text.lower())) == said
        stats = summarize(seconds)
        rows.append({"decode": name, "right": f"{right}/{len(windows)}",
                     "median_s": stats["median"], "p90_s": stats["p90"]})
    load = os.getloadavg()
    print_table(f"Stop windows ({window_s} s, tiny.en); load average {load[0]:.2f}", rows)
    write_results("stop_window", rows, load_average=load, windows=len(windows))
    return rows
