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
from dataclasses import replace
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
from nimbus.handlers.listening.phrases.verify import Thresholds, mark_pauses, verify

__all__ = ["CANDIDATE_TOLERANCE", "RESCUE_MARGIN", "confirmed", "has_candidate", "heard_words",
           "phrase_hypotheses", "rescore"]

CANDIDATE_TOLERANCE: Final = 0.5
"""The loosest phrases.tolerance allowed: any phrase the matcher can find gets evidence."""
RESCUE_MARGIN: Final = 3.0
"""Nats: a noisy transcript whose own candidate verification turned down is rescored within
this (or ``asr.rescore_margin`` if smaller). Overturning a phrase the ASR wrote and the audio
did not confirm asks for more: on two recordings of the benchmark's noisy parts the commands
this rescued lay within 2.5 nats, a near miss at 4.4 ("Gimbus. They will ..." -> "Nimbus,
...")."""


def has_candidate(text: str, phrases: Sequence[str]) -> bool:
    return bool(find_phrases(tokenize(text), phrases, kind="action",
                             tolerance=CANDIDATE_TOLERANCE))


def confirmed(
    text: str, words: Sequence[HeardWord], phrases: Sequence[str], *, limits: Thresholds,
    tolerance: float = CANDIDATE_TOLERANCE, edges_only: bool = False,
) -> bool:
    """Whether verification accepts one of ``phrases`` found in ``text`` (at ``tolerance``;
    with ``edges_only``, one that opens or closes the utterance)."""
    tokens = tokenize(text)
    originals = [t.original for t in tokens]
    found = find_phrases(tokens, phrases, kind="action", tolerance=tolerance)
    return any(verify(originals, c.start, c.end, words, limits).accepted for c in found
               if not edges_only or c.start == 0 or c.end >= len(tokens))


def heard_words(
    engine: WhisperEngine, result: AsrResult, templates: PhraseTemplates | None,
    *, text: str | None = None,
) -> tuple[HeardWord, ...] | None:
    """The word evidence for ``result`` (the engine's newest transcription on this thread), or
    for another ``text`` of the same audio; None when its encoder output is gone (another
    decode ran since)."""
    text = result.text if text is None else text
    tokens = tokenize(text)
    found = find_phrases(tokens, engine.prompt_words, kind="action",
                         tolerance=CANDIDATE_TOLERANCE)
    spans = [(c.start, c.end) for c in found]
    evidence = engine.evidence(result, text=mark_pauses(text, spans))
    if evidence is None:
        return None
    scores = evidence.words
    pauses = {i: p for i in range(len(scores)) if (p := _mark_after(scores, i, ",")) is not None}
    if any(start > 0 and end >= len(tokens) for start, end in spans):
        # Before a phrase that closes a question the pause is a question mark ("What time is
        # it? Nimbus."): the comma alone would miss it. One more decoder pass, submit style
        # only.
        asked = engine.evidence(result, text=mark_pauses(text, spans, before_closing="?"))
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


def phrase_hypotheses(text: str, phrase: str) -> list[str]:
    """Transcripts of the same audio in which ``phrase`` was said where the ASR wrote something
    else: instead of the first one or two words ("In this, turn on the lights." -> "Nimbus,
    turn on the lights."), or instead of the last one or two words or after the last
    ("Read me the news in this." -> "Read me the news, Nimbus.")."""
    words = text.split()
    out = [f"{phrase}, " + " ".join(words[count:]) for count in (1, 2) if len(words) > count]
    for count in (0, 1, 2):
        if len(words) > count:
            head = " ".join(words[: len(words) - count]).rstrip("".join(".,?!;:"))
            if head:
                out.append(f"{head}, {phrase}.")
    return out


def rescore(
    engine: WhisperEngine, result: AsrResult, phrases: Sequence[str], *, limits: Thresholds,
    templates: PhraseTemplates | None, margin: float,
) -> tuple[AsrResult, tuple[HeardWord, ...]] | None:
    """For a transcript without a confirmed phrase: the likeliest ``phrase_hypotheses`` whose
    log-probability under the prompted model is within ``margin`` of the decoded transcript's
    and whose phrase the unprompted evidence confirms (``verify``), as the transcript with its
    word evidence; None when there is none (or the encoder output is gone).

    Greedy decoding in noise writes "members", "in this" or "name best" where a speaker said
    "Nimbus", although the model finds "..., Nimbus." nearly as likely (or likelier) once it is
    scored whole; or it writes the phrase with a stray word before it ("... music in Nimbus.")
    that makes it a mention. A hypothesis passes the same checks as a phrase the ASR wrote
    itself. For a transcript that holds a (turned down) candidate, a hypothesis may move or
    mend the phrase but not add another: "Nimbus. Trapped as Aus." (a near miss) never becomes
    "Nimbus. Trapped as Aus, Nimbus."
    """
    before = len(find_phrases(tokenize(result.text), phrases, kind="action",
                              tolerance=CANDIDATE_TOLERANCE))
    hypotheses = [
        h for phrase in phrases for h in phrase_hypotheses(result.text, phrase)
        if not before or len(find_phrases(tokenize(h), phrases, kind="action",
                                          tolerance=CANDIDATE_TOLERANCE)) <= before]
    if not hypotheses:
        return None
    scores = engine.likelihoods(result, [result.text, *hypotheses])
    if not scores:
        return None
    ranked = sorted((scores[0] - score, text) for score, text in zip(scores[1:], hypotheses,
                                                                      strict=True))
    for gap, text in ranked:
        if gap > margin:
            break
        if text == result.text:
            continue
        words = heard_words(engine, result, templates, text=text)
        if words is None:
            return None
        if confirmed(text, words, phrases, limits=limits):
            return replace(result, text=text, segments=tuple(
                (start, end, text) for start, end, _ in result.segments[:1])), words
    return None


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
