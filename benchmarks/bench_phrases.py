"""Phrase benchmark: false activations on speech not addressed to the assistant, near misses,
addressed commands (clean and at 10 dB SNR), and what verification costs.

Run: ``python -m benchmarks phrases`` (``--minutes=N`` of unaddressed speech, default 60, and
``--noisy-minutes=N`` more with noise, default 20: half white, half pink at 10 dB SNR;
``--quick`` = 3 + 2 minutes and half the near-miss and command sets; ``--no-noisy-model``
decodes noisy speech with tiny.en too, as ``asr.noisy_model = ""``). Writes
``benchmarks/results/phrases.json``.

* **Unaddressed speech**: verses of the King James Bible (public domain; read with the ``bible``
  program of Debian's ``bible-kjv`` package, which ``scripts/setup.sh`` installs) spoken in turn by
  the shipped Piper voice at two speeds and three espeak-ng voices at different speeds, streamed
  through the real file -> VAD -> ASR -> phrases pipeline. Any ``command`` or ``stop`` is a false
  activation.
* **Near misses**: sentences with words that sound like "Nimbus" / "Yonder" (nimble, the Nimbles,
  nimbostratus, a saint's nimbus, over yonder ...), in three voices, each sentence on its own
  site (one false command must not make the next sentence's "yonder" a stop).
* **Addressed commands**: wake style ("Nimbus, ...") and submit style ("..., Nimbus.") in two
  voices, clean and with noise mixed at 10 dB SNR through the whole stream: white noise (the
  harsh case: it masks the consonants evenly up to 8 kHz) and pink noise (1/f: most of its power
  low, like a fan, traffic or a room's hum; closer to household noise). The SNR is the power of
  the clips' voiced samples (|x| > 2 % of full scale) over the noise power.
* **Reproducible**: Piper's variation is seeded (``onnxruntime.set_seed``) and so is the noise:
  the same command line gives the same counts on the same machine.
* **Enrolled template**: both command voices enroll "Nimbus" first (three renditions each:
  Piper's natural variation, espeak at three speeds), as ``nimbus phrases enroll`` would, and the
  pipeline verifies with it.
* **Signals**: for the near misses and the clean commands, decoded directly (no VAD), which rule
  separates them: the text match alone (the old behaviour), the unprompted word probability, an
  unprompted re-decode, the addressing cues, the enrolled template, and their combinations,
  with what each costs; the noisy (white, 10 dB) commands too.

``--beam=N`` decodes with beam width N instead of ``asr.beam_size`` (``bench_asr_decode.py``).
``--parts=signals,near,addressed,unaddressed`` runs only some parts (a subset writes
``phrases-<parts>.json``), so the hour of unaddressed speech can run on its own.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import onnxruntime

from benchmarks._harness import print_table, summarize, write_results
from nimbus.daemon.config import Config
from nimbus.daemon.events import Command, Event, PhraseRejected, Stop, Transcript
from nimbus.daemon.models import resolve_noisy_asr, resolve_vad
from nimbus.handlers.listening.asr.engine import WhisperEngine
from nimbus.handlers.listening.asr.phrase_evidence import has_candidate, heard_words
from nimbus.handlers.listening.phrases.enroll import renditions
from nimbus.handlers.listening.phrases.matcher import find_phrases, tokenize
from nimbus.handlers.listening.phrases.template import (
    PhraseTemplates,
    merge,
)
from nimbus.handlers.listening.phrases.verify import thresholds, verify
from nimbus.handlers.listening.vad.engine import SileroVad
from tests.handlers.listening.helpers import listen
from tests.speech import espeak_speech, silence, to_16k, write_wav

Pcm = npt.NDArray[np.int16]

# (name, engine, espeak voice or piper length scale, espeak words per minute)
VOICES: tuple[tuple[str, str, str, int], ...] = (
    ("piper joe", "piper", "1.0", 0),
    ("piper joe slow", "piper", "1.3", 0),
    ("espeak en-us 150", "espeak", "en-us", 150),
    ("espeak en-gb 175", "espeak", "en-gb", 175),
    ("espeak en-us+f3 130", "espeak", "en-us+f3", 130),
    ("piper joe fast", "piper", "0.85", 0),
    ("espeak en-gb-scotland+m3 160", "espeak", "en-gb-scotland+m3", 160),
    ("espeak en-029+f2 185", "espeak", "en-029+f2", 185),
)
"""The installed packages ship one Piper voice (en_US joe); espeak-ng gives the others."""

BOOKS = ("ruth", "mark", "acts", "ge", "ex", "lu", "joh", "jos", "jdg", "1sa", "2sa", "1ki")
"""Narrative books, read chapter by chapter until the requested minutes are filled."""

NEAR_MISSES = (
    "The Nimbles live next door to us.",
    "She is very nimble on her feet.",
    "Look at the nimbostratus clouds over the hill.",
    "We had dinner with a family called the Nimbles.",
    "A nimble cat jumped over the fence.",
    "Nimbostratus clouds bring steady rain.",
    "The painting shows a saint with a nimbus around his head.",
    "Jimmy bought a new bus yesterday.",
    "The limbo contest was fun.",
    "Nimble fingers make quick work of knitting.",
    "Mister Nimble will be late today.",
    "The nimbus clouds were dark and heavy.",
    "Over yonder hill there is a river.",
    "I wonder where he went.",
    "The younger one is taller.",
    "Yonder stands the old mill.",
    "Nimbly she stepped aside.",
    "Those numbers are wrong.",
    "Let's play nimble games at the party.",
    "The Nimbus two thousand was a famous broom.",
    # Written before any measurement with the pause rule and run through it once as a
    # hold-out (0 of 60 activations clean, 0 with white, 0 with pink noise) before joining.
    "He moved nimbly through the crowd.",
    "Nimbleness comes with practice.",
    "The limbs of the tree were bare.",
    "Nimble-footed goats climb the cliffs.",
    "Honda makes reliable cars.",
    "Yonkers is north of the city.",
    "Nimbostratus layers covered the sky all day.",
    "Jim bused tables at the diner.",
    "In the nimbus of the streetlight, snow fell.",
    "Nimby neighbours opposed the new park.",
    "Thimbles and needles are in the drawer.",
    "Nimble Jack jumped over the candlestick.",
    "Ponder that for a moment.",
    "Wonder Woman is a superhero.",
    "Timbuktu is a city in Mali.",
    "The bus to Nimes leaves at noon.",
    "Kimberly bought some plums.",
    "A nimbus cloud is a rain cloud.",
    "Nimbler players win more points.",
    "Young Donna wandered off again.",
)

COMMANDS = (
    "what time is it", "turn on the kitchen lights", "add milk to the shopping list",
    "what does the lease say about pets", "set a timer for ten minutes",
    "play some quiet music", "how far is the moon", "remind me to call mom tomorrow",
    "what is the weather like today", "turn off the radio", "read me the news",
    "open the garage door", "how many days until Friday", "lock the front door",
    "what is on my calendar", "call my sister", "dim the living room lights",
    "what is the capital of France", "start the dishwasher", "tell me a joke",
    "how do I boil an egg", "close the blinds", "what did the letter say about rent",
    "turn up the heating", "where are my keys",
)


@functools.cache
def _piper_voice() -> Any:
    from tests.speech import _piper_voice as shipped  # noqa: PLC0415 - the tests' shipped voice

    return shipped()


def speak(voice: tuple[str, str, str, int], text: str) -> Pcm:
    _, engine, which, speed = voice
    if engine == "espeak":
        return to_16k(*espeak_speech(text, voice=which, speed=speed))
    from piper.config import SynthesisConfig  # noqa: PLC0415 - heavy

    chunks = list(_piper_voice().synthesize(
        text, syn_config=SynthesisConfig(length_scale=float(which))))
    audio = np.concatenate([c.audio_int16_array for c in chunks]).astype(np.int16)
    return to_16k(audio, int(chunks[0].sample_rate))


def kjv_verses() -> Iterator[str]:
    """Verses in reading order, from the ``bible`` program (Debian bible-kjv)."""
    if shutil.which("bible") is None:
        raise SystemExit("the phrases benchmark needs Debian's bible-kjv (scripts/setup.sh)")
    for book in BOOKS:
        for chapter in range(1, 60):
            out = subprocess.run(["bible", "-f", f"{book}{chapter}:1-200"], check=False,
                                 capture_output=True,
                                 text=True, stdin=subprocess.DEVNULL, timeout=60).stdout
            found = [re.match(r"^\S*?(\d+):\d+\s+(.*)$", line) for line in out.splitlines()]
            verses = [m.group(2).strip() for m in found if m and int(m.group(1)) == chapter]
            if not verses:  # past the last chapter the program repeats the last one
                break
            yield from (v for v in verses if len(v.split()) >= 3)


def _pink(size: int, rng: np.random.Generator) -> npt.NDArray[np.float64]:
    spectrum = np.fft.rfft(rng.normal(size=size))
    spectrum /= np.sqrt(np.maximum(np.arange(spectrum.size), 1))
    pink = np.fft.irfft(spectrum, size)
    return np.asarray(pink / max(float(np.std(pink)), 1e-12), dtype=np.float64)


def with_noise(audio: Pcm, snr_db: float, rng: np.random.Generator, kind: str = "white") -> Pcm:
    speech = audio.astype(np.float64)
    voiced = speech[np.abs(speech) > 0.02 * 32768]
    power = float(np.mean(voiced**2)) if voiced.size else 1.0
    shape = rng.normal(size=speech.shape) if kind == "white" else _pink(speech.size, rng)
    noise = shape * np.sqrt(power / 10 ** (snr_db / 10))
    return np.clip(speech + noise, -32768, 32767).astype(np.int16)


def _stream(folder: Path, name: str, clips: list[Pcm], gap_s: float, *,
            noise: np.random.Generator | None = None, kind: str = "white") -> Path:
    """The clips with silence between them as one WAV; with ``noise``, ``kind`` noise 10 dB
    below the speech through the whole stream, gaps included."""
    pieces: list[Pcm] = [silence(0.5)]
    for clip in clips:
        pieces += [clip, silence(gap_s)]
    audio = np.concatenate(pieces)
    if noise is not None:
        audio = with_noise(audio, 10.0, noise, kind)
    return write_wav(folder / f"{re.sub(r'[^a-z0-9]+', '-', name)}.wav", audio)


def enroll(whisper: WhisperEngine) -> PhraseTemplates:
    """Templates of "Nimbus" as ``nimbus phrases enroll`` makes them, from both command voices.
    A take in which the ASR does not hear the phrase is redone, as ``nimbus phrases enroll``
    asks a user to (Piper's natural variation now and then gives a "Name this.")."""
    def padded(pcm: Pcm) -> npt.NDArray[np.float32]:
        audio = np.concatenate([silence(0.3), pcm, silence(0.4)])
        return audio.astype(np.float32) / 32768.0

    takes: list[tuple[str, npt.NDArray[np.float32]]] = []
    for attempt in range(8):
        audio = padded(speak(VOICES[0], "Nimbus."))
        if has_candidate(whisper.transcribe(audio).text, ("Nimbus",)):
            takes.append((f"piper take {attempt}", audio))
        if len(takes) == 3:
            break
    takes += [(f"espeak {speed}", padded(speak(("", "espeak", "en-us", speed), "Nimbus.")))
              for speed in (140, 150, 165)]
    found = renditions(whisper, takes, "Nimbus")
    return merge(None, found, phrase="Nimbus", model=whisper.name)


@dataclasses.dataclass(frozen=True, slots=True)
class Models:
    """The ASR models the pipeline runs: the main one and the one for noisy speech (the
    daemon's defaults: tiny.en and, with ``asr.noisy_model = "auto"``, Whisper base)."""

    whisper: WhisperEngine
    noisy: WhisperEngine | None
    silero: SileroVad


def _run(path: Path, models: Models, templates: PhraseTemplates | None) -> list[Event]:
    return asyncio.run(listen([("bench", path)], whisper=models.whisper,
                              noisy_whisper=models.noisy, silero=models.silero, within=3600,
                              templates=templates))


def _outcome(events: list[Event]) -> dict[str, Any]:
    finals = [e for e in events if isinstance(e, Transcript) and e.final]
    return {
        "commands": [e.text for e in events if isinstance(e, Command)],
        "stops": sum(isinstance(e, Stop) for e in events),
        "rejected": [(e.heard, e.score, e.reason) for e in events
                     if isinstance(e, PhraseRejected)],
        "verify_s": [t.verify_seconds for t in finals if t.words and not t.rescored],
        "rescore_s": [t.verify_seconds for t in finals if t.rescored],
        "command_verify_s": [t.verify_seconds for t in finals if t.words and not t.rescored
                             and any(isinstance(e, Command) and e.cause == t.id
                                     for e in events)],
        "decode_s": [t.decode_seconds - t.verify_seconds for t in finals],
        "utterances": len(finals),
        "candidates": sum(1 for t in finals if t.words and not t.rescored),
        "by_rescoring": sum(1 for t in finals if t.rescored
                            and any(isinstance(e, Command) and e.cause == t.id for e in events)),
        "by_template": sum(1 for t in finals for w in t.words if w.match is not None
                           and any(isinstance(e, Command) and e.cause == t.id for e in events)
                           and w.probability < thresholds(Config().phrases.sensitivity)
                           .probability),
    }


def bench_unaddressed(minutes: float, models: Models, folder: Path,
                      templates: PhraseTemplates | None, *, noise: str = "clean",
                      verses: Iterator[str] | None = None,
                      ) -> tuple[dict[str, Any], dict[str, Any]]:
    """``minutes`` of verses spread over the voices; with ``noise`` "white" or "pink", that
    noise at 10 dB SNR under the whole stream (where the denoiser and the rescoring of
    phrase-less transcripts come into play)."""
    verses = verses if verses is not None else kjv_verses()
    rng = np.random.default_rng(31)
    per_voice = minutes * 60 / len(VOICES)
    seconds, activations, rejected, utterances = 0.0, [], 0, 0
    verify_s: list[float] = []
    decode_s: list[float] = []
    for voice in VOICES:
        clips: list[Pcm] = []
        spoken = 0.0
        while spoken < per_voice:
            clip = speak(voice, next(verses))
            if len(clip) > 25 * 16000:  # the VAD cuts at 30 s; keep whole verses whole
                continue
            clips.append(clip)
            spoken += len(clip) / 16000
        out = _outcome(_run(_stream(folder, f"kjv-{voice[0]}-{noise}", clips, 0.8,
                                    noise=None if noise == "clean" else rng, kind=noise),
                            models, templates))
        seconds += spoken
        activations += [(voice[0], c) for c in out["commands"]]
        activations += [(voice[0], "<stop>")] * out["stops"]
        rejected += len(out["rejected"])
        utterances += out["utterances"]
        verify_s += out["verify_s"]
        decode_s += out["decode_s"]
        print(f"  unaddressed {voice[0]} {noise}: {spoken / 60:.1f} min, "
              f"{out['utterances']} utterances, "
              f"{len(out['commands']) + out['stops']} activations, {len(out['rejected'])} "
              "rejected candidates", flush=True)
    hours = seconds / 3600
    label = "" if noise == "clean" else f", 10 dB SNR {noise} noise"
    row = {"set": f"unaddressed (KJV, {len(VOICES)} voices{label})",
           "speech_min": round(seconds / 60, 1),
           "utterances": utterances, "false_activations": len(activations),
           "per_hour": round(len(activations) / hours, 2) if hours else None,
           "rejected_candidates": rejected}
    return row, {"activations": activations, "verify_s": verify_s, "decode_s": decode_s}


def bench_near_misses(sentences: tuple[str, ...], models: Models,
                      folder: Path, templates: PhraseTemplates | None
                      ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Near misses clean, and with white and pink noise at 10 dB SNR (noise lowers the
    evidence a near miss is judged on, and the denoiser changes what the ASR hears)."""
    voices = (VOICES[0], VOICES[2], VOICES[3])
    rng = np.random.default_rng(23)
    rows: list[dict[str, Any]] = []
    detail: dict[str, Any] = {}
    for noise in ("clean", "white", "pink"):
        activations: list[tuple[str, str]] = []
        rejected: list[Any] = []
        verify_s: list[float] = []
        for voice in voices:
            # Each sentence on its own site: a false command leaves its site "thinking" (no
            # responder runs here), and a later "yonder" there would then count as a quick
            # stop.
            files = [(f"s{i}", _stream(folder, f"near-{voice[0]}-{noise}-{i}",
                                       [speak(voice, text)], 1.5,
                                       noise=None if noise == "clean" else rng, kind=noise))
                     for i, text in enumerate(sentences)]
            out = _outcome(asyncio.run(listen(files, whisper=models.whisper,
                                              noisy_whisper=models.noisy, silero=models.silero,
                                              within=3600, templates=templates)))
            activations += [(voice[0], c) for c in out["commands"]]
            activations += [(voice[0], "<stop>")] * out["stops"]
            rejected += out["rejected"]
            verify_s += out["verify_s"]
            print(f"  near misses {voice[0]} {noise}: {len(out['commands']) + out['stops']} "
                  f"activations, {len(out['rejected'])} rejected", flush=True)
        total = len(sentences) * len(voices)
        label = "" if noise == "clean" else f", 10 dB SNR {noise} noise"
        rows.append({"set": f"near misses ({len(sentences)} sentences x {len(voices)} voices"
                            f"{label})",
                     "utterances": total, "false_activations": len(activations),
                     "per_100": round(100 * len(activations) / total, 1),
                     "rejected_candidates": len(rejected)})
        detail[noise] = {"activations": activations, "rejected": rejected,
                         "verify_s": verify_s}
    return rows, detail


def bench_addressed(commands: tuple[str, ...], models: Models,
                    folder: Path, templates: PhraseTemplates | None
                    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    rng = np.random.default_rng(17)
    rows, detail = [], {}
    voices = (VOICES[0], VOICES[2])
    for noise in ("clean", "white", "pink"):
        heard, total, candidates, rescued, rescored = 0, 0, 0, 0, 0
        verify_s: list[float] = []
        rescore_s: list[float] = []
        command_verify_s: list[float] = []
        rejected: list[Any] = []
        for style in ("wake", "submit"):
            for voice in voices:
                texts = [f"Nimbus, {c}?" if style == "wake" else f"{c[0].upper()}{c[1:]}, Nimbus."
                         for c in commands]
                name = f"cmd-{style}-{voice[0]}-{noise}"
                path = _stream(folder, name, [speak(voice, t) for t in texts], 2.0,
                               noise=None if noise == "clean" else rng, kind=noise)
                out = _outcome(_run(path, models, templates))
                print(f"  {name}: {len(out['commands'])} commands of {len(texts)} "
                      f"({out['by_template']} on the template's word, {out['by_rescoring']} "
                      "taken from the noisy model or rescoring)", flush=True)
                heard += min(len(out["commands"]), len(texts))
                candidates += min(out["candidates"], len(texts))
                rescued += out["by_template"]
                rescored += out["by_rescoring"]
                total += len(texts)
                verify_s += out["verify_s"]
                rescore_s += out["rescore_s"]
                command_verify_s += out["command_verify_s"]
                rejected += out["rejected"]
        label = "clean" if noise == "clean" else f"10 dB SNR, {noise} noise"
        rows.append({"set": f"addressed commands ({label})",
                     "utterances": total, "heard": heard,
                     "phrase_in_transcript_pct": round(100 * candidates / total, 1),
                     "heard_pct": round(100 * heard / total, 1),
                     "misses_per_100": round(100 * (total - heard) / total, 1),
                     "heard_by_template": rescued,
                     # transcript.rescored: the noisy model's transcript or a rescored one
                     "heard_by_rescoring": rescored})
        detail[noise] = {"rejected": rejected, "verify_s": verify_s, "rescore_s": rescore_s,
                         "command_verify_s": command_verify_s}
    return rows, detail


def bench_signals(near: tuple[str, ...], commands: tuple[str, ...], whisper: WhisperEngine,
                  templates: PhraseTemplates) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Which evidence separates addressed phrases from near misses, decoded directly."""
    config = Config().phrases
    limits = thresholds(config.sensitivity)
    no_template = dataclasses.replace(limits, template=-1.0)
    phrases = (*config.action, *config.stop)
    rng = np.random.default_rng(29)
    samples: list[tuple[str, str]] = [(s, "near") for s in near]
    samples += [(f"Nimbus, {c}?", "addressed") for c in commands]
    samples += [(f"{c[0].upper()}{c[1:]}, Nimbus.", "addressed") for c in commands]
    samples += [(f"Nimbus, {c}?", "noisy") for c in commands]
    samples += [(f"{c[0].upper()}{c[1:]}, Nimbus.", "noisy") for c in commands]
    rules = ("text match only (before)", "transcript punctuation cues only",
             "word probability only", "template only", "unprompted re-decode only",
             "word + pause evidence", "word + pause + template (shipped)",
             "shipped + re-decode")
    kinds = ("near", "addressed", "noisy")
    accepted: dict[str, dict[str, int]] = {r: dict.fromkeys(kinds, 0) for r in rules}
    counts = dict.fromkeys(kinds, 0)
    align_ms: list[float] = []
    template_ms: list[float] = []
    redecode_ms: list[float] = []
    scores: dict[str, list[tuple[float, float | None]]] = {k: [] for k in kinds}
    for voice in (VOICES[0], VOICES[2], VOICES[3]):
        for text, kind in samples:
            if kind != "near" and voice is VOICES[3]:
                continue
            pcm = np.concatenate([silence(0.3), speak(voice, text), silence(0.4)])
            if kind == "noisy":
                pcm = with_noise(pcm, 10.0, rng)
            audio = pcm.astype(np.float32) / 32768.0
            counts[kind] += 1
            result = whisper.transcribe(audio)
            tokens = tokenize(result.text)
            candidates = find_phrases(tokens, phrases, kind="action", tolerance=config.tolerance)
            if not candidates:
                continue
            started = time.perf_counter()
            heard = heard_words(whisper, result, None)
            align_ms.append(1000 * (time.perf_counter() - started))
            started = time.perf_counter()
            words = heard_words(whisper, result, templates)
            template_ms.append(max(0.0, 1000 * (time.perf_counter() - started) - align_ms[-1]))
            assert heard is not None
            assert words is not None
            redecoded = False
            if kind != "noisy":  # the re-decode costs a full decoder run: clean sets only
                again = whisper.transcribe(audio)
                started = time.perf_counter()
                full = whisper.evidence(again, redecode=True)
                redecode_ms.append(1000 * (time.perf_counter() - started) - align_ms[-1])
                assert full is not None
                unbiased = tokenize(full.unbiased_text or "")
                redecoded = bool(find_phrases(unbiased, phrases, kind="action",
                                              tolerance=config.tolerance))
            originals = [t.original for t in tokens]
            cues = any(verify(originals, c.start, c.end, (), limits).accepted
                       for c in candidates)
            before = [verify(originals, c.start, c.end, words, no_template) for c in candidates]
            shipped = [verify(originals, c.start, c.end, words, limits) for c in candidates]
            probable = any(v.score >= limits.probability for v in before)
            matched = any(v.match is not None and v.match <= limits.template for v in shipped)
            best = max(shipped, key=lambda v: v.score)
            scores[kind].append((best.score, best.match))
            ok = any(v.accepted for v in shipped)
            for rule, passed in zip(rules, (True, cues, probable, matched, redecoded,
                                            any(v.accepted for v in before), ok,
                                            ok and redecoded), strict=True):
                accepted[rule][kind] += passed
    def pct(rule: str, kind: str) -> float | str:
        if "re-decode" in rule and kind == "noisy":
            return "-"
        return round(100 * accepted[rule][kind] / max(1, counts[kind]), 1)

    rows = [{"rule": rule, "addressed_accepted_pct": pct(rule, "addressed"),
             "noisy_accepted_pct": pct(rule, "noisy"),
             "near_miss_accepted_pct": pct(rule, "near")} for rule in rules]
    align = summarize(align_ms)
    template = summarize(template_ms)
    redecode = summarize(redecode_ms)
    rows.append({"rule": "cost per candidate (ms, median / p90)",
                 "addressed_accepted_pct": f"align {align.get('median', 0):.0f} / "
                                           f"{align.get('p90', 0):.0f}",
                 "noisy_accepted_pct": f"template +{template.get('median', 0):.1f} / "
                                       f"+{template.get('p90', 0):.1f}",
                 "near_miss_accepted_pct": f"re-decode +{redecode.get('median', 0):.0f} / "
                                           f"+{redecode.get('p90', 0):.0f}"})
    return rows, {"counts": counts, "scores": scores, "align_ms": align_ms,
                  "template_ms": template_ms, "redecode_ms": redecode_ms}


PARTS = ("signals", "near", "addressed", "unaddressed")
PIPER_SEED = 2026


def main(argv: list[str]) -> list[dict[str, Any]]:
    quick = "--quick" in argv
    minutes = 3.0 if quick else 60.0
    noisy_minutes = 2.0 if quick else 20.0
    parts = PARTS
    for arg in argv:
        if arg.startswith("--minutes="):
            minutes = float(arg.split("=", 1)[1])
        if arg.startswith("--noisy-minutes="):
            noisy_minutes = float(arg.split("=", 1)[1])
        if arg.startswith("--parts="):
            parts = tuple(p for p in PARTS if p in arg.split("=", 1)[1].split(","))
    near = NEAR_MISSES[::2] if quick else NEAR_MISSES
    commands = COMMANDS[::2] if quick else COMMANDS
    # Piper's natural variation comes from random nodes in its ONNX graph: seeded, a run
    # reproduces the same renditions (and so the same counts) on the same machine.
    onnxruntime.set_seed(PIPER_SEED)
    config = Config()
    for arg in argv:
        if arg.startswith("--beam="):  # the decode's beam width instead of asr.beam_size
            config = dataclasses.replace(config, asr=dataclasses.replace(
                config.asr, beam_size=int(arg.split("=", 1)[1])))
    location = resolve_vad("")
    assert location.path is not None
    silero = SileroVad(location.path)
    prompt = (*config.phrases.action, *config.phrases.stop)
    whisper = WhisperEngine(config.asr, prompt_words=prompt)
    noisy = None
    if "--no-noisy-model" not in argv:
        with tempfile.TemporaryDirectory() as cache:
            found = resolve_noisy_asr(config.asr.noisy_model, Path(cache))
            if found is not None:
                noisy = WhisperEngine(dataclasses.replace(config.asr, model=str(found.path)),
                                      prompt_words=prompt)
    print(f"noisy speech decoded by: {'Whisper base' if noisy else whisper.name}", flush=True)
    models = Models(whisper=whisper, noisy=noisy, silero=silero)
    load_before = os.getloadavg()
    started = time.perf_counter()
    templates = enroll(whisper)
    print(f"enrolled {len(templates.renditions)} renditions of {templates.phrase!r}", flush=True)
    rows: list[dict[str, Any]] = []
    extra: dict[str, Any] = {}
    verify_s: list[float] = []
    rescore_s: list[float] = []
    command_verify_s: list[float] = []
    decode_ms: list[float] = []
    if "signals" in parts:
        signal_rows, signals = bench_signals(near, commands, whisper, templates)
        print_table("Signals: share accepted, addressed commands vs near misses (direct decode)",
                    signal_rows)
        rows += signal_rows
        extra["signals"] = {k: v for k, v in signals.items() if k != "align_ms"}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if "near" in parts:
            near_rows, near_detail = bench_near_misses(near, models, folder,
                                                       templates)
            rows += near_rows
            verify_s += [s for d in near_detail.values() for s in d["verify_s"]]
            extra["near_misses"] = near_detail
        if "addressed" in parts:
            command_rows, command_detail = bench_addressed(commands, models, folder,
                                                           templates)
            rows += command_rows
            verify_s += [s for d in command_detail.values() for s in d["verify_s"]]
            rescore_s += [s for d in command_detail.values() for s in d["rescore_s"]]
            command_verify_s += [s for d in command_detail.values()
                                 for s in d["command_verify_s"]]
            extra["addressed"] = {k: v["rejected"] for k, v in command_detail.items()}
        if "unaddressed" in parts:
            verses = kjv_verses()
            hour_row, hour_detail = bench_unaddressed(minutes, models, folder,
                                                      templates, verses=verses)
            rows.insert(0, hour_row)
            verify_s += hour_detail["verify_s"]
            decode_ms = [1000 * s for s in hour_detail["decode_s"]]
            extra["unaddressed"] = hour_detail["activations"]
            for position, noise in enumerate(("white", "pink"), start=1):
                # Verses after the hour's: the noisy minutes are other speech, not the same.
                noisy_row, noisy_detail = bench_unaddressed(
                    noisy_minutes / 2, models, folder, templates, noise=noise,
                    verses=verses)
                rows.insert(position, noisy_row)
                extra[f"unaddressed_{noise}"] = noisy_detail["activations"]
    verify_ms = [1000 * s for s in verify_s]
    verify = summarize(verify_ms)
    decode = summarize(decode_ms)
    latency_row = {"set": "verification cost per candidate (ms)",
                   "median": round(verify.get("median", 0.0), 1),
                   "p90": round(verify.get("p90", 0.0), 1), "n": verify.get("n", 0),
                   "decode_median_ms": round(decode.get("median", 0.0), 1),
                   "ratio_to_decode": round(verify.get("median", 0.0)
                                            / max(decode.get("median", 1.0), 1e-9), 3)}
    rescore = summarize([1000 * s for s in rescore_s])
    heard = summarize([1000 * s for s in command_verify_s])
    latency_rows = [latency_row, {
        "set": "verification cost per command heard as decoded (ms)",
        "median": round(heard.get("median", 0.0), 1), "p90": round(heard.get("p90", 0.0), 1),
        "n": heard.get("n", 0)}, {
        "set": "rescoring a noisy utterance (no phrase, or its phrase turned down), when it "
               "finds the phrase (ms)",
        "median": round(rescore.get("median", 0.0), 1), "p90": round(rescore.get("p90", 0.0), 1),
        "n": rescore.get("n", 0)}]
    pipeline_rows = [r for r in rows if "set" in r]
    print_table("Phrases: false activations and misses (file -> VAD -> ASR -> phrases)",
                pipeline_rows)
    print_table("Verification latency (added to a final transcript with a candidate)",
                latency_rows)
    load = {"load_before": [round(x, 2) for x in load_before],
            "load_after": [round(x, 2) for x in os.getloadavg()],
            "wall_s": round(time.perf_counter() - started, 1), "minutes_requested": minutes,
            "parts": list(parts),
            "noisy_model": "Whisper base" if noisy else whisper.name}
    print(f"\nload average before {load['load_before']}, after {load['load_after']}; "
          f"{load['wall_s']} s wall")
    name = "phrases" if parts == PARTS else "phrases-" + "-".join(parts)
    path = write_results(name, [*rows, *latency_rows], load=load, **extra)
    print(f"wrote {path}")
    return pipeline_rows
