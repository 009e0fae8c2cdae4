"""Does the reference book say what the model said? Pure.

The model answers a general question only when the book had no definition that answers it,
and a 135M model's confidence does not tell its right answers from its wrong ones. So a
sentence it writes with confidence is spoken only when one clause of one definition holds both
the question's content words and every word the sentence adds: "The middle of an atom is
called the nucleus." is kept because WordNet's nucleus is "the positively charged dense center
of an atom" (middle and center are one sense); "The fastest land animal is the kangaroo." is
not, since no definition of the kangaroo says fastest. The words must meet in one clause:
Sydney's definition says "largest Australian city" in one clause and "state capital" in
another, which does not make it the capital of Australia.
"""

from __future__ import annotations

from typing import Final

from nimbus.handlers.responding.reference.lookup import STOP, Glossary, expansions
from nimbus.handlers.responding.reference.wordnet import tokens

__all__ = ["corroborated"]

_SAID: Final = frozenset(str.split(
    "also usually often mainly mostly generally typically very really about around called "
    "known named located found its their there then than into onto"))
"""Words a sentence adds that state no fact of their own."""
_CLAUSES: Final = 3
"""A definition's first clauses are read: later ones are asides about something else."""


def corroborated(question: str, sentence: str, book: Glossary) -> bool:
    """True when one clause of one definition holds the question's content words and every
    content word ``sentence`` adds to them."""
    asked_tokens = tokens(question)
    asked = [t for t in dict.fromkeys(asked_tokens) if t not in STOP]
    added = [t for t in dict.fromkeys(tokens(sentence))
             if t not in STOP and t not in _SAID and t not in asked_tokens and not t.isdigit()]
    if not asked or not added:
        return False  # nothing asked, or nothing said beyond the question: nothing to check
    wanted = [expansions(word, book) for word in asked]
    wanted += [book.bases(word) | {word} for word in added]
    query = sorted({base for group in wanted for base in group})
    for synset in book.synsets(book.search(query, 40)):
        named = {b for word in synset.words for t in tokens(word) for b in book.bases(t) | {t}}
        for clause in synset.gloss.split(";")[:_CLAUSES]:
            held = named | {b for t in tokens(clause) for b in book.bases(t) | {t}}
            if all(group & held for group in wanted):
                return True
    return False
