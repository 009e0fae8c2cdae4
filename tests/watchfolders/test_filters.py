"""Path filters, change planning, FTS query building and rank fusion: pure, synchronous."""

from __future__ import annotations

import pytest

from nimbus.watchfolders.filters import PathFilter
from nimbus.watchfolders.handler import plan_changes
from nimbus.watchfolders.search import fts_query, fuse
from nimbus.watchfolders.watcher import Change

ROOT = "/data/watched"
FILTER = PathFilter.of([ROOT], ["*"], ["*.bak", "private/*"])


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("manual.pdf", None),
        ("sub dir/notes ü.md", None),
        (".hidden.txt", "hidden"),
        (".git/config", "hidden"),
        ("movie.mp4.part", "temporary file"),
        ("setup.pdf.crdownload", "temporary file"),
        ("~$report.docx", "temporary file"),
        (".notes.md.swp", "hidden"),
        ("notes.md.swp", "temporary file"),
        ("notes.md~", "temporary file"),
        ("4913", "temporary file"),
        ("old.bak", "excluded by watch.exclude"),
        ("private/diary.txt", "excluded by watch.exclude"),
    ],
)
def test_reason_ignored(name: str, reason: str | None) -> None:
    assert FILTER.reason_ignored(f"{ROOT}/{name}") == reason


def test_outside_and_include_globs() -> None:
    assert FILTER.reason_ignored("/elsewhere/a.txt") == "outside the watched folders"
    assert FILTER.reason_ignored("/data/watchedother/a.txt") == "outside the watched folders"
    only_pdf = PathFilter.of([ROOT], ["*.pdf"], [])
    assert only_pdf.accepts(f"{ROOT}/a/b.pdf")
    assert only_pdf.reason_ignored(f"{ROOT}/a/b.txt") == "not matched by watch.include"


def test_nested_roots_pick_the_deepest() -> None:
    f = PathFilter.of(["/a", "/a/b"], ["*"], [])
    assert f.root_of("/a/b/c.txt") == "/a/b"
    assert f.root_of("/a/c.txt") == "/a"


def test_plan_changes() -> None:
    changes = [
        Change(kind="created", path=f"{ROOT}/a.txt"),
        Change(kind="created", path=f"{ROOT}/a.txt.part"),
        Change(kind="deleted", path=f"{ROOT}/gone.txt"),
        Change(kind="moved", path=f"{ROOT}/x.pdf", dest=f"{ROOT}/y.pdf"),
        Change(kind="moved", path=f"{ROOT}/dl.pdf.crdownload", dest=f"{ROOT}/dl.pdf"),
        Change(kind="moved", path=f"{ROOT}/keep.txt", dest="/tmp/out.txt"),
        Change(kind="deleted", path=f"{ROOT}/folder", is_dir=True),
        Change(kind="created", path=f"{ROOT}/newdir", is_dir=True),
    ]
    items, moves, dirs = plan_changes(changes, FILTER, now=100.0, settle_s=2.0)
    assert [(i.path.removeprefix(ROOT), i.action, i.reason, i.due) for i in items] == [
        ("/a.txt", "ingest", "created", 102.0),
        ("/gone.txt", "remove", "deleted", 100.0),
        ("/dl.pdf", "ingest", "moved", 102.0),
        ("/keep.txt", "remove", "moved away", 100.0),
    ]
    assert moves == [(f"{ROOT}/x.pdf", f"{ROOT}/y.pdf")]
    assert dirs == [f"{ROOT}/folder", f"+{ROOT}/newdir"]


def test_fts_query_is_safe() -> None:
    assert fts_query('boiler "pressure" AND (NEAR) -x*') == '"boiler" OR "pressure" OR "near"'
    assert fts_query("what is the code for the bike?") == '"code" OR "bike"'
    assert fts_query("?! the") == ""


def test_fuse_rewards_agreement() -> None:
    fused = fuse([1, 2, 3], [3, 4])
    assert fused[0][0] == 3
    assert {i for i, _ in fused} == {1, 2, 3, 4}
    assert fused[0][1] == pytest.approx(1 / 63 + 1 / 61)
