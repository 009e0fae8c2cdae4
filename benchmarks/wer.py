"""Word error rate with a small English normaliser (numbers as words), and the held-out speech
set it is measured on: the Asterisk core prompts that Debian ships with their transcripts."""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

__all__ = ["Prompt", "asterisk_prompts", "edit_distance", "normalize", "number_words", "split"]

ASTERISK_SOUNDS: Final = Path("/usr/share/asterisk/sounds/en_US_f_Allison")
ASTERISK_TEXTS: Final = Path("/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz")

_ONES: Final = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                "seventeen", "eighteen", "nineteen")
_TENS: Final = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
                "ninety")
_SYMBOLS: Final = {"#": " pound ", "*": " star ", "%": " percent ", "&": " and ", "+": " plus ",
                   "@": " at "}


def number_words(value: int) -> str:
    """An integer below a billion as English words ("two hundred thirty four")."""
    if value < 20:
        return _ONES[value]
    if value < 100:
        tens, ones = divmod(value, 10)
        return _TENS[tens] + (f" {_ONES[ones]}" if ones else "")
    for size, name in ((1_000_000, "million"), (1000, "thousand"), (100, "hundred")):
        if value >= size:
            high, low = divmod(value, size)
            return f"{number_words(high)} {name}" + (f" {number_words(low)}" if low else "")
    raise AssertionError(value)


def normalize(text: str) -> list[str]:
    """Lower-case words without punctuation, digits spelled out, so that "Press 1." and "press
    one" are the same two words and "1-234" is "one two hundred thirty four"."""
    text = text.lower().replace("\u2019", "'")
    for symbol, word in _SYMBOLS.items():
        text = text.replace(symbol, word)
    text = re.sub(r"(\d),(\d{3})", r"\1\2", text)
    text = re.sub(r"\d+", lambda m: f" {number_words(int(m.group()[-9:]))} ", text)
    return re.findall(r"[a-z]+(?:'[a-z]+)?", text)


def edit_distance(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """Word substitutions + deletions + insertions (Levenshtein)."""
    previous = list(range(len(hypothesis) + 1))
    for i, word in enumerate(reference, 1):
        current = [i]
        for j, other in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (word != other)))
        previous = current
    return previous[-1]


@dataclass(frozen=True, slots=True)
class Prompt:
    """One recorded prompt and what it says."""

    name: str
    path: Path
    text: str


def asterisk_prompts(*, min_words: int = 2) -> list[Prompt]:
    """The Asterisk core prompts (Debian's ``asterisk-core-sounds-en-wav``: one professional
    voice, 8 kHz telephone recordings) whose transcript has at least ``min_words`` words and is
    speech: no [tone] or (N seconds of silence) description; sorted by name."""
    if not ASTERISK_TEXTS.is_file() or not ASTERISK_SOUNDS.is_dir():
        raise FileNotFoundError(
            "the held-out speech set is Debian's asterisk-core-sounds-en-wav package "
            "(apt-get install asterisk-core-sounds-en-wav asterisk-core-sounds-en)")
    prompts = []
    with gzip.open(ASTERISK_TEXTS, "rt", encoding="utf-8", errors="replace") as lines:
        for line in lines:
            name, sep, text = line.partition(":")
            name, text = name.strip(), text.strip()
            path = ASTERISK_SOUNDS / f"{name}.wav"
            if (not sep or line.startswith(";") or "[" in text or "(" in text or not path.is_file()
                    or len(normalize(text)) < min_words):
                continue
            prompts.append(Prompt(name, path, text))
    return sorted(prompts, key=lambda p: p.name)


def split(prompts: Sequence[Prompt]) -> tuple[list[Prompt], list[Prompt]]:
    """(development, test): a fixed half each, by a hash of the name (never by content)."""
    dev, test = [], []
    for prompt in prompts:
        digest = hashlib.sha256(prompt.name.encode()).digest()
        (dev if digest[0] % 2 == 0 else test).append(prompt)
    return dev, test
