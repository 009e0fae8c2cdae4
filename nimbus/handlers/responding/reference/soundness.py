"""Does a clause answer the question asked, and not a narrower or another thing? Pure.

The checks ``lookup.py`` runs on a clause that holds every word of the question: the scope it
sets ("the highest mountain in Queensland"), a superlative standing by another noun or
narrowed ("largest carnivorous land animals"), two words of the question pulled apart ("male
wood duck"), the fewest words that hold them all, a number next to the question's word ("eight
legs"), and qualifiers ("the second largest", "one of the", "Florida's largest").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, Protocol

from nimbus.handlers.responding.reference.wordnet import tokens

__all__ = ["NUMBER", "PLAIN_BETWEEN", "Bases", "counts", "elsewhere", "graded_apart",
           "pulled_apart", "qualified", "window", "within_other_name"]


class Bases(Protocol):
    """WordNet's base forms of a word (``WordNet.bases``)."""

    def bases(self, word: str) -> set[str]: ...


NUMBER: Final = re.compile(r"\b\d[\d,.]*\b|\b(?:one|two|three|four|five|six|seven|eight|nine|"
                           r"ten|eleven|twelve|hundred|thousand|million)\b")
_ORDINAL: Final = frozenset(("second", "third", "fourth", "fifth", "least", "not", "formerly",
                             "former", "once", "ex", "above", "below", "except", "without",
                             "unlike", "non", "under", "over", "near", "almost"))
def elsewhere(words: list[str], last: int, asked: set[str]) -> bool:
    """The clause sets its own scope after the words it shares with the question ("the highest
    mountain peak in Queensland", "the largest city and principal port of New Zealand") where
    the question asked about the whole world. A clause that names the world keeps it."""
    if "world" in words:
        return False
    after = words[last + 1:]
    for at, word in enumerate(after[:-1]):
        if word in ("in", "of"):
            place = [w for w in after[at + 1: at + 3] if w != "the"][:1]
            if place and place[0] not in asked and place[0] not in ("universe",):
                return True
    return False


def graded_apart(words: list[str], expansions: dict[str, set[str]],
                  bases: list[set[str]], said: list[str], asked: set[str]) -> bool:
    """A superlative of the question qualifies another noun in the clause: "the largest lake in
    the country" does not answer "the largest country", nor "the smallest administrative
    district of several European countries" "the smallest country"; nor does it answer when
    the clause narrows the noun with words the question did not say ("largest carnivorous land
    animals" is not the largest animal; "largest living bird" is still the largest bird)."""
    for at, word in enumerate(words[:-1]):
        if not word.endswith("est"):
            continue
        noun = expansions[words[at + 1]]
        places = [i for i, b in enumerate(bases) if b & expansions[word]]
        nouns = [i for i, b in enumerate(bases) if b & noun]
        near = [(p, n) for p in places for n in nouns if 0 < n - p <= 3]
        if places and nouns and not near:
            return True
        if near and all(set(said[p + 1:n]) - asked - PLAIN_BETWEEN and said[p + 1] != "and"
                        for p, n in near):  # "the longest and thickest bone" is the longest
            return True
    return False


PLAIN_BETWEEN: Final = frozenset(("living", "known", "existing", "extant", "the"))


_PREPOSITIONS: Final = frozenset(str.split(
    "across through over under around into onto between after before without against along "
    "past toward towards beyond behind below above beneath within"))


def pulled_apart(adjacent: Sequence[tuple[str, str]], expansions: dict[str, set[str]],
                  bases: list[set[str]], said: list[str], asked: set[str]) -> bool:
    """Two content words side by side in the question ("male duck", "natural substance") stand
    apart in the clause with a word the question did not say between them ("male wood duck"):
    the clause speaks of a narrower thing."""
    for first, second in adjacent:
        if first in _PREPOSITIONS or second in _PREPOSITIONS:
            continue  # "fly solo nonstop across": a word before a preposition narrows nothing
        starts = [i for i, b in enumerate(bases) if b & expansions[first]]
        ends = [i for i, b in enumerate(bases) if b & expansions[second]]
        pairs = [(a, z) for a in starts for z in ends if 0 < z - a <= 4]
        if starts and ends and not pairs:
            return True  # "spoken by most Haitians" is not the most spoken language
        if pairs and all(set(said[a + 1:z]) - asked - PLAIN_BETWEEN and said[a + 1] != "and"
                         for a, z in pairs):  # "longest and thickest bone" is still the longest
            return True
    return False


def window(places: list[list[int]]) -> tuple[int, int]:
    """(width, last word) of the fewest words that hold one place of every group: "natural
    scientist who formulated … evolution by natural selection" holds "evolution natural
    selection" in its last four words, though "natural" is also its second."""
    marks = sorted((at, group) for group, ats in enumerate(places) for at in ats)
    have: dict[int, int] = {}
    best, end, left = 0, -1, 0
    for at, group in marks:
        have[group] = have.get(group, 0) + 1
        while len(have) == len(places):
            first, first_group = marks[left]
            if not best or at - first + 1 < best:
                best, end = at - first + 1, at
            have[first_group] -= 1
            if not have[first_group]:
                del have[first_group]
            left += 1
    return best, end


def counts(clause: str, words: list[str], expansions: dict[str, set[str]],
            book: Bases) -> bool:
    """A number in the clause stands next to a word of the question: "eight legs",
    "a six-sided polygon" for "how many sides"."""
    said = tokens(clause)
    for at, token in enumerate(said):
        if NUMBER.fullmatch(token):
            near = said[max(0, at - 2): at + 3]
            if any(expansions[w] & (book.bases(t) | {t}) for w in words for t in near
                   if t != token):
                return True
    return False


def qualified(gloss: str, matched: set[str], asked: set[str]) -> bool:
    """The definition qualifies what it shares with the question in a way the question did not
    ("the second largest planet" for "the largest planet"; "formerly the capital")."""
    words = tokens(gloss)
    if re.search(r"\bone of the\b", gloss):
        return True  # "one of the largest cities" is not the largest
    owner = re.search(r"\b(\w+)['\u2019]s (?:\w+ )?\w+est\b", gloss)
    if owner and owner.group(1).lower() not in asked | {"world", "earth"}:
        return True  # "Florida's largest city" is not the world's
    for index, word in enumerate(words[1:], start=1):
        if words[index - 1] in _ORDINAL and words[index - 1] not in asked and (
                word in matched or any(word.startswith(m) for m in matched if len(m) > 3)):
            return True
    return False


_CASED: Final = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)?")
"""The words of ``tokens``, as written (with their capitals)."""


def within_other_name(clause: str, asked: set[str]) -> set[int]:
    """The places of words that belong to a longer name the question did not say: "Wales" in
    "New South Wales", "Korea" in "North Korea", "York" in "New York" name other places than
    Wales, Korea or York. A run of capitalised words is one name; it stands for the question's
    word only when the question said all of it."""
    words = list(_CASED.finditer(clause))
    out: set[int] = set()
    at = 0
    while at < len(words):
        if not words[at].group(0)[:1].isupper():
            at += 1
            continue
        end = at
        while end + 1 < len(words) and words[end + 1].group(0)[:1].isupper() and \
                not clause[words[end].end():words[end + 1].start()].strip():  # "Moon (July"
            end += 1
        run = [w.group(0).lower().removesuffix("'s") for w in words[at:end + 1]]
        if end > at and set(run) & asked and set(run) - asked - {"the"}:
            out.update(range(at, end + 1))
        at = end + 1
    return out
