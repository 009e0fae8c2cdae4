"""Clock-free assistant state per site: idle -> listening -> thinking -> speaking, from events."""

from __future__ import annotations

from dataclasses import dataclass, field

from nimbus.daemon.events import (
    AssistantState,
    Command,
    Event,
    PlaybackFinished,
    PlaybackStarted,
    ResponseDone,
    ResponseStarted,
    SpeechStarted,
    StateChanged,
    Stop,
)

__all__ = ["StateTracker"]

IDLE = AssistantState.IDLE
LISTENING = AssistantState.LISTENING
THINKING = AssistantState.THINKING
SPEAKING = AssistantState.SPEAKING


@dataclass(slots=True)
class _Site:
    state: AssistantState = IDLE
    playing: set[str | None] = field(default_factory=set)
    """Responses whose audio is playing."""
    responding: set[str] = field(default_factory=set)
    """Responses still being generated."""


class StateTracker:
    """Derives each site's state from the events it is shown; returns the StateChanged to publish.

    * speech started: idle -> listening (while thinking/speaking it is the user barging in or
      the assistant's own voice: the state stays);
    * an utterance that gave no command (:meth:`utterance_done`): listening -> idle;
    * command: -> thinking; response started: -> thinking;
    * playback started: -> speaking; playback finished: -> thinking while the response is still
      being generated, else idle; response done with nothing playing: -> idle;
    * stop: -> idle.
    """

    def __init__(self) -> None:
        self._sites: dict[str, _Site] = {}

    def state(self, site: str) -> AssistantState:
        return self._sites[site].state if site in self._sites else IDLE

    def utterance_done(self, site: str, cause: str | None = None) -> StateChanged | None:
        """A final transcript that produced no command."""
        entry = self._sites.setdefault(site, _Site())
        if entry.state is LISTENING:
            return self._move(site, entry, IDLE, cause)
        return None

    def observe(self, event: Event) -> StateChanged | None:
        entry = self._sites.setdefault(event.site, _Site())
        match event:
            case SpeechStarted():
                if entry.state is IDLE:
                    return self._move(event.site, entry, LISTENING, event.id)
            case Command():
                return self._move(event.site, entry, THINKING, event.id)
            case ResponseStarted():
                entry.responding.add(event.id)
                if entry.state is not SPEAKING:
                    return self._move(event.site, entry, THINKING, event.id)
            case PlaybackStarted(response=response):
                entry.playing.add(response)
                return self._move(event.site, entry, SPEAKING, event.id)
            case PlaybackFinished(response=response):
                entry.playing.discard(response)
                if entry.state is SPEAKING and not entry.playing:
                    after = THINKING if entry.responding else IDLE
                    return self._move(event.site, entry, after, event.id)
            case ResponseDone():
                if event.cause is not None:
                    entry.responding.discard(event.cause)
                if entry.state is THINKING and not entry.playing and not entry.responding:
                    return self._move(event.site, entry, IDLE, event.id)
            case Stop():
                entry.playing.clear()
                entry.responding.clear()
                return self._move(event.site, entry, IDLE, event.id)
        return None

    @staticmethod
    def _move(
        site: str, entry: _Site, state: AssistantState, cause: str | None
    ) -> StateChanged | None:
        if entry.state is state:
            return None
        previous, entry.state = entry.state, state
        return StateChanged(site=site, state=state, previous=previous, cause=cause)
