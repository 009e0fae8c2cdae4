"""A question's words and a document's, compared by meaning: roots, synonyms, verbs. Pure.

Stopwords and question words are dropped; every other word becomes its WordNet roots
(:mod:`.lexicon`), so "renewal" meets "renew" and "children" meets "child". A question's word
also brings the roots of its commonest sense's synonyms ("buy" meets "purchased").
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from typing import Final

from nimbus.handlers.responding.cues import KIND_WORDS
from nimbus.handlers.responding.lexicon import lexicon

__all__ = ["content_words", "names_in", "predicate_words", "question_terms", "rarity", "share",
           "subject_words", "terms_said_otherwise"]

_WORD: Final = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?")
_STOP: Final = frozenset({"a", "about", "above", "after", "again", "all", "also", "am", "an",
    "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below",
    "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down",
    "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he",
    "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "itself", "just", "me", "more", "most", "my", "no", "nor", "not", "now", "of", "off", "on",
    "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should",
    "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there",
    "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very",
    "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "whose", "why",
    "will", "with", "would", "you", "your", "yours", "tell", "say", "says", "said", "please",
    "know",
    "document", "documents", "file", "notes", "according", "mention", "mentioned", "nimbus",
    "much", "many", "long", "often", "use", "used", "using", "allowed", "lease", "manual",
    "agreement", "transcript", "recording", "papers", "must", "us", "get", "gets", "got",
    "getting", "go", "goes", "going", "need", "needs", "needed", "whereabouts", "else",
    "somewhere", "anywhere", "someone", "anyone", "something", "anything", "back", "kind",
    "kinds", "sort", "sorts", "type", "types", "bit"})
"""Words that carry no meaning of their own in a question: "us", "somewhere else", "back",
and "get", "go" and "need", whose sense is the words after them ("what time do we get into
Leeds?"); "what kind of potatoes", "which bit of the road" ask about the potatoes, the road."""
_ORDINAL: Final = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_SUBJECT_PRONOUNS: Final = frozenset({"i", "we", "you", "they", "he", "she"})
_AUXILIARIES: Final = frozenset({"do", "does", "did", "will", "would", "can", "could", "should",
                                 "shall", "may", "might"})
_COPULAS: Final = frozenset({"is", "are", "was", "were", "am"})
_DETERMINERS: Final = frozenset({"the", "a", "an", "my", "our", "your", "his", "her", "their",
                                 "its", "this", "that", "these", "those"})


def _roots(word: str) -> frozenset[str]:
    return frozenset({word}) if word.isdigit() else lexicon().roots(word)


def _meaning_words(text: str) -> list[str]:
    words = []
    for token in _WORD.findall(text.lower().replace("\u2019", "'")):
        word = token.split("'")[0]
        word = _ORDINAL.sub(r"\1", word)  # "the 26th" is the 26
        if word in _STOP or (len(word) < 2 and not word.isdigit()):
            continue
        words.append(word)
    return words


def content_words(text: str) -> set[str]:
    """The words that carry meaning (no stopwords, no question words), as their roots.

    A root is WordNet's base form mapped onto its derivational family ("renewal" and "renew"
    are "renew", "paid" is "pay", "children" is "child"; :mod:`.lexicon`).
    """
    words: set[str] = set()
    for word in _meaning_words(text):
        words |= _roots(word)
    return words


def question_terms(question: str) -> list[frozenset[str]]:
    """One term a content word of the question: its roots and the roots of its synonyms.

    A sentence holds a term when it holds any of them ("buy" is found in "purchased").
    """
    terms: dict[frozenset[str], frozenset[str]] = {}
    for word in _meaning_words(question):
        roots = _roots(word)
        if roots not in terms:
            terms[roots] = _term(word, roots)
    return list(terms.values())


def _term(word: str, roots: frozenset[str]) -> frozenset[str]:
    return roots | (frozenset() if word.isdigit() else lexicon().synonyms(word))


def terms_said_otherwise(question: str, text: str) -> set[frozenset[str]]:
    """The question's terms (as :func:`question_terms` makes them) that ``text`` says in a word
    sharing one of their senses, in any of its readings: "the house insurance" in "the home
    insurance schedule", "the kids" in "children". Synonyms in some sense, never merely
    related words: a dog is not a cat, nor Monday Tuesday."""
    said: set[str] = set()
    for word in set(_meaning_words(text)):
        if not word.isdigit():
            said |= lexicon().senses(word)
    return {_term(word, _roots(word)) for word in _meaning_words(question)
            if not word.isdigit() and lexicon().senses(word) & said}


def share(terms: Sequence[frozenset[str]], found: set[str],
           weights: Sequence[float] | None = None) -> float:
    """Share of ``terms`` found, each counted with its weight (1 each by default)."""
    if not terms:
        return 0.0
    if weights is None:
        return sum(bool(term & found) for term in terms) / len(terms)
    return sum(w for term, w in zip(terms, weights, strict=True) if term & found) / sum(weights)


def rarity(terms: Sequence[frozenset[str]], owns: Sequence[set[str]]) -> list[float]:
    """Each term's weight among the candidates: log(1 + n / (1 + sentences holding it)).

    "spending money" names the one sentence the question is about; "school trip", in half
    the letter's sentences, does not.
    """
    n = len(owns)
    return [math.log(1 + n / (1 + sum(bool(term & own) for own in owns))) for term in terms]


def predicate_words(question: str) -> set[str]:
    """Roots of the question's verbs ("expire", "buy", "keep"): what it asks about its subject.

    An answer's form often says it instead: "Valid to 31 March 2028" tells when a permit
    expires, a receipt's date when the machine was bought.
    """
    verbs: set[str] = set()
    names = names_in(question)
    placed = _verb_places(question)
    # A word after "his", "the", "a" is a noun or an adjective: "his *spelling* test".
    raw = _WORD.findall(question.lower().replace("\u2019", "'"))
    tokens = [t.split("'")[0] for t in raw]
    # ... and so is a word after a possessive: "Bart's *glasses*".
    named = {word for (before, word), said in zip(itertools.pairwise(tokens), raw, strict=False)
             if before in _DETERMINERS or said.endswith("'s")}
    for word in _meaning_words(question):
        # "March" in "our water bill in March" is a month, whatever WordNet says of "march".
        if word.isdigit() or word in names or (word in named and word not in placed):
            continue
        if lexicon().is_verb(word) or (word in placed and lexicon().can_be_verb(word)):
            verbs |= _roots(word)
    return verbs


def _participle(word: str) -> bool:
    """Is ``word`` a verb's participle ("held", "cancelled", "seeing"), not its "-s" form?"""
    return any(pos == "v" and word not in (lemma, f"{lemma}s", f"{lemma}es")
               for lemma, pos in lexicon().base_forms(word))


def names_in(question: str) -> set[str]:
    """The capitalised words of a question not at its start, lower-cased: its names ("Milo",
    "Peakform") and months."""
    return {w.lower() for w in re.findall(r"(?<!^)(?<![.?!] )\b[A-Z][a-z]+", question.strip())}


def _verb_places(question: str) -> set[str]:
    """Words that stand where a question's verb stands, whatever their commonest use.

    After a subject pronoun ("who do I *ring*"), after "to" ("what do I need to *bring*"),
    and last, after an auxiliary and not after a determiner ("what time does school
    *finish*?", "when does the insurance *run* out?", "where are the lessons *held*?").
    """
    raw = _WORD.findall(question.lower().replace("\u2019", "'"))
    tokens = [t.split("'")[0] for t in raw]
    placed = {word for before, word in itertools.pairwise(tokens)
              if before in _SUBJECT_PRONOUNS or before == "to"}
    meaning = [i for i, t in enumerate(tokens) if t not in _STOP and len(t) > 1]
    if meaning and meaning[-1] > 0:
        last = meaning[-1]
        word = tokens[last]
        before = set(tokens[:last])
        # "does" needs a verb after it; "is" only with a participle ("held", not "plate").
        if tokens[last - 1] not in _DETERMINERS and not raw[last - 1].endswith("'s") and (
                _AUXILIARIES & before or (
                _COPULAS & before and _participle(word))):
            placed.add(word)
    return placed


def subject_words(question: str) -> set[str]:
    """The question's content words less those that only say what kind of answer is wanted,
    and less its verbs: what the question is about ("parking permit" in "when does our parking
    permit expire?")."""
    return content_words(question) - content_words(" ".join(KIND_WORDS)) - predicate_words(
        question)
