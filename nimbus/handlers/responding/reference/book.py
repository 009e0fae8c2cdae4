"""The reference book a responder looks general questions up in: WordNet, indexed once.

The index is built on first need, on a worker thread, into the user's cache folder
(``$XDG_CACHE_HOME/nimbus``, else ``~/.cache/nimbus``), named by the database files'
fingerprint: every daemon and test on the machine shares one file, and ``scripts/setup.sh``
builds it ahead (``python -m nimbus.handlers.responding.reference.book``). Until it is ready a
general question goes to the model as before, so start-up never waits for it.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from nimbus.daemon.events import Grounding, Source
from nimbus.handlers.responding.grounding import BODILY
from nimbus.handlers.responding.reference.arithmetic import answer_sum
from nimbus.handlers.responding.reference.corroborate import corroborated
from nimbus.handlers.responding.reference.countries import answer_country_fact
from nimbus.handlers.responding.reference.elsewhere import answer_year_elsewhere
from nimbus.handlers.responding.reference.forms import answer_by_form
from nimbus.handlers.responding.reference.grammar import WordBook, answer_about_word
from nimbus.handlers.responding.reference.kinds import (
    answer_by_kind,
    asks_which_kind,
    fronted,
    is_a,
    kind_in,
    kind_of_named,
    regnal,
    where_from,
)
from nimbus.handlers.responding.reference.lookup import (
    ReferenceAnswer,
    answer_from_reference,
)
from nimbus.handlers.responding.reference.makers import answer_what_they_make, answer_who_made
from nimbus.handlers.responding.reference.units import answer_conversion, answer_water_point
from nimbus.handlers.responding.reference.wordnet import (
    DEFAULT_DIR,
    WordNet,
    build_index,
    fingerprint,
    tokens,
)

__all__ = ["Computed", "Found", "ReferenceBook", "answer", "cache_folder", "computed",
           "reference_grounding"]

log = logging.getLogger(__name__)

SOURCE: str = "WordNet 3.0"
_PERSONAL: Final = re.compile(
    r"\b(?:mine|ours|yours)\b|\b(?:my|your|our)\b(?! (?:solar system|planet|galaxy|sun|moon|"
    r"world|universe|earth|bodies|body|bones?|heart|brain|skin|blood|teeth|eyes?|ears?)\b)"
    r"|^\W*what(?:'s|s| is) on\b"
    r"|\b(?:did|have|had|was|am|do|should|can) (?:i|we)\b(?! (?:call|say|spell|write|pronounce|"
    rf"convert)\b| (?:need to |have to |all )?{BODILY}\b)|\b(?:i'm|i've|we're|we've|me|us)\b",
    re.IGNORECASE)
"""The household's own things ("my", "our car", "what's on the list"), not "our solar system"."""


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nimbus"


@dataclass(frozen=True, slots=True)
class Computed:
    """An answer worked out rather than read: a sum, a unit conversion, a country's currency."""

    text: str
    source: str
    """What it was worked out from ("arithmetic", "unit definitions", "Unicode CLDR")."""
    detail: str


Found = ReferenceAnswer | Computed


def computed(question: str) -> Computed | None:
    """A sum, a unit conversion or a country's currency or languages: no index needed."""
    if (worked := answer_sum(question)) is not None:
        return Computed(worked.text, "arithmetic", worked.detail)
    if (converted := answer_conversion(question)) is not None:
        return Computed(converted.text, "unit definitions", converted.detail)
    if (water := answer_water_point(question)) is not None:
        return Computed(water.text, "unit definitions", water.detail)
    if (fact := answer_country_fact(question)) is not None:
        return Computed(fact.text, "Unicode CLDR (Babel)", fact.detail)
    return None


def reference_grounding(answer: Found) -> Grounding:
    """``general``, with the definition that was read (or what was computed) as its one piece
    of evidence."""
    if isinstance(answer, Computed):
        return Grounding(status="general", supported=(answer.source,), evidence=(Source(
            path=answer.source, page=None, score=1.0, text=answer.detail[:400]),))
    return Grounding(status="general", supported=answer.matched, evidence=(Source(
        path=f"{SOURCE}: {answer.synset.words[0]}", page=None, score=1.0,
        text=answer.synset.gloss[:400]),))


def answer(question: str, book: WordBook) -> ReferenceAnswer | None:
    """The reference's answer: "which continent is Kenya in" read off Kenya's definition, any
    other question from the definition that holds its words, of the kind asked for (is-a, or
    named so in the definition's first words: carbon dioxide is "a … colorless gas")."""
    question = regnal(fronted(question))  # "acorns come from which tree", "henry the eighth"
    if _PERSONAL.search(question):
        return None  # "what's on the shopping list", "what's our dog called": the household's
    owner = re.search(r"\bthe ([a-z]+)'s\b", question.lower())
    if owner and not any(s.instance for s in book.synsets(book.senses(owner.group(1), "n")[:1])):
        return None  # "who was the king's first wife": a king the asker has in mind
    about_word = answer_about_word(question, book)  # "the plural of mouse": never a definition
    if about_word is not None:
        return about_word if isinstance(about_word, ReferenceAnswer) else None
    if (by_form := answer_by_form(question, book)) is not None:
        return by_form
    if (placed := where_from(question, book) or kind_in(question, book)) is not None:
        return placed  # "where do polar bears live", "what's the main herb in pesto"
    if (made := answer_who_made(question, book) or answer_what_they_make(question, book)) \
            is not None:
        return made
    if _MEASURED_IN.search(question.lower()):  # "what is power measured in": only a unit
        # answers (not "solar energy", whose other name "solar power" holds the words)
        return answer_from_reference(question, book, kind_word="unit", fits=lambda synset: is_a(
            synset, "unit of measurement", book) or "unit" in tokens(synset.gloss)[:4])
    which = asks_which_kind(question)
    if which is not None and which[1]:
        return answer_by_kind(question, book)
    named = kind_of_named(question, book)
    if named is not None:
        return named if isinstance(named, ReferenceAnswer) else None  # its own, or nothing
    kind = which[0] if which is not None and book.senses(which[0], "n") else None
    if kind is None:
        return answer_from_reference(question, book) or answer_year_elsewhere(question, book)
    return answer_from_reference(question, book, kind_word=kind, fits=lambda synset: is_a(
        synset, kind, book) or kind in tokens(synset.gloss)[:6])


_MEASURED_IN: Final = re.compile(r"\bmeasured in\b|\b(?:what|which) units?\b|\bunits? of\b")


class ReferenceBook:
    """WordNet's database folder, its index (built once, off the event loop) and look-ups."""

    def __init__(self, folder: str | Path, cache: Path | None = None) -> None:
        self.folder = Path(folder)
        self._cache = cache or cache_folder()
        self._wordnet: WordNet | None = None
        self._lock = threading.Lock()
        self.problem = ""
        """Why there is no reference book ("" while it is fine or not yet opened)."""

    @property
    def ready(self) -> bool:
        return self._wordnet is not None

    def index_path(self) -> Path:
        return self._cache / f"wordnet-{fingerprint(self.folder)}.sqlite3"

    def open(self) -> bool:
        """Open the index, building it first if this machine has none (blocking: a thread)."""
        with self._lock:
            if self._wordnet is not None:
                return True
            if not (self.folder / "data.noun").exists():
                self.problem = (f"no WordNet database in {self.folder} (Debian package "
                                "wordnet-base; scripts/setup.sh installs it)")
                return False
            try:
                path = self.index_path()
                if not path.exists():
                    log.info("building the reference index", extra={"path": str(path)})
                    build_index(self.folder, path)
                self._wordnet = WordNet(path)
            except Exception as exc:  # a broken cache folder must not stop the daemon
                self.problem = f"the WordNet index failed: {type(exc).__name__}: {exc}"
                log.exception("reference index failed")
                return False
            return True

    def corroborator(self, question: str) -> Callable[[str], bool]:
        """For the model's sentences about ``question``: does the book say the same? (False
        while the index is not ready: the model alone is not believed.)"""
        def check(sentence: str) -> bool:
            if self._wordnet is None:
                return False
            try:
                return corroborated(question, sentence, self._wordnet)
            except Exception:
                log.exception("corroboration failed")
                return False
        return check

    def answer(self, question: str) -> Found | None:
        """What answers ``question``: a computed answer, else the definition that does (None:
        none, or the index is not ready)."""
        try:
            if (worked := computed(question)) is not None:
                return worked
            if self._wordnet is None:
                return None
            return answer(question, self._wordnet)
        except Exception:
            log.exception("reference look-up failed")
            return None


def main(argv: list[str]) -> int:
    """Build the default index ahead (setup): ``python -m …reference.book [FOLDER]``."""
    book = ReferenceBook(argv[0] if argv else DEFAULT_DIR)
    if not book.open():
        print(f"!! {book.problem}", file=sys.stderr)
        return 1
    print(f"reference index: {book.index_path()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
