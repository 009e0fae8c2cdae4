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
    found = find_phrases(tokenize(result.text), engine.prompt_words, kind="action",
                         tolerance=CANDIDATE_TOLERANCE)
    marked = mark_pauses(result.text, [(c.start, c.end) for c in found])
    evidence = engine.evidence(result, text=marked)
    if evidence is None:
        return None
    scores = evidence.words
    matches = _template_matches(engine, result, scores, templates)
    return tuple(
        HeardWord(word=w.word, start=round(w.start, 3), end=round(w.end, 3),
                  probability=round(w.probability, 4), match=matches.get(i),
                  rest=None if w.rest is None else round(w.rest, 4),
                  pause_after=_comma_after(scores, i))
        for i, w in enumerate(scores)
    )


def _comma_after(words: Sequence[WordScore], index: int) -> float | None:
    """The probability of the comma that follows word ``index`` (None if none does)."""
    after = words[index + 1] if index + 1 < len(words) else None
    if after is None or after.word != "," or not any(c.isalnum() for c in words[index].word):
        return None
    return round(after.probability, 4)


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
