"""Was a phrase really said to the assistant? Pure scoring and addressing rules.

The ASR decodes with the phrases in its initial prompt, so it spells "Nimbus" right - and also
writes "Nimbus" for "the Nimbles", "nimble" or "nimbostratus". A phrase found in that biased
transcript is therefore only a *candidate*. The ASR stage aligns the transcript to the audio it
already encoded, *without* the prompt (``Transcript.words``), with a comma written right before
and right after each candidate phrase, and the candidate must pass two checks:

* **the word**: the unprompted probability of the phrase's tokens after each word's first one
  (``HeardWord.rest``: "bus" once " Nim" began; a one-token word counts whole). The first token
  shares its probability with every spelling and every word that begins alike, so it says
  little; the rest tells "Nimbus" from "Nimble", "Nimbly", "the Nimbles" (clean addressed
  "Nimbus": 0.65-0.98, those near misses 0.00-0.04; see docs/listening.md);
* **the pause** (addressing): the unprompted probability of the comma after the word before the
  phrase and after the phrase (``HeardWord.pause_after``; before a phrase that closes the
  utterance, of a comma or a question mark: "What time is it? Nimbus."). Whisper punctuates what
  it hears: without the prompt it writes "Nimbus, turn on ..." for a name that is called and no
  comma inside "Nimbostratus clouds" or "the Nimbus clouds", whatever the biased transcript's
  punctuation says. A phrase that opens the utterance needs the pause after it, one that closes
  the utterance (the VAD closed it on silence) the pause before it, one in the middle both.
  Clean addressed phrases: 0.10-0.98; "Nimbostratus", "Nimbus 2000", "Nimble fingers", "called
  the Nimbus": 0.00-0.05.

Failing the pause before is ``mid_sentence``, the pause after ``run_on``, the word ``unsure``.

**An enrolled template** (``nimbus phrases enroll``; ``template.py``) gives a second, acoustic
opinion: a phrase that opens the utterance, is set apart by the pause, but whose word the
model doubts (``unsure``: in noise the unprompted model hardly believes a rare word) is still
accepted when its audio lies within ``Thresholds.template`` of the template. The template
rejects only a phrase that sounds like none of the renditions at all (distance over
``Thresholds.veto``, 0.75 at the default: true phrases measured 0.05-0.69 in every position,
clean and noisy; Whisper's hallucinated "Nimbus." at the end of a long utterance of scripture
0.77-0.94).

A transcript that holds the same phrase more than ``MAX_REPEATS`` times is Whisper repeating
itself ("Nimbus. Nimbus. Nimbus. ..." for "Nimble fingers ..."), never a command (``repeated``).

``phrases.sensitivity`` (0..1) sets the word probability needed: ``0.1 - 0.1 * sensitivity``
(0.05 at the default 0.5), the comma probability that counts as a pause: ``0.1 - 0.1 *
sensitivity`` (0.05), the template distance that rescues: ``0.12 + 0.2 * sensitivity`` (0.22),
and the one that vetoes: ``0.65 + 0.2 * sensitivity`` (0.75).


Without pause evidence (text that did not come from the local Whisper path: a remote Wyoming
ASR, or an utterance over one 30 s Whisper window) the transcript's own punctuation decides
(the phrase opens the utterance, or follows punctuation; a phrase glued to the word before it
counts only at the very end of the utterance and unless that word makes it a noun: "the",
"called", ... ``MENTION_BEFORE``), and a phrase that runs into the next word without
punctuation needs ``RUN_ON_MARGIN`` more probability.
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
    "mark_pauses",
    "thresholds",
    "verify",
]

PROBABILITY_STRICT: Final = 0.1
"""Word probability needed at sensitivity 0; each unit of sensitivity lowers it by ``SPAN``."""
SPAN: Final = 0.1
PAUSE_STRICT: Final = 0.1
"""Comma probability that counts as a pause at sensitivity 0 (- ``PAUSE_SPAN`` per unit)."""
PAUSE_SPAN: Final = 0.1
TEMPLATE_STRICT: Final = 0.12
"""Template distance allowed at sensitivity 0; each unit of sensitivity adds ``TEMPLATE_SPAN``."""
TEMPLATE_SPAN: Final = 0.2
VETO_STRICT: Final = 0.65
"""Template distance beyond which a phrase is not believed at sensitivity 0 (+``TEMPLATE_SPAN``
per unit of sensitivity): the audio sounds like none of the user's renditions."""
MAX_REPEATS: Final = 3
"""More occurrences of one phrase in one transcript are a Whisper repetition loop."""
RUN_ON_MARGIN: Final = 0.2
"""Without pause evidence: extra probability needed by a phrase that runs into the next word
with no punctuation."""
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
    """Unprompted probability the phrase words need (the least over the phrase's words of
    ``HeardWord.rest``, or of the whole word's probability for a one-token word)."""
    run_on: float
    """... without pause evidence, when the phrase runs into the next word."""
    pause: float = PAUSE_STRICT - PAUSE_SPAN / 2
    """Unprompted comma probability that sets the phrase apart from the words around it."""
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
                      pause=round(PAUSE_STRICT - PAUSE_SPAN * sensitivity, 3),
                      template=round(TEMPLATE_STRICT + TEMPLATE_SPAN * sensitivity, 3),
                      veto=round(VETO_STRICT + TEMPLATE_SPAN * sensitivity, 3))


@dataclass(frozen=True, slots=True, kw_only=True)
class Verdict:
    accepted: bool
    score: float
    """Least unprompted probability of the phrase words (their tokens after the first); 1.0
    without word evidence."""
    reason: Reason = ""
    """Why it was rejected ("" when accepted)."""
    match: float | None = None
    """The phrase audio's distance to the enrolled template (None: no template)."""
    by_template: bool = False
    """Accepted on the template's word although the probability alone would not do."""
    pause: float | None = None
    """The weaker of the two pauses that set the phrase apart (the comma probability before
    and after it; the utterance's edges count as 1.0); None without pause evidence."""


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


def mark_pauses(text: str, spans: Sequence[tuple[int, int]], *,
                before_closing: str = ",") -> str:
    """``text`` with a comma after the word before each span and after the span's last word
    (spans are word indices [start, end), words counted as pieces between whitespace holding a
    letter or digit); ``before_closing`` instead of the comma before a span that closes the
    text. Aligning this text without the prompt gives each mark's probability, i.e. whether
    the speaker paused there (``HeardWord.pause_after``)."""
    pieces = text.split()
    words = [index for index, piece in enumerate(pieces) if _normalize(piece)]
    marked: dict[int, str] = {}
    for start, end in spans:
        if start > 0 and start - 1 < len(words):
            marked[words[start - 1]] = before_closing if end >= len(words) else ","
        if 0 < end < len(words):
            marked.setdefault(words[end - 1], ",")
    out: list[str] = []
    skip_punctuation = False
    for index, piece in enumerate(pieces):
        if skip_punctuation and not _normalize(piece):
            continue
        skip_punctuation = False
        if index in marked:
            out.append(piece.rstrip("".join(_CLAUSE_END)) + marked[index])
            skip_punctuation = True
        else:
            out.append(piece)
    return " ".join(out)


def _word_score(word: HeardWord) -> float:
    return word.rest if word.rest is not None else word.probability


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
    closes = end >= len(originals)
    before = evidence[start - 1] if start else None
    last = evidence[end - 1] if end - 1 < len(evidence) else None
    pause_before = 1.0 if start == 0 else (before.pause_after if before is not None else None)
    pause_after = 1.0 if closes else (last.pause_after if last is not None else None)
    pause: float | None = None
    if words and pause_before is not None and pause_after is not None:
        pause = min(pause_before, pause_after)
        apart_before = pause_before >= limits.pause
        apart_after = pause_after >= limits.pause
    else:
        apart_before = (
            start == 0
            or _ends_clause(originals[start - 1])
            or _gap(evidence[start - 1], evidence[start]) >= limits.pause_s
        )
        apart_after = (
            closes
            or _ends_clause(originals[end - 1])
            or _gap(evidence[end - 1], evidence[end]) >= limits.pause_s
        )
    scored = [_word_score(w) for w in evidence[start:end] if w is not None]
    # The least, not the mean: a phrase matched across two heard words ("A Nimbus" for "a
    # nimble cat" is close to "Nimbus") must not borrow certainty from the word it swallowed.
    score = min(scored) if scored else 1.0
    if words and not scored:
        score = 0.0  # evidence exists but none of it covers the phrase: nothing confirms it
    mention = _normalize(originals[start - 1]) in MENTION_BEFORE if start else False
    first = evidence[start] if start < len(evidence) else None
    match = first.match if first is not None else None
    measured = pause is not None

    def verdict(reason: Reason, *, by_template: bool = False) -> Verdict:
        return Verdict(accepted=not reason, score=score, reason=reason, match=match,
                       by_template=by_template, pause=pause)

    if not apart_before and (measured or not closes or mention):
        return verdict("mid_sentence")
    phrase = _normalize(originals[start])
    if sum(_normalize(o) == phrase for o in originals) > MAX_REPEATS:
        return verdict("repeated")
    if match is not None and match > limits.veto:
        return verdict("unlike")
    reason: Reason = ""
    if measured and not apart_after:
        reason = "run_on"
    elif score < limits.probability:
        reason = "unsure"
    elif not measured and not apart_after and score < limits.run_on:
        reason = "run_on"
    if not reason:
        return verdict("")
    rescuable = reason == "unsure" or not measured
    if rescuable and match is not None and match <= limits.template:
        return verdict("", by_template=True)
    return verdict(reason)
