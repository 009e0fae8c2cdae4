"""Requests Nimbus cannot carry out: music, calls and messages, orders and bookings, lists,
directions. Pure. Claimed so that the answer says so plainly ("I can't play music.") instead of
a definition of jazz or "I couldn't find that in your documents", and so that no model ever
claims to have done them.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["CANNOT", "unsupported_request"]

_REQUESTS: Final = (
    ("music", re.compile(
        r"^(?:play|stream|shuffle)\b(?! (?:a |the )?(?:game|timer|alarm|video of)\b)"
        r"(?! (?:with|at|in|on|outside|nicely|fair|dead)\b)"
        r"|^put on (?:some |a |an |the )?(?:music|radio|song|songs|tune|tunes|playlist|podcast|"
        r"album|jazz|classical|[a-z]+ music)\b"
        r"|^(?:skip|next|previous) (?:this |the |that )?(?:song|track|tune)\b"
        r"|^(?:pause|resume|stop) the (?:music|song|radio|podcast|playlist)\b"
        r"|^turn (?:on|off) the (?:radio|music)\b")),
    ("call", re.compile(
        r"^(?:call|ring|phone|dial|facetime|video call) (?!(?:it|that|this|me a|me an)\b)"
        r"[a-z]")),
    ("message", re.compile(
        r"^(?:text|message|whatsapp|email|e-mail) (?!(?:it|that)\b)[a-z]|^send (?:a |an )?"
        r"(?:text|message|email|e-mail|whatsapp)\b|^send [a-z]+ (?:a |an )?(?:text|message|"
        r"email|e-mail)\b")),
    ("order", re.compile(
        r"^(?:order|buy|purchase|reorder|re-order) (?!of\b)(?:(?:me|us) )?"
        r"(?:some |more |a |an |the )?[a-z]|^book (?:a |an |me |us )?(?:table|taxi|cab|uber|"
        r"appointment|ticket|tickets|room|hotel|flight)\b")),
    ("list", re.compile(
        r"^(?:add|put|pop|stick) (?:some )?[a-z][a-z' ]{0,40} (?:to|on|onto) (?:the|my|our) "
        r"(?:shopping|grocery|groceries|to-?do|to do|todo)? ?list\b|^(?:make|start|create) "
        r"(?:a |the |my )?(?:shopping|grocery|to-?do|to do|todo) list\b")),
    ("directions", re.compile(
        r"^(?:give me |get me )?directions (?:to|for)\b|^navigate (?:to|home)\b|^take me (?:to|"
        r"home)\b")),
)
CANNOT: Final = {
    "music": "I can't play music or the radio.",
    "call": "I can't make phone calls.",
    "message": "I can't send texts, messages or emails.",
    "order": "I can't order, buy or book anything.",
    "list": "I can't keep lists yet. To keep something, say \"remember that\" and what it is.",
    "directions": "I can't give directions.",
}
"""What is said for each kind of request it cannot carry out."""


def unsupported_request(said: str) -> str | None:
    """The kind of request ``said`` (normalised) is that Nimbus cannot carry out, or None."""
    for kind, pattern in _REQUESTS:
        if pattern.search(said):
            return kind
    return None
