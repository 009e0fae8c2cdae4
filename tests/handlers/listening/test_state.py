"""The per-site state tracker, synchronously: idle -> listening -> thinking -> speaking -> idle."""

from __future__ import annotations

from nimbus.daemon.events import (
    AssistantState,
    Command,
    Event,
    PlaybackFinished,
    PlaybackStarted,
    ResponseDone,
    ResponseStarted,
    SpeechStarted,
    Stop,
)
from nimbus.handlers.listening.state import StateTracker

S = AssistantState


def run(tracker: StateTracker, events: list[Event]) -> list[tuple[str, S, S]]:
    out = []
    for event in events:
        changed = tracker.observe(event)
        if changed is not None:
            assert changed.cause == event.id
            out.append((changed.site, changed.previous, changed.state))
    return out


def test_full_turn_with_speech() -> None:
    tracker = StateTracker()
    command = Command(site="k", text="hi")
    response = ResponseStarted(site="k", cause=command.id)
    assert run(tracker, [
        SpeechStarted(site="k"),
        command,
        response,
        PlaybackStarted(site="k", response=response.id),
        ResponseDone(site="k", cause=response.id),
        PlaybackFinished(site="k", response=response.id),
    ]) == [
        ("k", S.IDLE, S.LISTENING),
        ("k", S.LISTENING, S.THINKING),
        ("k", S.THINKING, S.SPEAKING),
        ("k", S.SPEAKING, S.IDLE),
    ]


def test_playback_gap_while_still_generating_goes_back_to_thinking() -> None:
    tracker = StateTracker()
    response = ResponseStarted(site="k")
    assert run(tracker, [
        Command(site="k"), response,
        PlaybackStarted(site="k", response=response.id),
        PlaybackFinished(site="k", response=response.id),
        ResponseDone(site="k", cause=response.id),
    ]) == [("k", S.IDLE, S.THINKING), ("k", S.THINKING, S.SPEAKING),
           ("k", S.SPEAKING, S.THINKING), ("k", S.THINKING, S.IDLE)]


def test_text_only_response_returns_to_idle() -> None:
    tracker = StateTracker()
    response = ResponseStarted(site="k")
    assert run(tracker, [Command(site="k"), response, ResponseDone(site="k", cause=response.id)]
               ) == [("k", S.IDLE, S.THINKING), ("k", S.THINKING, S.IDLE)]


def test_utterance_without_command_goes_idle() -> None:
    tracker = StateTracker()
    run(tracker, [SpeechStarted(site="k")])
    changed = tracker.utterance_done("k")
    assert changed is not None
    assert (changed.previous, changed.state) == (S.LISTENING, S.IDLE)
    assert tracker.utterance_done("k") is None


def test_stop_from_any_state_and_sites_are_independent() -> None:
    tracker = StateTracker()
    response = ResponseStarted(site="a")
    assert run(tracker, [
        Command(site="a"), response, PlaybackStarted(site="a", response=response.id),
        SpeechStarted(site="a"),  # own voice or barge-in: stays speaking
        SpeechStarted(site="b"),
        Stop(site="a"),
    ]) == [("a", S.IDLE, S.THINKING), ("a", S.THINKING, S.SPEAKING),
           ("b", S.IDLE, S.LISTENING), ("a", S.SPEAKING, S.IDLE)]
    assert tracker.state("a") is S.IDLE
    assert tracker.state("b") is S.LISTENING
    assert tracker.state("nowhere") is S.IDLE
