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
    asks_no_kind,
    has_kind,
    has_measure,
    in_kind_column,
    measure_words,
    says_money,
    says_when,
)
from nimbus.handlers.responding.evidence import (
    EvidenceSentence,
    answers_subject,
    is_heading,
    names_subject,
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
    terms_said_otherwise,
)

__all__ = ["RELATIVE_WORDS", "answer_first", "holds_asked", "holds_kind", "holds_money",
           "missing_words", "plainly_answers", "settle"]

RELATIVE_WORDS: Final = frozenset({"next", "last", "this", "current", "today", "tonight",
                                   "tomorrow", "yesterday", "week", "month", "year", "now",
                                   "currently", "soon", "ago", "recently", "latest"})
"""Words that place the question in time relative to today ("the next collection", "this
month"): a document states dates, not "next"."""


_WHO: Final = re.compile(r"^\W*who(?:m|se|'s)?\b", re.IGNORECASE)


_WHAT_TIME: Final = re.compile(r"\bwhat time(?!s\b)", re.IGNORECASE)
_DAY_ASKED: Final = re.compile(r"\b(?:when|date|dates|day|days|weekday|until)\b", re.IGNORECASE)
""""What time is the brace fitting?" asks for a clock time: "Date Thursday 14 January 2027"
does not say it (a duration, "55 minutes", or "nine" may)."""


_TIME_COLUMN: Final = re.compile(r"(?:^|[:,] )(?:When|Time|Times) \S")


def _says_clock(text: str) -> bool:
    """A clock time, a number said in words ("at nine"), a duration ("55 minutes", "45
    minutes before the start") or a value in a column named for the time: not a day alone."""
    items = find_items(text)
    return (has_kind(items, frozenset({"time"})) or has_measure(text, "duration")
            or says_when(text) or bool(_TIME_COLUMN.search(text))
            or any(i.kind == "number" and not any(c.isdigit() for c in i.text) for i in items))


def holds_kind(question: str, sentence: EvidenceSentence) -> bool:
    """Does the sentence hold an item of the kind the question asks for (True: asks none)?"""
    kinds = asked_kinds(question)
    if not kinds or asks_no_kind(question):
        return True
    if _WHO.match(question):  # "who should I call …?": a name answers it as well as a number
        kinds |= {"name"}
    text = f"{sentence.before} {sentence.text}" if refers_back(sentence) else sentence.text
    if _WHAT_TIME.search(question) and not _DAY_ASKED.search(question):
        return _says_clock(text)
    if has_kind(find_items(text), kinds) or in_kind_column(sentence.text, kinds) or \
            says_amount(question, sentence.text, frozenset(kinds)):
        return True  # (an amount in words: "half a cup of sugar" for "how much sugar")
    if "amount" in kinds and says_money(text):  # "15p a page" is how much printing is
        return True
    # A time said relative to something ("we send its code seven days before you arrive")
    # or how often ("clean the filter once a week") tells when.
    return bool(kinds & {"date", "time"}) and says_when(text)


def _read(sentence: EvidenceSentence) -> set[str]:
    return content_words(" ".join((topic_of(sentence.path), sentence.title, sentence.heading,
                                   sentence.text)))


def missing_words(question: str, sentence: EvidenceSentence) -> list[frozenset[str]]:
    """The question's terms about its subject that the sentence, read in place (with its
    file's name, its passage's first line and the heading above it), does not say.

    Verbs, kind words and :data:`RELATIVE_WORDS` are not asked of it; a measure word ("how
    heavy", "size") is found in a figure of its unit, and a word in a synonym of one of its
    senses (:func:`.words.terms_said_otherwise`: "house" in "home insurance").
    """
    ignored = predicate_words(question) | content_words(" ".join(KIND_WORDS)) | \
        content_words(" ".join(RELATIVE_WORDS))
    read = _read(sentence)
    measure = asked_measure(question)
    if measure is not None and has_measure(sentence.text, measure):
        read |= content_words(measure_words(question))
    missing = [term for term in question_terms(question)
               if not term & read and not term & ignored]
    if missing:  # "the house insurance" is said "home insurance"
        otherwise = terms_said_otherwise(question, " ".join((
            topic_of(sentence.path), sentence.title, sentence.heading, sentence.text)))
        missing = [term for term in missing if term not in otherwise]
    return missing


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
def holds_money(question: str, sentence: EvidenceSentence) -> bool:
    """A question about money is answered by a sentence that states an amount of money
    ("Cost 25 pounds"), not any number ("holds up to 80 people"). "Where do we pay the
    deposit?" asks for a place, "how much does the cat weigh?" for a weight."""
    asked = _PRICE_ASKED.search(question[:1].lower() + question[1:]) and \
        "code" not in asked_kinds(question)  # "the deposit's reference" asks for a code
    return (not asked or asks_no_kind(question) or asked_measure(question) is not None
            or says_money(sentence.text) or _holds_quantity(question, sentence.text))


_PRICE_WORDS: Final = re.compile(r"\b(?:cost|costs|price|prices|fee|fees|charge|charges|rent|"
                                 r"deposit|pay|paid|spend|spent|worth|owe|afford)\b",
                                 re.IGNORECASE)
_QUANTITY: Final = re.compile(r"\b\d[\d,]*(?:\.\d+)?\s?(?:litres?|liters?|ml|gallons?|pints?|"
                              r"kg|g|grams?|kilos?|kilograms?|tonnes?|kwh|watts?|people|"
                              r"guests|seats|bags?|boxes|bottles?)\b", re.IGNORECASE)


_DOES_MEASURE: Final = re.compile(r"\bhow much (?:does|do|did|will|can|would|could)\b",
                                  re.IGNORECASE)
""""How much does it hold?" may ask a quantity; "how much is a pint of milk?" asks a price."""


def _holds_quantity(question: str, text: str) -> bool:
    """"How much does the water butt hold?" asks how much of something, not a price: a figure
    with its unit ("200 litres") answers it when the question names no cost or payment."""
    return bool(_DOES_MEASURE.search(question)) and not _PRICE_WORDS.search(question) and \
        bool(_QUANTITY.search(text))


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

    A passage's title first (its first line, without a full stop or a figure: "Haverley and
    Rusk Solicitors: your wills appointment") names a topic and answers nothing: a sentence
    further down that passes the same test is quoted instead; without one it stays first.
    """
    if not evidence:
        return list(evidence)
    first = holds_asked(question, evidence[0])
    if first and not _title(evidence[0]):
        return list(evidence)
    for index, sentence in enumerate(evidence[1:], 1):
        if holds_asked(question, sentence) and not _title(sentence) and \
                not missing_words(question, sentence) and _names_its_own(question, sentence):
            return [sentence, *evidence[:index], *evidence[index + 1:]]
    return list(evidence) if first else None


def _title(sentence: EvidenceSentence) -> bool:
    """Is the sentence its passage's first line, and a heading ("Ship: MV Northern Aurora"
    further down states a fact)?"""
    return sentence.text == sentence.title and is_heading(sentence.text)


def plainly_answers(question: str, evidence: Sequence[EvidenceSentence], *,
                    min_score: float) -> bool:
    """Is the best sentence plainly the answer, whatever words the question says it in?

    :func:`.grounding.decide` wants most of the question's words in the evidence, and a
    question is often worded otherwise than its answer: "How long am I locked into the gym
    contract for?" is answered by "Minimum term: 12 months". The best sentence answers anyway
    when the question asks for a kind of item (a date, an amount, a name, a number…) and the
    sentence is close to the question (``min_score``), holds an item of that kind (money for a
    price), says - read in place, with its file's name, its passage's first line and the
    heading above it - every word of what the question is about (verbs, kind words and
    :data:`RELATIVE_WORDS` aside, synonyms of a sense counted: :func:`missing_words`), says
    itself each name the question gives, and is not a passage's title. Not for a question
    about a past one ("last year's council tax"): a household's paper is this one's.
    """
    if not evidence:
        return False
    best = evidence[0]
    kinds = asked_kinds(question)
    if not kinds or asks_no_kind(question) or best.match < min_score or _title(best):
        return False  # "what are we singing after the interval?" asks for no kind of item
    if _PAST.search(question) and not _PAST.search(best.text):
        return False
    return (holds_asked(question, best) and not missing_words(question, best)
            and _names_its_own(question, best) and answers_subject(question, evidence)
            and names_subject(question, best))


_PAST: Final = re.compile(r"\b(?:last|previous|past) (?:year|month|week|time|term|season|"
                          r"summer|winter|spring|autumn|quarter)'?s?\b|\bago\b|\byesterday\b",
                          re.IGNORECASE)
"""A question about a past one ("last year's council tax", "two months ago"): a document that
does not say so is about the current one."""


def settle(question: str, mode: Mode, evidence: Sequence[EvidenceSentence], *,
           min_score: float | None = None) -> tuple[Mode, list[EvidenceSentence]]:
    """:func:`.grounding.decide`'s way to answer, checked against what the question asks for.

    A grounded answer whose evidence does not hold it (:func:`answer_first`) becomes "not
    found" for a question about the household's things (its papers, a name or a file the
    evidence names), else a general answer; the evidence comes back with the sentence to
    quote first. A question not grounded for want of its words is answered when its best
    sentence :func:`plainly_answers` it (given ``min_score``).
    """
    if mode != "grounded" and min_score is not None and plainly_answers(
            question, evidence, min_score=min_score):
        return "grounded", list(evidence)
    if mode != "grounded":
        return mode, list(evidence)
    chosen = answer_first(question, evidence)
    if chosen is not None:
        return mode, chosen
    own = about_documents(question) or names_their_own(question, evidence) or names_a_file(
        question, evidence)
    return ("not_found" if own else "general"), list(evidence)
