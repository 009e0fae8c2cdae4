"""Is a transcript the assistant's own voice? Text rules over what it is saying. Pure.

A microphone beside the speaker hears the answer too: loud without echo cancellation, as a
faint residue with it. Whisper transcribes either, and an answer may itself say "Yonder" or
"Nimbus". Two rules, both against the texts the assistant said last (``sentence``/``say``):

* :func:`mostly_spoken`: most of the transcript's words are in what was said, and it holds no
  action phrase that the assistant did not say itself ("Nimbus, what is the capital of
  France?" after "The capital of France is Paris." is the user);
* :func:`phrase_echoed`: the phrase stands where the assistant said it - a spoken occurrence of
  the phrase has the same word right before or right after it ("... lies yonder by the river"
  heard while the answer says "the mill lies yonder by the river"), or opens both the transcript
  and one of the answer's sentences ("Yonder." heard in the first half second of "Yonder lies
  the old mill…"). A phrase said alone while no sentence of the answer starts with it
  ("Yonder.") or between other words ("the museum opens, Yonder, at nine") is the user's: the
  assistant never said it there.
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

__all__ = ["ECHO_OVERLAP", "mostly_spoken", "phrase_echoed"]

ECHO_OVERLAP: Final = 0.6
"""Share of a transcript's words found in the recently spoken text that makes it echo."""

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


def phrase_echoed(tokens: Sequence[T], match: M, spoken: Sequence[Sequence[T]],
                  find: Callable[[Sequence[T]], list[M]]) -> bool:
    """The phrase at ``match`` stands where the assistant said one (see module docstring)."""
    before = tokens[match.start - 1].word if match.start > 0 else None
    after = tokens[match.end].word if match.end < len(tokens) else None
    for words in spoken:
        for said in find(words):
            said_before = words[said.start - 1].word if said.start > 0 else None
            said_after = words[said.end].word if said.end < len(words) else None
            if (before is not None and before == said_before) or (
                    after is not None and after == said_after):
                return True
            # The answer opens with the phrase ("Yonder lies the old mill…") and the transcript
            # of its first half second is the phrase alone, nothing heard before it yet.
            if before is None and said_before is None and (
                    after is None or after == said_after):
                return True
    return False
