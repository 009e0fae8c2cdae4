"""ASR decode settings on held-out speech: word error rate and decode time of greedy vs beam
search, with and without the phrase prompt ("Nimbus. Yonder."), for the shipped tiny.en.

Run: ``python -m benchmarks asr_decode`` (``--part=dev`` the development half, ``--part=test``
the frozen test half, run once after the choice; default both; ``--limit=N`` the first N of
each half). Writes ``benchmarks/results/asr_decode[-PART].json`` with every transcript.

* **Speech nobody here wrote or synthesised**: the Asterisk core prompts (Debian's
  ``asterisk-core-sounds-en-wav``, which ``scripts/setup.sh`` installs with the test tools;
  transcripts from ``asterisk-core-sounds-en``'s ``core-sounds-en.txt``): 314 recordings of
  at least two words ("Please enter your password followed by the pound key."; the files that
  hold a tone or silence are left out), one professional voice, 8 kHz telephone audio
  (resampled to 16 kHz as any input is), 20.7 minutes. Split in two fixed halves by a hash of
  the file name: development (152 recordings, 8.7 min) and test (162, 12.0 min).
* **As the daemon decodes**: ``WhisperEngine.transcribe`` on each recording with 0.3 s of
  silence before it (the VAD's pre-roll), the settings taking turns on every recording so that
  the machine's load falls on all of them alike; decode time is the ratio to the baseline
  (greedy with the phrase prompt, the old default) measured in the same run.
* **WER**: word substitutions + deletions + insertions over reference words after the same
  normalisation of both sides (lower case, no punctuation, numbers as words: "press 1" is
  "press one"; "1-234" stays wrong for "one two three four").
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from benchmarks._harness import print_table, summarize, write_results
from benchmarks.wer import Prompt, asterisk_prompts, edit_distance, normalize, split
from nimbus.daemon.config import Config
from nimbus.handlers.audio.files import read_audio_file
from nimbus.handlers.listening.asr.engine import WhisperEngine

_LEAD_S = 0.3


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    beam: int
    prompt: bool


SETTINGS = (
    Setting("greedy + phrase prompt", 1, prompt=True),
    Setting("greedy, no prompt", 1, prompt=False),
    Setting("beam 5 + phrase prompt", 5, prompt=True),
    Setting("beam 5, no prompt", 5, prompt=False),
)
"""The first is the baseline the decode times are divided by."""


def _arg(argv: list[str], name: str, default: str) -> str:
    for arg in argv:
        if arg.startswith(f"--{name}="):
            return arg.split("=", 1)[1]
    return default


def _measure(prompts: list[Prompt], engines: dict[bool, WhisperEngine]) -> dict[str, Any]:
    heard: dict[str, list[dict[str, Any]]] = {s.name: [] for s in SETTINGS}
    for prompt in prompts:
        audio = read_audio_file(prompt.path)
        audio = np.concatenate([np.zeros(int(_LEAD_S * 16000), np.float32), audio])
        for setting in SETTINGS:
            started = time.perf_counter()
            text = engines[setting.prompt].transcribe(audio, beam_size=setting.beam).text
            seconds = time.perf_counter() - started
            reference, hypothesis = normalize(prompt.text), normalize(text)
            heard[setting.name].append({
                "name": prompt.name, "reference": prompt.text, "heard": text,
                "errors": edit_distance(reference, hypothesis), "words": len(reference),
                "seconds": round(seconds, 4), "audio_s": round(audio.size / 16000, 2)})
    return heard


def _rows(part: str, heard: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    base = statistics.median(h["seconds"] for h in heard[SETTINGS[0].name])
    rows = []
    for setting in SETTINGS:
        items = heard[setting.name]
        errors = sum(h["errors"] for h in items)
        words = sum(h["words"] for h in items)
        times = summarize([h["seconds"] for h in items])
        rows.append({
            "part": part, "setting": setting.name, "recordings": len(items),
            "WER %": round(100 * errors / words, 2) if words else 0.0,
            "recordings wrong %": round(
                100 * sum(1 for h in items if h["errors"]) / len(items), 1) if items else 0.0,
            "decode median s": round(times.get("median", 0.0), 3),
            "decode p90 s": round(times.get("p90", 0.0), 3),
            "x baseline": round(times.get("median", 0.0) / base, 2) if base else 0.0,
        })
    return rows


def main(argv: list[str]) -> list[dict[str, Any]]:
    part = _arg(argv, "part", "both")
    limit = int(_arg(argv, "limit", "0"))
    dev, test = split(asterisk_prompts())
    parts = {"dev": dev, "test": test} if part == "both" else {part: {"dev": dev,
                                                                      "test": test}[part]}
    config = Config()
    words = (*config.phrases.action, *config.phrases.stop)
    engines = {True: WhisperEngine(config.asr, prompt_words=words),
               False: WhisperEngine(config.asr, prompt_words=())}
    rows: list[dict[str, Any]] = []
    details: dict[str, Any] = {}
    for name, prompts in parts.items():
        chosen = prompts[:limit] if limit else prompts
        heard = _measure(chosen, engines)
        rows += _rows(name, heard)
        details[name] = heard
    print_table(f"ASR decode settings, {engines[True].name}, held-out speech "
                "(Asterisk prompts; WER after normalisation)", rows)
    write_results("asr_decode" if part == "both" else f"asr_decode-{part}", rows,
                  transcripts=details, prompt=engines[True].prompt)
    return rows
