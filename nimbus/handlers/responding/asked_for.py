"""Does the evidence hold what the question asks for? Pure.

The ranking puts the sentence nearest the question first, and a question whose answer is in
no document still has a nearest sentence: "how much is the scaffolding for the solar panels?"
finds "Installation takes 2 days; the scaffolding goes up the week before." Quoting it would
answer something else. So the sentence quoted must hold what was asked:

- **the kind of item asked for** (:func:`.cues.asked_kinds`): a date or a time for "when", an
  amount or a number for "how much/how many", a name for "who", a phone number for "what's
  their number" (read with the sentence before it when it starts with a pronoun; a table row
  whose column is named for the kind, "When before breakfast", holds it too). A question
  that asks where, why or how to ("where does Farah pick up her race number?") asks for no
  kind of item, whatever its nouns;
- **money for a price**: "how much is/was/does …" and a question about a cost, price, fee,
  charge, rent or deposit want an amount of money ("£48", "25 pounds", "12.99", "30 per
  cent", "free"), not any number ("the main hall holds up to 80 people").

:func:`answer_first`: when the best sentence holds it, it is quoted as before. Else a sentence
further down the evidence that holds it is quoted instead, but only when it also says every
word of what the question is about (read with its file's name, its passage's first line and
the heading above it; the question's verbs, its kind words and words such as "next" or "this
week" aside): a lower-ranked sentence is trusted only when it is plainly about the question.
Else the answer is "I couldn't find that in your documents" (or, for a general question,
the model's). Nothing here is tuned to a question or a file: the rules are about what a
question asks and what a sentence says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from nimbus.handlers.responding.cues import (
    KIND_WORDS,
    asked_kinds,
    asked_measure,
    has_kind,
    has_measure,
    in_kind_column,
    measure_words,
)
from nimbus.handlers.responding.evidence import (
    EvidenceSentence,
    refers_back,
    says_amount,
    topic_of,
)
from nimbus.handlers.responding.gate import find_items
from nimbus.handlers.responding.grounding import (
    Mode,
    about_documents,
    names_a_file,
    names_their_own,
)
from nimbus.handlers.responding.words import (
    content_words,
    names_in,
    predicate_words,
    question_terms,
)

__all__ = ["RELATIVE_WORDS", "answer_first", "holds_asked", "holds_kind", "holds_money",
           "missing_words", "settle"]

RELATIVE_WORDS: Final = frozenset({"next", "last", "this", "current", "today", "tonight",
                                   "tomorrow", "yesterday", "week", "month", "year", "now",
                                   "currently", "soon", "ago", "recently", "latest"})
"""Words that place the question in time relative to today ("the next collection", "this
month"): a document states dates, not "next"."""


_NO_KIND_ASKED: Final = re.compile(r"^\W*(?:where(?:'s| is| are| do| does| can| should| will)?|"
                                   r"why|how (?:do|does|can|should|did|will|would)|do|does|"
                                   r"did|is|are|was|were|can|could|will|would|should|has|"
                                   r"have|may|must|shall)\b", re.IGNORECASE)
"""Questions whose answer is a place, a reason, a way or a yes or no: "where does Farah pick
up her race number?" asks where, not for a number; "do we get the deposit back if we
cancel?" is answered by "the deposit is not refundable"."""
_WHO: Final = re.compile(r"^\W*who(?:m|se|'s)?\b", re.IGNORECASE)
_SAID_IN_WORDS: Final = re.compile(
    r"\b(?:once|twice|every|each|daily|weekly|fortnightly|monthly|yearly|annually|"
    r"per (?:day|week|month|year)|a (?:day|week|fortnight|month|year)|"
    r"\d{1,2}(?:st|nd|rd|th))\b", re.IGNORECASE)
"""How often or which day, said in words: "once a week", "every other Monday", "the 15th"."""
_RELATIVE_TIME: Final = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|"
    r"twenty|thirty)\s+(?:working\s+)?(?:hours?|days?|nights?|weeks?|months?|years?)\s+"
    r"(?:before|after|from|ahead|later|beforehand|of)\b"
    r"|\b(?:within|in)\s+(?:\d+|a|one|two|three|four|five|six|seven|ten|fourteen)\s+"
    r"(?:working\s+)?(?:hours?|days?|weeks?|months?|years?)\b", re.IGNORECASE)
"""A time said relative to something: "seven days before you arrive", "within 14 days"."""


def holds_kind(question: str, sentence: EvidenceSentence) -> bool:
    """Does the sentence hold an item of the kind the question asks for (True: asks none)?"""
    kinds = asked_kinds(question)
    if not kinds or _NO_KIND_ASKED.match(question):
        return True
    if _WHO.match(question):  # "who should I call …?": a name answers it as well as a number
        kinds |= {"name"}
    text = f"{sentence.before} {sentence.text}" if refers_back(sentence) else sentence.text
    if has_kind(find_items(text), kinds) or in_kind_column(sentence.text, kinds) or \
            says_amount(question, sentence.text, frozenset(kinds)):
        return True  # (an amount in words: "half a cup of sugar" for "how much sugar")
    # A time said relative to something ("we send its code seven days before you arrive")
    # or how often ("clean the filter once a week") tells when.
    return bool(kinds & {"date", "time"}) and bool(_RELATIVE_TIME.search(text)
                                                   or _SAID_IN_WORDS.search(text))


def _read(sentence: EvidenceSentence) -> set[str]:
    return content_words(" ".join((topic_of(sentence.path), sentence.title, sentence.heading,
                                   sentence.text)))


def missing_words(question: str, sentence: EvidenceSentence) -> list[frozenset[str]]:
    """The question's terms about its subject that the sentence, read in place (with its
    file's name, its passage's first line and the heading above it), does not say.

    Verbs, kind words and :data:`RELATIVE_WORDS` are not asked of it; a measure word ("how
    heavy", "size") is found in a figure of its unit.
    """
    ignored = predicate_words(question) | content_words(" ".join(KIND_WORDS)) | \
        content_words(" ".join(RELATIVE_WORDS))
    read = _read(sentence)
    measure = asked_measure(question)
    if measure is not None and has_measure(sentence.text, measure):
        read |= content_words(measure_words(question))
    return [term for term in question_terms(question)
            if not term & read and not term & ignored]


def _names_its_own(question: str, sentence: EvidenceSentence) -> bool:
    """Does the sentence itself (or the sentence before it, or its heading) say each name the
    question gives? A passage that starts "Dad (Padraig): …" does not make its "Wedding
    anniversary: 14 August" Padraig's birthday."""
    said = content_words(f"{sentence.before} {sentence.heading} {sentence.text}")
    return all(content_words(name) & said for name in names_in(question) - _MONTHS)


_MONTHS: Final = frozenset({"january", "february", "march", "april", "may", "june", "july",
                            "august", "september", "october", "november", "december"})


_PRICE_ASKED: Final = re.compile(
    r"\bhow much (?:is|was|are|were|does|do|did|'s|has|have)\b"
    r"|\b(?:cost|costs|price|prices|fee|fees|charge|charges|rent|deposit)\b")
"""A question about money: "how much is the scaffolding?" (not "how much air …?"). Matched
with its case (the question's first letter lowered): "Gwen Price" is a name."""
_MONEY: Final = re.compile(
    r"[\u00a3$\u20ac]\s?\d|\b\d[\d,]*(?:\.\d+)?\s?(?:pounds?|pence|p|quid|dollars?|euros?|"
    r"gbp|eur|usd)\b|\b\d+(?:\.\d+)?\s?(?:%|per ?cent\b)|\b\d[\d,]*\.\d\d\b|\bfree\b"
    r"|\bno charge\b", re.IGNORECASE)
"""An amount of money however it is written: "£48", "25 pounds", "50p", "12.99", "free"."""


def holds_money(question: str, sentence: EvidenceSentence) -> bool:
    """A question about money is answered by a sentence that states an amount of money
    ("Cost 25 pounds"), not any number ("holds up to 80 people"). "Where do we pay the
    deposit?" asks for a place, "how much does the cat weigh?" for a weight."""
    asked = _PRICE_ASKED.search(question[:1].lower() + question[1:]) and \
        "code" not in asked_kinds(question)  # "the deposit's reference" asks for a code
    return (not asked or bool(_NO_KIND_ASKED.match(question))
            or asked_measure(question) is not None or bool(_MONEY.search(sentence.text)))


def holds_asked(question: str, sentence: EvidenceSentence) -> bool:
    """Does the sentence hold the kind of item asked for (money for a price)?"""
    return holds_kind(question, sentence) and holds_money(question, sentence)


def answer_first(question: str, evidence: Sequence[EvidenceSentence],
                 ) -> list[EvidenceSentence] | None:
    """The evidence to answer from, the sentence to quote first; None: "not found".

    The best sentence is quoted when it holds the kind of item asked for. Else the next one
    that does, if it also says every word of what the question is about (read in place) and,
    itself, each name the question gives: a sentence further down is trusted only when it is
    plainly about the question. Else none.
    """
    if not evidence or holds_asked(question, evidence[0]):
        return list(evidence)
    for index, sentence in enumerate(evidence[1:], 1):
        if holds_asked(question, sentence) and not missing_words(question, sentence) and \
                _names_its_own(question, sentence):
            return [sentence, *evidence[:index], *evidence[index + 1:]]
    return None


def settle(question: str, mode: Mode, evidence: Sequence[EvidenceSentence],
           ) -> tuple[Mode, list[EvidenceSentence]]:
    """:func:`.grounding.decide`'s way to answer, checked against what the question asks for.

    A grounded answer whose evidence does not hold it (:func:`answer_first`) becomes "not
    found" for a question about the household's things (its papers, a name or a file the
    evidence names), else a general answer; the evidence comes back with the sentence to
    quote first.
    """
    if mode != "grounded":
        return mode, list(evidence)
    chosen = answer_first(question, evidence)
    if chosen is not None:
        return mode, chosen
    own = about_documents(question) or names_their_own(question, evidence) or names_a_file(
        question, evidence)
    return ("not_found" if own else "general"), list(evidence)
