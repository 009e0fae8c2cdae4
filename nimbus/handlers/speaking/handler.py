"""The speaking stage: response text -> sentences -> TTS audio -> the local speaker, stoppable.

Per site, three steps run concurrently, so sentence k+1 is synthesized while sentence k plays:

* this handler (the reader) cuts ``response.delta`` text (and ``cmd.say`` text) into sentences
  with :class:`SentenceChunker`, publishes a ``sentence`` event for each and queues it on the
  site's lane (:mod:`.lanes`);
* the site's synthesis task (:mod:`.synthesis`) pulls the voice engine's blocking iterator one
  chunk at a time on the TTS thread and publishes ``audio.out`` events in order (the last one of
  a response has ``final=True`` and carries no audio: it marks the end);
* on the local site (``daemon.site``) a playback task (:mod:`.playback`) writes the audio to the
  sink (speaker or WAV file) on its own thread and publishes ``playback.started`` /
  ``playback.finished``.

A ``stop`` for a site sets the cancel flag of every targeted response at once: synthesis stops
at the next engine chunk, queued sentences and audio are dropped, and the sink stops within one
buffer and discards what the device still holds. The response's playback ends with
``playback.finished(cancelled=True)``; the next command starts clean.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Final

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config, ConfigError
from nimbus.daemon.events import (
    Command,
    Error,
    Event,
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
from nimbus.handlers.audio.echo.far_end import Reference
from nimbus.handlers.speaking.lanes import (
    NETWORK_SINK,
    SENTENCE_BACKLOG,
    HeardCommand,
    QueuedSentence,
    SiteLane,
    SpokenResponse,
    TurnTimes,
    keep_only,
    only,
)
from nimbus.handlers.speaking.playback import Playback
from nimbus.handlers.speaking.sentences import SentenceChunker
from nimbus.handlers.speaking.sinks import AudioSink, open_sink
from nimbus.handlers.speaking.synthesis import Synthesis
from nimbus.voices import VoiceError

__all__ = ["MAX_SAY_CHARS", "NETWORK_SINK", "SpeakerHandler", "TtsUnavailable", "open_sink"]

log = logging.getLogger(__name__)

STAGE: Final = "tts"
MAX_SAY_CHARS: Final = 100_000
"""Longer `say` texts are refused (about two hours of speech)."""


class TtsUnavailable(ConfigError):
    """The default voice cannot be loaded at start-up (the CLI prints it, exit code 2)."""


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
        reference: Reference | None = None,
    ) -> None:
        """``sink`` overrides ``audio.output`` for the local site (tests, `nimbus say --out`);
        with ``open_local_sink=False`` and no ``sink`` nothing is played locally.
        ``reference``: the local speaker hands everything it plays to it (echo cancellation)."""
        self._config = config
        self._tts = config.tts
        self._bus = bus
        self.site = config.daemon.site
        self.sink = sink
        self._open_sink = open_local_sink and sink is None
        self._sink_problem = ""
        self._reference = reference
        self._lanes: dict[str, SiteLane] = {}
        self._tg: asyncio.TaskGroup | None = None
        # One thread owns the (stateful) voice models; another owns the sink.
        self._playback = Playback(bus, error=self._error)
        self._synthesis = Synthesis(config, bus, self._playback, error=self._error,
                                    cancel=self._cancel)
        self.listening = asyncio.Event()
        """Set once :meth:`run` has subscribed."""

    # --- lifecycle ---------------------------------------------------------------------------

    async def prepare(self) -> None:
        try:
            voice = await self._synthesis.engine(self._tts.voice)
        except VoiceError as exc:
            raise TtsUnavailable(f"tts: {exc.message}") from None
        self._synthesis.default_rate = voice.sample_rate
        if self._open_sink:
            self.sink, self._sink_problem = await self._playback.run_blocking(
                lambda: open_sink(self._config, rate=voice.sample_rate,
                                  reference=self._reference))
            if self._sink_problem:
                log.warning("no speaker: %s (speech still goes out as audio.out events)",
                            self._sink_problem)
            self._open_sink = False

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
                self._playback.submit(self.sink.abort)

    def close(self) -> None:
        """Release the sink and the worker threads (after :meth:`run` ended)."""
        if self.sink is not None:
            self._playback.close_sink(self.sink)
        self._synthesis.shutdown()
        self._playback.shutdown()

    def _lane(self, site: str) -> SiteLane:
        lane = self._lanes.get(site)
        if lane is None:
            assert self._tg is not None
            sink = self.sink if site == self.site else None
            lane = self._lanes[site] = SiteLane(site=site, sink=sink)
            self._tg.create_task(self._synthesis.run(lane), name=f"tts:{site}")
            if sink is not None:
                self._tg.create_task(self._playback.play(lane, sink), name=f"playback:{site}")
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
                lane.responses[event.id] = SpokenResponse(
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
                    await self._cancel(self._lanes[event.site], only(response))
                    return
                await self._complete(response, response.chunker.flush())
            case Say():
                await self._say(event)
            case SpeechStarted():
                await self._barge_in(event)
            case SpeechEnded():
                lane = self._lane(event.site)
                lane.gain = 1.0
                lane.heard = HeardCommand(speech_end=event.time)
            case Transcript(final=True):
                heard = self._lane(event.site).heard
                if heard.transcript_id is None:
                    heard.transcript_id, heard.transcript = event.id, event.time
            case Command():
                heard = self._lane(event.site).heard
                heard.command_id, heard.command = event.id, event.time
                heard.voice = event.origin == "voice" and event.cause == heard.transcript_id

    @staticmethod
    def _turn(lane: SiteLane, started: ResponseStarted) -> TurnTimes:
        heard = lane.heard
        if heard.command_id != started.cause or heard.command is None:
            return TurnTimes(command=started.time)
        turn = TurnTimes(command=heard.command)
        if heard.voice:
            turn.speech_end, turn.transcript = heard.speech_end, heard.transcript
        return turn

    def _chunker(self) -> SentenceChunker:
        return SentenceChunker(first_min_chars=self._tts.first_chunk_min_chars,
                               max_chars=self._tts.max_chunk_chars,
                               first_max_words=self._tts.first_chunk_max_words)

    def _open_response(self, site: str, response_id: str | None) -> SpokenResponse | None:
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
        response = SpokenResponse(id=say.id, site=say.site, cause=say.cause,
                             voice=say.voice or self._tts.voice, chunker=chunker, say=True)
        lane.responses[say.id] = response
        await self._complete(response, chunks)

    async def _complete(self, response: SpokenResponse, chunks: list[str]) -> None:
        """The response's text is all here: its last sentences, then the end marker."""
        response.chunker = None
        for i, text in enumerate(chunks):
            await self._sentence(response, text, final=i == len(chunks) - 1)
        self._enqueue(response, None)

    async def _sentence(self, response: SpokenResponse, text: str, *, final: bool) -> None:
        sentence = Sentence(site=response.site, cause=response.id, text=text,
                            index=response.sentences, final=final)
        response.sentences += 1
        if response.turn is not None and response.turn.first_sentence is None:
            response.turn.first_sentence = sentence.time
        await self._bus.publish(sentence)
        self._enqueue(response, sentence)

    def _enqueue(self, response: SpokenResponse, sentence: Sentence | None) -> None:
        lane = self._lanes[response.site]
        try:
            lane.sentences.put_nowait(QueuedSentence(response, sentence))
        except asyncio.QueueFull:
            log.warning("site %s: %d sentences waiting; dropping one", lane.site,
                        SENTENCE_BACKLOG)

    # --- stop and barge-in -------------------------------------------------------------------

    async def _stop(self, stop: Stop) -> None:
        lane = self._lanes.get(stop.site)
        if lane is None:
            return
        target = stop.target
        await self._cancel(lane, lambda r: target is None or target in (r.id, r.cause))

    async def _cancel(self, lane: SiteLane, targeted: Callable[[SpokenResponse], bool]) -> None:
        """Cancel responses at once: flags first (threads see them), then queues, then events."""
        hit = [r for r in lane.responses.values() if targeted(r)]
        if not hit:
            return
        for response in hit:
            response.stop()
            del lane.responses[response.id]
        keep_only(lane.sentences, lambda u: not u.response.cancelled())
        keep_only(lane.playback, lambda a: not a.response.cancelled())
        playing = [r for r in hit if r.playing and not r.finished]
        if playing and lane.sink is not None:
            lane.abort = self._playback.run_blocking(lane.sink.abort)
        for response in playing:
            if not response.writing:  # else the player reports it, within one buffer
                await self._playback.finished(response, lane.sink)

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
