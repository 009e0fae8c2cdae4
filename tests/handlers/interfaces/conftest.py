"""Fixtures of the interfaces tests: one `nimbus run` with the Wyoming server and the MQTT bridge
(a real mosquitto), shared by the Wyoming server tests and the real-Home-Assistant tests: one
daemon start (its models load in ~15 s on two cores) instead of one per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.handlers.interfaces.wyoming_daemon import WyomingDaemon, start_wyoming_daemon
from tests.mosquitto import MOSQUITTO


@pytest.fixture(scope="package")
def wyoming_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WyomingDaemon]:
    assert Path(MOSQUITTO).exists(), "mosquitto is not installed (scripts/setup.sh installs it)"
    with start_wyoming_daemon(tmp_path_factory.mktemp("wyoming")) as daemon:
        yield daemon
