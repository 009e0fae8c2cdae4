"""`nimbus ingest`, `nimbus search`, `nimbus docs`: work on the document store directly."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any

from nimbus.cli.common import config_from_args

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ingest = sub.add_parser("ingest", help="ingest files or folders into the document store now")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest.add_argument("--json", action="store_true", help="one JSON object per file")
    ingest.add_argument("--no-progress", action="store_true", help="no progress bar")
    ingest.set_defaults(func=_ingest)

    search = sub.add_parser("search", help="search the document store (hybrid: vectors + BM25)")
    search.add_argument("query")
    search.add_argument("-k", type=int, default=5, help="number of results (default 5)")
    search.add_argument("--max-distance", type=float, default=None,
                        help="drop hits whose vector distance is above this (0..2)")
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=_search)

    docs = sub.add_parser("docs", help="what is indexed, what failed and why")
    docs.add_argument("--json", action="store_true")
    docs.set_defaults(func=_docs)


def _ingest(args: argparse.Namespace) -> int:
    from nimbus.watchfolders.ingest import IngestOutcome  # noqa: PLC0415
    from nimbus.watchfolders.oneshot import ingest_paths  # noqa: PLC0415

    config = config_from_args(args)
    missing = [p for p in args.paths if not p.exists() and not p.is_symlink()]
    for path in missing:
        print(f"nimbus ingest: {path}: no such file or folder", file=sys.stderr)
    bar: Any = None

    def planned(total: int) -> None:
        nonlocal bar
        if not args.json and not args.no_progress:
            tqdm: Any = importlib.import_module("tqdm").tqdm  # comes with transformers

            bar = tqdm(total=total, unit="file", desc="ingest", file=sys.stderr,
                       dynamic_ncols=True)

    def progress(outcome: IngestOutcome) -> None:
        if args.json:
            print(json.dumps({"path": outcome.path, "status": outcome.status,
                              "pages": outcome.pages, "chunks": outcome.chunks,
                              "seconds": round(outcome.seconds, 3), "code": outcome.code,
                              "message": outcome.message}), flush=True)
        elif bar is not None:
            bar.update(1)
            bar.set_postfix_str(Path(outcome.path).name[:30])
            if outcome.status == "failed":
                bar.write(f"failed: {outcome.path}: {outcome.code}: {outcome.message}")

    paths = [p for p in args.paths if p not in missing]
    outcomes = ingest_paths(config, paths, progress=progress, planned=planned) if paths else []
    if bar is not None:
        bar.close()
    if not args.json:
        counts: dict[str, int] = {}
        for outcome in outcomes:
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing"
        chunks = sum(o.chunks for o in outcomes if o.status == "ingested")
        print(f"{summary}; {chunks} chunks added -> {config.store_path}")
    failed = any(o.status == "failed" and o.code != "unsupported_type" for o in outcomes)
    return 1 if missing or failed else 0


def _search(args: argparse.Namespace) -> int:
    from nimbus.watchfolders.retriever import Retriever  # noqa: PLC0415

    config = config_from_args(args)
    with Retriever.open(config) as retriever:
        hits = retriever.search(args.query, k=args.k, max_distance=args.max_distance)
    if args.json:
        print(json.dumps([{"path": h.path, "page": h.page, "score": h.score, "text": h.text}
                          for h in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("no results")
    for rank, hit in enumerate(hits, start=1):
        where = f"{hit.path}" + (f" (page {hit.page})" if hit.page is not None else "")
        print(f"{rank}. {where}  score {hit.score:.4f}")
        snippet = " ".join(hit.text.split())
        print(f"   {snippet[:200]}{'...' if len(snippet) > 200 else ''}")
    return 0


def _docs(args: argparse.Namespace) -> int:
    from nimbus.watchfolders.sqlite import connect  # noqa: PLC0415

    config = config_from_args(args)
    if not config.store_path.exists():
        print(f"no store yet at {config.store_path}" if not args.json else "[]")
        return 0
    conn = connect(config.store_path, readonly=True)
    try:
        rows = conn.execute(
            "SELECT path, status, pages, chunks, error_code, error, updated FROM documents "
            "ORDER BY status, path").fetchall()
        queued = conn.execute("SELECT path, action, reason FROM queue ORDER BY due, id").fetchall()
        model = conn.execute("SELECT value FROM meta WHERE key = 'embedding_model'").fetchone()
    finally:
        conn.close()
    if args.json:
        print(json.dumps({
            "store": str(config.store_path),
            "embedding_model": model[0] if model else None,
            "documents": [{"path": r[0], "status": r[1], "pages": r[2], "chunks": r[3],
                           "code": r[4], "error": r[5], "updated": r[6]} for r in rows],
            "queued": [{"path": q[0], "action": q[1], "reason": q[2]} for q in queued],
        }, ensure_ascii=False, indent=2))
        return 0
    indexed = [r for r in rows if r[1] == "indexed"]
    others = [r for r in rows if r[1] != "indexed"]
    print(f"store: {config.store_path} (embeddings: {model[0] if model else '?'})")
    print(f"indexed: {len(indexed)} files, {sum(r[3] for r in indexed)} chunks")
    for r in indexed:
        print(f"  {r[0]!s}  pages={r[2]} chunks={r[3]}")
    if others:
        print(f"not indexed: {len(others)}")
        for r in others:
            print(f"  {r[0]!s}  {r[1]}: {r[4]}: {r[5]}")
    if queued:
        print(f"queued: {len(queued)}")
        for q in queued[:50]:
            print(f"  {q[1]} {q[0]} ({q[2]})")
    return 0
