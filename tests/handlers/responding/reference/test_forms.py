"""Questions read off one part of one real WordNet definition: a young animal's name, what a
thing is made of, the years of a war or a life, and which river or country a place is on/in."""

from __future__ import annotations

import pytest

from nimbus.handlers.responding.reference.book import answer
from nimbus.handlers.responding.reference.wordnet import WordNet


@pytest.mark.parametrize(("question", "said"), [
    ("what do you call a baby goose", "A baby goose is called a gosling."),
    ("what's a baby deer called", "A baby deer is called a fawn."),
    ("what is a young hare called", "leveret"),  # "… especially one in its first year"
    ("whats hummus made of", "Hummus is made from mashed chickpeas"),
    ("when did the korean war end", "The Korean War ended in 1953"),
    ("when was charles darwin born", "Charles Darwin was born in 1809."),
    ("when did mozart die", "Wolfgang Amadeus Mozart died in 1791."),
    ("when was the battle of waterloo", "The Battle of Waterloo was in 1815."),
    ("which river runs through london", "London: located on the Thames"),
    ("what's the chemical symbol for silver", "The chemical symbol for silver is Ag."),
    ("what is the atomic number of oxygen", "The atomic number of oxygen is 8."),
    ("how do you spell separate", "Separate is spelt S, E, P, A, R, A, T, E."),
    ("what does gigantic mean", "Gigantic: "),  # an adjective's definition
    ("where is the danube", "Danube: "),  # the clause that places it, not "the 2nd longest"
    ("who wrote the iliad", "Homer"),
    ("what's the longest bone in your body", "Femur"),  # "… of the human skeleton"
    ("what fruit are prunes", "Prune: dried plum"),  # the prune's own definition names a fruit
    ("what country is mount kilimanjaro in", "Tanzania"),
])
def test_a_question_read_off_one_part_of_a_definition(wordnet: WordNet, question: str,
                                                      said: str) -> None:
    found = answer(question, wordnet)
    assert found is not None, question
    assert said.lower() in found.text.lower(), (question, found.text)


@pytest.mark.parametrize("question", [
    "which river runs through cairo",  # Cairo in Egypt and in Illinois: which one is not known
    "what do you call a baby kangaroo",  # WordNet has no joey
    "when did queen victoria die in the film",  # not a question of this form
    "what's on the shopping list", "what is our dog made of",  # the household's own things
    "how do you spell blorptastic",  # no word the book knows: perhaps misheard
    "where did we leave the car",  # the household's own: not "a lot where cars are parked"
    "what is the largest animal",  # "largest carnivorous land animals" is narrower
    "what does the heart pump",  # "heart failure: inability of the heart to pump …"
    "where is the kettle",  # not a place: WordNet's kettle says nothing of this kitchen
    "what's the most spoken language",  # "spoken by most Haitians" is not that
    "what's the capital of korea",  # "capital of North Korea": North Korea is not Korea
    "what is the capital of jersey",  # Trenton is "the capital of New Jersey"
    "what's a male duck called",  # "male wood duck" is narrower; the drake's is spread out
    "who discovered america",  # "led the expedition … that discovered": the expedition did
    "what temperature does water boil at",  # steam's "boiling temperature" has no number
])
def test_what_one_definition_cannot_say_for_sure_is_left_alone(wordnet: WordNet,
                                                               question: str) -> None:
    assert answer(question, wordnet) is None


def test_the_models_sentence_is_kept_only_when_one_clause_of_the_book_says_it(
        wordnet: WordNet) -> None:
    from nimbus.handlers.responding.reference.corroborate import corroborated  # noqa: PLC0415

    assert corroborated("what does a silkworm make", "A silkworm makes silk.", wordnet)
    assert not corroborated("what is the capital of australia",  # Sydney is "state capital"
                            "The capital of Australia is Sydney.", wordnet)
    assert not corroborated("what is the fastest land animal",
                            "The fastest land animal is the kangaroo.", wordnet)
    assert not corroborated("who wrote hamlet", "Who wrote Hamlet?", wordnet)  # adds nothing
