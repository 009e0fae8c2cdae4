"""`nimbus status` shows each echo-cancelled site's state, ERLE and delay on one line."""

from __future__ import annotations

from nimbus.cli.client_cmds import _format_status


def test_status_has_an_echo_row_per_site() -> None:
    status = {"version": "0.1.0", "uptime_s": 12.0, "sites": {"desk": "speaking"},
              "echo": {"desk": {"active": True, "erle_db": 31.2, "delay_ms": 60,
                                "reference": "playing"},
                       "hall": {"active": False, "erle_db": None, "delay_ms": None,
                                "reference": "missing", "problem": "no engine"}}}
    lines = _format_status(status, "ws://127.0.0.1:8765/ws").splitlines()
    assert "  echo       desk: active, ERLE 31.2 dB, delay 60 ms, reference playing" in lines
    assert ("  echo       hall: inactive, ERLE - dB, delay - ms, reference missing "
            "(no engine)") in lines
    assert not any(line.startswith("  echo       {") for line in lines)  # not dumped as JSON
