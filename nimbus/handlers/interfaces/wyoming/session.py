"""One Wyoming connection: describe, transcribe, synthesize (plain and streaming), handle.

Every request becomes bus events of the connection's own site and every answer is read back from
the bus (the server routes that site's events into :attr:`Session.inbox`): the ASR, the speaker
and the responder serve a Wyoming peer exactly as they serve the microphone or a WebSocket
client, and nothing here imports them.

* ``transcribe`` + audio -> one final ``speech.segment`` (16 kHz mono, resampled here) of the
  connection's transcription site -> ``transcript`` -> ``transcript-start``, ``transcript-chunk``,
  ``transcript``, ``transcript-stop``. The transcription site is text for the peer only: an
  answer the phrases stage starts from it is stopped by the server.
* ``synthesize`` -> ``cmd.say`` -> ``audio.out`` -> ``audio-start`` (once, in the voice's format),
  ``audio-chunk``s, ``audio-stop``. Streaming (``synthesize-start`` / ``-chunk`` / ``-stop``): each
  sentence becomes a ``cmd.say`` the moment its text is complete, audio flows back while the
  peer is still sending text, and ``synthesize-stopped`` ends it.
* ``transcript`` (a peer asking the handle program) -> ``command`` -> the responder's streamed
  answer -> ``handled-start``, ``handled-chunk``s, ``handled-stop``, ``handled``; the speech the
  speaker starts for that answer is stopped (the peer speaks it with its own TTS). The
  ``conversation_id`` of the transcript's context becomes the command's conversation: Home
  Assistant opens a new connection per request, and its follow-ups share memory by that id.
  Without one (Home Assistant 2025.1's wyoming 1.5.4 drops it from the wire), the peer's
  address is the conversation (``wyoming.conversation_by_peer``).

Bounded: the inbox (the server drops and reports on overflow), audio per request
(``max_audio_s``), frames (:mod:`.wire`). A peer silent for ``idle_timeout_s`` in the middle of a
request, or one that disconnects mid-frame, ends the connection with a log line and an ``error``;
a peer that hangs up between requests (even while its last reply is still being written) is an
ordinary close. Audio chunks may end anywhere, even inside a sample (see :class:`Resampler`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt
from wyoming.asr import Transcribe, TranscriptChunk, TranscriptStart, TranscriptStop
from wyoming.asr import Transcript as WyTranscript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.error import Error as WyError
from wyoming.event import Event as WyEvent
from wyoming.handle import Handled, HandledChunk, HandledStart, HandledStop, NotHandled
from wyoming.info import Describe, Info
from wyoming.ping import Ping, Pong
from wyoming.tts import (
    Synthesize,
    SynthesizeChunk,
    SynthesizeStart,
    SynthesizeStop,
    SynthesizeStopped,
)

from nimbus.daemon.config import Config
from nimbus.daemon.events import (
    AudioOut,
    Command,
    Error,
    Event,
    ResponseDelta,
    ResponseDone,
    ResponseStarted,
    Say,
    SpeechSegment,
    Stop,
    Transcript,
)
from nimbus.handlers.audio.convert import PIPELINE_RATE, Resampler
from nimbus.handlers.interfaces.wyoming.text import SentenceSplitter
from nimbus.handlers.interfaces.wyoming.wire import Limits, WireError, read_event, write_event

__all__ = ["STAGE", "Session"]

log = logging.getLogger(__name__)

STAGE: Final = "wyoming"
MAX_CONVERSATION_ID: Final = 128
"""Longer conversation ids are cut (Home Assistant's are 26-character ULIDs)."""


@dataclass(frozen=True, slots=True)
class _Expect:
    """Put in the inbox before a ``cmd.say`` is published: its audio belongs to this answer."""

    say: str


@dataclass(frozen=True, slots=True)
class _TextEnded:
    """The peer has sent all the text of a streaming synthesis."""


Inbox = asyncio.Queue[Event | _Expect | _TextEnded]


@dataclass(slots=True)
class _Transcription:
    language: str | None = None
    resampler: Resampler | None = None
    parts: list[npt.NDArray[np.int16]] = field(default_factory=list)
    samples: int = 0
    too_long: bool = False


@dataclass(slots=True)
class _Streaming:
    voice: str | None
    splitter: SentenceSplitter
    task: asyncio.Task[None]


def _conversation(event: WyEvent) -> str:
    """The ``conversation_id`` Home Assistant puts in a transcript's context ("" if none)."""
    context = event.data.get("context")
    value = context.get("conversation_id") if isinstance(context, dict) else None
    return value[:MAX_CONVERSATION_ID] if isinstance(value, str) else ""


class Session:
    """Serves one peer until it disconnects (see the module docstring)."""

    def __init__(self, *, config: Config, publish: Callable[[Event], Awaitable[None]],
                 info: Info, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 site: str, stt_site: str, peer: str, inbox: Inbox,
                 unknown_types: set[str]) -> None:
        self._config = config
        self._wy = config.wyoming
        self._publish = publish
        self._info = info
        self._reader = reader
        self._writer = writer
        self.site = site
        self.stt_site = stt_site
        self.peer = peer
        self.inbox = inbox
        self._unknown = unknown_types
        self._limits = Limits(self._wy.max_header_bytes, self._wy.max_payload_bytes,
                              stall_s=self._wy.idle_timeout_s)
        self._write_lock = asyncio.Lock()
        self._asr: _Transcription | None = None
        self._streaming: _Streaming | None = None

    @property
    def busy(self) -> bool:
        """In the middle of a request the peer must keep sending."""
        return self._asr is not None or self._streaming is not None

    # --- the connection ----------------------------------------------------------------------

    async def serve(self) -> None:
        try:
            while True:
                if self.busy:
                    async with asyncio.timeout(self._wy.idle_timeout_s):
                        event = await read_event(self._reader, self._limits)
                else:
                    event = await read_event(self._reader, self._limits)
                if event is None:
                    break
                try:
                    await self._dispatch(event)
                except (KeyError, TypeError, ValueError) as exc:
                    await self._fail("bad_event", f"{event.type}: {type(exc).__name__}: {exc}")
                except TimeoutError:  # from answer_timeout_s, not from the peer
                    await self._fail("no_answer", f"{event.type}: Nimbus did not answer within "
                                     f"{self._wy.answer_timeout_s:g} s")
        except WireError as exc:
            await self._fail(exc.code, exc.message)
        except TimeoutError:
            await self._fail("stalled", f"nothing received for {self._wy.idle_timeout_s:g} s in "
                             "the middle of a request: connection dropped")
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            if self.busy or (isinstance(exc, asyncio.IncompleteReadError) and exc.partial):
                await self._report("disconnected", f"peer left in the middle of a frame ({exc})")
            else:  # gone between requests (Home Assistant hangs up once it has its transcript)
                log.debug("wyoming peer %s (site %s) closed the connection: %s", self.peer,
                          self.site, exc)
        finally:
            if self.busy:
                await self._report("disconnected", "peer left in the middle of a request")
            if self._streaming is not None:
                self._streaming.task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await self._streaming.task
                self._streaming = None
            self._asr = None

    async def _report(self, code: str, message: str) -> None:
        """A clear log line and an error event; the daemon keeps serving."""
        log.warning("wyoming peer %s (site %s): %s: %s", self.peer, self.site, code, message)
        await self._publish(Error(site=self.site, code=f"wyoming_{code}", message=message,
                                  stage=STAGE))

    async def _fail(self, code: str, message: str) -> None:
        """Report, and tell the peer (best effort: it may be gone)."""
        await self._report(code, message)
        with contextlib.suppress(ConnectionError, RuntimeError):
            await self._send(WyError(text=message, code=code).event())

    async def _send(self, event: WyEvent) -> None:
        async with self._write_lock:
            await write_event(event, self._writer)

    async def _dispatch(self, event: WyEvent) -> None:
        kind = event.type
        if Describe.is_type(kind):
            await self._send(self._info.event())
        elif Ping.is_type(kind):
            await self._send(Pong(text=Ping.from_event(event).text).event())
        elif Transcribe.is_type(kind):
            self._asr = _Transcription(language=Transcribe.from_event(event).language)
        elif AudioStart.is_type(kind):
            self._audio_start(AudioStart.from_event(event))
        elif AudioChunk.is_type(kind):
            await self._audio_chunk(AudioChunk.from_event(event))
        elif AudioStop.is_type(kind):
            await self._transcribe()
        elif SynthesizeStart.is_type(kind):
            await self._synthesize_start(SynthesizeStart.from_event(event))
        elif SynthesizeChunk.is_type(kind):
            await self._synthesize_chunk(SynthesizeChunk.from_event(event).text)
        elif SynthesizeStop.is_type(kind):
            await self._synthesize_stop()
        elif Synthesize.is_type(kind):
            if self._streaming is None:  # in a stream it repeats the whole text: ignored
                synthesize = Synthesize.from_event(event)
                voice = synthesize.voice.name if synthesize.voice is not None else None
                await self._synthesize(synthesize.text, voice)
        elif WyTranscript.is_type(kind):
            conversation = _conversation(event)
            if not conversation and self._wy.conversation_by_peer:
                conversation = f"peer-{self.peer}"
            await self._handle(WyTranscript.from_event(event).text, conversation)
        elif kind not in self._unknown:
            self._unknown.add(kind)  # logged once per type for the whole server
            await self._report("unknown_type", f"event type {kind!r} is not served here; "
                               "ignored (logged once)")

    # --- transcription -----------------------------------------------------------------------

    def _audio_start(self, start: AudioStart) -> None:
        if self._asr is None:  # audio without `transcribe` (wyoming-faster-whisper allows it)
            self._asr = _Transcription()
        self._asr.resampler = Resampler(start.rate, channels=start.channels, width=start.width)

    async def _audio_chunk(self, chunk: AudioChunk) -> None:
        asr = self._asr
        if asr is None:
            await self._report("unexpected_audio", "audio-chunk outside a transcription: ignored")
            return
        if asr.too_long:
            return
        if asr.resampler is None or (asr.resampler.rate, asr.resampler.channels,
                                     asr.resampler.width) != (chunk.rate, chunk.channels,
                                                              chunk.width):
            asr.resampler = Resampler(chunk.rate, channels=chunk.channels, width=chunk.width)
        samples = asr.resampler.push(chunk.audio)
        asr.parts.append(samples)
        asr.samples += samples.size
        if asr.samples > self._wy.max_audio_s * PIPELINE_RATE:
            asr.too_long, asr.parts = True, []
            await self._fail("audio_too_long", f"more than {self._wy.max_audio_s:g} s of audio "
                             "in one transcription: the rest is ignored")

    async def _transcribe(self) -> None:
        asr, self._asr = self._asr, None
        if asr is None:
            await self._report("unexpected_audio", "audio-stop outside a transcription: ignored")
            return
        if asr.too_long:
            return
        if asr.resampler is not None:
            asr.parts.append(asr.resampler.flush())
        audio = np.concatenate(asr.parts).astype("<i2").tobytes() if asr.parts else b""
        if not audio:
            await self._send(WyTranscript(text="").event())
            return
        segment = SpeechSegment(site=self.stt_site, audio=audio, rate=PIPELINE_RATE,
                                final=True, start=0.0)
        await self._publish(segment)
        heard: Transcript | None = None
        async with asyncio.timeout(self._wy.answer_timeout_s):
            while heard is None:
                item = await self.inbox.get()
                if isinstance(item, Error) and item.cause == segment.id:
                    await self._send(WyError(text=item.message, code=item.code).event())
                    return
                if isinstance(item, Transcript) and item.final and item.cause == segment.id:
                    heard = item
        language = asr.language or heard.language or None
        await self._send(TranscriptStart(language=language).event())
        if heard.text:
            await self._send(TranscriptChunk(text=heard.text).event())
        await self._send(WyTranscript(text=heard.text, language=language).event())
        await self._send(TranscriptStop().event())

    # --- synthesis ---------------------------------------------------------------------------

    def _voice(self, name: str | None) -> str | None:
        if not name:
            return None
        if name not in self._config.voices:
            raise ValueError(f"voice {name!r} is not configured here; configured: "
                             f"{', '.join(sorted(self._config.voices))}")
        return name

    async def _say(self, text: str, voice: str | None) -> None:
        say = Say(site=self.site, text=text, voice=voice)
        self.inbox.put_nowait(_Expect(say.id))  # before publishing: its audio follows
        await self._publish(say)

    async def _synthesize(self, text: str, voice: str | None) -> None:
        voice = self._voice(voice)
        await self._say(text, voice)
        self.inbox.put_nowait(_TextEnded())
        await self._play_out()

    async def _synthesize_start(self, start: SynthesizeStart) -> None:
        if self._streaming is not None:
            raise ValueError("synthesize-start while a streaming synthesis is open")
        voice = self._voice(start.voice.name if start.voice is not None else None)
        task = asyncio.create_task(self._play_out(stopped=True), name=f"wyoming-tts:{self.site}")
        self._streaming = _Streaming(voice=voice, splitter=SentenceSplitter(), task=task)

    async def _synthesize_chunk(self, text: str) -> None:
        if self._streaming is None:
            raise ValueError("synthesize-chunk without synthesize-start")
        for sentence in self._streaming.splitter.push(text):
            await self._say(sentence, self._streaming.voice)

    async def _synthesize_stop(self) -> None:
        streaming, self._streaming = self._streaming, None
        if streaming is None:
            raise ValueError("synthesize-stop without synthesize-start")
        for sentence in streaming.splitter.flush():
            await self._say(sentence, streaming.voice)
        self.inbox.put_nowait(_TextEnded())
        await streaming.task

    async def _play_out(self, *, stopped: bool = False) -> None:
        """Audio of every expected ``cmd.say`` as one answer: one audio-start, one format."""
        expecting: set[str] = set()
        ended = False
        rate: int | None = None
        problem: Error | None = None
        async with asyncio.timeout(self._wy.answer_timeout_s):
            while not (ended and not expecting):
                item = await self.inbox.get()
                match item:
                    case _Expect(say=say):
                        expecting.add(say)
                    case _TextEnded():
                        ended = True
                    case AudioOut(response=response) if response in expecting:
                        if item.audio:
                            if rate is None:
                                rate = item.rate
                                await self._send(AudioStart(rate=rate, width=item.width,
                                                            channels=item.channels).event())
                            if item.rate != rate:  # one voice per answer: cannot happen
                                await self._report("format_changed", f"{item.rate} Hz audio "
                                                   f"in a {rate} Hz answer: chunk skipped")
                            else:
                                await self._send(AudioChunk(
                                    rate=rate, width=item.width, channels=item.channels,
                                    audio=item.audio).event())
                        if item.final:
                            expecting.discard(response)
                    case Error(cause=cause) if cause in expecting:
                        problem = problem or item
                        if item.code != "synthesis_failed":  # no end marker follows
                            expecting.discard(cause)
        if rate is None and problem is not None:
            await self._send(WyError(text=problem.message, code=problem.code).event())
        else:
            if rate is None:  # nothing speakable: an empty answer, still well formed
                rate = 22050
                await self._send(AudioStart(rate=rate, width=2, channels=1).event())
            await self._send(AudioStop().event())
        if stopped:
            await self._send(SynthesizeStopped().event())

    # --- handle: the responder answers -------------------------------------------------------

    async def _handle(self, text: str, conversation: str = "") -> None:
        if not text.strip():
            await self._send(NotHandled(text="Nothing was asked.").event())
            return
        command = Command(site=self.site, text=text, origin="wyoming", use_docs=True,
                          conversation=conversation)
        await self._publish(command)
        response: str | None = None
        try:
            async with asyncio.timeout(self._wy.answer_timeout_s):
                while True:
                    item = await self.inbox.get()
                    match item:
                        case ResponseStarted(cause=cause) if cause == command.id:
                            response = item.id
                            await self._send(HandledStart().event())
                        case ResponseDelta(cause=cause) if cause == response and response:
                            if item.text:
                                await self._send(HandledChunk(text=item.text).event())
                        case ResponseDone(cause=cause) if cause == response and response:
                            await self._send(HandledStop().event())
                            await self._send(Handled(text=item.text).event())
                            return
                        case Error(cause=cause) if cause in (command.id, response):
                            await self._send(NotHandled(text=item.message).event())
                            return
        finally:
            if response is not None:  # the peer speaks the text itself
                await self._publish(Stop(site=self.site, target=response,
                                         reason="wyoming: answered as text"))
