"""The name a timer is given as it is set ("pasta timer", "timer for the eggs", "called chips,
21 minutes"). Pure."""

from __future__ import annotations

import re

from nimbus.handlers.responding.intents.numbers import NUMBER_WORDS

__all__ = ["timer_name"]


def timer_name(text: str, duration_span: tuple[int, int] | None) -> str:
    """The name a timer was given ("pasta timer", "timer for the eggs", "called pasta")."""
    unit = re.compile(r"\b(?:minutes?|seconds?|hours?|mins?|secs?|days?|weeks?)\b|\d")
    for pattern in (r"\btime (?:the|my) ([a-z][a-z' ]{0,30}?) for\b",
                    r"^(?:and )?(?:a|an|another) ([a-z][a-z' ]{0,30}?) one for\b",
                    r"\b(?:give (?:me|us) a (?:shout|bell|buzz|nudge|call)|tell me|remind me) to "
                    r"([a-z][a-z' ]{0,30}?)$",
                    r"\b(?:call|name|label) it\s+(?:the |my )?([a-z][a-z' ]{0,30}?)$",
                    rf"\bfor\s+(?:the|my)\s+([a-z][a-z']*(?:\s+[a-z][a-z']*){{0,2}}?)(?=\s*,|"
                    rf"\s+(?:for\s+)?(?:an?\s+)?(?:\d+|{NUMBER_WORDS})\b)",
                    rf"\b(?:called|named|labell?ed)\s+(?:the |my |a )?([a-z][a-z' ]{{0,30}}?)"
                    rf"(?:(?:\s+(?:timer|for\b.*|in\b.*))?$|(?=\s*,|\s+(?:for\s+)?(?:an?\s+)?"
                    rf"(?:\d+|{NUMBER_WORDS})\b))",
                    r"\bfor\s+(?:the |my )([a-z][a-z' ]{0,30}?)(?:\s+(?:timer|for\b.*|in\b.*))?$",
                    r"\bfor\s+([a-z][a-z' ]{0,30}?)(?:\s+timer)?$",
                    # "one more please: the yorkshire puddings, 22 minutes"
                    rf"(?:^|[:;,]\s*)(?:the|my)\s+([a-z][a-z' ]{{0,30}}?),\s*(?:for\s+)?(?:an?\s+)?"
                    rf"(?:\d+|{NUMBER_WORDS})\b"):
        for called in re.finditer(pattern, text):
            span = called.span(1)
            if duration_span is not None and span[0] < duration_span[1] and \
                    span[1] > duration_span[0]:
                continue
            name = called.group(1).strip()
            if not unit.search(name) and name not in ("a", "an", "the", "me"):
                return name
    before = re.search(r"((?:[a-z']+ ){1,4})(?:timer|countdown)\b", text)
    if before is not None:
        words = before.group(1).split()
        stop = {"a", "an", "the", "my", "set", "start", "create", "make", "new", "another",
                "one", "more", "me", "up", "put", "on", "kitchen", "add", "get", "give", "need",
                "want", "i", "run", "begin", "second", "minute", "hour", "seconds", "minutes",
                "hours", "mins", "secs", "for", "and", "quick", "simple"}
        while words and words[0] in stop:
            words = words[1:]
        if words and not any(w in stop or w.isdigit() for w in words) and len(words) <= 3:
            return " ".join(words)
    remind = re.search(r"\bin\b.*?\b(?:seconds?|minutes?|hours?|mins?)\b\s+to\s+(.+)$", text)
    if remind is not None:
        return remind.group(1).strip()[:40]
    return ""
