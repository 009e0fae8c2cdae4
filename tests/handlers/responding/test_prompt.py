"""Prompt budgeting and conversation memory: pure functions, tested synchronously."""

from __future__ import annotations

from nimbus.daemon.events import SearchHit
from nimbus.handlers.responding.memory import ConversationMemory, Turn, memory_key
from nimbus.handlers.responding.prompt import PER_MESSAGE_TOKENS, build_prompt, fit_text


def words(text: str) -> int:
    """A stand-in tokenizer for pure tests: one token per word."""
    return len(text.split())


def hit(path: str, text: str, page: int | None = None) -> SearchHit:
    return SearchHit(path=path, page=page, score=0.5, text=text)


def test_fit_text_keeps_the_longest_prefix_on_a_word_boundary() -> None:
    text = "one two three four five six"
    assert fit_text(text, 10, words) == text
    assert fit_text(text, 3, words) == "one two three"
    assert fit_text(text, 0, words) == ""


def test_everything_fits_in_order_system_memory_question() -> None:
    turns = [Turn(user="hi there", assistant="hello you", tokens=4)]
    plan = build_prompt(system="be brief", question="what is up", count=words, budget=200,
                        hits=[hit("/docs/a.pdf", "alpha beta", page=2)], turns=turns)
    roles = [m.role for m in plan.messages]
    # Passages come after the memory, right before the question: the head of the prompt
    # (system prompt and memory) stays the same across questions, so llama.cpp keeps it cached.
    assert roles == ["system", "user", "assistant", "system", "user"]
    assert plan.messages[0].content == "be brief"
    assert plan.messages[1].content == "hi there"
    assert "[1] a.pdf, page 2: alpha beta" in plan.messages[3].content
    assert plan.messages[-1].content == "what is up"
    assert plan.sources == (hit("/docs/a.pdf", "alpha beta", page=2),)
    assert plan.memory_turns == 1
    assert not plan.truncated
    assert plan.tokens <= 200


def test_a_huge_question_is_cut_with_a_note_and_documents_still_fit() -> None:
    question = " ".join(f"w{i}" for i in range(10_000))
    plan = build_prompt(system="sys", question=question, count=words, budget=300,
                        hits=[hit("/d/n.txt", "the fact " * 10)])
    assert plan.truncated
    assert plan.original_chars == len(question)
    assert "The question was cut to fit" in plan.question
    assert plan.question.startswith("w0 w1 w2")
    assert plan.sources, "documents keep room next to a truncated question"
    assert plan.tokens <= 300
    assert sum(words(m.content) + PER_MESSAGE_TOKENS for m in plan.messages) <= 300


def test_passages_fill_the_budget_best_first_and_the_last_is_shortened() -> None:
    hits = [hit(f"/d/{i}.txt", " ".join(["word"] * 60)) for i in range(5)]
    plan = build_prompt(system="sys", question="q", count=words, budget=160, hits=hits)
    assert 1 <= len(plan.sources) < 5
    assert [s.path for s in plan.sources] == [h.path for h in hits[: len(plan.sources)]]
    assert plan.tokens <= 160
    assert words(plan.sources[-1].text) <= 60


def test_memory_keeps_the_most_recent_turns_that_fit() -> None:
    turns = [Turn(user=f"question {i} " + "x " * 20, assistant="answer " * 20, tokens=42)
             for i in range(10)]
    plan = build_prompt(system="sys", question="now", count=words, budget=200, turns=turns)
    assert 0 < plan.memory_turns < 10
    kept_users = [m.content for m in plan.messages if m.role == "user"][:-1]
    assert kept_users[-1].startswith("question 9"), "newest turn kept"
    assert plan.tokens <= 200


def test_no_documents_header_when_no_passage_fits() -> None:
    plan = build_prompt(system="sys", question="q " * 50, count=words, budget=70,
                        hits=[hit("/d/a.txt", "long " * 500)])
    assert plan.sources == ()
    assert all("Documents" not in m.content for m in plan.messages)
    assert plan.tokens <= 70


def test_memory_is_bounded_per_site_and_in_sites() -> None:
    memory = ConversationMemory(10, words, max_sites=2)
    memory.add("kitchen", "a b c", "d e")
    memory.add("kitchen", "f g h", "i j")
    assert [t.user for t in memory.turns("kitchen")] == ["a b c", "f g h"]
    memory.add("kitchen", "k l m", "n")
    # Over budget: the oldest turns go until half the budget is left (a stable prompt head).
    assert [t.user for t in memory.turns("kitchen")] == ["k l m"]
    memory.add("kitchen", "o", "p")
    assert [t.user for t in memory.turns("kitchen")] == ["k l m", "o"], "no eviction below"
    assert memory.tokens("kitchen") <= 10
    memory.add("kitchen", "way " * 20, "too long")
    assert memory.tokens("kitchen") <= 10
    memory.add("office", "x", "y")
    memory.add("garage", "x", "y")
    assert memory.turns("kitchen") == (), "least recently used site forgotten"
    memory.clear("office")
    assert memory.turns("office") == ()


def test_conversation_ids_share_memory_apart_from_sites_and_expire() -> None:
    now = [0.0]
    memory = ConversationMemory(100, words, idle_s=300, clock=lambda: now[0])
    ha = memory_key("wyoming-1", "01JH0ULID")
    assert memory_key("wyoming-2", "01JH0ULID") == ha, "any connection, one conversation"
    assert memory_key("kitchen") == "kitchen"
    memory.add(ha, "My name is Ada.", "Nice to meet you, Ada.")
    memory.add("kitchen", "Hello", "Hi")
    assert [t.user for t in memory.turns(ha)] == ["My name is Ada."]
    assert memory.turns("wyoming-2") == (), "a site's memory is not the conversation's"
    now[0] = 299.0
    memory.add(ha, "What is my name?", "Ada.")
    now[0] = 500.0
    assert len(memory.turns(ha)) == 2, "idle time counts from the last turn"
    now[0] = 600.0
    assert memory.turns(ha) == (), "forgotten after idle_s without a turn"
    assert [t.user for t in memory.turns("kitchen")] == ["Hello"], "a site's memory stays"
