"""English word forms from WordNet: base forms, derivational families, commonest synonyms.

The evidence ranking compares a question's words with a document's. Written English says one
thing many ways: "renew" / "Renewal date", "paid" / "payable", "cancelling" / "cancel",
"children" / "child", "buy" / "purchase". :class:`Lexicon` reads Princeton WordNet 3.0 as
Debian's ``wordnet-base`` installs it (``/usr/share/wordnet``; nothing is fetched at run time):

- :meth:`Lexicon.roots`: a word's base forms (WordNet's *morphy*: the exception lists, then
  the detachment rules, each candidate checked against the index), each mapped to the shortest
  member of its derivational family (WordNet's "+" pointers between word forms), so "renewal"
  and "renew" both become "renew", "payable" and "paid" both "pay";
- :meth:`Lexicon.synonyms`: the roots of the other words of the first (commonest) sense of the
  word's commonest part of speech: "buy" -> "purchase"; used on the question's side only;
- :meth:`Lexicon.is_verb`: whether the word is mostly used as a verb ("expire", "buy",
  "keep"): a question's verb is what an answer's form often says instead ("Valid to 31 March"
  for "when does it expire?");
- :meth:`Lexicon.senses`: every sense (synset) of every base form of a word: two words that
  share one are synonyms in some sense ("house" / "home", "kids" / "children"), as a dog and a
  cat, or a husband and a wife, never are.

The index files are sorted, so a lemma is found by binary search on the memory-mapped file and
a synset read at its byte offset: opening costs nothing and lookups are cached per word.
Without the files every method falls back to a light suffix stem (``available`` is False).
"""

from __future__ import annotations

import functools
import mmap
import re
import threading
from pathlib import Path
from typing import Final

__all__ = ["WORDNET_DIR", "Lexicon", "lexicon", "light_stem"]

WORDNET_DIR: Final = Path("/usr/share/wordnet")
"""Where Debian's ``wordnet-base`` puts the database (``scripts/setup.sh`` installs it)."""
_POS: Final = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
_RULES: Final = {
    "n": (("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
          ("men", "man"), ("ies", "y"), ("s", "")),
    "v": (("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"),
          ("ing", ""), ("s", "")),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "r": (),
}
"""WordNet's detachment rules (morphy), per part of speech."""
_CACHE_WORDS: Final = 50_000
"""Cached words before a cache is emptied (a bound, not a tuning: a home's vocabulary is
far smaller)."""
_KIN_PREFIX: Final = 4
_LIGHT_VERBS: Final = frozenset({"be", "have", "do", "get", "go", "make", "take", "come", "give",
                                 "put", "set"})
"""Synonyms too light to mean anything alone ("cost" is "be" in WordNet's first sense)."""
_FEW_SENSES: Final = 2
"""A noun or adjective lends synonyms only with at most this many senses: the first sense of
"account" is a story, of "bill" a measure of law."""
_LEMMA: Final = re.compile(r"^[a-z][a-z'-]*$")


def light_stem(word: str) -> str:
    """A suffix stem for words WordNet does not know: "lemons" / "lemon", "fitted" / "fit"."""
    for suffix in ("ing", "ed", "er", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[:-len(suffix)]
            break
    if word.endswith("al") and len(word) >= 6:  # "renewal" / "renew", "rental" / "rent"
        word = word[:-2]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


class Lexicon:
    """Read-only WordNet lookups; thread-safe (its caches only ever gain complete entries)."""

    def __init__(self, folder: Path = WORDNET_DIR) -> None:
        self._index: dict[str, mmap.mmap] = {}
        self._data: dict[str, mmap.mmap] = {}
        self._exceptions: dict[str, dict[str, tuple[str, ...]]] = {}
        self._roots: dict[str, frozenset[str]] = {}
        self._synonyms: dict[str, frozenset[str]] = {}
        self._senses: dict[str, frozenset[str]] = {}
        self._lock = threading.Lock()
        try:
            for pos, name in _POS.items():
                with (folder / f"index.{name}").open("rb") as index, \
                        (folder / f"data.{name}").open("rb") as data:
                    self._index[pos] = mmap.mmap(index.fileno(), 0, access=mmap.ACCESS_READ)
                    self._data[pos] = mmap.mmap(data.fileno(), 0, access=mmap.ACCESS_READ)
                self._exceptions[pos] = _read_exceptions(folder / f"{name}.exc")
        except (OSError, ValueError):
            self._index.clear()
            self._data.clear()
        self.available = len(self._index) == len(_POS)
        """False when the WordNet files are missing: light stems only, no synonyms."""

    def _entry(self, lemma: str, pos: str) -> list[str] | None:
        """The index line of ``lemma`` in part of speech ``pos``, split into fields."""
        index = self._index.get(pos)
        if index is None or not _LEMMA.match(lemma):
            return None
        key = lemma.encode()
        lo, hi = 0, len(index)
        while lo < hi:
            mid = (lo + hi) // 2
            start = index.rfind(b"\n", 0, mid) + 1
            end = index.find(b"\n", start)
            end = len(index) if end < 0 else end
            line = index[start:end]
            word = line.split(b" ", 1)[0]
            if line.startswith(b" ") or word < key:
                lo = end + 1
            elif word > key:
                hi = start
            else:
                return line.decode("latin-1").split()
        return None

    def _synsets(self, lemma: str, pos: str) -> tuple[list[str], int]:
        """The synset offsets of ``lemma`` (commonest sense first) and its tagged sense count."""
        entry = self._entry(lemma, pos)
        if entry is None:
            return [], 0
        pointers = int(entry[3])
        senses = int(entry[2])
        tagged = int(entry[5 + pointers])
        return entry[6 + pointers:6 + pointers + senses], tagged

    def _synset(self, pos: str, offset: str) -> tuple[list[str], list[tuple[str, str, str, str]]]:
        """The words of one synset and its pointers (symbol, offset, pos, source/target)."""
        data = self._data[pos]
        start = int(offset)
        end = data.find(b"\n", start)
        fields = data[start:end].split(b" | ", 1)[0].decode("latin-1").split()
        count = int(fields[3], 16)
        words = [fields[4 + 2 * i].lower() for i in range(count)]
        at = 4 + 2 * count
        pointers = [(fields[at + 1 + 4 * i], fields[at + 2 + 4 * i], fields[at + 3 + 4 * i],
                     fields[at + 4 + 4 * i]) for i in range(int(fields[at]))]
        return words, pointers

    def base_forms(self, word: str) -> list[tuple[str, str]]:
        """(lemma, part of speech) pairs WordNet knows ``word`` as, in its own order."""
        if not self.available:
            return []
        found: dict[tuple[str, str], None] = {}
        for pos in _POS:
            candidates = [word, *self._exceptions[pos].get(word, ())]
            candidates += [word[:-len(old)] + new for old, new in _RULES[pos]
                           if word.endswith(old) and len(word) > len(old) + 1]
            for lemma in candidates:
                if self._entry(lemma, pos) is not None:
                    found[(lemma, pos)] = None
        return list(found)

    def _family(self, lemma: str, pos: str) -> set[str]:
        """``lemma`` and the word forms its senses are derivationally related to.

        A synonym spelt like it (the first four letters: "expiry" beside "expiration") lends
        its relations too: WordNet links "expire" to "expiration" only.
        """
        family = {lemma}
        for offset in self._synsets(lemma, pos)[0]:
            words, pointers = self._synset(pos, offset)
            for symbol, target, target_pos, link in pointers:
                source = int(link[:2], 16)
                if symbol != "+" or not source or not _kin(words[source - 1], lemma):
                    continue
                target_words = self._synset(_pos_file(target_pos), target)[0]
                related = target_words[int(link[2:], 16) - 1]
                if "_" not in related:
                    family.add(related)
        return family

    def roots(self, word: str) -> frozenset[str]:
        """One root per base form of ``word``: the shortest member of its family."""
        cached = self._roots.get(word)
        if cached is not None:
            return cached
        roots = frozenset(min(self._family(lemma, pos), key=lambda w: (len(w), w))
                          for lemma, pos in self.base_forms(word)) or frozenset(
            {light_stem(word)})
        with self._lock:
            if len(self._roots) >= _CACHE_WORDS:
                self._roots.clear()
            self._roots[word] = roots
        return roots

    def _commonest(self, word: str) -> tuple[str, str] | None:
        """The base form of ``word`` with the most senses, then the most tagged (its usual
        reading: "question" is a noun, "buy" a verb)."""
        best: tuple[int, int, int, str, str] | None = None
        for rank, (lemma, pos) in enumerate(self.base_forms(word)):
            synsets, tagged = self._synsets(lemma, pos)
            if synsets and (best is None or (len(synsets), tagged, -rank) > best[:3]):
                best = (len(synsets), tagged, -rank, lemma, pos)
        return None if best is None else (best[3], best[4])

    def synonyms(self, word: str) -> frozenset[str]:
        """The other one-word members of the commonest sense of ``word`` that are roots.

        Only in its usual reading when that is a verb or has few senses, or as a verb of few
        senses: "buy" -> "purchase", "purchase" -> "buy", "warranty" ->
        "guarantee", but nothing for "account" or "bill", whose first sense is seldom meant.
        """
        cached = self._synonyms.get(word)
        if cached is not None:
            return cached
        found: set[str] = set()
        usual = self._commonest(word)
        for lemma, pos in self.base_forms(word):
            synsets, _ = self._synsets(lemma, pos)
            few = len(synsets) <= _FEW_SENSES
            if not synsets or not (((lemma, pos) == usual and (pos == "v" or few))
                                   or (pos == "v" and few)):
                continue
            for other in self._synset(pos, synsets[0])[0]:
                # A derived form ("shaver" for "child") stands for its root's meaning.
                if (other != lemma and other not in _LIGHT_VERBS and _LEMMA.match(other)
                        and self.roots(other) == {other}):
                    found.add(other)
        synonyms = frozenset(found - self.roots(word))
        with self._lock:
            if len(self._synonyms) >= _CACHE_WORDS:
                self._synonyms.clear()
            self._synonyms[word] = synonyms
        return synonyms

    def senses(self, word: str) -> frozenset[str]:
        """Every sense of every base form of ``word``, as "pos:offset" (empty: unknown)."""
        cached = self._senses.get(word)
        if cached is not None:
            return cached
        senses = frozenset(f"{_pos_file(pos)}:{offset}" for lemma, pos in self.base_forms(word)
                           for offset in self._synsets(lemma, pos)[0])
        with self._lock:
            if len(self._senses) >= _CACHE_WORDS:
                self._senses.clear()
            self._senses[word] = senses
        return senses

    def can_be_verb(self, word: str) -> bool:
        """Does WordNet know ``word`` as a verb at all ("finish", "ring", "start")?"""
        return any(pos == "v" for _, pos in self.base_forms(word))

    def is_verb(self, word: str) -> bool:
        """Is ``word`` mostly read as a verb ("expire", "buy", "keep"; not "face", "bill")?"""
        usual = self._commonest(word)
        return usual is not None and usual[1] == "v"


def _kin(word: str, lemma: str) -> bool:
    """``word`` is ``lemma``, or a synonym of it spelt alike ("expiration" / "expiry")."""
    return word == lemma or (len(word) >= _KIN_PREFIX and word[:_KIN_PREFIX] == lemma[:_KIN_PREFIX])


def _pos_file(pos: str) -> str:
    """A pointer's part of speech as the data file that holds it (satellites are adjectives)."""
    return "a" if pos == "s" else pos


def _read_exceptions(path: Path) -> dict[str, tuple[str, ...]]:
    exceptions: dict[str, tuple[str, ...]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        inflected, *bases = line.split()
        if bases:
            exceptions[inflected] = tuple(bases)
    return exceptions


@functools.cache
def lexicon() -> Lexicon:
    """The one read-only :class:`Lexicon` of this process (opened on first use).

    Shared rather than passed around: it is immutable data, like a compiled pattern, and the
    pure ranking functions that need it are called from many places.
    """
    return Lexicon()
