"""Everyday questions in new words, recognised by meaning with the shipped embedding model."""

from __future__ import annotations

import pytest

from nimbus.daemon.events import Command
from nimbus.handlers.responding.intents.rules import match_intent
from nimbus.handlers.responding.intents.semantic import SemanticIntents, decide, meant_intent
from nimbus.watchfolders.embedder import Embedder


@pytest.fixture(scope="module")
def meaning(embedder: Embedder) -> SemanticIntents:
    return SemanticIntents(embedder.embed, min_similarity=0.7, margin=0.1)


@pytest.mark.parametrize(("said", "intent"), [
    ("could i possibly know the time", "time"),
    ("what does your clock read", "time"),
    ("which weekday is it", "weekday"),
    ("day of the week please", "weekday"),
    ("what is the day of the month", "date"),  # ("which day of the month is it": a rule now)
    ("is your day going well", "how_are_you"),
    ("could i get the time", "time"),
    ("right i'll be off then", "goodbye"),
])
def test_new_wordings_of_everyday_questions_are_claimed(meaning: SemanticIntents, said: str,
                                                        intent: str) -> None:
    assert match_intent(said) is None, "a wording the rules already know proves nothing here"
    found = meaning.claim(said)
    assert found is not None
    assert found.name == intent, found


@pytest.mark.parametrize("said", [
    "what time do the kids finish school",   # the household's own plans
    "what day is my hair appointment",
    "what's on my calendar today",
    "what day of the week was i born",
    "what's the time difference with new york",  # the world
    "how many days until christmas",
    "how do you say goodbye in french",
    "what does repeat mean",
    "what's the capital of peru",
    "can you tell me a joke",
    "when is the dentist",
    "which night is pizza night",  # a question, not a goodnight (found by the documents work)
])
def test_look_alikes_about_something_else_are_left_to_the_responder(
        meaning: SemanticIntents, said: str) -> None:
    assert meaning.claim(said) is None


def test_a_day_question_keeps_its_day_and_the_event_carries_the_command(
        meaning: SemanticIntents) -> None:
    command = Command(text="Which weekday will it be tomorrow?", site="kitchen")
    intent = meant_intent(meaning, command)
    assert intent is not None
    assert (intent.name, intent.slots, intent.site, intent.cause) == (
        "weekday", {"day": "tomorrow"}, "kitchen", command.id)


def test_a_failing_model_costs_only_the_claim() -> None:
    def broken(texts: list[str]) -> object:
        raise RuntimeError("model gone")

    meaning = SemanticIntents(broken, min_similarity=0.7, margin=0.1)  # type: ignore[arg-type]
    assert meant_intent(meaning, Command(text="which weekday is it", site="s")) is None


def test_the_decision_needs_both_nearness_and_a_margin_over_other_things() -> None:
    labels = ["time", "time", "thanks", ""]
    assert decide("x", [0.9, 0.5, 0.2, 0.3], labels, min_similarity=0.7,
                  margin=0.1).name == "time"  # type: ignore[union-attr]
    assert decide("x", [0.65, 0.5, 0.2, 0.3], labels, min_similarity=0.7, margin=0.1) is None
    assert decide("x", [0.9, 0.5, 0.2, 0.85], labels, min_similarity=0.7, margin=0.1) is None
    assert decide("what time is our flight", [0.9, 0.5, 0.2, 0.3], labels, min_similarity=0.7,
                  margin=0.1) is None, "a clock question about the household's own things"
    assert decide("thanks a bunch", [0.2, 0.2, 0.9, 0.3], labels, min_similarity=0.7,
                  margin=0.1).name == "thanks"  # type: ignore[union-attr]
