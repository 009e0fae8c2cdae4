"""Clock-free phrase matching: transcripts in, stop / action / command decisions out, per site.

Two ways of talking to the assistant both work (``phrases.mode``):

* wake: "Nimbus, what's on my calendar?" - the words after the action phrase are the command, or
  the next utterance if the phrase was said alone (within the follow-up window);
* submit (h2oGPT): dictate over one or more utterances and end with "... Nimbus." - everything
  said since the last command is submitted;
* both (default): words after the phrase win, else the dictated words before it.

A phrase found in a transcript is a candidate until ``verify.py`` accepts it: the audio must
confirm it (unprompted word probability) and it must be addressed (apart from the words before
it); a rejected candidate is a ``Rejected`` outcome and the utterance counts as ordinary speech.

While the assistant is busy on a site (thinking or speaking), a stop phrase anywhere, partial
transcripts included, stops it at once (once per utterance), unverified: a stop must be quick.
While it is silent, a stop phrase waits for the final transcript and is verified like an action
phrase. While the assistant speaks on a site only stop phrases act, and transcripts that repeat
what it is saying (its own voice through the microphone) are ignored (``echo.py``), a stop
phrase too when it stands where the answer says it; a stop window (a partial) that heard the
phrase alone while the answer says it waits for the final transcript. Where the site's microphone is
echo-cancelled (``cancelled=True``) the user may also give a new command over the answer.

Submit style sends only what was dictated within ``phrases.dictation_s`` seconds (stream time)
before the phrase, at most ``phrases.dictation_chars`` characters: old chatter is never sent.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Final, Literal

from nimbus.daemon.config import PhrasesConfig
from nimbus.daemon.events import HeardWord
from nimbus.handlers.listening.phrases.echo import (
    at_window_edge,
    mostly_spoken,
    phrase_echoed,
)
from nimbus.handlers.listening.phrases.verify import Thresholds, thresholds, verify

__all__ = [
    "ActionHeard",
    "CommandReady",
    "Ignored",
    "Outcome",
    "PhraseMatch",
    "PhraseMatcher",
    "Rejected",
    "StopHeard",
    "find_phrase",
    "find_phrases",
    "similarity",
    "tokenize",
]

ECHO_TAIL_S: Final = 3.0
"""How long after playback ends a transcript that repeats the spoken text is still echo."""
_MAX_STOPPED: Final = 32
FOLLOW_UP_AFTER_S: Final = 0.1
"""A follow-up (no phrase needed) must have begun at least this long after the answer ended:
one that began while it played is its own voice's residue ("I'll see you all now." for "and
you will see its wheel", heard in the real-time room). Its start is known only as an upper
bound (publish time less the utterance's length), so the margin is small."""


@dataclass(frozen=True, slots=True)
class Token:
    """A word of a transcript: normalized for matching, original for the command text."""

    word: str
    original: str


def _normalize(token: str) -> str:
    decomposed = unicodedata.normalize("NFKD", token.casefold())
    return "".join(c for c in decomposed if c.isalnum() or c == "'").strip("'")


def tokenize(text: str) -> list[Token]:
    """Split into words, dropping pure punctuation; case and accents are folded for matching."""
    tokens = [Token(_normalize(m.group()), m.group()) for m in re.finditer(r"\S+", text)]
    return [t for t in tokens if t.word]


def similarity(heard: str, wanted: str) -> float:
    """Word similarity in [0, 1]; words with a different first letter need >= 0.9."""
    if heard == wanted:
        return 1.0
    ratio = SequenceMatcher(None, heard, wanted).ratio()
    if heard[:1] != wanted[:1]:
        ratio = ratio if ratio >= 0.9 else ratio * 0.8
    return ratio


@dataclass(frozen=True, slots=True, kw_only=True)
class PhraseMatch:
    """A configured phrase found in a transcript at tokens [start, end)."""

    phrase: str
    kind: Literal["action", "stop"]
    heard: str
    score: float
    start: int
    end: int


def find_phrase(
    tokens: Sequence[Token],
    phrases: Sequence[str],
    *,
    kind: Literal["action", "stop"],
    tolerance: float,
    last: bool = False,
) -> PhraseMatch | None:
    """The first (or last) occurrence of any phrase, fuzzily: each phrase word must match a
    heard word (or two heard words run together, "nim bus") with similarity >= tolerance."""
    found = find_phrases(tokens, phrases, kind=kind, tolerance=tolerance)
    if not found:
        return None
    return found[-1] if last else found[0]


def find_phrases(
    tokens: Sequence[Token],
    phrases: Sequence[str],
    *,
    kind: Literal["action", "stop"],
    tolerance: float,
) -> list[PhraseMatch]:
    """Every occurrence of any phrase, by position (the best-scoring phrase at a position)."""
    found: list[PhraseMatch] = []
    for phrase in phrases:
        wanted = [t.word for t in tokenize(phrase)]
        if not wanted:
            continue
        for start in range(len(tokens)):
            position, scores = start, []
            for word in wanted:
                if position >= len(tokens):
                    break
                single = similarity(tokens[position].word, word)
                # Two heard words make one phrase word ("nim bus"), never across punctuation
                # ("the news, Nimbus" is not "newsnimbus").
                double = (
                    similarity(tokens[position].word + tokens[position + 1].word, word)
                    if position + 1 < len(tokens) and tokens[position].original[-1:].isalnum()
                    else 0.0
                )
                if max(single, double) < tolerance:
                    break
                scores.append(max(single, double))
                position += 2 if double > single else 1
            if len(scores) == len(wanted):
                found.append(
                    PhraseMatch(
                        phrase=phrase,
                        kind=kind,
                        heard=" ".join(t.original for t in tokens[start:position]),
                        score=sum(scores) / len(scores),
                        start=start,
                        end=position,
                    )
                )
    best: dict[int, PhraseMatch] = {}
    for match in found:
        if match.start not in best or match.score > best[match.start].score:
            best[match.start] = match
    return [best[start] for start in sorted(best)]


def _join(tokens: Sequence[Token]) -> str:
    return " ".join(t.original for t in tokens).strip(" ,;:-")


@dataclass(frozen=True, slots=True, kw_only=True)
class StopHeard:
    match: PhraseMatch


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionHeard:
    match: PhraseMatch


@dataclass(frozen=True, slots=True, kw_only=True)
class Rejected:
    """A candidate phrase that verification turned down (a near miss)."""

    match: PhraseMatch
    score: float
    reason: str
    pause: float | None = None
    """The weaker comma probability around the phrase (None without pause evidence)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandReady:
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Ignored:
    reason: Literal["echo", "speaking", "no_phrase", "empty", "stopped"]


Outcome = StopHeard | ActionHeard | CommandReady | Ignored | Rejected


@dataclass(slots=True)
class _Site:
    dictation: list[tuple[float, str]] = field(default_factory=list)
    """(stream time the words ended, words) said since the last command."""
    follow_up_until: float | None = None
    speaking: bool = False
    spoken: deque[str] = field(default_factory=lambda: deque(maxlen=16))
    echo_until: float = 0.0
    answered_at: float | None = None
    stopped: deque[Hashable] = field(default_factory=lambda: deque(maxlen=_MAX_STOPPED))


class PhraseMatcher:
    """Per-site phrase logic. Times are passed in (monotonic seconds); nothing reads a clock."""

    def __init__(self, config: PhrasesConfig) -> None:
        self.config = config
        self.limits: Thresholds = thresholds(config.sensitivity)
        self._sites: dict[str, _Site] = {}

    def _site(self, site: str) -> _Site:
        return self._sites.setdefault(site, _Site())

    # --- what the assistant is doing -------------------------------------------------------

    def playback(self, site: str, *, active: bool, now: float) -> None:
        """Playback started/finished on a site."""
        state = self._site(site)
        state.speaking = active
        if not active:
            state.echo_until = now + ECHO_TAIL_S

    def spoken(self, site: str, text: str) -> None:
        """Text the assistant is saying (or about to say) on a site."""
        if text.strip():
            self._site(site).spoken.append(text)

    def answered(self, site: str, now: float) -> None:
        """An answer finished: the next utterance within the follow-up window needs no phrase."""
        self._site(site).answered_at = now
        if self.config.follow_up_s > 0:
            self._site(site).follow_up_until = now + self.config.follow_up_s

    def stopped(self, site: str) -> None:
        """The site was stopped: no follow-up, dictation discarded."""
        state = self._site(site)
        state.follow_up_until = None
        state.dictation.clear()

    # --- transcripts -----------------------------------------------------------------------

    def transcript(
        self,
        site: str,
        text: str,
        *,
        final: bool,
        utterance: Hashable,
        now: float,
        words: Sequence[HeardWord] = (),
        at: float | None = None,
        busy: bool = False,
        cancelled: bool = False,
        began: float | None = None,
    ) -> list[Outcome]:
        """Decide what a (partial or final) transcript means for its site.

        ``words``: the ASR's word evidence (verifies candidates); ``at``: where the transcript
        ends in the site's stream, in seconds (ages dictation; default ``now``); ``busy``: the
        assistant is thinking or speaking on the site (a stop phrase then acts unverified);
        ``cancelled``: the site's microphone is echo-cancelled (commands may come over an
        answer); ``began``: the latest the utterance can have begun (monotonic; a follow-up
        must begin after the answer ended).
        """
        limits = self.limits
        state = self._site(site)
        tokens = tokenize(text)
        if not tokens:
            return [Ignored(reason="empty")]
        at = now if at is None else at
        rejected: list[Outcome] = []
        stops = find_phrases(
            tokens, self.config.stop, kind="stop", tolerance=self.config.tolerance
        )
        if stops:
            if utterance in state.stopped:
                return [Ignored(reason="stopped")]
            fast = busy or state.speaking
            if not fast and not final:
                return []  # silent: verify it on the final transcript
            if fast:  # the answer's own "Yonder", heard back, is no stop
                spoken = self._spoken(state)
                stops = [s for s in stops if not self._echoed(tokens, s, spoken)]
                if not stops:
                    return [Ignored(reason="echo")] if final else []
                if not final and state.speaking and at_window_edge(
                        tokens, stops, spoken, lambda words: find_phrases(
                        words, self.config.stop, kind="stop", tolerance=self.config.tolerance)):
                    return []  # the phrase at a stop window's edge: the final decides (echo.py)
            stop: PhraseMatch | None = stops[0]
            if not fast:
                # Silent: nothing to interrupt, so only a stop said on its own is one
                # ("Yonder." or "Yonder, yonder!" - not "Yonder stands the old mill").
                said = {i for s in stops for i in range(s.start, s.end)}
                if len(said) == len(tokens):
                    stop, rejected = self._verified(tokens, stops, words, limits)
                else:
                    stop, rejected = None, self._not_alone(tokens, stops, words, limits)
            if stop is not None:
                state.stopped.append(utterance)
                self.stopped(site)
                return [StopHeard(match=stop)]
        if not final:
            return []
        if utterance in state.stopped:
            return [Ignored(reason="stopped")]
        if state.speaking and not cancelled:
            return [Ignored(reason="speaking")]
        if (state.speaking or now <= state.echo_until) and self._is_echo(state, tokens):
            return [Ignored(reason="echo")]
        if not self.config.action:
            if state.speaking:  # over an answer, only an addressed command counts
                return [Ignored(reason="speaking")]
            return [CommandReady(text=_join(tokens))]
        candidates = find_phrases(
            tokens, self.config.action, kind="action", tolerance=self.config.tolerance
        )
        if state.speaking:
            spoken = self._spoken(state)
            candidates = [c for c in candidates if not self._echoed(tokens, c, spoken)]
            if not candidates:
                return [Ignored(reason="speaking")]
        if self.config.mode == "submit":
            candidates.reverse()
        action, turned_down = self._verified(tokens, candidates, words, limits)
        rejected += turned_down
        if action is None:
            return [*rejected, *self._no_phrase(state, tokens, now, at, began)]
        return [*rejected, ActionHeard(match=action),
                *self._with_phrase(state, tokens, action, now, at)]

    def _verified(
        self, tokens: list[Token], candidates: Sequence[PhraseMatch],
        words: Sequence[HeardWord], limits: Thresholds,
    ) -> tuple[PhraseMatch | None, list[Outcome]]:
        """The first candidate that verification accepts, and the ones it turned down before."""
        originals = [t.original for t in tokens]
        rejected: list[Outcome] = []
        for candidate in candidates:
            verdict = verify(originals, candidate.start, candidate.end, words, limits)
            if verdict.accepted:
                return candidate, rejected
            rejected.append(Rejected(match=candidate, score=verdict.score, reason=verdict.reason,
                                     pause=verdict.pause))
        return None, rejected

    def _not_alone(
        self, tokens: list[Token], stops: Sequence[PhraseMatch], words: Sequence[HeardWord],
        limits: Thresholds,
    ) -> list[Outcome]:
        originals = [t.original for t in tokens]
        return [Rejected(match=s, reason="not_alone",
                         score=verify(originals, s.start, s.end, words, limits).score)
                for s in stops]

    def _no_phrase(
        self, state: _Site, tokens: list[Token], now: float, at: float, began: float | None
    ) -> list[Outcome]:
        if state.follow_up_until is not None and now <= state.follow_up_until:
            if (began is not None and state.answered_at is not None
                    and began <= state.answered_at + FOLLOW_UP_AFTER_S):
                return [Ignored(reason="echo")]  # began while the answer played
            state.follow_up_until = None
            state.dictation.clear()
            return [CommandReady(text=_join(tokens))]
        state.follow_up_until = None
        if self.config.mode != "wake":
            state.dictation.append((at, _join(tokens)))
            self._bound_dictation(state, at)
        return [Ignored(reason="no_phrase")]

    def _bound_dictation(self, state: _Site, at: float) -> None:
        """Keep only dictation from the last ``dictation_s`` seconds, newest
        ``dictation_chars`` characters (an entry that does not fit whole is dropped)."""
        recent = [(t, d) for t, d in state.dictation if 0.0 <= at - t <= self.config.dictation_s]
        while recent and sum(len(d) + 1 for _, d in recent) > self.config.dictation_chars:
            recent.pop(0)
        state.dictation[:] = recent

    def _dictated(self, state: _Site, before: str, at: float) -> str:
        self._bound_dictation(state, at)
        return " ".join([*(d for _, d in state.dictation), before]).strip()

    def _with_phrase(
        self, state: _Site, tokens: list[Token], action: PhraseMatch, now: float, at: float
    ) -> list[Outcome]:
        after = _join(tokens[action.end :])
        before = self._dictated(state, _join(tokens[: action.start]), at)
        mode = self.config.mode
        state.follow_up_until = None
        if mode in ("wake", "both") and after:
            state.dictation.clear()
            return [CommandReady(text=after)]
        if mode in ("submit", "both") and before:
            state.dictation.clear()
            if mode == "submit" and after:
                state.dictation.append((at, after))
            return [CommandReady(text=before)]
        state.dictation.clear()
        if mode == "submit" and after:
            state.dictation.append((at, after))
            return []
        state.follow_up_until = now + max(self.config.follow_up_s, 0.0)
        return []

    def expected_command(
        self, site: str, text: str, *, now: float, at: float | None = None
    ) -> str | None:
        """The command a (partial) transcript gives if the utterance ends now; changes nothing.

        None when it would give none: a stop phrase, the assistant speaking, an echo, no action
        phrase outside a follow-up window, or the phrase alone.
        """
        state = self._site(site)
        tokens = tokenize(text)
        if not tokens or state.speaking:
            return None
        if find_phrase(tokens, self.config.stop, kind="stop", tolerance=self.config.tolerance):
            return None
        if now <= state.echo_until and self._is_echo(state, tokens):
            return None
        if not self.config.action:
            return _join(tokens) or None
        mode = self.config.mode
        candidates = find_phrases(tokens, self.config.action, kind="action",
                                  tolerance=self.config.tolerance)
        if mode == "submit":
            candidates.reverse()
        # Partials carry no word evidence: only the addressing cues can be checked here.
        action, _ = self._verified(tokens, candidates, (), self.limits)
        if action is None:
            follow_up = state.follow_up_until is not None and now <= state.follow_up_until
            return (_join(tokens) or None) if follow_up else None
        after = _join(tokens[action.end :])
        at = now if at is None else at
        recent = [d for t, d in state.dictation if 0.0 <= at - t <= self.config.dictation_s]
        before = " ".join([*recent, _join(tokens[: action.start])]).strip()
        if mode in ("wake", "both") and after:
            return after
        if mode in ("submit", "both") and before:
            return before
        return None

    @staticmethod
    def _spoken(state: _Site) -> list[list[Token]]:
        return [tokenize(text) for text in state.spoken]

    def _find_action(self, tokens: Sequence[Token]) -> list[PhraseMatch]:
        return find_phrases(tokens, self.config.action, kind="action",
                            tolerance=self.config.tolerance)

    def _echoed(self, tokens: list[Token], match: PhraseMatch, spoken: list[list[Token]]
                ) -> bool:
        """A phrase the assistant said itself, heard back (``echo.phrase_echoed``)."""
        phrases = self.config.stop if match.kind == "stop" else self.config.action
        tolerance = self.config.tolerance

        def find(words: Sequence[Token]) -> list[PhraseMatch]:
            return find_phrases(words, phrases, kind=match.kind, tolerance=tolerance)

        return phrase_echoed(tokens, match, spoken, find,
                             opening_rest=None if match.kind == "stop" else 1)

    def _is_echo(self, state: _Site, tokens: list[Token]) -> bool:
        """Mostly words the assistant just said (``echo.mostly_spoken``)."""
        return mostly_spoken(tokens, self._spoken(state), self._find_action)

    def echo_check(self, site: str, text: str) -> bool:
        """Whether a transcript repeats what the assistant said on the site (for tests/tools)."""
        return self._is_echo(self._site(site), tokenize(text))
