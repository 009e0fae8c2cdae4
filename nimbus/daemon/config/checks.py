"""Configuration errors, value checks and default paths shared by every section."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = [
    "ConfigError",
    "check_choice",
    "check_range",
    "default_config_path",
    "default_state_dir",
    "is_loopback",
    "xdg_dir",
]


class ConfigError(ValueError):
    """Invalid configuration; the message names the key and the allowed values."""


def xdg_dir(var: str, fallback: str) -> Path:
    return Path(os.environ.get(var) or Path.home() / fallback)


def default_config_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$NIMBUS_CONFIG`` or ``$XDG_CONFIG_HOME/nimbus/nimbus.toml``."""
    env = (os.environ if environ is None else environ).get("NIMBUS_CONFIG")
    if env:
        return Path(env)
    return xdg_dir("XDG_CONFIG_HOME", ".config") / "nimbus" / "nimbus.toml"


def default_state_dir() -> str:
    return str(xdg_dir("XDG_STATE_HOME", ".local/state") / "nimbus")


def check_choice(key: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise ConfigError(f"{key} = {value!r}: allowed values are {', '.join(allowed)}")


def check_range(key: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise ConfigError(f"{key} = {value!r}: must be between {low} and {high}")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
