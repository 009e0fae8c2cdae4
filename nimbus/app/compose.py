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
    from nimbus.handlers.audio.echo.handler import SiteEcho
    from nimbus.watchfolders.embedder import SharedEmbedder
    from nimbus.watchfolders.handler import DocumentsHandler

__all__ = ["build_handlers"]


def _echo(config: Config) -> SiteEcho | None:
    """Echo cancellation (audio.echo_cancel) when the local site plays and listens itself."""
    audio = config.audio
    if audio.echo_cancel == "off" or audio.input == "none" or audio.output in ("wav", "none"):
        return None
    from nimbus.handlers.audio.echo.handler import SiteEcho, engine_factory  # noqa: PLC0415

    return SiteEcho(config.daemon.site, engine=engine_factory(audio.echo_engine))


def _listening(config: Config, bus: Bus, echo: SiteEcho | None = None) -> list[Handler]:
    """Audio sources, VAD, ASR, phrases, per-site state, arbitration between grouped sites."""
    from nimbus.handlers.listening.asr.handler import AsrHandler  # noqa: PLC0415 - heavy
    from nimbus.handlers.listening.microphone import MicrophoneSource  # noqa: PLC0415 - heavy
    from nimbus.handlers.listening.phrases.handler import PhraseHandler  # noqa: PLC0415 - heavy
    from nimbus.handlers.listening.vad.handler import VadHandler, settings_from_config  # noqa: PLC0415

    handlers: list[Handler] = []
    if config.audio.input != "none":
        handlers.append(MicrophoneSource(bus, config.audio, site=config.daemon.site, echo=echo))
    if echo is not None:
        from nimbus.handlers.audio.echo.handler import EchoHandler  # noqa: PLC0415 - heavy

        handlers.append(EchoHandler(bus, echo))
    handlers += [
        VadHandler(bus, settings_from_config(config.vad, config.asr), model=config.vad.model,
                   stall_s=config.vad.stall_s,
                   echo_playing=(lambda site: site == echo.site and echo.cancelling_playback())
                   if echo is not None else None),
        AsrHandler(
            bus, config.asr, prompt_words=(*config.phrases.action, *config.phrases.stop),
            action_words=config.phrases.action, stop_words=config.phrases.stop,
            sensitivity=config.phrases.sensitivity,
            tolerance=config.phrases.tolerance,
            hangover_s=config.vad.silence_ms / 1000, templates=config.phrase_templates_path,
            model_cache=config.model_cache_path,
        ),
        PhraseHandler(bus, config.phrases, arbitrated=lambda site: config.arbitration.group_for(
            site, local_site=config.daemon.site) is not None,
                      cancelling=(lambda site: site == echo.site and echo.active())
                      if echo is not None else None),
    ]
    if config.arbitration.groups or config.arbitration.satellites:
        from nimbus.handlers.listening.arbitration.handler import ArbitrationHandler  # noqa: PLC0415

        handlers.append(ArbitrationHandler(bus, config.arbitration, local_site=config.daemon.site))
    return handlers


def _responding(config: Config, bus: Bus, embedder: SharedEmbedder) -> list[Handler]:
    """The LLM responder (documents from the store when llm.top_k > 0) and the intent stage."""
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

    handlers: list[Handler] = [
        Responder(config, bus, open_retriever=open_retriever if config.llm.top_k else None)]
    if config.intents.enabled:
        from nimbus.handlers.responding.intents.handler import IntentHandler  # noqa: PLC0415

        handlers.append(IntentHandler(config, bus))
    return handlers


def _speaking(config: Config, bus: Bus, echo: SiteEcho | None = None) -> list[Handler]:
    """Sentence chunker, TTS and the local audio sink (audio.output), in one handler."""
    from nimbus.handlers.speaking.handler import SpeakerHandler  # noqa: PLC0415 - heavy

    return [SpeakerHandler(config, bus, reference=echo.reference if echo is not None else None)]


def _documents(config: Config, bus: Bus, embedder: SharedEmbedder) -> list[DocumentsHandler]:
    """Watch folders, durable ingest queue, search."""
    from nimbus.watchfolders.handler import DocumentsHandler  # noqa: PLC0415 - heavy

    return [DocumentsHandler(config, bus, watch=bool(config.watch_paths), embedder=embedder)]


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
    echo = _echo(config)
    if echo is not None:  # `nimbus status` shows the site's echo cancellation
        base = info or dict
        info = lambda: {**base(), "echo": {echo.site: echo.status()}}  # noqa: E731
    # One embedding model for ingest and for questions' retrieval, loaded by the first to ask.
    from nimbus.watchfolders.embedder import SharedEmbedder  # noqa: PLC0415 - heavy

    embedder = SharedEmbedder(config.embeddings)
    documents = _documents(config, bus, embedder)
    daemon_info = info

    def status() -> dict[str, Any]:
        """The daemon's info plus the documents' (what is indexed, what cannot be read)."""
        extra = daemon_info() if daemon_info is not None else {}
        return {**extra, "documents": documents[0].status()}

    handlers: list[Handler] = [EventLogger(bus), CommandRouter(bus, info=status)]
    handlers += _listening(config, bus, echo)
    handlers += _responding(config, bus, embedder)
    handlers += _speaking(config, bus, echo)
    handlers += documents
    handlers += _interfaces(config, bus)
    return handlers
