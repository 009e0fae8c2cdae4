"""Why a stop trial of the bargein benchmark was missed: read from the listening stack's events.

For each stop trial and condition, one line: ``heard``, or the first of these that applies:

* ``no segment``: no utterance (final speech segment) overlaps the user's phrase - the VAD
  never heard it (gated by a canceller, or too quiet);
* ``glued from X s``: the utterance that holds the phrase began more than a second before the
  user did (at X s): the VAD took the answer's residue for speech and the phrase is the tail of
  a long transcript;
* ``echo rule: "..."``: the transcript holds the stop phrase, but the phrase stage took it for
  the answer's own (``phrases/echo.py``);
* ``rejected (reason): "..."``: verification turned the phrase down (only when the assistant
  is not busy);
* ``misheard: "..."``: the transcript has no stop phrase (the recogniser), with a stop window's
  text where one was decoded.
"""

from __future__ import annotations

from collections.abc import Sequence

from nimbus.daemon.config import PhrasesConfig
from nimbus.daemon.events import (
    Command,
    Event,
    PhraseRejected,
    SpeechSegment,
    Stop,
    Transcript,
)
from nimbus.handlers.listening.phrases.matcher import PhraseMatcher, find_phrases, tokenize

__all__ = ["why_acted", "why_command", "why_missed"]


def _spoken_matcher(site: str, answer: str) -> PhraseMatcher:
    matcher = PhraseMatcher(PhrasesConfig())
    matcher.playback(site, active=True, now=0.0)
    matcher.spoken(site, answer)
    return matcher


def why_missed(site: str, answer: str, onset_s: float, said_s: float,
               events: Sequence[Event]) -> str:
    """The reason (module docstring) for a trial whose user spoke at ``onset_s`` for
    ``said_s`` seconds, from the events of its ``site``."""
    mine = [e for e in events if e.site == site]
    transcripts = {e.id: e for e in mine if isinstance(e, Transcript)}
    for stop in (e for e in mine if isinstance(e, Stop)):
        heard = transcripts.get(stop.cause or "")
        if heard is not None and heard.end >= onset_s + 0.2:
            return "heard"
    user_end = onset_s + said_s
    finals = [e for e in mine if isinstance(e, SpeechSegment) and e.final
              and e.start < user_end and e.start + e.duration > onset_s + 0.1]
    if not finals:
        return "no segment"
    texts = [t for t in transcripts.values()
             if t.start < user_end and t.end > onset_s + 0.1]
    final_texts = " | ".join(t.text for t in texts if t.final)
    windows = " | ".join(t.text for t in texts if not t.final)
    shown = f'"{final_texts}"' + (f' (windows: "{windows}")' if windows else "")
    config = PhrasesConfig()
    matcher = _spoken_matcher(site, answer)
    for transcript in texts:
        tokens = tokenize(transcript.text)
        for match in find_phrases(tokens, config.stop, kind="stop",
                                  tolerance=config.tolerance):
            if matcher._echoed(tokens, match, matcher._spoken(matcher._site(site))):
                return f"echo rule: {shown}"
    rejected = [e for e in mine if isinstance(e, PhraseRejected) and e.kind == "stop"]
    if rejected:
        return f"rejected ({rejected[0].reason}): {shown}"
    first = min(s.start for s in finals)
    if first < onset_s - 1.0:
        return f"glued from {first:.1f} s: {shown}"
    return f"misheard: {shown}"


def why_acted(site: str, events: Sequence[Event]) -> str:
    """For an answer with nobody speaking: the transcript that stopped or woke it ("" if none)."""
    mine = [e for e in events if e.site == site]
    transcripts = {e.id: e for e in mine if isinstance(e, Transcript)}
    acted = [e for e in mine if isinstance(e, Stop | Command)]
    if not acted:
        return ""
    heard = transcripts.get(acted[0].cause or "")
    text = heard.text if heard is not None else "?"
    span = f" at {heard.start:.1f}-{heard.end:.1f} s" if heard is not None else ""
    kind = "stop" if isinstance(acted[0], Stop) else "command"
    window = "" if heard is None or heard.final else " (stop window)"
    return f'{kind} from "{text}"{span}{window}'


def why_command(site: str, onset_s: float, said_s: float, events: Sequence[Event]) -> str:
    """For "Nimbus, stop, what time is it?" over an answer: what was heard of it."""
    mine = [e for e in events if e.site == site]
    commands = [e for e in mine if isinstance(e, Command)]
    if any("time" in c.text.lower() for c in commands):
        return "heard"
    texts = [t for t in mine if isinstance(t, Transcript) and t.final
             and t.start < onset_s + said_s and t.end > onset_s + 0.1]
    rejected = [e for e in mine if isinstance(e, PhraseRejected) and e.kind == "action"]
    stopped = any(isinstance(e, Stop) for e in mine)
    shown = " | ".join(t.text for t in texts)
    return (f'{"stopped, " if stopped else ""}'
            f'{f"rejected ({rejected[0].reason}), " if rejected else ""}'
            f'commands {[c.text for c in commands]}: "{shown}"')
