"""Questions read off one part of one definition: a young animal's name, what a food is made
of, when a war lasted or a person was born. Pure.

- "What do you call a baby cow?" finds the definition "calf: young of domestic cattle" (the
  cow's own synonyms are searched, so "cattle" counts): a definition that is only "(a) young
  <animal>" or "young of <animal>", nothing narrowing it ("a young female horse under four" is
  a filly, not the name of every young horse).
- "What is guacamole made of?" reads the thing's first definition for "made of/from …".
- "When did the First World War start?", "when was Dickens born": the years in brackets at the
  end of an event's or a person's definition, "(1914-1918)", "(1812-1870)"; an uncertain year
  ("1564?") is not read.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Final

from nimbus.handlers.responding.reference.asked import plain_question
from nimbus.handlers.responding.reference.kinds import is_a
from nimbus.handlers.responding.reference.lookup import (
    PERSON,
    Glossary,
    ReferenceAnswer,
    display_name,
    sentence,
)
from nimbus.handlers.responding.reference.wordnet import Synset, tokens

__all__ = ["answer_by_form"]

ANIMAL: Final = 5
"""WordNet's lexicographer file noun.animal."""
EVENT_FILES: Final = frozenset((4, 11))
"""noun.act and noun.event: wars, battles, revolutions."""
_YOUNG_Q: Final = re.compile(
    r"^(?:what(?: is|'s| are)?(?: the name (?:for|of))?(?: do you call| do we call| do they call"
    r"| is the word for| 's the word for)? (?:an? |the )?(?:baby|young|newborn) "
    r"(?P<animal>[a-z ]+?)"
    r"(?: called| known as)?)$")
_YOUNG_GLOSS: Final = re.compile(
    r"^(?:an? |the )?young (?P<of>of )?(?:domestic |any of various |various |certain |the )?"
    r"(?P<what>[a-z -]+?)$")
_MADE_Q: Final = re.compile(
    r"^what(?P<verb> is|'s| are| were) (?:an? |the )?(?P<thing>[a-z' -]+?) (?:made|make) "
    r"(?:of|from|out of|with)$"
    r"|^what (?:is|are) (?P<thing2>[a-z' -]+?) made (?:of|from|out of|with)$")
_MADE_GLOSS: Final = re.compile(r"\bmade (?:of|from|with) [^;]+")
_WHEN_Q: Final = re.compile(
    r"^(?:when|what year|which year|in what year|in which year) (?:did|was|were|does) "
    r"(?:the )?(?P<thing>[a-z0-9' -]+?) (?P<verb>start|begin|begun|break out|end|finish|stop|"
    r"born|die|pass away|happen|take place|occur)$"
    r"|^(?:when|what year|which year|in what year|in which year) (?:was|were) "
    r"(?P<thing2>(?:the )?(?:battle|siege|great fire|fire|treaty) [a-z0-9' -]+?)$")
_SPAN: Final = re.compile(r"\((?:born in )?(?P<start>\d{3,4})-(?P<end>\d{3,4})?\)\s*$")
_EVENT_SPAN: Final = re.compile(
    r"(?:\(|; |\bfrom )(?P<start>\d{3,4})(?:-| to )(?P<end>\d{3,4})\)?\s*$")
_YEAR: Final = re.compile(r"(?<![\d-])\d{3,4}(?![\d-])")
_SYMBOL_Q: Final = re.compile(
    r"^what(?: is|'s) (?:the )?(?:chemical |element |periodic table )?symbol (?:for|of) "
    r"(?P<element>[a-z ]+?)$"
    r"|^what(?: is|'s) (?P<element2>[a-z ]+?)'s (?:chemical )?symbol$")
_ATOMIC_Q: Final = re.compile(r"^what(?: is|'s) (?:the )?atomic number (?:of|for) "
                              r"(?P<element>[a-z ]+?)$")
_SPELL_Q: Final = re.compile(
    r"^(?:how (?:do|does|would|should|can) (?:you|i|one|we|they) spell|can you spell|spell|"
    r"what(?:'s| is) the spelling (?:of|for)|how (?:is|do you write)) (?:the word )?"
    r"(?P<word>[a-z][a-z'-]*)(?: spelt| spelled| spelt out)?$")
_DOES_Q: Final = re.compile(
    r"^what (?:does|do) (?:an? |the |your |our )?(?P<thing>[a-z' -]+?) (?P<verb>do|measure|"
    r"detect|record|show|control|produce|make|secrete|store|pump|carry|filter|hold|eat|live on)"
    r"(?: for you| in (?:the|your|our) body)?$")
""""What does a thermometer measure", "what does the pancreas do": the thing's own definition,
which says it ("measuring instrument for measuring temperature"); for any verb but "do" only
when the definition says that verb."""
_EXAMPLE: Final = re.compile(r'\s*"[^"]*"')
_SAID_AS: Final = {"eat": ("eat", "feed"), "live on": ("eat", "feed")}
"""A definition says what an animal eats as "feeds on eucalyptus leaves"."""
_DOERS: Final = frozenset((6, 8))
"""noun.artifact, noun.body: things made or grown to do something ("what does the heart do"); a
person only when the word has no other sense (a dentist; not "the president" of a firm, nor
"the queen" of a bee colony, for what a head of state does)."""
_NUMERALS: Final = {"one": "i", "two": "ii", "1": "i", "2": "ii", "i": "i", "ii": "ii"}


def answer_by_form(question: str, book: Glossary) -> ReferenceAnswer | None:
    """The answer to a young-animal, made-of or when-did question, or None."""
    text = plain_question(question)
    if (match := _YOUNG_Q.match(text)) is not None:
        return _young(match.group("animal"), book)
    if (match := _MADE_Q.match(text)) is not None:
        plural = (match.group("verb") or "").strip() in ("are", "were") or text.startswith(
            "what are")
        return _made_of(match.group("thing") or match.group("thing2"), book, plural=plural)
    if (match := _SYMBOL_Q.match(text) or _ATOMIC_Q.match(text)) is not None:
        element = match.group("element") or match.groupdict().get("element2") or ""
        return _element(element, atomic=text.startswith(("what is the atomic",
                                                         "what's the atomic")), book=book)
    if (match := _SPELL_Q.match(text)) is not None:
        return _spelled(match.group("word"), book)
    if (match := _WHEN_Q.match(text)) is not None:
        thing = match.group("thing") or re.sub(r"^the ", "", match.group("thing2"))
        return _when(thing, match.group("verb") or "happen", book)
    if (match := _DOES_Q.match(text)) is not None:
        return _what_it_does(match.group("thing"), match.group("verb"), book)
    return None


def _what_it_does(thing: str, verb: str, book: Glossary) -> ReferenceAnswer | None:
    """"Thermometer: measuring instrument for measuring temperature.", or None. For "do", the
    first sense that is a thing that does something (a body part, an artifact, a person, an
    animal or a plant: the heart's organ, not its "locus of feelings"); for another verb, the
    first of the commonest senses whose definition says that verb."""
    senses = next((listed for word in (thing, *sorted(book.bases(thing)))
                   if (listed := book.synsets(book.senses(word, "n")[:3]))), [])
    # the word's own senses first: "plumber" is not "plumb" (the bob of a plumb line)
    stems = _SAID_AS.get(verb, (verb,))  # "measuring" is "measure"; "eater" is not "eat"
    asked = {thing, *book.bases(thing)}
    for found in senses:
        if found.instance:
            continue  # "what does Paris do": a named place or person does no one thing
        called = [w for w in found.words if w.lower() in asked or w.lower().endswith(
            tuple(" " + a for a in asked))]  # "scaly anteater" for "anteaters", not "pangolin"
        sense = found if not called or called[0] == found.words[0] else replace(
            found, words=(called[0], *(w for w in found.words if w != called[0])))
        clauses = [c.strip() for c in _EXAMPLE.sub("", sense.gloss).split(";") if c.strip()]
        if verb == "do":
            if sense.lexname in _DOERS or (sense.lexname == PERSON and len(senses) == 1):
                return ReferenceAnswer(text=sentence(sense, clauses[:3]), synset=sense,
                                       matched=(thing, verb))
            continue
        said = [i for i, c in enumerate(clauses)
                if any(t in stems or book.bases(t) & set(stems) for t in tokens(c))]
        if said:  # "measuring instrument for measuring temperature"; only the clause that
            # says it ("Koala: feeds on eucalyptus leaves and bark.", not where koalas live)
            return ReferenceAnswer(text=sentence(sense, clauses[said[0]:said[0] + 1]),
                                   synset=sense, matched=(thing, verb))
    return None  # "what does a cat eat": its definitions do not say


def _first_sense(words: str, book: Glossary, files: frozenset[int] | None = None,
                 ) -> Synset | None:
    for candidate in (words, *sorted(book.bases(words) if " " not in words else ())):
        senses = book.synsets(book.senses(candidate, "n"))
        if files is not None:
            senses = [s for s in senses if s.lexname in files]
        if senses:
            return senses[0]
    return None


def _young(animal: str, book: Glossary) -> ReferenceAnswer | None:
    sense = _first_sense(animal, book, frozenset((ANIMAL,)))
    if sense is None:
        return None
    names = {w.lower() for w in sense.words} | {animal}
    for parent in book.synsets(sense.hypernyms):  # a cow is a kind of cattle: "young of cattle"
        names |= {w.lower() for w in parent.words}
    for word in list(names):
        names |= book.bases(word)
    found: list[tuple[int, Synset]] = []
    for candidate in book.synsets(book.search(["young", *sorted(tokens(animal))], limit=80)):
        clause = candidate.gloss.split(";")[0].strip()
        match = _YOUNG_GLOSS.match(clause)
        if match is None or candidate.lexname != ANIMAL:
            continue
        said = match.group("what")
        if said in names or any(b in names for b in book.bases(said)):
            found.append((0 if match.group("of") else 1, candidate))
    if not found:
        return None
    best = min(rank for rank, _ in found)
    chosen = [s for rank, s in found if rank == best]
    if len({s.words[0].lower() for s in chosen}) != 1:
        return None  # two names, equally plain: which one is meant is not known
    name = chosen[0].words[0]
    article = "an" if animal[:1] in "aeiou" else "a"
    return ReferenceAnswer(text=f"A baby {animal} is called {_a(name)} {name}.",
                           synset=chosen[0], matched=("young", animal, article))


def _a(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _made_of(thing: str, book: Glossary, *, plural: bool) -> ReferenceAnswer | None:
    sense = _first_sense(thing, book)
    if sense is None:
        return None
    clause = sense.gloss.split(";")[0]
    made = _MADE_GLOSS.search(clause)
    if made is None:
        return None
    name = thing if thing in (w.lower() for w in sense.words) else display_name(sense)
    subject = name if name[:1].isupper() else name.capitalize()
    verb = "are" if plural else "is"
    return ReferenceAnswer(text=f"{subject} {verb} {made.group(0).strip()}.", synset=sense,
                           matched=(thing, "made"))


def _event_words(thing: str) -> list[str]:
    """"world war two" as WordNet names it ("world war ii"), and the words as said."""
    words = thing.split()
    if len(words) > 1 and words[-1] in _NUMERALS:
        return [" ".join([*words[:-1], _NUMERALS[words[-1]]]), thing]
    return [thing]


def _when(thing: str, verb: str, book: Glossary) -> ReferenceAnswer | None:
    person = verb in ("born", "die", "pass away")
    sense = None
    for words in _event_words(thing):
        files = frozenset((PERSON,)) if person else EVENT_FILES
        sense = _first_sense(words, book, files)
        if sense is not None:
            break
    if sense is None:
        return None
    name = display_name(sense)
    span = _SPAN.search(sense.gloss) if person else _EVENT_SPAN.search(sense.gloss)
    if span is not None:
        start, end = span.group("start"), span.group("end")
    elif not person and len(years := set(_YEAR.findall(sense.gloss))) == 1:
        start = end = years.pop()  # "the battle of Hastings … (1066)": its one year
    else:
        return None
    if person:
        if verb == "born":
            return ReferenceAnswer(text=f"{name} was born in {start}.", synset=sense,
                                   matched=(thing, start))
        if end is None:
            return None  # alive when the book was written: no year to give
        return ReferenceAnswer(text=f"{name} died in {end}.", synset=sense,
                               matched=(thing, end))
    if end is None:
        return None
    said = {"start": "began", "begin": "began", "begun": "began", "break out": "began"}
    year = start if verb in said else end
    if not re.search(r"\b(?:I|II|III|IV|[0-9]+)$", name):  # "World War I", but "the French
        name = f"the {name}"  # Revolution"
    if start != end and verb in ("happen", "take place", "occur"):
        return ReferenceAnswer(text=f"{name[:1].upper()}{name[1:]} lasted from {start} to "
                                    f"{end}.", synset=sense, matched=(thing, start, end))
    if start == end:
        named = next((w for w in sense.words if w.lower() == thing.lower()), name)
        return ReferenceAnswer(text=f"The {named} was in {start}." if named.lower().startswith(
            ("battle", "siege", "war", "fire", "great")) else f"{named[:1].upper()}{named[1:]} "
            f"was in {start}.", synset=sense, matched=(thing, start))
    return ReferenceAnswer(text=f"{name[:1].upper()}{name[1:]} {said.get(verb, 'ended')} in "
                                f"{year}.", synset=sense, matched=(thing, year))


def _element(element: str, *, atomic: bool, book: Glossary) -> ReferenceAnswer | None:
    """Gold's synset holds its symbol and atomic number among its words ("Au", "atomic
    number 79"): read from there, for a chemical element only."""
    for sense in book.synsets(book.senses(element, "n")):
        if not is_a(sense, "element", book):
            continue
        if atomic:
            numbers = [w.split()[-1] for w in sense.words if w.lower().startswith(
                "atomic number ")]
            if len(numbers) != 1:
                return None
            return ReferenceAnswer(text=f"The atomic number of {element} is {numbers[0]}.",
                                   synset=sense, matched=(element, numbers[0]))
        symbols = [w for w in sense.words if re.fullmatch(r"[A-Z][a-z]?", w)]
        if len(symbols) != 1:
            return None
        return ReferenceAnswer(text=f"The chemical symbol for {element} is {symbols[0]}.",
                               synset=sense, matched=(element, symbols[0]))
    return None


def _spelled(word: str, book: Glossary) -> ReferenceAnswer | None:
    """A word WordNet knows (in any part of speech, or by its base form), spelt out letter by
    letter as the recogniser wrote it: "Necessary: N, E, C, E, S, S, A, R, Y." """
    senses = [s for pos in ("n", "v", "a", "r") for s in book.senses(word, pos)]
    if not senses:
        senses = [s for base in book.bases(word) if base != word
                  for pos in ("n", "v", "a", "r") for s in book.senses(base, pos)]
    if not senses:
        return None  # not a word the book knows: perhaps misheard, so not spelt out
    letters = ", ".join(letter.upper() if letter.isalpha() else "apostrophe" if letter == "'"
                        else "hyphen" for letter in word)
    return ReferenceAnswer(text=f"{word[:1].upper()}{word[1:]} is spelt {letters}.",
                           synset=book.synsets(senses[:1])[0], matched=(word,))
