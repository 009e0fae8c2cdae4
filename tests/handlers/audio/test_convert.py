"""PCM conversion cut at any byte: a stream pushed in random pieces (odd lengths, pieces inside a
sample or a frame, empty pieces) gives the same samples as the stream pushed whole."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from nimbus.handlers.audio.convert import Resampler
from nimbus.handlers.speaking.sinks import RateConverter
from tests.speech import random_cuts, synthesize_speech


def converted(resampler: Resampler, pieces: list[bytes]) -> npt.NDArray[np.int16]:
    out = [resampler.push(piece) for piece in pieces]
    out.append(resampler.flush())
    return np.concatenate(out)


@pytest.mark.parametrize(("rate", "channels", "width"), [
    (16000, 1, 2),   # pass-through: the format Home Assistant's /api/stt sends
    (22050, 1, 2),
    (44100, 2, 2),
    (48000, 2, 4),
])
def test_random_cuts_give_the_samples_of_the_whole_stream(rate: int, channels: int,
                                                           width: int) -> None:
    speech, speech_rate = synthesize_speech("Carry every byte.")
    rng = np.random.default_rng(rate + channels + width)
    # The utterance in the input format: repeated per channel, scaled up for 32-bit samples.
    samples = np.repeat(speech.astype(np.int64), channels) * (65536 if width == 4 else 1)
    data = samples.astype(f"<i{width}").tobytes()
    # (The speech is at the voice's rate; labelling it `rate` only changes what is resampled.)
    del speech_rate
    whole = converted(Resampler(rate, channels=channels, width=width), [data])
    assert whole.size > 0
    for trial in range(5):
        pieces = random_cuts(data, rng)
        assert any(len(p) % (width * channels) for p in pieces), "cuts inside frames"
        cut = converted(Resampler(rate, channels=channels, width=width), pieces)
        np.testing.assert_array_equal(cut, whole, err_msg=f"trial {trial}")


def test_a_partial_frame_waits_and_a_trailing_one_is_dropped() -> None:
    resampler = Resampler(16000)
    assert resampler.push(b"\x01").size == 0
    assert resampler.pending == 1
    np.testing.assert_array_equal(resampler.push(b"\x02\x03"), np.array([0x0201], np.int16))
    assert resampler.pending == 1  # 0x03 waits for its high byte
    assert resampler.flush().size == 0  # the stream ended inside a sample: no sample
    assert resampler.pending == 0


def test_speaker_rate_converter_carries_the_odd_byte() -> None:
    pcm = (np.arange(-3000, 3000, 7, dtype=np.int16)).astype("<i2").tobytes()
    for rate_in in (22050, 16000):
        whole = RateConverter(rate_in, 16000)
        expected = whole.push(pcm) + whole.flush()
        cut = RateConverter(rate_in, 16000)
        got = b"".join(cut.push(p) for p in random_cuts(pcm, np.random.default_rng(1), most=9))
        assert got + cut.flush() == expected
