"""Embedded model resolution and `nimbus doctor`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from nimbus.cli import main
from nimbus.daemon.config import load_config
from nimbus.daemon.models import (
    EMBEDDED_NOISY_ASR,
    ModelLocation,
    ModelNotFound,
    _assemble,
    _SplitModel,
    resolve_all,
    resolve_asr,
    resolve_llm,
    resolve_noisy_asr,
    resolve_vad,
)


def _config(tmp_path: Path, *overrides: str):  # type: ignore[no-untyped-def]
    return load_config(None, overrides=list(overrides),
                       environ={"NIMBUS_CONFIG": str(tmp_path / "none.toml")})


def test_every_embedded_default_resolves_to_a_real_file(tmp_path: Path) -> None:
    results = resolve_all(_config(tmp_path))
    assert [r.role for r in results] == ["vad", "asr", "llm", "tts", "embeddings"]
    for result in results:
        assert isinstance(result, ModelLocation), result
        assert result.path is not None
        assert result.path.exists()
        assert result.source.startswith("package ")
    llm = next(r for r in results if r.role == "llm")
    assert llm.path is not None
    assert llm.path.read_bytes()[:4] == b"GGUF"


def test_missing_configured_models_say_what_was_looked_for(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFound, match="does not exist"):
        resolve_vad(str(tmp_path / "nope.onnx"))
    with pytest.raises(ModelNotFound, match=r"no model\.bin"):
        resolve_asr(str(tmp_path))
    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"not a gguf at all")
    with pytest.raises(ModelNotFound, match="not a GGUF"):
        resolve_llm(_config(tmp_path, f'llm.model="{junk}"'))
    assert resolve_asr("large-v3").path is None  # a size name, left to faster-whisper's cache


@pytest.mark.slow
def test_doctor_loads_every_default(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIMBUS_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    code = main(["doctor", "--json"])
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)}
    for role in ("vad", "asr", "llm", "tts", "embeddings", "asr-noisy"):
        check = checks[f"model:{role}"]
        assert check["ok"], check
        assert check["seconds"] is not None
        assert check["seconds"] > 0
    assert checks["store"]["ok"]
    echo = checks["echo"]  # audio.echo_cancel = "auto" with the default audio: nimbus-hybrid
    assert echo["ok"], echo
    assert "nimbus-hybrid loads and cancels a test echo by" in echo["detail"]
    size = checks["llm:size"]
    assert size["ok"], size
    assert "the configured model (0.09 GiB) fits" in size["detail"]
    assert "CPU-only" in size["detail"] or "can offload" in size["detail"]
    for reader in ("pymupdf", "python-docx", "openpyxl", "python-pptx", "odfpy", "striprtf",
                   "extract-msg", "pillow"):
        assert checks[f"reader:{reader}"]["ok"], checks[f"reader:{reader}"]
    assert checks["ocr"]["ok"], checks["ocr"]
    assert "read a test page" in checks["ocr"]["detail"]
    assert checks["lexicon"]["ok"], checks["lexicon"]  # WordNet, for the evidence ranking
    assert "'renewal' -> ['renew']" in checks["lexicon"]["detail"]
    assert checks["cldr"]["ok"], checks["cldr"]  # Babel: currencies and languages by country
    assert code == 0


def test_doctor_reports_a_missing_gguf(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIMBUS_CONFIG", str(tmp_path / "none.toml"))
    code = main(["--set", f'llm.model="{tmp_path}/missing.gguf"', "doctor", "--no-load"])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL model:llm" in out
    assert "missing.gguf does not exist" in out


def test_doctor_names_a_hub_model_and_where_it_will_be_cached(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIMBUS_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    main(["--set", 'llm.model="org/tiny-GGUF/tiny.Q4_K_M.gguf"', "doctor", "--no-load"])
    out = capsys.readouterr().out
    assert "ok   model:llm" in out
    assert "Hugging Face org/tiny-GGUF (downloaded once into the state dir)" in out
    assert "huggingface/org/tiny-GGUF/main/tiny.Q4_K_M.gguf" in out


def test_the_noisy_speech_model_is_assembled_once_from_its_two_packages(tmp_path: Path) -> None:
    assert resolve_noisy_asr("", tmp_path) is None  # "" = no second model
    location = resolve_noisy_asr("auto", tmp_path / "models")
    assert location is not None, "the server extra installs the Whisper base packages"
    assert location.path is not None
    model = location.path / "model.bin"
    assert model.stat().st_size == EMBEDDED_NOISY_ASR.size  # hash checked while assembling
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        assert (location.path / name).stat().st_size > 0
    assembled = model.stat().st_mtime_ns
    again = resolve_noisy_asr("auto", tmp_path / "models")
    assert again is not None
    assert again.path == location.path
    assert model.stat().st_mtime_ns == assembled  # reused, not rebuilt
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == [location.path.name]
    assert resolve_noisy_asr("tiny.en", tmp_path) == resolve_asr("tiny.en")


def test_parts_that_do_not_match_the_pinned_hash_are_refused(tmp_path: Path) -> None:
    parts = []
    for index in (1, 2):
        part = tmp_path / "data" / f"model.bin.part{index}"
        part.parent.mkdir(exist_ok=True)
        part.write_bytes(bytes([index]) * 1000)
        parts.append(part)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (tmp_path / "data" / name).write_text("{}")
    split = _SplitModel(modules=("a", "b"), packages=("a", "b"), name="test",
                        sha256="0" * 64, size=2000)
    folder = tmp_path / "cache" / "model"
    with pytest.raises(ModelNotFound, match="does not match its pinned sha256"):
        _assemble(split, parts, folder)
    assert list((tmp_path / "cache").iterdir()) == []  # nothing half-built is left
    good = hashlib.sha256(b"\x01" * 1000 + b"\x02" * 1000).hexdigest()
    _assemble(_SplitModel(modules=("a", "b"), packages=("a", "b"), name="test", sha256=good,
                          size=2000), parts, folder)
    assert (folder / "model.bin").read_bytes() == b"\x01" * 1000 + b"\x02" * 1000
