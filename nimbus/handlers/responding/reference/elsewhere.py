"""A year read off another thing's definition. Pure.

"What year was the Magna Carta signed?": WordNet has no entry for the charter, but King John's
says "in 1215 John was compelled by the barons to sign the Magna Carta". A year is taken from
any definition's clause that holds every content word of the question and exactly one year,
and only when every clause found says the same year: two clauses with two years ("built in
1889", "rebuilt in 1921") leave it unanswered.
"""

from __future__ import annotations

import re
from typing import Final

from nimbus.handlers.responding.reference.lookup import (
    STOP,
    Glossary,
    ReferenceAnswer,
    expansions,
    sentence,
)
from nimbus.handlers.responding.reference.wordnet import tokens

__all__ = ["answer_year_elsewhere"]

_ASKS_YEAR: Final = re.compile(
    r"^(?:(?:what|which) year|when) (?:was|were|did|is|are) (?:the )?(?P<rest>[a-z0-9' -]+)$")
_YEAR: Final = re.compile(r"\b(?:1[0-9]{3}|20[0-9]{2})\b")
_SEARCH: Final = 60
_LIFE: Final = re.compile(r"\s*\(\s*\d{3,4}\s*-\s*\d{0,4}\s*\)")
_VAGUE: Final = frozenset({"first", "last", "start", "end", "begin", "born", "die", "died"})
"""Words that say which of a thing's years is meant: its own definition must say it."""


def answer_year_elsewhere(question: str, book: Glossary) -> ReferenceAnswer | None:
    """The one year the definitions that hold all of ``question``'s words say, or None."""
    text = re.sub(r"[?!.,]", "", question.lower().replace("\u2019", "'")).strip()
    match = _ASKS_YEAR.match(text)
    if match is None:
        return None
    words = [t for t in tokens(match.group("rest")) if t not in STOP]
    if len(words) < 2 or set(words) & _VAGUE:
        return None  # "when was it built": too little to know what is meant
    wanted = {word: expansions(word, book) for word in words}
    query = sorted({b for forms in wanted.values() for b in forms})
    found: list[tuple[str, ReferenceAnswer]] = []
    for synset in book.synsets(book.search(query, _SEARCH)):
        # a life's dates are not the event's year
        for clause in (_LIFE.sub("", c).strip() for c in synset.gloss.split(";") if c.strip()):
            years = set(_YEAR.findall(clause))
            if len(years) != 1:
                continue
            # "the signing of the Declaration" names the event, not when it was done: the
            # clause must say the deed itself ("to sign the Magna Carta")
            held = {b for t in tokens(clause) for b in (
                {t} if t.endswith("ing") and t not in words else book.bases(t) | {t})}
            if all(forms & held for forms in wanted.values()):
                found.append((years.pop(), ReferenceAnswer(
                    text=sentence(synset, [clause]), synset=synset, matched=tuple(words))))
    if not found or len({year for year, _ in found}) != 1:
        return None
    return found[0][1]
