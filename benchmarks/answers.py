"""Grounded answers: accuracy, invented items spoken, "not in your documents", first audio.

`python -m benchmarks answers [--quick] [--modes=gate,…] [--audio-transcript]` writes
`benchmarks/results/answers.json` (``answers-audio.json`` with ``--audio-transcript``: the
meeting is dropped into the folder as a WAV that Piper read, and reaches the store through
Whisper, as a real recording would).

The labelled set is in `benchmarks/data/answers/`: five documents of different kinds (a boiler
manual, a tenancy agreement, household notes, a PDF of energy bills with a table, a transcript
of a recorded meeting) and `questions.json`: 40 questions whose answer is in one document, 12
whose answer is in none, 6 general questions. The documents are ingested into a real store
(MiniLM, sqlite-vec, FTS5) and every question goes through the real Responder with the shipped
SmolLM2-135M GGUF and the real Piper speaker (audio.out events, no sound card) on one bus, in
three configurations:

- ``passages``: what Nimbus did before (whole passages in the prompt, nothing checked);
- ``evidence, gate off``: evidence sentences in the prompt, answers spoken unchecked;
- ``evidence + gate``: the default.

Scoring: a grounded answer is correct when the spoken text holds one of the expected strings
(a fallback to the evidence sentence counts when it holds the fact). An answer *speaks an
unsupported item* when a number, date, name, code… in its spoken text is not in the document the
question is about (all documents for the absent questions), read by the same normaliser as the
gate but against the whole document rather than the evidence the model was given. An absent
question is answered right when the answer is "I couldn't find that in your documents".
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import Any

from benchmarks._harness import machine, print_table, write_results
from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config, load_config
from nimbus.daemon.events import (
    AudioOut,
    Command,
    Intent,
    ResponseDone,
    ResponseStarted,
    Sentence,
)
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.responding.evidence import spoken_label
from nimbus.handlers.responding.gate import check_sentence
from nimbus.handlers.responding.grounding import NOT_FOUND
from nimbus.handlers.responding.handler import Responder
from nimbus.handlers.responding.llm import LlmBackend, load_backend
from nimbus.handlers.speaking.handler import SpeakerHandler
from nimbus.watchfolders.embedder import Embedder
from nimbus.watchfolders.extract import extract
from nimbus.watchfolders.oneshot import ingest_paths
from nimbus.watchfolders.retriever import Retriever

DATA = Path(__file__).parent / "data" / "answers"
SETTINGS = ("llm.temperature=0", "llm.seed=0", "llm.max_tokens=60", "llm.memory_tokens=0")
MODES = {
    "passages (before)": ("llm.evidence_sentences=0", "llm.max_sentences=0"),
    "evidence, gate off": ("llm.gate=false",),
    "gate, model": ('llm.grounded_style="model"',),
    "gate, strict": ('llm.grounded_style="strict"',),
    "gate, extractive": ('llm.grounded_style="extractive"',),
}
SITE = "bench"
WAIT = 300.0


def _normal(text: str) -> str:
    return " ".join(text.lower().replace(",", "").replace("\u2019", "'").split())


def _holds(text: str, expected: list[str]) -> bool:
    said = _normal(text)
    squeezed = said.replace(" ", "").replace("-", "")
    return any(_normal(e) in said or _normal(e).replace(" ", "").replace("-", "") in squeezed
               for e in expected)


def _unsupported(text: str, reference: list[str], cited: str = "") -> list[str]:
    """The numbers, dates, names and codes ``text`` speaks that ``reference`` does not hold.

    The attribution of the file the answer cites ("From the year 7 welcome: …", "Source: the
    year 7 welcome.") says where the answer comes from, not a fact about the world: that one
    file's spoken name, at the start or the end, is left out of the check; nothing else is.
    """
    if cited:
        label = spoken_label(cited)
        text = text.removeprefix(f"From {label}:")
        text = text.removesuffix(f"Source: {label}.").rstrip()
    return [item.text for item in check_sentence(text, reference).unsupported]


async def _ask_all(config: Config, backend: LlmBackend, retriever: Retriever,
                   questions: list[str]) -> list[dict[str, Any]]:
    bus = Bus()
    recorder = EventRecorder(bus)
    responder = Responder(config, bus, backend=backend, retriever=retriever)
    speaker = SpeakerHandler(config, bus, open_local_sink=False)
    results = []
    try:
        async with recorder, running(responder, speaker):
            for question in questions:
                command = Command(site=SITE, text=question, origin="client")
                await bus.publish(command)
                first = await recorder.wait_for(
                    lambda e, c=command: isinstance(e, (ResponseStarted, Intent))
                    and e.cause == c.id, within=WAIT)
                if isinstance(first, Intent):  # the intent stage took a document question
                    results.append({
                        "question": question, "text": f"(taken by the intent stage: {first.name})",
                        "grounding": "intent", "unsupported_withheld": [], "first_token": None,
                        "first_sentence": None, "first_audio": None, "sources": [],
                        "first_source": ""})
                    recorder.events.clear()
                    continue
                started = first
                done = await recorder.wait_for(
                    lambda e, s=started: isinstance(e, ResponseDone) and e.cause == s.id,
                    within=WAIT)
                audio = None
                if done.text.strip():
                    sentences = {e.id for e in recorder.of(Sentence) if e.cause == started.id}
                    audio = await recorder.wait_for(
                        lambda e, s=started, ids=sentences: isinstance(e, AudioOut) and bool(
                            e.text) and (e.cause in ids or any(
                                x.id == e.cause and x.cause == s.id
                                for x in recorder.of(Sentence))),
                        within=WAIT)
                    # The end of this answer's speech (so the next answer starts on a quiet box).
                    await recorder.wait_for(
                        lambda e, s=started: isinstance(e, AudioOut) and not e.text
                        and e.cause == s.id, within=WAIT)
                results.append({
                    "question": question, "text": done.text.strip(),
                    "grounding": done.grounding.status,
                    "unsupported_withheld": list(done.grounding.unsupported),
                    "first_token": done.timings.get("first_token"),
                    "first_sentence": done.timings.get("first_sentence"),
                    "first_audio": (audio.time - command.time) if audio else None,
                    "sources": sorted({Path(s.path).name for s in done.sources}),
                    "first_source": done.sources[0].path if done.sources else "",
                })
                recorder.events.clear()
    finally:
        speaker.close()
    return results


def _score(mode: str, answers: dict[str, dict[str, Any]], data: dict[str, Any],
           texts: dict[str, str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    everything = list(texts.values())
    rows = []
    correct = spoken_invented = not_found = general_ok = false_not_found = 0
    added = {"grounded": 0, "absent": 0}
    for q in data["grounded"]:
        answer = answers[q["q"]]
        ok = _holds(answer["text"], q["expect"])
        invented = _unsupported(answer["text"], [texts[q["doc"]]], answer["first_source"])
        correct += ok
        added["grounded"] += ok and q.get("set") == "added"
        spoken_invented += bool(invented)
        rows.append({"mode": mode, "kind": "grounded", **answer, "correct": ok,
                     "invented": invented})
    for q in data["absent"]:
        answer = answers[q["q"]]
        ok = NOT_FOUND.lower() in answer["text"].lower()
        invented = _unsupported(answer["text"], everything, answer["first_source"])
        not_found += ok
        added["absent"] += ok and q.get("set") == "added"
        spoken_invented += bool(invented)
        rows.append({"mode": mode, "kind": "absent", **answer, "correct": ok,
                     "invented": invented})
    for q in data["general"]:
        answer = answers[q["q"]]
        said_not_found = NOT_FOUND.lower() in answer["text"].lower()
        ok = not said_not_found and (not q["expect"] or _holds(answer["text"], q["expect"]))
        general_ok += ok
        false_not_found += said_not_found
        rows.append({"mode": mode, "kind": "general", **answer, "correct": ok})
    doc_answers = [a for q in data["grounded"] for a in [answers[q["q"]]]]

    def med(key: str) -> float | None:
        values = [a[key] for a in doc_answers if a[key] is not None]
        return round(median(values), 3) if values else None

    grounded, absent, general = len(data["grounded"]), len(data["absent"]), len(data["general"])
    n_added = {kind: sum(q.get("set") == "added" for q in data[kind]) for kind in added}
    summary = {
        "mode": mode,
        "grounded correct": f"{correct}/{grounded} ({100 * correct / grounded:.0f} %)",
        "first set": f"{correct - added['grounded']}/{grounded - n_added['grounded']}",
        "added set": f"{added['grounded']}/{n_added['grounded']}",
        "answers speaking an invented item": spoken_invented,
        "not in your documents (absent)": f"{not_found}/{absent} "
                                          f"({100 * not_found / absent:.0f} %)",
        "absent added": f"{added['absent']}/{n_added['absent']}",
        "general answered": f"{general_ok}/{general}",
        "general refused": false_not_found,
        "fell back": sum(a["grounding"] == "fell_back" for a in answers.values()),
        "first token s": med("first_token"),
        "first sentence s": med("first_sentence"),
        "first audio s": med("first_audio"),
    }
    return summary, rows


def _record_meeting(watch: Path) -> None:
    """The meeting as a recording: Piper reads the transcript into a WAV that replaces it.

    The store then holds what the shipped Whisper (tiny.en) hears in it, through the same
    ingest as any audio file dropped into a watched folder; the questions' expected facts and
    the invented-item check still use what was said.
    """
    from tests.speech import synthesize_speech, write_wav  # noqa: PLC0415 - benchmark extra

    transcript = watch / "meeting-transcript.txt"
    lines = transcript.read_text(encoding="utf-8").splitlines()
    # The title line says what the file is ("Transcript of the audio recording: …"); the
    # recording opens with what it is about instead.
    title = lines[0].split(":", 1)[-1].strip()
    spoken = " ".join([f"{title[0].upper()}{title[1:]}.", *(x for x in lines[1:] if x.strip())])
    write_wav(watch / "meeting-recording.wav", synthesize_speech(spoken))
    transcript.unlink()


def main(argv: list[str]) -> list[dict[str, Any]]:
    data = json.loads((DATA / "questions.json").read_text(encoding="utf-8"))
    if "--quick" in argv:
        data = {"grounded": data["grounded"][::4], "absent": data["absent"][::3],
                "general": data["general"][:2]}
    questions = [q["q"] for kind in ("grounded", "absent", "general") for q in data[kind]]
    summaries: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    load = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="nimbus-answers-") as tmp:
        state, watch = Path(tmp) / "state", Path(tmp) / "watched"
        state.mkdir()
        shutil.copytree(DATA / "documents", watch)
        texts = {path.name: "\n".join(page.text for page in extract(path, path.read_bytes()))
                 for path in sorted(watch.iterdir())}
        if "--audio-transcript" in argv:
            _record_meeting(watch)
        base = load_config(None, environ={}, overrides=[
            f'daemon.state_dir="{state}"', f'watch.folders=["{watch}"]', *SETTINGS])
        embedder = Embedder(base.embeddings)
        ingest_paths(base, [watch], embedder=embedder)
        backend = load_backend(base)
        with Retriever.open(base, embedder=embedder) as retriever:
            chosen = [a.split("=", 1)[1] for a in argv if a.startswith("--modes=")]
            modes = {m: e for m, e in MODES.items()
                     if not chosen or any(c in m for c in chosen[0].split(","))}
            for mode, extra in modes.items():
                config = load_config(None, environ={}, overrides=[
                    f'daemon.state_dir="{state}"', f'watch.folders=["{watch}"]', *SETTINGS,
                    *extra])
                begun = time.perf_counter()
                answers = asyncio.run(_ask_all(config, backend, retriever, questions))
                summary, mode_rows = _score(mode, {a["question"]: a for a in answers}, data,
                                            texts)
                summary["wall s"] = round(time.perf_counter() - begun, 1)
                summaries.append(summary)
                rows += mode_rows
    print_table("Grounded answers (SmolLM2-135M Q4_1, CPU; medians over the grounded questions)",
                summaries)
    write_results("answers-audio" if "--audio-transcript" in argv else "answers", summaries,
                  answers=rows, machine=machine(), load=load,
                  questions={k: len(v) for k, v in data.items()})
    return summaries
