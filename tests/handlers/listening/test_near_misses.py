"""Near misses through the real pipeline: Piper and espeak-ng speech -> Silero VAD -> Whisper
(biased toward "Nimbus") -> phrase verification. The biased decode writes "Nimbus" for "the
Nimbles", "called the Nimbles" and "nimbostratus"; none of them may become a command, each must
publish a ``phrase.rejected``, and the submit-style phrase that follows submits nothing old."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nimbus.daemon.config import Config, PhrasesConfig
from nimbus.daemon.events import Command, PhraseRejected, Stop, Transcript
from nimbus.daemon.models import resolve_vad
from nimbus.handlers.listening.asr.engine import WhisperEngine
from nimbus.handlers.listening.vad.engine import SileroVad
from tests.handlers.listening.helpers import listen
from tests.speech import espeak_speech, silence, synthesize_speech, write_wav

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def whisper() -> WhisperEngine:
    config = Config()
    return WhisperEngine(config.asr, prompt_words=(*config.phrases.action, *config.phrases.stop))


@pytest.fixture(scope="module")
def silero() -> SileroVad:
    path = resolve_vad("").path
    assert path is not None
    return SileroVad(path)


def words(text: str) -> str:
    return " ".join(re.findall(r"[a-z']+", text.lower()))


async def test_near_misses_are_rejected_and_old_chatter_is_never_submitted(
    tmp_path: Path, whisper: WhisperEngine, silero: SileroVad
) -> None:
    path = write_wav(
        tmp_path / "household.wav",
        silence(0.5),
        synthesize_speech("It rained all day in the valley."),
        silence(1.2),
        espeak_speech("We had dinner with a family called the Nimbles."),
        silence(1.2),
        synthesize_speech("The Nimbles live next door to us."),
        silence(1.2),
        synthesize_speech("Look at the nimbostratus clouds over the hill."),
        silence(6.0),  # longer than dictation_s: what came before is old chatter
        synthesize_speech("Turn on the kitchen lights, Nimbus."),
        silence(1.0),
    )
    phrases = PhrasesConfig(dictation_s=5.0)
    events = await listen([("default", path)], whisper=whisper, silero=silero, phrases=phrases)

    finals = [e for e in events if isinstance(e, Transcript) and e.final]
    assert len(finals) == 5
    # The biased ASR did write the phrase into the near misses: they are real candidates.
    assert sum("nimbus" in words(t.text) for t in finals[1:4]) >= 2, [t.text for t in finals]
    candidates = [t for t in finals if t.words]
    assert len(candidates) >= 3
    assert all(0.0 <= w.probability <= 1.0 for t in candidates for w in t.words)

    rejections = [e for e in events if isinstance(e, PhraseRejected)]
    assert len(rejections) >= 2
    by_cause = {t.id: t for t in finals}
    for rejection in rejections:
        assert rejection.cause is not None
        transcript = by_cause[rejection.cause]
        assert rejection.heard == transcript.text
        assert rejection.phrase == "Nimbus"
        assert rejection.kind == "action"
        assert rejection.reason in ("unsure", "mid_sentence", "run_on")
        assert 0.0 <= rejection.score <= 1.0
    assert {r.cause for r in rejections} <= {t.id for t in finals[1:4]}

    commands = [e for e in events if isinstance(e, Command)]
    assert [words(c.text) for c in commands] == ["turn on the kitchen lights"]
    assert commands[0].cause == finals[4].id
    assert not [e for e in events if isinstance(e, Stop)]
