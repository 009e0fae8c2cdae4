"""A question as the reference's readers match it. Pure.

Lower case, straight quotes, no wake word, no politeness ("can you tell me", "please"), "whats"
as a recogniser writes it read as "what's", "1,000" as 1000, and one space between words.
"""

from __future__ import annotations

import re

__all__ = ["plain_question"]


def plain_question(question: str) -> str:
    """``question`` lower-cased and stripped of what frames it (see the module's docstring)."""
    text = question.lower().replace("\u2019", "'")
    text = re.sub(r"^(?:(?:hey |ok |okay )?nimbus,? )", "", text.strip())
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # 1,000
    text = re.sub(r"[?!,]|\.$|\bplease\b", " ", text)
    text = re.sub(r"^(?:can you tell me|could you tell me|tell me|do you know) ", "", text.strip())
    text = re.sub(r"\b(what|who|where|how)s\b", r"\1's", text)
    return re.sub(r"\s+", " ", text).strip()
