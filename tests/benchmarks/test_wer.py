"""The ASR decode benchmark's word error rate: its normaliser and edit distance (no model)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.wer import Prompt, edit_distance, normalize, number_words, split


def test_numbers_are_words_on_both_sides() -> None:
    assert normalize("Press 1, then #.") == normalize("press one then pound")
    assert number_words(8910) == "eight thousand nine hundred ten"
    assert normalize("1,500") == ["one", "thousand", "five", "hundred"]
    assert normalize("That's 10:30!") == ["that's", "ten", "thirty"]


def test_a_run_together_count_stays_wrong() -> None:
    reference = normalize("one, two, three, four, five, six, seven, eight, nine, ten")
    assert edit_distance(reference, normalize("1-234-567-8910.")) == 6
    assert edit_distance(reference, normalize("1, 2, 3, 4, 5, 6, 7, 8, 9, 10.")) == 0


def test_edit_distance_counts_substitutions_deletions_and_insertions() -> None:
    assert edit_distance(["a", "b", "c", "d"], ["a", "x", "c"]) == 2
    assert edit_distance([], ["a"]) == 1
    assert edit_distance(["a"], []) == 1
    assert edit_distance(["the", "cat", "sat"], ["the", "cat", "sat"]) == 0


def test_the_split_is_fixed_by_name() -> None:
    prompts = [Prompt(f"p{i}", Path(__file__), "x y") for i in range(40)]
    dev, test = split(prompts)
    assert len(dev) + len(test) == 40
    assert dev
    assert test
    assert split(list(reversed(prompts)))[0] == list(reversed(dev))
