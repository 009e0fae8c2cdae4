"""The machine's shared WordNet index, for every reference test."""

from __future__ import annotations

import pytest

from nimbus.handlers.responding.reference.book import ReferenceBook
from nimbus.handlers.responding.reference.wordnet import DEFAULT_DIR, WordNet


@pytest.fixture(scope="session")
def wordnet() -> WordNet:
    book = ReferenceBook(DEFAULT_DIR)  # the machine's shared index (setup builds it)
    assert book.open(), book.problem
    return WordNet(book.index_path())
