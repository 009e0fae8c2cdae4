"""Everyday questions the rules miss, recognised by what they mean. Pure but for the model call.

The rules (``rules.py``) and the closed vocabularies (``vocabulary.py``) claim the wordings they
know; people keep finding new ones ("any chance you could tell me the time", "which weekday is
it", "right, I'll be off then"). Here a command is embedded with the daemon's sentence model and
compared with example sentences (``prototypes.py``): it is claimed for an intent only when its
nearest example of that intent is at least ``min_similarity`` near (cosine) and nearer by
``margin`` than every example of something else. Only intents that neither act nor keep
anything nor read a slot from the words may be claimed (time, date, chit-chat, "repeat that",
"never mind", and the honest "I can't know that" for live information), so a wrong claim can
mis-answer but never do or store something.

A time, date or day question about the household's own things ("what day is my hair
appointment", "what day of the week was I born") is never claimed: those are for the
documents and notes.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from nimbus.daemon.events import Command, Intent
from nimbus.handlers.responding.intents.prototypes import OTHER, PROTOTYPES

__all__ = ["MeaningMatch", "SemanticIntents", "decide", "meant_intent"]

log = logging.getLogger(__name__)

Embed = Callable[[list[str]], npt.NDArray[np.float32]]

_QUERY_CHARS: Final = 1000
"""As much of a command as retrieval embeds (``responding.handler``)."""
_MAX_WORDS: Final = 14
"""Everyday commands are short; a long sentence is a question about something."""
_CLOCK_INTENTS: Final = frozenset({"time", "date", "weekday"})
_OWN_WORLD: Final = re.compile(r"\b(?:my|our|mine|ours|his|her|their|born|birthday|"
                               r"appointment|anniversary)\b")
_ELSEWHERE: Final = re.compile(r"\b(?:in|at) (?!the moment\b|here\b|home\b|the minute\b)[a-z]")
"""The time somewhere else is not the time here."""
_DAY_OFFSET: Final = re.compile(r"\b(tomorrow|yesterday)\b")


@dataclass(frozen=True, slots=True)
class MeaningMatch:
    """A claim: the intent, its slots, and how near the command came (for the log)."""

    name: str
    slots: dict[str, str]
    similarity: float
    margin: float


class SemanticIntents:
    """Nearest-example intent recognition over the daemon's embedding model.

    The examples are embedded on the first call (a few hundred short sentences: about a second
    on two cores); call ``claim`` from a worker thread, never the event loop.
    """

    def __init__(self, embed: Embed, *, min_similarity: float, margin: float) -> None:
        self._embed = embed
        self._min_similarity = min_similarity
        self._margin = margin
        self._loading = threading.Lock()
        self._examples: npt.NDArray[np.float32] | None = None
        self._labels: tuple[str, ...] = ()

    def prepare(self) -> npt.NDArray[np.float32]:
        """The examples' vectors, embedded on the first call."""
        with self._loading:
            if self._examples is None:
                labels: list[str] = []
                texts: list[str] = []
                for intent, sentences in PROTOTYPES.items():
                    labels += [intent] * len(sentences)
                    texts += list(sentences)
                labels += [""] * len(OTHER)
                texts += list(OTHER)
                self._examples = self._embed(texts)
                self._labels = tuple(labels)
            return self._examples

    def claim(self, text: str) -> MeaningMatch | None:
        """The intent ``text`` means, or None (it goes on to the responder)."""
        said = " ".join(re.findall(r"[a-z0-9']+", text.lower()))
        if not said or len(said.split()) > _MAX_WORDS:
            return None
        examples = self.prepare()
        # The command as said, as retrieval will embed it: the model's cache serves both.
        similarity = examples @ self._embed([text.strip()[:_QUERY_CHARS]])[0]
        return decide(said, similarity, self._labels, min_similarity=self._min_similarity,
                      margin=self._margin)


def decide(said: str, similarity: Sequence[float] | npt.NDArray[np.float32],
           labels: Sequence[str], *, min_similarity: float, margin: float) -> MeaningMatch | None:
    """The claim for ``said`` given its similarity to each example (label "" = something else)."""
    best: dict[str, float] = {}
    for label, value in zip(labels, similarity, strict=True):
        if float(value) > best.get(label, -1.0):
            best[label] = float(value)
    other = best.pop("", -1.0)
    if not best:
        return None
    intent = max(best, key=lambda name: best[name])
    near = best[intent]
    if near < min_similarity or near - other < margin:
        return None
    if intent in _CLOCK_INTENTS and (_OWN_WORLD.search(said) or _ELSEWHERE.search(said)):
        return None
    if intent in ("goodbye", "greeting", "thanks") and re.match(
            r"(?:which|what|when|where|who|whose|why|is|are|was|were|do|does|did|can|will)\b",
            said):
        return None  # "which night is pizza night" asks something: no goodnight
    slots: dict[str, str] = {}
    if intent in ("date", "weekday") and (offset := _DAY_OFFSET.search(said)) is not None:
        slots["day"] = offset.group(1)
    return MeaningMatch(intent, slots, round(near, 3), round(near - other, 3))


def meant_intent(meaning: SemanticIntents, command: Command) -> Intent | None:
    """The ``intent`` event for ``command`` if it means an everyday intent (call off the loop).

    A failing model only costs the claim: the command goes on to the responder, and the log
    says why.
    """
    try:
        found = meaning.claim(command.text)
    except Exception:
        log.warning("recognising %r by meaning failed", command.text[:80], exc_info=True)
        return None
    if found is None:
        return None
    log.info("intent %s by meaning (similarity %.3f, margin %.3f): %r", found.name,
             found.similarity, found.margin, command.text[:80])
    return Intent(site=command.site, cause=command.id, name=found.name, slots=found.slots,
                  text=command.text.strip())
