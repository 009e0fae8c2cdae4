"""Key/value lines and durations answer the questions the issue names (decide and ranking)."""

from __future__ import annotations

from nimbus.daemon.events import SearchHit
from nimbus.handlers.responding.evidence import (
    Candidate,
    EvidenceSentence,
    content_words,
    score_sentences,
)
from nimbus.handlers.responding.grounding import decide

PATH = "/w/car-insurance-schedule.pdf"


def sentence(text: str, match: float) -> EvidenceSentence:
    """An evidence sentence with the relevance MiniLM gave it in the benchmark."""
    return EvidenceSentence(text=text, path=PATH, page=1, score=match, overlap=0.0,
                            relevance=match)


def test_renewal_date_answers_when_it_renews() -> None:
    assert content_words("renewal") == content_words("renew")
    evidence = [sentence("Renewal date: 14 March 2027", 0.62)]
    assert decide("When does the car insurance renew?", evidence, min_score=0.6,
                  min_coverage=0.7) == "grounded"


def test_up_to_14_days_answers_how_long() -> None:
    evidence = [sentence("A courtesy car is provided for up to 14 days while your car is "
                         "repaired by an approved garage.", 1.1)]
    assert decide("How long can we keep the courtesy car?", evidence, min_score=0.6,
                  min_coverage=0.7) == "grounded"
    # A weak match holding the asked kind (a duration) is enough too: the question's verb
    # ("keep") is what "for up to 14 days" says, when the rest of it ("courtesy car") is found.
    weak = [sentence(evidence[0].text, 0.7)]
    assert decide("How long can we keep the courtesy car?", weak, min_score=0.6,
                  min_coverage=0.7) == "grounded"
    # ...but not a noun the evidence lacks, and not a question that names another month.
    assert decide("How long can we keep the courtesy bike?", weak, min_score=0.6,
                  min_coverage=0.7) == "not_found"
    march = [sentence("Month March: Electricity cost 82.15 pounds.", 1.1)]
    assert decide("What was our electricity cost in September?", march, min_score=0.6,
                  min_coverage=0.7) == "not_found"


def test_a_key_the_question_names_outranks_the_heading() -> None:
    hit = SearchHit(path="/w/parking-permit-photo.jpg", text="")
    candidates = [Candidate("Residents' parking permit", hit),
                  Candidate("Zone: C (Hawthorn Road and Elm Street)", hit),
                  Candidate("Drizzle: the juice of 1.5 lemons.", SearchHit(
                      path="/w/lemon-drizzle-recipe.rtf", text=""))]
    scored = score_sentences("Which zone is our parking permit for?", candidates, None, None)
    assert max(scored, key=lambda s: s.score).text.startswith("Zone: C")
    lemon = score_sentences("Tell me about the lemon drizzle.", candidates[2:], None, None)
    assert lemon[0].score == lemon[0].relevance  # a key the file's name says gets no boost
