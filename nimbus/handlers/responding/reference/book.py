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
import sys
import threading
from pathlib import Path

from nimbus.daemon.events import Grounding, Source
from nimbus.handlers.responding.reference.kinds import answer_by_kind, asks_which_kind, is_a
from nimbus.handlers.responding.reference.lookup import (
    Glossary,
    ReferenceAnswer,
    answer_from_reference,
)
from nimbus.handlers.responding.reference.wordnet import (
    DEFAULT_DIR,
    WordNet,
    build_index,
    fingerprint,
    tokens,
)

__all__ = ["ReferenceBook", "answer", "cache_folder", "reference_grounding"]

log = logging.getLogger(__name__)

SOURCE: str = "WordNet 3.0"


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nimbus"


def reference_grounding(answer: ReferenceAnswer) -> Grounding:
    """``general``, with the definition that was read as its one piece of evidence."""
    return Grounding(status="general", supported=answer.matched, evidence=(Source(
        path=f"{SOURCE}: {answer.synset.words[0]}", page=None, score=1.0,
        text=answer.synset.gloss[:400]),))


def answer(question: str, book: Glossary) -> ReferenceAnswer | None:
    """The reference's answer: "which continent is Kenya in" read off Kenya's definition, any
    other question from the definition that holds its words, of the kind asked for (is-a, or
    named so in the definition's first words: carbon dioxide is "a … colorless gas")."""
    which = asks_which_kind(question)
    if which is not None and which[1]:
        return answer_by_kind(question, book)
    kind = which[0] if which is not None and book.senses(which[0], "n") else None
    if kind is None:
        return answer_from_reference(question, book)
    return answer_from_reference(question, book, kind_word=kind, fits=lambda synset: is_a(
        synset, kind, book) or kind in tokens(synset.gloss)[:6])


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

    def answer(self, question: str) -> ReferenceAnswer | None:
        """The definition that answers ``question`` (None: none, or the index is not ready)."""
        if self._wordnet is None:
            return None
        try:
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
