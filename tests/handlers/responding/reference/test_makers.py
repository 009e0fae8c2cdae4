"""Who made a work, and what a maker makes, read off the made thing's own definition in the
real WordNet 3.0."""

from __future__ import annotations

import pytest

from nimbus.handlers.responding.reference.book import answer
from nimbus.handlers.responding.reference.makers import answer_what_they_make, answer_who_made
from nimbus.handlers.responding.reference.wordnet import WordNet


@pytest.mark.parametrize(("question", "said"), [
    ("who composed the messiah", "Messiah is an oratorio composed by Handel."),
    ("Who wrote Hamlet?", "Hamlet is the hero of William Shakespeare's tragedy."),
    ("who wrote dracula", "Dracula: fictional vampire in a gothic horror novel by Bram Stoker."),
    ("who wrote tom sawyer", "Tom Sawyer is the boy hero of a novel by Mark Twain."),
])
def test_the_work_names_its_maker(wordnet: WordNet, question: str, said: str) -> None:
    found = answer(question, wordnet)
    assert found is not None, question
    assert found.text == said


def test_a_work_read_with_its_own_characters_names_one_maker(wordnet: WordNet) -> None:
    # The monster is "created by Frankenstein" (the scientist, the work's own name) "in a
    # gothic novel by Mary Wollstonecraft Shelley": Shelley, not Frankenstein, made it.
    found = answer_who_made("who wrote frankenstein", wordnet)
    assert found is not None
    assert "Mary Wollstonecraft Shelley" in found.text


@pytest.mark.parametrize("question", [
    "who painted the sistine chapel",  # "built by … Sixtus IV" says who built it
    "who wrote the bible",             # no definition names one writer
    "who composed hamlet",             # a tragedy is written, not composed
    "who wrote the hobbit",            # a hobbit is a kind of being: no work is named
])
def test_a_maker_of_another_kind_or_none_is_not_said(wordnet: WordNet, question: str) -> None:
    assert answer_who_made(question, wordnet) is None


@pytest.mark.parametrize("question", [
    "who wrote the song", "who composed the music", "who built the house",  # the one in mind
    "what do people make",  # people are no one maker of one product
])
def test_one_thing_the_listener_has_in_mind_is_not_looked_up(wordnet: WordNet,
                                                            question: str) -> None:
    assert answer(question, wordnet) is None  # once "Irving Berlin wrote more than 1500 songs"


@pytest.mark.parametrize(("question", "said"), [
    ("what do bees make", "Honey: a sweet yellow liquid produced by bees."),
    ("what sound does a cow make", "Moo: the sound made by a cow or bull."),
    ("what noise does a sheep make", "Baa: the cry made by sheep."),
])
def test_what_a_maker_makes_is_read_off_what_it_made(wordnet: WordNet, question: str,
                                                    said: str) -> None:
    found = answer(question, wordnet)
    assert found is not None, question
    assert found.text == said


def test_a_sound_is_not_what_an_animal_makes(wordnet: WordNet) -> None:
    # "what do cows make" asks for a product: "moo: the sound made by a cow" is not one
    assert answer_what_they_make("what do cows make", wordnet) is None
