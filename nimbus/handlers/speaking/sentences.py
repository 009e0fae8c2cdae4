"""Sentence chunker: a pure, clock-free core that turns streamed LLM text into speakable chunks.

The first chunk of a response is cut as early as it can be spoken naturally: at the first
sentence end, or at the first clause boundary (comma, semicolon, colon, dash) once at least
``first_min_chars`` characters are buffered, or, when neither came within ``first_max_words``
words, after that many words (moved past a trailing article, preposition or conjunction, so the
piece does not end on "the"): the TTS starts on a short piece while the LLM writes the rest.
Later chunks are whole sentences (cut at the last word boundary when a run-on sentence grows
past ``max_chars``). A cut at ``.`` is only made when the character after it is known, so
``3.14``, ``10:30``, ``Dr. Who``, ``e.g. this``, ``U.S. law`` and numbered list markers survive
streaming. What should not be read aloud is removed from each
chunk: code fences, markdown emphasis/headings/links, URLs (spoken as "a link"), emoji and stage
directions such as ``(smiles)`` or ``*laughs*``.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["SentenceChunker", "clean_text"]

_FENCE: Final = "```"

_TITLES: Final = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "rev", "gen", "col", "capt", "lt", "sgt",
    "hon", "mt", "fig", "vs", "approx", "dept", "vol", "cf", "ca", "ft", "mx", "pres", "gov",
    "sen", "rep", "eg", "ie",
})
"""Abbreviations that (almost) never end a sentence: no cut after them."""

_SOFT: Final = frozenset({"etc", "inc", "ltd", "co", "corp", "jr", "sr", "bros", "al", "min",
                          "max", "approx"})
"""Abbreviations that may end a sentence: cut only when the next word is capitalised."""

_NEVER_AFTER: Final = frozenset({"e.g", "i.e", "cf", "viz"})

_DOTTED: Final = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")
"""U.S, e.g, a.m, Ph.D-like tokens."""

_SENTENCE_END: Final = re.compile(
    r"(\n)|([.!?\u2026]+)([\"'\u201d\u2019\u00bb)\]]*)(?=\s)|([\u3002\uff01\uff1f]+)"
)
"""Newline; Latin terminators before whitespace; CJK full stops (no space follows them)."""
_CLAUSE_END: Final = re.compile(r"(?:[,;:]|\s[-\u2013\u2014]|\u2014)[\"'\u201d\u2019)]*(?=\s)")
_OPENERS: Final = "\"'(\u201c\u2018[\u00ab*_"
_WORD: Final = re.compile(r"\S+")
_WEAK: Final = frozenset({
    "a", "an", "the", "to", "of", "in", "on", "at", "by", "for", "with", "from", "and", "or",
    "but", "nor", "so", "as", "than", "that", "if", "is", "are", "was", "were", "be", "my",
    "your", "our", "their", "his", "her", "its", "this", "these", "those", "very", "not",
})
"""Words a first piece should not end on: the cut moves past them."""

# --- cleaning -----------------------------------------------------------------------------------

_URL: Final = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"')\]]+", re.IGNORECASE)
_MD_IMAGE: Final = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK: Final = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_STAGE_WORDS: Final = r"[a-z][a-z'-]*(?:s|ing|ly|ed)(?:\s+[a-z][a-z'-]*){0,3}"
_STAGE: Final = re.compile(
    rf"\(\s*{_STAGE_WORDS}\s*\)|\*\s*{_STAGE_WORDS}\s*\*|\[\s*{_STAGE_WORDS}\s*\]"
)
_EMPHASIS: Final = re.compile(r"(\*\*|__|~~|\*|(?<!\w)_(?=\S)|(?<=\S)_(?!\w))")
_INLINE_CODE: Final = re.compile(r"`+([^`]*)`+")
_LINE_MARKUP: Final = re.compile(
    r"^\s*(?:#{1,6}\s+|>\s?|[-*+\u2022]\s+|\d{1,3}[.)]\s+|[-*_=]{3,}\s*$)", re.MULTILINE
)
_EMOJI: Final = re.compile(
    "["
    "\U0001f000-\U0001faff"  # pictographs, emoticons, transport, symbols & pictographs ext.
    "\U00002600-\U000027bf"  # misc symbols, dingbats
    "\U00002b00-\U00002bff"  # arrows, stars
    "\U0001f1e6-\U0001f1ff"  # regional indicators (flags)
    "\U0000fe00-\U0000fe0f"  # variation selectors
    "\U0000200d"  # zero-width joiner
    "\U000020e3"  # combining keycap
    "\U000e0020-\U000e007f"  # tag characters
    "\U00002190-\U000021ff"  # arrows
    "\U00002300-\U000023ff"  # misc technical (watch, hourglass)
    "]+"
)
_SPACES: Final = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT: Final = re.compile(r"\s+([,.;:!?])")
_EMPTY_BRACKETS: Final = re.compile(r"\(\s*\)|\[\s*\]")


def clean_text(text: str) -> str:
    """What of ``text`` should be read aloud ("" when nothing speakable is left)."""
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _URL.sub(lambda m: _url_words(m.group(0)), text)
    text = _STAGE.sub(" ", text)
    text = _LINE_MARKUP.sub(" ", text)
    text = _INLINE_CODE.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    text = _EMOJI.sub(" ", text)
    text = text.replace("#", " ")
    text = _EMPTY_BRACKETS.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    if not any(c.isalnum() for c in text):
        return ""
    return text


def _url_words(url: str) -> str:
    # A URL's trailing sentence punctuation belongs to the sentence, not the link.
    stripped = url.rstrip(".,;:!?")
    return "a link" + url[len(stripped) :]


# --- cutting --------------------------------------------------------------------------------


class SentenceChunker:
    """Feed text deltas with :meth:`push`; call :meth:`flush` when the response ends.

    Both return the chunks that became ready, cleaned and non-empty, in order. One instance per
    response; not thread-safe.
    """

    def __init__(
        self, *, first_min_chars: int = 20, max_chars: int = 300, first_max_words: int = 10
    ) -> None:
        if first_min_chars < 1 or max_chars < 20 or first_max_words < 0:
            raise ValueError(
                "first_min_chars must be >= 1, max_chars >= 20 and first_max_words >= 0"
            )
        self.first_min_chars = first_min_chars
        self.first_max_words = first_max_words
        """0: the first chunk waits for a sentence or clause end."""
        self.max_chars = max_chars
        self.emitted = 0
        """Chunks returned so far."""
        self._raw = ""
        """Text not yet checked for code fences (may end in a partial fence)."""
        self._text = ""
        """Fence-free text waiting for a cut."""
        self._in_fence = False

    def push(self, delta: str) -> list[str]:
        """Add streamed text; the chunks that are complete now."""
        self._raw += delta
        self._unfence(final=False)
        return self._cut(final=False)

    def flush(self) -> list[str]:
        """End of the response: everything still buffered, as chunks."""
        self._unfence(final=True)
        chunks = self._cut(final=True)
        rest, self._text = self._text, ""
        chunks += self._emit(rest)
        return chunks

    def reset(self) -> None:
        """Drop everything buffered (a cancelled response)."""
        self._raw = self._text = ""
        self._in_fence = False

    # -- code fences

    def _unfence(self, *, final: bool) -> None:
        while True:
            index = self._raw.find(_FENCE)
            if index < 0:
                # Keep a possible partial fence ("`" or "``") at the end for the next delta.
                keep = 0 if final else len(self._raw) - len(self._raw.rstrip("`"))
                if not self._in_fence:
                    self._text += self._raw[: len(self._raw) - keep]
                self._raw = self._raw[len(self._raw) - keep :]
                return
            if not self._in_fence:
                self._text += self._raw[:index] + "\n"  # a code block ends the sentence
            self._raw = self._raw[index + len(_FENCE) :]
            self._in_fence = not self._in_fence

    # -- sentence boundaries

    def _cut(self, *, final: bool) -> list[str]:
        chunks: list[str] = []
        while True:
            end = self._next_cut(final=final)
            if end is None:
                return chunks
            piece, self._text = self._text[:end], self._text[end:]
            chunks += self._emit(piece)

    def _emit(self, piece: str) -> list[str]:
        cleaned = clean_text(piece)
        if not cleaned:
            return []
        self.emitted += 1
        return [cleaned]

    def _next_cut(self, *, final: bool) -> int | None:
        text = self._text
        cut = self._sentence_cut(text, final=final)
        if self.emitted == 0:
            clause = self._clause_cut(text)
            if clause is not None and (cut is None or clause < cut):
                cut = clause
            if cut is None and self.first_max_words:
                cut = self._words_cut(text)
        too_long = len(text) > self.max_chars if cut is None else cut > self.max_chars
        if too_long:
            cut = self._long_cut(text)
        return cut

    def _sentence_cut(self, text: str, *, final: bool) -> int | None:
        for match in _SENTENCE_END.finditer(text):
            if match.group(1) or match.group(4):  # newline, CJK terminator
                if text[: match.start()].strip():
                    return match.end()
                continue
            verdict = self._is_boundary(text, match, final=final)
            if verdict is None:
                return None  # cannot decide before the next word arrives
            if verdict:
                return match.end()
        return None

    def _is_boundary(self, text: str, match: re.Match[str], *, final: bool) -> bool | None:
        marks = match.group(2)
        after = text[match.end() :].lstrip()
        following = after[:1]
        if not following:
            if not final:
                return None
            following = "A"  # end of text: every terminator ends a sentence
        capital = following.isupper() or following in _OPENERS or following.isdigit()
        if marks in ("..", "...", "\u2026") or (len(marks) > 1 and set(marks) <= {".", "\u2026"}):
            return capital  # an ellipsis ends a sentence only before a new one
        if marks != ".":
            return True  # ! ? and runs of them
        start = text.rfind(" ", 0, match.start())
        start = max(start, text.rfind("\n", 0, match.start())) + 1
        token = text[start : match.start()].lstrip(_OPENERS)
        lowered = token.lower()
        if lowered in _TITLES or lowered in _NEVER_AFTER:
            return False
        if len(token) == 1 and token.isalpha() and token.isupper():
            return False  # an initial: "J. R. R. Tolkien"
        if _DOTTED.match(token) or lowered in _SOFT:
            return capital
        # A numbered list marker at the start of a line is no sentence end.
        line_start = not text[:start].rsplit("\n", maxsplit=1)[-1].strip()
        return not (token.isdigit() and len(token) <= 3 and line_start)

    def _clause_cut(self, text: str) -> int | None:
        for match in _CLAUSE_END.finditer(text, 0, self.max_chars):
            if len(clean_text(text[: match.end()])) >= self.first_min_chars:
                return match.end()
        return None

    def _words_cut(self, text: str) -> int | None:
        """After ``first_max_words`` whole words (a space came after them), past weak words."""
        words = list(_WORD.finditer(text))
        index = self.first_max_words - 1
        while index < len(words) - 1:  # the last word may still be growing
            word = words[index]
            weak = word.group().strip(_OPENERS + ",;:.!?\"'").lower() in _WEAK
            if not weak and len(clean_text(text[: word.end()])) >= self.first_min_chars:
                return word.end()
            index += 1
        return None

    def _long_cut(self, text: str) -> int:
        window = text[: self.max_chars]
        best = None
        for match in _CLAUSE_END.finditer(window):
            best = match.end()
        if best is not None and best >= self.max_chars // 2:
            return best
        space = window.rfind(" ")
        return space if space >= self.max_chars // 2 else self.max_chars
