"""Documents: ingest throughput, drop-to-searchable latency, search latency at scale, hit rate@5.

`python -m benchmarks documents [--quick]`. Ingest and drop-to-searchable use the real pipeline
(PyMuPDF, chunker, all-MiniLM-L6-v2, sqlite-vec). Search latency at 10k/100k chunks uses a store
filled with SYNTHETIC random unit vectors and random-word texts (only the scale matters there);
it is timed with and without embedding the query. Hit rate@5 uses a small hand-labelled set.
"""

from __future__ import annotations

import asyncio
import os
import random
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pymupdf

from benchmarks._harness import machine, print_table, summarize, write_results
from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config, EmbeddingsConfig, load_config
from nimbus.daemon.events import DocumentIngested
from nimbus.daemon.testing import EventRecorder, running
from nimbus.watchfolders.embedder import Embedder
from nimbus.watchfolders.handler import DocumentsHandler
from nimbus.watchfolders.oneshot import ingest_paths
from nimbus.watchfolders.passages import Chunk
from nimbus.watchfolders.retriever import Retriever
from nimbus.watchfolders.search import hybrid_search
from nimbus.watchfolders.store import Store

WORDS = [
    "pump", "valve", "filter", "boiler", "pressure", "warranty", "manual", "garden", "kitchen",
    "invoice", "lease", "tenant", "landlord", "deposit", "router", "password", "battery",
    "charger", "engine", "tyre", "brake", "service", "interval", "recipe", "flour", "sugar",
    "oven", "minutes", "degrees", "school", "holiday", "doctor", "appointment", "insurance",
    "policy", "claim", "meter", "reading", "electricity", "water", "heating", "thermostat",
    "schedule",
]

# (fact placed on a page, question asked, a word only that fact has) - hand-written labels.
LABELLED = [
    ("The boiler pressure should sit between 1.2 and 1.5 bar when the system is cold.",
     "what pressure should the boiler have"),
    ("Replace the smoke alarm battery every October, using a 9 volt PP3 battery.",
     "when do I change the smoke detector battery"),
    ("The Wi-Fi network is called Larkspur and the password is printed under the router.",
     "where can I find the wifi password"),
    ("Rent of 950 pounds is due on the first working day of each month by standing order.",
     "how much is the rent and when is it due"),
    ("The car needs an oil change every 15,000 kilometres or once a year, whichever is first.",
     "how often does the car need an oil change"),
    ("To descale the kettle, boil a mixture of half vinegar and half water, then rinse twice.",
     "how do I remove limescale from the kettle"),
    ("The dishwasher filter sits under the lower basket and should be rinsed weekly.",
     "where is the dishwasher filter"),
    ("Bins: general waste goes out on Monday nights, recycling on Thursday nights.",
     "which night is recycling collected"),
    ("The home insurance policy number is HX-4471 and renews on 3 March.",
     "when does the home insurance renew"),
    ("Water the tomato plants every evening in summer, at the base, not on the leaves.",
     "how should I water the tomatoes"),
    ("The spare house key is kept with the neighbour at number 14, Mrs Okafor.",
     "who has the spare key"),
    ("Set the thermostat to 19 degrees during the day and 16 degrees at night.",
     "what temperature should the heating be at night"),
    ("The tenancy deposit is protected by the DPS scheme under reference 88213.",
     "which scheme protects my deposit"),
    ("Bread recipe: 500 g strong flour, 7 g yeast, 10 g salt, 320 ml warm water.",
     "how much yeast goes in the bread"),
    ("The dentist appointment is on 12 June at 9:40 with Dr Patel.",
     "when am I seeing the dentist"),
    ("The electricity meter is in the cupboard under the stairs; read the left display.",
     "where is the electricity meter"),
    ("Bike tyres should be pumped to 80 psi; the pump is in the shed.",
     "what pressure for the bicycle tyres"),
    ("The fridge should run at 4 degrees and the freezer at minus 18 degrees.",
     "how cold should the freezer be"),
    ("School term ends on 22 July; the summer holiday club starts on 25 July.",
     "when does the school term finish"),
    ("The laptop warranty lasts three years and covers accidental damage.",
     "does the laptop warranty cover accidents"),
]


def _filler(rng: random.Random, sentences: int) -> str:
    return " ".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize() + "."
        for _ in range(sentences)
    )


def _make_pdf(path: Path, pages: list[str]) -> None:
    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page()
        page.insert_textbox(pymupdf.Rect(40, 40, 560, 800), text, fontsize=9)
    doc.save(path)
    doc.close()


def _config(root: Path, **watch: Any) -> Config:
    overrides = [f'daemon.state_dir="{root / "state"}"', f'watch.folders=["{root / "watched"}"]']
    overrides += [f"watch.{k}={v}" for k, v in watch.items()]
    return load_config(None, overrides=overrides, environ={})


def bench_ingest(embedder: Embedder, files: int, pages: int) -> dict[str, Any]:
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "in"
        folder.mkdir()
        for i in range(files):
            _make_pdf(folder / f"doc-{i:03d}.pdf", [_filler(rng, 14) for _ in range(pages)])
        config = _config(root)
        started = time.perf_counter()
        outcomes = ingest_paths(config, [folder], embedder=embedder)
        seconds = time.perf_counter() - started
    total_pages = sum(o.pages for o in outcomes)
    chunks = sum(o.chunks for o in outcomes)
    return {"benchmark": "ingest PDFs (extract+chunk+embed+store)", "files": files,
            "pages": total_pages, "chunks": chunks, "seconds": round(seconds, 2),
            "pages/s": round(total_pages / seconds, 1), "chunks/s": round(chunks / seconds, 1)}


async def _drop_to_searchable(embedder: Embedder, repeats: int) -> dict[str, Any]:
    rng = random.Random(2)
    samples: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = _config(root)  # default settle_s
        (root / "watched").mkdir()
        staging = root / "staging"
        staging.mkdir()
        bus = Bus()
        handler = DocumentsHandler(config, bus, embedder=embedder)
        retriever = None
        async with EventRecorder(bus) as rec, running(handler):
            retriever = Retriever.open(config, embedder=embedder)
            for n in range(repeats):
                marker = f"zebracode{n}"
                pages = [_filler(rng, 14) for _ in range(10)]
                pages[7] += f" The secret word is {marker}."
                staged = staging / f"ten-{n}.pdf"
                _make_pdf(staged, pages)
                data = staged.read_bytes()
                target = root / "watched" / staged.name
                started = time.perf_counter()
                target.write_bytes(data)  # the "drop": a copy into the folder
                while True:
                    hits = await asyncio.to_thread(retriever.search, marker, k=1)
                    if hits and hits[0].path == str(target):
                        break
                    await asyncio.sleep(0.02)
                samples.append(time.perf_counter() - started)
                assert hits[0].page == 8
            ingest_s = [e.seconds for e in rec.of(DocumentIngested)  # type: ignore[attr-defined]
                        if not e.skipped]  # type: ignore[attr-defined]
            retriever.close()
        await handler.close()
    stats = summarize(samples)
    return {"benchmark": "drop -> searchable, 10-page PDF", "settle_s": config.watch.settle_s,
            "median_s": round(stats["median"], 2), "max_s": round(stats["max"], 2),
            "ingest_only_s": round(float(np.median(ingest_s)), 2), "n": len(samples)}


def _vocabulary(size: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(size)]


def _fill_synthetic(store: Store, chunks: int, dim: int, vocab: list[str]) -> None:
    """Random unit vectors; texts of 70 words drawn Zipf-like from a 20k-word vocabulary."""
    rng = np.random.default_rng(3)
    weights = 1.0 / np.arange(1, len(vocab) + 1)
    weights /= weights.sum()
    words = np.array(vocab)
    per_doc = 100
    for d in range(chunks // per_doc):
        vectors = rng.standard_normal((per_doc, dim)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        picks = rng.choice(len(vocab), size=(per_doc, 70), p=weights)
        items = []
        for i in range(per_doc):
            text = " ".join(words[picks[i]])
            items.append(Chunk(index=i, page=1, start=0, end=len(text), text=text))
        store.replace_document(path=f"/synthetic/{d:05d}.txt", digest=str(d), size=1, mtime=1.0,
                               pages=1, chunks=items, vectors=vectors, job=None)


def _timed(into: list[float], func: Any, *args: Any, **kwargs: Any) -> None:
    started = time.perf_counter()
    func(*args, **kwargs)
    into.append((time.perf_counter() - started) * 1000)


def _ms(samples: list[float]) -> tuple[float, float]:
    stats = summarize(samples)
    return round(stats["median"], 1), round(stats["p90"], 1)


def bench_search_scale(embedder: Embedder, sizes: list[int], queries: int) -> list[dict[str, Any]]:
    """Latency of each search stage; queries mix stopwords with mid-frequency words."""
    rows: list[dict[str, Any]] = []
    vocab = _vocabulary(20_000, 3)
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            config = _config(root)
            store = Store(config.store_path, model=embedder.name, dimension=embedder.dimension)
            started = time.perf_counter()
            _fill_synthetic(store, size, embedder.dimension, vocab)
            fill_s = time.perf_counter() - started
            store.close()
            retriever = Retriever.open(config, embedder=embedder)
            rng = random.Random(4)
            texts = [f"what is the {' '.join(rng.choice(vocab[50:3000]) for _ in range(3))}"
                     for _ in range(queries)]
            vectors = embedder.embed(texts)
            conn = retriever._conn
            timings: dict[str, list[float]] = {"knn": [], "bm25": [], "hybrid": [], "full": []}
            for text, vector in zip(texts, vectors, strict=True):
                _timed(timings["knn"], hybrid_search, conn, "", vector, k=5)
                _timed(timings["bm25"], hybrid_search, conn, text, None, k=5)
                _timed(timings["hybrid"], hybrid_search, conn, text, vector, k=5,
                       max_distance=1.2)
                _timed(timings["full"], retriever.search, text, k=5, max_distance=1.2)
            retriever.close()
        row: dict[str, Any] = {"benchmark": "search latency (synthetic)", "chunks": size}
        for name, label in (("knn", "knn_ms"), ("bm25", "bm25_ms"), ("hybrid", "hybrid_ms"),
                            ("full", "embed+hybrid_ms")):
            median, p90 = _ms(timings[name])
            row[f"{label} median"] = median
            row[f"{label} p90"] = p90
        row["fill_s"] = round(fill_s, 1)
        rows.append(row)
    return rows


def bench_hit_rate(embedder: Embedder) -> list[dict[str, Any]]:
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "in"
        folder.mkdir()
        # Four PDFs of five pages; each fact hidden in filler on its own page.
        expected: dict[str, tuple[str, int]] = {}
        for d in range(4):
            pages = []
            for p in range(5):
                fact, question = LABELLED[d * 5 + p]
                pages.append(f"{_filler(rng, 4)} {fact} {_filler(rng, 4)}")
                expected[question] = (str(folder / f"home-{d}.pdf"), p + 1)
            _make_pdf(folder / f"home-{d}.pdf", pages)
        config = _config(root)
        ingest_paths(config, [folder], embedder=embedder)
        retriever = Retriever.open(config, embedder=embedder)
        conn = retriever._conn
        modes = {"hybrid (RRF)": "both", "vector only": "vector", "BM25 only": "text"}
        rows = []
        for label, mode in modes.items():
            hits_at_1 = hits_at_5 = 0
            for question, target in expected.items():
                vector = embedder.embed([question])[0] if mode != "text" else None
                if mode == "vector":
                    found = hybrid_search(conn, "", vector, k=5)
                else:
                    found = hybrid_search(conn, question, vector, k=5)
                places = [(h.path, h.page) for h in found]
                hits_at_5 += target in places
                hits_at_1 += bool(places) and places[0] == target
            rows.append({"benchmark": "retrieval quality", "mode": label,
                         "questions": len(expected),
                         "hit_rate@1": round(hits_at_1 / len(expected), 2),
                         "hit_rate@5": round(hits_at_5 / len(expected), 2)})
        retriever.close()
    return rows


async def _many_files(embedder: Embedder, count: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = _config(root, settle_s=0.5)
        (root / "watched").mkdir()
        bus = Bus()
        handler = DocumentsHandler(config, bus, embedder=embedder)
        async with EventRecorder(bus, DocumentIngested) as rec, running(handler):
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.perf_counter()
            for i in range(count):
                (root / "watched" / f"n{i:05d}.txt").write_text(f"Note {i} about {WORDS[i % 40]}.")
            write_s = time.perf_counter() - started
            while len(rec.events) < count:  # noqa: ASYNC110 - progress is polled, not awaited
                await asyncio.sleep(0.1)
            seconds = time.perf_counter() - started
            rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        await handler.close()
    return {"benchmark": f"{count} small files dropped at once", "write_s": round(write_s, 2),
            "all_ingested_s": round(seconds, 2), "files/s": round(count / seconds, 1),
            "peak_rss_growth_MB": round((rss_after - rss_before) / 1024, 1)}


def main(argv: list[str]) -> list[dict[str, Any]]:
    quick = "--quick" in argv
    embedder = Embedder(EmbeddingsConfig())
    rows: list[dict[str, Any]] = []
    load_before = os.getloadavg()
    rows.append(bench_ingest(embedder, files=4 if quick else 10, pages=5 if quick else 10))
    print_table("ingest", rows[-1:])
    rows.append(asyncio.run(_drop_to_searchable(embedder, 2 if quick else 5)))
    print_table("drop to searchable", rows[-1:])
    rows.append(asyncio.run(_many_files(embedder, 1000 if quick else 5000)))
    print_table("many files", rows[-1:])
    scale = bench_search_scale(embedder, [10_000] if quick else [10_000, 100_000],
                               20 if quick else 50)
    rows += scale
    print_table("search latency (synthetic vectors and texts)", scale)
    quality = bench_hit_rate(embedder)
    rows += quality
    print_table("retrieval quality (20 hand-labelled questions)", quality)
    load = {"before": load_before, "after": os.getloadavg(), "cores": os.cpu_count()}
    print(f"\nload average (1/5/15 min) before {load['before']}, after {load['after']}")
    path = write_results("documents", rows, load_average=load)
    print(f"\nresults: {path} on {machine()['cpu']} ({machine()['cores']} cores)")
    return rows
