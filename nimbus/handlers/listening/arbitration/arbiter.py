"""Which site answers when several sites of one home hear the same command. Pure: no clock.

Sites are grouped (``arbitration.groups``; by default every satellite site that no group names
joins one group, ``arbitration.satellites``, when it first speaks): the sites of one home,
close enough to hear one person. A voice command from a grouped site is a *candidate*.
Candidates of one group whose speech ended within ``window_s`` of each other and whose texts
are alike are one *contest*; the candidate with the highest score (the speech level above its
site's noise floor, or the ASR's confidence) answers, the others lose to it.

Latency: a contest waits only for sites that may still bring a candidate to it - sites of the
group that are *listening* (in an utterance whose transcript has not given its outcome yet)
and whose speech is still going on (at most until ``window_s`` after the contest's speech end)
or ended within ``window_s`` of it. A site alone in its room answers at once; two rooms that
heard it wait for the second room's transcript; nobody waits longer than ``wait_s``. A
candidate that comes after its contest was decided (a slow transcript) loses to the winner:
the answer is already under way, and a second one is what arbitration is for avoiding.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from nimbus.handlers.listening.phrases.matcher import tokenize

__all__ = ["Answer", "Arbiter", "Candidate", "Decision", "Lost", "similar"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """A command a grouped site heard."""

    id: str
    site: str
    text: str
    score: float
    """The compared signal: higher is heard better."""
    ended: float | None = None
    """When its speech ended (the clock of ``now``); None = unknown, the time it is offered."""


@dataclass(frozen=True, slots=True)
class Answer:
    """This candidate answers; ``rivals`` lost to it, after ``waited`` seconds."""

    candidate: Candidate
    rivals: int = 0
    waited: float = 0.0


@dataclass(frozen=True, slots=True)
class Lost:
    """This candidate goes back to idle: ``winner`` answers the same command."""

    candidate: Candidate
    winner: Candidate


Decision = Answer | Lost


def similar(a: str, b: str, threshold: float) -> bool:
    """Whether two transcripts give the same command (word sequence ratio >= threshold)."""
    words_a = [t.word for t in tokenize(a)]
    words_b = [t.word for t in tokenize(b)]
    if not words_a or not words_b:
        return words_a == words_b
    return SequenceMatcher(None, words_a, words_b).ratio() >= threshold


@dataclass(slots=True)
class _Site:
    group: str
    listening: bool = False
    in_speech: bool = False
    ended: float | None = None
    offered: bool = False
    """The current utterance's candidate has been offered."""


@dataclass(slots=True)
class _Contest:
    group: str
    ref: float
    """The earliest speech end of its candidates."""
    opened: float
    candidates: list[Candidate] = field(default_factory=list)
    winner: Candidate | None = None

    @property
    def sites(self) -> set[str]:
        return {c.site for c in self.candidates}


class Arbiter:
    """Feed it speech starts/ends, listening states and candidates; ``settle`` decides."""

    def __init__(self, groups: Mapping[str, str] | Callable[[str], str | None], *,
                 window_s: float, wait_s: float, min_similarity: float = 0.5) -> None:
        """``groups``: each grouped site's group, or a function giving a site's group (None:
        not arbitrated), asked once per site the first time it is seen (satellites join the
        default group when they first speak)."""
        self._group_for = groups.get if isinstance(groups, Mapping) else groups
        self._sites: dict[str, _Site] = {}
        self._outside: set[str] = set()
        self._members: dict[str, list[str]] = {}
        if isinstance(groups, Mapping):
            for site in groups:
                self._site(site, join=True)
        self.window_s = window_s
        self.wait_s = wait_s
        self.min_similarity = min_similarity
        self._open: list[_Contest] = []
        self._decided: list[_Contest] = []

    def _site(self, site: str, *, join: bool = False) -> _Site | None:
        """The site's entry; None: not grouped. ``join``: make it the first time a site speaks
        (only speaking sites are kept: a text client asking questions is never an entry)."""
        entry = self._sites.get(site)
        if entry is None and join and site not in self._outside:
            group = self._group_for(site)
            if group is None:
                self._outside.add(site)
                return None
            entry = self._sites[site] = _Site(group=group)
            self._members.setdefault(group, []).append(site)
        return entry

    def arbitrated(self, site: str) -> bool:
        return self._site(site, join=True) is not None

    # --- what the sites are doing ----------------------------------------------------------

    def speech_started(self, site: str) -> None:
        if (entry := self._site(site, join=True)) is not None:
            entry.in_speech, entry.ended, entry.offered = True, None, False

    def speech_ended(self, site: str, now: float) -> None:
        if (entry := self._site(site)) is not None:
            entry.in_speech, entry.ended = False, now

    def ended_at(self, site: str) -> float | None:
        """When the site's last speech ended (None: unknown, or it is in speech again)."""
        entry = self._site(site)
        return None if entry is None else entry.ended

    def listening(self, site: str, listening: bool) -> None:
        """The site's assistant state is (or is no longer) ``listening``."""
        if (entry := self._site(site)) is not None:
            entry.listening = listening

    # --- candidates and decisions ----------------------------------------------------------

    def offer(self, candidate: Candidate, now: float) -> list[Decision]:
        entry = self._site(candidate.site, join=True)
        if entry is None:
            return [Answer(candidate)]
        entry.offered = True
        ended = candidate.ended if candidate.ended is not None else now
        for contest in self._decided:
            if self._joins(contest, entry.group, candidate, ended):
                assert contest.winner is not None
                contest.candidates.append(candidate)
                return [Lost(candidate, contest.winner), *self.settle(now)]
        for contest in self._open:
            if self._joins(contest, entry.group, candidate, ended):
                contest.candidates.append(candidate)
                contest.ref = min(contest.ref, ended)
                break
        else:
            self._open.append(_Contest(group=entry.group, ref=ended, opened=now,
                                       candidates=[candidate]))
        return self.settle(now)

    def settle(self, now: float) -> list[Decision]:
        """Decide every contest nobody else can join any more (or that waited ``wait_s``)."""
        self._decided = [c for c in self._decided
                         if now <= c.ref + self.window_s + self.wait_s]
        decisions: list[Decision] = []
        for contest in list(self._open):
            if now < contest.opened + self.wait_s and self._awaited(contest, now):
                continue
            self._open.remove(contest)
            winner = max(contest.candidates, key=lambda c: c.score)  # ties: the first offered
            contest.winner = winner
            self._decided.append(contest)
            decisions.append(Answer(winner, rivals=len(contest.candidates) - 1,
                                    waited=now - contest.opened))
            decisions += [Lost(c, winner) for c in contest.candidates if c is not winner]
        return decisions

    def deadline(self, now: float) -> float | None:
        """The next time :meth:`settle` may decide without any new input (None: nothing open)."""
        times: list[float] = []
        for contest in self._open:
            times.append(contest.opened + self.wait_s)
            if contest.ref + self.window_s > now:
                times.append(contest.ref + self.window_s)
        return min(times) if times else None

    def _joins(self, contest: _Contest, group: str, candidate: Candidate, ended: float) -> bool:
        return (contest.group == group and candidate.site not in contest.sites
                and abs(ended - contest.ref) <= self.window_s
                and similar(candidate.text, contest.candidates[0].text, self.min_similarity))

    def _awaited(self, contest: _Contest, now: float) -> list[str]:
        """Sites of the contest's group that may still bring a candidate to it."""
        awaited = []
        for site in self._members[contest.group]:
            entry = self._sites[site]
            if site in contest.sites or not entry.listening or entry.offered:
                continue
            still_talking = entry.in_speech and now < contest.ref + self.window_s
            ended_with_it = (entry.ended is not None
                             and abs(entry.ended - contest.ref) <= self.window_s)
            if still_talking or ended_with_it:
                awaited.append(site)
        return awaited
