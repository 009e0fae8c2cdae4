"""Arbitration between the sites of one home: the pure arbiter on a fake clock, then its shell
on a real bus with the real phrase stage (no models: transcripts are published directly)."""

from __future__ import annotations

import pytest

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import ArbitrationConfig, ConfigError, PhrasesConfig
from nimbus.daemon.events import (
    ArbitrationLost,
    AssistantState,
    Command,
    CommandCandidate,
    SpeechEnded,
    SpeechStarted,
    StateChanged,
    Transcript,
)
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.listening.arbitration.arbiter import Answer, Arbiter, Candidate, Lost, similar
from nimbus.handlers.listening.arbitration.handler import ArbitrationHandler
from nimbus.handlers.listening.phrases.handler import PhraseHandler

GROUPS = {"kitchen": "home", "living": "home", "bedroom": "home", "garage": "shed"}
QUESTION = "what is the capital of France"


def arbiter() -> Arbiter:
    return Arbiter(GROUPS, window_s=1.0, wait_s=4.0)


def heard(arb: Arbiter, site: str, *, ended: float) -> None:
    """A site heard an utterance that ended at ``ended`` and is waiting for its transcript."""
    arb.speech_started(site)
    arb.listening(site, True)
    arb.speech_ended(site, ended)


def candidate(site: str, score: float, text: str = QUESTION, ended: float | None = 10.0
              ) -> Candidate:
    return Candidate(id=f"c-{site}", site=site, text=text, score=score, ended=ended)


def outcome(decisions: list[Answer | Lost]) -> list[tuple[str, str, str]]:
    return [("answer", d.candidate.site, "") if isinstance(d, Answer)
            else ("lost", d.candidate.site, d.winner.site) for d in decisions]


def test_a_site_alone_answers_at_once() -> None:
    arb = arbiter()
    heard(arb, "kitchen", ended=10.0)
    assert outcome(arb.offer(candidate("kitchen", 20.0), now=10.5)) == [("answer", "kitchen", "")]
    assert arb.deadline(10.5) is None


def test_a_site_in_no_group_is_not_arbitrated() -> None:
    arb = arbiter()
    heard(arb, "kitchen", ended=10.0)
    assert not arb.arbitrated("porch")
    assert outcome(arb.offer(candidate("porch", 1.0), now=10.2)) == [("answer", "porch", "")]


def test_the_louder_site_wins_and_waits_only_for_the_other_transcript() -> None:
    arb = arbiter()
    heard(arb, "kitchen", ended=10.0)
    heard(arb, "living", ended=10.2)
    # The quieter room's transcript comes first: it must wait for the kitchen's.
    assert arb.offer(candidate("living", 8.0, ended=10.2), now=10.6) == []
    assert arb.deadline(10.6) == pytest.approx(11.2)  # the window, then wait_s at the latest
    assert arb.settle(11.5) == []  # the kitchen's speech ended within the window: still awaited
    decisions = arb.offer(candidate("kitchen", 20.0), now=11.7)
    assert outcome(decisions) == [("answer", "kitchen", ""), ("lost", "living", "kitchen")]
    answer = decisions[0]
    assert isinstance(answer, Answer)
    assert (answer.rivals, answer.waited) == (1, pytest.approx(1.1))


def test_a_site_whose_utterance_gave_no_command_is_not_awaited() -> None:
    arb = arbiter()
    heard(arb, "kitchen", ended=10.0)
    heard(arb, "living", ended=10.1)
    assert arb.offer(candidate("kitchen", 20.0), now=10.5) == []
    arb.listening("living", False)  # its transcript held no command: back to idle
    assert outcome(arb.settle(10.6)) == [("answer", "kitchen", "")]


def test_speech_outside_the_window_is_another_utterance() -> None:
    arb = arbiter()
    heard(arb, "kitchen", ended=10.0)
    heard(arb, "living", ended=12.5)  # ended 2.5 s later: not the same utterance
    assert outcome(arb.offer(candidate("kitchen", 5.0), now=10.3)) == [("answer", "kitchen", "")]
    assert outcome(arb.offer(candidate("living", 30.0, ended=12.5), now=13.0)) == [
        ("answer", "living", "")]


def test_a_site_still_in_speech_is_awaited_only_until_the_window_closes() -> None:
    arb = arbiter()
    heard(arb, "kitchen", ended=10.0)
    arb.speech_started("living")  # a TV talking on in the living room
    arb.listening("living", True)
    assert arb.offer(candidate("kitchen", 20.0), now=10.4) == []
    assert arb.deadline(10.4) == pytest.approx(11.0)
    assert arb.settle(10.9) == []
    assert outcome(arb.settle(11.0)) == [("answer", "kitchen", "")]


def test_busy_sites_and_other_groups_are_not_awaited() -> None:
    arb = arbiter()
    heard(arb, "kitchen", ended=10.0)
    arb.speech_started("bedroom")  # speaking an answer: its state is not "listening"
    arb.speech_ended("bedroom", 10.0)
    heard(arb, "garage", ended=10.0)  # another home
    assert outcome(arb.offer(candidate("kitchen", 20.0), now=10.3)) == [("answer", "kitchen", "")]


def test_different_commands_at_the_same_moment_are_both_answered() -> None:
    arb = arbiter()
    heard(arb, "kitchen", ended=10.0)
    heard(arb, "bedroom", ended=10.1)
    assert arb.offer(candidate("kitchen", 20.0), now=10.4) == []
    decisions = arb.offer(candidate("bedroom", 5.0, "tell me a joke about cats", 10.1), now=10.6)
    assert sorted(outcome(decisions)) == [("answer", "bedroom", ""), ("answer", "kitchen", "")]


def test_three_rooms_the_best_one_answers() -> None:
    arb = arbiter()
    for site, ended in (("kitchen", 10.0), ("living", 10.1), ("bedroom", 9.9)):
        heard(arb, site, ended=ended)
    assert arb.offer(candidate("kitchen", 12.0), now=10.5) == []
    assert arb.offer(candidate("bedroom", 25.0, "what is the capital of friends"), now=10.8) == []
    assert sorted(outcome(arb.offer(candidate("living", 3.0), now=11.2))) == [
        ("answer", "bedroom", ""), ("lost", "kitchen", "bedroom"), ("lost", "living", "bedroom")]


def test_wait_s_bounds_the_wait_and_a_late_candidate_loses_to_the_winner() -> None:
    arb = arbiter()
    heard(arb, "kitchen", ended=10.0)
    heard(arb, "living", ended=10.0)
    assert arb.offer(candidate("living", 5.0), now=10.5) == []
    assert arb.deadline(10.5) == pytest.approx(11.0)
    assert arb.settle(11.0) == []
    assert arb.deadline(11.0) == pytest.approx(14.5)
    assert outcome(arb.settle(14.5)) == [("answer", "living", "")]
    # The kitchen's transcript was very slow: living already answers, so kitchen stays quiet.
    assert outcome(arb.offer(candidate("kitchen", 30.0), now=15.0)) == [
        ("lost", "kitchen", "living")]
    # Much later, the same words are a new command.
    heard(arb, "kitchen", ended=40.0)
    assert outcome(arb.offer(candidate("kitchen", 30.0, ended=40.0), now=40.3)) == [
        ("answer", "kitchen", "")]


def test_ties_go_to_the_first_offered() -> None:
    arb = arbiter()
    heard(arb, "kitchen", ended=10.0)
    heard(arb, "living", ended=10.0)
    arb.offer(candidate("living", 7.0), now=10.5)
    assert outcome(arb.offer(candidate("kitchen", 7.0), now=10.6)) == [
        ("answer", "living", ""), ("lost", "kitchen", "living")]


def test_similar_commands() -> None:
    assert similar("Nimbus, what is the capital of France?", "what is the capital of france",
                   0.5)
    assert similar("what is the capital of France", "what is the capital of friends", 0.5)
    assert not similar("what is the capital of France", "tell me a joke about cats", 0.5)


def test_config_groups() -> None:
    config = ArbitrationConfig(groups=("home=kitchen, living", "shed=garage"))
    assert config.group_of() == {"kitchen": "home", "living": "home", "garage": "shed"}
    with pytest.raises(ConfigError, match="two groups"):
        ArbitrationConfig(groups=("a=kitchen", "b=kitchen"))
    with pytest.raises(ConfigError, match="name=site"):
        ArbitrationConfig(groups=("kitchen,living",))
    with pytest.raises(ConfigError, match=r"arbitration\.signal"):
        ArbitrationConfig(signal="loudness")  # type: ignore[arg-type]


async def _utterance(bus: Bus, site: str, text: str, level: float) -> Transcript:
    await bus.publish(SpeechStarted(site=site))
    await bus.publish(SpeechEnded(site=site))
    return Transcript(site=site, text=text, level_db=level, avg_logprob=-0.3,
                            start=1.0, end=3.0)


async def test_the_bus_stage_answers_once_and_sends_the_loser_back_to_idle() -> None:
    bus = Bus()
    config = ArbitrationConfig(groups=("home=kitchen,living",), window_s=1.0, wait_s=10.0)
    phrases = PhraseHandler(bus, PhrasesConfig(), arbitrated=config.group_of())
    stage = ArbitrationHandler(bus, config)
    async with EventRecorder(bus) as rec, running(phrases, stage):
        loud = await _utterance(bus, "kitchen", f"Nimbus, {QUESTION}?", 30.0)
        quiet = await _utterance(bus, "living", f"Nimbus, {QUESTION}?", 18.0)
        alone = await _utterance(bus, "porch", "Nimbus, what time is it?", 5.0)
        await rec.wait_for(lambda e: isinstance(e, StateChanged) and e.site == "porch")
        await bus.publish(quiet)
        await rec.wait_for(lambda e: isinstance(e, CommandCandidate) and e.site == "living")
        await bus.publish(alone)  # a site in no group: its command goes straight through
        await rec.wait_for(lambda e: isinstance(e, Command) and e.site == "porch")
        assert not rec.of(Command, ArbitrationLost)[1:], "living waits for the kitchen"
        await bus.publish(loud)
        lost = await rec.wait_for(ArbitrationLost)
        command = await rec.wait_for(lambda e: isinstance(e, Command) and e.site == "kitchen")
        await rec.wait_for(lambda e: isinstance(e, StateChanged) and e.site == "living"
                           and e.state is AssistantState.IDLE)
    assert isinstance(lost, ArbitrationLost)
    assert isinstance(command, Command)
    assert (lost.site, lost.winner, lost.signal) == ("living", "kitchen", "level")
    assert (lost.score, lost.winner_score) == (18.0, 30.0)
    assert command.cause == loud.id, "the command follows from the winning transcript"
    assert QUESTION in command.text
    assert [e.site for e in rec.of(Command)] == ["porch", "kitchen"]
    states = [(e.site, e.state) for e in rec.of(StateChanged) if isinstance(e, StateChanged)]
    assert ("kitchen", AssistantState.THINKING) in states
    assert ("living", AssistantState.THINKING) not in states


def test_by_default_every_satellite_site_is_in_one_group() -> None:
    config = ArbitrationConfig()
    assert config.group_for("kitchen", local_site="default") == "satellites"
    assert config.group_for("ws-3fa2c1", local_site="default") == "satellites"
    assert config.group_for("default", local_site="default") is None, "the daemon's own mic"
    named = ArbitrationConfig(groups=("upstairs=bedroom,study",))
    assert named.group_for("study", local_site="default") == "upstairs"
    assert named.group_for("kitchen", local_site="default") == "satellites"
    off = ArbitrationConfig(satellites="")
    assert off.group_for("kitchen", local_site="default") is None
    with pytest.raises(ConfigError, match=r"arbitration\.satellites"):
        ArbitrationConfig(satellites="all rooms")


def test_satellites_join_the_default_group_when_they_first_speak() -> None:
    config = ArbitrationConfig()
    arb = Arbiter(lambda site: config.group_for(site, local_site="default"),
                  window_s=1.0, wait_s=4.0)
    heard(arb, "kitchen", ended=10.0)
    heard(arb, "porch", ended=10.2)
    heard(arb, "default", ended=10.1)
    assert arb.arbitrated("kitchen")
    assert arb.arbitrated("porch")
    assert not arb.arbitrated("default")
    assert arb.offer(candidate("porch", 12.0), now=10.6) == [], "the kitchen heard it too"
    assert outcome(arb.offer(candidate("kitchen", 25.0), now=10.8)) == [
        ("answer", "kitchen", ""), ("lost", "porch", "kitchen")]
    assert outcome(arb.offer(candidate("default", 5.0), now=10.9)) == [
        ("answer", "default", "")]
    heard(arb, "bedroom", ended=20.0)  # a satellite alone in its room: no wait
    assert outcome(arb.offer(candidate("bedroom", 9.0, ended=20.0), now=20.5)) == [
        ("answer", "bedroom", "")]


async def test_two_satellites_hearing_one_command_answer_once_on_the_defaults() -> None:
    bus = Bus()
    config = ArbitrationConfig(wait_s=10.0)
    phrases = PhraseHandler(bus, PhrasesConfig(), arbitrated=lambda site: config.group_for(
        site, local_site="default") is not None)
    stage = ArbitrationHandler(bus, config, local_site="default")
    async with EventRecorder(bus) as rec, running(phrases, stage):
        near = await _utterance(bus, "kitchen", f"Nimbus, {QUESTION}?", 28.0)
        far = await _utterance(bus, "hallway", f"Nimbus, {QUESTION}?", 11.0)
        local = await _utterance(bus, "default", "Nimbus, what time is it?", 20.0)
        await rec.wait_for(lambda e: isinstance(e, StateChanged) and e.site == "default")
        await bus.publish(local)  # the daemon's own microphone is in no group
        await rec.wait_for(lambda e: isinstance(e, Command) and e.site == "default")
        await bus.publish(far)
        await rec.wait_for(lambda e: isinstance(e, CommandCandidate) and e.site == "hallway")
        await bus.publish(near)
        lost = await rec.wait_for(ArbitrationLost)
        await rec.wait_for(lambda e: isinstance(e, Command) and e.site == "kitchen")
    assert isinstance(lost, ArbitrationLost)
    assert (lost.site, lost.winner) == ("hallway", "kitchen")
    assert [e.site for e in rec.of(Command)] == ["default", "kitchen"]
    assert [e.site for e in rec.of(CommandCandidate)] == ["hallway", "kitchen"]
