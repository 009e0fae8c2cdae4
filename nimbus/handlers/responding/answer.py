"""One answer while it is produced: its plan (prompt, mode, evidence) and its progress."""

from __future__ import annotations

from dataclasses import dataclass, field

from nimbus.daemon.config import LlmConfig
from nimbus.daemon.events import Grounding
from nimbus.handlers.responding.evidence import EvidenceSentence
from nimbus.handlers.responding.grounding import Mode
from nimbus.handlers.responding.prompt import PromptPlan

__all__ = ["AnswerPlan", "Progress"]


@dataclass(frozen=True, slots=True)
class AnswerPlan:
    """A prompt and how the answer is held to its evidence."""

    prompt: PromptPlan
    mode: Mode | None
    """None: evidence selection is off (``llm.evidence_sentences = 0``): whole passages."""
    evidence: tuple[EvidenceSentence, ...] = ()

    def needs_model(self, llm: LlmConfig) -> bool:
        """False when the answer is said without the model (not found, or read verbatim)."""
        if self.mode == "not_found":
            return False
        return not (self.mode == "grounded" and llm.gate and llm.answer_style == "extractive")


@dataclass(slots=True)
class Progress:
    """What a response has produced so far (filled while streaming)."""

    text: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    plan: PromptPlan | None = None
    grounding: Grounding = field(default_factory=Grounding)
    released: int = 0
    """response.delta events published."""
