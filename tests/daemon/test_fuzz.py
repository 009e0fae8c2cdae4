"""Property-based fuzzing of the kernel's outside-facing parsers: the codec (JSON headers and
binary audio frames, as WebSocket and MQTT clients send them) and the config files.

For any input: a valid event or config, or CodecError / ConfigError; never another exception, a
hang, or unbounded memory (see tests/fuzz.py).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from nimbus.daemon import codec
from nimbus.daemon.config import Config, ConfigError, load_config
from nimbus.daemon.events import AudioChunk, AudioOut, Event
from tests.fuzz import FUZZ, bounded_memory, fuzz, mutated, typed, well_formed

MEMORY = 8 * 1024 * 1024

HEADERS = [
    b'{"type": "transcript", "site": "kitchen", "text": "hello", "final": true}',
    b'{"type": "cmd.ask", "text": "When is bin day?", "use_docs": true, "site": "k"}',
    b'{"type": "response.delta", "text": "It is", "index": 3, "site": "k"}',
    b'{"type": "error", "code": "x", "message": "y", "stage": "asr"}',
]
FRAMES = [
    codec.encode_frame(AudioChunk(site="kitchen", audio=b"\x00\x01" * 160, rate=16000, width=2,
                                  channels=1)),
    codec.encode_frame(AudioOut(site="kitchen", audio=b"\x00\x01" * 220, rate=22050, width=2,
                                channels=1)),
]


@FUZZ
@given(mutated(HEADERS))
def test_codec_json_headers(data: bytes) -> None:
    with bounded_memory(MEMORY):
        event = typed(lambda: codec.decode_json(data), codec.CodecError)
    if isinstance(event, codec.CodecError):
        assert well_formed(event)
        return
    assert isinstance(event, Event)
    assert codec.decode_json(codec.encode_json(event)) == event, "what it accepts round-trips"


@FUZZ
@given(mutated(FRAMES))
def test_codec_audio_frames(data: bytes) -> None:
    with bounded_memory(MEMORY + 4 * len(data)):
        event = typed(lambda: codec.decode_frame(data), codec.CodecError)
    if isinstance(event, codec.CodecError):
        assert well_formed(event)
        return
    assert isinstance(event, Event)
    if isinstance(event, AudioChunk | AudioOut):
        assert codec.MIN_RATE <= event.rate <= codec.MAX_RATE
        assert 0 < event.channels <= codec.MAX_CHANNELS
        assert len(event.audio) % (event.width * event.channels) == 0


CONFIGS = [
    b'[daemon]\nsite = "kitchen"\nlog_level = "INFO"\n\n[watch]\nfolders = ["/tmp/x"]\n'
    b"settle_s = 1.5\n\n[websocket]\nport = 8765\n",
    b'[mqtt]\nenabled = true\nport = 1883\nareas = ["kitchen=Kitchen"]\n\n'
    b'[wyoming]\nidle_timeout_s = 30.0\n[[wyoming.satellites]]\nuri = "tcp://10.0.0.2:10700"\n'
    b'site = "porch"\n',
    b'[llm]\nn_ctx = 2048\ntemperature = 0.2\n\n[phrases]\naction = ["nimbus"]\n'
    b'stop = ["yonder"]\n\n[voices.joe]\nengine = "piper"\nspeed = 1.1\n',
]


@fuzz(300)  # each case writes and reads a file
@given(mutated(CONFIGS))
def test_config_files(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "nimbus.toml"
        path.write_bytes(data)
        with bounded_memory(MEMORY):
            config = typed(lambda: load_config(path, environ={}), ConfigError)
    if isinstance(config, ConfigError):
        assert str(config)
        return
    assert isinstance(config, Config)


@fuzz(300)
@given(st.dictionaries(
    st.sampled_from(["NIMBUS_DAEMON__SITE", "NIMBUS_WEBSOCKET__PORT", "NIMBUS_LLM__N_CTX",
                     "NIMBUS_WATCH__FOLDERS", "NIMBUS_MQTT__AREAS", "NIMBUS_NO__SUCH",
                     "NIMBUS_WYOMING__IDLE_TIMEOUT_S", "NIMBUS_VAD__SILENCE_MS"]),
    st.text(max_size=40), max_size=4))
def test_config_environment(environ: dict[str, str]) -> None:
    env = {k: v for k, v in environ.items() if "\x00" not in v}
    config = typed(lambda: load_config(None, environ=env), ConfigError)
    if isinstance(config, ConfigError):
        assert str(config)
        return
    assert isinstance(config, Config)


def test_seeds_are_valid(tmp_path: Path) -> None:
    assert all(codec.decode_json(h) for h in HEADERS)
    assert all(codec.decode_frame(f) for f in FRAMES)
    for i, text in enumerate(CONFIGS):
        (tmp_path / f"{i}.toml").write_bytes(text)
        assert isinstance(load_config(tmp_path / f"{i}.toml", environ={}), Config)
