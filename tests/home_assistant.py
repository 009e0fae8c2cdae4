"""A real Home Assistant for tests: one ``hass`` per test module, onboarded over its REST API.

Home Assistant 2025.1.4 (the newest on Python 3.12 with the Wyoming conversation agent) lives in
its own venv, ``.cache/homeassistant-2025.1.4``, built by ``scripts/setup.sh test``
(``scripts/setup_homeassistant.sh``). It starts with ``--skip-pip`` (the integrations'
requirements were installed there) and a minimal configuration: the HTTP API, config flows,
conversation + Assist pipelines + STT/TTS, and a small home to control — the light "Kitchen
Light" in the area "Kitchen" and the lock "Back Door", both exposed to Assist — so that HA's
conversation API really turns the kitchen light on.

Use :func:`start_home_assistant` (a context manager) or the module-scoped
:func:`home_assistant` fixture (``from tests.home_assistant import home_assistant  # noqa:
F401``); :class:`HomeAssistant` has the calls: REST (:meth:`~HomeAssistant.rest`), the websocket
API (:meth:`~HomeAssistant.ws`), a long-lived token, and config entries for Wyoming and MQTT.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pytest
from websockets.sync.client import ClientConnection, connect

from tests.wyoming_servers import free_port

__all__ = [
    "BACK_DOOR",
    "HA_VERSION",
    "KITCHEN_LIGHT",
    "HomeAssistant",
    "HomeAssistantError",
    "furnish",
    "ha_venv",
    "home_assistant",
    "launch",
    "onboard",
    "start_home_assistant",
]

HA_VERSION: Final = "2025.1.4"
ROOT: Final = Path(__file__).resolve().parents[1]
KITCHEN_LIGHT: Final = "light.kitchen_light"
BACK_DOOR: Final = "lock.back_door"

_CONFIGURATION: Final = """\
homeassistant:
  name: Nimbus test home
  latitude: 51.5
  longitude: -0.12
  elevation: 10
  unit_system: metric
  time_zone: UTC
  country: GB
  currency: GBP
  language: en
http:
  server_host: 127.0.0.1
  server_port: {port}
api:
config:
onboarding:
conversation:
assist_pipeline:
media_source:
ffmpeg:
logger:
  default: warning
input_boolean:
  kitchen_light_power:
    name: Kitchen light power
  back_door_bolt:
    name: Back door bolt
light:
  - platform: template
    lights:
      kitchen_light:
        unique_id: nimbus_test_kitchen_light
        friendly_name: Kitchen Light
        value_template: "{{{{ is_state('input_boolean.kitchen_light_power', 'on') }}}}"
        turn_on:
          action: input_boolean.turn_on
          target: {{entity_id: input_boolean.kitchen_light_power}}
        turn_off:
          action: input_boolean.turn_off
          target: {{entity_id: input_boolean.kitchen_light_power}}
lock:
  - platform: template
    name: Back Door
    unique_id: nimbus_test_back_door
    value_template: "{{{{ is_state('input_boolean.back_door_bolt', 'on') }}}}"
    lock:
      action: input_boolean.turn_on
      target: {{entity_id: input_boolean.back_door_bolt}}
    unlock:
      action: input_boolean.turn_off
      target: {{entity_id: input_boolean.back_door_bolt}}
"""
"""Only what the tests use: every integration more costs start-up time (default_config would
load ~60, the cloud and the frontend among them)."""


class HomeAssistantError(RuntimeError):
    """Home Assistant answered a call with an error (the message has its reply)."""


def ha_venv() -> Path:
    """The Home Assistant venv (``NIMBUS_HA_VENV`` overrides the checkout's ``.cache``)."""
    return Path(os.environ.get("NIMBUS_HA_VENV", ROOT / ".cache" / f"homeassistant-{HA_VERSION}"))


@dataclass
class HomeAssistant:
    """A running, onboarded Home Assistant: its base URL and an access token (30 minutes)."""

    url: str
    token: str
    config_dir: Path
    process: subprocess.Popen[bytes] | None = None
    _ws: ClientConnection | None = field(default=None, repr=False)
    _stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack, repr=False)
    _ws_id: int = 0

    # --- REST ---------------------------------------------------------------------------------

    def rest(self, method: str, path: str, body: object = None, *, token: str | None = None,
             timeout: float = 120.0) -> Any:
        """A REST call with the bearer token; the decoded JSON reply (text if not JSON)."""
        data = None if body is None else json.dumps(body).encode()
        headers = {"Authorization": f"Bearer {token or self.token}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers=headers)
        return _reply(request, timeout)

    def raw(self, method: str, path: str, *, timeout: float = 120.0) -> bytes:
        """The reply's bytes (e.g. a TTS file from ``/api/tts_proxy``)."""
        request = urllib.request.Request(self.url + path, method=method,
                                         headers={"Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body: bytes = response.read()
                return body
        except urllib.error.HTTPError as exc:
            raise HomeAssistantError(f"{method} {path}: {exc.code}") from None

    def stream(self, path: str, pieces: Iterable[bytes], headers: dict[str, str],
               timeout: float = 120.0) -> Any:
        """POST a body sent as HTTP chunked transfer encoding, one chunk per piece."""
        request = urllib.request.Request(
            self.url + path, data=iter(pieces), method="POST",
            headers={"Authorization": f"Bearer {self.token}", **headers})
        return _reply(request, timeout)

    def state(self, entity_id: str) -> dict[str, Any]:
        state: dict[str, Any] = self.rest("GET", f"/api/states/{entity_id}")
        return state

    def states(self) -> list[dict[str, Any]]:
        states: list[dict[str, Any]] = self.rest("GET", "/api/states")
        return states

    def wait_for(self, what: str, check: Any, timeout: float = 30.0) -> Any:
        """Poll ``check()`` until it returns something truthy; that value."""
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(HomeAssistantError):
                value = check()
                if value:
                    return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"Home Assistant: {what} not within {timeout:g} s\n"
                                   f"{self.log()}")
            time.sleep(0.2)

    # --- websocket API ----------------------------------------------------------------------

    def ws(self, kind: str, **fields: Any) -> Any:
        """One websocket command; its ``result`` (HomeAssistantError on ``success: false``)."""
        results = self.ws_events(kind, until=lambda _message: True, **fields)
        return results[0]

    def ws_events(self, kind: str, *, until: Any, timeout: float = 120.0,
                  **fields: Any) -> list[Any]:
        """Send a command, then collect its ``result`` and every ``event`` message for it until
        ``until(message)`` is true for one of them (the result included)."""
        connection = self._connection()
        self._ws_id += 1
        number = self._ws_id
        connection.send(json.dumps({"id": number, "type": kind, **fields}))
        seen: list[Any] = []
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(connection.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message.get("id") != number:
                continue
            if message["type"] == "result":
                if not message.get("success"):
                    raise HomeAssistantError(f"{kind}: {message.get('error')}")
                seen.append(message.get("result"))
                if until(message.get("result")):
                    return seen
            elif message["type"] == "event":
                seen.append(message["event"])
                if until(message["event"]):
                    return seen

    def run_pipeline(self, pipeline: str, pcm: bytes, *, rate: int = 16000,
                     piece: int = 1024, timeout: float = 120.0) -> list[dict[str, Any]]:
        """An Assist pipeline run from speech to speech over the websocket API: 16-bit mono
        ``pcm`` streamed as binary messages; every event of the run up to ``run-end``."""
        connection = self._connection()
        self._ws_id += 1
        number = self._ws_id
        connection.send(json.dumps({
            "id": number, "type": "assist_pipeline/run", "pipeline": pipeline,
            "start_stage": "stt", "end_stage": "tts", "input": {"sample_rate": rate}}))
        events: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        sent = False
        while True:
            message = json.loads(connection.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message.get("id") != number:
                continue
            if message["type"] == "result" and not message.get("success"):
                raise HomeAssistantError(f"assist_pipeline/run: {message.get('error')}")
            if message["type"] != "event":
                continue
            event = message["event"]
            events.append(event)
            if event["type"] == "run-start" and not sent:
                handler = bytes([event["data"]["runner_data"]["stt_binary_handler_id"]])
                for at in range(0, len(pcm), piece):
                    connection.send(handler + pcm[at : at + piece])
                connection.send(handler)  # the end of the audio
                sent = True
            if event["type"] in ("run-end", "error"):
                return events

    def _connection(self) -> ClientConnection:
        if self._ws is None:
            connection = self._stack.enter_context(connect(
                self.url.replace("http", "ws", 1) + "/api/websocket", max_size=None))
            assert json.loads(connection.recv(timeout=30))["type"] == "auth_required"
            connection.send(json.dumps({"type": "auth", "access_token": self.token}))
            reply = json.loads(connection.recv(timeout=30))
            if reply["type"] != "auth_ok":
                raise HomeAssistantError(f"websocket auth: {reply}")
            self._ws = connection
        return self._ws

    def long_lived_token(self, name: str = "nimbus") -> str:
        """A long-lived access token (what a user pastes into Nimbus's ``[homeassistant]``)."""
        token: str = self.ws("auth/long_lived_access_token",
                             client_name=f"{name}-{secrets.token_hex(3)}", lifespan=30)
        return token

    # --- config entries ---------------------------------------------------------------------

    def config_flow(self, handler: str, *steps: dict[str, Any]) -> dict[str, Any]:
        """Run a config flow through its form steps; the created entry (error otherwise)."""
        flow: dict[str, Any] = self.rest("POST", "/api/config/config_entries/flow",
                                         {"handler": handler, "show_advanced_options": False})
        for step in steps:
            if flow.get("type") != "form":
                break
            flow = self.rest("POST", f"/api/config/config_entries/flow/{flow['flow_id']}", step)
        if flow.get("type") != "create_entry":
            raise HomeAssistantError(f"config flow {handler}: {flow}")
        entry: dict[str, Any] = flow["result"]
        return entry

    def add_wyoming(self, host: str, port: int) -> dict[str, Any]:
        """The Wyoming integration for a server at host:port; its config entry."""
        return self.config_flow("wyoming", {"host": host, "port": port})

    def add_mqtt(self, host: str, port: int) -> dict[str, Any]:
        """The MQTT integration for a broker at host:port (discovery on); its config entry."""
        return self.config_flow("mqtt", {"broker": host, "port": port})

    def entities_of(self, entry_id: str) -> list[dict[str, Any]]:
        """The entity registry entries of a config entry."""
        entries: list[dict[str, Any]] = self.ws("config/entity_registry/list")
        return [e for e in entries if e.get("config_entry_id") == entry_id]

    # --- the process ------------------------------------------------------------------------

    def log(self) -> str:
        path = self.config_dir / "home-assistant.log"
        try:
            return path.read_text(encoding="utf-8", errors="replace")[-8000:]
        except OSError:
            return ""

    def terminate(self) -> None:
        """Ask Home Assistant to stop (SIGTERM) without waiting: :meth:`stop` waits."""
        with contextlib.suppress(Exception):
            self._stack.close()
        self._ws = None
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def stop(self) -> None:
        self.terminate()
        if self.process is not None and self.process.poll() is None:
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _reply(request: urllib.request.Request, timeout: float) -> Any:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as exc:
        raise HomeAssistantError(f"{request.get_method()} {request.full_url}: {exc.code} "
                                 f"{exc.read().decode(errors='replace')[:500]}") from None
    except (urllib.error.URLError, ConnectionError) as exc:
        raise HomeAssistantError(f"{request.full_url}: {exc}") from None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


def _form(url: str, data: dict[str, str]) -> Any:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(),
                                     method="POST")
    return _reply(request, 30)


def launch(config_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``hass`` on a free port (not waiting for it); the process and its base URL.

    Fails, never skips, when Home Assistant was not built: the tests need it.
    """
    hass = ha_venv() / "bin" / "hass"
    if not hass.exists():
        pytest.fail(f"Home Assistant {HA_VERSION} is not installed at {ha_venv()}: run "
                    "scripts/setup.sh test (it builds it with Python 3.12; `make test` does)")
    port = free_port()
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "configuration.yaml").write_text(_CONFIGURATION.format(port=port),
                                                   encoding="utf-8")
    log = (config_dir / "hass.out").open("ab")
    env = {**os.environ, "PATH": f"{hass.parent}:{os.environ.get('PATH', '')}"}
    env.pop("PYTHONPATH", None)  # HA's own venv, not Nimbus's
    with log:
        process = subprocess.Popen([str(hass), "-c", str(config_dir), "--skip-pip"],
                                   stdout=log, stderr=subprocess.STDOUT, env=env)
    return process, f"http://127.0.0.1:{port}"


def onboard(process: subprocess.Popen[bytes], url: str, config_dir: Path,
            timeout: float = 180.0) -> HomeAssistant:
    """Wait until Home Assistant serves, create its owner, log in; the running instance."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            out = (config_dir / "hass.out").read_text(errors="replace")[-4000:]
            raise RuntimeError(f"hass exited with {process.returncode}:\n{out}")
        try:
            _reply(urllib.request.Request(url + "/api/onboarding"), 5)
            break
        except HomeAssistantError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"Home Assistant did not serve within {timeout:g} s") from None
            time.sleep(0.2)
    client_id = url + "/"
    user = _form_json(url + "/api/onboarding/users", {
        "client_id": client_id, "name": "Test Owner", "username": "owner",
        "password": secrets.token_urlsafe(12), "language": "en"})
    tokens = _form(url + "/auth/token", {"grant_type": "authorization_code",
                                         "code": user["auth_code"], "client_id": client_id})
    ha = HomeAssistant(url=url, token=tokens["access_token"], config_dir=config_dir,
                       process=process)
    ha.wait_for("start-up", lambda: ha.rest("GET", "/api/config").get("state") == "RUNNING",
                timeout=max(1.0, deadline - time.monotonic()))
    return ha


def _form_json(url: str, body: dict[str, str]) -> Any:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    return _reply(request, 30)


def furnish(ha: HomeAssistant) -> None:
    """The kitchen light into the area "Kitchen"; the back door lock exposed to Assist."""
    areas = {a["name"]: a["area_id"] for a in ha.ws("config/area_registry/list")}
    if "Kitchen" not in areas:  # onboarding makes Living Room, Kitchen and Bedroom
        areas["Kitchen"] = ha.ws("config/area_registry/create", name="Kitchen")["area_id"]
    ha.ws("config/entity_registry/update", entity_id=KITCHEN_LIGHT, area_id=areas["Kitchen"])
    ha.ws("homeassistant/expose_entity", assistants=["conversation"],
          entity_ids=[KITCHEN_LIGHT, BACK_DOOR], should_expose=True)


@contextlib.contextmanager
def start_home_assistant(config_dir: Path) -> Iterator[HomeAssistant]:
    """A started, onboarded and furnished Home Assistant; stopped afterwards."""
    process, url = launch(config_dir)
    ha = HomeAssistant(url=url, token="", config_dir=config_dir, process=process)
    try:
        ha = onboard(process, url, config_dir)
        furnish(ha)
        yield ha
    finally:
        ha.stop()


@pytest.fixture(scope="module")
def home_assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HomeAssistant]:
    """One real Home Assistant shared by the tests of a module."""
    with start_home_assistant(tmp_path_factory.mktemp("home-assistant")) as ha:
        yield ha
