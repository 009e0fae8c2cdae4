"""Was a phrase really said to the assistant? Pure scoring and addressing rules.

The ASR decodes with the phrases in its initial prompt, so it spells "Nimbus" right - and also
writes "Nimbus" for "the Nimbles", "nimble" or "nimbostratus". A phrase found in that biased
transcript is therefore only a *candidate*, and it must pass two checks:

* **the audio**: the phrase words' probability under the same model *without* the prompt (the
  ASR stage aligns the transcript to the audio it already encoded and scores every word,
  ``Transcript.words``). With tiny.en, clean addressed "Nimbus" scores about 0.4-0.9, a near
  miss the biased decode turned into "Nimbus" mostly 0-0.35 (see docs/listening.md);
* **addressing**: a phrase said to the assistant stands apart from the words before it - it opens
  the utterance, or follows punctuation or a pause (wake style: "Nimbus, ..."; submit style:
  "... the list, Nimbus." at the end of the utterance, which the VAD closed on silence). A phrase
  glued to the word before it ("the nimbus clouds", "called the Nimbus") is a mention, never a
  command. A phrase that runs straight into the next word without punctuation or pause
  ("Nimbus stratus clouds") needs a higher probability (``RUN_ON_MARGIN``). At the very end of
  an utterance, where the ASR often drops the comma ("add milk to the list Nimbus"), a phrase
  glued to the word before it still counts unless that word makes it a noun ("the", "called",
  "with", ... ``MENTION_BEFORE``).

**An enrolled template** (``nimbus phrases enroll``; ``template.py``) gives a second, acoustic
opinion: a phrase the word probability doubts (``unsure`` or ``run_on``) that stands apart from
the words before it is still accepted when its audio lies within ``Thresholds.template`` of the
template. In noise the unprompted model hardly believes a rare word like "Nimbus", but the
encoder frames of a wake-style phrase stay close to the user's own renditions; measured, this
recovers about a third of the noisy wake-style misses without letting one more near miss
through. The template rejects only a phrase that sounds like none of the renditions at all
(distance over ``Thresholds.veto``, 0.75 at the default: true phrases measured 0.05-0.69 in every
position, clean and noisy; Whisper's hallucinated "Nimbus." at the end of a long utterance of
scripture 0.77-0.94): between the two it cannot judge a phrase at the end of an utterance, whose
frames the preceding words change.

A transcript that holds the same phrase more than ``MAX_REPEATS`` times is Whisper repeating
itself ("Nimbus. Nimbus. Nimbus. ..." for "Nimble fingers ..."), never a command (``repeated``).

``phrases.sensitivity`` (0..1) sets the probability needed: ``0.55 - 0.5 * sensitivity``
(0.30 at the default 0.5), the template distance that rescues: ``0.12 + 0.2 * sensitivity``
(0.22), and the one that vetoes: ``0.65 + 0.2 * sensitivity`` (0.75). A transcript without word
evidence (text that did not come from the audio path, or an utterance over one 30 s Whisper
window) is judged by addressing alone.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from nimbus.daemon.events import HeardWord

__all__ = [
    "MAX_REPEATS",
    "PAUSE_S",
    "RUN_ON_MARGIN",
    "Thresholds",
    "Verdict",
    "align_words",
    "thresholds",
    "verify",
]

PROBABILITY_STRICT: Final = 0.55
"""Probability needed at sensitivity 0; each unit of sensitivity lowers it by ``SPAN``."""
SPAN: Final = 0.5
TEMPLATE_STRICT: Final = 0.12
"""Template distance allowed at sensitivity 0; each unit of sensitivity adds ``TEMPLATE_SPAN``."""
TEMPLATE_SPAN: Final = 0.2
VETO_STRICT: Final = 0.65
"""Template distance beyond which a phrase is not believed at sensitivity 0 (+``TEMPLATE_SPAN``
per unit of sensitivity): the audio sounds like none of the user's renditions."""
MAX_REPEATS: Final = 3
"""More occurrences of one phrase in one transcript are a Whisper repetition loop."""
RUN_ON_MARGIN: Final = 0.2
"""Extra probability needed by a phrase that runs into the next word with no pause."""
PAUSE_S: Final = 0.3
"""A gap this long between two words counts as a pause (like punctuation)."""
_CLAUSE_END: Final = tuple(".,!?;:-\u2014\u2026")
MENTION_BEFORE: Final = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "my", "your", "his", "her", "its", "our",
    "their", "of", "to", "in", "on", "at", "with", "by", "for", "from", "about", "into", "onto",
    "over", "under", "near", "like", "as", "called", "named", "than",
})
"""Words that make what follows them a noun in the sentence: "the Nimbus", "called Nimbus"."""

Reason = Literal["", "unsure", "mid_sentence", "run_on", "repeated", "not_alone", "unlike"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Thresholds:
    """What ``phrases.sensitivity`` sets."""

    probability: float
    """Unprompted probability the phrase words need (mean over the phrase's words)."""
    run_on: float
    """... when the phrase runs into the next word without punctuation or pause."""
    template: float = TEMPLATE_STRICT + TEMPLATE_SPAN / 2
    """Template distance at or below which an addressed phrase is believed whatever its
    probability (with an enrolled template)."""
    veto: float = VETO_STRICT + TEMPLATE_SPAN / 2
    """Template distance beyond which a phrase is turned down however probable."""
    pause_s: float = PAUSE_S


def thresholds(sensitivity: float) -> Thresholds:
    sensitivity = min(max(sensitivity, 0.0), 1.0)
    probability = round(PROBABILITY_STRICT - SPAN * sensitivity, 3)
    return Thresholds(probability=probability, run_on=round(probability + RUN_ON_MARGIN, 3),
                      template=round(TEMPLATE_STRICT + TEMPLATE_SPAN * sensitivity, 3),
                      veto=round(VETO_STRICT + TEMPLATE_SPAN * sensitivity, 3))


@dataclass(frozen=True, slots=True, kw_only=True)
class Verdict:
    accepted: bool
    score: float
    """Mean unprompted probability of the phrase words; 1.0 without word evidence."""
    reason: Reason = ""
    """Why it was rejected ("" when accepted)."""
    match: float | None = None
    """The phrase audio's distance to the enrolled template (None: no template)."""
    by_template: bool = False
    """Accepted on the template's word although the probability alone would not do."""


def _normalize(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if c.isalnum())


def align_words(
    originals: Sequence[str], words: Sequence[HeardWord]
) -> list[HeardWord | None]:
    """The evidence word for each transcript word (None where none matches).

    Both come from the same text, split differently (Whisper's word split vs. whitespace), so a
    greedy walk that looks a few words ahead is enough.
    """
    mapped: list[HeardWord | None] = []
    position = 0
    for original in originals:
        wanted = _normalize(original)
        found = None
        for ahead in range(position, min(position + 4, len(words))):
            heard = _normalize(words[ahead].word)
            if heard and (heard == wanted or wanted.startswith(heard) or heard.startswith(wanted)):
                found = ahead
                break
        if found is None:
            mapped.append(None)
            continue
        mapped.append(words[found])
        position = found + 1
    return mapped


def _ends_clause(original: str) -> bool:
    return original.rstrip("\"')]").endswith(_CLAUSE_END)


def _gap(before: HeardWord | None, after: HeardWord | None) -> float:
    if before is None or after is None:
        return 0.0
    return after.start - before.end


def verify(
    originals: Sequence[str],
    start: int,
    end: int,
    words: Sequence[HeardWord],
    limits: Thresholds,
) -> Verdict:
    """Judge the candidate at transcript words [start, end) of ``originals`` (a final
    transcript, so silence follows its last word)."""
    evidence = align_words(originals, words) if words else [None] * len(originals)
    apart_before = (
        start == 0
        or _ends_clause(originals[start - 1])
        or _gap(evidence[start - 1], evidence[start]) >= limits.pause_s
    )
    apart_after = (
        end >= len(originals)
        or _ends_clause(originals[end - 1])
        or _gap(evidence[end - 1], evidence[end]) >= limits.pause_s
    )
    scored = [w.probability for w in evidence[start:end] if w is not None]
    score = sum(scored) / len(scored) if scored else 1.0
    if words and not scored:
        score = 0.0  # evidence exists but none of it covers the phrase: nothing confirms it
    closes = end >= len(originals)
    mention = _normalize(originals[start - 1]) in MENTION_BEFORE if start else False
    first = evidence[start] if start < len(evidence) else None
    match = first.match if first is not None else None
    if not apart_before and (not closes or mention):
        return Verdict(accepted=False, score=score, reason="mid_sentence", match=match)
    phrase = _normalize(originals[start])
    if sum(_normalize(o) == phrase for o in originals) > MAX_REPEATS:
        return Verdict(accepted=False, score=score, reason="repeated", match=match)
    if match is not None and match > limits.veto:
        return Verdict(accepted=False, score=score, reason="unlike", match=match)
    reason: Reason = ""
    if score < limits.probability:
        reason = "unsure"
    elif not apart_after and score < limits.run_on:
        reason = "run_on"
    if not reason:
        return Verdict(accepted=True, score=score, match=match)
    if match is not None and match <= limits.template:
        return Verdict(accepted=True, score=score, match=match, by_template=True)
    return Verdict(accepted=False, score=score, reason=reason, match=match)
