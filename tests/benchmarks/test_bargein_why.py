"""The bargein benchmark's reason for each missed stop, read from listening events (no model)."""

from __future__ import annotations

from benchmarks.bargein_why import why_missed
from nimbus.daemon.events import Event, SpeechSegment, Stop, Transcript

SITE = "stop1"
ANSWER = "The mill lies yonder by the river. The museum opens at nine."


def utterance(start: float, seconds: float, text: str, *, final: bool = True
              ) -> tuple[SpeechSegment, Transcript]:
    segment = SpeechSegment(site=SITE, start=start, final=final,
                            audio=b"\0\0" * int(seconds * 16000))
    return segment, Transcript(site=SITE, cause=segment.id, text=text, final=final,
                               start=start, end=start + seconds)


def why(*events: Event) -> str:
    return why_missed(SITE, ANSWER, 3.0, 0.6, events)


def test_a_stop_from_a_transcript_that_ends_after_the_user_began_is_heard() -> None:
    segment, transcript = utterance(2.9, 1.0, "Yonder.")
    assert why(segment, transcript, Stop(site=SITE, cause=transcript.id)) == "heard"


def test_each_kind_of_miss_is_named() -> None:
    assert why(*utterance(0.5, 1.0, "The mill lies")) == "no segment"
    assert why(*utterance(2.9, 1.0, "lies yonder by the")).startswith("echo rule")
    assert why(*utterance(0.0, 4.0, "The mill lies by the river, okay")).startswith(
        "glued from 0.0 s")
    assert why(*utterance(2.9, 1.0, "Okay, you are.")) == 'misheard: "Okay, you are."'
