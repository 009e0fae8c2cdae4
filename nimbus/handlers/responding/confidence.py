"""The confidence gate for general answers: a specific fact is spoken only when the model is sure.

Pure. A general answer (no documents used) has no evidence to check against, so the model's
own certainty is the check: every checkable item of a sentence (a number, year, date, name,
place… found by the faithfulness gate's reader) and every other word it adds to the question
("kangaroo" in "The fastest land animal is the kangaroo.") must have been written with token
probabilities of at least ``min_prob`` (the least probable token inside it counts). Words the
question itself contains ("Pride and Prejudice") are given, not claimed, and a sentence that
adds nothing ("Italy is the capital of Italy.") is no answer. A sentence
with an unsure item is withheld; when nothing is left, the answer is "I'm not sure about that."
A backend that gives no token probabilities gets no benefit of the doubt: a sentence with any
item is withheld.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final

from nimbus.daemon.config import LlmConfig
from nimbus.daemon.events import Grounding
from nimbus.handlers.responding.evidence import EvidenceSentence
from nimbus.handlers.responding.gate import FACT_KINDS, evidence_keys, find_items
from nimbus.handlers.responding.grounding import AnswerGate, Mode, asked_part, cut_sentences

__all__ = ["NOT_SURE", "ConfidenceGate", "asks_for_fiction", "gate_for"]

NOT_SURE: Final = "I'm not sure about that."
_WORD: Final = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+")
_PLAIN: Final = frozenset((
    "the", "a", "an", "is", "are", "was", "were", "of", "in", "on", "at", "to", "for", "by",
    "and", "or", "but", "it", "its", "it's", "this", "that", "these", "those", "with", "as", "be",
    "been", "being", "has", "have", "had", "which", "who", "what", "when", "where", "why", "how",
    "there", "their", "they", "he", "she", "his", "her", "him", "from", "into", "than", "then",
    "also", "can", "could", "would", "should", "will", "just", "do", "does", "did", "about",
    "over", "up", "down", "very", "more", "most", "some", "any", "one", "i", "you", "we", "our",
    "your", "my", "me", "so", "such", "called", "known", "located", "named", "many", "much",
))
"""Words that carry no fact of their own; every other word an answer adds must be sure."""


_FICTION: Final = re.compile(
    r"^\W*(?:(?:please|can you|could you|would you|will you|nimbus)[\s,]+)*(?:tell|make up|invent|"
    r"write|compose|sing|read)(?: me| us)? (?:a|an|another|some|one more)\b[\w\s-]{0,30}?\b(?:"
    r"story|stories|tale|fairy tale|joke|jokes|poem|poems|limerick|haiku|song|riddle|rhyme|"
    r"bedtime story)\b|^\W*(?:let's )?(?:pretend|imagine)\b", re.IGNORECASE)


def asks_for_fiction(question: str) -> bool:
    """A story, joke or poem is asked for: made-up names in it are what was asked, not claims."""
    return bool(_FICTION.search(question))


def gate_for(llm: LlmConfig, mode: Mode | None, evidence: Sequence[EvidenceSentence],
             question: str, corroborate: Callable[[str], bool] | None = None,
             ) -> AnswerGate | ConfidenceGate:
    """The gate an answer's text passes: the evidence's (grounded), the model's certainty
    and the reference book's word (general, unless fiction was asked for), or none
    (``llm.gate = false``)."""
    if llm.gate and mode == "general" and not asks_for_fiction(question):
        return ConfidenceGate(asked_part(question), llm.general_min_prob, llm.max_sentences,
                              no_numbers=not llm.general_numbers, corroborate=corroborate)
    return AnswerGate(evidence, enabled=llm.gate and mode == "grounded",
                      max_sentences=llm.max_sentences, question=asked_part(question),
                      strict=llm.answer_style == "strict")


@dataclass(slots=True)
class ConfidenceGate:
    """Streamed (text, log-probability) pieces in, sentences cleared for speech out."""

    question: str
    min_prob: float
    max_sentences: int = 2
    no_numbers: bool = False
    """Withhold every number, date, time or amount the model adds (``llm.general_numbers``)."""
    corroborate: Callable[[str], bool] | None = None
    """Does the reference book say what this sentence says? (None: no book to ask.)"""
    finished: bool = False
    _text: str = ""
    _pieces: list[tuple[int, int, float | None]] = field(default_factory=list)
    """(start, end, logprob) of each streamed piece in ``_text``."""
    _done_chars: int = 0
    _released: list[str] = field(default_factory=list)
    _withheld: list[str] = field(default_factory=list)
    _supported: list[str] = field(default_factory=list)
    _unsure: list[str] = field(default_factory=list)
    _given: frozenset[str] = frozenset()
    _question_words: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self._given = evidence_keys([self.question])
        self._question_words = frozenset(
            w.lower().rstrip("s") for w in _WORD.findall(self.question))

    def push(self, text: str, logprob: float | None) -> list[str]:
        """Add one streamed piece with its log-probability; return what is cleared for speech."""
        if self.finished or not text:
            return []
        start = len(self._text)
        self._text += text
        self._pieces.append((start, len(self._text), logprob))
        sentences, _rest = cut_sentences(self._text[self._done_chars:])
        out: list[str] = []
        for sentence in sentences:
            at = self._text.find(sentence, self._done_chars)
            self._done_chars = at + len(sentence) if at >= 0 else len(self._text)
            out += self._judge(sentence, max(at, 0))
            if self.finished:
                break
        return out

    def finish(self) -> list[str]:
        """The model stopped: judge what is left; say "not sure" when nothing was spoken."""
        out: list[str] = []
        if not self.finished:
            rest = self._text[self._done_chars:].strip()
            if rest:
                out += self._judge(rest, self._text.find(rest, self._done_chars))
        self.finished = True
        if not self._released:
            self._released.append(NOT_SURE)
            out.append(NOT_SURE)
        return out

    def grounding(self) -> Grounding:
        declined = self._released == [NOT_SURE]
        return Grounding(status="declined" if declined else "general",
                         supported=tuple(self._supported), unsupported=tuple(self._unsure),
                         withheld=tuple(self._withheld))

    def _least_prob(self, start: int, end: int) -> float:
        """The least token probability over the characters ``start:end`` (0 if unknown)."""
        least = 1.0
        for piece_start, piece_end, logprob in self._pieces:
            if piece_end <= start or piece_start >= end:
                continue
            if logprob is None:
                return 0.0
            least = min(least, math.exp(logprob))
        return least

    def _judge(self, sentence: str, at: int) -> list[str]:
        sentence = sentence.strip()
        if not sentence:
            return []
        at = max(at, self._text.find(sentence, at))
        unsure: list[str] = []
        sure: list[str] = []
        for item in find_items(sentence):
            if item.keys & self._given or item.kind == "quote":
                continue
            if item.kind in FACT_KINDS and self.no_numbers:
                # A small model's numbers are not facts, however sure it is ("Water freezes at
                # 0°F"): they come from the reference book or a document, never from it.
                unsure.append(item.text)
                continue
            where = sentence.find(item.text)
            start = at + (where if where >= 0 else 0)
            end = start + (len(item.text) if where >= 0 else len(sentence))
            (sure if self._least_prob(start, end) >= self.min_prob else unsure).append(item.text)
        new_words = 0
        for word in _WORD.finditer(sentence):
            said = word.group(0)
            lower = said.lower()
            if lower in _PLAIN or lower.rstrip("s") in self._question_words or (
                    len(lower) < 3 and not lower.isdigit() and not said[0].isupper()):
                continue
            new_words += 1
            if self._least_prob(at + word.start(), at + word.end()) < self.min_prob and \
                    said not in unsure:
                unsure.append(said)
        if not new_words:
            unsure.append("(nothing the question did not say)")
        elif not unsure and self.corroborate is not None and not self.corroborate(sentence):
            unsure.append("(not in the reference book)")  # sure is not right, for a 135M model
        if unsure:
            self._withheld.append(sentence)
            self._unsure += unsure
            self.finished = True  # what follows an unsure fact leans on it: stop here
            return []
        self._supported += sure
        self._released.append(sentence)
        if self.max_sentences and len(self._released) >= self.max_sentences:
            self.finished = True
        return [sentence + " "]
