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
from nimbus.handlers.responding.cues import (
    KIND_WORDS,
    amounts_in_words,
    asked_kinds,
    asked_measure,
    asks_no_kind,
    conflicts,
    has_kind,
    has_measure,
    in_kind_column,
    mail_header,
    measure_words,
    named_items,
    says_money,
    says_when,
)
from nimbus.handlers.responding.gate import FACT_KINDS, Item, find_items
from nimbus.handlers.responding.splitting import split_sentences, unflatten_tables
from nimbus.handlers.responding.words import (
    content_words,
    names_in,
    predicate_words,
    question_terms,
    rarity,
    share,
    subject_words,
)

__all__ = [
    "LEXICAL_WEIGHT",
    "Candidate",
    "EvidenceSentence",
    "answers_subject",
    "candidates_of",
    "content_words",
    "coverage",
    "gather_evidence",
    "is_heading",
    "lexical_overlap",
    "names_subject",
    "predicate_words",
    "question_terms",
    "score_sentences",
    "select_evidence",
    "source_label",
    "split_sentences",
    "spoken_label",
    "subject_words",
    "topic_of",
    "unflatten_tables",
]

LEXICAL_WEIGHT: Final = 0.5
"""How much the lexical overlap (0..1) adds to the cosine (-1..1)."""
LABEL_SHARE: Final = 0.5
"""How much the words a sentence gets from its file's name count, against its own and its
heading's: they say which file, hardly which sentence of it."""
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
_SAME_WORDS: Final = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?")

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
    heading: str = ""
    """The last heading above it in its passage."""

    @property
    def match(self) -> float:
        """How well the sentence matches the question, for deciding whether to answer."""
        return self.score if self.relevance is None else self.relevance

    @property
    def label(self) -> str:
        """How its file is named in the spoken attribution ("From the year 7 welcome: …")."""
        return spoken_label(self.path)


def source_label(path: str) -> str:
    """How a file is named aloud: "tenancy-agreement.pdf" -> "the tenancy agreement"."""
    stem = PurePath(path).stem
    words = re.sub(r"[_\-.]+", " ", stem)
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", words).strip().lower()
    words = re.sub(r"\s+", " ", words) or "your documents"
    if words.split()[0] in ("the", "my", "our", "a", "an", "your"):
        return words
    return f"the {words}"


def spoken_label(path: str) -> str:
    """A file's name as the attribution says it: its label with letters and digits apart
    ("year7-welcome.pptx" -> "the year 7 welcome"), which a speaker reads as words."""
    return re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z]{2})", " ", source_label(path))


def topic_of(path: str) -> str:
    """What a file is about, from its name: its label, and its mail's for an attachment.

    "dentist-appointment.eml/dental-price-list.pdf" is about the dental price list of the
    dentist appointment: a question about "the dentist" is about it too.
    """
    parent = PurePath(path).parent
    if parent.suffix and parent.name != path:  # stored under its mail: "mail.eml/file.pdf"
        return f"{source_label(path)} {source_label(str(parent))}"
    return source_label(path)




def coverage(question: str, evidence: Sequence[EvidenceSentence]) -> float:
    """Share of the question's content words one document's evidence holds (1 when none).

    A sentence is read with its context (the sentence before it, its passage's first
    sentence and its file's name: "dentist-appointment.eml" is about the dentist); a word
    that only says what kind of answer is wanted ("phone number") is found when that evidence
    holds an item of that kind, and so is the question's verb ("when does our parking permit
    expire?") when at least two of its other words are found. The best document counts: words
    spread over unrelated documents ("water" from the boiler manual, "May" from the bills)
    answer nothing.
    """
    terms = question_terms(question)
    if not terms:
        return 1.0
    kinds = asked_kinds(question)
    no_kind = asks_no_kind(question)
    kind_roots = content_words(" ".join(KIND_WORDS))
    verbs = predicate_words(question) - kind_roots
    subject = subject_words(question)
    measure = asked_measure(question)
    measured = content_words(measure_words(question))
    best = 0.0
    for path in dict.fromkeys(s.path for s in evidence):
        found = content_words(topic_of(path))  # "the dentist appointment": its topic
        holds = False
        for sentence in (s for s in evidence if s.path == path):
            found |= content_words(f"{sentence.title} {sentence.before} {sentence.text}")
            if measure is not None and has_measure(sentence.text, measure):
                found |= measured  # "how heavy" is said by "13.6 kg"
            holds = holds or (bool(kinds) and _holds_kind(question, sentence.text, kinds))
        matched = sum(bool(term & found) for term in terms)
        if holds or no_kind:  # "where do I pick up the key?": "Collect the key from …"
            missing = [term for term in terms if not term & found and not term & subject]
            said = sum(bool(term & kind_roots) for term in missing)
            implied = sum(bool(term & verbs) and not term & kind_roots for term in missing)
            matched += said + (implied if matched + said >= _FOUND_FOR_VERB else 0)
        best = max(best, matched / len(terms))
    return best


_FOUND_FOR_VERB: Final = 2
"""Words of the question a document must hold (a word that says what kind of answer is wanted
counts when an item of that kind is there: "what *time* does school finish?") before an item
of the asked kind stands in for the question's verb (one noun is not enough: "when was the
boiler serviced?")."""


def says_amount(question: str, sentence: str, kinds: frozenset[str]) -> bool:
    """Does ``sentence`` say in words an amount of what ``question`` asks about ("half a cup of
    sugar" for "how much sugar …?", not for "how much butter …?")?"""
    if "amount" not in kinds:
        return False
    asked = content_words(question)
    return any(not of or bool(content_words(of) & asked) for of in amounts_in_words(sentence))


def answers_subject(question: str, evidence: Sequence[EvidenceSentence]) -> bool:
    """Does a sentence that holds the kind of item asked for talk about the question's subject?

    "What is my dentist's phone number?" is not answered by "Her phone number is 07700 900 417."
    (the neighbour's, named in the sentence before). The sentence is read with the sentence
    before it, the heading above it ("Collect from: Friday 11 December" under "Item: a parcel
    that needs a signature") and its file's name ("Valid to 31 March 2028" in the parking
    permit). True when
    the question asks for no kind of item or has no subject words.
    """
    kinds = asked_kinds(question)
    subject = subject_words(question)
    if not kinds or not subject or asks_no_kind(question):
        return True
    return any(_holds_kind(question, f"{s.before} {s.text}" if refers_back(s) else s.text, kinds)
               and subject & content_words(f"{topic_of(s.path)} {s.heading} {s.before} {s.text}")
               for s in evidence)


def _holds_kind(question: str, text: str, kinds: frozenset[str]) -> bool:
    """Does ``text`` hold an item of the asked kind: one the gate reads, a value in a column
    named for it, an amount in words ("half a cup of sugar"), money for an amount ("15p a
    page"), or when or how often said in words ("once a week", "45 minutes before the
    start") for a date or a time?"""
    return (has_kind(find_items(text), kinds) or in_kind_column(text, kinds)
            or says_amount(question, text, kinds) or ("amount" in kinds and says_money(text))
            or (bool(kinds & {"date", "time"}) and says_when(text)))


def names_subject(question: str, sentence: EvidenceSentence) -> bool:
    """Is the sentence to be quoted about all of the subject of a question that names a month,
    a date or a code?

    "What was our electricity cost in September?" is not answered by "Tariff: Fixed Saver 12,
    ending on 30 September 2026." The sentence is read with its file's name, the heading above
    it and the sentence before it; of three or more subject words one may be missing. True when
    the question names no such item.
    """
    if not named_items(question):
        return True
    read = content_words(f"{topic_of(sentence.path)} {sentence.heading} {sentence.before} "
                         f"{sentence.text}")
    subject = subject_words(question)
    return len(subject & read) >= len(subject) - (len(subject) >= _SUBJECT_SLACK_FROM)


_SUBJECT_SLACK_FROM: Final = 3
"""A subject of this many words may miss one ("gas bill in February": the row says gas)."""


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
    return share(question_terms(question), content_words(sentence))


class Candidate(NamedTuple):
    """A sentence of a retrieved passage, the hit it came from, and its context."""

    text: str
    hit: SearchHit
    before: str = ""
    title: str = ""
    heading: str = ""
    """The last heading above it in its passage ("Next meeting", a slide's title)."""




def _is_heading(sentence: str, items: list[Item]) -> bool:
    """No full stop and no figure: a title ("The Lighthouse Cat"), not a fact ("Total 589.00",
    "Tuesday 9 March 2027, 7 pm, at St Aidan's church hall")."""
    return sentence.rstrip()[-1:] not in ".!" and not any(item.kind in FACT_KINDS
                                                          for item in items)


def is_heading(sentence: str) -> bool:
    """Is ``sentence`` a heading, a line without a full stop or a figure?"""
    return _is_heading(sentence, find_items(sentence))


def _is_title(candidate: Candidate, own: set[str], topic: set[str]) -> bool:
    """Is the sentence its passage's first line, without a full stop, that mostly repeats its
    file's name ("Hillside Scouts: summer camp 2027" in "scouts-summer-camp.odp")? Its
    figures name the document, they answer nothing."""
    words = {word for word in own if not word.isdigit()}
    return (candidate.text == candidate.title and candidate.text.rstrip()[-1:] not in ".!?"
            and len(words & topic) * 2 >= len(words) > 0)


def score_sentences(
    question: str,
    candidates: Sequence[Candidate],
    question_vector: npt.NDArray[np.float32] | None,
    sentence_vectors: npt.NDArray[np.float32] | None,
    context_vectors: npt.NDArray[np.float32] | None = None,
) -> list[EvidenceSentence]:
    """Score candidate sentences; the vectors are unit-normalised (or None).

    The score is the cosine (0 without vectors) plus the weighted share of the question's
    content words the sentence holds, read with its file's name (the words a file's name gives
    every sentence of it say which file, not which sentence), plus a little for the words only
    the sentence before adds, plus :data:`KIND_WEIGHT` when it holds the kind of item asked
    for (in the unit asked for, when a question measures something and some sentence has that
    unit: minutes for "how long", degrees for "what temperature"), plus :data:`KEY_WEIGHT` for
    a key/value line whose key the question names; headings, questions and sentences about
    another month or code than the question's lose points. ``relevance`` (what decides whether
    to answer at all) is the cosine plus the weighted share of the sentence's own words.
    """
    cosines = (sentence_vectors @ question_vector if question_vector is not None
               and sentence_vectors is not None and len(candidates)
               else np.zeros(len(candidates), dtype=np.float32))
    in_place = (context_vectors @ question_vector if question_vector is not None
                and context_vectors is not None and len(candidates) else cosines)
    kinds = asked_kinds(question)
    terms = question_terms(question)
    subject = subject_words(question)
    measure = asked_measure(question)
    if measure is not None and not any(has_measure(c.text, measure) for c in candidates):
        measure = None
    paths = {c.hit.path for c in candidates}
    topics = {path: content_words(topic_of(path)) for path in paths}
    # Words that name a document ("lemon drizzle recipe") or a kind of answer ("month") do not
    # say which key/value line is asked for: "Drizzle: …" is not the answer to every question
    # about the lemon drizzle cake.
    # Nor do the names the question gives ("Peakform", "Milo"): they say whose, and a line
    # keyed by one ("Milo: Lessons 20, Fee 143.00") is a row about it, not the thing asked.
    ignored = content_words(" ".join([*KIND_WORDS, "month", "year", "week", *(
        topic_of(path) for path in paths), *names_in(question)]))
    scored = []
    owns = [content_words(candidate.text) for candidate in candidates]
    weights = rarity(terms, owns)
    for candidate, own, cosine, placed in zip(candidates, owns, cosines, in_place, strict=True):
        sentence = candidate.text
        overlap = share(terms, own)
        under = own | content_words(candidate.heading)
        read = under | topics[candidate.hit.path]
        ranked = share(terms, under, weights)
        ranked += LABEL_SHARE * (share(terms, read, weights) - ranked)
        context = ranked
        if candidate.before:
            context = share(terms, under | content_words(candidate.before), weights)
            context += LABEL_SHARE * (share(terms, read | content_words(candidate.before),
                                             weights) - context)
        relevance = max(float(cosine), float(placed)) + LEXICAL_WEIGHT * share(terms, read)
        score = float(placed) + LEXICAL_WEIGHT * ranked + CONTEXT_WEIGHT * (context - ranked)
        items = find_items(sentence)
        if kinds and has_kind(items, kinds) and (measure is None
                                                 or has_measure(sentence, measure)):
            score += KIND_WEIGHT
        keyed = _key_named(terms, sentence, ignored)
        if keyed == "column" and not (
                (not subject or subject & (own | topics[candidate.hit.path]))
                and (not kinds or has_kind(items, kinds))):
            keyed = ""  # "Starts" in a school's term row does not say when a wedding starts
        if keyed:
            score += KEY_WEIGHT
        if (_is_heading(sentence, items) and not keyed) or _is_title(
                candidate, own, topics[candidate.hit.path]):  # "Zone: C" states a fact
            score -= HEADING_PENALTY
        if conflicts(question, sentence):
            score -= CONFLICT_PENALTY
        if mail_header(candidate.hit.path, sentence, question):
            score -= HEADING_PENALTY  # "To: Tobias …" says who the mail is for, not who teaches
        scored.append(EvidenceSentence(text=sentence, path=candidate.hit.path,
                                       page=candidate.hit.page, score=score, overlap=overlap,
                                       before=candidate.before, title=candidate.title,
                                       relevance=relevance, ocr=candidate.hit.ocr,
                                       heading=candidate.heading))
    return scored


def _key_named(terms: Sequence[frozenset[str]], sentence: str, ignored: set[str]) -> str:
    """Is ``sentence`` a "Key: value" line whose key says what the question asks about?

    "key" when it is, "column" when it is a table row one of whose column names does (the
    caller checks the row is about the question's subject), "" otherwise. A word of the key
    and a term of the question meet when they share a root ("renewal" / "renew") or one
    begins with the other; ``ignored`` words do not count.
    """
    match = _KEY_VALUE.match(sentence)
    if match is None:
        return ""
    columns = _columns(sentence[match.end(1) + 1:])
    keys = (content_words(" ".join(columns)) if columns else content_words(match.group(1))) - \
        ignored
    asked = {root for term in terms for root in term if not term & ignored}
    named = any(k.startswith(a) or a.startswith(k) for k in keys for a in asked
                if min(len(k), len(a)) >= 4 or k == a)
    return ("column" if columns else "key") if named else ""


_COLUMN: Final = re.compile(r"^([A-Z][\w'\u2019-]*)\s+\S")


def _columns(value: str) -> list[str]:
    """The column names of a table row's cells ("Opens 8:00 am, Closes 6:00 pm" -> Opens,
    Closes); empty when ``value`` is one value, not a row of named cells.

    A table row carries its column headers (:mod:`nimbus.watchfolders`): its key/value "key"
    is the row's label ("Day Sunday"), which says which row, while the columns say what each
    cell is ("when does it close?" asks for the "Closes" cell of some row).
    """
    cells = [cell.strip() for cell in value.split(", ")]
    names = [m.group(1) for cell in cells if (m := _COLUMN.match(cell))]
    return names if len(cells) >= 2 and len(names) >= 2 else []


def select_evidence(scored: Sequence[EvidenceSentence], n: int) -> list[EvidenceSentence]:
    """The ``n`` best sentences, best first, without repeats (the same text in two passages)."""
    chosen: list[EvidenceSentence] = []
    seen: set[str] = set()
    for sentence in sorted(scored, key=lambda s: -s.score):
        key = " ".join(_SAME_WORDS.findall(sentence.text.lower()))
        if key in seen:
            continue
        seen.add(key)
        chosen.append(sentence)
        if len(chosen) >= n:
            break
    return chosen


def candidates_of(hits: Sequence[SearchHit]) -> list[Candidate]:
    """Every sentence of every hit, with its hit, the sentence before and the heading above it
    (retrieval order)."""
    candidates = []
    for hit in hits:
        sentences = split_sentences(hit.text)
        before = heading = ""
        for sentence in sentences:
            candidates.append(Candidate(sentence, hit, before, sentences[0], heading))
            before = sentence
            if _is_heading(sentence, find_items(sentence)):
                heading = sentence
    return candidates


def in_context(candidate: Candidate) -> str:
    """The sentence as it is read: after its file's name and the heading above it.

    "Date: 28/11/2026" is the date of the washing machine receipt; "Tuesday 9 March 2027" the
    date of the spring meeting its slide's title names.
    """
    return ". ".join(filter(None, (topic_of(candidate.hit.path), candidate.heading,
                                   candidate.text)))


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
    question_vector = context_vectors = None
    if embed is not None:
        # Each sentence is embedded once, read in place (one batch: the question's answer
        # waits for it).
        vectors = embed([question, *(in_context(candidate) for candidate in candidates)])
        question_vector, context_vectors = vectors[0], vectors[1:]
    return select_evidence(score_sentences(question, candidates, question_vector,
                                           context_vectors, context_vectors), n)
