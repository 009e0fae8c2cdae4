"""Who made a work: read off the work's own definition, which names its maker. Pure.

"Who composed the Messiah?" finds no person whose definition names the Messiah, but the
Messiah's own says "an oratorio composed by Handel in 1742"; "who wrote Frankenstein" finds
"the protagonist in a gothic novel by Mary Wollstonecraft Shelley", and "who wrote Hamlet" "the
hero of William Shakespeare's tragedy". So the work's definitions (every noun sense of its
name) are read for a person named as the maker the question asks about: "written by", "a novel
by", "Shakespeare's tragedy" for "wrote"; "composed by", "an opera by" for "composed"; "painted
by", "a portrait by" for "painted". The person must be a person in WordNet, and every sense
must agree on one: "who painted the Sistine Chapel" reads "built by … Sixtus IV", which says
who built it, not who painted it, so nothing is said.
"""

from __future__ import annotations

import re
from typing import Final

from nimbus.handlers.responding.reference.asked import plain_question
from nimbus.handlers.responding.reference.lookup import (
    PERSON,
    Glossary,
    ReferenceAnswer,
    one_of_a_kind,
    sentence,
)
from nimbus.handlers.responding.reference.wordnet import Synset

__all__ = ["answer_what_they_make", "answer_who_made"]

_WHO_MADE: Final = re.compile(
    r"^who (?P<verb>wrote|write|composed|painted|invented|designed|built|sculpted|created)"
    r"(?: the (?:book|novel|story|play|poem|song|opera|painting|picture|music for|music to))?"
    r" (?P<work>[a-z0-9' .-]+?)$")
_WORKS: Final = {
    "wrote": "novel|novels|play|plays|poem|story|stories|book|tragedy|comedy|romance|satire|fable"
             "|epic|narrative|allegory",
    "composed": "opera|oratorio|symphony|song|hymn|anthem|ballet|cantata|mass|concerto|suite",
    "painted": "painting|portrait|fresco|mural|picture|canvas",
}
_MADE_BY: Final = {
    "wrote": "written|invented|created|composed",  # a poem "composed by"; a character "created"
    "composed": "composed|written",
    "painted": "painted",
    "invented": "invented|devised",
    "designed": "designed",
    "built": "built|constructed",
    "sculpted": "sculpted|carved",
    "created": "created|invented",
}
_NAME: Final = r"(?P<name>(?:[A-Z][\w.'-]*\.?\s?){1,4})"
"""A person's name as a definition writes it: "Handel", "J.R.R. Tolkien", "Mary Wollstonecraft
Shelley"."""


def _agents(gloss: str, verb: str) -> list[tuple[str, int]]:
    """(name, where it ends) of each maker ``gloss`` names for ``verb``."""
    works = _WORKS.get(verb)
    patterns = [rf"\b(?:{_MADE_BY[verb]}) by {_NAME}"]
    if works:
        patterns.append(rf"\b(?:{works})(?: \w+)? by {_NAME}")  # "a gothic novel by …"
        patterns.append(rf"{_NAME}'s (?:\w+ )?(?:{works})\b")  # "William Shakespeare's tragedy"
    found = []
    for pattern in patterns:
        for match in re.finditer(pattern, gloss):
            # up to the name, or to the work after a possessive ("Shakespeare's tragedy")
            end = match.end() if pattern.startswith(_NAME) else match.end("name")
            found.append((match.group("name").strip(), end))
    return found


def _person(name: str, book: Glossary) -> Synset | None:
    words = name.replace(".", ". ").split()
    for start in range(len(words)):  # "Mary Wollstonecraft Shelley", then "Shelley"
        senses = book.synsets(book.senses(" ".join(words[start:]).lower(), "n"))
        people = [s for s in senses if s.lexname == PERSON and s.instance]
        if people:
            return people[0]
    return None


def answer_who_made(question: str, book: Glossary) -> ReferenceAnswer | None:
    """"Messiah: an oratorio composed by Handel." for "who composed the messiah", or None."""
    match = _WHO_MADE.match(plain_question(question))
    if match is None or one_of_a_kind(plain_question(question), book):
        return None
    verb = {"write": "wrote"}.get(match.group("verb"), match.group("verb"))
    work = match.group("work").removeprefix("the ").strip()
    makers: dict[str, tuple[Synset, list[str]]] = {}
    senses = book.synsets(book.senses(work, "n")[:4])
    for synset in senses:
        clauses = [c.strip() for c in synset.gloss.split(";") if c.strip()]
        for index, clause in enumerate(clauses):
            for name, end in _agents(clause, verb):
                person = _person(name, book)
                if person is not None and person.id not in {s.id for s in senses}:
                    # (the monster "created by Frankenstein": the scientist is the work's own
                    # name, not its maker)
                    said = [clause[:end].strip()]
                    if index:  # "invented by J.R.R. Tolkien" says what, after what it is
                        said.insert(0, clauses[0])
                    makers.setdefault(person.id, (synset, said))
    if len(makers) != 1:
        return None  # nobody, or two makers: which one made it is not known
    (person_id, (synset, spoken)), = makers.items()
    return ReferenceAnswer(text=sentence(synset, spoken), synset=synset,
                           matched=(work, person_id))


_WHAT_THEY_MAKE: Final = re.compile(
    r"^what (?P<sound>sound |noise )?(?:do|does) (?:an? |the )?(?P<maker>[a-z]+) "
    r"(?:make|produce|spin)$")
_ANIMAL: Final = 5
"""noun.animal: the makers whose products a definition names ("produced by bees")."""
_SOUNDS: Final = re.compile(r"\b(?:sound|noise|cry|call)\b")


def answer_what_they_make(question: str, book: Glossary) -> ReferenceAnswer | None:
    """"Honey: a sweet yellow liquid produced by bees." for "what do bees make", "Moo: the sound
    made by a cow or bull." for "what sound does a cow make": the definitions that say the
    maker made them ("produced by bees", "spun by spiders"), at most two things, or None."""
    match = _WHAT_THEY_MAKE.match(plain_question(question))
    if match is None:
        return None
    said = match.group("maker")
    makers = {said, *book.bases(said)}
    maker = max((m for m in makers if book.senses(m, "n")), key=len, default=said)
    if not any(s.lexname == _ANIMAL for s in book.synsets(book.senses(maker, "n")[:1])):
        return None  # "what do people make", "what do factories make": no one product
    ids: list[str] = []
    for verb in ("produced", "made", "secreted", "spun"):
        ids += book.search([maker, verb], 40)
    found: dict[str, tuple[Synset, str]] = {}
    for synset in book.synsets(list(dict.fromkeys(ids))):
        first = synset.gloss.split(";")[0].strip()
        if not re.search(rf"\b(?:produced|made|secreted|spun) by (?:\w+ ){{0,2}}"
                         rf"{re.escape(maker)}(?:s|es)?\b", first):
            continue
        if bool(_SOUNDS.search(first)) != bool(match.group("sound")):
            continue  # "what do cows make" is not asking for "moo"
        found.setdefault(synset.words[0].lower(), (synset, first))
    if not found or len(found) > 2:
        return None  # nothing, or many things: no one answer
    answers = list(found.values())
    text = " ".join(sentence(synset, [first]) for synset, first in answers)
    return ReferenceAnswer(text=text, synset=answers[0][0], matched=(maker, *found))
