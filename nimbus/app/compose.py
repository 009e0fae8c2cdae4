"""The composition root: which handlers a daemon with a given config runs.

One function per capability; each returns the handlers that capability adds. Heavy modules are
imported inside the functions so that `nimbus config show` and friends start fast.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config
from nimbus.daemon.handler import Handler
from nimbus.handlers.routing import CommandRouter, EventLogger

if TYPE_CHECKING:
    from nimbus.watchfolders.embedder import SharedEmbedder

__all__ = ["build_handlers"]


def _listening(config: Config, bus: Bus) -> list[Handler]:
    """Audio sources, VAD, ASR, phrases, per-site state, arbitration between grouped sites."""
    from nimbus.handlers.listening.asr.handler import AsrHandler  # noqa: PLC0415 - heavy
    from nimbus.handlers.listening.microphone import MicrophoneSource  # noqa: PLC0415 - heavy
    from nimbus.handlers.listening.phrases.handler import PhraseHandler  # noqa: PLC0415 - heavy
    from nimbus.handlers.listening.vad.handler import VadHandler, settings_from_config  # noqa: PLC0415

    handlers: list[Handler] = []
    if config.audio.input != "none":
        handlers.append(MicrophoneSource(bus, config.audio, site=config.daemon.site))
    handlers += [
        VadHandler(bus, settings_from_config(config.vad, config.asr), model=config.vad.model,
                   stall_s=config.vad.stall_s),
        AsrHandler(
            bus, config.asr, prompt_words=(*config.phrases.action, *config.phrases.stop),
            action_words=config.phrases.action, sensitivity=config.phrases.sensitivity,
            tolerance=config.phrases.tolerance,
            hangover_s=config.vad.silence_ms / 1000, templates=config.phrase_templates_path,
            model_cache=config.model_cache_path,
        ),
        PhraseHandler(bus, config.phrases, arbitrated=lambda site: config.arbitration.group_for(
            site, local_site=config.daemon.site) is not None),
    ]
    if config.arbitration.groups or config.arbitration.satellites:
        from nimbus.handlers.listening.arbitration.handler import ArbitrationHandler  # noqa: PLC0415

        handlers.append(ArbitrationHandler(bus, config.arbitration, local_site=config.daemon.site))
    return handlers


def _responding(config: Config, bus: Bus, embedder: SharedEmbedder) -> list[Handler]:
    """The LLM responder (documents from the store when llm.top_k > 0)."""
    from nimbus.daemon.config import ConfigError  # noqa: PLC0415
    from nimbus.daemon.models import ModelNotFound, resolve_llm  # noqa: PLC0415
    from nimbus.handlers.responding.handler import Responder, Searcher  # noqa: PLC0415 - heavy

    try:
        resolve_llm(config)  # a missing model is a start-up error, before anything loads
    except ModelNotFound as exc:
        raise ConfigError(f"{exc} (see `nimbus doctor`)") from None

    def open_retriever() -> Searcher:
        from nimbus.watchfolders.retriever import Retriever  # noqa: PLC0415 - heavy

        return Retriever.open(config, embedder=embedder.get())

    return [Responder(config, bus, open_retriever=open_retriever if config.llm.top_k else None)]


def _speaking(config: Config, bus: Bus) -> list[Handler]:
    """Sentence chunker, TTS and the local audio sink (audio.output), in one handler."""
    from nimbus.handlers.speaking.handler import SpeakerHandler  # noqa: PLC0415 - heavy

    return [SpeakerHandler(config, bus)]


def _documents(config: Config, bus: Bus, embedder: SharedEmbedder) -> list[Handler]:
    """Watch folders, durable ingest queue, search."""
    from nimbus.watchfolders.handler import DocumentsHandler  # noqa: PLC0415 - heavy

    return [DocumentsHandler(config, bus, watch=bool(config.watch.folders), embedder=embedder)]


def _interfaces(config: Config, bus: Bus) -> list[Handler]:
    """WebSocket server (+ browser client), the MQTT bridge and the Wyoming server."""
    handlers: list[Handler] = []
    if config.websocket.enabled:
        from nimbus.handlers.interfaces.websocket.handler import WebSocketServer  # noqa: PLC0415 - lazy

        handlers.append(WebSocketServer(config, bus))
    if config.mqtt.enabled:
        from nimbus.handlers.interfaces.mqtt.handler import MqttBridge  # noqa: PLC0415 - lazy

        handlers.append(MqttBridge(config, bus))
    if config.wyoming.enabled:
        from nimbus.handlers.interfaces.wyoming.handler import WyomingServer  # noqa: PLC0415 - lazy

        handlers.append(WyomingServer(config, bus))
    if config.wyoming.satellites:
        from nimbus.handlers.interfaces.wyoming.controller import WyomingSatellite  # noqa: PLC0415

        handlers += [WyomingSatellite(config, s, bus) for s in config.wyoming.satellites]
    return handlers


def build_handlers(
    config: Config, bus: Bus, *, info: Callable[[], dict[str, Any]] | None = None
) -> list[Handler]:
    """Instantiate every handler the configuration enables (nothing is loaded yet)."""
    handlers: list[Handler] = [EventLogger(bus), CommandRouter(bus, info=info)]
    # One embedding model for ingest and for questions' retrieval, loaded by the first to ask.
    from nimbus.watchfolders.embedder import SharedEmbedder  # noqa: PLC0415 - heavy

    embedder = SharedEmbedder(config.embeddings)
    handlers += _listening(config, bus)
    handlers += _responding(config, bus, embedder)
    handlers += _speaking(config, bus)
    handlers += _documents(config, bus, embedder)
    handlers += _interfaces(config, bus)
    return handlers
