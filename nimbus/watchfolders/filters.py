"""Which files in a watched folder are candidates: include/exclude globs, hidden and temp files."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

__all__ = ["TEMP_PATTERNS", "PathFilter", "contains", "walk_files"]

TEMP_PATTERNS: tuple[str, ...] = (
    "*.part", "*.partial", "*.crdownload", "*.download", "*.tmp", "*.temp", "*~",
    "~$*", ".~lock.*", "*.swp", "*.swo", "*.swx", "*.swpx", "#*#", ".#*", "4913",
    "*.kate-swp", "*.sb-*", "*.lock",
)
"""In-progress downloads, office lock files, editor swap/backup files: never ingested."""


@dataclass(frozen=True, slots=True)
class PathFilter:
    """Pure path decision, relative to the watched folder roots (no file-system access)."""

    roots: tuple[str, ...]
    include: tuple[str, ...] = ("*",)
    exclude: tuple[str, ...] = ()

    @classmethod
    def of(cls, roots: Sequence[str], include: Sequence[str], exclude: Sequence[str]) -> PathFilter:
        return cls(tuple(r.rstrip("/") or "/" for r in roots), tuple(include), tuple(exclude))

    def root_of(self, path: str) -> str | None:
        """The watched folder containing ``path`` (deepest match), or None."""
        best: str | None = None
        for root in self.roots:
            prefix = root if root.endswith("/") else root + "/"
            if path.startswith(prefix) and (best is None or len(root) > len(best)):
                best = root
        return best

    def reason_ignored(self, path: str) -> str | None:
        """Why a file is not a candidate, or None when it is."""
        root = self.root_of(path)
        if root is None:
            return "outside the watched folders"
        relative = PurePath(path[len(root):].lstrip("/"))
        if any(part.startswith(".") for part in relative.parts):
            return "hidden"
        name = relative.name
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in TEMP_PATTERNS):
            return "temporary file"
        text = relative.as_posix()
        if any(fnmatch.fnmatch(name, g) or fnmatch.fnmatch(text, g) for g in self.exclude):
            return "excluded by watch.exclude"
        if not any(fnmatch.fnmatch(name, g) or fnmatch.fnmatch(text, g) for g in self.include):
            return "not matched by watch.include"
        return None

    def accepts(self, path: str) -> bool:
        return self.reason_ignored(path) is None


def contains(roots: Sequence[str], real_path: str) -> bool:
    """Pure: is a resolved path one of ``roots`` or inside one (roots resolved too)?

    The containment rule for symlinks: what a path *resolves to* must stay inside the watched
    folders, whatever the link's own name says.
    """
    return any(real_path == root or real_path.startswith(root.rstrip("/") + "/")
               for root in roots)


def walk_files(root: Path, path_filter: PathFilter) -> Iterator[str]:
    """Candidate files under a folder, sorted, without following directory symlinks (no loops)."""
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            full = os.path.join(folder, name)
            if path_filter.accepts(full):
                yield full
