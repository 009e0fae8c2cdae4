"""The enrolled phrase template, synchronously: the subsequence DTW distance, the template file,
and how verification uses the template (it rescues a doubted addressed phrase, never a mention,
and vetoes only audio unlike every rendition). Real speech through enrollment and the pipeline
is in test_near_misses.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nimbus.daemon.events import HeardWord
from nimbus.handlers.listening.phrases.template import (
    PhraseTemplates,
    TemplateError,
    distance,
    load_templates,
    merge,
    phrase_spans,
    save_templates,
    unit_frames,
)
from nimbus.handlers.listening.phrases.verify import thresholds, verify


def frames(rows: int, seed: int) -> np.ndarray:
    return unit_frames(np.random.default_rng(seed).normal(size=(rows, 64)).astype(np.float32))


def templates(*renditions: np.ndarray) -> PhraseTemplates:
    return PhraseTemplates(phrase="Nimbus", model="tiny.en", renditions=renditions)


def test_a_rendition_is_found_anywhere_inside_a_wider_window() -> None:
    said = frames(20, 1)
    window = np.concatenate([frames(7, 2), said, frames(9, 3)])
    assert distance(templates(said), window) == pytest.approx(0.0, abs=1e-5)
    # Slower speech: every frame twice. The warping path absorbs it.
    assert distance(templates(said), np.repeat(said, 2, axis=0)) == pytest.approx(0.0, abs=1e-5)


def test_unrelated_frames_are_far_and_the_nearest_rendition_wins() -> None:
    said, other = frames(20, 1), frames(20, 4)
    far = distance(templates(said), other)
    assert 0.6 < far < 1.4  # random directions: cosine distance about 1
    assert distance(templates(said, other), other) == pytest.approx(0.0, abs=1e-5)
    assert distance(templates(said), frames(1, 5)) == 1.0  # too short to hold a word


def test_the_template_file_round_trips_and_a_broken_one_says_why(tmp_path: Path) -> None:
    path = tmp_path / "state" / "phrase-templates.npz"
    original = templates(frames(20, 1), frames(23, 2), frames(18, 3))
    save_templates(path, original)
    loaded = load_templates(path)
    assert (loaded.phrase, loaded.model, len(loaded.renditions)) == ("Nimbus", "tiny.en", 3)
    for a, b in zip(loaded.renditions, original.renditions, strict=True):
        assert np.allclose(a, b, atol=2e-3)  # stored as float16
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a template")
    with pytest.raises(TemplateError, match=r"broken\.npz"):
        load_templates(broken)
    with pytest.raises(FileNotFoundError):
        load_templates(tmp_path / "missing.npz")


def test_merge_adds_a_second_voice_but_not_another_models_frames() -> None:
    first = templates(frames(20, 1), frames(20, 2), frames(20, 3))
    both = merge(first, [frames(20, 4)], phrase="Nimbus", model="tiny.en")
    assert len(both.renditions) == 4
    fresh = merge(first, [frames(20, 4)], phrase="Nimbus", model="base.en")
    assert len(fresh.renditions) == 1
    assert len(merge(both, [frames(20, i) for i in range(20)], phrase="Nimbus",
                     model="tiny.en").renditions) == 12


def test_phrase_spans_skip_whisper_punctuation_words() -> None:
    words = ["Turn", "it", "off", ",", "Nimbus", ".", "Nimbus", "?"]
    assert phrase_spans(words, "Nimbus", 0.75) == [(4, 4), (6, 6)]
    assert phrase_spans(["Hey", ",", "Nim", "bus"], "Hey Nimbus", 0.75) == [(0, 3)]


def words(text: str, probability: float, match: float | None,
          pause: float | None = None) -> tuple[HeardWord, ...]:
    """0.3 s per word; the phrase word carries ``probability`` and ``match``; with ``pause``,
    the phrase word and the word before it carry that comma probability."""
    out = []
    split = text.split()
    for i, word in enumerate(split):
        phrase = word.strip(",.?").lower() == "nimbus"
        before = i + 1 < len(split) and split[i + 1].strip(",.?").lower() == "nimbus"
        out.append(HeardWord(word=word, start=0.3 * i, end=0.3 * i + 0.3,
                             probability=probability if phrase else 0.9,
                             rest=probability if phrase else None,
                             match=match if phrase else None,
                             pause_after=pause if phrase or before else None))
    return tuple(out)


def judge(text: str, probability: float, match: float | None,
          pause: float | None = None) -> tuple[bool, str, bool]:
    originals = text.split()
    start = next(i for i, w in enumerate(originals) if w.strip(",.?").lower() == "nimbus")
    verdict = verify(originals, start, start + 1, words(text, probability, match, pause),
                     thresholds(0.5))
    return verdict.accepted, verdict.reason, verdict.by_template


def test_the_template_rescues_a_doubted_addressed_phrase() -> None:
    # Noise: the unprompted model hardly believes "Nimbus", the audio matches the user's own.
    assert judge("Nimbus, turn on the lights.", 0.02, 0.15, pause=0.4) == (True, "", True)
    assert judge("Nimbus, turn on the lights.", 0.02, 0.15) == (True, "", True)
    # Without pause evidence a run-on short of the extra certainty is rescued too.
    assert judge("Nimbus turn on the lights.", 0.2, 0.15) == (True, "", True)
    # Not close enough: the probability decides as without a template.
    assert judge("Nimbus, turn on the lights.", 0.02, 0.35, pause=0.4) == (False, "unsure", False)
    assert judge("Nimbus, turn on the lights.", 0.02, None, pause=0.4) == (False, "unsure", False)


def test_the_template_never_makes_up_for_a_missing_pause() -> None:
    # "Nimbostratus clouds ..." starts with the sound of the phrase (template distances
    # 0.20-0.30 measured): only the pause after it tells it apart.
    assert judge("Nimbus. Stratus clouds bring rain.", 0.9, 0.05, pause=0.01) == (
        False, "run_on", False)


def test_the_template_never_makes_a_mention_a_command() -> None:
    assert judge("Look at the Nimbus clouds.", 0.9, 0.05) == (False, "mid_sentence", False)
    assert judge("Look at the Nimbus clouds.", 0.9, 0.05, pause=0.0) == (
        False, "mid_sentence", False)


def test_only_audio_unlike_every_rendition_is_vetoed() -> None:
    # A phrase at the end of an utterance lies 0.4-0.7 from wake-style renditions: no opinion.
    assert judge("Add milk to the list, Nimbus.", 0.8, 0.6) == (True, "", False)
    # Whisper's hallucinated "Nimbus." closing a long utterance of scripture: vetoed.
    assert judge("And he was transfigured before Nimbus.", 0.88, 0.94) == (False, "unlike", False)


def test_a_repetition_loop_is_not_a_command() -> None:
    text = "Nimbus. Nimbus. Nimbus. Nimbus. Nimbus."
    verdict = verify(text.split(), 1, 2, words(text, 0.95, 0.1), thresholds(0.5))
    assert (verdict.accepted, verdict.reason) == (False, "repeated")
    assert verify(["Nimbus.", "Nimbus."], 0, 1, words("Nimbus. Nimbus.", 0.9, None),
                  thresholds(0.5)).accepted
