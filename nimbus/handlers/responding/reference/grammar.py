"""Questions about words themselves: a plural, a past tense, an opposite. Pure over WordNet.

"What's the plural of mouse?", "what's the past tense of swim?", "what's the opposite of hot?"
are answered from WordNet's own lists: its exception lists for irregular forms ("mice mouse",
"swam swim", "swum swim") and its antonym pointers ("hot" <-> "cold"). A word question the
lists cannot answer is declined, never looked up as a definition: "the opposite of ancient"
once found "boustrophedon: an ancient writing system … in opposite directions".

- Plural: the irregular plural WordNet lists; when the regular one is in use too (it occurs in
  WordNet's own definitions: "brothers" beside "brethren") both are said. A noun without an
  irregular plural is declined (the rule would say "sheeps").
- Past tense: the irregular forms, with the past participle told apart (it ends in -n/-ne,
  "written", "gone", or is the u of an i-a-u verb, "swum"); a verb without them takes the
  regular -ed when its spelling leaves no doubt (not a verb ending in t or d: "put", "set").
- Opposite: a direct antonym of the word in its most frequent senses; none (only a similar
  word's opposite) is declined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Protocol

from nimbus.handlers.responding.reference.asked import plain_question
from nimbus.handlers.responding.reference.lookup import STOP, Glossary, ReferenceAnswer
from nimbus.handlers.responding.reference.wordnet import Synset

__all__ = ["Undecided", "WordBook", "answer_about_word"]

_WORD_Q: Final = re.compile(
    r"^(?:what(?:'s| is| are)|tell me|do you know|how do you (?:say|write)) (?:the |an? )?"
    r"(?P<what>plural|plural form|past tense|past participle|simple past|opposite|antonym|"
    r"synonym|another word|other word|rhyme|word that rhymes) (?:of|for|to|with) "
    r"(?:the word |the verb |the noun |an? )?(?P<word>[a-z][a-z'-]*)$"
    r"|^how do you say (?P<phrase>.+) in (?P<language>[a-z]+)$"
    r"|^what (?:rhymes|is a rhyme) with (?P<rhymed>[a-z]+)$"
    r"|^what(?:'s| is) (?:the |an? )?(?P<namekind>proper|medical|scientific|technical|real|correct|"
    r"official|other|posh|fancy|latin|formal) (?:name|word|term) (?:for|of) "
    r"(?:the |an? |your |our )?(?P<named>[a-z][a-z' -]*?)(?: called)?$"
    r"|^what (?:does|do|did) (?:the letters )?(?P<short>[a-z][a-z.]{1,9}) stand for"
    r"(?: in [a-z ]+)?$")
_PRESENT: Final = frozenset({"am", "is", "are", "has", "does", "goes"})
_VOWELS: Final = set("aeiou")


class WordBook(Glossary, Protocol):
    """The look-ups word questions need besides the definitions (``WordNet`` has them)."""

    def irregular_forms(self, word: str, pos: str) -> set[str]: ...
    def in_definitions(self, word: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class Undecided:
    """A word question the lists cannot answer: declined, not looked up as a definition."""

    why: str


def answer_about_word(question: str, book: WordBook) -> ReferenceAnswer | Undecided | None:
    """The answer to a word question, ``Undecided`` for one it cannot answer, None for any
    other question."""
    asked = _WORD_Q.match(plain_question(question))
    if asked is None:
        return None
    what, word = asked.group("what") or "", (asked.group("word") or "").strip("'")
    if asked.group("short"):  # "what does ATM stand for": the words it is short for
        if asked.group("short") in STOP:
            return Undecided("a pronoun, not an abbreviation")  # "what does it stand for"
        return _spelled_out(asked.group("short").replace(".", ""), book) or Undecided(
            "no words listed that it is short for")
    if asked.group("named"):  # "the proper name for the kneecap": its other names
        return _other_names(asked.group("named").strip(), book, scientific=asked.group(
            "namekind") in ("scientific", "latin")) or Undecided(
            "no other name listed")
    if what.startswith("plural"):
        return _plural(word, book) or Undecided("no irregular plural listed")
    if what in ("past tense", "simple past", "past participle"):
        return _past(word, book, participle=what == "past participle") or Undecided(
            "no past form listed, and the rule is not sure")
    if what in ("opposite", "antonym"):
        return _opposite(word, book) or Undecided("no direct antonym listed")
    return Undecided("translations, synonyms and rhymes are not in the book")


def _first(word: str, pos: str, book: Glossary) -> Synset | None:
    senses = book.synsets(book.senses(word, pos)[:1])
    return senses[0] if senses else None


def _regular_plural(word: str) -> str:
    if re.search(r"(?:s|x|z|ch|sh)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + "s"


def _plural(word: str, book: WordBook) -> ReferenceAnswer | None:
    synset = _first(word, "n", book)
    forms = sorted(form for form in book.irregular_forms(word, "n") if form != word)
    if synset is None or not forms:
        return None
    regular = _regular_plural(word)
    if regular not in forms and book.in_definitions(regular):
        forms.insert(0, regular)  # "brothers" and "brethren" are both in use
    said = " or ".join(forms)
    return ReferenceAnswer(f"The plural of {word} is {said}.", synset, (word, *forms))


def _is_participle(form: str, forms: set[str]) -> bool:
    if re.search(r"(?:n|ne)$", form):
        return True
    return "u" in form and form.replace("u", "a") in forms  # swim: swam, swum


def _regular_past(word: str) -> str | None:
    if re.search(r"[td]$", word) or len(word) < 3:
        return None  # "put", "set", "cut", "hit": the same form; "visit": not sure
    if word.endswith("e"):
        return word + "d"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ied"
    syllables = len(re.findall(r"[aeiouy]+", word))
    if re.search(r"[^aeiou][aeiou][^aeiouwxy]$", word):
        return word + word[-1] + "ed" if syllables == 1 else None  # "stop"; "travel": unsure
    return word + "ed"


def _past(word: str, book: WordBook, *, participle: bool) -> ReferenceAnswer | None:
    synset = _first(word, "v", book)
    if synset is None:
        return None
    forms = {form for form in book.irregular_forms(word, "v")
             if not form.endswith("ing") and form not in _PRESENT and form != word}
    if word == "be":
        text = ("The past participle of be is been." if participle else
                "The past tense of be is was (I, he, she, it) or were (you, we, they).")
        return ReferenceAnswer(text, synset, ("be",))
    participles = sorted(f for f in forms if _is_participle(f, forms))
    pasts = sorted(f for f in forms if f not in participles)
    if not forms:
        regular = _regular_past(word)
        if regular is None:
            return None
        pasts = participles = [regular]
    if participle:
        said = participles or pasts  # "ran" is listed; "run" (the same as the verb) is not
        if not participles and pasts:
            return None
        return ReferenceAnswer(f"The past participle of {word} is {' or '.join(said)}.",
                               synset, (word, *said))
    if not pasts or len(pasts) > 2:
        return None
    text = f"The past tense of {word} is {' or '.join(pasts)}"
    if len(participles) == 1 and participles != pasts:
        text += f"; its past participle is {participles[0]}"
    return ReferenceAnswer(text + ".", synset, (word, *pasts))


def _opposite(word: str, book: WordBook) -> ReferenceAnswer | None:
    found: list[str] = []
    first: Synset | None = None
    for pos in ("a", "v", "r", "n"):
        for synset in book.synsets(book.senses(word, pos)[:3]):
            own = [i + 1 for i, w in enumerate(synset.words) if w.lower() == word]
            for pointer in synset.antonyms:
                source, target, number = pointer.split(":")
                if int(source) not in own:
                    continue
                other = book.synsets([target])
                if other and int(number) <= len(other[0].words):
                    opposite = other[0].words[int(number) - 1].lower()
                    if opposite not in found:
                        found.append(opposite)
                        first = first or synset
        if found:
            break
    if first is None or not found:
        return None
    text = f"The opposite of {word} is {found[0]}"
    if len(found) > 1:
        text += f", or {found[1]} in another sense"
    return ReferenceAnswer(text + ".", first, (word, *found[:2]))


def _other_names(thing: str, book: WordBook, *, scientific: bool = False) -> ReferenceAnswer | None:
    """"Another name for kneecap is patella or kneepan.": the other words of the thing's
    commonest sense (WordNet lists them commonest first), never another sense's; for "the
    scientific name" the Latin one first ("Ursus maritimus")."""
    synset = next((found for spelling in (thing, thing.replace(" ", ""), thing.replace(" ", "-"))
                   if (found := _first(spelling, "n", book)) is not None), None)
    if synset is None:
        return None
    plain = {thing.lower(), thing.lower().replace(" ", ""), thing.lower().replace(" ", "-")}
    others = [w for w in synset.words if w.lower() not in plain]
    if scientific:  # a binomial: "Ursus Maritimus", "Thalarctos maritimus"
        others.sort(key=lambda w: not re.fullmatch(r"[A-Z][a-z]+ [A-Za-z]+", w))
    if not others:
        return None
    said = others[:3]
    listed = said[0] if len(said) == 1 else f"{', '.join(said[:-1])} or {said[-1]}"
    return ReferenceAnswer(f"Another name for {thing} is {listed.rstrip('.')}.", synset,
                           (thing, *said))


def _spelled_out(short: str, book: WordBook) -> ReferenceAnswer | None:
    """"ATM stands for automated teller machine.": another word of the abbreviation's own
    sense whose letters it is made of, in order, starting with its first ("deoxyribonucleic
    acid" for DNA); none, or two senses that spell it out differently, and nothing is said."""
    found: dict[str, Synset] = {}
    for synset in book.synsets(book.senses(short, "n")[:3]):
        if not any(w.lower() == short and w.isupper() for w in synset.words):
            continue  # "pin" the fastener is no abbreviation; "PIN" is
        for words in synset.words:
            letters = iter(words.lower())
            if " " in words and words[0].lower() == short[0] and all(
                    c in letters for c in short):
                found.setdefault(words, synset)  # as WordNet writes it: "United Kingdom"
                break
    if len(found) != 1:
        return None
    (words, synset), = found.items()
    return ReferenceAnswer(f"{short.upper()} stands for {words}.", synset, (short, words))
