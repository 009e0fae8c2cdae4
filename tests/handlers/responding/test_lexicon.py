"""The WordNet lexicon (Debian's wordnet-base files, read as they are installed), the measured
answer types and the question/document wordings it lets the evidence ranking meet."""

from __future__ import annotations

from pathlib import Path

from nimbus.daemon.events import SearchHit
from nimbus.handlers.responding.cues import asked_measure, has_measure
from nimbus.handlers.responding.evidence import (
    Candidate,
    EvidenceSentence,
    content_words,
    coverage,
    lexical_overlap,
    names_subject,
    score_sentences,
)
from nimbus.handlers.responding.lexicon import WORDNET_DIR, Lexicon, lexicon
from nimbus.handlers.responding.splitting import split_sentences
from nimbus.handlers.responding.words import terms_said_otherwise


def test_the_wordnet_files_are_installed() -> None:
    assert lexicon().available, f"{WORDNET_DIR}: install wordnet-base (scripts/setup.sh)"


def test_inflections_and_derivations_meet_at_one_root() -> None:
    words = lexicon()
    assert words.roots("renewal") == words.roots("renews") == {"renew"}
    assert words.roots("expiry") == words.roots("expires") == {"expire"}
    assert "expire" in words.roots("expired")  # also the adjective "expired"
    assert words.roots("cancelling") == {"cancel"}
    assert words.roots("children") == {"child"}
    assert "pay" in words.roots("paid")
    assert words.roots("bought") == {"buy"}


def test_synonyms_of_the_usual_sense_only() -> None:
    words = lexicon()
    assert "purchase" in words.synonyms("buy")
    assert "buy" in words.synonyms("purchase")
    assert not words.synonyms("account")  # its first sense is a story: no synonyms at all
    assert "be" not in words.synonyms("cost")  # too light to mean anything
    assert words.is_verb("expire")
    assert words.is_verb("buy")
    assert not words.is_verb("question")


def test_words_sharing_a_sense_are_synonyms_and_kin_words_are_not() -> None:
    words = lexicon()
    assert words.senses("house") & words.senses("home")  # "family, household, house, home"
    assert words.senses("kids") & words.senses("children")
    assert not words.senses("dog") & words.senses("cat")
    assert not words.senses("husband") & words.senses("wife")
    assert not words.senses("monday") & words.senses("tuesday")
    assert words.senses("qwzxv") == frozenset()
    # A question's word said otherwise by a document: its term, as question_terms makes it.
    said = terms_said_otherwise("When does the house insurance run out?",
                                "the home insurance schedule")
    assert frozenset({"house"}) in said
    assert not terms_said_otherwise("When is the dog's booster due?", "cat vaccination card")
    assert not terms_said_otherwise("When are the 17 buses?", "route 17")  # numbers: no senses


def test_without_the_files_words_are_stemmed_lightly(tmp_path: Path) -> None:
    bare = Lexicon(tmp_path)
    assert not bare.available
    assert bare.roots("lemons") == {"lemon"}
    assert bare.synonyms("buy") == frozenset()
    assert bare.senses("house") == frozenset()


def test_question_and_document_wordings_meet() -> None:
    assert lexical_overlap("When does it renew?", "Renewal date: 14 March 2027") == 1.0
    assert lexical_overlap("When did we buy it?", "We purchased it in May.") == 1.0
    assert lexical_overlap("What is the fee for cancelling?", "If you cancel, a fee applies.") \
        == 1.0
    assert "march" in content_words("the water bill in March")


def test_the_asked_measure_picks_the_sentence_in_its_unit() -> None:
    assert asked_measure("What temperature do I bake the cake at?") == "temperature"
    assert asked_measure("How long does the cake bake for?") == "duration"
    assert asked_measure("How high should a nest box be fixed?") == "length"
    assert asked_measure("How much flour goes in?") is None
    assert has_measure("Oven: 180 C (160 C fan), gas mark 4.", "temperature")
    assert has_measure("Bake for 45 to 50 minutes.", "duration")
    assert not has_measure("Visitor vouchers: 30 a year.", "duration")
    hit = SearchHit(path="/w/lemon-drizzle-recipe.rtf", text="")
    candidates = [Candidate("Drizzle: the juice of 1.5 lemons mixed with 85 g icing sugar.", hit),
                  Candidate("Oven: 180 C (160 C fan), gas mark 4.", hit)]
    scored = score_sentences("What temperature do I bake the lemon drizzle cake at?",
                             candidates, None, None)
    assert max(scored, key=lambda s: s.score).text.startswith("Oven")


def test_a_figure_line_is_a_sentence_not_a_heading() -> None:
    assert split_sentences("Delivery and installation 25.00\nTotal 589.00\nPaid by Visa 4821") \
        == ["Delivery and installation 25.00", "Total 589.00", "Paid by Visa 4821"]


def _said(text: str, path: str = "/w/parking-permit-photo.jpg", before: str = "") -> \
        EvidenceSentence:
    return EvidenceSentence(text=text, path=path, page=None, score=1.0, overlap=0.0,
                            before=before)


def test_a_date_answers_when_a_permit_expires_but_not_another_thing() -> None:
    valid = [_said("Valid from 1 April 2027 to 31 March 2028")]
    assert coverage("When does our parking permit expire?", valid) == 1.0
    # The verb stands in only when the question's other words are there.
    assert coverage("When does our fishing licence expire?", valid) < 0.7


def test_a_named_month_needs_a_sentence_about_the_subject() -> None:
    tariff = _said("Tariff: Fixed Saver 12, ending on 30 September 2026.", "/w/energy-bills.pdf")
    assert not names_subject("What was our electricity cost in September?", tariff)
    row = _said("Month March: Electricity 79.30, Gas 84.90, Water 38.20.",
                "/w/household-budget.xlsx")
    assert names_subject("What was our water bill in March?", row)
