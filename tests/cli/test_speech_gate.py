"""The satellite's speech gate: pre-roll, hang-over, hysteresis (pure, no clock)."""

from __future__ import annotations

from nimbus.cli.speech_gate import GateSettings, SpeechGate

SETTINGS = GateSettings(threshold=0.5, preroll_ms=96, hangover_ms=128, frame_ms=32)


def _frame(n: int) -> bytes:
    return n.to_bytes(2, "little") * 512


def test_silence_is_not_streamed() -> None:
    gate = SpeechGate(SETTINGS)
    assert all(gate.push(_frame(i), 0.1) == [] for i in range(100))
    assert not gate.open
    assert gate.opened == 0


def test_speech_opens_with_its_preroll_and_closes_after_the_hangover() -> None:
    gate = SpeechGate(SETTINGS)
    for i in range(10):
        gate.push(_frame(i), 0.05)
    # The last three silent frames (96 ms) come first, then the speech frame.
    assert gate.push(_frame(10), 0.9) == [_frame(7), _frame(8), _frame(9), _frame(10)]
    assert gate.open
    assert gate.push(_frame(11), 0.9) == [_frame(11)]
    # 128 ms of silence (4 frames) is still sent, so the server's VAD sees the end.
    sent = [gate.push(_frame(12 + i), 0.05) for i in range(4)]
    assert sent == [[_frame(12 + i)] for i in range(4)]
    assert not gate.open
    assert gate.push(_frame(16), 0.05) == []
    assert gate.opened == 1


def test_a_doubtful_frame_keeps_the_current_run() -> None:
    gate = SpeechGate(SETTINGS)
    gate.push(_frame(0), 0.9)
    for i in range(3):
        gate.push(_frame(1 + i), 0.05)
    # 0.4 is between threshold - 0.15 and threshold: neither resets nor extends the silence.
    assert gate.push(_frame(4), 0.4) == [_frame(4)]
    assert gate.open
    assert gate.push(_frame(5), 0.05) == [_frame(5)]
    assert not gate.open
    # And a doubtful frame does not open a closed gate.
    assert gate.push(_frame(6), 0.45) == []


def test_a_second_utterance_opens_again_with_a_fresh_preroll() -> None:
    gate = SpeechGate(SETTINGS)
    gate.push(_frame(0), 0.9)
    for i in range(4):
        gate.push(_frame(1 + i), 0.05)
    assert not gate.open
    gate.push(_frame(5), 0.05)
    assert gate.push(_frame(6), 0.8) == [_frame(5), _frame(6)]
    assert gate.opened == 2
