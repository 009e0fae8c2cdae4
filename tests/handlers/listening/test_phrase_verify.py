"""Verification of candidate phrases, synchronously: the word-probability and addressing rules,
sensitivity, bounded submit-style dictation, and a stop phrase held to them while silent.

The word evidence here is written by hand (what the ASR stage measured for such sentences is in
docs/listening.md); tests/handlers/listening/test_near_misses.py runs the same rules on real
speech through the real VAD and ASR.
"""

from __future__ import annotations

from typing import Literal

import pytest

from nimbus.daemon.config import ConfigError, PhrasesConfig
from nimbus.daemon.events import HeardWord
from nimbus.handlers.listening.asr.phrase_evidence import phrase_hypotheses
from nimbus.handlers.listening.phrases.matcher import (
    ActionHeard,
    CommandReady,
    Ignored,
    Outcome,
    PhraseMatcher,
    Rejected,
    StopHeard,
)
from nimbus.handlers.listening.phrases.verify import (
    Thresholds,
    align_words,
    mark_pauses,
    thresholds,
    verify,
)


def evidence(text: str, probabilities: dict[str, float], *, gap_before: str = "",
             gap_s: float = 0.0, pauses: dict[str, float] | None = None
             ) -> tuple[HeardWord, ...]:
    """Word evidence for ``text``: 0.3 s per word, the given probabilities (else 0.95; the
    same for the word's tokens after the first), an optional pause of ``gap_s`` before the word
    ``gap_before``, and with ``pauses`` the comma probability after the words it names (as the
    ASR stage measures it next to a candidate phrase)."""
    words, clock = [], 0.0
    for word in text.split():
        key = word.strip(".,?!").lower()
        if key == gap_before:
            clock += gap_s
        probability = probabilities.get(key, 0.95)
        words.append(HeardWord(word=word, start=clock, end=clock + 0.3,
                               probability=probability, rest=probability,
                               pause_after=(pauses or {}).get(key)))
        clock += 0.3
    return tuple(words)


def heard(m: PhraseMatcher, text: str, probabilities: dict[str, float] | None = None, *,
          now: float = 0.0, at: float | None = None, final: bool = True, busy: bool = False,
          utterance: object = None, pauses: dict[str, float] | None = None) -> list[Outcome]:
    words = evidence(text, probabilities, pauses=pauses) if probabilities is not None else ()
    key = utterance if utterance is not None else (text, now)
    return m.transcript("kitchen", text, final=final, utterance=key, now=now, words=words,
                        at=at, busy=busy)


def commands(outcomes: list[Outcome]) -> list[str]:
    return [o.text for o in outcomes if isinstance(o, CommandReady)]


def rejected(outcomes: list[Outcome]) -> list[tuple[str, str]]:
    return [(o.match.kind, o.reason) for o in outcomes if isinstance(o, Rejected)]


def matcher(mode: Literal["wake", "submit", "both"] = "both", **kw: object) -> PhraseMatcher:
    return PhraseMatcher(PhrasesConfig(mode=mode, **kw))  # type: ignore[arg-type]


def test_sensitivity_sets_the_documented_thresholds() -> None:
    assert thresholds(0.5) == Thresholds(probability=0.05, run_on=0.25, pause=0.05)
    assert thresholds(0.5).template == pytest.approx(0.22)
    assert thresholds(0.5).veto == pytest.approx(0.75)
    assert thresholds(0.0) == Thresholds(probability=0.1, run_on=0.3, pause=0.1, template=0.12,
                                         veto=0.65)
    assert thresholds(1.0) == Thresholds(probability=0.0, run_on=0.2, pause=0.0, template=0.32,
                                         veto=0.85)
    assert matcher(sensitivity=0.2).limits.probability == pytest.approx(0.08)
    with pytest.raises(ConfigError, match=r"phrases\.sensitivity"):
        PhrasesConfig(sensitivity=1.5)
    with pytest.raises(ConfigError, match=r"phrases\.dictation_s"):
        PhrasesConfig(dictation_s=0)


def test_addressed_wake_and_submit_phrases_pass() -> None:
    m = matcher()
    # As measured: a comma after the called name, and before it when it closes the request.
    assert commands(heard(m, "Nimbus. What time is it?", {"nimbus": 0.9},
                          pauses={"nimbus": 0.8})) == ["What time is it?"]
    assert commands(heard(m, "Add milk to the list Nimbus.", {"nimbus": 0.9},
                          pauses={"list": 0.4})) == ["Add milk to the list"]
    # Without pause evidence (a remote ASR): the transcript's punctuation decides.
    assert commands(heard(m, "Nimbus. What time is it?", {"nimbus": 0.6})) == [
        "What time is it?"]
    assert commands(heard(m, "Add milk to the list, Nimbus.", {"nimbus": 0.5})) == [
        "Add milk to the list"]
    # The ASR dropped the comma: at the end of the utterance a content word before is fine.
    assert commands(heard(m, "Add milk to the list Nimbus.", {"nimbus": 0.5})) == [
        "Add milk to the list"]


def test_a_near_miss_the_audio_does_not_confirm_is_rejected_and_is_no_command() -> None:
    m = matcher()
    outcomes = heard(m, "Nimbus. Try to slow the spring rain.", {"nimbus": 0.02},
                     pauses={"nimbus": 0.6})
    assert rejected(outcomes) == [("action", "unsure")]
    assert commands(outcomes) == []
    assert not any(isinstance(o, ActionHeard) for o in outcomes)
    (rejection,) = [o for o in outcomes if isinstance(o, Rejected)]
    assert rejection.score == pytest.approx(0.02)


@pytest.mark.parametrize(
    "text",
    ["Look at the nimbus clouds over the hill.", "We had dinner with a family called Nimbus.",
     "The Nimbus live next door to us.", "A saint with a Nimbus around his head."],
)
def test_a_mention_inside_a_sentence_is_not_a_command_however_sure(text: str) -> None:
    m = matcher()
    outcomes = heard(m, text, {"nimbus": 0.99})
    # ("a Nimbus" run together is a candidate of its own: "animbus" is close to "nimbus".)
    assert set(rejected(outcomes)) == {("action", "mid_sentence")}
    assert commands(outcomes) == []


def test_no_pause_where_the_transcript_has_punctuation_is_a_run_on() -> None:
    # "Nimbostratus clouds ..." as the biased decode writes it; unprompted, the model puts no
    # comma after "Nimbus" (measured 0.00-0.05), so the period is the prompt's doing.
    m = matcher()
    outcomes = heard(m, "Nimbus. Stratus clouds bring steady rain.", {"nimbus": 0.9},
                     pauses={"nimbus": 0.02})
    assert rejected(outcomes) == [("action", "run_on")]
    assert commands(outcomes) == []
    (rejection,) = [o for o in outcomes if isinstance(o, Rejected)]
    assert rejection.pause == pytest.approx(0.02)


def test_no_pause_before_a_closing_phrase_is_a_mention() -> None:
    m = matcher()
    outcomes = heard(m, "We had dinner with the Nimbus.", {"nimbus": 0.9}, pauses={"the": 0.0})
    assert rejected(outcomes) == [("action", "mid_sentence")]
    # A measured pause before the phrase: addressed.
    assert commands(heard(matcher(), "Let us plan dinner Nimbus.", {"nimbus": 0.9},
                          pauses={"dinner": 0.5})) == ["Let us plan dinner"]


def test_without_pause_evidence_a_run_on_phrase_needs_more_certainty() -> None:
    m = matcher()
    assert rejected(heard(m, "Nimbus stratus clouds bring rain.", {"nimbus": 0.2})) == [
        ("action", "run_on")]
    assert commands(heard(m, "Nimbus turn on the lights", {"nimbus": 0.7})) == [
        "turn on the lights"]


def test_a_pause_counts_like_punctuation() -> None:
    originals = ["and", "then", "nimbus", "what", "time", "is", "it"]
    limits = thresholds(0.5)
    glued = evidence(" ".join(originals), {"nimbus": 0.9})
    paused = evidence(" ".join(originals), {"nimbus": 0.9}, gap_before="nimbus", gap_s=0.5)
    assert verify(originals, 2, 3, glued, limits).reason == "mid_sentence"
    assert verify(originals, 2, 3, paused, limits).accepted


def test_without_word_evidence_only_the_addressing_rules_apply() -> None:
    m = matcher("wake")
    assert commands(heard(m, "nimbus what time is it")) == ["what time is it"]
    assert rejected(heard(m, "look at the nimbus clouds")) == [("action", "mid_sentence")]


def test_the_first_addressed_occurrence_wins_over_a_mention_before_it() -> None:
    m = matcher("wake")
    outcomes = heard(m, "I saw the nimbus clouds. Nimbus, will it rain?", {"nimbus": 0.7})
    assert rejected(outcomes) == [("action", "mid_sentence")]
    assert commands(outcomes) == ["will it rain?"]


def test_two_words_never_join_into_a_phrase_across_punctuation() -> None:
    m = matcher()
    outcomes = heard(m, "Read me the news, Nimbus.", {"nimbus": 0.8})
    assert rejected(outcomes) == []
    assert commands(outcomes) == ["Read me the news"]


def test_commas_are_written_around_each_candidate_for_the_pause_evidence() -> None:
    assert mark_pauses("Nimbus. What time is it?", [(0, 1)]) == "Nimbus, What time is it?"
    assert mark_pauses("What time is it? Nimbus.", [(4, 5)]) == "What time is it, Nimbus."
    assert mark_pauses("add milk to the list Nimbus", [(5, 6)]) == "add milk to the list, Nimbus"
    assert mark_pauses("Look at the Nimbus Stratus.", [(3, 4)]) == "Look at the, Nimbus, Stratus."
    assert mark_pauses("It is - Nimbus - go", [(2, 3)]) == "It is, Nimbus, go"
    # Before a closing phrase a question mark can be the pause (measured in a second pass).
    assert mark_pauses("What time is it Nimbus?", [(4, 5)], before_closing="?") == (
        "What time is it? Nimbus?")
    assert mark_pauses("Nimbus, is it, Nimbus?", [(0, 1), (3, 4)], before_closing="?") == (
        "Nimbus, is it? Nimbus?")


def test_align_words_maps_whisper_words_onto_transcript_words() -> None:
    words = (HeardWord(word="Nimbus", probability=0.6), HeardWord(word=".", probability=0.1),
             HeardWord(word="What", probability=0.9), HeardWord(word="time?", probability=0.9))
    mapped = align_words(["Nimbus.", "What", "time?"], words)
    assert [w.probability if w else None for w in mapped] == [0.6, 0.9, 0.9]


def test_submit_sends_only_recent_dictation() -> None:
    m = matcher("submit", dictation_s=30.0)
    heard(m, "The old chatter about the garden.", at=10.0)
    heard(m, "More talk from long ago.", at=20.0)
    heard(m, "Add eggs to the list.", at=70.0)
    assert commands(heard(m, "Nimbus.", {"nimbus": 0.6}, at=72.0)) == ["Add eggs to the list."]


def test_submit_sends_at_most_dictation_chars() -> None:
    m = matcher("submit", dictation_chars=40)
    heard(m, "One sentence that is long enough to fill the buffer.", at=1.0)
    heard(m, "Buy eggs.", at=2.0)
    assert commands(heard(m, "Nimbus.", {"nimbus": 0.6}, at=3.0)) == ["Buy eggs."]


def test_a_rejected_submit_phrase_submits_nothing() -> None:
    m = matcher("both")
    heard(m, "It rained all day.", at=1.0)
    heard(m, "The garden is wet.", at=3.0)
    outcomes = heard(m, "We had dinner with a family called Nimbus.", {"nimbus": 0.3}, at=5.0)
    assert commands(outcomes) == []
    assert rejected(outcomes) == [("action", "mid_sentence")]


def test_stop_while_silent_waits_for_the_final_and_is_verified() -> None:
    m = matcher()
    assert heard(m, "yonder hills", {"yonder": 0.9}, final=False, utterance=1) == []
    outcomes = heard(m, "Yonder hills are green.", {"yonder": 0.2}, utterance=1)
    assert rejected(outcomes) == [("stop", "not_alone")]
    assert not any(isinstance(o, StopHeard) for o in outcomes)
    assert isinstance(heard(m, "Yonder.", {"yonder": 0.65}, utterance=2)[0], StopHeard)
    assert rejected(heard(m, "Yonder.", {"yonder": 0.02}, utterance=3)) == [("stop", "unsure")]
    # Silent, there is nothing to interrupt: only a stop said on its own is one, however sure.
    outcomes = heard(m, "Yonder stands the old mill.", {"yonder": 0.95}, utterance=4)
    assert rejected(outcomes) == [("stop", "not_alone")]
    assert not any(isinstance(o, StopHeard) for o in outcomes)
    assert isinstance(heard(m, "Yonder, yonder!", {"yonder": 0.6}, utterance=5)[0], StopHeard)


def test_stop_while_busy_acts_on_the_partial_unverified() -> None:
    m = matcher()
    outcomes = heard(m, "yonder hills", {"yonder": 0.1}, final=False, busy=True, utterance=1)
    assert [type(o) for o in outcomes] == [StopHeard]
    assert heard(m, "Yonder hills.", utterance=1, busy=True) == [Ignored(reason="stopped")]


def test_rescoring_puts_the_phrase_where_the_asr_wrote_something_else() -> None:
    assert phrase_hypotheses("Read me the news in this.", "Nimbus") == [
        "Nimbus, me the news in this.",
        "Nimbus, the news in this.",
        "Read me the news in this, Nimbus.",
        "Read me the news in, Nimbus.",
        "Read me the news, Nimbus.",
    ]
    assert phrase_hypotheses("Members.", "Nimbus") == ["Members, Nimbus."]
    assert phrase_hypotheses("", "Nimbus") == []
