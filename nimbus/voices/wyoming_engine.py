"""A voice on a Wyoming TTS server (wyoming-piper on a bigger machine, or another Nimbus).

Synchronous like every voice engine (it runs on the speaker's TTS thread): one TCP connection per
sentence, ``synthesize`` out, ``audio-start`` / ``audio-chunk`` / ``audio-stop`` back, each chunk
yielded as it arrives. Loading asks the server for a short probe sentence: that checks it is up
and learns the voice's sample rate. A server that is down, refuses, or stalls is a
:class:`VoiceError` naming the URI.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import BinaryIO, Final, cast

from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.error import Error as WyError
from wyoming.event import Event, read_event, write_event
from wyoming.tts import Synthesize, SynthesizeVoice

from nimbus.voices.base import VoiceError

__all__ = ["WyomingVoice"]

_PROBE: Final = "Ready."
_MAX_PAYLOAD: Final = 16 << 20


class WyomingVoice:
    """``voices.NAME.engine = "wyoming"``: ``uri`` and the server's voice name (``model``)."""

    def __init__(self, name: str, uri: str, *, voice: str = "", language: str = "en",
                 timeout_s: float = 30.0) -> None:
        self.name = name
        self.uri = uri
        self.voice = voice
        self.language = language
        self._timeout = timeout_s
        host, _, port = uri.removeprefix("tcp://").rpartition(":")
        self._address = (host.strip("[]"), int(port))
        self.sample_rate = 0
        for _ in self._stream(_PROBE):  # learns sample_rate; raises if the server is unusable
            pass
        if not self.sample_rate:
            raise VoiceError("voice_load_failed",
                             f"wyoming voice {name!r} at {uri}: no audio for a probe sentence")

    def synthesize(self, text: str) -> Iterator[bytes]:
        if not text.strip():
            return iter(())
        return self._stream(text)

    def _stream(self, text: str) -> Iterator[bytes]:
        where = f"wyoming voice {self.name!r} at {self.uri}"
        try:
            with socket.create_connection(self._address, timeout=self._timeout) as sock, \
                    cast(BinaryIO, sock.makefile("rwb")) as stream:
                voice = SynthesizeVoice(name=self.voice) if self.voice else None
                write_event(Synthesize(text=text, voice=voice).event(), stream)
                stream.flush()
                yield from self._audio(stream, where)
        except OSError as exc:
            raise VoiceError("voice_unavailable", f"{where}: {exc}") from None

    def _audio(self, stream: BinaryIO, where: str) -> Iterator[bytes]:
        carry = b""  # a chunk may end inside a sample: its odd byte waits for the next one
        while True:
            event: Event | None = read_event(stream)
            if event is None:
                raise VoiceError("synthesis_failed", f"{where}: closed before audio-stop")
            if AudioStart.is_type(event.type):
                start = AudioStart.from_event(event)
                if (start.width, start.channels) != (2, 1):
                    raise VoiceError("voice_load_failed", f"{where}: sends {start.width * 8}-bit "
                                     f"x{start.channels} audio; 16-bit mono is needed")
                if self.sample_rate and start.rate != self.sample_rate:
                    raise VoiceError("synthesis_failed", f"{where}: rate changed from "
                                     f"{self.sample_rate} to {start.rate} Hz")
                self.sample_rate = start.rate
            elif AudioChunk.is_type(event.type):
                chunk = AudioChunk.from_event(event)
                if len(chunk.audio) > _MAX_PAYLOAD:
                    raise VoiceError("synthesis_failed", f"{where}: oversized audio chunk")
                pcm = carry + chunk.audio
                whole = len(pcm) - len(pcm) % 2
                carry = pcm[whole:]
                if whole:
                    yield pcm[:whole]
            elif AudioStop.is_type(event.type):
                return
            elif WyError.is_type(event.type):
                raise VoiceError("synthesis_failed", f"{where}: {WyError.from_event(event).text}")
