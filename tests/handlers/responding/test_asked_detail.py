"""The sixth round's failure classes, in new words (not the benchmark's): a place, a price, a
frequency or a clock time is read as such; a word after a possessive is a noun."""

from __future__ import annotations

from nimbus.handlers.responding.asked_for import answer_first, holds_kind, holds_money
from nimbus.handlers.responding.cues import (
    asked_kinds,
    asks_no_kind,
    mail_header,
    says_money,
    says_when,
)
from nimbus.handlers.responding.evidence import EvidenceSentence, answers_subject, coverage
from nimbus.handlers.responding.words import content_words, predicate_words, subject_words

SHOE = "/w/shoe-repair-ticket.png"


def sentence(text: str, path: str = SHOE, *, before: str = "") -> EvidenceSentence:
    return EvidenceSentence(text=text, path=path, page=1, score=1.0, overlap=0.5,
                            relevance=1.0, before=before)


def test_a_place_or_a_yes_no_question_asks_for_no_kind_of_item() -> None:
    assert asks_no_kind("Where do the tablets charge overnight?")
    assert not asks_no_kind("How much do the tablets cost?")
    rule = sentence("Tablets charge in the hall cupboard, never in bedrooms.", "/w/house-rules.md")
    assert answers_subject("Where do the tablets charge overnight?", [rule])


def test_a_price_of_a_phone_is_money_not_a_phone_number() -> None:
    assert "phone" not in asked_kinds("How much does Ines's phone cost a month?")
    assert asked_kinds("What's Ines's phone number?") == {"phone"}
    row = sentence("Mobile phone, Ines: Monthly cost 11.00, Paid on 9th.", "/w/bills.xlsx")
    assert holds_kind("How much does Ines's phone cost a month?", row)


def test_money_and_quantities_answer_how_much() -> None:
    assert says_money("Copies: 10p a sheet, 40p in colour.")
    print_row = sentence("Copies: 10p a sheet, 40p in colour.", "/w/community-centre.tiff")
    assert holds_kind("How much is colour copying at the community centre?", print_row)
    tank = sentence("The rain tank holds 350 litres.", "/w/garden-notes.txt")
    assert holds_money("How much does the rain tank hold?", tank)
    assert not holds_money("How much does the rain tank cost?", tank)


def test_how_often_and_how_long_said_in_words() -> None:
    assert says_when("Water the orchid once a fortnight.")
    assert says_when("Rest the dough for at least an hour.")
    assert says_when("Gates open 30 minutes before kick-off.")
    assert not says_when("The gates are on Mill Lane.")
    notes = [sentence("Orchid: water once a fortnight with rainwater.", "/w/plant-care.txt")]
    assert answers_subject("How often do I water the orchid?", notes)
    assert coverage("How often do I water the orchid?", notes) == 1.0
    gates = sentence("Gates open 30 minutes before kick-off.", "/w/match-ticket.pdf")
    assert holds_kind("When do the gates open at the stadium?", gates)


def test_what_time_wants_a_clock_time_not_only_a_day() -> None:
    day = sentence("Fitting: Date Monday 8 March 2027, Cost 90 pounds.", "/w/hearing-aid.odt")
    clock = sentence("Fitting: Monday 8 March 2027 at 11:15 am.", "/w/hearing-aid.odt")
    assert not holds_kind("What time is Nan's hearing aid fitting?", day)
    assert holds_kind("What time is Nan's hearing aid fitting?", clock)
    assert holds_kind("When is Nan's hearing aid fitting?", day)


def test_a_word_after_a_possessive_is_a_noun_and_frame_words_say_nothing() -> None:
    assert "glass" not in predicate_words("When can we pick up Nan's glasses?")
    assert "glass" in subject_words("When can we pick up Nan's glasses?")
    assert content_words("What kind of apples do we grow?") == content_words("apples grow")
    assert content_words("Which bit of the lane is shut?") == content_words("lane shut")


def test_a_heading_first_gives_way_to_a_sentence_that_answers() -> None:
    letter = "/w/surveyor-visit-letter.rtf"
    title = "Marsh and Veale Surveyors: your home survey"
    heading = EvidenceSentence(text=title, path=letter, page=1, score=1.0, overlap=0.5,
                               relevance=1.0, title=title)
    visit = sentence("Our surveyor, Mr Idris Quayle, will call at 10 am; the office is at "
                     "4 Tanner Row.", letter)
    visit = EvidenceSentence(text=visit.text, path=letter, page=1, score=0.9, overlap=0.5,
                             relevance=0.9, title=title)
    chosen = answer_first("Where is the surveyors' office?", [heading, visit])
    assert chosen is not None
    assert chosen[0] is visit
    # Without a sentence that answers, the heading stays first (as before).
    assert answer_first("Where is the surveyors' office?", [heading]) == [heading]
    # A key/value line further down is a fact, not a title: it stays first.
    ship = EvidenceSentence(text="Surveyor: Mr Idris Quayle", path=letter, page=1, score=1.0,
                            overlap=0.5, relevance=1.0, title=title)
    assert answer_first("What's the surveyor's name?", [ship, visit]) == [ship, visit]


def test_a_mails_header_lines_answer_only_questions_about_the_mail() -> None:
    mail = "/w/swimming-lessons.eml"
    assert mail_header(mail, "To: Ines Halloran <ines@example.org>", "Who teaches Ines?")
    assert not mail_header(mail, "To: Ines Halloran <ines@example.org>",
                           "Who was the e-mail sent to?")
    assert not mail_header("/w/notes.txt", "To: Ines", "Who teaches Ines?")
    assert not mail_header(mail, "Your teacher is Ola.", "Who teaches Ines?")


def test_a_place_question_may_say_its_verb_otherwise() -> None:
    # "pick up" / "Collect": with two of its other words found, a where-question's verb counts.
    hire = [sentence("Collect the fob from the café on the Thursday before.", "/w/barn-hire.odt")]
    assert coverage("Where do I pick up the fob for the barn?", hire) == 1.0
    assert coverage("Where do I pick up the fob?", hire) < 1.0  # one word is not enough


def test_a_ring_size_is_no_number_to_ring() -> None:
    assert "phone" not in asked_kinds("What's Gran's ring size?")
    assert asked_kinds("What's Gran's ring number?") == {"phone"}
