"""Clock-free phrase matching: transcripts in, stop / action / command decisions out, per site.

Two ways of talking to the assistant both work (``phrases.mode``):

* wake: "Nimbus, what's on my calendar?" - the words after the action phrase are the command, or
  the next utterance if the phrase was said alone (within the follow-up window);
* submit (h2oGPT): dictate over one or more utterances and end with "... Nimbus." - everything
  said since the last command is submitted;
* both (default): words after the phrase win, else the dictated words before it.

A stop phrase anywhere, partial transcripts included, stops the site at once (once per
utterance). While the assistant speaks on a site only stop phrases act, and transcripts that
repeat what it is saying (its own voice through the microphone) are ignored.
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

__all__ = [
    "ActionHeard",
    "CommandReady",
    "Ignored",
    "Outcome",
    "PhraseMatch",
    "PhraseMatcher",
    "StopHeard",
    "find_phrase",
    "similarity",
    "tokenize",
]

ECHO_TAIL_S: Final = 3.0
"""How long after playback ends a transcript that repeats the spoken text is still echo."""
ECHO_OVERLAP: Final = 0.6
"""Share of a transcript's words found in the recently spoken text that makes it echo."""
_MAX_DICTATION_CHARS: Final = 4000
_MAX_STOPPED: Final = 32


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
                double = (
                    similarity(tokens[position].word + tokens[position + 1].word, word)
                    if position + 1 < len(tokens)
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
    if not found:
        return None
    return max(found, key=lambda m: (m.start, m.score)) if last else min(
        found, key=lambda m: (m.start, -m.score)
    )


def _join(tokens: Sequence[Token]) -> str:
    return " ".join(t.original for t in tokens).strip(" ,;:-")


@dataclass(frozen=True, slots=True, kw_only=True)
class StopHeard:
    match: PhraseMatch


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionHeard:
    match: PhraseMatch


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandReady:
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Ignored:
    reason: Literal["echo", "speaking", "no_phrase", "empty", "stopped"]


Outcome = StopHeard | ActionHeard | CommandReady | Ignored


@dataclass(slots=True)
class _Site:
    dictation: list[str] = field(default_factory=list)
    follow_up_until: float | None = None
    speaking: bool = False
    spoken: deque[str] = field(default_factory=lambda: deque(maxlen=16))
    echo_until: float = 0.0
    stopped: deque[Hashable] = field(default_factory=lambda: deque(maxlen=_MAX_STOPPED))


class PhraseMatcher:
    """Per-site phrase logic. Times are passed in (monotonic seconds); nothing reads a clock."""

    def __init__(self, config: PhrasesConfig) -> None:
        self.config = config
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
        if self.config.follow_up_s > 0:
            self._site(site).follow_up_until = now + self.config.follow_up_s

    def stopped(self, site: str) -> None:
        """The site was stopped: no follow-up, dictation discarded."""
        state = self._site(site)
        state.follow_up_until = None
        state.dictation.clear()

    # --- transcripts -----------------------------------------------------------------------

    def transcript(
        self, site: str, text: str, *, final: bool, utterance: Hashable, now: float
    ) -> list[Outcome]:
        """Decide what a (partial or final) transcript means for its site."""
        state = self._site(site)
        tokens = tokenize(text)
        if not tokens:
            return [Ignored(reason="empty")]
        stop = find_phrase(
            tokens, self.config.stop, kind="stop", tolerance=self.config.tolerance
        )
        if stop is not None:
            if utterance in state.stopped:
                return [Ignored(reason="stopped")]
            state.stopped.append(utterance)
            self.stopped(site)
            return [StopHeard(match=stop)]
        if not final:
            return []
        if utterance in state.stopped:
            return [Ignored(reason="stopped")]
        if state.speaking:
            return [Ignored(reason="speaking")]
        if now <= state.echo_until and self._is_echo(state, tokens):
            return [Ignored(reason="echo")]
        if not self.config.action:
            return [CommandReady(text=_join(tokens))]
        action = find_phrase(
            tokens,
            self.config.action,
            kind="action",
            tolerance=self.config.tolerance,
            last=self.config.mode == "submit",
        )
        if action is None:
            return self._no_phrase(state, tokens, now)
        return [ActionHeard(match=action), *self._with_phrase(state, tokens, action, now)]

    def _no_phrase(self, state: _Site, tokens: list[Token], now: float) -> list[Outcome]:
        if state.follow_up_until is not None and now <= state.follow_up_until:
            state.follow_up_until = None
            state.dictation.clear()
            return [CommandReady(text=_join(tokens))]
        state.follow_up_until = None
        if self.config.mode != "wake":
            state.dictation.append(_join(tokens))
            while sum(len(d) for d in state.dictation) > _MAX_DICTATION_CHARS:
                state.dictation.pop(0)
        return [Ignored(reason="no_phrase")]

    def _with_phrase(
        self, state: _Site, tokens: list[Token], action: PhraseMatch, now: float
    ) -> list[Outcome]:
        after = _join(tokens[action.end :])
        before = " ".join([*state.dictation, _join(tokens[: action.start])]).strip()
        mode = self.config.mode
        state.follow_up_until = None
        if mode in ("wake", "both") and after:
            state.dictation.clear()
            return [CommandReady(text=after)]
        if mode in ("submit", "both") and before:
            state.dictation.clear()
            if mode == "submit" and after:
                state.dictation.append(after)
            return [CommandReady(text=before)]
        state.dictation.clear()
        if mode == "submit" and after:
            state.dictation.append(after)
            return []
        state.follow_up_until = now + max(self.config.follow_up_s, 0.0)
        return []

    def expected_command(self, site: str, text: str, *, now: float) -> str | None:
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
        action = find_phrase(tokens, self.config.action, kind="action",
                             tolerance=self.config.tolerance, last=mode == "submit")
        if action is None:
            follow_up = state.follow_up_until is not None and now <= state.follow_up_until
            return (_join(tokens) or None) if follow_up else None
        after = _join(tokens[action.end :])
        before = " ".join([*state.dictation, _join(tokens[: action.start])]).strip()
        if mode in ("wake", "both") and after:
            return after
        if mode in ("submit", "both") and before:
            return before
        return None

    def _is_echo(self, state: _Site, tokens: list[Token]) -> bool:
        """Mostly words the assistant just said, and no action phrase it did not say itself.

        "Nimbus, what is the capital of France?" right after "The capital of France is Paris."
        shares most words with it, but the assistant never said "Nimbus": it is the user.
        """
        heard = [t.word for t in tokens]
        spoken_texts = [tokenize(text) for text in state.spoken]
        spoken = {t.word for words in spoken_texts for t in words}
        if not spoken or not heard:
            return False
        inside = sum(1 for w in heard if w in spoken)
        if inside / len(heard) < ECHO_OVERLAP:
            return False
        phrases, tolerance = self.config.action, self.config.tolerance
        if phrases and find_phrase(tokens, phrases, kind="action", tolerance=tolerance):
            return any(find_phrase(words, phrases, kind="action", tolerance=tolerance)
                       for words in spoken_texts)
        return True

    def echo_check(self, site: str, text: str) -> bool:
        """Whether a transcript repeats what the assistant said on the site (for tests/tools)."""
        return self._is_echo(self._site(site), tokenize(text))
