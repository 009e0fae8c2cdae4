"""Which continent, country, language …: read off the thing's own definition. Pure.

"Which continent is Kenya in?" is answered by no definition that holds both words; Kenya's
own says "a republic in eastern Africa", and WordNet says Africa is a continent. So for a
question of the form "which/what <kind> is/do … <thing> …", the thing's definition is read for
the one named thing in it that is a <kind> (by WordNet's is-a links, not by its words), and
that clause is spoken: "Kenya: a republic in eastern Africa." No such thing, or two of them
("… between France and Spain" for "which country"), and nothing is said.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Final

from nimbus.handlers.responding.reference.lookup import (
    LOCATION,
    OBJECT,
    Glossary,
    ReferenceAnswer,
    display_name,
    sentence,
    trimmed,
)
from nimbus.handlers.responding.reference.wordnet import Synset, tokens

__all__ = ["answer_by_kind", "asks_which_kind", "fronted", "is_a", "kind_of_named", "where_from"]

_WHICH: Final = re.compile(
    r"^(?:in |at |with )?(?:which|what) (?P<kind4>[a-z]+) (?:do|does|did|would|could|can|"
    r"will) (?:you|they|people|we|players?|one) (?:use|play|do|hit|throw|kick|score|need|"
    r"wear|get) (?:an? |the )?(?P<rest4>[a-z' -]+?)(?: in| on| with| for| at)?$"
    r"|^(?:in |at )?(?:which|what) (?P<kind5>[a-z]+) (?:is|are|was|were) (?:played|held|"
    r"used|worn|hit|thrown|kicked) (?:at|in|on|with|for) (?:an? |the )?(?P<rest5>[a-z' -]+?)$"
    r"|^(?:which|what) (?P<kind>[a-z]+) (?:is|are|was|were|does|do|did) (?P<rest>[a-z' ]+?)"
    r"(?: in| on| from| part of| speak| use| made from| made of| made with| come from)?$"
    r"|^(?:which|what) (?P<kind2>river|rivers) (?:runs?|flows?|goes|go|passes|pass) "
    r"(?:through|past|by|in|into|under) (?P<rest2>[a-z' ]+?)$"
    r"|^(?:which|what) (?P<kind3>[a-z]+) (?P<verb>makes|produces|secretes|lays|gives|"
    r"eats|builds|spins|carries|spreads|causes) (?:the |an? )?(?P<rest3>[a-z' ]+?)$")
"""The first two forms ask what a thing is used in or where it is played ("what sport do you
use a shuttlecock in", "what sport is played at Wimbledon"): tried first, or the general form
would take "you use a shuttlecock" for the thing. The last asks what makes a thing ("which organ
makes insulin"): the thing's definition names its maker ("secreted by … the pancreas");
only verbs that say so, not "which organ does insulin affect"."""
_NOT_THINGS: Final = frozenset(str.split(
    "they we you i he she it people the a an in on at of from do does speak spoken use used "
    "part is are was were live lives located"))
_WORD: Final = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)?")
"""The words of ``tokens``, as written (with their capitals)."""
_NOT_KINDS: Final = frozenset(str.split(
    "year years time day date month century colour color kind sort type size age number "
    "percentage way one ones"))
""""What year did …", "what colour is …": the answer is no kind of thing with a definition."""
_PLACES: Final = frozenset(str.split(
    "continent country state county city town ocean sea island region province river lake "
    "planet galaxy hemisphere"))
"""Kinds a thing is *in* ("which continent is Kenya in"): read off the thing's definition."""
_WHERE: Final = re.compile(r"^\s*(?:located|situated|found|lies|lying|on|in|near)\b")
"""A clause that says where the thing is ("located in northeastern Tanzania")."""
_ARTIFACT: Final = 6
"""noun.artifact: equipment, buildings."""
_DEPTH: Final = 12
"""How far up the is-a links a kind is looked for (Africa -> continent is one step)."""


def is_a(synset: Synset, kind: str, book: Glossary) -> bool:
    """Is ``synset`` a ``kind`` (one of the kind word's three commonest senses) by WordNet's
    is-a links? Paris is a capital, a city, a municipality … an "area, country" in the sense of
    a region, which is not "country" as a nation: senses, not words, are compared."""
    kinds = set(book.senses(kind, "n")[:3])
    frontier, seen = list(synset.hypernyms), set()
    for _ in range(_DEPTH):
        batch = [i for i in frontier if i not in seen]
        if not batch:
            return False
        if kinds & set(batch):
            return True
        seen.update(batch)
        frontier = [h for parent in book.synsets(batch) for h in parent.hypernyms]
    return False


def _named(words: list[str], book: Glossary) -> Synset | None:
    """The longest run of ``words`` that names one particular thing (Kenya, the Eiffel Tower).
    A name of two places (Cairo in Egypt and in Illinois) names none: which one was meant is
    not known, and the other's definition would answer about the wrong place."""
    for size in (4, 3, 2, 1):
        for start in range(len(words) - size + 1):
            run = words[start:start + size]
            if run[0] in _NOT_THINGS or run[-1] in _NOT_THINGS:
                continue
            senses = book.synsets(book.senses(" ".join(run), "n"))
            if not senses or not senses[0].instance:
                continue
            places = [s for s in senses if s.instance and s.lexname == LOCATION]
            if len(places) > 1:
                return None
            return senses[0]
    return None


def asks_which_kind(question: str) -> tuple[str, bool] | None:
    """(the kind asked for, whether the question ends in where the thing is: "in", "from" …)
    for "which continent is Kenya in", "what gas do plants take in"; None otherwise."""
    text = re.sub(r"[?!.,]", "", question.lower().replace("\u2019", "'")).strip()
    text = re.sub(r"^(?:(?:hey |ok )?nimbus )", "", text)
    match = _WHICH.match(text)
    if match is None:
        return None
    kind = (match.group("kind") or match.group("kind2") or match.group("kind3")
            or match.group("kind4") or match.group("kind5"))
    if kind in _NOT_KINDS:
        return None
    if match.group("kind2"):  # "which river runs through London": on London's definition
        return kind.removesuffix("s"), True
    return kind, kind in _PLACES and bool(re.search(r" (?:in|on|from|part of)$", text))


def answer_by_kind(question: str, book: Glossary) -> ReferenceAnswer | None:
    """"Kenya: a republic in eastern Africa." for "which continent is Kenya in", or None."""
    which = asks_which_kind(question)
    if which is None or not which[1]:
        return None
    kind = which[0]
    text = re.sub(r"[?!.,]", "", question.lower().replace("\u2019", "'")).strip()
    match = _WHICH.match(re.sub(r"^(?:(?:hey |ok )?nimbus )", "", text))
    assert match is not None  # asks_which_kind matched it
    thing = _named(tokens(match.group("rest") or match.group("rest2")), book)
    if thing is None or not book.senses(kind, "n"):
        return None
    clauses = [c for index, c in enumerate(thing.gloss.split(";")) if c.strip() and (
        index == 0 or _WHERE.match(c))]  # the defining clause, and where it is
    found: dict[str, tuple[int, int]] = {}  # synset id -> (clause, token index)
    for index, clause in enumerate(clauses):
        spans = list(_WORD.finditer(clause))
        said = tokens(clause)
        for at in range(len(said)):
            for size in (3, 2, 1):
                run = said[at:at + size]
                if len(run) < size or not spans[at].group(0)[:1].isupper():
                    continue  # a named place or language is written with a capital
                senses = book.synsets(book.senses(" ".join(run), "n")[:1])
                if senses and senses[0].id != thing.id and is_a(senses[0], kind, book):
                    found.setdefault(senses[0].id, (index, at + size - 1))
                    break
    if len(found) != 1:
        return None  # none, or two ("between France and Spain"): not one answer
    (answer_id, (index, last)), = found.items()
    clause = clauses[index].strip()
    ends = [m.end() for m in _WORD.finditer(clause)]
    # up to the answer: "London: located on the Thames", not "… in southeastern England"
    spoken = clause[:ends[last]] if last < len(ends) else trimmed(clause, last, "any")
    return ReferenceAnswer(text=sentence(thing, [spoken]), synset=thing,
                           matched=(kind, display_name(book.synsets([answer_id])[0])))


def kind_of_named(question: str, book: Glossary) -> ReferenceAnswer | bool | None:
    """"What fruit are raisins?" read off the raisin's own definition ("dried grape"; a grape
    is a fruit): the answer, or False when the question names one thing whose definition names
    no such kind (then no other definition is read: "currant: small dried seedless raisin" says
    what a currant is, not what a raisin is), or None when it names no one thing."""
    which = asks_which_kind(question)
    text = re.sub(r"[?!.,]", "", question.lower().replace("\u2019", "'")).strip()
    match = _WHICH.match(re.sub(r"^(?:(?:hey |ok )?nimbus )", "", text))
    if which is None or match is None or which[1]:
        return None
    used: str = match.group("rest4") or match.group("rest5") or ""
    named: str = match.group("rest") or match.group("rest3") or used
    if not named:
        return None
    rest = re.sub(r"^(?:an?|the) ", "", named)
    if rest.split()[-1].endswith("est") or (not book.senses(rest, "n") and not any(
            book.senses(base, "n") for base in book.bases(rest) if base != rest)):
        return None  # "which ocean is the largest": no thing is named
    senses = [s for word in (rest, *sorted(book.bases(rest))) if " " not in rest or word == rest
              for s in book.synsets(book.senses(word, "n")[:1 if not used else 3])]
    if used:  # a thing used in a game is equipment; where one is played, a place or building
        wanted = (_ARTIFACT,) if match.group("rest4") else (_ARTIFACT, LOCATION)
        senses = [s for s in senses if s.lexname in wanted][:1]  # not the "baseball club"
    if not senses:
        return None
    thing = senses[0]
    clause = thing.gloss.split(";")[0]
    said = tokens(clause)
    if used:  # "what sport do you use a shuttlecock in": one sport named, or no answer
        return _the_one_of_kind(thing, clause, which[0], book)
    for at, said_word in enumerate(said):
        word = said_word if book.senses(said_word, "n") else max(
            (b for b in book.bases(said_word) if book.senses(b, "n")), key=len,
            default=said_word)  # "bees" is "bee" (not "be", beryllium)
        for sense in book.synsets(book.senses(word, "n")[:3]):  # a plum: the tree, the fruit
            if sense.id != thing.id and is_a(sense, which[0], book):
                spoken = trimmed(clause, at, "any")  # to the phrase's end: "almond paste",
                if not spoken or word not in tokens(spoken):  # "(of grapes" closed or cut
                    spoken = clause[:[m.end() for m in _WORD.finditer(clause)][at]].strip()
                    spoken = spoken if spoken.count("(") == spoken.count(")") else clause
                return ReferenceAnswer(text=sentence(thing, [spoken]), synset=thing,
                                       matched=(which[0], word))
    return False


_WHERE_FROM: Final = re.compile(
    r"^where (?:do|does|did) (?:the |an? )?(?P<thing>[a-z' -]+?) "
    r"(?P<verb>live|come from|grow|originate|nest|breed|grow wild)$")
_LIVING: Final = {"live": (5, 18), "nest": (5,), "breed": (5,), "grow": (13, 20),
                  "grow wild": (20,)}
"""What lives is an animal (or people), what grows a plant or a food: the sense asked about."""


def where_from(question: str, book: Glossary) -> ReferenceAnswer | None:
    """"Where do polar bears live?" read off the animal's own definition, when it names the
    places ("white bear of Arctic regions"): the clause up to the last named place, or None
    (a definition that names none says nothing about where)."""
    text = re.sub(r"[?!.,]", "", question.lower().replace("\u2019", "'")).strip()
    match = _WHERE_FROM.match(re.sub(r"^(?:(?:hey |ok )?nimbus )", "", text))
    if match is None:
        return None
    thing_words = match.group("thing")
    spellings = [thing_words, *sorted(b for b in book.bases(thing_words) if b != thing_words)]
    senses = next((found for spelling in spellings
                   if (found := book.synsets(book.senses(spelling, "n")[:3]))), [])
    verb = match.group("verb")
    if verb in _LIVING:  # "where do kiwis live": the bird, not the vine WordNet lists first
        senses = [s for s in senses if s.lexname in _LIVING[verb]][:1]
    if not senses or senses[0].instance:
        return None  # "where does Paris come from": a place's own origin is not a place in it
    thing = senses[0]
    called = next((w for w in thing.words if w.lower() in spellings), None)
    if called is not None:  # "Polar bear: …", not its first name "ice bear"
        thing = replace(thing, words=(called, *(w for w in thing.words if w != called)))
    clause = thing.gloss.split(";")[0]
    spans = list(_WORD.finditer(clause))
    said = tokens(clause)
    capital = [span.group(0)[:1].isupper() for span in spans]
    last, at = -1, 0
    while at < len(said):
        if not capital[at]:
            at += 1
            continue
        size = 1  # the whole run of capitalised words: "South American" is not "South"
        while at + size < len(said) and capital[at + size]:
            size += 1
        place = book.synsets(book.senses(" ".join(said[at:at + size]), "n")[:1])
        if place and place[0].instance and place[0].lexname in (LOCATION, OBJECT):
            last = at + size - 1  # a continent is a natural object to WordNet
        at += size
    if last < 0:
        return None
    spoken = trimmed(clause, last, "any")  # on to the phrase's end: "of Arctic regions"
    return ReferenceAnswer(text=sentence(thing, [spoken]), synset=thing,
                           matched=(thing_words, said[last]))


def _the_one_of_kind(thing: Synset, clause: str, kind: str, book: Glossary
                     ) -> ReferenceAnswer | bool:
    """The clause up to the one thing of ``kind`` it names ("Shuttlecock: badminton
    equipment"), or False when it names none or several: what a thing is used in or where it
    is played is read only when its definition leaves one answer."""
    found: dict[str, int] = {}
    for at, word in enumerate(tokens(clause)):
        noun = word if book.senses(word, "n") else max(
            (b for b in book.bases(word) if book.senses(b, "n")), key=len, default=word)
        for sense in book.synsets(book.senses(noun, "n")[:2]):
            if sense.id != thing.id and is_a(sense, kind, book):
                found.setdefault(sense.id, at)
                break
    if len(found) != 1:
        return False
    (answer_id, at), = found.items()
    spoken = trimmed(clause, at, "any")
    if tokens(clause)[at] not in tokens(spoken):  # "(boxing) equipment …": an aside, kept
        spoken = clause.strip()
    return ReferenceAnswer(text=sentence(thing, [spoken]), synset=thing,
                           matched=(kind, display_name(book.synsets([answer_id])[0])))


_WHICH_LAST: Final = re.compile(
    r"^(?P<rest>[a-z' ]+?) (?:(?P<come>comes?) from|(?P<be>is|are|was|were) (?:(?P<capital>the "
    r"capital(?: city)? of)|(?P<prep>in|on|from)))"
    r" (?:which|what) (?P<kind>[a-z]+)$")


def fronted(question: str) -> str:
    """"Acorns come from which tree?" said as "which tree do acorns come from", "Kenya is in
    which continent" as "which continent is kenya in": the question word where the readers
    look for it; any other question unchanged."""
    text = re.sub(r"[?!.,]", "", question.lower().replace("\u2019", "'")).strip()
    match = _WHICH_LAST.match(re.sub(r"^(?:(?:hey |ok )?nimbus )", "", text))
    if match is None:
        return question
    rest, kind = match.group("rest"), match.group("kind")
    if match.group("come"):
        verb = "does" if match.group("come") == "comes" else "do"
        return f"which {kind} {verb} {rest} come from"
    # "Kathmandu is the capital of which country": the country it is in
    return f"which {kind} {match.group('be')} {rest} {match.group('prep') or 'in'}"


_ORDINAL_NAMES: Final = str.split("first second third fourth fifth sixth seventh eighth ninth "
                                  "tenth eleventh twelfth thirteenth fourteenth fifteenth "
                                  "sixteenth")
_ROMAN: Final = str.split("i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi")
_REGNAL: Final = re.compile(
    r"\b(?P<name>henry|edward|george|william|richard|james|charles|elizabeth|mary|louis|john|"
    r"philip|peter|alexander|frederick|ivan|nicholas|catherine|pius|leo|gregory|benedict|"
    r"innocent|clement|urban|boniface|paul|david|robert|malcolm|alfonso|ferdinand) the "
    rf"(?P<nth>{'|'.join(_ORDINAL_NAMES)})\b", re.IGNORECASE)


def regnal(question: str) -> str:
    """"Henry the eighth" written as WordNet writes him, "Henry VIII"."""
    return _REGNAL.sub(lambda m: f"{m.group('name')} "
                                 f"{_ROMAN[_ORDINAL_NAMES.index(m.group('nth').lower())]}",
                       question)


_KIND_IN: Final = re.compile(
    r"^(?:what|which)(?: is|'s| are)? (?:the )?(?P<main>(?:main|chief|key|principal|base) )?"
    r"(?P<kind>[a-z]+) (?:is |are )?(?:in|used in|goes in|go into|goes into|go in) "
    r"(?:a |an |the )?(?P<thing>[a-z' -]+?)$")


def kind_in(question: str, book: Glossary) -> ReferenceAnswer | None:
    """"What's the main herb in pesto": the thing's own definition names one thing of that kind
    ("contains crushed basil leaves and garlic …": basil is a herb, and nothing else there is).
    A word counts as of the kind when any of its three commonest senses is; the one said must
    be in its commonest."""
    text = re.sub(r"[?!.,]", "", question.lower().replace("\u2019", "'")).strip()
    match = _KIND_IN.match(text)
    if match is None or not book.senses(match.group("kind"), "n"):
        return None
    kind, thing_word = match.group("kind"), match.group("thing").strip()
    things = [s for s in book.synsets(book.senses(thing_word, "n")[:1]) if not s.instance]
    if not things:
        return None
    thing = things[0]
    # an aside says what stands out, not what it is made of: "gases (especially oxygen)"
    clauses = [c.strip() for c in re.sub(r"\s*\([^()]*\)", "", thing.gloss).split(";")
               if c.strip()]
    found: list[tuple[str, int]] = []  # (the word, its clause)
    for index, clause in enumerate(clauses):
        said = tokens(clause)
        at = 0
        while at < len(said):
            for size in (2, 1):
                run = " ".join(said[at:at + size])
                last = run.split()[-1]  # "mixed drink" is no drink in a cocktail
                if len(run.split()) == size and run != thing_word and kind not in (
                        book.bases(last) | {last}) and any(
                        is_a(sense, kind, book)
                        for sense in book.synsets(book.senses(run, "n")[:3])):
                    found.append((run, index))
                    at += size - 1
                    break
            at += 1
    names = list(dict.fromkeys(word for word, _ in found))
    if len(names) != 1:
        return None  # none, or several: which is the main one no definition says
    first = book.synsets(book.senses(names[0], "n")[:1])
    if not first or not is_a(first[0], kind, book):
        return None  # of the kind only in a rarer sense: "type" is a metal block for printing
    clause = clauses[found[0][1]]
    return ReferenceAnswer(text=sentence(thing, [clause]), synset=thing, matched=(kind, names[0]))
