"""Questions about words themselves, from WordNet's exception lists and antonym pointers."""

from __future__ import annotations

import pytest

from nimbus.handlers.responding.reference.book import answer
from nimbus.handlers.responding.reference.grammar import Undecided, answer_about_word
from nimbus.handlers.responding.reference.wordnet import WordNet


@pytest.mark.parametrize(("question", "said"), [
    ("What's the plural of goose?", "The plural of goose is geese."),
    ("what is the plural of brother", "The plural of brother is brothers or brethren."),
    ("whats the past tense of sing", "The past tense of sing is sang; its past participle is "
                                     "sung."),
    ("what's the past tense of teach", "The past tense of teach is taught."),
    ("what's the past tense of jump", "The past tense of jump is jumped."),
    ("what is the past tense of hop", "The past tense of hop is hopped."),
    ("what's the past participle of take", "The past participle of take is taken."),
    ("what's the opposite of cold", "The opposite of cold is hot."),
    ("what is the opposite of tall", "The opposite of tall is short."),
    ("What's the proper name for the kneecap?", "Another name for kneecap is patella or "
                                                "kneepan."),
    ("what does DNA stand for", "DNA stands for deoxyribonucleic acid."),
    ("what does nasa stand for", "NASA stands for National Aeronautics and Space Administration."),
    ("what is the scientific name for a polar bear",
     "Another name for polar bear is Ursus Maritimus, Thalarctos maritimus or ice bear."),
])
def test_word_questions_are_read_from_the_lists(wordnet: WordNet, question: str,
                                                said: str) -> None:
    found = answer(question, wordnet)
    assert found is not None
    assert found.text == said


@pytest.mark.parametrize("question", [
    "what is the opposite of ancient",  # no direct antonym: once "boustrophedon"
    "what's the plural of sheep",       # no irregular plural listed: the rule would say sheeps
    "what's the past tense of put",     # the same form: the rule would say putted
    "what's the past tense of visit",   # ends in t: not sure of the rule
    "what's a synonym for happy",
    "how do you say thank you in german",
    "what's the proper name for an owlet",  # one word in its sense: no other name
    "what does pin stand for",  # "PIN" is listed alone, with no words it is short for
    "what does it stand for",   # a pronoun: not "information technology"
])
def test_a_word_question_the_lists_cannot_answer_is_declined_not_looked_up(
        wordnet: WordNet, question: str) -> None:
    assert isinstance(answer_about_word(question, wordnet), Undecided)
    assert answer(question, wordnet) is None


def test_other_questions_are_not_word_questions(wordnet: WordNet) -> None:
    assert answer_about_word("what is the capital of france", wordnet) is None
