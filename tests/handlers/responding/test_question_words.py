"""How a question's words meet a document's: verbs by their place, table rows by their columns,
questions about a named file refused (the held-out formats run's failure classes, new words)."""

from __future__ import annotations

from nimbus.daemon.events import SearchHit
from nimbus.handlers.responding.evidence import (
    KEY_WEIGHT,
    Candidate,
    EvidenceSentence,
    content_words,
    predicate_words,
    score_sentences,
)
from nimbus.handlers.responding.grounding import decide, names_a_file


def sentence(text: str, match: float, path: str) -> EvidenceSentence:
    return EvidenceSentence(text=text, path=path, page=1, score=match, overlap=0.0,
                            relevance=match)


def test_a_verb_is_found_by_where_it_stands() -> None:
    # "close" and "ring" are mostly nouns in WordNet; here they are what is asked.
    assert "close" in predicate_words("What time does the library close?")
    assert "ring" in predicate_words("Who do we ring when the lift breaks down?")
    assert "bring" in predicate_words("What does Nora need to bring on the trip?")
    # A noun after a determiner stays a noun, and so does a name.
    assert "plate" not in predicate_words("Where is our dinner plate?")
    assert "hold" in predicate_words("Where are the piano lessons held?")
    assert "question" not in predicate_words("Who is the contact for billing questions?")
    assert "bill" not in predicate_words("When does Bill arrive?")


def test_light_words_and_ordinals_mean_nothing_more() -> None:
    assert content_words("What time do we get to Leeds?") == content_words("time Leeds")
    assert content_words("Can we stay somewhere else?") == content_words("stay")
    assert content_words("the 3rd of June") == content_words("3 June")


def test_the_closing_time_of_a_day_answers_when_it_shuts() -> None:
    path = "/w/library-opening-hours.xlsx"
    row = [sentence("Day Thursday: Opens 9:00 am, Closes 7:30 pm.", 0.75, path)]
    assert decide("What time does the library close on Thursday?", row, min_score=0.6,
                  min_coverage=0.7) == "grounded"
    assert decide("Who do we ring when the lift breaks down?",
                  [sentence("Lift faults, any hour: 0161 496 0321", 0.7, "/w/flat-lease.pdf")],
                  min_score=0.6, min_coverage=0.7) == "grounded"


def test_a_strong_match_may_miss_one_word_without_an_asked_kind() -> None:
    path = "/w/clinic-letter.pdf"
    strong = [sentence("Cardiology Outpatients, Level 3, East Wing", 1.05, path)]
    assert decide("Whereabouts in the hospital is the cardiology clinic?", strong,
                  min_score=0.6, min_coverage=0.7) == "grounded"
    weak = [sentence(strong[0].text, 0.8, path)]
    assert decide("Whereabouts in the hospital is the cardiology clinic?", weak,
                  min_score=0.6, min_coverage=0.7) == "not_found"


def test_a_question_about_a_named_file_is_not_left_to_the_model() -> None:
    path = "/w/leeds-coach-booking.eml"
    evidence = [sentence("Outward: Leeds to Bath, departs 08:10, arrives 12:40.", 0.8, path)]
    question = "Which bay does the Leeds coach leave from?"  # no "my", no document word
    assert names_a_file(question, evidence)
    assert decide(question, evidence, min_score=0.6, min_coverage=0.7) == "not_found"
    assert not names_a_file("Which planet is the largest?", evidence)
    # A misheard name in the question, evidence that holds the kind of item asked for: answered.
    orchard = "/w/orchard-notes.pdf"
    named = [sentence("The orchard keeper of the Brantwick orchard is Tobias Lund.", 0.8,
                      orchard)]
    assert decide("who keeps the Brandwick's orchard", named, min_score=0.6,
                  min_coverage=0.7) == "grounded"


def test_a_table_row_is_keyed_by_its_columns_for_its_own_subject() -> None:
    library = SearchHit(path="/w/library-opening-hours.ods", text="")
    club = SearchHit(path="/w/chess-club-terms.docx", text="")
    rows = [Candidate("Day Friday: Opens 9:00 am, Closes 5:00 pm.", library),
            Candidate("Autumn: Starts 6 September, Ends 13 December.", club)]
    scored = {s.text: s for s in score_sentences("When does the library close on Friday?",
                                                 rows, None, None)}
    friday = scored[rows[0].text]
    assert friday.score > friday.match  # the "Closes" column names what is asked
    # A "Starts" column of the chess club's terms says nothing of when a recital starts: the
    # same row in a file about recitals gets the column's weight, in the club's it does not.
    question = "What time does the recital start?"
    elsewhere = score_sentences(question, rows[1:], None, None)[0]
    concerts = score_sentences(question, [rows[1]._replace(hit=SearchHit(
        path="/w/recital-terms.docx", text=""))], None, None)[0]
    assert concerts.score - elsewhere.score >= KEY_WEIGHT
    # A name keys no line: "Nora:" is a row about Nora, not the answer to all about her.
    fees = [Candidate("Nora: Lessons 12, Fee 96.00, Paid Yes.", library),
            Candidate("Day Monday: Time 16:00, Child Nora, Teacher Sam Reed.", library)]
    best = max(score_sentences("Who teaches Nora the piano?", fees, None, None),
               key=lambda s: s.score)
    assert best.text.startswith("Day Monday")


def test_a_title_that_repeats_the_file_name_answers_nothing() -> None:
    hit = SearchHit(path="/w/scouts-summer-camp.odp", text="")
    title = "Hillside Scouts: summer camp 2027"
    fact = "Saturday 10 July to Monday 12 July 2027 at Beacon Farm"
    scored = {s.text: s for s in score_sentences(
        "What dates is the scout camp?", [Candidate(title, hit, "", title),
                                          Candidate(fact, hit, title, title)], None, None)}
    assert scored[fact].score > scored[title].score
    # The same line in the middle of a passage is no title.
    inner = score_sentences("What dates is the scout camp?",
                            [Candidate(title, hit, fact, fact)], None, None)[0]
    assert inner.score > scored[title].score
