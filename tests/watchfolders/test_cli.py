"""`nimbus ingest`, `nimbus search`, `nimbus docs` as real subprocesses on a real store."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from nimbus.cli import main
from tests.conftest import NIMBUS, write_config
from tests.watchfolders.pdfs import make_pdf

pytestmark = pytest.mark.slow

PAGES = [
    "Welcome to the Aurora 3000 heat pump. This manual covers installation and care.",
    "Installation. Mount the outdoor unit on a level concrete pad, at least 30 cm from walls.",
    "Maintenance. Clean the air filter every three months by rinsing it in lukewarm water.",
    "Troubleshooting. Error code E7 means the refrigerant pressure is too low; call a "
    "certified technician.",
    "Warranty. The compressor is guaranteed for ten years if the unit is serviced yearly.",
]


def unprivileged(argv: list[str]) -> tuple[list[str], str]:
    """How to run a command that cannot read a chmod 000 file.

    Tests often run as root, and root ignores permission bits (CAP_DAC_OVERRIDE). Dropping those
    two capabilities from the bounding set with util-linux `setpriv` makes root obey them, while
    the process can still write its own (root-owned) store. Not root: chmod alone is enough.
    """
    if os.geteuid() != 0:
        return argv, "not root: chmod 000 applies"
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without util-linux setpriv: cannot make a file unreadable")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", *argv], "setpriv"


def run(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    return subprocess.run(argv, capture_output=True, text=True, timeout=240, env=env,
                          check=False, **kwargs)  # type: ignore[call-overload]


def test_ingest_search_docs(tmp_path: Path, state_dir: Path, watch_dir: Path) -> None:
    config = write_config(tmp_path / "nimbus.toml", state_dir, watch_dir)
    manual = make_pdf(watch_dir / "heat pump manual.pdf", PAGES)
    (watch_dir / "notes.md").write_text("# Notes\n\nThe wifi password is on the router label.")
    (watch_dir / "junk.pdf").write_bytes(b"%PDF-1.7 this is not really a pdf" * 10)
    locked = watch_dir / "locked.txt"
    locked.write_text("You should never see this text.")
    locked.chmod(0)
    argv, _how = unprivileged([*NIMBUS, "-c", str(config), "ingest", "--json", str(watch_dir),
                               str(tmp_path / "missing.pdf")])
    result = run(argv)
    assert result.returncode == 1, result.stderr  # some files failed
    assert "missing.pdf: no such file or folder" in result.stderr
    outcomes = {Path(o["path"]).name: o for o in map(json.loads, result.stdout.splitlines())}
    assert outcomes["heat pump manual.pdf"]["status"] == "ingested"
    assert outcomes["heat pump manual.pdf"]["pages"] == 5
    assert outcomes["notes.md"]["status"] == "ingested"
    assert (outcomes["junk.pdf"]["status"], outcomes["junk.pdf"]["code"]) == ("failed",
                                                                             "corrupt_pdf")
    assert (outcomes["locked.txt"]["status"], outcomes["locked.txt"]["code"]) == ("failed",
                                                                                 "unreadable")
    assert "Permission denied" in outcomes["locked.txt"]["message"]

    # The real command in a subprocess finds the right page of the PDF...
    result = run([*NIMBUS, "-c", str(config), "search", "what does error E7 mean", "--json",
                  "-k", "3"])
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert (hits[0]["path"], hits[0]["page"]) == (str(manual), 4), hits
    assert hits[0]["score"] >= hits[-1]["score"]
    assert "E7" in hits[0]["text"]


def test_search_and_docs_human_output(tmp_path: Path, state_dir: Path, watch_dir: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """The same CLI entry point in-process (one model load less than a subprocess)."""
    config = write_config(tmp_path / "nimbus.toml", state_dir, watch_dir)
    manual = make_pdf(watch_dir / "manual.pdf", PAGES)
    (watch_dir / "junk.pdf").write_bytes(b"not a pdf at all")
    assert main(["-c", str(config), "ingest", "--no-progress", str(watch_dir)]) == 1
    assert "1 failed, 1 ingested; 5 chunks added" in capsys.readouterr().out
    assert main(["-c", str(config), "ingest", "--no-progress", str(manual)]) == 0
    assert "1 skipped" in capsys.readouterr().out

    for question, page in [("how often should I clean the filter", 3),
                           ("how long is the compressor warranty", 5)]:
        assert main(["-c", str(config), "search", question, "-k", "2"]) == 0
        first = capsys.readouterr().out.splitlines()[0]
        assert first.startswith(f"1. {manual} (page {page})  score "), first

    assert main(["-c", str(config), "docs"]) == 0
    text = capsys.readouterr().out
    assert "indexed: 1 files, 5 chunks" in text
    assert "junk.pdf  failed: corrupt_pdf: not a readable PDF" in text
    assert main(["-c", str(config), "docs", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert {(Path(d["path"]).name, d["status"]) for d in listing["documents"]} == {
        ("manual.pdf", "indexed"), ("junk.pdf", "failed")}
    assert listing["embedding_model"] == "all-MiniLM-L6-v2"
