"""The confidence gate for general answers: facts are spoken only when the model was sure. Pure."""

from __future__ import annotations

import math

from nimbus.handlers.responding.confidence import NOT_SURE, ConfidenceGate, asks_for_fiction

SURE = math.log(0.95)
UNSURE = math.log(0.2)


def _feed(gate: ConfidenceGate, pieces: list[tuple[str, float | None]]) -> list[str]:
    out: list[str] = []
    for text, logprob in pieces:
        out += gate.push(text, logprob)
    return out + gate.finish()


def test_a_sure_fact_is_spoken_and_an_unsure_one_stops_the_answer() -> None:
    gate = ConfidenceGate("Who wrote Pride and Prejudice?", 0.5, max_sentences=3)
    out = _feed(gate, [("Jane", SURE), (" Austen", SURE), (" wrote", SURE), (" it.", SURE),
                       (" It was published in", SURE), (" 18", SURE), ("12", UNSURE),
                       (".", SURE), (" She lived in Bath.", SURE)])
    assert out == ["Jane Austen wrote it. "]
    grounding = gate.grounding()
    assert grounding.status == "general"
    assert set(grounding.supported) >= {"Jane", "Austen"}
    assert grounding.unsupported == ("1812",)
    assert grounding.withheld == ("It was published in 1812.",)


def test_nothing_sure_is_declined() -> None:
    gate = ConfidenceGate("When did the Eiffel Tower open?", 0.5)
    out = _feed(gate, [("It opened in", SURE), (" 1887", UNSURE), (".", SURE)])
    assert out == [NOT_SURE]
    assert gate.grounding().status == "declined"


def test_items_the_question_gave_are_not_claims_and_plain_sentences_pass() -> None:
    gate = ConfidenceGate("Is Paris in France?", 0.5)
    out = _feed(gate, [("Yes", SURE), (", Paris", UNSURE), (" is in France", UNSURE),
                       (".", SURE)])
    assert out == ["Yes, Paris is in France. "]


def test_no_token_probabilities_means_no_fact_is_trusted() -> None:
    gate = ConfidenceGate("How many legs does a spider have?", 0.5)
    out = _feed(gate, [("A spider has eight legs.", None)])
    assert out == [NOT_SURE]


def test_sentence_limit() -> None:
    gate = ConfidenceGate("Tell me about cats.", 0.5, max_sentences=1)
    out = _feed(gate, [("Cats are pets. ", SURE), ("They purr.", SURE)])
    assert out == ["Cats are pets. "]


def test_a_plain_word_the_model_was_unsure_of_is_withheld_too() -> None:
    gate = ConfidenceGate("What's the fastest land animal?", 0.6)
    out = _feed(gate, [("The fastest land animal is the", SURE), (" kangaroo", UNSURE),
                       (".", SURE)])
    assert out == [NOT_SURE]
    assert gate.grounding().unsupported == ("kangaroo",)


def test_a_sentence_that_only_repeats_the_question_is_no_answer() -> None:
    gate = ConfidenceGate("what's the capital of italy", 0.6)
    assert _feed(gate, [("Italy is the capital of Italy.", SURE)]) == [NOT_SURE]


def test_a_story_or_a_joke_asked_for_is_fiction_not_a_claim() -> None:
    assert asks_for_fiction("Tell me a long story about a dragon who lived in a cave.")
    assert asks_for_fiction("Nimbus, tell me a joke")
    assert asks_for_fiction("could you write a short poem about rain")
    assert not asks_for_fiction("Who wrote the story of Peter Rabbit?")
    assert not asks_for_fiction("Tell me about the Eiffel Tower.")


def test_without_general_numbers_a_sure_number_is_still_withheld() -> None:
    """``llm.general_numbers = false`` (the default): the shipped model wrote "Water freezes at
    0°F." with every token sure; its numbers are not spoken, however sure."""
    gate = ConfidenceGate("What temperature does water freeze at in Fahrenheit?", 0.6,
                          no_numbers=True)
    out = _feed(gate, [("Water freezes at", SURE), (" 0", SURE), ("°F.", SURE)])
    assert out == [NOT_SURE]
    assert gate.grounding().status == "declined"
    assert "0" in "".join(gate.grounding().unsupported)


def test_a_sure_sentence_the_reference_book_does_not_say_is_withheld() -> None:
    said: list[str] = []

    def book_says(sentence: str) -> bool:  # stands in for the reference book's look-up
        said.append(sentence)
        return "honey" in sentence

    gate = ConfidenceGate("What do wasps make?", 0.5, corroborate=book_says)
    assert _feed(gate, [("Wasps make", SURE), (" paper nests.", SURE)]) == [NOT_SURE]
    assert gate.grounding().unsupported == ("(not in the reference book)",)
    gate = ConfidenceGate("What do bees make?", 0.5, corroborate=book_says)
    assert _feed(gate, [("Bees make", SURE), (" honey.", SURE)]) == ["Bees make honey. "]
    assert said == ["Wasps make paper nests.", "Bees make honey."]
