"""The speaking stage: response text -> sentences -> TTS audio -> the local speaker, stoppable.

Per site, three steps run concurrently, so sentence k+1 is synthesized while sentence k plays:

* the reader cuts ``response.delta`` text (and ``cmd.say`` text) into sentences with
  :class:`SentenceChunker` and publishes a ``sentence`` event for each;
* the site's synthesis task pulls the voice engine's blocking iterator one chunk at a time on
  the TTS thread and publishes ``audio.out`` events in order (the last one of a response has
  ``final=True`` and carries no audio: it marks the end);
* on the local site (``daemon.site``) a playback task writes the audio to the sink (speaker or
  WAV file) on its own thread and publishes ``playback.started`` / ``playback.finished``.

A ``stop`` for a site sets the cancel flag of every targeted response at once: synthesis stops
at the next engine chunk, queued sentences and audio are dropped, and the sink stops within one
buffer and discards what the device still holds. The response's playback ends with
``playback.finished(cancelled=True)``; the next command starts clean.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
import unicodedata
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, TypeVar

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config, ConfigError
from nimbus.daemon.events import (
    AudioOut,
    Command,
    Error,
    Event,
    PlaybackFinished,
    PlaybackStarted,
    ResponseDelta,
    ResponseDone,
    ResponseStarted,
    Say,
    Sentence,
    SpeechEnded,
    SpeechStarted,
    Stop,
    Transcript,
)
from nimbus.daemon.priority import TTS_NICENESS, nicer
from nimbus.handlers.audio_out import AudioSink, PyAudioSink, RateConverter, WavSink
from nimbus.handlers.chunker import SentenceChunker
from nimbus.voices import VoiceEngine, VoiceError, load_voice

__all__ = ["MAX_SAY_CHARS", "NETWORK_SINK", "SpeakerHandler", "TtsUnavailable", "open_sink"]

log = logging.getLogger(__name__)

T = TypeVar("T")

STAGE: Final = "tts"
NETWORK_SINK: Final = "network"
"""The sink name of a site whose client plays the audio.out frames itself."""
MAX_SAY_CHARS: Final = 100_000
"""Longer `say` texts are refused (about two hours of speech)."""
_SENTENCE_BACKLOG: Final = 2048
_PLAYBACK_AHEAD: Final = 2
"""Synthesized chunks waiting for the speaker: synthesis runs at most this far ahead."""
_NETWORK_LEAD_S: Final = 3.0
"""Sites without a local sink get audio at most this far ahead of real time."""
_LATIN_LANGUAGES: Final = frozenset((
    "en", "de", "fr", "es", "it", "pt", "nl", "pl", "cs", "sk", "sl", "hr", "ro", "hu", "fi",
    "sv", "da", "no", "nb", "nn", "is", "et", "lv", "lt", "tr", "ca", "eu", "gl", "cy", "ga",
    "sq", "sw", "vi", "id", "ms", "tl", "af",
))
"""Languages written in Latin script: their voices are not given text in other scripts."""


class TtsUnavailable(ConfigError):
    """The default voice cannot be loaded at start-up (the CLI prints it, exit code 2)."""


@dataclass(slots=True, eq=False)
class _Response:
    """One answer or `say` being spoken on a site."""

    id: str
    """ResponseStarted id, or the Say id."""
    site: str
    cause: str | None
    voice: str
    chunker: SentenceChunker | None
    """None once the text is complete."""
    say: bool = False
    """A `say` (not superseded by a newer answer)."""
    rate: int = 0
    """The voice's sample rate, once synthesis began."""
    received: float = field(default_factory=time.perf_counter)
    cancel: threading.Event = field(default_factory=threading.Event)
    woken: asyncio.Event = field(default_factory=asyncio.Event)
    """Set with ``cancel``: wakes a paced synthesis task."""
    sentences: int = 0
    audio_index: int = 0
    audio_s: float = 0.0
    first_audio: float | None = None
    playing: bool = False
    writing: bool = False
    """The sink thread is writing this response's audio now (it reports its own end)."""
    finished: bool = False
    played_s: float = 0.0
    first_sound: float | None = None
    network: RateConverter | None = None
    local: RateConverter | None = None
    turn: _Turn | None = None
    """Daemon-clock times of this answer's stages, for its playback.finished timings."""

    def cancelled(self) -> bool:
        return self.cancel.is_set()

    def stop(self) -> None:
        self.cancel.set()
        self.woken.set()


@dataclass(slots=True)
class _Turn:
    """When each stage of one answer happened (``time.monotonic()``, the events' clock).

    ``speech_end`` and ``transcript`` are known only for a spoken command: they are the
    end of the utterance and its final transcript that the command came from.
    """

    command: float
    speech_end: float | None = None
    transcript: float | None = None
    first_token: float | None = None
    first_sentence: float | None = None
    first_audio: float | None = None

    def timings(self) -> dict[str, float]:
        """Seconds from the end of the user's speech (or from the command) to each stage."""
        stages = {"transcript": self.transcript, "first_token": self.first_token,
                  "first_sentence": self.first_sentence, "first_audio": self.first_audio}
        out = {f"command_to_{name}": at - self.command
               for name, at in stages.items() if at is not None and name != "transcript"}
        if self.speech_end is not None:
            out |= {f"speech_end_to_{name}": at - self.speech_end
                    for name, at in stages.items() if at is not None}
        return out


@dataclass(slots=True)
class _Heard:
    """The latest spoken command on a site: what its turn timings start from."""

    speech_end: float | None = None
    transcript_id: str | None = None
    transcript: float | None = None
    command_id: str | None = None
    command: float | None = None
    voice: bool = False


@dataclass(frozen=True, slots=True)
class _Utterance:
    response: _Response
    sentence: Sentence | None
    """None marks the end of the response."""


@dataclass(frozen=True, slots=True)
class _Audio:
    response: _Response
    pcm: bytes
    rate: int
    final: bool


@dataclass(slots=True, eq=False)
class _Lane:
    """One site's speaking state."""

    site: str
    sink: AudioSink | None
    responses: dict[str, _Response] = field(default_factory=dict)
    """Responses not yet fully spoken, in arrival order."""
    # Sentences are tiny and come from our own reader, which must never block (it also reads
    # stops): put_nowait, and a sentence beyond this backlog is dropped with an error event.
    sentences: asyncio.Queue[_Utterance] = field(
        default_factory=lambda: asyncio.Queue(maxsize=_SENTENCE_BACKLOG))
    # Synthesized audio for the sink; a full queue makes synthesis wait (back-pressure: it runs
    # at most _PLAYBACK_AHEAD chunks ahead of the speaker).
    playback: asyncio.Queue[_Audio] = field(
        default_factory=lambda: asyncio.Queue(maxsize=_PLAYBACK_AHEAD))
    gain: float = 1.0
    """Playback volume (ducked while the user speaks)."""
    abort: asyncio.Future[None] | None = None
    heard: _Heard = field(default_factory=_Heard)


def open_sink(config: Config, *, rate: int) -> tuple[AudioSink | None, str]:
    """The local sink that ``audio.output`` asks for (blocking) and, if none, why not."""
    audio = config.audio
    if audio.output == "none":
        return None, ""
    if audio.output == "wav":
        return WavSink(Path(audio.output_wav).expanduser(), rate=rate), ""
    try:
        return PyAudioSink(audio.output_device, preferred_rate=rate), ""
    except ImportError:
        problem = "PyAudio is not installed (pip install 'nimbus-assistant[audio]')"
    except Exception as exc:  # AudioDeviceError names the devices; PortAudio errors are OSError
        problem = getattr(exc, "message", None) or f"cannot open the speaker: {exc}"
    return None, problem


def _script_problem(text: str, language: str) -> str:
    """Why a Latin-script voice should not read ``text`` ("" when it can)."""
    if language.split("_", maxsplit=1)[0].split("-", maxsplit=1)[0].lower() not in _LATIN_LANGUAGES:
        return ""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return ""
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN"))
    if latin * 2 >= len(letters):
        return ""
    script = unicodedata.name(next(c for c in letters
                                   if not unicodedata.name(c, "").startswith("LATIN")), "?")
    return script.split(" ")[0].title()


class SpeakerHandler:
    """Consumes response text, ``cmd.say``, ``stop`` and speech activity; speaks (see module)."""

    name = STAGE

    def __init__(
        self,
        config: Config,
        bus: Bus,
        *,
        sink: AudioSink | None = None,
        open_local_sink: bool = True,
    ) -> None:
        """``sink`` overrides ``audio.output`` for the local site (tests, `nimbus say --out`);
        with ``open_local_sink=False`` and no ``sink`` nothing is played locally."""
        self._config = config
        self._tts = config.tts
        self._bus = bus
        self.site = config.daemon.site
        self.sink = sink
        self._open_sink = open_local_sink and sink is None
        self._sink_problem = ""
        self._engines: dict[str, VoiceEngine] = {}
        self._lanes: dict[str, _Lane] = {}
        self._default_rate = 22050
        self._tg: asyncio.TaskGroup | None = None
        # One thread owns the (stateful) voice models; another owns the sink.
        self._synth = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tts",
                                         initializer=nicer(TTS_NICENESS))
        self._player = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playback")
        self.listening = asyncio.Event()
        """Set once :meth:`run` has subscribed."""

    # --- lifecycle ---------------------------------------------------------------------------

    async def _on(self, pool: ThreadPoolExecutor, func: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(pool, func, *args)

    async def prepare(self) -> None:
        try:
            voice = await self._engine(self._tts.voice)
        except VoiceError as exc:
            raise TtsUnavailable(f"tts: {exc.message}") from None
        self._default_rate = voice.sample_rate
        if self._open_sink:
            self.sink, self._sink_problem = await self._on(
                self._player, lambda: open_sink(self._config, rate=voice.sample_rate))
            if self._sink_problem:
                log.warning("no speaker: %s (speech still goes out as audio.out events)",
                            self._sink_problem)
            self._open_sink = False

    async def _engine(self, name: str) -> VoiceEngine:
        engine = self._engines.get(name)
        if engine is None:
            engine = await self._on(self._synth, load_voice, name, self._config)
            self._engines[name] = engine
        return engine

    async def run(self) -> None:
        if self._sink_problem and self._config.audio.output == "speaker":
            await self._error("audio_device_not_found", self._sink_problem, site=self.site)
        try:
            async with (
                asyncio.TaskGroup() as tg,
                # Lossless: text and control events are small; a full queue makes publishers
                # wait (our own reader never blocks on the work it hands off).
                self._bus.subscribe(ResponseStarted, ResponseDelta, ResponseDone, Say, Stop,
                                    SpeechStarted, SpeechEnded, Transcript, Command,
                                    name=self.name,
                                    maxsize=1024) as events,
            ):
                self._tg = tg
                self.listening.set()
                async for event in events:
                    try:
                        await self._handle(event)
                    except (asyncio.CancelledError, TimeoutError):
                        raise
                    except Exception as exc:
                        log.exception("tts failed on %s", event.type.value)
                        await self._error("tts_failed", f"{type(exc).__name__}: {exc}",
                                          site=event.site, cause=event.id)
        finally:
            self.listening.clear()
            self._tg = None
            for lane in self._lanes.values():
                for response in lane.responses.values():
                    response.stop()
            self._lanes.clear()
            if self.sink is not None:  # silence whatever the device still holds
                self._player.submit(self.sink.abort)

    def close(self) -> None:
        """Release the sink and the worker threads (after :meth:`run` ended)."""
        if self.sink is not None:
            self._player.submit(self.sink.close).result()
        self._synth.shutdown(wait=True, cancel_futures=True)
        self._player.shutdown(wait=True, cancel_futures=True)

    def _lane(self, site: str) -> _Lane:
        lane = self._lanes.get(site)
        if lane is None:
            assert self._tg is not None
            sink = self.sink if site == self.site else None
            lane = self._lanes[site] = _Lane(site=site, sink=sink)
            self._tg.create_task(self._synthesize(lane), name=f"tts:{site}")
            if sink is not None:
                self._tg.create_task(self._play(lane, sink), name=f"playback:{site}")
        return lane

    async def _error(self, code: str, message: str, *, site: str, cause: str | None = None
                     ) -> None:
        await self._bus.publish(Error(code=code, message=message, stage=STAGE, site=site,
                                      cause=cause))

    # --- the reader --------------------------------------------------------------------------

    async def _handle(self, event: Event) -> None:
        match event:
            case Stop():
                await self._stop(event)
            case ResponseStarted():
                lane = self._lane(event.site)
                # A newer answer supersedes an older one still being spoken (not a `say`).
                await self._cancel(lane, lambda r: not r.say)
                lane.responses[event.id] = _Response(
                    id=event.id, site=event.site, cause=event.cause, voice=self._tts.voice,
                    chunker=self._chunker(), turn=self._turn(lane, event))
            case ResponseDelta():
                response = self._open_response(event.site, event.cause)
                if response is not None and response.turn and response.turn.first_token is None:
                    response.turn.first_token = event.time
                if response is not None and response.chunker is not None:
                    for text in response.chunker.push(event.text):
                        await self._sentence(response, text, final=False)
            case ResponseDone():
                response = self._open_response(event.site, event.cause)
                if response is None or response.chunker is None:
                    return
                if event.cancelled:
                    await self._cancel(self._lanes[event.site], _only(response))
                    return
                await self._complete(response, response.chunker.flush())
            case Say():
                await self._say(event)
            case SpeechStarted():
                await self._barge_in(event)
            case SpeechEnded():
                lane = self._lane(event.site)
                lane.gain = 1.0
                lane.heard = _Heard(speech_end=event.time)
            case Transcript(final=True):
                heard = self._lane(event.site).heard
                if heard.transcript_id is None:
                    heard.transcript_id, heard.transcript = event.id, event.time
            case Command():
                heard = self._lane(event.site).heard
                heard.command_id, heard.command = event.id, event.time
                heard.voice = event.origin == "voice" and event.cause == heard.transcript_id

    @staticmethod
    def _turn(lane: _Lane, started: ResponseStarted) -> _Turn:
        heard = lane.heard
        if heard.command_id != started.cause or heard.command is None:
            return _Turn(command=started.time)
        turn = _Turn(command=heard.command)
        if heard.voice:
            turn.speech_end, turn.transcript = heard.speech_end, heard.transcript
        return turn

    def _chunker(self) -> SentenceChunker:
        return SentenceChunker(first_min_chars=self._tts.first_chunk_min_chars,
                               max_chars=self._tts.max_chunk_chars)

    def _open_response(self, site: str, response_id: str | None) -> _Response | None:
        lane = self._lanes.get(site)
        if lane is None or response_id is None:
            return None
        return lane.responses.get(response_id)

    async def _say(self, say: Say) -> None:
        text = say.text
        if not text.strip():
            await self._error("empty_text", "cmd.say has no text: nothing to say",
                              site=say.site, cause=say.id)
            return
        if len(text) > MAX_SAY_CHARS:
            await self._error("text_too_long", f"cmd.say text is {len(text)} characters; at "
                              f"most {MAX_SAY_CHARS} can be spoken at once",
                              site=say.site, cause=say.id)
            return
        chunker = self._chunker()
        chunks = chunker.push(text) + chunker.flush()
        if not chunks:
            await self._error("nothing_to_say", f"nothing speakable in {text[:80]!r} (only "
                              "punctuation, symbols, emoji, markup or links)",
                              site=say.site, cause=say.id)
            return
        lane = self._lane(say.site)
        response = _Response(id=say.id, site=say.site, cause=say.cause,
                             voice=say.voice or self._tts.voice, chunker=chunker, say=True)
        lane.responses[say.id] = response
        await self._complete(response, chunks)

    async def _complete(self, response: _Response, chunks: list[str]) -> None:
        """The response's text is all here: its last sentences, then the end marker."""
        response.chunker = None
        for i, text in enumerate(chunks):
            await self._sentence(response, text, final=i == len(chunks) - 1)
        self._enqueue(response, None)

    async def _sentence(self, response: _Response, text: str, *, final: bool) -> None:
        sentence = Sentence(site=response.site, cause=response.id, text=text,
                            index=response.sentences, final=final)
        response.sentences += 1
        if response.turn is not None and response.turn.first_sentence is None:
            response.turn.first_sentence = sentence.time
        await self._bus.publish(sentence)
        self._enqueue(response, sentence)

    def _enqueue(self, response: _Response, sentence: Sentence | None) -> None:
        lane = self._lanes[response.site]
        try:
            lane.sentences.put_nowait(_Utterance(response, sentence))
        except asyncio.QueueFull:
            log.warning("site %s: %d sentences waiting; dropping one", lane.site,
                        _SENTENCE_BACKLOG)

    # --- stop and barge-in -------------------------------------------------------------------

    async def _stop(self, stop: Stop) -> None:
        lane = self._lanes.get(stop.site)
        if lane is None:
            return
        target = stop.target
        await self._cancel(lane, lambda r: target is None or target in (r.id, r.cause))

    async def _cancel(self, lane: _Lane, targeted: Callable[[_Response], bool]) -> None:
        """Cancel responses at once: flags first (threads see them), then queues, then events."""
        hit = [r for r in lane.responses.values() if targeted(r)]
        if not hit:
            return
        for response in hit:
            response.stop()
            del lane.responses[response.id]
        _keep(lane.sentences, lambda u: not u.response.cancelled())
        _keep(lane.playback, lambda a: not a.response.cancelled())
        playing = [r for r in hit if r.playing and not r.finished]
        if playing and lane.sink is not None:
            lane.abort = asyncio.get_running_loop().run_in_executor(self._player, lane.sink.abort)
        for response in playing:
            if not response.writing:  # else the player reports it, within one buffer
                await self._playback_finished(response, lane.sink)

    async def _barge_in(self, event: SpeechStarted) -> None:
        mode = self._tts.barge_in
        lane = self._lanes.get(event.site)
        if mode == "off" or lane is None:
            return
        if not any(r.playing and not r.finished for r in lane.responses.values()):
            return
        if mode == "duck":
            lane.gain = self._tts.duck_gain
        else:
            await self._bus.publish(Stop(site=event.site, cause=event.id, reason="barge-in"))

    # --- synthesis ---------------------------------------------------------------------------

    async def _synthesize(self, lane: _Lane) -> None:
        while True:
            item = await lane.sentences.get()
            response = item.response
            if response.cancelled():
                continue
            if item.sentence is None:
                await self._audio(lane, response, b"", rate=0, text="", cause=response.id,
                                  final=True)
                if lane.sink is None:
                    await self._network_played(lane, response)
                continue
            try:
                await self._speak(lane, response, item.sentence)
            except (asyncio.CancelledError, TimeoutError):
                raise
            except VoiceError as exc:
                await self._error(exc.code, exc.message, site=lane.site, cause=response.id)
                if exc.code != "synthesis_failed":  # the voice itself is unusable
                    await self._cancel(lane, _only(response))
            except Exception as exc:
                log.exception("synthesis failed")
                await self._error("synthesis_failed", f"{type(exc).__name__}: {exc}",
                                  site=lane.site, cause=response.id)

    async def _speak(self, lane: _Lane, response: _Response, sentence: Sentence) -> None:
        engine = await self._engine(response.voice)
        problem = _script_problem(sentence.text, getattr(engine, "language", "en"))
        if problem:
            await self._error(
                "unsupported_script",
                f"voice {engine.name!r} ({getattr(engine, 'language', 'en')}) cannot read "
                f"{problem} text; skipped {sentence.text[:60]!r} (configure a voice for that "
                "language, e.g. an XTTS voice)",
                site=lane.site, cause=response.id)
            return
        response.rate = engine.sample_rate
        chunks: Generator[bytes, None, None] = _generator(engine.synthesize(sentence.text))
        try:
            while not response.cancelled():
                pcm = await self._on(self._synth, next, chunks, None)
                if pcm is None or response.cancelled():
                    break
                await self._audio(lane, response, pcm, rate=engine.sample_rate,
                                  text=sentence.text, cause=sentence.id, final=False)
        finally:
            self._synth.submit(chunks.close)  # runs the generator's cleanup on its own thread

    async def _audio(self, lane: _Lane, response: _Response, pcm: bytes, *, rate: int,
                     text: str, cause: str, final: bool) -> None:
        network_rate = self._tts.network_rate
        out, out_rate = pcm, rate or response.rate or self._default_rate
        if lane.sink is None and network_rate and out_rate != network_rate:
            if response.network is None:
                response.network = RateConverter(out_rate, network_rate)
            out = response.network.push(pcm) + (response.network.flush() if final else b"")
            out_rate = network_rate
        if response.cancelled():  # checked right before publishing: nothing leaks after a stop
            return
        if response.first_audio is None and out:
            response.first_audio = time.perf_counter() - response.received
            if response.turn is not None:
                response.turn.first_audio = time.monotonic()
            if lane.sink is None:  # the client plays it: its playback starts now
                response.playing = True
                await self._bus.publish(PlaybackStarted(
                    site=lane.site, cause=response.id, response=response.id, sink=NETWORK_SINK))
        await self._bus.publish(AudioOut(
            site=lane.site, cause=cause, audio=out, rate=out_rate, text=text,
            index=response.audio_index, final=final, response=response.id))
        response.audio_index += 1
        response.audio_s += len(out) / 2 / out_rate
        if lane.sink is not None:
            await lane.playback.put(_Audio(response, pcm, rate or out_rate, final))
        elif out:
            await self._pace(response)

    async def _network_played(self, lane: _Lane, response: _Response) -> None:
        """A network site's answer is all sent: it has played once real time catches up.

        The client plays what it receives at real time, so playback ends about
        ``audio_s`` after the first audio went out; a stop or a newer answer ends it sooner
        (and reports it cancelled, from :meth:`_cancel`).
        """
        if response.first_audio is not None:
            elapsed = time.perf_counter() - response.received - response.first_audio
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(response.woken.wait(), response.audio_s - elapsed)
        if not response.cancelled():
            lane.responses.pop(response.id, None)
            await self._playback_finished(response, None)

    async def _pace(self, response: _Response) -> None:
        """Keep a network site's audio at most _NETWORK_LEAD_S ahead of real time."""
        assert response.first_audio is not None
        elapsed = time.perf_counter() - response.received - response.first_audio
        ahead = response.audio_s - elapsed - _NETWORK_LEAD_S
        if ahead > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(response.woken.wait(), ahead)

    # --- playback ----------------------------------------------------------------------------

    async def _play(self, lane: _Lane, sink: AudioSink) -> None:
        while True:
            item = await lane.playback.get()
            response = item.response
            if lane.abort is not None:
                await lane.abort
                lane.abort = None
            if response.cancelled() or response.finished:
                continue
            if not response.playing:
                response.playing = True
                await self._bus.publish(PlaybackStarted(
                    site=lane.site, cause=response.id, response=response.id, sink=sink.name))
            if response.local is None:
                response.local = RateConverter(item.rate, sink.rate)
            pcm = response.local.push(item.pcm)
            if item.final:
                pcm += response.local.flush()
            try:
                await self._write(lane, sink, response, pcm, final=item.final)
            except (asyncio.CancelledError, TimeoutError):
                raise
            except Exception as exc:  # the device went away mid-answer: report, stay alive
                log.warning("speaker failed: %s", exc)
                await self._error("audio_output_failed", f"the speaker failed: {exc}",
                                  site=lane.site, cause=response.id)
                response.stop()
                lane.responses.pop(response.id, None)
                await self._on(self._player, sink.abort)
                await self._playback_finished(response, sink)

    async def _write(self, lane: _Lane, sink: AudioSink, response: _Response, pcm: bytes, *,
                     final: bool) -> None:
        if pcm:
            if response.first_sound is None:
                response.first_sound = time.perf_counter() - response.received
            response.writing = True
            try:
                response.played_s += await self._on(
                    self._player, sink.write, pcm, response.cancel, lambda: lane.gain)
            finally:
                response.writing = False
        if response.cancelled():
            await self._on(self._player, sink.abort)
            await self._playback_finished(response, sink)
        elif final:
            await self._on(self._player, sink.drain)
            lane.responses.pop(response.id, None)
            await self._playback_finished(response, sink)

    async def _playback_finished(self, response: _Response, sink: AudioSink | None) -> None:
        if response.finished:
            return
        response.finished = True
        timings = {name: value for name, value in (
            ("first_audio", response.first_audio), ("first_sound", response.first_sound),
            ("total", time.perf_counter() - response.received)) if value is not None}
        if response.turn is not None:
            timings |= response.turn.timings()
        played = response.played_s
        if sink is None and response.first_audio is not None:  # the client's estimated share
            since = time.perf_counter() - response.received - response.first_audio
            played = min(response.audio_s, since)
        await self._bus.publish(PlaybackFinished(
            site=response.site, cause=response.id, response=response.id,
            sink=sink.name if sink is not None else NETWORK_SINK, cancelled=response.cancelled(),
            seconds=round(played, 3),
            timings={name: round(value, 4) for name, value in timings.items()}))


def _only(response: _Response) -> Callable[[_Response], bool]:
    return lambda r: r is response


def _generator(chunks: Iterator[bytes]) -> Generator[bytes, None, None]:
    """The engine's iterator as a generator (closable: its cleanup runs on close)."""
    if isinstance(chunks, Generator):
        return chunks
    return (chunk for chunk in chunks)


def _keep(queue: asyncio.Queue[T], keep: Callable[[T], bool]) -> None:
    """Remove the queued items that ``keep`` rejects, preserving order (no awaits)."""
    items: list[T] = []
    while True:
        try:
            items.append(queue.get_nowait())
        except asyncio.QueueEmpty:
            break
    for item in items:
        if keep(item):
            queue.put_nowait(item)
