"""Enrollment: the user's own renditions of a phrase become its acoustic template.

Blocking (it runs the ASR engine); ``nimbus phrases enroll`` calls it. Each recording is
transcribed with the phrase-biased prompt, the phrase's words are aligned to the audio, and the
encoder frames over them are kept (``template.py``). A recording in which the phrase is not
heard is an error that says what was heard instead, so a bad take is redone, never stored.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from nimbus.handlers.listening.asr.engine import WhisperEngine
from nimbus.handlers.listening.phrases.template import (
    PhraseTemplates,
    distance,
    phrase_spans,
)

__all__ = ["MIN_RENDITIONS", "EnrollError", "rendition_frames", "renditions", "self_distances"]

MIN_RENDITIONS = 3
"""Renditions needed: one take says little about how the phrase varies."""
_TOLERANCE = 0.75


class EnrollError(Exception):
    """A recording that cannot be enrolled; the message says which and why."""

    def __init__(self, message: str, *, heard: str | None = None) -> None:
        super().__init__(message)
        self.heard = heard
        """What was heard instead of the phrase (None: not that kind of failure)."""


def renditions(
    engine: WhisperEngine, recordings: Sequence[tuple[str, npt.NDArray[np.float32]]],
    phrase: str,
) -> list[npt.NDArray[np.float32]]:
    """The encoder frames of every time ``phrase`` is said in the (name, 16 kHz float32)
    recordings; ``EnrollError`` when one holds no clear rendition or fewer than
    ``MIN_RENDITIONS`` are found in all."""
    found: list[npt.NDArray[np.float32]] = []
    for name, audio in recordings:
        found += rendition_frames(engine, name, audio, phrase)
    if len(found) < MIN_RENDITIONS:
        raise EnrollError(f"heard {phrase!r} {len(found)} time(s); say it at least "
                          f"{MIN_RENDITIONS} times (one recording each, or several in one)")
    return found


def rendition_frames(
    engine: WhisperEngine, name: str, audio: npt.NDArray[np.float32], phrase: str,
) -> list[npt.NDArray[np.float32]]:
    """The encoder frames of every time ``phrase`` is said in one recording (at least one);
    ``EnrollError`` saying what was heard when the phrase was not."""
    result = engine.transcribe(audio)
    evidence = engine.evidence(result)
    words = evidence.words if evidence is not None else ()
    spans = phrase_spans([w.word for w in words], phrase, _TOLERANCE)
    if not spans:
        heard = result.text.strip() or "nothing"
        raise EnrollError(f"{name}: {phrase!r} not heard (heard: {heard!r}); record it "
                          "again, the phrase alone, clearly", heard=heard)
    found = []
    for first, last in spans:
        frames = engine.frames(result, words[first].start, words[last].end)
        if frames is None:
            raise EnrollError(f"{name}: {phrase!r} heard but too short to align; record it "
                              "again")
        found.append(frames)
    return found


def self_distances(templates: PhraseTemplates) -> list[float]:
    """Each rendition's distance to the others (how consistently the phrase was said)."""
    out = []
    for index, frames in enumerate(templates.renditions):
        others = templates.renditions[:index] + templates.renditions[index + 1 :]
        rest = PhraseTemplates(phrase=templates.phrase, model=templates.model, renditions=others)
        out.append(distance(rest, frames) if others else 0.0)
    return out
