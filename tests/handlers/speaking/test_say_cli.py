"""`nimbus say` and `nimbus voices` as a user runs them: real subprocesses of the CLI.

Daemon mode talks to a real WebSocket server on a random loopback port whose bus runs the real
speaking stage (shipped Piper voice) with a WAV file as its speaker.
"""

from __future__ import annotations

import asyncio
import wave
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from nimbus.daemon.events import PlaybackFinished, Say
from nimbus.handlers.speaking.handler import SpeakerHandler
from tests.conftest import NIMBUS
from tests.handlers.interfaces.ws_helpers import Served, serve_ws

pytestmark = pytest.mark.slow


async def nimbus(config: Path, *args: str, within: float = 60) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *NIMBUS, "--config", str(config), *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), within)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def cli_config(path: Path, state_dir: Path, watch_dir: Path, speaker_wav: Path) -> Path:
    path.write_text(
        f'[daemon]\nstate_dir = "{state_dir}"\n\n[watch]\nfolders = ["{watch_dir}"]\n\n'
        f'[audio]\ninput = "none"\noutput = "wav"\noutput_wav = "{speaker_wav}"\n\n'
        '[websocket]\nport = 0\n', encoding="utf-8")
    return path


def seconds(path: Path) -> tuple[int, float]:
    with wave.open(str(path)) as wav:
        return wav.getframerate(), wav.getnframes() / wav.getframerate()


@pytest.fixture
async def daemon(state_dir: Path, watch_dir: Path, tmp_path: Path
                 ) -> AsyncIterator[tuple[Served, Path]]:
    speaker_wav = tmp_path / "speaker.wav"
    async with serve_ws(state_dir, watch_dir, 'audio.output="wav"',
                        f'audio.output_wav="{speaker_wav}"') as served:
        speaker = SpeakerHandler(served.config, served.bus)
        await speaker.prepare()
        async with asyncio.TaskGroup() as tg:
            task = tg.create_task(speaker.run(), name="speaker")
            await speaker.listening.wait()
            yield served, cli_config(tmp_path / "nimbus.toml", state_dir, watch_dir, speaker_wav)
            task.cancel()
        speaker.close()


async def test_say_through_the_daemon_plays_on_its_speaker(
    daemon: tuple[Served, Path], tmp_path: Path
) -> None:
    served, config = daemon
    client_wav = tmp_path / "client.wav"
    code, out, err = await nimbus(config, "say", "Hello from the command line.", "Bye now.",
                                  "--out", str(client_wav))
    assert code == 0, err
    assert out.splitlines() == ["Hello from the command line.", "Bye now."]
    finished = [e for e in served.recorder.of(PlaybackFinished)
                if isinstance(e, PlaybackFinished)]
    assert len(finished) == 1
    assert not finished[0].cancelled
    assert finished[0].sink == "wav"
    says = [e for e in served.recorder.of(Say) if isinstance(e, Say)]
    assert says[0].site == served.config.daemon.site
    rate, played = seconds(tmp_path / "speaker.wav")
    assert rate == 22050
    assert played == pytest.approx(finished[0].seconds, abs=0.01)
    assert seconds(client_wav) == (22050, pytest.approx(played, abs=0.01))

    code, _out, err = await nimbus(config, "say", "Hello.", "--voice", "nobody")
    assert code == 1
    assert "unknown_voice" in err
    assert "joe" in err


async def test_say_without_a_daemon_points_to_local(tmp_path: Path, state_dir: Path,
                                                    watch_dir: Path) -> None:
    config = cli_config(tmp_path / "nimbus.toml", state_dir, watch_dir, tmp_path / "s.wav")
    code, _out, err = await nimbus(config, "say", "Hello.")
    assert code == 1
    assert "--local" in err


async def test_say_local_writes_a_wav(tmp_path: Path, state_dir: Path, watch_dir: Path) -> None:
    config = cli_config(tmp_path / "nimbus.toml", state_dir, watch_dir, tmp_path / "s.wav")
    out_wav = tmp_path / "out.wav"
    code, out, err = await nimbus(config, "say", "--local", "--out", str(out_wav),
                                  "Testing, one, two, three. Done.")
    assert code == 0, err
    assert "Done." in out
    rate, length = seconds(out_wav)
    assert rate == 22050
    assert 1.5 < length < 6
    code, _out, err = await nimbus(config, "say", "--local", "🙂 !!!")
    assert code == 1
    assert "nothing_to_say" in err


async def test_voices_list_and_clone(tmp_path: Path, state_dir: Path, watch_dir: Path) -> None:
    config = cli_config(tmp_path / "nimbus.toml", state_dir, watch_dir, tmp_path / "s.wav")
    code, out, err = await nimbus(config, "say", "--local", "--out", str(tmp_path / "me.wav"),
                                  "This is my voice, copy it well please.")
    assert code == 0, err
    code, out, err = await nimbus(config, "voices", "clone", "me", str(tmp_path / "me.wav"))
    assert code == 0, err
    assert "me.toml" in out
    code, out, err = await nimbus(config, "voices", "list")
    assert code == 0, err
    assert out.startswith("* joe")
    assert "me" in out
    assert "xtts" in out
    assert "unavailable:" in out
    (tmp_path / "broken.wav").write_bytes(b"RIFF nonsense")
    code, out, err = await nimbus(config, "voices", "clone", "broken", str(tmp_path / "broken.wav"))
    assert code == 1
    assert "bad_reference_clip" in err
