"""What the audio says about a candidate phrase, as ``Transcript.words`` carries it.

Blocking (decoder work on the encoder output the decode already made); the ASR handler runs it
in its worker thread for final transcripts that hold a candidate, and the phrases benchmark
calls it directly. The transcript is aligned without the phrase prompt with a comma before and
after each candidate (``verify.mark_pauses``): every word gets its unprompted probability
(and that of its tokens after the first, ``HeardWord.rest``), the word before a comma the
comma's probability (``HeardWord.pause_after``), and a candidate's first word its distance to
the enrolled template (``HeardWord.match``). ``phrases/verify.py`` judges with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from nimbus.daemon.events import HeardWord
from nimbus.handlers.listening.asr.engine import AsrResult, WhisperEngine, WordScore
from nimbus.handlers.listening.phrases.matcher import find_phrases, tokenize
from nimbus.handlers.listening.phrases.template import (
    WINDOW_PAD_S,
    PhraseTemplates,
    distance,
    phrase_spans,
)
from nimbus.handlers.listening.phrases.verify import mark_pauses

__all__ = ["CANDIDATE_TOLERANCE", "has_candidate", "heard_words"]

CANDIDATE_TOLERANCE: Final = 0.5
"""The loosest phrases.tolerance allowed: any phrase the matcher can find gets evidence."""


def has_candidate(text: str, phrases: Sequence[str]) -> bool:
    return bool(find_phrases(tokenize(text), phrases, kind="action",
                             tolerance=CANDIDATE_TOLERANCE))


def heard_words(
    engine: WhisperEngine, result: AsrResult, templates: PhraseTemplates | None
) -> tuple[HeardWord, ...] | None:
    """The word evidence for ``result`` (the engine's newest transcription on this thread);
    None when its encoder output is gone (another decode ran since)."""
    tokens = tokenize(result.text)
    found = find_phrases(tokens, engine.prompt_words, kind="action",
                         tolerance=CANDIDATE_TOLERANCE)
    spans = [(c.start, c.end) for c in found]
    evidence = engine.evidence(result, text=mark_pauses(result.text, spans))
    if evidence is None:
        return None
    scores = evidence.words
    pauses = {i: p for i in range(len(scores)) if (p := _mark_after(scores, i, ",")) is not None}
    if any(start > 0 and end >= len(tokens) for start, end in spans):
        # Before a phrase that closes a question the pause is a question mark ("What time is
        # it? Nimbus."): the comma alone would miss it. One more decoder pass, submit style
        # only.
        asked = engine.evidence(result, text=mark_pauses(result.text, spans, before_closing="?"))
        if asked is not None and len(asked.words) == len(scores):
            for i in range(len(scores)):
                question = _mark_after(asked.words, i, "?")
                if question is not None:
                    pauses[i] = pauses.get(i, 0.0) + question
    matches = _template_matches(engine, result, scores, templates)
    return tuple(
        HeardWord(word=w.word, start=round(w.start, 3), end=round(w.end, 3),
                  probability=round(w.probability, 4), match=matches.get(i),
                  rest=None if w.rest is None else round(w.rest, 4),
                  pause_after=None if i not in pauses else round(min(pauses[i], 1.0), 4))
        for i, w in enumerate(scores)
    )


def _mark_after(words: Sequence[WordScore], index: int, mark: str) -> float | None:
    """The probability of ``mark`` right after word ``index`` (None if it does not follow)."""
    after = words[index + 1] if index + 1 < len(words) else None
    if after is None or after.word != mark or not any(c.isalnum() for c in words[index].word):
        return None
    return after.probability


def _template_matches(
    engine: WhisperEngine, result: AsrResult, words: Sequence[WordScore],
    templates: PhraseTemplates | None,
) -> dict[int, float]:
    """Template distance, keyed by the index of each candidate phrase's first word."""
    if templates is None:
        return {}
    matches: dict[int, float] = {}
    for first, last in phrase_spans([w.word for w in words], templates.phrase,
                                    CANDIDATE_TOLERANCE):
        window = engine.frames(result, words[first].start - WINDOW_PAD_S,
                               words[last].end + WINDOW_PAD_S)
        if window is not None:
            matches[first] = round(distance(templates, window), 4)
    return matches
