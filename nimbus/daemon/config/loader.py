"""Loading: TOML + NIMBUS_* env + --set overrides -> a checked Config tree; and back to TOML."""

from __future__ import annotations

import dataclasses
import os
import tomllib
import types
import typing
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from nimbus.daemon.config.checks import ConfigError, default_config_path
from nimbus.daemon.config.tree import Config

__all__ = ["ENV_PREFIX", "load_config", "to_toml"]

ENV_PREFIX = "NIMBUS_"


# --- building from raw data ------------------------------------------------------------------


def _describe(hint: Any) -> str:
    origin = typing.get_origin(hint)
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(hint))
    if origin is tuple:
        return f"a list of {_describe(typing.get_args(hint)[0])}"
    if origin is dict:
        return "a table"
    return getattr(hint, "__name__", str(hint))


def _coerce(key: str, value: Any, hint: Any) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            try:
                return _coerce(key, value, arg)
            except ConfigError:
                continue
        raise ConfigError(f"{key} = {value!r}: expected {_describe(hint)}")
    if origin is Literal:
        if value not in args:
            allowed = ", ".join(repr(a) for a in args)
            raise ConfigError(f"{key} = {value!r}: allowed values are {allowed}")
        return value
    if origin is tuple:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple):
            raise ConfigError(f"{key} = {value!r}: expected {_describe(hint)}")
        return tuple(_coerce(f"{key}[{i}]", v, args[0]) for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, Mapping):
            raise ConfigError(f"{key}: expected a table")
        return {str(k): _coerce(f"{key}.{k}", v, args[1]) for k, v in value.items()}
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        if not isinstance(value, Mapping):
            raise ConfigError(f"{key}: expected a table, got {value!r}")
        return _build(hint, value, key)
    if hint is bool:
        if isinstance(value, bool):
            return value
        raise ConfigError(f"{key} = {value!r}: expected true or false")
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ConfigError(f"{key} = {value!r}: expected an integer")
    if hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise ConfigError(f"{key} = {value!r}: expected a number")
    if hint is str:
        if isinstance(value, str):
            return value
        raise ConfigError(f"{key} = {value!r}: expected a string")
    raise ConfigError(f"{key}: unsupported type {hint!r}")


def _build(cls: type[Any], data: Mapping[str, Any], prefix: str) -> Any:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    unknown = sorted(set(data) - set(names))
    if unknown:
        where = f"[{prefix}]" if prefix else "top level"
        raise ConfigError(
            f"unknown key(s) {', '.join(repr(k) for k in unknown)} in {where}; "
            f"known keys: {', '.join(names)}"
        )
    kwargs = {
        name: _coerce(f"{prefix}.{name}" if prefix else name, value, hints[name])
        for name, value in data.items()
    }
    try:
        return cls(**kwargs)
    except ConfigError as exc:
        if prefix.startswith("voices.") and "voices.*" in str(exc):
            raise ConfigError(str(exc).replace("voices.*", prefix)) from None
        raise


def _parse_override_value(raw: str) -> Any:
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _set_path(tree: dict[str, Any], dotted: str, value: Any) -> None:
    parts = [p for p in dotted.split(".") if p]
    if len(parts) < 2:
        raise ConfigError(f"override {dotted!r}: use section.key=value (e.g. websocket.port=9000)")
    node = tree
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ConfigError(f"override {dotted!r}: {part} is not a table")
        node = child
    node[parts[-1]] = value


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def load_config(
    path: str | Path | None = None,
    *,
    overrides: Sequence[str] = (),
    environ: Mapping[str, str] | None = None,
    require_file: bool = False,
) -> Config:
    """Load the effective configuration.

    ``path`` None means :func:`default_config_path`, which may be absent (defaults apply);
    an explicitly given path must exist. ``overrides`` are ``section.key=value`` strings.
    """
    environ = os.environ if environ is None else environ
    explicit = path is not None or require_file
    file_path = Path(path) if path is not None else default_config_path(environ)
    tree: dict[str, Any] = {}
    if file_path.exists():
        try:
            tree = tomllib.loads(file_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file_path}: not valid TOML: {exc}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{file_path}: cannot read: {exc}") from None
    elif explicit:
        raise ConfigError(f"config file {file_path} does not exist")

    env_tree: dict[str, Any] = {}
    for name, raw in sorted(environ.items()):
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        dotted = name[len(ENV_PREFIX) :].lower().replace("__", ".")
        _set_path(env_tree, dotted, _parse_override_value(raw))
    cli_tree: dict[str, Any] = {}
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep:
            raise ConfigError(f"override {item!r}: expected section.key=value")
        _set_path(cli_tree, key.strip(), _parse_override_value(raw.strip()))

    merged = _merge(_merge(tree, env_tree), cli_tree)
    # Voices given in the file add to (and may redefine) the built-in "joe".
    if "voices" in merged:
        base_voices: dict[str, Any] = {"joe": {}}
        merged["voices"] = _merge(base_voices, merged["voices"])
    result: Config = _build(Config, merged, "")
    return result


# --- printing --------------------------------------------------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = (f"{f.name} = {_toml_value(getattr(value, f.name))}"
                 for f in dataclasses.fields(value))
        return "{" + ", ".join(items) + "}"
    raise TypeError(f"cannot print {value!r} as TOML")


def to_toml(config: Config, *, redact: bool = True) -> str:
    """The effective config as TOML (secrets redacted unless asked)."""
    lines: list[str] = []
    secret = {"token", "password", "api_key"}

    def section(name: str, obj: Any) -> None:
        lines.append(f"[{name}]")
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if redact and f.name in secret and value:
                value = "***"
            lines.append(f"{f.name} = {_toml_value(value)}")
        lines.append("")

    for f in dataclasses.fields(config):
        value = getattr(config, f.name)
        if isinstance(value, dict):
            for voice_name, voice in sorted(value.items()):
                section(f"{f.name}.{voice_name}", voice)
        else:
            section(f.name, value)
    return "\n".join(lines)
