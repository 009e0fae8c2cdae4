"""What a question asks for, and the ranking, coverage and decision cues built on it."""

from __future__ import annotations

from nimbus.daemon.events import SearchHit
from nimbus.handlers.responding.cues import asked_by_name, asked_kinds, conflicts
from nimbus.handlers.responding.evidence import (
    EvidenceSentence,
    answers_subject,
    candidates_of,
    coverage,
    gather_evidence,
    refers_back,
    subject_words,
)
from nimbus.handlers.responding.grounding import AnswerGate, decide, fallback_text

NOTES = SearchHit(path="/d/household-notes.md", page=None, score=0.1, text=(
    "## Wi-Fi\nThe Wi-Fi network is called LindenNet. The password is BlueHeron-7734.\n"
    "## Neighbours\nOur neighbour Priya Raman keeps a spare key. Her phone number is "
    "07700 900 417.\n## Dentist\nThe dentist, Dr Marcus Lee, is at Whiteladies Dental."))
BILLS = SearchHit(path="/d/energy-bills.pdf", page=1, score=0.2, text=(
    "Home energy bills, January to June\nMonth\nGas (kWh)\nGas cost\nJanuary\n1,840\n£118.25\n"
    "March\n1,220\n£79.30\nThe highest gas bill was in January, at £118.25."))


def _sentence(text: str, path: str, before: str = "", title: str = "") -> EvidenceSentence:
    return EvidenceSentence(text=text, path=path, page=None, score=1.0, overlap=0.5,
                            before=before, title=title, relevance=1.0)


def test_the_kind_of_answer_asked_for() -> None:
    assert asked_kinds("What is my dentist's phone number?") == {"phone"}
    assert {"date", "time"} <= asked_kinds("When is the MOT due?")
    assert "amount" in asked_kinds("How much was my gas bill in March?")
    assert "name" in asked_kinds("Who chaired the meeting?")
    # "call" names a thing here, not a number to ring (a held-out memory question)
    assert asked_kinds("what did we call the sourdough starter") == {"name"}
    assert asked_kinds("what did we call the plumber about") == {"phone"}
    assert "name" in asked_kinds("Which neighbour keeps our spare key?")
    assert "code" in asked_kinds("What is our Wi-Fi password?")
    assert asked_kinds("Am I allowed to smoke inside?") == frozenset()
    # a phone that is a thing is not a number to ring
    assert asked_kinds("Where did I put the phone charger?") == frozenset()
    assert asked_kinds("What's the plumber's mobile?") == {"phone"}
    assert "phone" not in asked_kinds("When does the mobile contract end?")


def test_a_note_answers_in_its_own_words() -> None:
    """Notes say what the user said: "appointment" is the kind of answer (a day and a time),
    the charger's place is found though no item kind is asked for."""
    optician = [_sentence("The optician is on the 9th of January at 10 am.",
                          "/s/notes/notes.txt")]
    assert decide("When's my optician appointment?", optician, min_score=0.6,
                  min_coverage=0.7) == "grounded"
    assert decide("When's my dentist appointment?", optician, min_score=0.6,
                  min_coverage=0.7) == "not_found", "another appointment's day is no answer"
    tablets = [_sentence("You took your tablets at 8 this morning.", "/s/notes/notes.txt")]
    assert decide("When did I take my tablets?", tablets, min_score=0.6,
                  min_coverage=0.7) == "grounded", "a time as people say it"
    books = [_sentence("The library books are due back on the 20th.", "/s/notes/notes.txt")]
    assert decide("When are the library books due?", books, min_score=0.6,
                  min_coverage=0.7) == "grounded", "a day of the month alone"
    charger = [_sentence("You put the spare phone charger in the glovebox.",
                         "/s/notes/notes.txt")]
    assert decide("Where did I put the phone charger?", charger, min_score=0.6,
                  min_coverage=0.7) == "grounded"
    gazebo = [_sentence("The gazebo is up in the garage rafters.", "/s/notes/notes.txt")]
    assert asked_by_name("where did we put the gazebo?") == "where is the gazebo?"
    assert decide(asked_by_name("Where did we put the gazebo"), gazebo, min_score=0.6,
                  min_coverage=0.7) == "grounded", "where it was put is where it is"
    sugar = [_sentence("The flapjack recipe takes half a cup of sugar.", "/s/notes/notes.txt")]
    assert decide("How much sugar goes in the flapjacks?", sugar, min_score=0.6,
                  min_coverage=0.7) == "grounded", "an amount said in words"
    assert decide("How much butter goes in the flapjacks?", sugar, min_score=0.6,
                  min_coverage=0.7) == "not_found", "the sugar's amount is not the butter's"


def test_a_sentence_about_another_month_or_code_conflicts() -> None:
    assert conflicts("How much was my gas bill in March?",
                     "The highest gas bill was in January, at £118.25.")
    assert not conflicts("How much was my gas bill in March?",
                         "Month March: Gas cost £79.30.")
    assert conflicts("What does fault code E133 mean?", "Fault code E119 means low pressure.")
    assert not conflicts("How much is my rent?", "The rent is due in March.")


def test_sentences_know_the_sentence_before_them_and_their_passages_first() -> None:
    candidates = candidates_of([NOTES])
    phone = next(c for c in candidates if c.text.startswith("Her phone"))
    assert phone.before == "Our neighbour Priya Raman keeps a spare key."
    assert phone.title == candidates[0].text


def test_ranking_prefers_the_kind_asked_for_and_the_month_named() -> None:
    password = gather_evidence("What is our Wi-Fi password?", [NOTES], 1, None)
    assert password[0].text == "The password is BlueHeron-7734."
    march = gather_evidence("How much was my gas bill in March?", [BILLS], 1, None)
    assert "£79.30" in march[0].text


def test_the_answer_must_be_about_the_questions_subject() -> None:
    evidence = gather_evidence("What is my dentist's phone number?", [NOTES], 3, None)
    assert subject_words("What is my dentist's phone number?") == {"dentist"}
    assert not answers_subject("What is my dentist's phone number?", evidence)
    assert decide("What is my dentist's phone number?", evidence, min_score=0.1,
                  min_coverage=0.7) == "not_found"
    priya = gather_evidence("What is Priya's phone number?", [NOTES], 3, None)
    assert answers_subject("What is Priya's phone number?", priya)  # named the sentence before
    assert decide("What is Priya's phone number?", priya, min_score=0.1,
                  min_coverage=0.7) == "grounded"


def test_the_heading_above_a_line_says_its_subject() -> None:
    # A card's lines: "Collect from: …" is about the parcel its heading line names.
    card = gather_evidence("When can I pick up the parcel?", [SearchHit(
        path="/d/courier-card.png", page=1, score=0.1, text=(
            "Sorry we missed you\nItem: a parcel that needs a signature\n"
            "Depot: Unit 6, Canal Wharf\nCollect from: Tuesday 3 March, after 10 am"))], 3,
        None)
    collect = next(s for s in card if s.text.startswith("Collect from"))
    assert collect.heading.startswith("Item: a parcel")
    assert collect.before.startswith("Depot")
    assert answers_subject("When can I pick up the parcel?", [collect])
    # The heading names a parcel, not a letter.
    assert not answers_subject("When can I pick up the letter?", [collect])


def test_a_sentence_starting_with_a_pronoun_carries_the_name_before_it() -> None:
    # "Who plans the planting calendar?" is answered by "She plans …", whose "she" the sentence
    # before names; a wrong subject ("dentist" above) still finds nothing.
    garden = gather_evidence("Who plans the planting calendar?", [SearchHit(
        path="/d/garden-notes.pdf", page=2, score=0.1, text=(
            "Staff. The head gardener of the Zorvex community garden is Marigold Finch. She "
            "plans the planting calendar and trains new volunteers."))], 3, None)
    assert answers_subject("Who plans the planting calendar?", garden)
    assert decide("Who plans the planting calendar?", garden, min_score=0.1,
                  min_coverage=0.7) == "grounded"
    best = next(s for s in garden if s.text.startswith("She plans"))
    assert refers_back(best)
    assert "Marigold Finch. She plans" in fallback_text(best)


def test_coverage_counts_one_document_at_a_time() -> None:
    spread = [_sentence("Month May: Gas cost £28.45.", "/d/energy-bills.pdf",
                        title="Home energy bills"),
              _sentence("The normal water pressure is 1 bar.", "/d/boiler-manual.txt")]
    assert coverage("How much was our water bill in May?", spread) < 0.7
    assert coverage("How much was our gas bill in May?", spread[:1]) == 1.0


def test_a_fallback_that_starts_with_a_pronoun_is_read_after_the_sentence_before() -> None:
    sentence = _sentence("Her phone number is 07700 900 417.", NOTES.path,
                         before="Our neighbour Priya Raman keeps a spare key.")
    assert fallback_text(sentence) == ("From the household notes: Our neighbour Priya Raman "
                                       "keeps a spare key. Her phone number is 07700 900 417.")


def test_the_extractive_style_reads_the_best_sentence_without_the_model() -> None:
    gate = AnswerGate([_sentence("The rent is £1,340 per month.", "/d/tenancy-agreement.txt")])
    assert gate.quote() == ["From the tenancy agreement: The rent is £1,340 per month. "]
    assert gate.finished
    assert gate.grounding().status == "quoted"


def test_the_strict_style_holds_a_right_code_with_a_wrong_explanation() -> None:
    evidence = [
        _sentence("If the pressure falls below 0.5 bar the boiler shows fault code E119.", "/m"),
        _sentence("Fault code E133 means the burner did not light.", "/m")]
    loose = AnswerGate(evidence, question="What does fault code E119 mean?")
    wrong = "Fault code E119 indicates that the boiler has failed to light up. "
    assert loose.push(wrong) == [wrong]
    strict = AnswerGate(evidence, strict=True, question="What does fault code E119 mean?")
    assert strict.push(wrong)[0].startswith("From the m: If the pressure falls")
    assert strict.grounding().status == "fell_back"
    right = AnswerGate(evidence, strict=True, question="What does fault code E119 mean?")
    said = "Fault code E119 shows when the pressure falls below 0.5 bar. "
    assert right.push(said) == [said]


def test_the_strict_style_wants_the_kind_of_item_asked_for() -> None:
    evidence = [_sentence("Our neighbour Priya Raman keeps a spare key.", "/notes"),
                _sentence("The code for the key safe is 4815.", "/notes")]
    gate = AnswerGate(evidence, strict=True, question="Which neighbour keeps our spare key?")
    assert gate.push("The code for the key safe is 4815. ") == [
        "From the notes: Our neighbour Priya Raman keeps a spare key. "]


def test_the_strict_style_wants_the_words_of_a_sentence_about_the_subject() -> None:
    evidence = [
        _sentence("Gloria Mensah: The next meeting is on 2 February 2027 at 7:30 pm in the "
                  "community room.", "/meeting"),
        _sentence("The dentist, Dr Marcus Lee, is at Whiteladies Dental, and the next check-up "
                  "is on 22 January 2027 at 9:40.", "/notes")]
    moved = "The next dentist check-up is on 2 February at 7:30 pm in the community room. "
    gate = AnswerGate(evidence, strict=True, question="When is my next dentist check-up?")
    assert gate.push(moved)[0].startswith("From the meeting: ")
    right = AnswerGate(evidence, strict=True, question="When is my next dentist check-up?")
    said = "The next dentist check-up is on 22 January 2027 at 9:40. "
    assert right.push(said) == [said]


def test_what_something_is_called_is_asked_as_its_name() -> None:
    assert asked_by_name("What's the cat called?") == "What's the cat's name?"
    assert asked_by_name("what is our boat named") == "what is our boat's name"
    assert asked_by_name("what's my aunt's parrot called") == "what's my aunt's parrot's name"
    assert asked_by_name("Do you remember my PIN?") == "what is my PIN?"
    assert asked_by_name("do you remember when the plumber comes") == \
        "do you remember when the plumber comes"  # a when-question: left as said
    assert asked_by_name("what is the film called in french") == \
        "what is the film called in french"  # more than a name asked: left as said
