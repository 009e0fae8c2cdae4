"""sd_notify messages on a real unix datagram socket."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from nimbus.daemon.notify import Notifier, watchdog_interval


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    path = str(tmp_path / "notify.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(path)
    server.settimeout(2)
    yield server, path
    server.close()


def test_messages_arrive_on_a_real_socket(notify_socket: tuple[socket.socket, str]) -> None:
    server, path = notify_socket
    notifier = Notifier(path)
    assert notifier.enabled
    assert notifier.ready("ready: 5 handlers")
    assert server.recv(4096) == b"READY=1\nSTATUS=ready: 5 handlers"
    assert notifier.watchdog()
    assert server.recv(4096) == b"WATCHDOG=1"
    assert notifier.status("loading models")
    assert server.recv(4096) == b"STATUS=loading models"
    assert notifier.stopping()
    assert server.recv(4096) == b"STOPPING=1"
    notifier.close()


def test_abstract_socket_address() -> None:
    name = f"nimbus-test-{os.getpid()}"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind("\0" + name)
    server.settimeout(2)
    try:
        notifier = Notifier("@" + name)
        assert notifier.ready()
        assert server.recv(100) == b"READY=1"
        notifier.close()
    finally:
        server.close()


def test_disabled_without_socket_and_survives_a_vanished_socket(tmp_path: Path) -> None:
    assert not Notifier("").enabled
    assert Notifier("").ready() is False
    gone = Notifier(str(tmp_path / "missing.sock"))
    assert gone.ready() is False  # logged, not raised
    gone.close()


def test_watchdog_interval_is_half_of_usec() -> None:
    assert watchdog_interval({"WATCHDOG_USEC": "10000000"}) == 5.0
    assert watchdog_interval({}) is None
    assert watchdog_interval({"WATCHDOG_USEC": "0"}) is None
    assert watchdog_interval({"WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "1"}) is None
    own = {"WATCHDOG_USEC": "2000000", "WATCHDOG_PID": str(os.getpid())}
    assert watchdog_interval(own) == 1.0
