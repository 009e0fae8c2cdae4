"""The faithfulness gate, synchronously: what counts as a checkable item, and how it is matched."""

from __future__ import annotations

import pytest

from nimbus.handlers.responding.gate import (
    check_sentence,
    evidence_keys,
    find_items,
    from_one_sentence,
)

EVIDENCE = (
    "The boiler must be serviced every twelve months. Hold the reset button for five seconds.",
    "The rent is £1,340 per month, due on 2 September 2027. Call the landlord, Mr Okafor, "
    "on 01632 960 483.",
    "Fault code E119 means low water pressure. The residents' meeting is at 7 pm on Tuesday.",
    'The lease says "no pets without written consent". Email repairs@flatco.example for repairs.',
    "Bins go out on the 3rd of March. The deposit of 1200 pounds is held by Safeguard Deposits.",
)

SUPPORTED = [
    "Hold the reset button for 5 seconds.",
    "Hold it for five seconds.",
    "Service it every 12 months.",
    "The rent is 1340 pounds a month.",
    "The rent is £1,340.",
    "The rent is due on September 2nd.",
    "The rent is due on the 2nd of September 2027.",
    "The rent is due on 2027-09-02.",
    "The rent is due on 02/09/2027.",
    "Call Mr Okafor on 01632 960483.",
    "Code E119 means low water pressure.",
    "The meeting is at 19:00 on Tuesday.",
    "The meeting is at 7pm.",
    'It says "no pets without written consent".',
    "Write to repairs@flatco.example.",
    "The deposit is one thousand two hundred pounds.",
    "Bins go out on March 3rd.",
    "Safeguard Deposits holds the deposit.",
    "Pets need written consent.",  # nothing checkable: the gate lets it through
]

UNSUPPORTED = [
    ("Hold the reset button for fifteen seconds.", ["fifteen"]),
    ("Service it every twenty-four months.", ["twenty-four"]),
    ("The rent is £1,500.", ["£1,500"]),
    ("The rent is due on 3 September.", ["3 September"]),
    ("The rent is due on 2 September 2026.", ["2 September 2026"]),
    ("Call the landlord on 01632 960 484.", ["01632 960 484"]),
    ("The landlord is Marigold Finch.", ["Marigold", "Finch"]),
    ("Call Mr Smith.", ["Smith"]),
    ("Code E121 means low water pressure.", ["E121"]),
    ("The meeting is at 8 pm on Wednesday.", ["8 pm", "Wednesday"]),
    ('It says "pets are welcome".', ["pets are welcome"]),
    ("Email landlord@flatco.example.", ["landlord@flatco.example"]),
    ("The boiler is on the 2nd floor.", ["2nd"]),
    ("Bins go out in April.", ["April"]),
]


@pytest.mark.parametrize("sentence", SUPPORTED)
def test_a_sentence_whose_items_are_in_the_evidence_passes(sentence: str) -> None:
    verdict = check_sentence(sentence, EVIDENCE)
    assert verdict.passed, [item.text for item in verdict.unsupported]


@pytest.mark.parametrize(("sentence", "unsupported"), UNSUPPORTED)
def test_an_invented_item_fails_and_is_named(sentence: str, unsupported: list[str]) -> None:
    verdict = check_sentence(sentence, EVIDENCE)
    assert not verdict.passed
    assert [item.text.rstrip(".") for item in verdict.unsupported] == unsupported


def test_items_are_read_once_with_their_kind() -> None:
    items = {item.text: item.kind for item in find_items(
        "On 2 September 2027 at 10:30 am pay £45.50 to Jane Doe, code AB-1234, tel 0161 496 0000.")}
    assert items == {"2 September 2027": "date", "10:30 am": "time", "£45.50": "amount",
                     "Jane": "name", "Doe": "name", "AB-1234": "code",
                     "0161 496 0000": "phone"}


def test_a_capital_at_the_start_of_a_sentence_is_no_name_but_two_are() -> None:
    assert find_items("Pets are allowed.") == []
    assert [i.text for i in find_items("Marigold Finch is the gardener.")] == ["Marigold",
                                                                                 "Finch"]
    # a word no dictionary knows is a name wherever it stands (a note: "Dave is picking up …")
    assert [i.text for i in find_items("Dave is picking up the kids.")] == ["Dave"]


def test_ordinary_words_that_can_be_numbers_are_not_items_of_an_answer() -> None:
    assert find_items("You may keep the one in the hall.") == []


def test_evidence_keys_can_be_computed_once_for_many_sentences() -> None:
    keys = evidence_keys(EVIDENCE)
    assert check_sentence("It takes 5 seconds.", EVIDENCE, keys).passed
    assert not check_sentence("It takes 6 seconds.", EVIDENCE, keys).passed


def test_facts_must_come_from_one_evidence_sentence_together() -> None:
    rows = ["Month February: Electricity (kWh) 287, Gas cost £103.70.",
            "Month March: Electricity (kWh) 265, Gas cost £79.30."]
    assert from_one_sentence("In March we used 265 kWh.", rows)
    assert not from_one_sentence("In February we used 265 kWh.", rows)
    assert from_one_sentence("We used 265 kWh.", rows), "a single fact needs no partner"


def test_one_counts_when_it_counts_something() -> None:
    assert [i.text for i in find_items("Give one month's notice.")] == ["one"]
    assert not check_sentence("Give one month's notice.", ["Give two months' notice."]).passed


def test_table_cells_on_separate_lines_are_not_one_phone_number() -> None:
    cells = "March\n265\n£82.15\n1,220\n£79.30"
    assert check_sentence("The gas cost was £79.30.", [cells]).passed


def test_number_words_are_whole_words() -> None:
    assert find_items("The tenant of the tenancy is often at the twelfth house.") == []
    assert not check_sentence("The deposit is 10% of the rent.",
                              ["The tenant pays a deposit to the landlord."]).passed


def test_a_decimal_before_a_month_is_no_day() -> None:
    # A PDF table read one cell per line: "£79.30" is the March gas cost, "April" the next row.
    cells = "March\n1,220\n£79.30\nApril\n760\n£50.10"
    assert check_sentence("The March gas cost was £79.30.", [cells]).passed
    assert not check_sentence("It ends on 30 April.", [cells]).passed


def test_times_and_days_said_as_people_say_them() -> None:
    """A note keeps the user's words: "at 8 this morning" is a time, "due back on the 20th" a
    day of the month, "12 at night" midnight; "on the 2nd floor" is no day."""
    assert [(i.kind, i.keys) for i in find_items("I took them at 8 this morning.")] == [
        ("time", frozenset({"t:08:00"}))]
    assert [(i.kind, i.keys) for i in find_items("Kick-off is at 6:30 in the evening.")] == [
        ("time", frozenset({"t:18:30"}))]
    assert [i.keys for i in find_items("Lights out at 12 at night.")] == [
        frozenset({"t:00:00"})]
    assert [(i.kind, i.keys) for i in find_items("The books are due back on the 20th.")] == [
        ("date", frozenset({"dd:20", "n:20"}))]
    assert [i.kind for i in find_items("The boiler is on the 2nd floor.")] == ["code"]
