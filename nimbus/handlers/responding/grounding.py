"""Grounded answers: how a question is answered, and the gate between the model and speech. Pure.

:func:`decide` picks one of three ways to answer from the question and its evidence:

- ``grounded``: the evidence is good enough; the model answers from it and every sentence goes
  through the faithfulness gate before it is released for speech;
- ``not_found``: the question is about the user's own things (:func:`about_documents`) and no
  evidence is good enough: "I couldn't find that in your documents", and no model call;
- ``general``: a general question ("what is the capital of France?") with no good evidence: the
  model answers without documents, unchecked.

:class:`AnswerGate` holds the streamed text until a sentence is complete, checks it, and
releases it only when every checkable item in it is supported. The first sentence that fails is
withheld and replaced by the best evidence sentence, read verbatim with its source ("From the
tenancy agreement: …"); the answer ends there. So is a first sentence that names none of the
facts when the best evidence sentence has some: a small model's "It is a warning signal" says
nothing the user can act on, and nothing the gate can check. And so is a sentence whose facts
are each in the evidence but in different sentences ("February: 265 kWh" read off the March
row). An answer also ends after
``max_sentences`` sentences: spoken answers are short.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from nimbus.daemon.events import Grounding, Source
from nimbus.handlers.responding.cues import KIND_WORDS, asked_kinds, has_kind
from nimbus.handlers.responding.evidence import (
    EvidenceSentence,
    answers_subject,
    content_words,
    coverage,
    names_subject,
    predicate_words,
    question_terms,
    refers_back,
    subject_words,
    topic_of,
)
from nimbus.handlers.responding.gate import (
    FACT_KINDS,
    GateVerdict,
    check_sentence,
    evidence_keys,
    find_items,
    from_one_sentence,
)
from nimbus.handlers.responding.words import names_in

__all__ = [
    "BODILY",
    "NOT_FOUND",
    "AnswerGate",
    "Mode",
    "about_documents",
    "answered_by_documents",
    "asked_part",
    "cut_sentences",
    "decide",
    "evidence_sources",
    "fallback_text",
    "names_a_file",
    "names_their_own",
    "not_found_grounding",
    "sentence_ends",
]

NOT_FOUND: Final = "I couldn't find that in your documents."
STRICT_WORDS: Final = 0.6
"""Strict style: share of an answer sentence's content words one evidence sentence must hold."""

Mode = Literal["grounded", "not_found", "general"]

_PERSONAL: Final = frozenset({"my", "our", "mine", "ours", "we", "i've", "we've", "us",
                              "we're", "we'd", "we'll", "ourselves"})
_DOCUMENT_WORDS: Final = frozenset({"document", "documents", "file", "files", "notes", "note",
    "manual", "manuals", "contract", "agreement", "lease", "tenancy", "policy", "letter",
    "letters", "invoice", "invoices", "bill", "bills", "receipt", "receipts", "warranty",
    "guarantee", "transcript", "meeting", "minutes", "recording", "voicemail", "report",
    "statement", "schedule", "booklet", "handbook", "leaflet", "guide", "instructions", "recipe",
    "form", "certificate", "says", "say", "said", "mention", "mentioned", "mentions", "according",
    "written", "listed", "landlord", "tenant", "boiler", "appliance", "insurance",
    # The household's own world: things a family asks about that only its papers can answer.
    "wifi", "wi-fi", "password", "passcode", "pin", "bin", "bins", "recycling", "school",
    "teacher", "teachers", "class", "homework", "nursery", "trip", "cottage", "holiday",
    "appointment", "appointments", "dentist", "doctor", "gp", "vet", "plumber", "builder",
    "electrician", "cleaner", "babysitter", "childminder", "nanny", "neighbour", "neighbours",
    "neighbor", "neighbors", "rent", "mortgage", "council", "registration", "mot", "parcel",
    "delivery", "booking", "reservation", "party", "birthday", "anniversary", "wedding",
    "club", "practice", "rehearsal", "lesson", "lessons", "pickup", "pick-up", "locker",
    "spare", "key", "keys", "code", "subscription", "membership", "allowance", "chores",
    "grandma", "grandpa", "granny", "nan", "mum", "mom", "dad", "auntie", "uncle", "kids",
    "son", "daughter", "wife", "husband", "partner", "family", "builder's", "quote", "owe",
    "owed", "deposit", "fee", "fees", "payment", "due", "booked", "dinner", "lunch", "coming",
    "visiting",
    # A day of the week or a day near today: the household's own diary, not the world's.
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "tonight",
    "tomorrow", "weekend", "mondays", "tuesdays", "wednesdays", "thursdays", "fridays",
    "saturdays", "sundays"})
"""Words that point at the user's own papers rather than at the world."""
_WORD: Final = re.compile(r"[a-z']+")
_SENTENCE_END: Final = re.compile(r"[.!?\u2026]+[\"'\u201d)]*(?=\s)|\n")
_NO_CUT_BEFORE: Final = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St|No|e\.g|i\.e|approx|vs)\.$",
                                   re.IGNORECASE)


BODILY: Final = (r"(?:breathe|breathing|sleep|dream|yawn|sneeze|hiccup|blink|sweat|shiver|digest|"
                 r"inhale|exhale|see|hear|smell|taste|age|get goosebumps|have (?:bones|teeth|"
                 r"blood|lungs|kidneys|a heart))")
"""What every person's body does: "what do we breathe with?" asks about people, not the house."""
_SHARED_WORLD: Final = re.compile(r"\bour (?:solar system|planet|galaxy|universe|sun|moon|"
                                 r"species|bodies|body|brains?|ancestors)\b"
                                 r"|\b(?:my|your|a|the) (?:human |adult )?body\b"
                                 rf"|\bwe (?:need to |have to |all )?{BODILY}\b"
                                 r"|^\W*how (?:do|would|can|should) (?:you|i|we) say\b"
                                 r"|\b[a-z]+ the (?:first|second|third|fourth|fifth|sixth|"
                                 r"seventh|eighth|ninth|tenth|eleventh|twelfth)'s (?:first |"
                                 r"second |third |last |eldest |youngest )?[a-z]+")
"""Everyone's "our": "the smallest planet in our solar system", "the longest bone in my body" are
not about the household."""


def about_documents(question: str) -> bool:
    """Is this a question about the user's own things (their papers, home, plans)?

    A personal word ("my", "our", "we") or a word that names a kind of document or what is in
    one ("lease", "manual", "according to", "landlord") makes it one. Everything else is a
    general question the model may answer from what it knows.
    """
    text = _SHARED_WORLD.sub(" ", question.lower().replace("\u2019", "'"))
    words = {word.removesuffix("'s").strip("'")  # "the vet's receptionist" is the vet's
             for word in _WORD.findall(text)}
    return bool(words & _PERSONAL or words & _DOCUMENT_WORDS)


def decide(question: str, evidence: Sequence[EvidenceSentence], *, min_score: float,
           min_coverage: float = 0.0) -> Mode:
    """How to answer: from evidence, "not in your documents", or as a general question.

    Evidence answers a question when its best sentence scores at least ``min_score`` and the
    evidence holds at least ``min_coverage`` of the question's content words: "the warranty
    on my boiler" is not answered by sentences about the boiler that never say "warranty".
    Only the question itself counts: a long pasted text after its first "?" is left out.
    """
    question = asked_part(question)
    relevant = bool(evidence) and max(s.match for s in evidence) >= min_score
    if relevant and not answers_subject(question, evidence):
        return "not_found"  # the gardener is there, but not the gardener's phone number
    if relevant and not names_subject(question, evidence[0]):
        return "not_found"  # September is there, but not September's electricity cost
    if relevant and coverage(question, evidence) >= _needed(question, evidence, min_coverage):
        return "grounded"
    if about_documents(question) or (names_their_own(question, evidence) and _misses_a_noun(
            question, evidence)) or (
            names_a_file(question, evidence)
            and not _holds_what_is_asked(question, evidence, relevant)):
        return "not_found"
    # A general-sounding question with relevant evidence (a misheard name: "Zorvik's garden")
    # is still answered from it, through the gate, rather than from the model's imagination;
    # but not evidence that holds none of the question's words ("how many people does Gull's
    # Rest sleep?" and the cottage invoice's dog fee), and a number is not misheard: "how
    # often does the 17 run?" is not the training plan's.
    if relevant and (not coverage(question, evidence) or _misses_a_number(question, evidence)):
        return "not_found"
    return "grounded" if relevant else "general"


def _misses_a_number(question: str, evidence: Sequence[EvidenceSentence]) -> bool:
    """Does the best document's evidence, read with its file's name, its passages' first lines
    and headings, miss a number the question gives ("the 17", "number 15")?"""
    path = evidence[0].path
    found = content_words(" ".join([topic_of(path), *(
        f"{s.title} {s.heading} {s.before} {s.text}" for s in evidence if s.path == path)]))
    return any(root.isdigit() and root not in found
               for term in question_terms(question) for root in term)


def answered_by_documents(question: str, evidence: Sequence[EvidenceSentence], *,
                          min_score: float, min_coverage: float = 0.0) -> bool:
    """Do the household's documents answer a question the intent stage would decline as live
    information?

    "When is football training?" or "How much is the match fee?" sound like the world's
    scores and prices, but with the football club's fixtures sheet in the folder they are
    about the household's papers: answered from them when their evidence answers, and "not in
    your documents" when the question is about a thing a file is named after ("who won the
    Falcons' last match?" beside falcons-fixtures.ods). Anything else stays live information.
    """
    question = asked_part(question)
    mode = decide(question, evidence, min_score=min_score, min_coverage=min_coverage)
    if mode == "not_found":
        return names_a_file(question, evidence)
    # Covered, not the misheard-name answer: "will it rain?" is not answered by a roofer's
    # "weather permitting".
    return mode == "grounded" and coverage(question, evidence) >= _needed(
        question, evidence, min_coverage)


def _holds_what_is_asked(question: str, evidence: Sequence[EvidenceSentence],
                         relevant: bool) -> bool:
    """Relevant evidence whose best sentence holds the kind of item asked for: "who is the
    head gardener of the Zorvik's garden" (a misheard name) is answered by "… is Marigold
    Finch", though the file is garden-notes.pdf."""
    kinds = asked_kinds(question)
    return relevant and bool(kinds) and has_kind(find_items(evidence[0].text), kinds)


def _misses_a_noun(question: str, evidence: Sequence[EvidenceSentence]) -> bool:
    """Does the best document's evidence miss a word of the question besides its verbs and
    the words that say what kind of answer is wanted? "What did Leo get in his spelling
    test?" misses "spelling"; "Which team did Leo get picked for?" only its verb ("chosen")."""
    path = evidence[0].path
    found = content_words(" ".join([topic_of(path), *(
        f"{s.title} {s.heading} {s.before} {s.text}" for s in evidence if s.path == path)]))
    ignored = predicate_words(question) | content_words(" ".join(KIND_WORDS))
    return any(not term & found and not term & ignored for term in question_terms(question))


def names_their_own(question: str, evidence: Sequence[EvidenceSentence]) -> bool:
    """Does the question name someone or something its evidence names too ("Leo", "Castleford
    Academy")? Then it is about the household's own papers, however general it sounds: "what
    did Leo get in his spelling test?" with Leo's school report and no spelling test is "not
    in your documents", not the report's nearest sentence. (A misheard name, "Zorvik's
    garden", is in no document, and its question may still be answered from the evidence.)"""
    names = names_in(question) - _MONTHS
    # named there too: written with its capital ("Garden", capitalised by the recogniser in
    # "the Zorvik's Garden", is not the evidence's "community garden")
    said = {word.lower().strip("'").removesuffix("'s") for s in evidence
            for word in re.findall(r"\b[A-Z][\w']*", f"{s.title} {s.before} {s.text}".replace(
                "\u2019", "'"))}
    return bool(names & said)


_MONTHS: Final = frozenset({"january", "february", "march", "april", "may", "june", "july",
                            "august", "september", "october", "november", "december"})


def names_a_file(question: str, evidence: Sequence[EvidenceSentence]) -> bool:
    """Is the question about a thing one of the evidence's files is named after?

    "Which platform does the Leeds train leave from?" with "leeds-train-booking.eml" among
    the evidence is about the household's booking, however general it sounds: when its
    evidence does not answer it, the answer is "not in your documents", not the model's.
    """
    subject = subject_words(question)
    return any(subject & content_words(topic_of(path))
               for path in dict.fromkeys(s.path for s in evidence))


STRONG_MATCH: Final = 1.0
"""A sentence this close to the question (cosine + weighted word overlap) may miss one of the
question's words when it holds the kind of item asked for (if the question asks for one):
"How long can we keep the courtesy car?" is answered by "A courtesy car is provided for up to
14 days", which never says "keep"; "Whereabouts is the cardiology clinic?" by "Cardiology
Outpatients, Level 3, East Wing"."""


def _needed(question: str, evidence: Sequence[EvidenceSentence], min_coverage: float) -> float:
    """The coverage a question needs: ``min_coverage``, less one word for a strong match."""
    kinds = asked_kinds(question)
    wanted = len(content_words(question))
    strong = [s for s in evidence if s.match >= STRONG_MATCH]
    # Not when the question names a month, date or code: the word missing could be the one
    # that says which row ("electricity cost in September" is not the March row).
    if wanted < 3 or find_items(question) or not strong or (kinds and not any(
            has_kind(find_items(s.text), kinds) for s in strong)):
        return min_coverage
    return min(min_coverage, (wanted - 1) / wanted)


def asked_part(question: str, limit: int = 1000) -> str:
    """The question itself: up to its first "?" (a pasted text may follow), at most ``limit``."""
    head = question[:limit]
    mark = head.find("?")
    return head[:mark + 1] if mark > 0 else head


def fallback_text(sentence: EvidenceSentence) -> str:
    """The evidence sentence as it is spoken: "From the tenancy agreement: …".

    A sentence that starts with a pronoun ("Her phone number is…") is read after the sentence
    before it, which says whose.
    """
    text = sentence.text.strip()
    if text and text[-1] not in ".!?":
        text += "."
    if refers_back(sentence):
        text = f"{sentence.before.strip()} {text}"
    return f"From {sentence.label}: {text}"


def sentence_ends(text: str) -> list[int]:
    """Where the complete sentences of streamed ``text`` end (a cut needs the next character)."""
    ends: list[int] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if _NO_CUT_BEFORE.search(text[start:match.end()]):
            continue
        if text[start:match.end()].strip():
            ends.append(match.end())
        start = match.end()
    return ends


def cut_sentences(text: str) -> tuple[list[str], str]:
    """Complete sentences of streamed ``text`` and the rest."""
    sentences: list[str] = []
    start = 0
    for end in sentence_ends(text):
        sentences.append(text[start:end].strip())
        start = end
    return sentences, text[start:]


def _source(sentence: EvidenceSentence) -> Source:
    return Source(path=sentence.path, page=sentence.page, score=round(sentence.score, 4),
                  text=sentence.text, ocr=sentence.ocr)


@dataclass(slots=True)
class AnswerGate:
    """Streamed model text in, speakable (gated) text out; one per answer."""

    evidence: Sequence[EvidenceSentence]
    enabled: bool = True
    """False: sentences are released unchecked (status ``unchecked``)."""
    max_sentences: int = 2
    """0 = no limit."""
    strict: bool = False
    """Also hold a sentence whose words are not mostly one evidence sentence's, or whose
    first sentence lacks the kind of item ``question`` asks for (``llm.grounded_style``)."""
    question: str = ""
    finished: bool = False
    """True once the answer is complete: the caller stops generating."""
    _buffer: str = ""
    _released: int = 0
    _supported: list[str] = field(default_factory=list)
    _unsupported: list[str] = field(default_factory=list)
    _withheld: list[str] = field(default_factory=list)
    _fallback: str = ""
    _quoted: bool = False
    _keys: frozenset[str] | None = None
    _per_sentence: list[frozenset[str]] | None = None

    def push(self, text: str, _logprob: float | None = None) -> list[str]:
        """Add streamed text; return the text now cleared for speech.

        Checked answers are released a whole sentence at a time (each ends with a space);
        unchecked ones as they stream, up to the end of sentence ``max_sentences``.
        """
        if self.finished:
            return []
        if not self.enabled:
            return self._stream(text)
        self._buffer += text
        sentences, self._buffer = cut_sentences(self._buffer)
        return self._pass(sentences)

    def quote(self) -> list[str]:
        """The extractive answer: the best evidence sentence, read verbatim; no model."""
        self.finished = True
        if not self.evidence:
            return []
        self._quoted = True
        self._fallback = fallback_text(self.evidence[0])
        return [self._fallback + " "]

    def _stream(self, text: str) -> list[str]:
        before = len(self._buffer)
        self._buffer += text
        ends = sentence_ends(self._buffer)
        if self.max_sentences and len(ends) >= self.max_sentences:
            self.finished = True
            cut = ends[self.max_sentences - 1]
            self._released = self.max_sentences
            self._withheld += list(cut_sentences(self._buffer[cut:])[0])
            released = self._buffer[before:cut].rstrip()
            return [released + " "] if released else []
        return [text]

    def finish(self) -> list[str]:
        """The model stopped: check what is left in the buffer."""
        if self.finished:
            return []
        if not self.enabled:
            self.finished = True
            return []
        rest, self._buffer = self._buffer.strip(), ""
        released = self._pass([rest] if rest else [])
        self.finished = True
        return released

    def _pass(self, sentences: list[str]) -> list[str]:
        released: list[str] = []
        texts = [s.text for s in self.evidence]
        for sentence in sentences:
            if self.finished:
                self._withheld.append(sentence)
                continue
            if self.enabled:
                if self._keys is None:
                    self._keys = evidence_keys(texts)
                verdict = check_sentence(sentence, texts, self._keys)
                if self._per_sentence is None:
                    self._per_sentence = [evidence_keys([text]) for text in texts]
                apart = verdict.passed and not from_one_sentence(sentence, texts,
                                                                 self._per_sentence)
                if (not verdict.passed or apart
                        or (self._released == 0 and self._names_no_fact(verdict))
                        or (self.strict and not self._close_to_evidence(sentence))):
                    self._unsupported += [item.text for item in verdict.unsupported]
                    if apart:
                        self._unsupported.append(" + ".join(
                            item.text for item in verdict.supported
                            if item.kind in FACT_KINDS) + " (not in one sentence)")
                    self._withheld.append(sentence)
                    self.finished = True
                    if self.evidence:
                        self._fallback = fallback_text(self.evidence[0])
                        released.append(self._fallback + " ")
                    continue
                self._supported += [item.text for item in verdict.supported]
            released.append(sentence + " ")
            self._released += 1
            if self.max_sentences and self._released >= self.max_sentences:
                self.finished = True
        return released

    def _close_to_evidence(self, sentence: str) -> bool:
        """Strict: mostly one evidence sentence's words, and the kind of item asked for."""
        kinds = asked_kinds(self.question)
        if self._released == 0 and kinds and not has_kind(find_items(sentence), kinds):
            return False
        words = content_words(sentence)
        if not words:
            return True
        subject = subject_words(self.question) | predicate_words(self.question)
        for evidence in self.evidence:
            context = content_words(f"{evidence.before} {evidence.text}")
            # ...and that sentence is about the question's subject: the meeting's "next … on
            # 2 February at 7:30 pm" does not answer "when is my next dentist check-up?".
            if (len(words & context) >= STRICT_WORDS * len(words)
                    and 2 * len(subject & context) >= len(subject)):
                return True
        return False

    def _names_no_fact(self, verdict: GateVerdict) -> bool:
        """A first sentence with no fact from evidence that has some ("It is a device.")."""
        return (not verdict.supported and bool(self.evidence)
                and bool(find_items(self.evidence[0].text)))

    def grounding(self) -> Grounding:
        """What happened, for ``response.done``."""
        if not self.enabled:
            status = "unchecked"
        elif self._quoted:
            status = "quoted"
        elif self._fallback:
            status = "fell_back"
        elif self._released:
            status = "supported"
        else:
            status = ""
        return Grounding(status=status, supported=tuple(self._supported),
                         unsupported=tuple(self._unsupported), withheld=tuple(self._withheld),
                         fallback=self._fallback,
                         evidence=evidence_sources(self.evidence))


def not_found_grounding(evidence: Sequence[EvidenceSentence]) -> Grounding:
    """``response.done.grounding`` of a "not in your documents" answer."""
    return Grounding(status="not_found", evidence=evidence_sources(evidence))


def evidence_sources(evidence: Sequence[EvidenceSentence]) -> tuple[Source, ...]:
    """The evidence sentences as they are reported in ``response.done``."""
    return tuple(_source(s) for s in evidence)
