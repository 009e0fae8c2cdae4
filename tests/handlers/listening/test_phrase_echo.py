"""The assistant's own voice, heard back over an answer: never a stop or a command; the user's
stop phrase and (with echo cancellation) a new command still act."""

from __future__ import annotations

from nimbus.daemon.config import PhrasesConfig
from nimbus.handlers.listening.phrases.matcher import (
    ActionHeard,
    CommandReady,
    Ignored,
    Outcome,
    PhraseMatcher,
    StopHeard,
)

SITE = "kitchen"
ANSWER = ("The old mill lies yonder by the river. Nimbus can tell you more about it, "
          "and the museum opens at nine.")


def speaking(text: str = ANSWER) -> PhraseMatcher:
    m = PhraseMatcher(PhrasesConfig())
    for sentence in text.split(". "):
        m.spoken(SITE, sentence)
    m.playback(SITE, active=True, now=10.0)
    return m


def heard(m: PhraseMatcher, text: str, *, final: bool = True, cancelled: bool = False
          ) -> list[Outcome]:
    return m.transcript(SITE, text, final=final, utterance=text, now=11.0, busy=True,
                        cancelled=cancelled)


def test_the_answers_own_stop_phrase_heard_back_is_no_stop() -> None:
    m = speaking()
    for echo in ("lies yonder by the river", "mill lies yonder", "Yonder by the river.",
                 "the old mill lies Yonder", "Old mill flies yonder, bye, the liver."):
        assert heard(m, echo) == [Ignored(reason="echo")], echo
        assert heard(m, echo + " ", final=False) == [], echo  # partials: silent, no stop


def test_the_users_stop_phrase_over_the_answer_still_stops() -> None:
    m = speaking()
    for said in ("Yonder.", "Yonder, stop.", "the museum opens, yonder, at nine",
                 "Stop. Yonder!"):
        assert isinstance(heard(m, said)[0], StopHeard), said
    # A stop phrase the answer never says is the user's wherever it stands.
    m = speaking("The weather is fine today and tomorrow.")
    assert isinstance(heard(m, "the weather is yonder fine")[0], StopHeard)


def test_without_echo_cancellation_no_command_acts_over_an_answer() -> None:
    m = speaking()
    assert heard(m, "Nimbus, stop, what time is it?") == [Ignored(reason="speaking")]


def test_with_echo_cancellation_a_new_command_interrupts_the_answer() -> None:
    m = speaking()
    outcomes = heard(m, "Nimbus, stop, what time is it?", cancelled=True)
    assert isinstance(outcomes[0], ActionHeard)
    assert [o.text for o in outcomes if isinstance(o, CommandReady)] == [
        "stop, what time is it?"]


def test_with_echo_cancellation_the_answers_own_words_never_wake_it() -> None:
    m = speaking()
    for echo in ("Nimbus can tell you more about it", "Nimbus can tell you more",
                 "and Nimbus can sell you more", "the museum opens at nine", "Nimbus. No."):
        outcomes = heard(m, echo, cancelled=True)
        assert not any(isinstance(o, CommandReady | StopHeard) for o in outcomes), (
            echo, outcomes)


def test_an_answer_that_opens_with_the_stop_phrase_does_not_stop_itself() -> None:
    # Its first half second is heard as the phrase alone: "Yonder." (seen in the real-time room).
    m = speaking("Yonder lies the old mill. Look yonder by the river.")
    assert heard(m, "Yonder.") == [Ignored(reason="echo")]
    assert heard(m, "Yonder ", final=False) == []
    assert heard(m, "Yonder lies") == [Ignored(reason="echo")]
    # Heard while the canceller still adapts: its words changed, not all of them (bargein dev).
    assert heard(m, "Yonder, why is the old moon?") == [Ignored(reason="echo")]
    assert heard(m, "Yonder wise thing.") == [Ignored(reason="echo")]  # the real-time room
    # Where no sentence of the answer opens with it, "Yonder." alone is still the user's.
    assert isinstance(heard(speaking(), "Yonder.")[0], StopHeard)


def test_a_follow_up_that_began_while_the_answer_played_is_its_own_residue() -> None:
    m = speaking("The old mill lies yonder, and you will see its wheel.")
    m.playback(SITE, active=False, now=20.0)
    m.answered(SITE, 20.0)
    # Published at 21.0, 1.5 s long: it began by 19.5, while the answer still played.
    outcomes = m.transcript(SITE, "I'll see you all now.", final=True, utterance=1,
                            now=21.0, began=19.5)
    assert outcomes == [Ignored(reason="echo")]
    # The user's follow-up, begun after the answer ended, needs no phrase.
    outcomes = m.transcript(SITE, "And what time is it there?", final=True, utterance=2,
                            now=22.5, began=20.6)
    assert [o for o in outcomes if isinstance(o, CommandReady)] == [
        CommandReady(text="And what time is it there?")]


def test_the_words_before_a_phrase_that_opens_a_sentence_are_the_sentence_befores() -> None:
    # Heard over the join of two sentences: the answer is one stream of words.
    m = speaking("Pack a torch and some water. Yonder, past the gate, the path climbs.")
    assert heard(m, "Some water. Yonder.") == [Ignored(reason="echo")]
    assert heard(m, "and some water, yonder ", final=False) == []
    assert isinstance(heard(m, "Stop now. Yonder.")[0], StopHeard)


def test_a_stop_window_with_the_phrase_at_its_edge_waits_for_the_final_when_the_answer_says_it(
) -> None:
    # A stop window is the newest 1.5 s: the answer's "... reads: yonder, the old ..." with the
    # words around it cut off is heard as "Yonder." alone, like the user's stop; its residue
    # with the words changed as "Yonder, the angry." or "Against from Yonder.".
    m = speaking("The sign on the fence reads: yonder, the old quarry.")
    for window in ("Yonder.", "Yonder. Yonder.", "Yonder, the angry.", "Against from Yonder.",
                   "Yonder, stop."):
        assert heard(m, window, final=False) == [], window
    # Between other words the phrase stands where the answer never says it: a stop at once.
    assert isinstance(heard(m, "Stop it, yonder, please.", final=False)[0], StopHeard)
    # The final, with the words around it, decides.
    assert isinstance(heard(m, "Yonder.", cancelled=True)[0], StopHeard)
    assert isinstance(heard(m, "Yonder, stop.")[0], StopHeard)
    assert heard(m, "reads yonder the old") == [Ignored(reason="echo")]
    # An answer that never says the phrase: the window stops at once.
    m = speaking("The sign on the fence is red.")
    for window in ("Yonder.", "Yonder, stop.", "Okay, yonder."):
        assert isinstance(heard(m, window, final=False)[0], StopHeard), window
