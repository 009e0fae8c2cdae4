"""The user's notes ("remember that …"): which answers come from them. Pure."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from nimbus.handlers.responding.lexicon import lexicon

__all__ = ["in_notes", "names_capitalised", "with_note"]

_SUBJECT = re.compile(r"^(.+?)\s+(?:is|are|was|were|has|have)\s+", re.IGNORECASE)


class _Sourced(Protocol):
    @property
    def path(self) -> str: ...


def in_notes(evidence: Sequence[_Sourced], notes: Path) -> bool:
    """Does every evidence sentence come from the notes folder (an answer from memory)?"""
    if not evidence:
        return False
    root = os.path.realpath(notes) + os.sep
    return all(os.path.realpath(item.path).startswith(root) for item in evidence)


def _subject(line: str) -> str:
    found = _SUBJECT.match(line.strip())
    return " ".join(found.group(1).lower().split()) if found else ""


_CORRECTION = re.compile(
    r"^(?P<subject>(?:the|your|our|my) [a-z' ]+?) (?:(?:has|have) (?:now )?(?:gone (?:up|down)|"
    r"changed|moved|increased|decreased|dropped|risen|been [a-z]+(?: [a-z]+)?)|(?:now )?(?:changed|"
    r"moved|went (?:up|down)|increased|decreased|dropped|rose|was [a-z]+(?: [a-z]+)?)) "
    r"(?:to|from|by)\b", re.IGNORECASE)
_STAMP = re.compile(r"\s*\(noted on [^)]*\)\.?\s*$")


def with_note(lines: Sequence[str], note: str) -> list[str]:
    """The notes with ``note`` added; an older note about the same thing ("Your bike lock code
    is 3120." before "Your bike lock code is 5512.") is replaced, so no stale fact is read back.
    A correction ("The minibus has gone up to 34 pounds each.") is joined to the note it
    corrects ("The minibus to the wedding costs 27 pounds each."), which names the thing in
    full, so a question in the older note's words finds the new value with it."""
    subject = _subject(note)
    correction = _CORRECTION.match(note.strip())
    kept: list[str] = []
    for line in (line for line in lines if line.strip()):
        if subject and _subject(line) == subject:
            continue
        if correction and line.lower().startswith(correction.group("subject").lower() + " "):
            fact = _STAMP.sub("", line).rstrip(" .")
            note = f"{fact}, but {note[:1].lower()}{note[1:]}"
            continue
        kept.append(line)
    return [*kept, note]


_LOWER_WORD = re.compile(r"(?<![\w'])[a-z]{2,}(?![\w'])")
_FUNCTION_WORDS = frozenset(str.split(
    "the an and or but nor of to from with by at on in into onto for about over under after "
    "before since until till than as if so that this these those there here it its you your "
    "yours we our ours us me my mine he him his she her hers they them their theirs who whom "
    "whose which what when where why how is are was were be been being has have had do does "
    "did will would shall should can could may might must not no yes all any some each every "
    "both either neither nobody noone someone anyone everyone we're you're they're it's isn't "
    "aren't wasn't weren't don't doesn't didn't won't can't o'clock ok okay etc"))
"""Words no dictionary lists because they are grammar, not names."""


def names_capitalised(note: str) -> str:
    """A recogniser's lower-case name written with its capital: a word no English dictionary
    (WordNet) knows is a name ("you lent the ladder to steve" -> "… to Steve"), so that a later
    "who did I lend the ladder to?" finds a name in the note. Without WordNet it is unchanged."""
    words = lexicon()
    if not words.available:
        return note
    return _LOWER_WORD.sub(lambda m: m.group().capitalize() if m.group() not in _FUNCTION_WORDS
                           and not words.base_forms(m.group()) else m.group(), note)
