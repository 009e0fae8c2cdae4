"""The naive sequential voice turn: the baseline `voice_to_voice` measures Nimbus against.

    .venv/bin/python -m benchmarks.naive_turn CONFIG.toml QUESTIONS.json

No overlap, the same models and settings as the daemon (read from its config file), the same
spoken questions: the VAD hang-over (``vad.silence_ms``: waited for, not computed), then Whisper
on the whole utterance as the VAD would hand it over (pre-roll + speech + hang-over; padded to
faster-whisper's own 30 s window, as faster-whisper is used out of the box), then the
retrieval when ``llm.top_k`` > 0 and the store has passages, then llama.cpp until its first whole
sentence, then Piper on that sentence. Prints one JSON object: per question each stage's
seconds and their sum; for the stop phrase, hang-over + Whisper (the stop acts on the
transcript). Run it under ``taskset`` to measure a smaller machine: the models take their thread
counts from the cores the process may use, as the daemon's do, and each model runs on its own
thread with the daemon's niceness for it (ASR 0, TTS 2, LLM 4): on a machine shared with other
work, a baseline at niceness 0 throughout would get more CPU than the daemon's LLM and TTS do.

QUESTIONS.json: ``{"questions": [...], "retrieval": [...], "stop": "Yonder."}``; ``retrieval``
questions are asked with documents (they must be in the daemon's store by then).

Nimbus decodes short utterances padded to ``asr.padded_s`` (10 s) instead of 30 s. That is one
of its own tricks, not the naive turn's; so that the ratio can be read without it too, every
turn also reports ``asr_short`` (the same Whisper decode padded as Nimbus pads it) and
``total_short`` (the naive sum with that decode instead).
"""

from __future__ import annotations

import dataclasses
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from nimbus.daemon.config import Config, load_config
from nimbus.daemon.priority import LLM_NICENESS, TTS_NICENESS, nicer
from nimbus.daemon.threads import thread_plan
from nimbus.handlers.listening.asr.engine import WhisperEngine
from nimbus.handlers.responding.llm import load_backend
from nimbus.handlers.responding.prompt import build_prompt
from nimbus.handlers.speaking.sentences import SentenceChunker
from nimbus.voices.registry import load_voice
from tests.conversation import spoken

_RATE = 16000


class NaiveTurn:
    """The default models, loaded once, run one after the other."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._asr_thread = ThreadPoolExecutor(1, thread_name_prefix="asr")
        self._llm_thread = ThreadPoolExecutor(1, thread_name_prefix="llm",
                                              initializer=nicer(LLM_NICENESS))
        self._tts_thread = ThreadPoolExecutor(1, thread_name_prefix="tts",
                                              initializer=nicer(TTS_NICENESS))
        words = (*config.phrases.action, *config.phrases.stop)
        # Loaded on their own threads: threads a native library spawns inherit the niceness.
        plain = dataclasses.replace(config.asr, padded_s=0)
        self.asr = self._asr_thread.submit(WhisperEngine, plain, prompt_words=words).result()
        self.asr_short = self._asr_thread.submit(
            WhisperEngine, config.asr, prompt_words=words).result() if config.asr.padded_s else None
        self.llm = self._llm_thread.submit(load_backend, config).result()
        self.voice = self._tts_thread.submit(load_voice, config.tts.voice, config).result()
        self.retriever: Any = None
        self.hangover_s = config.vad.silence_ms / 1000

    def open_documents(self) -> None:
        from nimbus.watchfolders.retriever import Retriever  # noqa: PLC0415 - heavy

        self.retriever = Retriever.open(self.config)

    def hear(self, text: str) -> tuple[str, float, float]:
        """Whisper on the utterance as the VAD hands it over; (transcript, seconds, seconds of
        the decode padded as Nimbus pads it)."""
        utterance = spoken(text)  # 0.3 s lead-in (= the VAD's pre-roll), speech, silence
        speech = utterance.audio[: utterance.speech_end + int(self.hangover_s * _RATE)]
        audio = speech.astype(np.float32) / 32768.0
        short_s = float("nan")
        if self.asr_short is not None:
            started = time.perf_counter()
            self._asr_thread.submit(self.asr_short.transcribe, audio).result()
            short_s = time.perf_counter() - started
        started = time.perf_counter()
        result = self._asr_thread.submit(self.asr.transcribe, audio).result()
        return result.text, time.perf_counter() - started, short_s

    def turn(self, text: str, *, documents: bool) -> dict[str, float]:
        heard, asr_s, short_s = self.hear(text)
        started = time.perf_counter()
        hits = []
        if documents and self.retriever is not None:
            hits = self.retriever.search(heard, k=self.config.llm.top_k,
                                         max_distance=self.config.llm.max_distance)
        retrieval_s = time.perf_counter() - started
        plan = build_prompt(system=self.config.llm.system_prompt, question=heard,
                            count=self.llm.count_tokens, budget=self.config.llm.max_input_tokens,
                            hits=hits)
        started = time.perf_counter()
        sentence = self._llm_thread.submit(self._first_sentence, plan.messages).result()
        llm_s = time.perf_counter() - started
        started = time.perf_counter()
        self._tts_thread.submit(lambda: next(iter(self.voice.synthesize(sentence)))).result()
        tts_s = time.perf_counter() - started
        stages = {"hangover": self.hangover_s, "asr": asr_s, "retrieval": retrieval_s,
                  "llm_first_sentence": llm_s, "tts_first_sentence": tts_s}
        total = sum(stages.values())
        return stages | {"total": total, "hits": float(len(hits)), "asr_short": short_s,
                         "total_short": total - asr_s + short_s}

    def _first_sentence(self, messages: Any) -> str:
        # The first whole sentence: no early clause or word cut (that is Nimbus's trick).
        chunker = SentenceChunker(first_min_chars=10_000, first_max_words=0)
        cancel = threading.Event()
        try:
            for delta in self.llm.stream(messages, cancel):
                chunks = chunker.push(delta.text)
                if chunks:
                    return chunks[0]
            return next(iter(chunker.flush()), "Okay.")
        finally:
            cancel.set()

    def stop(self, text: str) -> dict[str, float]:
        _, asr_s, short_s = self.hear(text)
        return {"hangover": self.hangover_s, "asr": asr_s, "total": self.hangover_s + asr_s,
                "asr_short": short_s, "total_short": self.hangover_s + short_s}


def main(argv: list[str]) -> dict[str, Any]:
    config_path, questions_path = Path(argv[0]), Path(argv[1])
    spec = json.loads(questions_path.read_text(encoding="utf-8"))
    config = load_config(config_path, environ={})
    naive = NaiveTurn(config)
    naive.turn(spec["questions"][0], documents=False)  # warm-up, not counted
    result: dict[str, Any] = {"threads": dataclasses.asdict(thread_plan())}
    result["no documents"] = [naive.turn(q, documents=False) for q in spec["questions"]]
    if spec.get("retrieval"):
        naive.open_documents()
        result["with retrieval"] = [naive.turn(q, documents=True) for q in spec["retrieval"]]
    result["stop phrase"] = [naive.stop(spec["stop"]) for _ in range(3)]
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
