"""An enrolled phrase template and the acoustic second opinion it gives. Pure: arrays in, a
distance out (plus the template file's format).

``nimbus phrases enroll`` stores how the user's own "Nimbus" looks to the ASR: for each of the
renditions they recorded, the Whisper encoder's frames (20 ms each) over the phrase's time span,
unit length. A candidate phrase in a transcript is compared with the same encoder's frames over
its own span (which the ASR computed anyway for its decode: no extra encoder pass), widened by
``WINDOW_PAD_S`` on each side, by subsequence dynamic time warping on the cosine distance: the
whole template must be matched, anywhere inside the window. The distance is the mean cosine
distance along the best path (0 = the same sound; nearest template wins).

Measured (``python -m benchmarks phrases``, tiny.en, templates of Piper joe and espeak en-us,
three renditions each): a phrase that opens an utterance after silence ("Nimbus, ...", like the
enrolled renditions) lies at 0.05-0.13 clean and 0.13-0.25 in noise at 10 dB SNR; near misses
0.14-0.65, where the close ones are those whose first syllables really are "nimbus"
("Nimbostratus clouds ...", "Nimbly ..."), which the word probability already lets through.
The encoder's frames depend on what was said before, so a phrase that closes an utterance
("..., Nimbus.") lies at 0.4-0.6 whatever it is: the template speaks for wake-style phrases
only, and it is used to *rescue* a phrase the word probability doubts, never to reject one
(see ``verify.py``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from nimbus.handlers.listening.phrases.matcher import find_phrases, tokenize

__all__ = [
    "FRAME_S",
    "TEMPLATE_FILE",
    "WINDOW_PAD_S",
    "PhraseTemplates",
    "TemplateError",
    "distance",
    "load_templates",
    "merge",
    "phrase_spans",
    "save_templates",
    "unit_frames",
]

Frames = npt.NDArray[np.float32]

FRAME_S: Final = 0.02
"""One Whisper encoder frame."""
WINDOW_PAD_S: Final = 0.15
"""A candidate's window reaches this far beyond its aligned word times (alignment is coarse)."""
TEMPLATE_FILE: Final = "phrase-templates.npz"
"""In the state directory."""


class TemplateError(Exception):
    """A template file that cannot be used (its message says why)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PhraseTemplates:
    """The enrolled renditions of one phrase, as the named ASR model's encoder frames."""

    phrase: str
    model: str
    """The ASR model whose encoder made the frames (another model's frames do not compare)."""
    renditions: tuple[Frames, ...]


def unit_frames(frames: npt.NDArray[np.float32]) -> Frames:
    """Each frame scaled to unit length (so a dot product is the cosine similarity)."""
    rows = np.asarray(frames, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    unit: Frames = (rows / np.maximum(norms, 1e-6)).astype(np.float32)
    return unit


def _subsequence_dtw(template: Frames, window: Frames) -> float:
    # einsum, not BLAS: a multi-threaded BLAS call this small costs 20-50 ms on a busy 2-core
    # machine (its threads wait for cores) against 0.15 ms single-threaded.
    cost = 1.0 - np.einsum("ik,jk->ij", template, window)  # template frames x window frames
    acc = cost[0].astype(np.float64)  # free start anywhere in the window
    for i in range(1, cost.shape[0]):
        row_cost = cost[i].astype(np.float64)
        from_above = np.minimum(acc, np.concatenate(([np.inf], acc[:-1])))
        # A horizontal step (one template frame over several window frames) chains along the
        # row: best[j] = min over k <= j of from_above[k] + row_cost[k+1..j].
        running = np.cumsum(row_cost)
        acc = running + np.minimum.accumulate(from_above + row_cost - running)
    return float(acc.min() / cost.shape[0])  # free end


def distance(templates: PhraseTemplates, window: Frames) -> float:
    """The nearest rendition's mean cosine distance to the best-matching part of ``window``
    (unit frames); 1.0 when the window is too short to hold a word."""
    if window.shape[0] < 2 or not templates.renditions:
        return 1.0
    return min(_subsequence_dtw(t, window) for t in templates.renditions)


def save_templates(path: Path, templates: PhraseTemplates) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = json.dumps({"phrase": templates.phrase, "model": templates.model, "version": 1})
    arrays = {f"r{i}": r.astype(np.float16) for i, r in enumerate(templates.renditions)}
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez(tmp, meta=np.array(meta), **arrays)  # type: ignore[arg-type]
    tmp.replace(path)


def load_templates(path: Path) -> PhraseTemplates:
    """The templates in ``path``; ``TemplateError`` saying why when they cannot be read."""
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            count = sum(1 for name in data.files if name.startswith("r"))
            renditions = tuple(
                unit_frames(data[f"r{i}"].astype(np.float32)) for i in range(count)
            )
    except FileNotFoundError:
        raise
    except (OSError, ValueError, KeyError, json.JSONDecodeError) as exc:
        raise TemplateError(f"{path}: not a phrase template file ({exc})") from exc
    if not isinstance(meta, dict) or not renditions or any(
            r.ndim != 2 or r.shape[0] < 2 for r in renditions):
        raise TemplateError(f"{path}: holds no usable rendition")
    return PhraseTemplates(phrase=str(meta.get("phrase", "")), model=str(meta.get("model", "")),
                           renditions=renditions)


def merge(existing: PhraseTemplates | None, new: Sequence[Frames], *, phrase: str, model: str,
          keep: int = 12) -> PhraseTemplates:
    """``new`` renditions added to ``existing`` ones of the same phrase and model (several
    people may enroll); the newest ``keep`` are kept."""
    old: tuple[Frames, ...] = ()
    if existing is not None and existing.phrase == phrase and existing.model == model:
        old = existing.renditions
    return PhraseTemplates(phrase=phrase, model=model, renditions=(*old, *new)[-keep:])


def phrase_spans(words: Sequence[str], phrase: str, tolerance: float) -> list[tuple[int, int]]:
    """Where ``phrase`` lies in Whisper's words: (first, last) word indices, punctuation-only
    words skipped (Whisper splits "Nimbus." into "Nimbus" and ".")."""
    tokens, where = [], []
    for index, word in enumerate(words):
        for token in tokenize(word):
            tokens.append(token)
            where.append(index)
    return [(where[m.start], where[m.end - 1])
            for m in find_phrases(tokens, (phrase,), kind="action", tolerance=tolerance)]
