"""Phrase matching, synchronously: wake, submit, fuzzy, stop, follow-up, echo, push-to-talk."""

from __future__ import annotations

from typing import Literal

import pytest

from nimbus.daemon.config import PhrasesConfig
from nimbus.handlers.listening.phrases.matcher import (
    ActionHeard,
    CommandReady,
    Ignored,
    Outcome,
    PhraseMatcher,
    StopHeard,
    find_phrase,
    similarity,
    tokenize,
)


def heard(matcher: PhraseMatcher, text: str, *, now: float = 0.0, final: bool = True,
          utterance: object = None, site: str = "kitchen", busy: bool = False) -> list[Outcome]:
    key = utterance if utterance is not None else (text, now)
    return matcher.transcript(site, text, final=final, utterance=key, now=now, busy=busy)


def commands(outcomes: list[Outcome]) -> list[str]:
    return [o.text for o in outcomes if isinstance(o, CommandReady)]


def matcher(mode: Literal["wake", "submit", "both"] = "both", **kw: object) -> PhraseMatcher:
    return PhraseMatcher(PhrasesConfig(mode=mode, **kw))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    ["Nimbus, what time is it?", "nimbus what time is it", "NIMBUS! What time is it?",
     "Nimbis, what time is it?", "Nambus what time is it?", "Nim bus, what time is it?"],
)
def test_wake_style_variants_give_the_words_after(text: str) -> None:
    outcomes = heard(matcher("wake"), text)
    assert isinstance(outcomes[0], ActionHeard)
    assert outcomes[0].match.phrase == "Nimbus"
    assert commands(outcomes)[0].lower().rstrip("?") == "what time is it"


def test_phrase_inside_other_words_still_counts() -> None:
    outcomes = heard(matcher("wake"), "Nimbus clouds are grey today")
    assert commands(outcomes) == ["clouds are grey today"]


def test_unrelated_words_do_not_match() -> None:
    for text in ["I wonder what time it is", "the number is nine", "limbo dancing tonight"]:
        tokens = tokenize(text)
        assert find_phrase(tokens, ["Nimbus"], kind="action", tolerance=0.75) is None, text
        assert find_phrase(tokens, ["Yonder"], kind="stop", tolerance=0.75) is None, text


def test_similarity_needs_more_when_first_letter_differs() -> None:
    assert similarity("nimbis", "nimbus") >= 0.75
    assert similarity("wonder", "yonder") < 0.75
    assert similarity("nimbus", "nimbus") == 1.0


def test_tolerance_is_configurable() -> None:
    strict = matcher("wake", tolerance=1.0)
    assert commands(heard(strict, "Nimbis, open the door")) == []
    assert commands(heard(strict, "Nimbus, open the door")) == ["open the door"]


def test_wake_phrase_alone_takes_the_next_utterance_within_the_window() -> None:
    m = matcher("wake", follow_up_s=5.0)
    outcomes = heard(m, "Nimbus.", now=10.0)
    assert [type(o) for o in outcomes] == [ActionHeard]
    assert commands(heard(m, "Turn on the lights.", now=12.0)) == ["Turn on the lights."]
    # The window is used up: the next plain utterance is not a command.
    assert commands(heard(m, "And the radio.", now=13.0)) == []


def test_wake_window_expires() -> None:
    m = matcher("wake", follow_up_s=5.0)
    heard(m, "Nimbus.", now=10.0)
    assert heard(m, "Turn on the lights.", now=16.0) == [Ignored(reason="no_phrase")]


def test_submit_style_sends_everything_dictated_since_last_command() -> None:
    m = matcher("submit")
    assert heard(m, "Remember to buy eggs.", now=1.0) == [Ignored(reason="no_phrase")]
    outcomes = heard(m, "And add milk to the list. Nimbus.", now=3.0)
    assert isinstance(outcomes[0], ActionHeard)
    assert commands(outcomes) == ["Remember to buy eggs. And add milk to the list."]
    # Dictation restarted after the submit.
    assert commands(heard(m, "Call mom. Nimbus", now=5.0)) == ["Call mom."]


def test_submit_uses_the_last_phrase_occurrence() -> None:
    m = matcher("submit")
    assert commands(heard(m, "Tell Nimbus fans hello. Nimbus.")) == ["Tell Nimbus fans hello."]


def test_both_mode_words_after_win_else_words_before() -> None:
    m = matcher("both")
    heard(m, "Some dictated text.", now=1.0)
    assert commands(heard(m, "Nimbus, what is the weather?", now=2.0)) == [
        "what is the weather?"
    ]
    # The dictation was discarded with that command; now dictate and submit.
    heard(m, "Add milk to the list.", now=3.0)
    assert commands(heard(m, "Nimbus.", now=4.0)) == ["Add milk to the list."]


def test_wake_mode_ignores_dictation() -> None:
    m = matcher("wake")
    heard(m, "Add milk to the list.")
    outcomes = heard(m, "Nimbus.")
    assert commands(outcomes) == []


def test_stop_phrase_anywhere_even_in_partials_once_per_utterance_while_busy() -> None:
    m = matcher()
    partial = heard(m, "please be quiet yonder", final=False, utterance=1, busy=True)
    assert len(partial) == 1
    assert isinstance(partial[0], StopHeard)
    assert partial[0].match.phrase == "Yonder"
    # The final transcript of the same utterance does not stop twice.
    assert heard(m, "Please be quiet. Yonder!", utterance=1) == [Ignored(reason="stopped")]
    # A later utterance can stop again.
    assert isinstance(heard(m, "Yonder.", utterance=2)[0], StopHeard)


def test_partials_never_make_commands() -> None:
    m = matcher()
    assert heard(m, "Nimbus what time", final=False) == []


def test_stop_discards_dictation_and_follow_up() -> None:
    m = matcher("both", follow_up_s=8.0)
    heard(m, "Dictated words.", now=1.0)
    heard(m, "Yonder", now=2.0)
    assert commands(heard(m, "Nimbus.", now=3.0)) == []  # nothing left to submit
    m.answered("kitchen", 4.0)
    m.stopped("kitchen")
    assert commands(heard(m, "Something else", now=5.0)) == []


def test_follow_up_window_after_an_answer() -> None:
    m = matcher("wake", follow_up_s=8.0)
    m.answered("kitchen", 100.0)
    assert commands(heard(m, "And tomorrow?", now=104.0)) == ["And tomorrow?"]
    m.answered("kitchen", 200.0)
    assert commands(heard(m, "And tomorrow?", now=209.0)) == []


def test_follow_up_is_per_site() -> None:
    m = matcher("wake", follow_up_s=8.0)
    m.answered("kitchen", 100.0)
    assert commands(heard(m, "And tomorrow?", now=101.0, site="office")) == []
    assert commands(heard(m, "And tomorrow?", now=101.0, site="kitchen")) == ["And tomorrow?"]


def test_empty_action_list_makes_every_utterance_a_command() -> None:
    m = PhraseMatcher(PhrasesConfig(action=()))
    assert commands(heard(m, "What time is it?")) == ["What time is it?"]
    assert heard(m, "  ...  ") == [Ignored(reason="empty")]
    assert isinstance(heard(m, "yonder")[0], StopHeard)


def test_while_speaking_only_stop_phrases_act() -> None:
    m = matcher()
    m.spoken("kitchen", "The time is five o'clock.")
    m.playback("kitchen", active=True, now=10.0)
    assert heard(m, "Nimbus, what is the weather?", now=11.0) == [Ignored(reason="speaking")]
    assert isinstance(heard(m, "Yonder", now=12.0)[0], StopHeard)


def test_own_voice_echo_after_playback_is_ignored() -> None:
    m = matcher(action=())
    m.spoken("kitchen", "The time is five o'clock and the sun is shining.")
    m.playback("kitchen", active=True, now=10.0)
    m.playback("kitchen", active=False, now=11.0)
    assert heard(m, "the sun is shining", now=12.0) == [Ignored(reason="echo")]
    # A different request right after playback is not echo.
    assert commands(heard(m, "What about tomorrow?", now=12.5)) == ["What about tomorrow?"]
    # Long after playback, even repeated words count.
    assert commands(heard(m, "the sun is shining", now=30.0)) == ["the sun is shining"]


def test_a_question_with_the_action_phrase_right_after_a_similar_answer_is_not_echo() -> None:
    m = matcher()
    m.spoken("kitchen", "The capital of France is Paris.")
    m.playback("kitchen", active=True, now=10.0)
    m.playback("kitchen", active=False, now=11.0)
    # Mostly the same words, but the assistant never said "Nimbus": the user is asking.
    assert commands(heard(m, "Nimbus, what is the capital of France?", now=11.5)) == [
        "what is the capital of France?"]
    # Without the phrase, the same words so soon are the assistant's own voice.
    assert heard(m, "the capital of France is Paris", now=11.6) == [Ignored(reason="echo")]
    # And if the assistant did say the phrase, hearing it again is its echo too.
    m.spoken("kitchen", "Nimbus is my name, the capital of France is Paris.")
    m.playback("kitchen", active=True, now=20.0)
    m.playback("kitchen", active=False, now=21.0)
    assert heard(m, "Nimbus is my name", now=21.5) == [Ignored(reason="echo")]


def test_multi_word_phrases() -> None:
    m = PhraseMatcher(PhrasesConfig(action=("hey computer",), stop=("stop now",), mode="wake"))
    assert commands(heard(m, "Hey, computer: lights off")) == ["lights off"]
    assert isinstance(heard(m, "okay stop now please", final=False, busy=True)[0], StopHeard)


# --- what a partial transcript is about to ask (read-ahead hint) --------------------------------


def test_expected_command_is_what_the_final_transcript_would_command() -> None:
    m = matcher()
    for text in ("Nimbus, what does the lease say about pets?", "add milk to the list. Nimbus.",
                 "Nimbis what time is it"):
        expected = m.expected_command("kitchen", text, now=0.0)
        assert expected is not None
        assert commands(heard(matcher(), text)) == [expected]


def test_expected_command_changes_no_state_and_is_none_when_nothing_would_happen() -> None:
    m = matcher()
    assert m.expected_command("kitchen", "what time is it", now=0.0) is None  # no phrase
    assert m.expected_command("kitchen", "Nimbus", now=0.0) is None  # the phrase alone
    assert m.expected_command("kitchen", "Nimbus, yonder", now=0.0) is None  # a stop
    assert m.expected_command("kitchen", "", now=0.0) is None
    # Nothing was remembered: the dictation of "what time is it" was not kept.
    assert commands(heard(m, "Nimbus.")) == []
    m.playback("kitchen", active=True, now=1.0)
    assert m.expected_command("kitchen", "Nimbus, what time is it", now=1.5) is None  # speaking


def test_expected_command_in_a_follow_up_window_and_push_to_talk() -> None:
    m = matcher()
    m.answered("kitchen", now=10.0)
    assert m.expected_command("kitchen", "and tomorrow", now=12.0) == "and tomorrow"
    assert m.expected_command("kitchen", "and tomorrow", now=30.0) is None
    assert matcher(action=()).expected_command("kitchen", "lights on", now=0.0) == "lights on"
