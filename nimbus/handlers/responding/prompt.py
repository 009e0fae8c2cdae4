"""Build the chat prompt within a token budget: system, memory, documents, question. Pure.

The documents go into the last user message, after the conversation memory, so the prompt's
head (system prompt and memory) is the same from one question to the next and llama.cpp keeps
it in its KV cache: only the passages and the question are read per answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import PurePath

from nimbus.daemon.events import SearchHit
from nimbus.handlers.responding.llm.base import Message
from nimbus.handlers.responding.memory import Turn

__all__ = ["PER_MESSAGE_TOKENS", "PromptPlan", "build_prompt", "fit_text"]

Counter = Callable[[str], int]

PER_MESSAGE_TOKENS = 6
"""What a chat template adds around each message (role markers, separators), roughly."""

_MIN_PASSAGE_TOKENS = 24
"""A document passage cut shorter than this is left out rather than included as a stub."""

DOCS_HEADER = "Documents (answer from these when they are relevant):"


@dataclass(frozen=True, slots=True, kw_only=True)
class PromptPlan:
    """The messages to send and what went into them."""

    messages: tuple[Message, ...]
    sources: tuple[SearchHit, ...]
    """The passages included (text possibly shortened to fit), in prompt order."""
    question: str
    """The question as sent (shortened, with a note, when it was too long)."""
    truncated: bool
    original_chars: int
    tokens: int
    """Estimated prompt tokens (exact counts + per-message template overhead)."""
    memory_turns: int


def fit_text(text: str, max_tokens: int, count: Counter) -> str:
    """The longest prefix of ``text`` (cut at a word boundary when possible) within the budget."""
    if max_tokens <= 0:
        return ""
    if count(text) <= max_tokens:
        return text
    low, high = 0, len(text)
    while low < high:  # largest prefix length whose count fits
        mid = (low + high + 1) // 2
        if count(text[:mid]) <= max_tokens:
            low = mid
        else:
            high = mid - 1
    prefix = text[:low]
    space = prefix.rfind(" ")
    if space > low * 0.8:
        prefix = prefix[:space]
    return prefix.rstrip()


def _passage(index: int, hit: SearchHit, text: str) -> str:
    page = f", page {hit.page}" if hit.page is not None else ""
    return f"\n[{index}] {PurePath(hit.path).name}{page}: {text.strip()}"


def build_prompt(
    *,
    system: str,
    question: str,
    count: Counter,
    budget: int,
    hits: Sequence[SearchHit] = (),
    turns: Sequence[Turn] = (),
) -> PromptPlan:
    """Fit everything into ``budget`` tokens, in priority order.

    The system prompt comes first, then the question (at most half of what is left when there
    are documents or memory to fit, else all of it; a longer one is cut and says so), then as
    many of the most recent memory turns as fit in half of what is left when there are
    documents (else all of it), then the retrieved passages best first (the last one shortened
    to fit). Memory goes before the passages so that what changes from one question to the
    next (passages, question) is at the end of the prompt, after a cacheable head.
    """
    system_text = fit_text(system, budget // 2, count)
    used = count(system_text) + 2 * PER_MESSAGE_TOKENS
    left = budget - used

    original = question.strip()
    cap = left // 2 if (hits or turns) else left
    asked = original
    truncated = False
    if count(original) > cap:
        truncated = True
        note_template = "\n[The question was cut to fit: {kept} of {total} characters kept.]"
        note_tokens = count(note_template.format(kept=len(original), total=len(original)))
        kept = fit_text(original, max(cap - note_tokens, 1), count)
        asked = kept + note_template.format(kept=len(kept), total=len(original))
    used += count(asked)
    left = budget - used

    kept_turns: list[Turn] = []
    memory_room = left // 2 if hits else left
    for turn in reversed(turns):
        need = count(turn.user) + count(turn.assistant) + 2 * PER_MESSAGE_TOKENS
        if need > memory_room:
            break
        kept_turns.append(turn)
        memory_room -= need
        left -= need
    kept_turns.reverse()

    included: list[SearchHit] = []
    docs = ""
    if hits:
        header_tokens = count(DOCS_HEADER) + PER_MESSAGE_TOKENS
        if left - header_tokens >= _MIN_PASSAGE_TOKENS:
            left -= header_tokens
            for hit in hits:
                index = len(included) + 1
                passage = _passage(index, hit, hit.text)
                need = count(passage)
                if need > left:
                    overhead = count(_passage(index, hit, ""))
                    room = left - overhead
                    if room < _MIN_PASSAGE_TOKENS:
                        break
                    shortened = fit_text(hit.text.strip(), room, count)
                    passage = _passage(index, hit, shortened)
                    hit = replace(hit, text=shortened)  # noqa: PLW2901 - the shortened passage
                    need = count(passage)
                docs += passage
                left -= need
                included.append(hit)
            if included:
                docs = DOCS_HEADER + docs
            else:
                left += header_tokens

    messages = [Message(role="system", content=system_text)]
    for turn in kept_turns:
        messages += [Message(role="user", content=turn.user),
                     Message(role="assistant", content=turn.assistant)]
    if docs:
        messages.append(Message(role="system", content=docs))
    messages.append(Message(role="user", content=asked))
    return PromptPlan(
        messages=tuple(messages),
        sources=tuple(included),
        question=asked,
        truncated=truncated,
        original_chars=len(original),
        tokens=budget - left,
        memory_turns=len(kept_turns),
    )
