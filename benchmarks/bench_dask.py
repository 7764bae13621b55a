"""The Dask engine next to a single process: words/s of the per-article work, and of whole builds.

    .venv/bin/python benchmarks/bench_dask.py --docs 1000 [--workers 2] [--model NAME] [--seed 0]
        [--batch-size 16] [--corpus DIR] [--no-build] [--json FILE]

Generates the corpus once (benchmarks/corpus.py, same seed as bench_build.py), then measures, each
in a fresh process and in this order (the map runs read the corpus into cleaned Documents first):

* map, local: `kg.engine.run_local(docs, settings, jobs=1)` in this process: annotate and extract
  every article, the pipeline load included (what one process does);
* map, dask: the same documents through `kg.engines.dask_engine.map_batches` on a LocalCluster of
  --workers single-threaded worker processes on loopback, each loading the pipeline once (included);
  the cluster's start-up is timed apart (a real cluster is started once, not per build);
* build, local / dask: `kg.api.build(corpus, out, force=True)` end to end with each engine (reading,
  the mapped work, then the reduce step run once: resolve, graph, outputs, SHACL), the dask one
  starting and stopping its own LocalCluster.

words/s = words of the articles processed / seconds. A Markdown table goes to stdout, progress to
stderr, and an estimate of the workers needed for 100,000 articles a day.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
ARTICLES_PER_DAY = 100_000


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def corpus_folder(docs: int, seed: int, given: Path | None) -> Path:
    """The corpus: --corpus DIR, or benchmarks/corpus.py's articles generated once into the temp folder."""
    if given:
        return given
    folder = Path(tempfile.gettempdir()) / f"kg-bench-corpus-{docs}-s{seed}"
    if not (folder / ".complete").exists():
        spec = importlib.util.spec_from_file_location("kg_bench_corpus", HERE / "corpus.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.generate(folder, docs, seed)
        (folder / ".complete").write_text("ok\n")
    return folder


def read_documents(folder: Path) -> list:
    """Every usable article of the folder, read and cleaned once (as kg.api.build does in the client)."""
    from kg.ingest import iter_documents
    from kg.lexicon import load_lexicon
    from kg.model import Document

    return [d for d in iter_documents(folder, load_lexicon()) if isinstance(d, Document)]


def row(name: str, workers: int, seconds: float, articles: int, words: int, cpu: float | None = None) -> dict:
    """One measurement; `cpu` = CPU seconds the per-article work used (all worker processes)."""
    return {"run": name, "workers": workers, "articles": articles, "words": words,
            "seconds": round(seconds, 2), "words_per_s": round(words / seconds) if seconds else 0,
            "cpu_seconds": round(cpu, 2) if cpu is not None else None, "load": round(os.getloadavg()[0], 1)}


def cpu_seconds() -> float:
    """User + system CPU seconds of this process so far (run on a worker, its own)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def map_local(docs: list, settings) -> dict:  # noqa: ANN001
    from kg.engine import run_local

    t, c = time.perf_counter(), cpu_seconds()
    results = [r for outcome in run_local(docs, settings, 1) for r in outcome.results]
    return row("map, local (1 process)", 1, time.perf_counter() - t, len(results), sum(r.words for r in results),
               cpu_seconds() - c)


def map_dask(docs: list, settings, workers: int) -> tuple[dict, float]:  # noqa: ANN001
    """The mapped work on a LocalCluster; also returns the cluster's start-up seconds."""
    from distributed import Client, LocalCluster

    import dask

    from kg.engines.dask_engine import NO_HTTP_PORT, WORKER_CONFIG, map_batches

    t = time.perf_counter()
    with dask.config.set(WORKER_CONFIG):  # as kg.engines.dask_engine starts its LocalCluster
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, scheduler_kwargs=NO_HTTP_PORT, silence_logs=logging.WARNING)
    client = Client(cluster)
    client.wait_for_workers(workers)
    startup = time.perf_counter() - t
    try:
        before = client.run(cpu_seconds)
        t = time.perf_counter()
        results = [r for outcome in map_batches(client, docs, settings) for r in outcome.results]
        seconds = time.perf_counter() - t
        cpu = sum(client.run(cpu_seconds).values()) - sum(before.values())
    finally:
        client.close()
        cluster.close()
    words = sum(r.words for r in results)
    return row(f"map, dask ({workers} workers)", workers, seconds, len(results), words, cpu), startup


def build_run(folder: Path, out: Path, engine: str, workers: int, model: str | None, batch_size: int) -> dict:
    from kg.api import build

    t = time.perf_counter()
    report = build(folder, out, model=model, batch_size=batch_size, jobs=workers, force=True, engine=engine)
    name = f"build, {engine} ({workers} {'workers' if engine == 'dask' else 'process'})"
    return row(name, workers, time.perf_counter() - t, report.articles, report.words)


def table(rows: list[dict], base: dict[str, dict]) -> str:
    lines = ["| run | workers | articles | words | seconds | words/s | × one process | CPU s | load avg |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        ref = base[r["run"].split(",")[0]]
        ratio = r["words_per_s"] / ref["words_per_s"] if ref["words_per_s"] else 0.0
        lines.append(f"| {r['run']} | {r['workers']} | {r['articles']:,} | {r['words']:,} | {r['seconds']:.1f} | "
                     f"{r['words_per_s']:,} | {ratio:.2f} | {r['cpu_seconds'] or ''} | {r['load']} |")
    return "\n".join(lines)


def estimate(dask_map: dict, words_per_article: float) -> str:
    """Workers needed for 100,000 articles a day from the measured per-worker rate (half load: a margin ×2).

    The per-worker rate is words per CPU second of the worker processes when measured (a worker on
    a core of its own), else the wall-clock rate divided by the workers."""
    if dask_map.get("cpu_seconds"):
        per_worker = dask_map["words"] / dask_map["cpu_seconds"] / words_per_article  # articles/s per worker
    else:
        per_worker = dask_map["words_per_s"] / dask_map["workers"] / words_per_article
    per_day = per_worker * 86_400
    needed = max(1, -(-ARTICLES_PER_DAY * 2 // int(per_day))) if per_day else 0
    return (f"per worker: {per_worker:.1f} articles/s ({per_day:,.0f} articles/day at full load); "
            f"{ARTICLES_PER_DAY:,} articles/day take {ARTICLES_PER_DAY / per_day * 24:.1f} worker-hours: "
            f"{needed} worker(s) at half load")


RUNS = ("map-local", "map-dask", "build-local", "build-dask")


def measure_one(run: str, args: argparse.Namespace) -> dict:
    """One measurement, in this (fresh) process."""
    from kg.engine import Settings

    folder = corpus_folder(args.docs, args.seed, args.corpus)
    settings = Settings(model=args.model, batch_size=args.batch_size)
    if run.startswith("map"):
        t = time.perf_counter()
        docs = read_documents(folder)
        read = time.perf_counter() - t
        if run == "map-local":
            return {**map_local(docs, settings), "read_seconds": round(read, 2)}
        result, startup = map_dask(docs, settings, args.workers)
        return {**result, "startup_seconds": round(startup, 2), "read_seconds": round(read, 2)}
    engine = run.split("-")[1]
    with tempfile.TemporaryDirectory(prefix="kg-bench-dask-") as tmp:
        return build_run(folder, Path(tmp), engine, args.workers if engine == "dask" else 1, args.model,
                         args.batch_size)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--docs", type=int, default=1000)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--model", default=None, help="spaCy pipeline (default: the one kg build uses)")
    p.add_argument("--corpus", type=Path, default=None, help="use this folder instead of a generated corpus")
    p.add_argument("--no-build", action="store_true", help="only the mapped work, not the end-to-end builds")
    p.add_argument("--json", type=Path, default=None, help="also write every figure to this file")
    p.add_argument("--worker", choices=RUNS, default=None, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:  # one measurement, printed as JSON for the parent
        print(json.dumps(measure_one(args.worker, args)))
        return 0
    corpus_folder(args.docs, args.seed, args.corpus)  # generate it once, before any timing
    runs = RUNS[:2] if args.no_build else RUNS
    rows = []
    for run in runs:  # each in a fresh process: no model, lexicon or import left over from the last
        log(f"{run} ...")
        cmd = [sys.executable, __file__, "--worker", run, *_passed(args)]
        rows.append(json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()[-1]))
        log(f"  {rows[-1]['seconds']} s, {rows[-1]['words_per_s']:,} words/s, load {rows[-1]['load']}")
    local, dask_map = rows[0], rows[1]
    base = {"map": local, "build": rows[2] if len(rows) > 2 else local}
    print(f"{platform.machine()}, {os.cpu_count()} cores; {local['articles']:,} articles, batch {args.batch_size}; "
          f"reading and cleaning on the client {local['read_seconds']:.1f} s; "
          f"LocalCluster start-up {dask_map['startup_seconds']:.1f} s (not in the map rows)\n")
    print(table(rows, base))
    print("\n" + estimate(dask_map, local["words"] / max(local["articles"], 1)))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


def _passed(args: argparse.Namespace) -> list[str]:
    out = ["--docs", str(args.docs), "--workers", str(args.workers), "--seed", str(args.seed),
           "--batch-size", str(args.batch_size)]
    if args.model:
        out += ["--model", args.model]
    if args.corpus:
        out += ["--corpus", str(args.corpus)]
    return out


if __name__ == "__main__":
    sys.exit(main())
