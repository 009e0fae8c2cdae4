"""Named voices: the ``[voices.*]`` config tables plus voices cloned into the voices folder."""

from __future__ import annotations

import dataclasses
import logging
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nimbus.daemon.config import Config, ConfigError, VoiceConfig
from nimbus.daemon.models import ModelNotFound, resolve_voice
from nimbus.voices.base import VoiceEngine, VoiceError
from nimbus.voices.reference import MAX_REFERENCE_S, read_reference

__all__ = ["VoiceInfo", "clone_voice", "configured_voices", "list_voices", "load_voice"]

log = logging.getLogger(__name__)

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class VoiceInfo:
    """One voice as `nimbus voices list` shows it."""

    name: str
    engine: str
    model: str
    speaker: str
    language: str
    origin: str
    """config | cloned."""
    problem: str = ""
    """Why it cannot load right now ("" = it should)."""
    default: bool = False


def configured_voices(config: Config) -> dict[str, tuple[VoiceConfig, str]]:
    """Every voice by name with where it was defined; config tables win over cloned voices."""
    voices: dict[str, tuple[VoiceConfig, str]] = {}
    folder = config.voices_path
    if folder.is_dir():
        for path in sorted(folder.glob("*.toml")):
            try:
                data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
                voices[path.stem] = (VoiceConfig(**data), "cloned")
            except (OSError, ValueError, TypeError, ConfigError) as exc:
                log.warning("ignoring unreadable cloned voice %s: %s", path, exc)
    for name, voice in config.voices.items():
        voices[name] = (voice, "config")
    return voices


def _unknown(name: str, config: Config) -> VoiceError:
    known = ", ".join(sorted(configured_voices(config))) or "(none)"
    return VoiceError("unknown_voice", f"no voice named {name!r}; configured voices: {known}")


def _xtts_model_dir(name: str, voice: VoiceConfig, config: Config) -> Path:
    from nimbus.voices.xtts_engine import XTTS_CACHE_DIR  # noqa: PLC0415

    spec = voice.model or config.tts.xtts_model
    if not spec and XTTS_CACHE_DIR.is_dir():
        return XTTS_CACHE_DIR
    location = resolve_voice(name, dataclasses.replace(voice, model=spec))
    assert location.path is not None
    return location.path


def _speaker_path(voice: VoiceConfig, config: Config) -> Path:
    path = Path(voice.speaker).expanduser()
    return path if path.is_absolute() else config.voices_path / path


def load_voice(name: str, config: Config) -> VoiceEngine:
    """Load a named voice (blocking: call it off the event loop). :class:`VoiceError` if not."""
    entry = configured_voices(config).get(name)
    if entry is None:
        raise _unknown(name, config)
    voice, _origin = entry
    try:
        if voice.engine == "piper":
            from nimbus.voices.piper_engine import PiperEngine  # noqa: PLC0415 - heavy

            location = resolve_voice(name, voice)
            assert location.path is not None
            return PiperEngine(name, location.path, speed=voice.speed, threads=config.tts.threads)
        if voice.engine == "wyoming":
            from nimbus.voices.wyoming_engine import WyomingVoice  # noqa: PLC0415

            return WyomingVoice(name, voice.uri, voice=voice.model, language=voice.language)
        from nimbus.voices.xtts_engine import XttsEngine  # noqa: PLC0415 - optional extra

        if not voice.speaker:
            raise VoiceError(
                "voice_load_failed",
                f"XTTS voice {name!r} needs voices.{name}.speaker = <reference clip>",
            )
        return XttsEngine(
            name,
            _xtts_model_dir(name, voice, config),
            speaker=_speaker_path(voice, config),
            cache_dir=config.voices_path / ".latents",
            language=voice.language,
            speed=voice.speed,
            device=voice.device,
        )
    except ModelNotFound as exc:
        raise VoiceError("model_not_found", str(exc)) from None


def list_voices(config: Config) -> list[VoiceInfo]:
    """Every voice, with a reason next to those that cannot load now (nothing is loaded)."""
    from nimbus.voices.xtts_engine import xtts_available  # noqa: PLC0415

    xtts_problem: str | None = None
    checked = False
    infos: list[VoiceInfo] = []
    for name, (voice, origin) in sorted(configured_voices(config).items()):
        problem = ""
        try:
            if voice.engine == "piper":
                model = str(resolve_voice(name, voice).path)
            elif voice.engine == "wyoming":
                model = f"{voice.model or '(default)'} at {voice.uri}"
            else:
                model = str(_xtts_model_dir(name, voice, config))
                if not checked:
                    xtts_problem, checked = xtts_available(), True
                problem = xtts_problem or ""
                if voice.speaker and not _speaker_path(voice, config).is_file():
                    problem = f"reference clip {_speaker_path(voice, config)} is missing"
        except ModelNotFound as exc:
            model, problem = voice.model, str(exc)
        infos.append(VoiceInfo(
            name=name, engine=voice.engine, model=model, speaker=voice.speaker,
            language=voice.language, origin=origin, problem=problem,
            default=name == config.tts.voice,
        ))
    return infos


def clone_voice(config: Config, name: str, clip: Path, *, language: str = "en",
                model: str = "") -> Path:
    """Add an XTTS voice cloned from ``clip``: the clip (mono, at most 30 s) and its settings go
    into the voices folder. Returns the voice's settings file."""
    import soundfile  # noqa: PLC0415

    if not _NAME.match(name):
        raise VoiceError("bad_voice_name", f"voice name {name!r}: use letters, digits, - and _")
    if name in config.voices:
        raise VoiceError("voice_exists", f"voice {name!r} is defined in the config file")
    audio, rate = read_reference(clip)
    folder = config.voices_path
    folder.mkdir(parents=True, exist_ok=True)
    wav = folder / f"{name}.wav"
    soundfile.write(str(wav), audio, rate, subtype="PCM_16")
    settings = folder / f"{name}.toml"
    lines = [
        'engine = "xtts"',
        f'speaker = "{wav.name}"',
        f'language = "{language}"',
    ]
    if model:
        lines.append(f"model = {_toml_string(model)}")
    settings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log.info("cloned voice %r from %s (%.1f s, cut at %.0f s)", name, clip, audio.size / rate,
             MAX_REFERENCE_S)
    return settings


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
