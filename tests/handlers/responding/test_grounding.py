"""Evidence selection, the answer/not-found decision and the streaming gate, synchronously."""

from __future__ import annotations

import numpy as np
import pytest

from nimbus.daemon.events import SearchHit
from nimbus.handlers.responding.evidence import (
    EvidenceSentence,
    coverage,
    gather_evidence,
    lexical_overlap,
    source_label,
    split_sentences,
)
from nimbus.handlers.responding.grounding import (
    NOT_FOUND,
    AnswerGate,
    about_documents,
    asked_part,
    cut_sentences,
    decide,
)

LEASE = SearchHit(path="/home/a/docs/tenancy-agreement.pdf", page=2, score=0.03, text=(
    "Rent. The rent is £1,340 per month. It is due on the 2nd day of each month.\n"
    "Pets. No pets may be kept without the written consent of Mr Okafor, the landlord."))
BOILER = SearchHit(path="/home/a/docs/boiler_manual.txt", page=None, score=0.02, text=(
    "To reset the boiler, hold the reset button for five seconds. Fault E119 means the "
    "water pressure is low."))


def _evidence(text: str, score: float = 1.0, path: str = LEASE.path) -> EvidenceSentence:
    return EvidenceSentence(text=text, path=path, page=2, score=score, overlap=0.5)


def test_passages_are_cut_into_sentences_and_tiny_fragments_join_the_next() -> None:
    assert split_sentences(LEASE.text) == [
        "Rent. The rent is £1,340 per month.",
        "It is due on the 2nd day of each month.",
        "Pets. No pets may be kept without the written consent of Mr Okafor, the landlord.",
    ]


def test_headings_and_markup_are_not_read_as_evidence() -> None:
    notes = "## Wi-Fi\nThe password is BlueHeron-7734.\n- Router in the hall cupboard."
    assert split_sentences(notes) == [
        "The password is BlueHeron-7734.", "Router in the hall cupboard."]


def test_a_table_read_one_cell_per_line_becomes_one_sentence_per_row() -> None:
    cells = "Month\nGas (kWh)\nGas cost\nJanuary\n1,840\n£118.25\nMarch\n1,220\n£79.30"
    assert split_sentences(cells) == [
        "Month January: Gas (kWh) 1,840, Gas cost £118.25.",
        "Month March: Gas (kWh) 1,220, Gas cost £79.30."]


def test_titles_do_not_end_a_sentence() -> None:
    assert split_sentences("Ask Mr. Okafor first. He lives upstairs in flat two.") == [
        "Ask Mr. Okafor first.", "He lives upstairs in flat two."]


def test_files_are_named_aloud_by_their_stem() -> None:
    assert source_label("/x/tenancy-agreement.pdf") == "the tenancy agreement"
    assert source_label("boiler_manual.txt") == "the boiler manual"
    assert source_label("MyNotes.md") == "my notes"


def test_lexical_overlap_counts_the_questions_content_words() -> None:
    assert lexical_overlap("How long do I hold the boiler's reset button?",
                           "Hold the reset button for five seconds.") == 0.75
    assert lexical_overlap("Who installed it?", "The installer was Brightwater.") == 1.0
    assert lexical_overlap("What is it?", "anything") == 0.0


def test_evidence_selection_prefers_the_sentence_that_shares_the_questions_words() -> None:
    chosen = gather_evidence("How long do I hold the reset button?", [LEASE, BOILER], 2, None)
    assert chosen[0].text == "To reset the boiler, hold the reset button for five seconds."
    assert chosen[0].label == "the boiler manual"
    assert len(chosen) == 2


def test_evidence_selection_adds_the_embedding_cosine() -> None:
    def embed(texts: list[str]) -> np.ndarray:
        # The question and the pets sentence point the same way; everything else is orthogonal.
        vectors = np.zeros((len(texts), 2), dtype=np.float32)
        for row, text in enumerate(texts):
            vectors[row] = (1, 0) if "animal" in text or "pets" in text.lower() else (0, 1)
        return vectors

    chosen = gather_evidence("Can I keep an animal?", [LEASE, BOILER], 1, embed)
    assert chosen[0].text.startswith("Pets. No pets")
    # The cosine (1: the same direction) is added to the lexical score ("kept" meets "keep").
    words_only = {s.text: s.score for s in gather_evidence("Can I keep an animal?",
                                                            [LEASE, BOILER], 20, None)}
    assert chosen[0].score == pytest.approx(words_only[chosen[0].text] + 1.0)


def test_document_questions_are_told_from_general_ones() -> None:
    assert about_documents("What does my lease say about pets?")
    assert about_documents("When is our bin day?")
    assert about_documents("What does the boiler manual say about fault E119?")
    assert not about_documents("What is the capital of France?")
    assert not about_documents("what's the smallest planet in our solar system")  # everyone's
    assert not about_documents("Tell me a joke about penguins.")
    # what every body does is everyone's, though "we" asks it
    assert not about_documents("What do we breathe with?")
    assert not about_documents("why do we dream")
    assert about_documents("what time do we need to leave")
    assert not about_documents("How do you say thank you in German?")  # a translation
    assert about_documents("what does the letter say about parking")


def test_evidence_that_misses_the_questions_subject_is_no_answer() -> None:
    boiler = [_evidence("The boiler must be serviced every twelve months.", 0.9)]
    assert coverage("How long is the warranty on my boiler?", boiler) == 0.5
    assert decide("How long is the warranty on my boiler?", boiler, min_score=0.5,
                  min_coverage=0.7) == "not_found"
    assert decide("How often is my boiler serviced?", boiler, min_score=0.5,
                  min_coverage=0.7) == "grounded"


def test_a_first_sentence_without_a_fact_gives_way_to_the_evidence() -> None:
    gate = AnswerGate([_evidence("Fault E119 means the water pressure is low.")])
    assert gate.push("It is a warning signal. ") == [
        "From the tenancy agreement: Fault E119 means the water pressure is low. "]
    assert gate.grounding().status == "fell_back"
    assert gate.grounding().unsupported == ()


def test_the_decision_needs_good_evidence() -> None:
    good, weak = [_evidence("The rent is £1,340.", 0.8)], [_evidence("Rent.", 0.1)]
    assert decide("What is my rent?", good, min_score=0.45) == "grounded"
    assert decide("What is my rent?", weak, min_score=0.45) == "not_found"
    assert decide("What is my rent?", [], min_score=0.45) == "not_found"
    assert decide("What is the capital of France?", [], min_score=0.45) == "general"
    assert decide("What is the capital of France?", weak, min_score=0.45) == "general"
    # Relevant evidence for a question that does not sound personal: still from the evidence.
    assert decide("Who is the head gardener of the Zorvik's garden?",
                  [_evidence("The head gardener is Marigold Finch.", 0.9)], min_score=0.45,
                  min_coverage=0.7) == "grounded"
    assert asked_part("Who is it? " + "pasted log line " * 100) == "Who is it?"
    assert NOT_FOUND == "I couldn't find that in your documents."


def test_streamed_text_is_held_until_the_sentence_is_complete() -> None:
    assert cut_sentences("The rent is £1,340. It is du") == (["The rent is £1,340."], " It is du")
    assert cut_sentences("Ask Mr. Okafor") == ([], "Ask Mr. Okafor")
    gate = AnswerGate([_evidence("The rent is £1,340 per month.")])
    assert gate.push("The rent is ") == []
    assert gate.push("£1,3") == []
    assert gate.push("40 a month.") == []  # the end is only known when the next text comes
    assert gate.push(" It") == ["The rent is £1,340 a month. "]
    assert gate.finish() == ["It "]
    grounding = gate.grounding()
    assert grounding.status == "supported"
    assert grounding.supported == ("£1,340",)
    assert grounding.evidence[0].text == "The rent is £1,340 per month."


def test_an_unsupported_sentence_is_withheld_and_the_evidence_is_read_with_its_source() -> None:
    gate = AnswerGate([_evidence("The rent is £1,340 per month."),
                       _evidence("It is due on the 2nd.", 0.5)])
    released = gate.push("The rent is £1,500 per month. Pay Mr Smith. ")
    assert released == ["From the tenancy agreement: The rent is £1,340 per month. "]
    assert gate.finished
    assert gate.push("More text.") == []
    grounding = gate.grounding()
    assert grounding.status == "fell_back"
    assert grounding.unsupported == ("£1,500",)
    assert grounding.withheld == ("The rent is £1,500 per month.", "Pay Mr Smith.")
    assert grounding.fallback == "From the tenancy agreement: The rent is £1,340 per month."


def test_answers_stop_after_max_sentences() -> None:
    gate = AnswerGate([_evidence("Pets need consent.")], max_sentences=2)
    assert gate.push("Pets need consent. Ask first. Then wait. ") == [
        "Pets need consent. ", "Ask first. "]
    assert gate.finished
    assert gate.grounding().withheld == ("Then wait.",)


def test_with_the_gate_off_text_streams_unchecked_up_to_max_sentences() -> None:
    gate = AnswerGate([_evidence("The rent is £1,340.")], enabled=False, max_sentences=2)
    assert gate.push("The rent") == ["The rent"]
    assert gate.push(" is £9. It") == [" is £9. It"]
    assert gate.push(" is due. Pay") == [" is due. "]
    assert gate.finished
    assert gate.finish() == []
    assert gate.grounding().status == "unchecked"


def test_facts_taken_from_two_sentences_are_withheld() -> None:
    gate = AnswerGate([_evidence("Month March: Gas cost £79.30."),
                       _evidence("Month February: Gas cost £103.70.")])
    assert gate.push("In February the gas cost £79.30. ") == [
        "From the tenancy agreement: Month March: Gas cost £79.30. "]
    assert gate.grounding().unsupported == ("February + £79.30 (not in one sentence)",)
