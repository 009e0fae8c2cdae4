"""General questions answered from a reference book's definitions, read out verbatim. Pure.

"What is the capital of Australia?" finds WordNet's "Canberra: the capital of Australia;
located in southeastern Australia" and says "Canberra is the capital of Australia." No model
writes the fact, so nothing can be invented: the sentence is the book's, cut to the clauses that
answer. A definition is used only when it holds every content word of the question (in any of
WordNet's base forms, or a synonym from the word's most common sense), names something the
question does not (the answer), and is of the kind asked for: a person for "who", a year for
"when", a number for "how many", a place for "where". Anything less is left to the model and
its confidence gate, which mostly declines: a definition that only shares some words would be
a true sentence that does not answer, which a listener takes as the answer.

Definitions are as of WordNet 3.0 (2006): things that change (offices, records, populations)
are not asked of it: a question about a current holder ("who is the president") finds only
the office's own definition, which names nobody, so it is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Final, Literal, Protocol

from nimbus.handlers.responding.reference.soundness import (
    NUMBER,
    counts,
    elsewhere,
    graded_apart,
    pulled_apart,
    qualified,
    window,
    within_other_name,
)
from nimbus.handlers.responding.reference.wordnet import Synset, tokens

__all__ = ["STOP", "Glossary", "ReferenceAnswer", "answer_from_reference", "asked_kind",
           "display_name", "expansions", "sentence", "trimmed"]

Kind = Literal["person", "year", "number", "place", "any"]

PERSON: Final = 18
"""WordNet's lexicographer file noun.person."""
LOCATION: Final = 15
_PLACED: Final = re.compile(r"\b(?:in|on|near|off|between|through|across|along|from|of)\s+"
                            r"(?:the\s+)?(?:[a-z-]+\s+){0,3}[A-Z]")
"""A clause that places a thing: a preposition before a named place ("in central Mali")."""
OBJECT: Final = 17
"""noun.object: mountains, rivers, islands (places WordNet files as natural objects)."""
GROUP: Final = 14
_STOP: Final = frozenset(str.split(
    "a an the of in on at to for from by with about as into is are was were be been being "
    "am do does did done has have had what which who whom whose when where why how that this "
    "these those it its there their they them he she his her you your me my i we our us "
    "tell please know called call name named known can could would should will shall "
    "nimbus hey ok okay ones thing things any some kind sort type exactly actually "
    "come came comes get got gets go goes went make made makes take took takes happen "
    "happened year years date day answer say says mean means meant word like up measured "
    "many much"))
"""Words that frame a question rather than say what it is about."""
STOP: Final = _STOP
_DEFINE: Final = re.compile(
    r"^what(?: is|'s) the (?:meaning|definition) of (?:an? |the )?(?P<thing4>[a-z0-9' -]+?)$"
    r"|^(?:what|who)(?: is|'s| was| are| were) (?P<article>an? |the )?(?P<thing>[a-z0-9' -]+?)$"
    r"|^(?:what does|what do) (?P<thing2>[a-z0-9' -]+?) mean$"
    r"|^(?:define|tell me about|who was|who is) (?P<thing3>[a-z0-9' -]+?)$"
    r"|^where(?: is|'s| are) (?P<where>(?:the )?[a-z0-9' -]+?)$")
_CURRENT: Final = re.compile(r"^(?:who|what)(?: is|'s| are) (?:the )?(?:[a-z]+'s? )?"
                            r"(?:current |present )?"
                            r"(?:president|prime minister|king|queen|leader|head|ceo|chancellor|"
                            r"mayor|pope|champion|manager|captain|owner|governor|minister)\b"
                            r"|\b(?:current|currently|now|today|latest|newest|this year)\b")
_MADE: Final = re.compile(r"\b(?:wr[oi]te|written|writer|author|paint(?:ed|er)|invent(?:ed|or)|"
                         r"discover(?:ed|er)|formulat(?:ed|or)|compos(?:ed|er)|found(?:ed|er)|"
                         r"design(?:ed|er)|buil[dt]|develop(?:ed|er)|creat(?:ed|or)|"
                         r"propos(?:ed|er)|came up with|sculpt(?:ed|or)|direct(?:ed|or))\b")
"""A question about who made something, and a definition that says what its person made."""
_PASSIVE: Final = re.compile(r"\b(?:was|were|is|are|been|being)\s+(?:\w+\s+)?\w+(?:ed|en|t)\s+by\b")
_DEED: Final = "\0"
"""Marks a clause that says what a person did: it is spoken after their name, no verb added."""
_PHRASE_ENDS: Final = frozenset(str.split(
    "and or but with having that which who whom whose equal when where while because is are "
    "was were has have located used"))
_TOKEN_SPANS: Final = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?")
"""The tokens of ``wordnet.tokens``, with their places in the text."""
_YEAR: Final = re.compile(r"\b(?:1[0-9]{3}|20[0-9]{2})\b")
_NUMBER_WORDS: Final = ("zero one two three four five six seven eight nine ten eleven twelve "
                        "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty")
_MAX_SPAN: Final = 9
"""The most words the question's words may spread over in a clause."""
_HEAD_WORDS: Final = 4
"""The answer's words must start within a clause's first words ("the capital of Australia"):
further in, the clause describes something else ("the position that the meaning of life …")."""
_LONG_ASIDE: Final = re.compile(r"\s*\([^()]{30,}\)")
_SEARCH: Final = 80


class Glossary(Protocol):
    """The reference book's look-ups (``WordNet`` is one)."""

    def bases(self, word: str) -> set[str]: ...
    def senses(self, word: str, pos: str) -> list[str]: ...
    def synsets(self, ids: Sequence[str]) -> list[Synset]: ...
    def search(self, base_words: Sequence[str], limit: int = ...) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class ReferenceAnswer:
    text: str
    """What is spoken: the definition's own words, with the thing it defines."""
    synset: Synset
    matched: tuple[str, ...]
    """The question's content words the definition holds."""


def asked_kind(question: str) -> Kind:
    q = question.lower()
    if re.match(r"^\W*who\b", q):
        return "person"
    if re.search(r"\b(?:when|what year|which year|what century)\b", q):
        return "year"
    if re.search(r"\bhow (?:many|much|tall|high|big|far|long|old|deep|heavy|fast|hot|cold)\b"
                 r"|\bwhat temperature\b",
                 q):
        return "number"
    if re.match(r"^\W*where\b", q):
        return "place"
    return "any"


def _normalised(question: str) -> str:
    text = question.lower().replace("\u2019", "'").strip()
    text = re.sub(r"^(?:(?:hey |ok |okay )?nimbus,? )|[?.!,]+$", "", text).strip()
    text = re.sub(r"[?!,.;:\"]", " ", text).strip()
    text = re.sub(r"\b(what|who|where|how)s\b", r"\1's", text)  # as a recogniser writes it
    return re.sub(r"\bcapital city\b", "capital", text)


def _kind_fits(kind: Kind, synset: Synset) -> bool:
    if kind == "person":
        return synset.lexname in (PERSON, GROUP)
    if kind == "year":
        return bool(_YEAR.search(synset.gloss))
    if kind == "number":
        return bool(NUMBER.search(synset.gloss))
    if kind == "place":
        return synset.lexname == LOCATION
    return True


def display_name(synset: Synset) -> str:
    words = [w for w in synset.words if not w.isupper() or len(w) > 3]
    if synset.lexname == PERSON:  # "Neil Armstrong" rather than "Armstrong"
        named = [w for w in words if 1 < len(w.split()) <= 4 and w[:1].isupper()
                 and w.split()[0] not in ("Sir", "Dame", "Lord", "Lady", "Saint", "St.")]
        if named:
            return min(named, key=lambda w: len(w.split()))  # "Yuri Gagarin", no middle name
    return (words or list(synset.words))[0]


def sentence(synset: Synset, clauses: list[str]) -> str:
    """"Canberra is the capital of Australia." / "George Washington: 1st President of …" /
    "Love: a strong positive emotion …" (a word is defined as a dictionary does)."""
    if clauses[0].startswith(_DEED) or (synset.lexname == PERSON and re.match(
            r"(?:was|were) ", clauses[0])):  # what a person did or was: "Alexander Fleming
        clauses = [clauses[0].removeprefix(_DEED), *clauses[1:]]  # discovered …"
        text = f"{display_name(synset)} {clauses[0]}"
        return text + ("" if text.endswith(".") else ".")
    name = display_name(synset)
    first = re.sub(r"\s*\(\d{3,4}-\)", "", clauses[0])  # "(1930-)": alive in 2006, maybe not now
    if synset.lexname == PERSON:  # "United States inventor of the telephone": the nationality
        first = re.sub(r"^(?:[A-Z][\w-]*\s+)+(?=[a-z])", "", first)  # was not asked
    rest = "; ".join(re.sub(r"\s*\(\d{3,4}-\)", "", c) for c in clauses[1:])
    lead = first.split(" ", 1)[0].lower()
    subject = name if name[:1].isupper() else name.capitalize()
    if lead in ("a", "an", "the") and name[:1].isupper() and not re.search(
            r"\b(?:is|are|was|were)\b", first):  # a name: "Canberra is the capital of …"
        dead = synset.lexname == PERSON and re.search(r"\(\d{3,4}-\d{3,4}\)", synset.gloss)
        body = f"{subject} {'was' if dead else 'is'} {first}"
    else:
        body = f"{subject}: {first}"
    text = f"{body}; {rest}" if rest else body
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def trimmed(clause: str, last: int, kind: Kind) -> str:
    """The clause up to the last word it shares with the question (or, for "when" and "how
    many", up to the year or number after it), without asides that answer nothing: a spoken
    answer says what was asked ("Ohm: a unit of electrical resistance"), not the rest of the
    entry ("… between two points on a conductor when …")."""
    words = list(_TOKEN_SPANS.finditer(clause.lower()))
    if not words:
        return clause.strip()
    at = min(max(last, 0), len(words) - 1)
    # On to the end of that phrase: "tallest" -> "tallest living quadruped", "the highest
    # mountain" -> "… mountain peak in the world", but not into "and the 5th from the sun".
    while at + 1 < len(words) and words[at + 1].group(0) not in _PHRASE_ENDS and \
            clause[words[at + 1].start():].lower()[:9] != "known as " and \
            not re.search(r"[,;(]", clause[words[at].end():words[at + 1].start()]):
        at += 1
    end = words[at].end()
    if kind in ("year", "number"):
        wanted = _YEAR if kind == "year" else NUMBER
        if not wanted.search(clause[:end]):
            found = wanted.search(clause, end)
            end = found.end() if found else len(clause)
    cut = clause[:end]
    if cut.count("(") > cut.count(")"):  # cut inside an aside: close it, or drop it
        close = clause.find(")", end)
        cut = clause[:close + 1] if kind in ("year", "number") and close >= 0 else \
            cut[: cut.rfind("(")]
    kept = re.sub(r"\s*\(([^()]*)\)",
                  lambda m: m.group(0) if kind in ("year", "number") and (
                      _YEAR if kind == "year" else NUMBER).search(m.group(1)) else "", cut)
    # "the battle on 18 June 1815 in which …" cut after its year: no "in" left dangling
    return re.sub(r"(?:\s+(?:in|at|on|of|by|for|to|with|from|and|or))+$", "", kept.strip(" ,"))


_ALIKE: Final = tuple(frozenset(group.split()) for group in (
    "big large great", "biggest largest greatest", "tall high", "tallest highest",
    "small little", "smallest littlest", "fast quick swift rapid", "fastest quickest swiftest",
    "close near", "closest nearest", "far distant", "farthest furthest", "long lengthy",
    "old ancient", "oldest", "deep", "heavy", "heaviest", "hot", "hottest", "cold", "coldest",
    "create invent devise", "discover find", "currency money", "middle center centre",
    "part portion", "coloured colored colour color", "frozen solid solidified",
    "baby young larval", "outside outer exterior covering",
    # Who did it and what they did: "who invented the telephone" / "inventor of the telephone".
    "invent invented inventor", "discover discovered discoverer", "write wrote writer author",
    "paint painted painter", "compose composed composer", "found founded founder",
    "design designed designer", "build built builder", "sculpt sculpted sculptor",
    "direct directed director", "explore explored explorer", "invade invaded invader"))
"""Words a question and a definition use for one idea ("the biggest ocean" / "the largest
ocean in the world"): everyday English, not any one question's wording."""
_SCOPE: Final = re.compile(r"\b(?:in|of|on) (?:the|our|this) (?:whole |entire )?(?:world|"
                           r"solar system|universe|planet|earth)\b|\bon earth\b|\bof all time\b"
                           r"|\bever\b|\b(?:in|of) (?:the|your|our|a|an) (?:adult |grown-up |"
                           r"human )*body\b")
"""Where a superlative holds ("in the world"): definitions often leave it unsaid."""


def _expansions(word: str, book: Glossary) -> set[str]:
    """A content word's base forms, everyday synonyms, and for a number its other spellings
    ("two" -> 2, II)."""
    graded = word.endswith(("est", "er")) and word not in book.senses(word, "n")
    # "largest" is not "large": a superlative matches only a superlative.
    found = {word} if graded else set(book.bases(word)) | {word}
    for group in _ALIKE:
        if found & group:
            found |= group
    numbers = _NUMBER_WORDS.split()
    if word in numbers:
        found.add(str(numbers.index(word)))
    elif word.isdigit() and int(word) < len(numbers):
        found.add(numbers[int(word)])
    return found


expansions = _expansions
"""A content word's base forms and everyday synonyms (for ``corroborate.py``)."""


def _defined(question: str, book: Glossary) -> ReferenceAnswer | None:
    """"What is a joey?" / "Who was Neil Armstrong?": the thing's own first definition."""
    match = _DEFINE.match(question)
    if match is None:
        return None
    where = match.group("where")
    thing = (match.group("thing") or match.group("thing2") or match.group("thing3")
             or match.group("thing4") or where or "").strip()
    if where:
        thing = thing.removeprefix("the ")
    if not thing or len(thing.split()) > 4 or set(thing.split()) <= _STOP:
        return None  # "what is it": "it" is no thing to look up (nor information technology)
    meaning = bool(match.group("thing2") or match.group("thing4"))
    for word in [thing, *sorted(b for b in book.bases(thing) if b != thing)]:
        senses = book.synsets(book.senses(word, "n")[:1])
        if not senses and meaning:  # "what does enormous mean": a word of any kind
            senses = next((found for pos in ("a", "v", "r")
                           if (found := book.synsets(book.senses(word, pos)[:1]))), [])
        if not senses:
            continue
        synset = senses[0]
        if where and not (synset.instance and synset.lexname in (LOCATION, OBJECT)):
            return None  # "where is the remote": only a place's definition says where it is
        said_as = next((w for w in synset.words if w.lower() == word), None)
        if meaning and said_as and said_as != synset.words[0]:  # "Ubiquitous: …", not
            synset = replace(synset, words=(said_as, *synset.words))  # "Omnipresent: …"
        if match.group("article") == "the " and not synset.instance:
            return None  # "who is the president": asks for a holder, not what the word means
        if question.startswith("who") and (synset.lexname not in (PERSON, GROUP)
                                           or not synset.instance):
            return None
        clauses = [c.strip() for c in _LONG_ASIDE.sub("", synset.gloss).split(";") if c.strip()]
        if where:  # the clause that says where: "flows … through eastern Africa"
            clauses = [c for c in clauses if _PLACED.search(c)][:1]
            if not clauses:
                return None
        first = clauses[0]
        # "the capital of India is a division of …" runs on; "a planet that is the 4th …" not.
        run_on = re.search(r"(?<=\w{3})(?<!\bthat)(?<!\bwhich)(?<!\bwho) (?:is|was) ", first)
        first = re.sub(r"(?:\s+(?:and|or|but|that|which|who))+$", "",
                       first[: run_on.start()] if run_on else first)
        said, alias = tokens(first), tokens(word)
        if alias != tokens(synset.words[0]) and set(alias) <= set(said):
            # "the capital of Egypt" names Cairo: say that much ("Cairo is the capital of
            # Egypt."), not the rest ("… and the largest city in Africa").
            first = trimmed(first, max(said.index(t) for t in alias), "any")
        return ReferenceAnswer(text=sentence(synset, [first]), synset=synset,
                               matched=(thing,))
    return None


_WHO_MADE_THE: Final = re.compile(
    r"^who (?:wrote|write|composed|painted|built|designed|sculpted|directed|made|created|sang|"
    r"sings) (?:the|this|that|these|those|our|an?) (?P<thing>[a-z' -]+?)$")


def one_of_a_kind(question: str, book: Glossary) -> bool:
    """"Who wrote the song?", "who built the house?": one song or house the listener has in
    mind, named by a common noun, not a work the book has a name for ("the Messiah"): no
    definition can say who made it (once "Irving Berlin wrote more than 1500 songs")."""
    match = _WHO_MADE_THE.match(question)
    if match is None:
        return False
    thing = match.group("thing")
    common = False
    for word in (thing, *sorted(book.bases(thing))):
        for synset in book.synsets(book.senses(word, "n")[:4]):
            said = next((w for w in synset.words if w.lower() == word), "")
            if synset.instance or said[:1].isupper():
                return False  # a named work among its senses: "the Messiah" (an oratorio)
            common = True
    return common


def answer_from_reference(question: str, book: Glossary, fits: Callable[[Synset], bool] | None
                          = None, kind_word: str = "") -> ReferenceAnswer | None:
    """The definition that answers ``question``, as a sentence to speak, or None. ``fits``:
    the kind of thing the answer must be ("what gas …": a gas), when one is asked for; its
    word (``kind_word``) then need not be in the definition (carbon dioxide is a greenhouse gas,
    so a gas, and its definition's "absorbed from the air by plants" answers the rest)."""
    text = _normalised(question)
    if not text:
        return None
    defined = _defined(text, book)
    if defined is not None:
        return defined
    kind = asked_kind(text)
    if _CURRENT.match(text) or one_of_a_kind(text, book):
        return None  # "who is the king of England": today's holder, which a 2006 book can't say
    asked = set(tokens(text))
    if "body" in asked:  # "the longest bone in the body": WordNet's "of the human skeleton"
        asked |= {"human", "skeleton", "adult"}
    scoped = bool(_SCOPE.search(text))
    words = [t for t in tokens(_SCOPE.sub(" ", text))
             if t not in _STOP]  # a number too: "the square root of 64" is not the variance's
    if len(words) < 2:  # "what is the capital": too little to know what is asked
        return None
    expansions = {word: _expansions(word, book) for word in words}
    said_in_order = tokens(_SCOPE.sub(" ", text))
    owners = set(re.findall(r"\b([a-z]+)'s\b", text)) - _STOP
    adjacent = [(a, b) for a, b in pairwise(said_in_order)
                if a in expansions and b in expansions and a not in owners]
    # "India's first prime minister" is "the first prime minister of India": a possessive
    # stands apart from what it owns in a definition
    nouns = frozenset(b for a, b in pairwise(said_in_order) if a in ("a", "an")) | {
        b for w in words if w.endswith(("en", "ed")) for b in book.bases(w) - {w}}
    # "score a try" is no "trying", "frozen rain" no "freezing rain": a noun or a participle
    # is not met by a verb's -ing form
    query = sorted({b for word in words for b in expansions[word] | book.bases(word)})
    best: tuple[tuple[int, int, int, int], ReferenceAnswer] | None = None
    answering: set[str] = set()
    for rank, synset in enumerate(book.synsets(book.search(query, _SEARCH))):
        if fits is not None and not fits(synset):
            continue  # "which country is Rome in" is not "country house in ancient Rome"
        found = _holding_clause(synset, words, expansions, asked, kind=kind, book=book,
                                adjacent=adjacent, nouns=nouns,
                                typed=kind_word if fits is not None else "",
                                scoped=scoped,
                                made=kind == "person" and bool(_MADE.search(text)),
                                past=bool(re.match(r"who (?:was|were)\b", text)))
        if found is None:
            continue
        answering.add(synset.id)
        score, matched, spoken = (*found[0], rank), found[1], found[2]
        if best is None or score < best[0]:
            best = (score, ReferenceAnswer(text=sentence(synset, [spoken]), synset=synset,
                                           matched=tuple(sorted(matched))))
    if fits is not None and len(answering) > 1:
        return None  # "which planet has rings": Neptune's and Saturn's both say so
    return best[1] if best else None


def _holding_clause(synset: Synset, words: list[str], expansions: dict[str, set[str]],
                    asked: set[str], *, kind: Kind, book: Glossary, scoped: bool = False,
                    typed: str = "", made: bool = False, past: bool = False,
                    adjacent: Sequence[tuple[str, str]] = (), nouns: frozenset[str] = frozenset(),
                    ) -> tuple[tuple[int, int, int], set[str], str] | None:
    """(score, matched bases) of the definition's clause that answers, or None. Lower is better.

    The question's words must meet near the start of one clause ("the largest ocean in the
    world"): spread over a definition, or deep in it, they describe something else. The thing's
    own name counts for the words that name it when the question asks about it ("when did the
    Berlin Wall come down" -> the Berlin Wall's "torn down in 1989"). A noun is not met by
    what the answer is a kind of: "the smallest republic" does not say "the smallest country".
    """
    graded = any(w.endswith("est") for w in words) or "most" in asked
    name = {t for w in synset.words for t in tokens(w)}
    aliases = {b for w in synset.words[1:] for at, t in enumerate(tokens(w))
               if at not in within_other_name(w, asked) and not t.endswith("ing")
               for b in book.bases(t) | {t}}  # a "flying lemur" glides: a name's -ing is no deed
    subject = set(tokens(synset.words[0])) <= asked
    if subject != (kind in ("year", "number")):
        # "what is the capital of Japan" must name something besides Japan; a year or a
        # number is read only off the definition of the thing asked about.
        return None
    if not _kind_fits(kind, synset) or (kind == "person" and not synset.instance):
        return None  # "who": a particular person, not an office ("a taoiseach")
    head = tokens(synset.words[0])
    if len(head) > 1 and set(head) & asked and not set(head) <= asked:
        return None  # "heart failure" is not the heart: "what does the heart pump"
    best: tuple[tuple[int, int, int], set[str], str] | None = None
    clauses = [c for c in _LONG_ASIDE.sub("", synset.gloss).split(";") if c.strip()]
    for index, clause in enumerate(clauses):
        if tokens(clause)[:1] in (["was"], ["were"], ["formerly"], ["once"], ["former"]) and not (
                past and synset.lexname == PERSON and synset.instance):
            continue  # "was the capital of West Germany": no longer so (but "who was India's
            # first prime minister" asks what a person was: Nehru "was the first prime minister")
        bases = [set() if at in other_names else book.bases(t) - (
                     nouns if t.endswith("ing") else set()) | {t}
                 for at, t in enumerate(tokens(clause))
                 for other_names in [within_other_name(clause, asked)]]
        held = set().union(*bases) if bases else set()
        own = set(held)
        if index == 0:  # its other names: "Red Planet", "atomic number 1"
            held = held | aliases
        missing = [w for w in words if not expansions[w] & held]
        if subject:
            missing = [w for w in missing if not expansions[w] & name]
        missing = [w for w in missing if w != typed]  # its kind was checked by is-a
        if missing or not any(expansions[w] & own for w in words):
            continue  # named by the question, defined by nothing it asks ("the shopping list")
        if made and (not _MADE.search(clause.lower()) or _PASSIVE.search(clause.lower())
                     or re.search(r"\b(?:that|which)\s+" + _MADE.pattern, clause.lower())):
            # "claimed that the Iliad and Odyssey were composed by several authors": the person
            # defined is not who made it
            continue  # "who came up with relativity" is not "remembered for … relativity"
        if kind == "year" and not _YEAR.search(clause):
            continue
        if kind == "number" and not counts(clause, words, expansions, book):
            continue  # "any year divisible by 4" counts no days
        present = [expansions[w] for w in words if expansions[w] & held]
        positions = [i for want in present for i, b in enumerate(bases) if b & want]
        span, end = window([[i for i, b in enumerate(bases) if b & want] for want in present])
        if not subject and kind != "person" and (not positions or end - span + 1 >= _HEAD_WORDS):
            # The words meet near the clause's start (a person's definition says what they did
            # after "who": "physicist … who formulated the special theory of relativity").
            continue
        said = tokens(clause)
        if not subject and said[end + 1:end + 2] in (["is"], ["are"], ["was"], ["were"]):
            continue  # "the freezing point of water is 491.69 degrees Rankine": a statement
            # about what was asked, not what the defined thing is
        if not subject and span > max(_MAX_SPAN, len(present) + 4):
            # many words need a little more room: "first woman aviator to fly solo nonstop
            # across the Atlantic" holds six of the question's words over ten
            continue  # "the highest part of the back … of various animals": not one thing
        if (scoped or graded) and elsewhere(said, end, asked):
            continue  # "the longest river in England" is not the longest in the world
        if pulled_apart(adjacent, expansions, bases, said, asked):
            continue  # "male wood duck" is not what a male duck is called
        matched = {b for want in present for b in want & held}
        if qualified(clause, matched, asked) or (graded and graded_apart(
                words, expansions, bases, tokens(clause), asked)):
            continue
        score = (0, span, index)
        if best is None or score < best[0]:
            # The first place each word is met: "a unit of electrical resistance", not on to
            # "… equal to the resistance between two points".
            firsts = [min((i for i, b in enumerate(bases) if b & want), default=-1)
                      for want in present]
            spoken = trimmed(clause, max(firsts, default=-1), kind)
            if synset.lexname == PERSON and firsts:
                # "physicist born in Germany who formulated the special theory of relativity":
                # what they did is the answer; where they were born is not asked.
                said = tokens(spoken)
                who = [i for i, t in enumerate(said) if t == "who" and i < min(firsts)]
                if who:
                    spoken = _DEED + " ".join(spoken.split()[who[-1] + 1:])
            best = (score, matched, spoken)
    return best


