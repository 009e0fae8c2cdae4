"""Conversation memory per site or per conversation id, bounded by tokens (oldest turns go
first), by count (least recently used go first) and, for conversation ids, by idle time. Pure.

When a conversation's memory outgrows its budget, the oldest turns are dropped down to half of
it, not just below it: the turns then stay the same for the next few questions, and so does the
head of the prompt, which llama.cpp keeps in its KV cache instead of reading it again every turn.

A conversation is keyed by :func:`memory_key`: a client's conversation id (Home Assistant sends
one with every request, each over a new connection) when it gives one, else the site.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["ConversationMemory", "Turn", "memory_key"]

_CONVERSATION = "conversation:"


def memory_key(site: str, conversation: str = "") -> str:
    """The memory a command belongs to: its conversation id's, else its site's (a site name
    has no ``:``, so the two never mix)."""
    return f"{_CONVERSATION}{conversation}" if conversation else site


@dataclass(frozen=True, slots=True, kw_only=True)
class Turn:
    """One exchange: what the user asked and what the assistant answered."""

    user: str
    assistant: str
    tokens: int


class ConversationMemory:
    """Recent turns per key, at most ``max_tokens`` per key and ``max_sites`` keys (LRU).

    ``count`` measures tokens (the backend's tokenizer). A single turn larger than the whole
    budget is not kept. Keys of conversation ids (``memory_key(site, id)``) are forgotten after
    ``idle_s`` seconds without a turn (``clock`` is injected for tests); a site's memory stays.
    """

    def __init__(
        self, max_tokens: int, count: Callable[[str], int], *, max_sites: int = 256,
        idle_s: float = 300.0, clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_tokens = max_tokens
        self.max_sites = max_sites
        self.idle_s = idle_s
        self._count = count
        self._clock = clock
        self._sites: OrderedDict[str, deque[Turn]] = OrderedDict()
        self._used: dict[str, float] = {}
        """When each conversation id's memory last got a turn."""

    def _expire(self) -> None:
        now = self._clock()
        for key in [k for k, used in self._used.items() if now - used > self.idle_s]:
            self._sites.pop(key, None)
            del self._used[key]

    def turns(self, site: str) -> tuple[Turn, ...]:
        """The key's turns, oldest first."""
        self._expire()
        return tuple(self._sites.get(site, ()))

    def tokens(self, site: str) -> int:
        return sum(turn.tokens for turn in self.turns(site))

    def add(self, site: str, user: str, assistant: str) -> None:
        self._expire()
        tokens = self._count(user) + self._count(assistant)
        turns = self._sites.setdefault(site, deque())
        self._sites.move_to_end(site)
        if site.startswith(_CONVERSATION):
            self._used[site] = self._clock()
        if tokens <= self.max_tokens:
            turns.append(Turn(user=user, assistant=assistant, tokens=tokens))
        if sum(t.tokens for t in turns) > self.max_tokens:
            while turns and sum(t.tokens for t in turns) > self.max_tokens // 2:
                turns.popleft()
        while len(self._sites) > self.max_sites:
            gone, _ = self._sites.popitem(last=False)
            self._used.pop(gone, None)

    def clear(self, site: str | None = None) -> None:
        if site is None:
            self._sites.clear()
            self._used.clear()
        else:
            self._sites.pop(site, None)
            self._used.pop(site, None)
