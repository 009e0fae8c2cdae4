"""The user's notes ("remember that …"): which answers come from them. Pure."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

__all__ = ["in_notes"]


class _Sourced(Protocol):
    @property
    def path(self) -> str: ...


def in_notes(evidence: Sequence[_Sourced], notes: Path) -> bool:
    """Does every evidence sentence come from the notes folder (an answer from memory)?"""
    if not evidence:
        return False
    root = os.path.realpath(notes) + os.sep
    return all(os.path.realpath(item.path).startswith(root) for item in evidence)
