"""Per-site conversation memory, bounded by tokens (oldest turns go first). Pure.

When a site's memory outgrows its budget, the oldest turns are dropped down to half of it, not
just below it: the turns then stay the same for the next few questions, and so does the head
of the prompt, which llama.cpp keeps in its KV cache instead of reading it again every turn.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["ConversationMemory", "Turn"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Turn:
    """One exchange: what the user asked and what the assistant answered."""

    user: str
    assistant: str
    tokens: int


class ConversationMemory:
    """Recent turns per site, at most ``max_tokens`` per site and ``max_sites`` sites (LRU).

    ``count`` measures tokens (the backend's tokenizer). A single turn larger than the whole
    budget is not kept.
    """

    def __init__(
        self, max_tokens: int, count: Callable[[str], int], *, max_sites: int = 256
    ) -> None:
        self.max_tokens = max_tokens
        self.max_sites = max_sites
        self._count = count
        self._sites: OrderedDict[str, deque[Turn]] = OrderedDict()

    def turns(self, site: str) -> tuple[Turn, ...]:
        """The site's turns, oldest first."""
        return tuple(self._sites.get(site, ()))

    def tokens(self, site: str) -> int:
        return sum(turn.tokens for turn in self._sites.get(site, ()))

    def add(self, site: str, user: str, assistant: str) -> None:
        tokens = self._count(user) + self._count(assistant)
        turns = self._sites.setdefault(site, deque())
        self._sites.move_to_end(site)
        if tokens <= self.max_tokens:
            turns.append(Turn(user=user, assistant=assistant, tokens=tokens))
        if sum(t.tokens for t in turns) > self.max_tokens:
            while turns and sum(t.tokens for t in turns) > self.max_tokens // 2:
                turns.popleft()
        while len(self._sites) > self.max_sites:
            self._sites.popitem(last=False)

    def clear(self, site: str | None = None) -> None:
        if site is None:
            self._sites.clear()
        else:
            self._sites.pop(site, None)
