"""The stop window's decoder: the second look for the stop phrase (``asr.stop_rescue_margin``),
on real speech through the shipped Whisper tiny.en."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config
from nimbus.handlers.audio.convert import to_float32
from nimbus.handlers.listening.asr.engine import WhisperEngine
from nimbus.handlers.listening.asr.handler import AsrHandler
from nimbus.handlers.listening.asr.window import WindowDecoder, stop_hypotheses
from tests.speech import espeak_speech, synthesize_speech, to_16k


def test_versions_put_the_phrase_where_the_asr_wrote_something_else() -> None:
    assert stop_hypotheses("Okay, you're awesome.", "Yonder") == [
        "Yonder, you're awesome.", "Yonder, awesome.", "Okay, you're awesome, Yonder.",
        "Okay, you're, Yonder.", "Okay, Yonder."]
    # Never the phrase alone: faint residue decoded as "Right." is nearly as likely "Yonder.".
    assert "Yonder." not in stop_hypotheses("Yong that.", "Yonder")
    assert stop_hypotheses("", "Yonder") == []


@pytest.fixture(scope="module")
def whisper() -> WhisperEngine:
    return WhisperEngine(Config().asr, prompt_words=("Nimbus", "Yonder"))


def _under_the_answer(said: str, voice: str, ser_db: float) -> npt.NDArray[np.float32]:
    """The user's phrase (espeak) with the answer's voice (Piper) under it at ``ser_db``, as a
    canceller that has not yet fitted the room leaves it."""
    user = to_float32(to_16k(*espeak_speech(said, voice=voice, speed=150)))
    answer = to_float32(to_16k(*synthesize_speech(
        "The recycling van comes on Thursday mornings before eight.")))
    masker = answer[4000 : 4000 + user.size]
    gain = np.sqrt(np.mean(user**2) / np.mean(masker**2)) * 10 ** (-ser_db / 20)
    quiet = np.zeros(4000, np.float32)
    return np.concatenate([quiet, user + masker * gain, quiet]).astype(np.float32)


@pytest.mark.slow
def test_a_near_miss_under_the_answer_is_rescued_and_the_answer_alone_is_not(
    whisper: WhisperEngine,
) -> None:
    plain = WindowDecoder(whisper.model, whisper.prompt, "en")
    second = WindowDecoder(whisper.model, whisper.prompt, "en", stops=("Yonder",),
                           rescue_margin=Config().asr.stop_rescue_margin)
    window = _under_the_answer("Okay, yonder.", "en-us", -6)
    missed = plain.transcribe(window)
    assert "yonder" not in missed.lower()  # greedy decoding writes the answer's words
    rescued = second.transcribe(window)
    assert "yonder" in rescued.lower()
    assert second.last_gap is not None
    assert second.last_gap <= second.rescue_margin
    assert second.rescued == 1
    # The answer alone: a version with the phrase is far less likely (> 10 nats here).
    answer = to_float32(to_16k(*synthesize_speech(
        "The recycling van comes on Thursday mornings before eight.")))[:24000]
    alone = second.transcribe(answer)
    assert "yonder" not in alone.lower()
    assert alone == plain.transcribe(answer)
    assert second.last_gap is not None
    assert second.last_gap > 3 * second.rescue_margin
    assert second.rescued == 1
    # A window that already holds the phrase is left as decoded, with nothing rescored.
    said = to_float32(to_16k(*espeak_speech("Yonder.", voice="en-us", speed=150)))
    assert second.transcribe(said) == plain.transcribe(said)
    assert second.last_gap is None


@pytest.mark.slow
async def test_the_handler_gives_its_stop_window_the_stop_phrases_and_the_margin(
    whisper: WhisperEngine,
) -> None:
    config = Config()
    handler = AsrHandler(Bus(), config.asr, engine=whisper, action_words=config.phrases.action,
                         stop_words=config.phrases.stop)
    await handler.prepare()
    window = handler._window  # the decoder the stop jobs use
    assert window is not None
    assert window.stops == tuple(config.phrases.stop)
    assert window.rescue_margin == config.asr.stop_rescue_margin
    # Without stop phrases (a transcriber with no phrase stage) nothing is rescored.
    bare = AsrHandler(Bus(), config.asr, engine=whisper)
    await bare.prepare()
    assert bare._window is not None
    assert bare._window.stops == ()
