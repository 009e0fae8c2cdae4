"""WordNet 3.0 as a local reference book: its database files read once into a SQLite file.

Debian's ``wordnet-base`` package installs Princeton WordNet's database (``data.noun``,
``index.noun``, ``*.exc`` …) under ``/usr/share/wordnet``; ``scripts/setup.sh`` installs it, so
nothing is fetched at run time. :func:`build_index` parses those files (about 5 s on one core)
into ``<state_dir>/reference/wordnet-3.0.sqlite3``:

- ``synsets``: every synset's id, part of speech, lexicographer file (person, location …), its
  words and its gloss (the definition part, without the quoted examples);
- ``words``: each word's synsets per part of speech, most frequent sense first (from
  ``index.*``), for base forms and synonyms;
- ``glosses``: an FTS5 table over the base forms of each noun synset's words and gloss, so a
  question's words find the few synsets worth reading.

:class:`WordNet` answers those three look-ups; the question logic is in ``lookup.py``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

__all__ = ["DEFAULT_DIR", "INDEX_VERSION", "Synset", "WordNet", "build_index", "morph_bases"]

log = logging.getLogger(__name__)

DEFAULT_DIR: Final = Path("/usr/share/wordnet")
INDEX_VERSION: Final = 4
"""Bumped when the index's layout or normalisation changes: an older file is rebuilt."""
_POS_FILES: Final = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
_TOKEN: Final = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_ORDINALS: Final = {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth",
                    "5th": "fifth", "6th": "sixth", "7th": "seventh", "8th": "eighth",
                    "9th": "ninth", "10th": "tenth"}
# WordNet's own detachment rules (morphy): suffix -> replacement, per part of speech.
_DETACH: Final = {
    "n": (("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
          ("men", "man"), ("ies", "y")),
    "v": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""),
          ("ing", "e"), ("ing", "")),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "r": (),
}


@dataclass(frozen=True, slots=True)
class Synset:
    """One WordNet sense: its words (display form, first is the head word) and definition."""

    id: str
    pos: str
    lexname: int
    """The lexicographer file: 15 noun.location, 18 noun.person, 17 noun.object …"""
    words: tuple[str, ...]
    gloss: str
    instance: bool = False
    """One particular thing (Canberra, Neil Armstrong), not a kind of thing (a capital)."""
    hypernyms: tuple[str, ...] = ()
    """The synsets it is a kind or an instance of."""
    antonyms: tuple[str, ...] = ()
    """Its words' direct opposites, "<word number>:<synset id>:<word number there>" (1-based):
    hot's "1:a01247240:1" is cold."""


def tokens(text: str) -> list[str]:
    """Lower-case words ("1st" read as "first", "world's" as "world")."""
    return [_ORDINALS.get(t, t).removesuffix("'s")
            for t in _TOKEN.findall(text.lower().replace("_", " ").replace("\u2019", "'"))]


def morph_bases(word: str, known: dict[str, set[str]]) -> set[str]:
    """The base forms of ``word`` WordNet knows (``known``: pos -> lemmas, with ``exc:`` maps).

    WordNet's morphy: the exception lists first ("geese" -> "goose", "best" -> "good"), then
    the detachment rules, keeping only forms that are words of that part of speech. A word
    WordNet does not know is its own base.
    """
    bases: set[str] = set()
    for pos, lemmas in known.items():
        if pos.startswith("exc:"):
            continue
        if word in lemmas:
            bases.add(word)
        bases.update(known.get(f"exc:{pos}:{word}", ()))
        for suffix, replacement in _DETACH[pos]:
            if word.endswith(suffix) and len(word) > len(suffix) + 1:
                stem = word[: len(word) - len(suffix)] + replacement
                if stem in lemmas:
                    bases.add(stem)
    return bases or {word}


def _read_known(folder: Path) -> dict[str, set[str]]:
    known: dict[str, set[str]] = {}
    for pos, name in _POS_FILES.items():
        lemmas: set[str] = set()
        with (folder / f"index.{name}").open(encoding="latin-1") as index:
            for line in index:
                if not line.startswith(" "):
                    lemmas.add(line.split(" ", 1)[0].lower())
        known[pos] = lemmas
        exceptions = folder / f"{name}.exc"
        if exceptions.exists():
            for line in exceptions.read_text(encoding="latin-1").splitlines():
                form, *bases = line.split()
                known.setdefault(f"exc:{pos}:{form}", set()).update(bases)
    return known


def _parse_data_line(pos: str, line: str) -> Synset | None:
    if line.startswith(" "):  # the licence header
        return None
    head, _, gloss = line.partition(" | ")
    fields = head.split()
    count = int(fields[3], 16)
    words = tuple(re.sub(r"\([a-z]+\)$", "", fields[4 + 2 * i]).replace("_", " ")
                  for i in range(count))
    at = 4 + 2 * count
    pointers = [fields[at + 1 + 4 * i: at + 5 + 4 * i] for i in range(int(fields[at]))]
    hypernyms = tuple(f"{p[2]}{p[1]}" for p in pointers if p[0] in ("@", "@i"))
    antonyms = tuple(f"{int(p[3][:2], 16)}:{'a' if p[2] == 's' else p[2]}{p[1]}:"
                     f"{int(p[3][2:], 16)}" for p in pointers if p[0] == "!")
    definition = ";".join(part for part in gloss.strip().split(";")
                          if not part.strip().startswith('"')).strip()
    return Synset(id=f"{pos}{fields[0]}", pos=pos, lexname=int(fields[1]), words=words,
                  gloss=definition, instance=any(p[0] == "@i" for p in pointers),
                  hypernyms=hypernyms, antonyms=antonyms)


def _synsets(folder: Path) -> Iterator[Synset]:
    for pos, name in _POS_FILES.items():
        with (folder / f"data.{name}").open(encoding="latin-1") as data:
            for line in data:
                synset = _parse_data_line("a" if pos == "a" else pos, line)
                if synset is not None:
                    yield synset


def _senses(folder: Path) -> Iterator[tuple[str, str, str]]:
    """(word, pos, space-separated synset ids, most frequent first) from ``index.*``."""
    for pos, name in _POS_FILES.items():
        with (folder / f"index.{name}").open(encoding="latin-1") as index:
            for line in index:
                if line.startswith(" "):
                    continue
                fields = line.split()
                synset_count = int(fields[2])
                pointer_count = int(fields[3])
                offsets = fields[6 + pointer_count: 6 + pointer_count + synset_count]
                yield (fields[0].lower().replace("_", " "), pos,
                       " ".join(f"{pos}{offset}" for offset in offsets))


def fingerprint(folder: Path) -> str:
    digest = hashlib.sha256(f"v{INDEX_VERSION}".encode())
    for name in sorted(p.name for p in folder.glob("data.*")):
        stat = (folder / name).stat()
        digest.update(f"{name}:{stat.st_size}:{int(stat.st_mtime)}".encode())
    return digest.hexdigest()[:16]


def build_index(folder: Path, target: Path) -> None:
    """Parse WordNet's files under ``folder`` into the SQLite file ``target`` (replaced whole)."""
    known = _read_known(folder)
    cache: dict[str, str] = {}

    def normalised(text: str) -> str:
        out = []
        for token in tokens(text):
            if token not in cache:  # the word itself ("largest") and its bases ("large")
                cache[token] = " ".join(sorted(morph_bases(token, known) | {token}))
            out.append(cache[token])
        return " ".join(out)

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.partial")  # two daemons may build at once
    partial.unlink(missing_ok=True)
    with sqlite3.connect(partial) as db:
        db.executescript(
            "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
            "CREATE TABLE synsets(id TEXT PRIMARY KEY, pos TEXT, lexname INTEGER, words TEXT,"
            " gloss TEXT, instance INTEGER, hypernyms TEXT, antonyms TEXT);"
            "CREATE TABLE words(word TEXT, pos TEXT, synsets TEXT, PRIMARY KEY(word, pos));"
            "CREATE VIRTUAL TABLE glosses USING fts5(id UNINDEXED, text);")
        rows = []
        for synset in _synsets(folder):
            rows.append((synset.id, synset.pos, synset.lexname, "|".join(synset.words),
                         synset.gloss, int(synset.instance), " ".join(synset.hypernyms),
                         " ".join(synset.antonyms)))
            if synset.pos == "n":
                db.execute("INSERT INTO glosses(id, text) VALUES (?, ?)",
                           (synset.id, normalised(" ".join(synset.words) + " " + synset.gloss)))
        db.executemany("INSERT INTO synsets VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.executemany("INSERT OR IGNORE INTO words VALUES (?, ?, ?)", _senses(folder))
        db.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (fingerprint(folder),))
        db.execute("INSERT INTO meta VALUES ('exceptions', ?)", (
            "\n".join(f"{key}={' '.join(sorted(value))}" for key, value in known.items()
                      if key.startswith("exc:")),))
    partial.replace(target)


class WordNet:
    """Read-only look-ups in an index :func:`build_index` wrote (thread-safe, one connection
    per thread)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._local = threading.local()
        db = self._db()
        self._exceptions: dict[str, set[str]] = {}
        row = db.execute("SELECT value FROM meta WHERE key = 'exceptions'").fetchone()
        for line in (row[0] if row else "").splitlines():
            key, _, value = line.partition("=")
            self._exceptions[key] = set(value.split())
        self._bases: dict[str, set[str]] = {}
        self._forms: dict[str, set[str]] = {}
        for key, bases in self._exceptions.items():  # "exc:n:mice" -> {"mouse"}
            _, pos, form = key.split(":", 2)
            for base in bases:
                self._forms.setdefault(f"{pos}:{base}", set()).add(form)

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True,
                                 check_same_thread=False)
            self._local.db = db
        return db

    def is_current(self, folder: Path) -> bool:
        row = self._db().execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        return bool(row) and row[0] == fingerprint(folder)

    def bases(self, word: str) -> set[str]:
        """WordNet's base forms of ``word`` (morphy), as the index stored the glosses'."""
        if word not in self._bases:
            bases: set[str] = set()
            for pos, detach in _DETACH.items():
                if self.senses(word, pos):
                    bases.add(word)
                bases.update(self._exceptions.get(f"exc:{pos}:{word}", ()))
                for suffix, replacement in detach:
                    if word.endswith(suffix) and len(word) > len(suffix) + 1:
                        stem = word[: len(word) - len(suffix)] + replacement
                        if self.senses(stem, pos):
                            bases.add(stem)
            self._bases[word] = bases or {word}
        return self._bases[word]

    def irregular_forms(self, word: str, pos: str) -> set[str]:
        """The inflected forms WordNet lists as exceptions for ``word`` ("mouse" -> "mice";
        "swim" -> "swam", "swum", "swimming")."""
        return set(self._forms.get(f"{pos}:{word}", ()))

    def senses(self, word: str, pos: str) -> list[str]:
        row = self._db().execute("SELECT synsets FROM words WHERE word = ? AND pos = ?",
                                 (word, pos)).fetchone()
        return row[0].split() if row else []

    def synsets(self, ids: Iterable[str]) -> list[Synset]:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        found = {row[0]: Synset(id=row[0], pos=row[1], lexname=row[2],
                                words=tuple(row[3].split("|")), gloss=row[4],
                                instance=bool(row[5]), hypernyms=tuple(row[6].split()),
                                antonyms=tuple(row[7].split()))
                 for row in self._db().execute(
                     "SELECT id, pos, lexname, words, gloss, instance, hypernyms, antonyms"
                     f" FROM synsets WHERE id IN ({marks})", wanted)}
        return [found[i] for i in wanted if i in found]

    def in_definitions(self, word: str) -> bool:
        """Does ``word`` occur in any noun definition (a sign that a form is in use)?"""
        if not re.fullmatch(r"[a-z]+", word):
            return False
        return self._db().execute("SELECT 1 FROM glosses WHERE glosses MATCH ? LIMIT 1",
                                  (f'"{word}"',)).fetchone() is not None

    def search(self, base_words: Sequence[str], limit: int = 60) -> list[str]:
        """Noun synsets whose words and gloss hold the most of ``base_words`` (BM25)."""
        terms = [w for w in dict.fromkeys(base_words) if re.fullmatch(r"[a-z0-9]+", w)]
        if not terms:
            return []
        query = " OR ".join(f'"{term}"' for term in terms)
        return [row[0] for row in self._db().execute(
            "SELECT id FROM glosses WHERE glosses MATCH ? ORDER BY bm25(glosses) LIMIT ?",
            (query, limit))]
