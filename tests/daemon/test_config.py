"""Config: defaults, file, env and CLI precedence, and errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from nimbus.cli import main
from nimbus.daemon.config import Config, ConfigError, load_config, to_toml


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "nimbus.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_need_no_file(tmp_path: Path) -> None:
    config = load_config(None, environ={"NIMBUS_CONFIG": str(tmp_path / "absent.toml")})
    assert config == load_config(None, environ={"NIMBUS_CONFIG": str(tmp_path / "absent.toml")})
    assert config.phrases.action == ("Nimbus",)
    assert config.phrases.stop == ("Yonder",)
    assert config.websocket.host == "127.0.0.1"
    assert config.tts.voice == "joe"


def test_precedence_file_then_env_then_cli(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "[websocket]\nport = 9001\n[asr]\nbeam_size = 2\n[llm]\nmax_tokens = 50\n"
    )
    config = load_config(
        path,
        environ={"NIMBUS_WEBSOCKET__PORT": "9002", "NIMBUS_ASR__BEAM_SIZE": "3"},
        overrides=["websocket.port=9003", 'phrases.action=["Nimbus", "Computer"]'],
    )
    assert config.websocket.port == 9003
    assert config.asr.beam_size == 3
    assert config.llm.max_tokens == 50
    assert config.phrases.action == ("Nimbus", "Computer")


@pytest.mark.parametrize(
    ("toml", "needle"),
    [
        ("[websocket]\nprot = 1\n", "'prot' in [websocket]"),
        ("[nonsense]\na = 1\n", "'nonsense' in top level"),
        ('[phrases]\nmode = "shout"\n', "phrases.mode"),
        ('[asr]\nbeam_size = "two"\n', "asr.beam_size"),
        ("[vad]\nthreshold = 3.0\n", "vad.threshold"),
        ('[tts]\nvoice = "nobody"\n', "tts.voice = 'nobody'"),
        ('[voices.robot]\nengine = "espeak"\n', "voices.robot.engine"),
        ("[llm]\nmax_input_tokens = 5000\n", "llm.max_input_tokens"),
        ('[llm]\nbackend = "openai"\n', "llm.url"),
        ("[websocket\n", "not valid TOML"),
        ('[mqtt]\nareas = ["kitchen"]\n', "mqtt.areas"),
        ('[mqtt]\nareas = ["a/b=Kitchen"]\n', "mqtt.areas"),
    ],
)
def test_errors_name_the_key(tmp_path: Path, toml: str, needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(_write(tmp_path, toml), environ={})
    assert needle in str(info.value)


def test_mqtt_areas_map_sites_to_areas(tmp_path: Path) -> None:
    toml = '[mqtt]\nareas = ["kitchen=Kitchen", "hall=Front hall"]\n'
    config = load_config(_write(tmp_path, toml), environ={})
    assert config.mqtt.area_of() == {"kitchen": "Kitchen", "hall": "Front hall"}


def test_allowed_values_are_listed(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(_write(tmp_path, '[phrases]\nmode = "shout"\n'), environ={})
    assert "'wake', 'submit', 'both'" in str(info.value) or "wake, submit, both" in str(info.value)


def test_env_unknown_key_is_an_error() -> None:
    with pytest.raises(ConfigError, match="'prot'"):
        load_config(None, environ={"NIMBUS_WEBSOCKET__PROT": "1", "NIMBUS_CONFIG": "/nonexistent"})


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml", environ={})


def test_voices_extend_the_default(tmp_path: Path) -> None:
    config = load_config(
        _write(tmp_path, '[voices.gran]\nengine = "xtts"\nspeaker = "gran.wav"\n'), environ={}
    )
    assert set(config.voices) == {"joe", "gran"}
    assert config.voices["gran"].engine == "xtts"


def test_to_toml_round_trips_and_redacts(tmp_path: Path) -> None:
    config = load_config(None, overrides=["websocket.token=s3cret"],
                         environ={"NIMBUS_CONFIG": "/nonexistent"})
    text = to_toml(config)
    assert "s3cret" not in text
    assert 'token = "***"' in text
    reloaded = load_config(_write(tmp_path, to_toml(config, redact=False)), environ={})
    assert reloaded == config
    assert isinstance(reloaded, Config)


def test_config_show_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIMBUS_CONFIG", str(tmp_path / "absent.toml"))
    assert main(["--set", "websocket.port=9100", "config", "show"]) == 0
    out = capsys.readouterr().out
    assert "[websocket]" in out
    assert "port = 9100" in out
    assert main(["--set", "websocket.port=notaport", "config", "show"]) == 2
    assert "websocket.port" in capsys.readouterr().err


def test_wyoming_section_with_satellites_round_trips(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, (
        '[wyoming]\nenabled = true\nhost = "0.0.0.0"\nallow_from = ["192.168.1.0/24"]\n\n'
        '[[wyoming.satellites]]\nuri = "tcp://192.168.1.50:10700"\nsite = "porch"\n'
        'area = "Porch"\n\n[asr]\nbackend = "wyoming"\nuri = "tcp://gpu:10300"\n\n'
        '[voices.big]\nengine = "wyoming"\nuri = "tcp://gpu:10200"\nmodel = "lessac"\n')),
        environ={})
    assert config.wyoming.satellites[0].site == "porch"
    assert config.asr.backend == "wyoming"
    assert config.voices["big"].uri == "tcp://gpu:10200"
    reloaded = load_config(_write(tmp_path, to_toml(config, redact=False)), environ={})
    assert reloaded == config


@pytest.mark.parametrize(
    ("toml", "needle"),
    [
        ('[[wyoming.satellites]]\nuri = "10.0.0.5"\nsite = "porch"\n', "wyoming.satellites.uri"),
        ('[[wyoming.satellites]]\nuri = "tcp://a:1"\nsite = "bad site"\n',
         "wyoming.satellites.site"),
        ('[wyoming]\nenabled = true\nhost = "0.0.0.0"\n', "wyoming.allow_from"),
        ('[voices.far]\nengine = "wyoming"\n', "voices.far.uri"),
        ('[asr]\nbackend = "wyoming"\n', "asr.uri"),
    ],
)
def test_wyoming_errors_name_the_key(tmp_path: Path, toml: str, needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(_write(tmp_path, toml), environ={})
    assert needle in str(info.value)
