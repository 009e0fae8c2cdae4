"""Evidence selection: the few sentences of the retrieved passages that answer a question. Pure.

Each passage is cut into sentences (table rows and list lines count as sentences). Every
sentence is scored against the question by the cosine of their MiniLM embeddings (the vectors
are computed by the caller, off the event loop) plus the share of the question's content words
it contains (lexical overlap catches the names, codes and numbers that embeddings blur). The
best few, each labelled with its source, go into the prompt instead of whole passages, and the
best one is what the responder speaks verbatim when an answer fails the faithfulness gate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt

from nimbus.daemon.events import SearchHit
from nimbus.handlers.responding.cues import KIND_WORDS, asked_kinds, conflicts, has_kind
from nimbus.handlers.responding.gate import find_items

__all__ = [
    "LEXICAL_WEIGHT",
    "Candidate",
    "EvidenceSentence",
    "answers_subject",
    "candidates_of",
    "content_words",
    "coverage",
    "gather_evidence",
    "lexical_overlap",
    "score_sentences",
    "select_evidence",
    "source_label",
    "split_sentences",
    "subject_words",
    "unflatten_tables",
]

LEXICAL_WEIGHT: Final = 0.5
"""How much the lexical overlap (0..1) adds to the cosine (-1..1)."""
CONTEXT_WEIGHT: Final = 0.25
"""How much the words the sentence before adds count ("The password is …" after "Wi-Fi")."""
KIND_WEIGHT: Final = 0.25
"""Added when a sentence holds the kind of item asked for (a phone number for "phone")."""
KEY_WEIGHT: Final = 0.25
"""Added to a key/value line whose key names what the question asks ("Zone: C" for "which
zone…", "Renewal date: 14 March 2027" for "when does it renew?")."""
_KEY_VALUE: Final = re.compile(r"^([A-Za-z][\w '()/&-]{1,40}):\s+\S")
HEADING_PENALTY: Final = 0.25
"""Taken from a heading or a question (no full stop): it names a topic, it answers nothing."""
CONFLICT_PENALTY: Final = 0.4
"""Taken from a sentence about another month or code than the question's."""
_MIN_WORDS: Final = 3
"""A shorter fragment is joined to the next one (a heading, a table cell)."""
_MAX_CHARS: Final = 400
"""A run-on "sentence" (a table flattened onto one line) is cut at word boundaries."""

_MARKUP: Final = re.compile(r"^(?:#+|>|[-*\u2022]|\d{1,2}[.)])\s+")
"""Markdown headings, quotes and list markers at the start of a line."""
_AMOUNT_LINE: Final = re.compile(r"^[£$€]?\d[\d,]*(?:\.\d\d)?(?: ?(?:pounds|GBP|EUR|USD))?$")
_MAX_CELL_CHARS: Final = 30
_MIN_TABLE_CELLS: Final = 6
_SENTENCE_END: Final = re.compile(r"(?<=[.!?])[\"'\u201d)]*\s+(?=[\"'\u201c(]?[A-Z0-9£$€])|\n+")
_ABBREVIATION: Final = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St|No|Nr|approx|e\.g|i\.e|etc)\.$",
                                  re.IGNORECASE)
_WORD: Final = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?")
_STOP: Final = frozenset({"a", "about", "above", "after", "again", "all", "also", "am", "an",
    "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below",
    "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down",
    "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he",
    "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "itself", "just", "me", "more", "most", "my", "no", "nor", "not", "now", "of", "off", "on",
    "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should",
    "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there",
    "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very",
    "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will",
    "with", "would", "you", "your", "yours", "tell", "say", "says", "said", "please", "know",
    "document", "documents", "file", "notes", "according", "mention", "mentioned", "nimbus",
    "much", "many", "long", "often", "use", "used", "using", "allowed", "lease", "manual",
    "agreement", "transcript", "recording", "papers"})


@dataclass(frozen=True, slots=True)
class EvidenceSentence:
    """One sentence of a retrieved passage, with where it came from and how well it answers."""

    text: str
    path: str
    page: int | None
    score: float
    """Cosine similarity to the question plus the weighted lexical overlap."""
    overlap: float
    """Share of the question's content words found in this sentence (0..1)."""
    before: str = ""
    """The sentence before it in its passage ("Her phone number…" is read after it)."""
    title: str = ""
    """The first sentence of its passage (a heading, a document's title): its topic."""
    relevance: float | None = None
    """Cosine plus weighted overlap alone, without the ranking's cues (None: ``score``)."""
    ocr: bool = False
    """Read by OCR from a scan or photo (reported with the answer's sources)."""

    @property
    def match(self) -> float:
        """How well the sentence matches the question, for deciding whether to answer."""
        return self.score if self.relevance is None else self.relevance

    @property
    def label(self) -> str:
        return source_label(self.path)


def source_label(path: str) -> str:
    """How a file is named aloud: "tenancy-agreement.pdf" -> "the tenancy agreement"."""
    stem = PurePath(path).stem
    words = re.sub(r"[_\-.]+", " ", stem)
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", words).strip().lower()
    words = re.sub(r"\s+", " ", words) or "your documents"
    if words.split()[0] in ("the", "my", "our", "a", "an", "your"):
        return words
    return f"the {words}"


def _stem(word: str) -> str:
    """A light stem, enough to meet "installed"/"installer", "smoke"/"smoking", "fit"/"fitted"."""
    for suffix in ("ing", "ed", "er", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[:-len(suffix)]
            break
    if word.endswith("al") and len(word) >= 6:  # "renewal" / "renew", "rental" / "rent"
        word = word[:-2]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


def content_words(text: str) -> set[str]:
    """The words that carry meaning (no stopwords, no question words), lightly stemmed."""
    words = set()
    for token in _WORD.findall(text.lower().replace("\u2019", "'")):
        word = token.split("'")[0]
        if word in _STOP or (len(word) < 2 and not word.isdigit()):
            continue
        words.add(_stem(word) if not word.isdigit() else word)
    return words


def coverage(question: str, evidence: Sequence[EvidenceSentence]) -> float:
    """Share of the question's content words one document's evidence holds (1 when none).

    A sentence is read with its context (the sentence before it, its passage's first
    sentence and its file's name: "dentist-appointment.eml" is about the dentist); a word
    that only says what kind of answer is wanted ("phone number") is found when that evidence
    holds an item of that kind. The best document counts: words spread over
    unrelated documents ("water" from the boiler manual, "May" from the bills) answer nothing.
    """
    wanted = content_words(question)
    if not wanted:
        return 1.0
    kinds = asked_kinds(question)
    best = 0.0
    for path in dict.fromkeys(s.path for s in evidence):
        found = content_words(source_label(path))  # "the dentist appointment": its topic
        for sentence in (s for s in evidence if s.path == path):
            found |= content_words(f"{sentence.title} {sentence.before} {sentence.text}")
            if kinds and has_kind(find_items(sentence.text), kinds):
                found |= wanted - subject_words(question)
        best = max(best, len(wanted & found) / len(wanted))
    return best


def answers_subject(question: str, evidence: Sequence[EvidenceSentence]) -> bool:
    """Does a sentence that holds the kind of item asked for talk about the question's subject?

    "What is my dentist's phone number?" is not answered by "Her phone number is 07700 900 417."
    (the neighbour's, named in the sentence before). True when the question asks for no kind of
    item or has no subject words.
    """
    kinds = asked_kinds(question)
    subject = subject_words(question)
    if not kinds or not subject:
        return True
    return any(has_kind(find_items(f"{s.before} {s.text}" if refers_back(s) else s.text), kinds)
               and subject & content_words(f"{s.before} {s.text}") for s in evidence)


PRONOUN_START: Final = re.compile(r"^(?:her|his|its|their|it|they|this|that|these|those|she|he)"
                                  r"\b", re.IGNORECASE)


def refers_back(sentence: EvidenceSentence) -> bool:
    """Does the sentence start with a pronoun whose referent the sentence before names?

    "She plans the planting calendar." answers "who plans…" with the name in the sentence
    before ("The head gardener … is Marigold Finch."), which is read with it.
    """
    return bool(PRONOUN_START.match(sentence.text.strip())) and \
        sentence.before.strip()[-1:] in (".", "!")


def lexical_overlap(question: str, sentence: str) -> float:
    """Share of the question's content words in the sentence (0 when the question has none)."""
    wanted = content_words(question)
    if not wanted:
        return 0.0
    return len(wanted & content_words(sentence)) / len(wanted)


def _is_cell(line: str) -> bool:
    line = line.strip()
    return 0 < len(line) <= _MAX_CELL_CHARS and line[-1] not in ".!?:"


def _table_rows(cells: list[str]) -> list[str] | None:
    """A table read one cell per line (as PDF text extraction gives it) as one line per row.

    The header is the run of cells before the first row label, which is the cell before the
    first cell with a digit; the cells that follow must fill whole rows.
    """
    first_number = next((i for i, cell in enumerate(cells) if re.search(r"\d", cell)), None)
    if first_number is None or first_number < 3:
        return None
    header = cells[:first_number - 1]
    body = cells[first_number - 1:]
    width = len(header)
    if len(body) < width or len(body) % width:
        return None
    rows = []
    for start in range(0, len(body), width):
        row = body[start:start + width]
        values = ", ".join(f"{name} {value}" for name, value in zip(header[1:], row[1:],
                                                                    strict=True))
        rows.append(f"{header[0]} {row[0]}: {values}.")
    return rows


def unflatten_tables(text: str) -> str:
    """Rebuild the rows of tables whose cells were extracted one per line ("Month\nGas…")."""
    lines = text.split("\n")
    out: list[str] = []
    run: list[str] = []
    for line in [*lines, ""]:
        if _is_cell(line):
            run.append(line.strip())
            continue
        if run:
            rows = _table_rows(run) if len(run) >= _MIN_TABLE_CELLS else None
            out.extend(rows if rows is not None else run)
            run = []
        out.append(line)
    return "\n".join(out[:-1])


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage; tiny fragments joined forward; run-ons cut near ``_MAX_CHARS``.

    Table rows are sentences of their own, each with its column names.
    """
    pieces: list[str] = []
    pending = ""
    for raw in _SENTENCE_END.split(unflatten_tables(text)):
        piece = _MARKUP.sub("", " ".join(raw.split()))
        if not piece:
            continue
        if pending and _ABBREVIATION.search(pending):
            pending = f"{pending} {piece}"
            continue
        if pending:
            pieces.append(pending)
        pending = piece
    if pending:
        pieces.append(pending)
    joined: list[str] = []
    carry = ""
    for raw in pieces:
        piece = f"{carry} {raw}".strip() if carry else raw
        carry = ""
        if len(piece.split()) < _MIN_WORDS:
            if joined and _AMOUNT_LINE.match(piece) and not carry:
                # A price alone on its line belongs to the line before it (a receipt's item
                # wrapped onto two lines: "Bosch Serie 6 washing machine" / "549.00").
                joined[-1] = f"{joined[-1]} {piece}"
                continue
            # "Rent." leads into its sentence; a bare heading line ("Servicing") is dropped.
            carry = piece if piece[-1] in ".!?:;," else carry
            continue
        joined.append(piece)
    if carry:
        if joined:
            joined[-1] = f"{joined[-1]} {carry}"
        else:
            joined.append(carry)
    sentences: list[str] = []
    for whole in joined:
        rest = whole
        while len(rest) > _MAX_CHARS:
            cut = rest.rfind(" ", 0, _MAX_CHARS)
            cut = cut if cut > _MAX_CHARS // 2 else _MAX_CHARS
            sentences.append(rest[:cut].strip())
            rest = rest[cut:].strip()
        if rest:
            sentences.append(rest)
    return sentences


class Candidate(NamedTuple):
    """A sentence of a retrieved passage, the hit it came from, and its context."""

    text: str
    hit: SearchHit
    before: str = ""
    title: str = ""


def subject_words(question: str) -> set[str]:
    """The question's content words less those that only say what kind of answer is wanted."""
    return content_words(question) - content_words(" ".join(KIND_WORDS))


def _is_heading(sentence: str) -> bool:
    return sentence.rstrip()[-1:] not in ".!"


def score_sentences(
    question: str,
    candidates: Sequence[Candidate],
    question_vector: npt.NDArray[np.float32] | None,
    sentence_vectors: npt.NDArray[np.float32] | None,
) -> list[EvidenceSentence]:
    """Score candidate sentences; the vectors are unit-normalised (or None).

    The score is the cosine (0 without vectors) plus the weighted share of the question's
    content words in the sentence, plus a little for the words only the sentence before adds,
    plus :data:`KIND_WEIGHT` when it holds the kind of item asked for, plus :data:`KEY_WEIGHT`
    for a key/value line whose key the question names; headings, questions and
    sentences about another month or code than the question's lose points.
    """
    cosines = (sentence_vectors @ question_vector if question_vector is not None
               and sentence_vectors is not None and len(candidates)
               else np.zeros(len(candidates), dtype=np.float32))
    kinds = asked_kinds(question)
    # Words that name a document ("lemon drizzle recipe") or a kind of answer ("month") do not
    # say which key/value line is asked for: "Drizzle: …" is not the answer to every question
    # about the lemon drizzle cake.
    ignored = content_words(" ".join([*KIND_WORDS, "month", "year", "week", *(
        source_label(path) for path in {c.hit.path for c in candidates})]))
    scored = []
    for candidate, cosine in zip(candidates, cosines, strict=True):
        sentence = candidate.text
        overlap = lexical_overlap(question, sentence)
        context = (lexical_overlap(question, f"{candidate.before} {sentence}")
                   if candidate.before else overlap)
        relevance = float(cosine) + LEXICAL_WEIGHT * overlap
        score = relevance + CONTEXT_WEIGHT * (context - overlap)
        if kinds and has_kind(find_items(sentence), kinds):
            score += KIND_WEIGHT
        keyed = _key_named(question, sentence, ignored)
        if keyed:
            score += KEY_WEIGHT
        if _is_heading(sentence) and not keyed:  # "Zone: C" states a fact, heading or not
            score -= HEADING_PENALTY
        if conflicts(question, sentence):
            score -= CONFLICT_PENALTY
        scored.append(EvidenceSentence(text=sentence, path=candidate.hit.path,
                                       page=candidate.hit.page, score=score, overlap=overlap,
                                       before=candidate.before, title=candidate.title,
                                       relevance=relevance, ocr=candidate.hit.ocr))
    return scored


def _key_named(question: str, sentence: str, ignored: set[str]) -> bool:
    """Is ``sentence`` a "Key: value" line whose key says what the question asks about?

    A word of the key and a word of the question meet when one begins with the other
    ("renewal" / "renew"); ``ignored`` words do not count.
    """
    match = _KEY_VALUE.match(sentence)
    if match is None:
        return False
    keys = content_words(match.group(1)) - ignored
    asked = content_words(question) - ignored
    return any(k.startswith(a) or a.startswith(k) for k in keys for a in asked
               if min(len(k), len(a)) >= 4 or k == a)


def select_evidence(scored: Sequence[EvidenceSentence], n: int) -> list[EvidenceSentence]:
    """The ``n`` best sentences, best first, without repeats (the same text in two passages)."""
    chosen: list[EvidenceSentence] = []
    seen: set[str] = set()
    for sentence in sorted(scored, key=lambda s: -s.score):
        key = " ".join(_WORD.findall(sentence.text.lower()))
        if key in seen:
            continue
        seen.add(key)
        chosen.append(sentence)
        if len(chosen) >= n:
            break
    return chosen


def candidates_of(hits: Sequence[SearchHit]) -> list[Candidate]:
    """Every sentence of every hit, with its hit and the sentence before (retrieval order)."""
    candidates = []
    for hit in hits:
        sentences = split_sentences(hit.text)
        before = ""
        for sentence in sentences:
            candidates.append(Candidate(sentence, hit, before, sentences[0]))
            before = sentence
    return candidates


def gather_evidence(
    question: str,
    hits: Sequence[SearchHit],
    n: int,
    embed: Callable[[list[str]], npt.NDArray[np.float32]] | None,
) -> list[EvidenceSentence]:
    """The ``n`` best sentences of ``hits`` for ``question``; ``embed`` gives unit vectors.

    Blocking when ``embed`` runs a model: call it from a worker thread.
    """
    candidates = candidates_of(hits)
    if not candidates or n <= 0:
        return []
    question_vector = sentence_vectors = None
    if embed is not None:
        vectors = embed([question, *(candidate.text for candidate in candidates)])
        question_vector, sentence_vectors = vectors[0], vectors[1:]
    return select_evidence(score_sentences(question, candidates, question_vector,
                                           sentence_vectors), n)
