"""The text chunker: pure, synchronous."""

from __future__ import annotations

import itertools

import pytest

from nimbus.watchfolders.passages import Page, chunk_pages, chunk_text

TEXT = " ".join(f"Sentence number {i} talks about topic {i}." for i in range(60))


def test_chunks_respect_size_and_sentence_boundaries() -> None:
    chunks = chunk_text(TEXT, size=200, overlap=0)
    assert len(chunks) > 5
    for chunk in chunks:
        assert len(chunk.text) <= 200
        assert chunk.text.startswith("Sentence number")
        assert chunk.text.endswith(".")
        assert TEXT[chunk.start:chunk.end] == chunk.text


def test_without_overlap_chunks_tile_the_text() -> None:
    chunks = chunk_text(TEXT, size=200, overlap=0)
    rebuilt = " ".join(c.text for c in chunks)
    assert rebuilt == TEXT
    assert [c.index for c in chunks] == list(range(len(chunks)))


def test_overlap_repeats_trailing_sentences() -> None:
    chunks = chunk_text(TEXT, size=200, overlap=80)
    for a, b in itertools.pairwise(chunks):
        assert b.start < a.end, "consecutive chunks share text"
        assert a.end - b.start <= 80
        assert b.start > a.start, "always makes progress"
    assert chunks[-1].end == len(TEXT)


def test_long_sentence_is_cut_at_words_and_huge_word_hard_cut() -> None:
    text = "word " * 300 + "x" * 1000
    chunks = chunk_text(text, size=100, overlap=10)
    assert all(len(c.text) <= 100 for c in chunks)
    assert "".join(c.text for c in chunks if c.text.startswith("x")) == "x" * 1000


def test_offsets_survive_messy_whitespace_and_blank_lines() -> None:
    text = "Title line\n\n  First   paragraph.\tStill first.\n\n\nSecond paragraph here!  "
    chunks = chunk_text(text, size=31, overlap=0)  # size counts source characters
    assert [c.text for c in chunks] == ["Title line", "First paragraph. Still first.",
                                       "Second paragraph here!"]
    for chunk in chunks:
        assert " ".join(text[chunk.start:chunk.end].split()) == chunk.text


def test_pages_keep_numbers_and_never_merge() -> None:
    pages = [Page(number=1, text="Alpha one. Alpha two."), Page(number=2, text=""),
             Page(number=3, text="Gamma.")]
    chunks = chunk_pages(pages, size=512, overlap=64)
    assert [(c.page, c.text) for c in chunks] == [(1, "Alpha one. Alpha two."), (3, "Gamma.")]
    assert [c.index for c in chunks] == [0, 1]


def test_empty_and_invalid() -> None:
    assert chunk_text("   \n\n ", size=100) == []
    with pytest.raises(ValueError, match="overlap"):
        chunk_text("x", size=10, overlap=10)
