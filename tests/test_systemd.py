"""The systemd units: Type=notify, watchdog, hardened, accepted by `systemd-analyze verify`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UNITS = Path(__file__).resolve().parent.parent / "systemd"
ANALYZE = shutil.which("systemd-analyze")


def directives(unit: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for raw in unit.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";", "[")):
            continue
        key, _, value = line.partition("=")
        found.setdefault(key.strip(), []).append(value.strip())
    return found


@pytest.mark.parametrize("name", ["nimbus.service", "nimbus-user.service"])
def test_units_are_notify_watchdogged_restarting_and_hardened(name: str) -> None:
    unit = directives(UNITS / name)
    assert unit["Type"] == ["notify"]
    assert int(unit["WatchdogSec"][0]) > 0
    assert unit["Restart"] == ["on-failure"]
    assert unit["ProtectSystem"] == ["strict"]
    assert unit["ProtectHome"] == ["read-only"]
    assert unit["PrivateTmp"] == ["yes"]
    assert unit["NoNewPrivileges"] == ["yes"]
    assert "nimbus" in unit["ExecStart"][0]
    assert unit["ExecStart"][0].endswith(" run")
    assert len(unit["ReadWritePaths"]) >= 2  # the state dir and the watched folder(s)


def test_system_unit_runs_unprivileged_with_audio_and_a_writable_state_dir() -> None:
    unit = directives(UNITS / "nimbus.service")
    assert unit["User"] == ["nimbus"]
    assert unit["SupplementaryGroups"] == ["audio"]
    assert unit["StateDirectory"] == ["nimbus"]
    assert "NIMBUS_DAEMON__STATE_DIR=/var/lib/nimbus" in unit["Environment"]
    assert "/var/lib/nimbus" in unit["ReadWritePaths"]
    assert unit["CapabilityBoundingSet"] == [""]


def test_user_unit_keeps_state_and_home_folder_writable() -> None:
    unit = directives(UNITS / "nimbus-user.service")
    assert "%S/nimbus" in unit["ReadWritePaths"]
    assert "-%h/Nimbus" in unit["ReadWritePaths"]


def test_satellite_unit_is_a_hardened_user_service_configured_by_environment() -> None:
    unit = directives(UNITS / "nimbus-satellite.service")
    assert unit["Type"] == ["simple"]  # the satellite does not speak sd_notify
    assert unit["ExecStart"] == ["%h/.local/bin/nimbus satellite"]
    assert unit["Restart"] == ["on-failure"]
    assert "NIMBUS_SITE=%H" in unit["Environment"]
    assert unit["EnvironmentFile"] == ["-%h/.config/nimbus/satellite.env"]
    assert unit["ProtectSystem"] == ["strict"]
    assert unit["ProtectHome"] == ["read-only"]
    assert unit["NoNewPrivileges"] == ["yes"]
    assert unit["ReadWritePaths"] == ["-%t/pulse"]


def _nimbus_executable() -> str:
    candidate = Path(sys.executable).parent / "nimbus"
    return str(candidate if candidate.exists() else Path(sys.executable))


def _verify(unit: Path, *, user: bool, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    assert ANALYZE is not None
    env = dict(os.environ)
    if user:
        runtime = tmp_path / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        env["XDG_RUNTIME_DIR"] = str(runtime)
    argv = [ANALYZE, *(["--user"] if user else []), "verify", str(unit)]
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60,
                          check=False)


def _copy_with_local_exec(name: str, tmp_path: Path) -> Path:
    """The unit verbatim except ExecStart's binary, which must exist for `verify` to pass."""
    text = (UNITS / name).read_text(encoding="utf-8")
    text = text.replace("/opt/nimbus/.venv/bin/nimbus", _nimbus_executable())
    text = text.replace("%h/.local/bin/nimbus", _nimbus_executable())
    copy = tmp_path / name
    copy.write_text(text, encoding="utf-8")
    return copy


@pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed")
@pytest.mark.parametrize(("name", "user"), [("nimbus.service", False),
                                            ("nimbus-user.service", True),
                                            ("nimbus-satellite.service", True)])
def test_systemd_analyze_verify(name: str, user: bool, tmp_path: Path) -> None:
    result = _verify(_copy_with_local_exec(name, tmp_path), user=user, tmp_path=tmp_path)
    if result.returncode and "Failed to initialize manager" in result.stderr:
        pytest.skip(f"systemd-analyze cannot start a manager in this container: {result.stderr}")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr  # no warnings (unknown keys, bad values)


@pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed")
def test_verify_really_checks_the_unit(tmp_path: Path) -> None:
    broken = _copy_with_local_exec("nimbus.service", tmp_path)
    broken.write_text(broken.read_text().replace("Type=notify", "Type=notifyy")
                      .replace("ProtectSystem=strict", "ProtectSytem=strict"))
    result = _verify(broken, user=False, tmp_path=tmp_path)
    assert "notifyy" in result.stderr
    assert "ProtectSytem" in result.stderr
