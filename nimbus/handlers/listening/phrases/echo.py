"""Is a transcript the assistant's own voice? Text rules over what it is saying. Pure.

A microphone beside the speaker hears the answer too: loud without echo cancellation, as a
faint residue with it. Whisper transcribes either, and an answer may itself say "Yonder" or
"Nimbus". Two rules, both against the texts the assistant said last (``sentence``/``say``):

* :func:`mostly_spoken`: most of the transcript's words are in what was said, and it holds no
  action phrase that the assistant did not say itself ("Nimbus, what is the capital of
  France?" after "The capital of France is Paris." is the user);
* :func:`phrase_echoed`: the phrase stands where the assistant said it - one of the three words
  before it is one of the three before a spoken occurrence of the phrase, or one of the three
  after it one of the three after, the answer's sentences read as one stream ("... lies yonder
  by the river", "Yonder, why is the old moon?" or "So bring the warm coat. Yonder." heard
  while the answer says "the mill lies yonder by the river" or "... so bring a warm coat.
  Yonder lies the old mill"), or the transcript opens with it and so does one of the answer's
  sentences ("Yonder." heard in the first half second of "Yonder lies the old mill…", or
  "Yonder wise thing." - while such an answer plays, a stop must be said after other words or
  alone at a moment the transcript does not open on it); for an action phrase only with at
  most one word after it ("Nimbus. No." while the answer says "Nimbus can tell you more"). A
  phrase said alone while no sentence of the answer starts with it ("Yonder.") or between
  other words ("the museum opens, Yonder, at nine") is the user's: the assistant never said
  it there. (:func:`at_window_edge`: a stop window whose phrases open or close it, while the
  answer says one, waits for the final transcript.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final, Protocol, TypeVar


class Token(Protocol):
    """A transcript word as the matcher reads it (``matcher.Token``)."""

    @property
    def word(self) -> str: ...


class PhraseMatch(Protocol):
    """A phrase found at tokens [start, end) (``matcher.PhraseMatch``): only its place here, so
    this module needs nothing from the matcher that imports it."""

    @property
    def phrase(self) -> str: ...

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

__all__ = ["ECHO_OVERLAP", "at_window_edge", "mostly_spoken", "phrase_echoed"]

ECHO_OVERLAP: Final = 0.6
"""Share of a transcript's words found in the recently spoken text that makes it echo."""
CONTEXT: Final = 3
"""Words either side of a phrase compared with those either side of the answer's: the residue
of an answer still being adapted to is heard with its words changed ("Yonder, why is the old
moon?" for "Yonder lies the old mill"), rarely with all of them changed."""

T = TypeVar("T", bound=Token)
M = TypeVar("M", bound=PhraseMatch)


def mostly_spoken(tokens: Sequence[T], spoken: Sequence[Sequence[T]],
                  find_action: Callable[[Sequence[T]], list[M]]) -> bool:
    """Mostly words the assistant just said, and no action phrase it did not say itself."""
    heard = [t.word for t in tokens]
    said = {t.word for words in spoken for t in words}
    if not said or not heard:
        return False
    inside = sum(1 for w in heard if w in said)
    if inside / len(heard) < ECHO_OVERLAP:
        return False
    if find_action(tokens):
        return any(find_action(words) for words in spoken)
    return True


def _around(words: Sequence[T], start: int, end: int) -> tuple[set[str], set[str]]:
    """The words within ``CONTEXT`` before and after tokens [start, end)."""
    before = {t.word for t in words[max(0, start - CONTEXT) : start]}
    return before, {t.word for t in words[end : end + CONTEXT]}


def phrase_echoed(tokens: Sequence[T], match: M, spoken: Sequence[Sequence[T]],
                  find: Callable[[Sequence[T]], list[M]], *, opening_rest: int | None = None
                  ) -> bool:
    """The phrase at ``match`` stands where the assistant said one (see module docstring).
    ``opening_rest``: a transcript opening with the phrase like a sentence of the answer is
    echo only with at most this many words after it (None: any; an action phrase passes 1:
    "Nimbus. No." is echo, "Nimbus, what time is it?" the user)."""
    before, after = _around(tokens, match.start, match.end)
    # The answer is heard as one stream: the words around a phrase that opens or closes a
    # sentence are the previous sentence's last ones ("... bring a warm coat. Yonder." for
    # "... so bring a warm coat. Yonder lies the old mill").
    stream = [t for words in spoken for t in words]
    offset = 0
    for words in spoken:
        for said in find(words):
            said_before, said_after = _around(stream, offset + said.start, offset + said.end)
            if before & said_before or after & said_after:
                return True
            # A sentence of the answer opens with the phrase ("Yonder lies the old mill…") and
            # so does the transcript: "Yonder." (its first half second) or its residue with
            # the words after changed ("Yonder wise thing.", heard in the real-time room).
            if match.start == 0 and said.start == 0 and (
                    opening_rest is None or len(tokens) - match.end <= opening_rest):
                return True
        offset += len(words)
    return False


def at_window_edge(tokens: Sequence[T], matches: Sequence[M], spoken: Sequence[Sequence[T]],
                   find: Callable[[Sequence[T]], list[M]]) -> bool:
    """Every phrase in ``matches`` opens or closes the transcript, and the answer says one of
    them. A stop window is the newest second and a half of an utterance: the words before a
    phrase that opens it were cut off by the window's start, those after one that closes it
    not yet heard - the context :func:`phrase_echoed` compares is missing exactly there. The
    answer's own "... the words: yonder, where the sun goes down" is heard as "Yonder." alone,
    "Yonder, the angry." or "Against from Yonder." (the residue of a canceller still fitting the
    room, its words changed) like the user's stop: the matcher then lets the utterance's final
    transcript, with the words around it, decide. A phrase between other words acts at once."""
    if not tokens or not matches:
        return False
    if any(m.start > 0 and m.end < len(tokens) for m in matches):
        return False
    phrases = {m.phrase for m in matches}
    return any(said.phrase in phrases for words in spoken for said in find(words))
