"""Embedded model resolution and `nimbus doctor`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nimbus.cli import main
from nimbus.daemon.config import load_config
from nimbus.daemon.models import (
    ModelLocation,
    ModelNotFound,
    resolve_all,
    resolve_asr,
    resolve_llm,
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
    for role in ("vad", "asr", "llm", "tts", "embeddings"):
        check = checks[f"model:{role}"]
        assert check["ok"], check
        assert check["seconds"] is not None
        assert check["seconds"] > 0
    assert checks["store"]["ok"]
    size = checks["llm:size"]
    assert size["ok"], size
    assert "the configured model (0.09 GiB) fits" in size["detail"]
    assert "CPU-only" in size["detail"] or "can offload" in size["detail"]
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
