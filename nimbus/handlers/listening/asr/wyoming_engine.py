"""Speech recognition on a Wyoming ASR server (wyoming-faster-whisper on a GPU box, another Nimbus).

Same contract as :class:`~nimbus.handlers.listening.asr.engine.WhisperEngine` (synchronous, one
utterance of 16 kHz float32 in, an :class:`AsrResult` out), so the ASR handler, its events and
its errors stay the same: a server that is down, refuses or stalls raises
:class:`RemoteAsrError` naming the URI, which the handler reports as ``asr_failed``.
"""

from __future__ import annotations

import logging
import socket
from typing import BinaryIO, Final, cast

import numpy as np
import numpy.typing as npt
from wyoming.asr import Transcribe, Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.error import Error as WyError
from wyoming.event import read_event, write_event

from nimbus.daemon.config import AsrConfig
from nimbus.handlers.listening.asr.base import AsrResult

__all__ = ["RemoteAsrError", "WyomingAsrEngine"]

log = logging.getLogger(__name__)

_RATE: Final = 16000
_CHUNK_SAMPLES: Final = 16000
"""One second per audio-chunk."""


class RemoteAsrError(RuntimeError):
    """The Wyoming ASR server could not transcribe (down, refused, stalled, error)."""


class WyomingAsrEngine:
    """Sends each utterance to ``asr.uri`` over Wyoming (one connection per utterance)."""

    def __init__(self, config: AsrConfig) -> None:
        self.config = config
        self.name = f"wyoming:{config.uri}"
        host, _, port = config.uri.removeprefix("tcp://").rpartition(":")
        self._address = (host.strip("[]"), int(port))
        log.info("ASR on a Wyoming server: %s", config.uri)

    def transcribe(self, audio: npt.NDArray[np.float32]) -> AsrResult:
        language = self.config.language or None
        pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2").tobytes()
        where = f"Wyoming ASR at {self.config.uri}"
        try:
            with socket.create_connection(self._address, timeout=self.config.timeout_s) as sock, \
                    cast(BinaryIO, sock.makefile("rwb")) as stream:
                write_event(Transcribe(language=language).event(), stream)
                write_event(AudioStart(rate=_RATE, width=2, channels=1).event(), stream)
                step = _CHUNK_SAMPLES * 2
                for offset in range(0, len(pcm), step):
                    write_event(AudioChunk(rate=_RATE, width=2, channels=1,
                                           audio=pcm[offset:offset + step]).event(), stream)
                write_event(AudioStop().event(), stream)
                stream.flush()
                while True:
                    event = read_event(stream)
                    if event is None:
                        raise RemoteAsrError(f"{where} closed without a transcript")
                    if Transcript.is_type(event.type):
                        heard = Transcript.from_event(event)
                        return AsrResult(text=heard.text.strip(),
                                         language=heard.language or language or "",
                                         avg_logprob=0.0, segments=())
                    if WyError.is_type(event.type):
                        raise RemoteAsrError(f"{where}: {WyError.from_event(event).text}")
        except OSError as exc:
            raise RemoteAsrError(f"{where} is unreachable: {exc}") from None
