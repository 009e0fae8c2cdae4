"""The sentence chunker: pure and clock-free, tested synchronously on streamed text."""

from __future__ import annotations

import pytest

from nimbus.handlers.speaking.sentences import SentenceChunker, clean_text


def stream(text: str, step: int = 3, **options: int) -> tuple[list[str], list[str]]:
    """Feed ``text`` in ``step``-character deltas: (chunks cut while streaming, chunks at flush)."""
    chunker = SentenceChunker(**options)
    cut: list[str] = []
    for i in range(0, len(text), step):
        cut += chunker.push(text[i : i + step])
    return cut, chunker.flush()


def chunks(text: str, step: int = 3, **options: int) -> list[str]:
    cut, flushed = stream(text, step, **options)
    return cut + flushed


@pytest.mark.parametrize("step", [1, 2, 3, 7, 1000])
def test_abbreviations_decimals_and_times_do_not_end_sentences(step: int) -> None:
    text = ("Dr. Smith met Mr. Jones at 10:30 today. The value of pi is 3.14, roughly. "
            "We went to the U.S. last year. Use e.g. apples or i.e. pears. It was great!")
    assert chunks(text, step) == [
        "Dr. Smith met Mr. Jones at 10:30 today.",
        "The value of pi is 3.14, roughly.",
        "We went to the U.S. last year.",
        "Use e.g. apples or i.e. pears.",
        "It was great!",
    ]


def test_ellipses_quotes_and_initials() -> None:
    assert chunks("Well... I think so. Hmm... maybe not.") == [
        "Well...", "I think so.", "Hmm... maybe not."]
    assert chunks('He said "Go home." Then he left.') == ['He said "Go home."', "Then he left."]
    assert chunks("J. R. R. Tolkien wrote it. Yes.") == ["J. R. R. Tolkien wrote it.", "Yes."]


def test_lists_newlines_and_headings() -> None:
    assert chunks("Steps:\n1. Open the box.\n2. Take the item.\n3. Close it.") == [
        "Steps:", "Open the box.", "Take the item.", "Close it."]
    assert chunks("# Title\n- item one\n- item two") == ["Title", "item one", "item two"]
    assert chunks("Line one\nLine two\n\n\nLine three") == ["Line one", "Line two", "Line three"]


def test_what_is_not_read_aloud_is_stripped() -> None:
    text = ("Here is **bold** and _italic_ text. See https://example.com/x?y=1. Done 😀! "
            "(smiles) Okay. Read [the docs](http://docs.example) now.")
    assert chunks(text) == ["Here is bold and italic text.", "See a link.", "Done!", "Okay.",
                            "Read the docs now."]


def test_code_fences_are_skipped_even_when_split_across_deltas() -> None:
    text = "Code:\n```python\nprint('hi. there')\n```\nThat is all."
    for step in (1, 2, 4, 100):
        assert chunks(text, step) == ["Code:", "That is all."], step


def test_first_chunk_is_cut_early_at_a_clause_later_ones_are_sentences() -> None:
    text = ("Sure, I can help you with that question about the weather, since it matters, "
            "and more. Another clause, with a comma, stays whole.")
    got = chunks(text)
    assert got[0] == "Sure, I can help you with that question about the weather,"  # >= 20 chars
    assert got[1:] == ["since it matters, and more.",
                       "Another clause, with a comma, stays whole."]
    # The first chunk is ready as soon as the clause boundary and the next space arrive.
    chunker = SentenceChunker(first_min_chars=20)
    assert chunker.push("Sure, I can help you with that question about the weather,") == []
    assert chunker.push(" ") == ["Sure, I can help you with that question about the weather,"]


def test_nothing_is_emitted_before_the_next_character_is_known() -> None:
    chunker = SentenceChunker()
    assert chunker.push("It costs 3.") == []  # could be 3.14
    assert chunker.push("14 dollars. And") == ["It costs 3.14 dollars."]
    assert chunker.flush() == ["And"]


def test_flush_at_end_and_reset() -> None:
    cut, flushed = stream("No terminator at the end")
    assert (cut, flushed) == ([], ["No terminator at the end"])
    chunker = SentenceChunker()
    chunker.push("Half a sent")
    chunker.reset()
    assert chunker.flush() == []


def test_run_on_text_is_cut_at_word_boundaries_below_max_chars() -> None:
    text = "word " * 400
    got = chunks(text, step=50, max_chars=300)
    assert len(got) > 5
    assert all(len(c) <= 300 for c in got)
    assert " ".join(got).split() == text.split()


@pytest.mark.parametrize("text", ["", "!!! ???", "😀🎉👍", "(laughs)", "```\ncode only\n```",
                                  "...", "* - #"])
def test_nothing_speakable_gives_no_chunks(text: str) -> None:
    assert chunks(text) == []
    if "```" not in text:  # fences are the chunker's job (they span deltas), not clean_text's
        assert clean_text(text) == ""


def test_cjk_sentences_are_cut_at_full_stops() -> None:
    assert chunks("你好。今天天气很好！") == ["你好。", "今天天气很好！"]  # noqa: RUF001


def test_bad_options() -> None:
    with pytest.raises(ValueError, match="first_min_chars"):
        SentenceChunker(first_min_chars=0)


@pytest.mark.parametrize("step", [1, 3, 7])
def test_a_long_first_sentence_without_a_clause_is_cut_after_a_few_words(step: int) -> None:
    text = ("The head gardener of the garden keeps the tools in the shed behind the beds. "
            "The volunteers water the beds every morning before the heat of the day comes.")
    got = chunks(text, step, first_max_words=5)
    # Word 5 is "the": the cut moves on to the next word that can end a piece.
    assert got == ["The head gardener of the garden",
                   "keeps the tools in the shed behind the beds.",
                   "The volunteers water the beds every morning before the heat of the day comes."]
    # Off, a sentence that ends sooner, or text that arrives whole: whole sentences.
    assert chunks(text, 1000, first_max_words=5)[0] == (
        "The head gardener of the garden keeps the tools in the shed behind the beds.")
    assert chunks(text, step, first_max_words=0)[0] == (
        "The head gardener of the garden keeps the tools in the shed behind the beds.")
    assert chunks("Paris is the capital. Yes.", step, first_max_words=6) == [
        "Paris is the capital.", "Yes."]


def test_the_words_cut_waits_until_the_word_is_whole() -> None:
    chunker = SentenceChunker(first_max_words=4, first_min_chars=5)
    assert chunker.push("Nimbus answers every quest") == []  # "quest" may grow
    assert chunker.push("ion right") == ["Nimbus answers every question"]
    assert chunker.flush() == ["right"]
