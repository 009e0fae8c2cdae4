"""Coqui XTTS v2 for real: coqui-tts's own loading, cloning and streaming code on this CPU.

The model is a tiny randomly initialised XTTS that ``tests/voices/tiny_xtts.py`` builds from a
shrunken config: the real xtts_v2 weights (1.8 GB) live on Coqui's hub, which nothing here may
reach. Everything else is real: config.json/vocab.json/model.pth in a folder, ``Xtts`` loading
them, latents from a reference clip of real (Piper) speech, GPT streaming and the HiFi-GAN
decoder. Random weights make noise-like speech, so no ASR round trip is possible; the tests assert
what the engine controls: rate, format, chunk order, the speed setting, cached latents, errors.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile

from nimbus.cli import main as cli_main
from nimbus.daemon.config import Config, DaemonConfig, TtsConfig, VoiceConfig
from nimbus.daemon.events import AudioOut, PlaybackFinished
from nimbus.handlers.speaking.handler import SpeakerHandler
from nimbus.voices import VoiceError, list_voices, load_voice
from nimbus.voices.xtts_engine import XttsEngine, split_for_xtts, xtts_available
from tests.conftest import NIMBUS
from tests.handlers.interfaces.ws_helpers import serve_ws
from tests.handlers.speaking.test_say_cli import cli_config, nimbus
from tests.speech import synthesize_speech
from tests.voices.tiny_xtts import build_tiny_xtts

pytestmark = pytest.mark.slow

torch = pytest.importorskip("torch")
MAX_TOKENS = 48  # tiny_xtts: gpt_max_audio_tokens
SAMPLES_PER_TOKEN = 1024 * 24000 / 22050  # code stride at 22.05 kHz, decoded at 24 kHz


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert xtts_available() is None, xtts_available()
    return build_tiny_xtts(tmp_path_factory.mktemp("xtts") / "tiny_xtts_v2")


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    speech, rate = synthesize_speech("This is my voice. Please copy the way I speak. " * 2)
    path = tmp_path_factory.mktemp("clips") / "me.wav"
    soundfile.write(str(path), speech, rate, subtype="PCM_16")
    return path


def config_for(state: Path, model_dir: Path, clip: Path, **voice: object) -> Config:
    settings: dict[str, object] = {"engine": "xtts", "model": str(model_dir),
                                   "speaker": str(clip), **voice}
    return Config(daemon=DaemonConfig(state_dir=str(state)), tts=TtsConfig(),
                  voices={"joe": VoiceConfig(), "me": VoiceConfig(**settings)})  # type: ignore[arg-type]


def pcm(chunks: list[bytes]) -> np.ndarray:
    return np.frombuffer(b"".join(chunks), dtype="<i2")


def test_a_cloned_voice_streams_int16_at_24_khz(tmp_path: Path, model_dir: Path,
                                                clip: Path) -> None:
    engine = load_voice("me", config_for(tmp_path, model_dir, clip))
    assert isinstance(engine, XttsEngine)
    assert (engine.sample_rate, engine.language) == (24000, "en")
    torch.manual_seed(3)
    chunks = list(engine.synthesize("Hello there, how are you today?"))
    assert chunks, "XTTS produced no audio"
    assert all(len(chunk) % 2 == 0 and chunk for chunk in chunks)
    samples = pcm(chunks)
    assert samples.size <= MAX_TOKENS * SAMPLES_PER_TOKEN + 1024
    assert np.abs(samples).max() > 0


def test_streaming_yields_in_order_what_one_pass_would(tmp_path: Path, model_dir: Path,
                                                       clip: Path) -> None:
    cache = tmp_path / "latents"
    # 12-token pieces: coqui re-decodes everything generated so far for each piece, so the cost
    # grows with the square of the piece count; four pieces show the streaming as well as twelve
    streaming = XttsEngine("me", model_dir, speaker=clip, cache_dir=cache, stream_chunk_tokens=12)
    whole = XttsEngine("me", model_dir, speaker=clip, cache_dir=cache, stream_chunk_tokens=0)
    text = "Streaming speech arrives in pieces, one after the other."
    torch.manual_seed(11)
    pieces = list(streaming.synthesize(text))
    torch.manual_seed(11)
    single = list(whole.synthesize(text))
    assert len(single) == 1
    assert len(pieces) >= 2, "a 12-token stream chunk should give several chunks"
    # same sampled tokens: the streamed pieces, joined, are the same speech as one pass (they
    # differ only where XTTS cross-fades the joins)
    streamed, once = pcm(pieces).astype(float), pcm(single).astype(float)
    assert abs(streamed.size - once.size) <= 1024 * len(pieces)
    common = min(streamed.size, once.size)
    assert np.corrcoef(streamed[:common], once[:common])[0, 1] > 0.98


def test_speed_two_halves_the_speech(tmp_path: Path, model_dir: Path, clip: Path) -> None:
    engine = XttsEngine("me", model_dir, speaker=clip, cache_dir=tmp_path, stream_chunk_tokens=0)
    text = "The same words at two speeds."
    torch.manual_seed(5)
    normal = pcm(list(engine.synthesize(text))).size
    engine.speed = 2.0
    torch.manual_seed(5)
    fast = pcm(list(engine.synthesize(text))).size
    assert fast == pytest.approx(normal / 2, rel=0.15)


def test_clone_latents_are_cached_on_disk_and_reused(tmp_path: Path, model_dir: Path,
                                                     clip: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    cache = tmp_path / "latents"
    with caplog.at_level(logging.INFO, logger="nimbus.voices.xtts_engine"):
        first = XttsEngine("me", model_dir, speaker=clip, cache_dir=cache)
        files = sorted(cache.glob("me-*.pt"))
        assert len(files) == 1
        assert "computed from" in caplog.text
        caplog.clear()
        again = XttsEngine("me", model_dir, speaker=clip, cache_dir=cache)
        assert "speaker latents from" in caplog.text
        assert "computed from" not in caplog.text
    for ours, theirs in zip(first._latents, again._latents, strict=True):
        assert torch.equal(ours, theirs)
    gpt_latent, speaker_embedding = first._latents
    assert gpt_latent.shape[-1] == 32  # tiny model width
    assert speaker_embedding.shape[:2] == (1, 512)

    other = tmp_path / "other.wav"
    speech, rate = synthesize_speech("Somebody else entirely, speaking slowly and clearly.")
    soundfile.write(str(other), speech, rate, subtype="PCM_16")
    XttsEngine("me", model_dir, speaker=other, cache_dir=cache)
    assert len(list(cache.glob("me-*.pt"))) == 2, "a new clip must not reuse old latents"

    files[0].write_bytes(b"truncated")
    with caplog.at_level(logging.WARNING, logger="nimbus.voices.xtts_engine"):
        XttsEngine("me", model_dir, speaker=clip, cache_dir=cache)
    assert "ignoring unreadable latent cache" in caplog.text
    assert files[0].stat().st_size > 100, "the broken cache is rewritten"


def test_other_languages_and_unsupported_ones(tmp_path: Path, model_dir: Path,
                                              clip: Path) -> None:
    german = XttsEngine("de", model_dir, speaker=clip, cache_dir=tmp_path, language="de-DE")
    assert german.language == "de"
    torch.manual_seed(1)
    assert pcm(list(german.synthesize("Guten Tag, wie geht es Ihnen?"))).size > 0
    with pytest.raises(VoiceError) as caught:
        XttsEngine("xx", model_dir, speaker=clip, cache_dir=tmp_path, language="tlh")
    assert caught.value.code == "unsupported_language"
    assert "en" in caught.value.message


def test_ugly_text(tmp_path: Path, model_dir: Path, clip: Path) -> None:
    engine = XttsEngine("me", model_dir, speaker=clip, cache_dir=tmp_path, stream_chunk_tokens=0)
    for nothing in ("", "   ", "?!...", "🙂🙂🙂"):
        assert list(engine.synthesize(nothing)) == []
    long_sentence = ("This clause goes on and on, " * 25).strip()  # ~700 characters, one sentence
    torch.manual_seed(2)
    chunks = list(engine.synthesize(long_sentence))
    assert len(chunks) == len(split_for_xtts(long_sentence, 250)) >= 3


def test_split_for_xtts_respects_the_limit() -> None:
    assert split_for_xtts("  short  text ", 250) == ["short text"]
    assert split_for_xtts("", 250) == []
    text = "word " * 4000 + "x" * 600  # 20 kB, ending in one unbroken run
    pieces = split_for_xtts(text, 250)
    assert all(0 < len(piece) <= 250 for piece in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")
    clauses = split_for_xtts("first part here, second part there; third part", 20)
    assert clauses == ["first part here,", "second part there;", "third part"]


def test_bad_model_folders_are_clear_errors(tmp_path: Path, model_dir: Path, clip: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(VoiceError) as caught:
        load_voice("me", config_for(tmp_path, empty, clip))
    assert caught.value.code == "voice_load_failed"
    assert "config.json, model.pth, vocab.json" in caught.value.message

    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("config.json", "vocab.json"):
        (broken / name).write_bytes((model_dir / name).read_bytes())
    (broken / "model.pth").write_bytes((model_dir / "model.pth").read_bytes()[:4096])
    with pytest.raises(VoiceError) as caught:
        load_voice("me", config_for(tmp_path, broken, clip))
    assert caught.value.code == "voice_load_failed"
    assert str(broken) in caught.value.message

    with pytest.raises(VoiceError) as caught:
        load_voice("me", config_for(tmp_path, model_dir, tmp_path / "nobody.wav"))
    assert caught.value.code == "reference_missing"


def test_voices_list_shows_a_loadable_xtts_voice(tmp_path: Path, model_dir: Path,
                                                 clip: Path) -> None:
    listed = {info.name: info for info in list_voices(config_for(tmp_path, model_dir, clip))}
    assert listed["me"].engine == "xtts"
    assert listed["me"].problem == ""
    assert listed["me"].model == str(model_dir)


async def run_cli(*args: str, within: float = 120) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *NIMBUS, *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), within)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_clone_then_say_with_the_cli(tmp_path: Path, model_dir: Path, clip: Path) -> None:
    state = tmp_path / "state"
    config = tmp_path / "nimbus.toml"
    config.write_text(f'[daemon]\nstate_dir = "{state}"\n\n[tts]\nxtts_model = "{model_dir}"\n',
                      encoding="utf-8")
    code, out, err = await run_cli("--config", str(config), "voices", "clone", "me", str(clip))
    assert code == 0, err
    code, out, err = await run_cli("--config", str(config), "voices", "list")
    assert code == 0, err
    line = next(row for row in out.splitlines() if " me " in f" {row} ")
    assert "xtts" in line
    assert "unavailable" not in line
    wav_path = tmp_path / "said.wav"
    code, out, err = await run_cli("--config", str(config), "say", "--local", "--voice", "me",
                                   "--out", str(wav_path), "Hello from a cloned voice.")
    assert code == 0, err
    with wave.open(str(wav_path)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (24000, 1, 2)
        assert 0 < wav.getnframes() <= math.ceil(MAX_TOKENS * SAMPLES_PER_TOKEN) + 1024
    assert list((state / "voices" / ".latents").glob("me-*.pt")), "latents cached for restarts"


async def test_the_daemon_speaks_with_an_xtts_voice(tmp_path: Path, state_dir: Path,
                                                    watch_dir: Path, model_dir: Path,
                                                    clip: Path) -> None:
    """`nimbus say` through a running daemon whose default voice is XTTS (speaker = WAV file)."""
    speaker_wav = tmp_path / "speaker.wav"
    async with serve_ws(state_dir, watch_dir, 'audio.output="wav"',
                        f'audio.output_wav="{speaker_wav}"', 'tts.voice="me"',
                        'voices.me.engine="xtts"', f'voices.me.model="{model_dir}"',
                        f'voices.me.speaker="{clip}"') as served:
        speaker = SpeakerHandler(served.config, served.bus)
        await speaker.prepare()
        try:
            async with asyncio.TaskGroup() as tg:
                task = tg.create_task(speaker.run(), name="speaker")
                await speaker.listening.wait()
                config = cli_config(tmp_path / "nimbus.toml", state_dir, watch_dir, speaker_wav)
                code, _out, err = await nimbus(config, "say", "First sentence here.",
                                              "Second one follows.", within=120)
                task.cancel()
        finally:
            speaker.close()
    assert code == 0, err
    audio = [e for e in served.recorder.of(AudioOut) if isinstance(e, AudioOut)]
    assert [e.index for e in audio] == list(range(len(audio)))
    assert audio[-1].final
    spoken = [e.text for e in audio if e.audio]
    assert spoken == sorted(spoken, key=["First sentence here.", "Second one follows."].index)
    assert set(spoken) == {"First sentence here.", "Second one follows."}
    assert all(e.rate == 24000 for e in audio if e.audio)
    finished = [e for e in served.recorder.of(PlaybackFinished)
                if isinstance(e, PlaybackFinished)]
    assert len(finished) == 1
    assert not finished[0].cancelled
    with wave.open(str(speaker_wav)) as wav:
        played = wav.getnframes() / wav.getframerate()
    assert played == pytest.approx(finished[0].seconds, abs=0.05)
    assert played > 0


def test_doctor_loads_an_xtts_default_voice_for_real(
    tmp_path: Path, model_dir: Path, clip: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NIMBUS_CONFIG", str(tmp_path / "none.toml"))
    voice = ['tts.voice="me"', 'voices.me.engine="xtts"', f'voices.me.speaker="{clip}"',
             f'daemon.state_dir="{tmp_path / "state"}"']
    sets = [arg for item in voice for arg in ("--set", item)]
    assert cli_main([*sets, "--set", f'voices.me.model="{model_dir}"', "doctor", "--json"]) == 0
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)}
    assert checks["model:tts"]["ok"], checks["model:tts"]
    assert list((tmp_path / "state" / "voices" / ".latents").glob("me-*.pt"))

    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli_main([*sets, "--set", f'voices.me.model="{empty}"', "doctor", "--json"]) == 1
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)}
    assert not checks["model:tts"]["ok"]
    assert "lacks config.json, model.pth, vocab.json" in checks["model:tts"]["detail"]


def test_devices(tmp_path: Path, model_dir: Path, clip: Path) -> None:
    auto = XttsEngine("me", model_dir, speaker=clip, cache_dir=tmp_path, device="auto")
    assert auto.device == ("cuda" if torch.cuda.is_available() else "cpu")
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU: the no-GPU error below cannot happen here")
    with pytest.raises(VoiceError) as caught:
        load_voice("me", config_for(tmp_path, model_dir, clip, device="cuda"))
    assert caught.value.code == "device_unavailable"
    assert "no CUDA GPU" in caught.value.message
