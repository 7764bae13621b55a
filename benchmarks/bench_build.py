"""How fast `kg build` runs next to the floor (raw spaCy `nlp.pipe` on the same texts), and its peak memory.

    .venv/bin/python benchmarks/bench_build.py --docs 1000 [--jobs 1 2] [--batch-size 16] [--seed 0]
        [--corpus DIR] [--keep DIR] [--model NAME] [--repeat 1] [--json FILE]

Generates the corpus once (benchmarks/corpus.py; cached in the temp folder, or --corpus DIR), then
for each --jobs value, each measurement in a fresh process:

* floor: the same spaCy model kg uses (`spacy.load`, no kg components), `nlp.pipe` over the same
  cleaned article texts (`kg.ingest.iter_documents`) with the same batch size and
  `n_process = jobs`; words/s over the `nlp.pipe` time only (texts already in memory);
* build: `kg.api.build(corpus, out, jobs=J, force=True)`, words/s = report.words / report.seconds
  (everything from reading the folder to the validated graph and graph.html), ratio to the floor,
  seconds per stage (worker stages are summed over the worker processes);
* rebuild: the same build again without --force (every article reused from the cache), its time
  relative to the first build.

Peak memory is sampled every 50 ms over the whole process tree (the build and its worker
processes): the sum of RSS (an upper bound: forked workers share pages) and the peak PSS
(proportional set size, sampled every 0.5 s; shared pages split between processes).
A Markdown table goes to stdout, progress to stderr; --json writes every figure.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
MB = 1024 * 1024


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


class TreeMonitor:
    """Samples the memory of a process and all its descendants until stopped."""

    def __init__(self, pid: int, interval: float = 0.05, pss_every: int = 10) -> None:
        self.proc, self.interval, self.pss_every = psutil.Process(pid), interval, pss_every
        self.peak_rss = self.peak_pss = self.peak_main = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "TreeMonitor":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _tree(self) -> list[psutil.Process]:
        try:
            return [self.proc, *self.proc.children(recursive=True)]
        except psutil.Error:
            return []

    def _run(self) -> None:
        n = 0
        while not self._stop.is_set():
            procs = self._tree()
            self.peak_rss = max(self.peak_rss, sum(_safe(p, "rss") for p in procs))
            self.peak_main = max(self.peak_main, _safe(self.proc, "rss"))
            if n % self.pss_every == 0:
                self.peak_pss = max(self.peak_pss, sum(_safe(p, "pss") for p in procs))
            n += 1
            self._stop.wait(self.interval)

    def figures(self) -> dict:
        return {"peak_rss_mb": round(self.peak_rss / MB), "peak_pss_mb": round(self.peak_pss / MB),
                "peak_main_rss_mb": round(self.peak_main / MB)}


def _safe(p: psutil.Process, field: str) -> int:
    try:
        info = p.memory_full_info() if field == "pss" else p.memory_info()
        return getattr(info, field, 0)
    except psutil.Error:
        return 0


def last_json_line(out: str) -> dict:
    """The worker's result: the last line of its output, as JSON."""
    return json.loads(out.strip().splitlines()[-1])


def run_measured(argv: list[str], timeout: float | None = None, parse=last_json_line) -> dict:  # noqa: ANN001
    """Run `argv` (a worker printing its result as JSON), sampling its process tree's memory.

    On a timeout the worker is killed and what it printed so far is still parsed (`parse(stdout)`)."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with TreeMonitor(proc.pid) as mon:
        try:
            out, err = proc.communicate(timeout=timeout)
            error = None if proc.returncode == 0 else (err.strip().splitlines() or [f"exit {proc.returncode}"])[-1]
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            error = f"killed after {timeout:.0f} s"
    try:
        result = parse(out) if out.strip() else {}
    except (ValueError, IndexError):
        result = {}
    if error:
        result["error"] = error
    result.update(mon.figures(), process_wall=round(time.perf_counter() - t, 2))
    return result


# ----------------------------------------------------------------------------------------------
# workers (run in fresh processes)
# ----------------------------------------------------------------------------------------------

def worker_floor(corpus: Path, model: str | None, batch_size: int, n_process: int) -> dict:
    """Raw spaCy: the base model over the cleaned article texts, nothing else."""
    import spacy

    from kg.annotate import resolve_model_name
    from kg.ingest import iter_documents
    from kg.lexicon import load_lexicon
    from kg.model import Document

    texts = [d.text for d in iter_documents(corpus, load_lexicon()) if isinstance(d, Document)]
    name = resolve_model_name(model)
    t = time.perf_counter()
    nlp = spacy.blank(name.split(":", 1)[1]) if name.startswith("blank:") else spacy.load(name)
    loaded = time.perf_counter() - t
    t = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        pass
    seconds = time.perf_counter() - t
    words = sum(len(x.split()) for x in texts)
    return {"model": name, "docs": len(texts), "words": words, "load_seconds": round(loaded, 2),
            "seconds": round(seconds, 2), "words_per_s": round(words / seconds)}


def worker_build(corpus: Path, out: Path, model: str | None, batch_size: int, jobs: int, force: bool) -> dict:
    """kg.api.build end to end, as `kg build` runs it."""
    t = time.perf_counter()
    from kg.api import build
    imported = time.perf_counter() - t
    report = build(corpus, out, model=model, batch_size=batch_size, jobs=jobs, force=force)
    return {"articles": report.articles, "skipped": len(report.skipped), "words": report.words,
            "seconds": report.seconds, "words_per_s": round(report.words / max(report.seconds, 1e-9)),
            "import_seconds": round(imported, 2), "stages": report.stages, "reused": report.reused,
            "processed": report.processed, "triples_hint": sum(report.relations.values()),
            "shacl_conforms": report.extra.get("shacl_conforms")}


def _worker_main(args: argparse.Namespace) -> int:
    if args.worker == "floor":
        result = worker_floor(args.corpus, args.model, args.batch_size, args.jobs[0])
    else:
        result = worker_build(args.corpus, args.out, args.model, args.batch_size, args.jobs[0], args.force)
    print(json.dumps(result))
    return 0


# ----------------------------------------------------------------------------------------------
# driver
# ----------------------------------------------------------------------------------------------

def corpus_folder(docs: int, seed: int, given: Path | None) -> Path:
    """The corpus to measure: --corpus DIR as is, else generated once into a cached temp folder."""
    from corpus import generate

    if given is not None and any(given.iterdir() if given.exists() else ()):
        return given
    folder = given or Path(tempfile.gettempdir()) / f"kg-bench-corpus-{docs}-s{seed}"
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        log(f"generating {docs} articles into {folder}")
        generate(folder, docs, seed)
        done.write_text("ok")
    return folder


def _worker_argv(kind: str, corpus: Path, args: argparse.Namespace, jobs: int, out: Path | None = None,
                 force: bool = False) -> list[str]:
    argv = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, "--corpus", str(corpus),
            "--batch-size", str(args.batch_size), "--jobs", str(jobs)]
    argv += ["--model", args.model] if args.model else []
    argv += ["--out", str(out)] if out else []
    return argv + (["--force"] if force else [])


def best_of(argv: list[str], repeat: int, key: str = "seconds") -> dict:
    """The fastest of `repeat` runs (the least disturbed by other load on the machine)."""
    runs = [run_measured(argv) for _ in range(max(repeat, 1))]
    ok = [r for r in runs if "error" not in r]
    return min(ok, key=lambda r: r[key]) if ok else runs[0]


def measure(corpus: Path, out_root: Path, args: argparse.Namespace, jobs: int) -> dict:
    """Floor, build and rebuild for one --jobs value."""
    if args.no_floor:
        floor = {"error": "not measured (--no-floor)"}
    else:
        log(f"jobs={jobs}: floor (nlp.pipe, n_process={jobs})")
        floor = best_of(_worker_argv("floor", corpus, args, jobs), args.repeat)
    out = out_root / f"jobs{jobs}"
    log(f"jobs={jobs}: kg build --force")
    first = best_of(_worker_argv("build", corpus, args, jobs, out, force=True), args.repeat)
    again = rebuild(_worker_argv("build", corpus, args, jobs, out), jobs)
    row = {"jobs": jobs, "floor": floor, "build": first, "rebuild": again}
    if "error" not in floor and "error" not in first:
        row["ratio"] = round(first["words_per_s"] / floor["words_per_s"], 3)
    if "error" not in again and "error" not in first:
        row["rebuild_ratio"] = round(again["seconds"] / max(first["seconds"], 1e-9), 3)
    return row


def rebuild(argv: list[str], jobs: int, attempts: int = 3) -> dict:
    """The build again, unchanged: every article should come from the cache. If kg's code or ontology
    changed meanwhile (the cache key covers them), the run re-processes; try again (up to `attempts`)."""
    for attempt in range(1, attempts + 1):
        log(f"jobs={jobs}: rebuild (all cached), attempt {attempt}")
        again = run_measured(argv)
        again["attempts"] = attempt
        if "error" in again or again["reused"] == again["articles"]:
            return again
        log(f"  only {again['reused']} of {again['articles']} reused: kg code or ontology changed since the build")
    return again


def _machine() -> str:
    import platform

    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    return f"{os.cpu_count()} cores ({cpu}), {psutil.virtual_memory().total / 2**30:.0f} GB RAM, Python {platform.python_version()}"


def _g(d: dict, key: str, fmt: str = "{:,}") -> str:
    return "error" if "error" in d else fmt.format(d.get(key, 0))


def update_readme(section: str, text: str, readme: Path = HERE / "README.md") -> None:
    """Replace what lies between `<!-- section -->` and `<!-- /section -->` in benchmarks/README.md."""
    start, end = f"<!-- {section} -->", f"<!-- /{section} -->"
    doc = readme.read_text(encoding="utf-8")
    if start not in doc or end not in doc:
        log(f"{readme} has no {start} ... {end} markers: not updated")
        return
    head, rest = doc.split(start, 1)
    readme.write_text(f"{head}{start}\n{text.strip()}\n{end}{rest.split(end, 1)[1]}", encoding="utf-8")
    log(f"updated the {section} section of {readme}")


def _rebuild_cell(r: dict) -> str:
    rb = r["rebuild"]
    if "error" in rb or rb.get("reused") == rb.get("articles"):
        return str(r.get("rebuild_ratio", "-"))
    return f"{r.get('rebuild_ratio', '-')} (only {rb['reused']}/{rb['articles']} reused)"


def table(rows: list[dict]) -> str:
    """The Markdown summary: one row per --jobs, then seconds per stage."""
    head = ("| jobs | articles | words | floor words/s (nlp.pipe) | kg build words/s | ratio | build s | "
            "process wall s | peak RSS tree MB | peak PSS MB | floor peak RSS MB | rebuild s | rebuild / first | write html s |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        f, b, rb = r["floor"], r["build"], r["rebuild"]
        lines.append(f"| {r['jobs']} | {_g(b, 'articles')} | {_g(b, 'words')} | {_g(f, 'words_per_s')} | "
                     f"{_g(b, 'words_per_s')} | {r.get('ratio', '-')} | {_g(b, 'seconds')} | {_g(b, 'process_wall')} | "
                     f"{_g(b, 'peak_rss_mb')} | {_g(b, 'peak_pss_mb')} | {_g(f, 'peak_rss_mb')} | {_g(rb, 'seconds')} | "
                     f"{_rebuild_cell(r)} | {b.get('stages', {}).get('write html', '-')} |")
    if len(rows) > 1 and all("error" not in r["build"] for r in rows[:2]):
        speedup = rows[1]["build"]["words_per_s"] / rows[0]["build"]["words_per_s"]
        lines.append(f"\nSpeed-up jobs={rows[1]['jobs']} over jobs={rows[0]['jobs']}: {speedup:.2f}x "
                     f"(floor: {rows[1]['floor'].get('words_per_s', 0) / max(rows[0]['floor'].get('words_per_s', 1), 1):.2f}x)")
    return "\n".join(lines) + "\n\n" + stage_table(rows)


def stage_table(rows: list[dict]) -> str:
    """Seconds per build stage and each stage's share of the summed stage time."""
    stages = sorted({s for r in rows for s in r["build"].get("stages", {})},
                    key=lambda s: -max(r["build"].get("stages", {}).get(s, 0) for r in rows))
    head = "| stage | " + " | ".join(f"jobs={r['jobs']} s | share" for r in rows) + " |"
    lines = [head, "|" + "---|" * (1 + 2 * len(rows))]
    for s in stages:
        cells = []
        for r in rows:
            st = r["build"].get("stages", {})
            total = sum(st.values()) or 1
            cells.append(f"{st.get(s, 0):.2f} | {100 * st.get(s, 0) / total:.1f}%")
        lines.append(f"| {s} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--docs", type=int, default=1000, help="articles in the generated corpus (default 1000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="worker counts to compare (default 1 2)")
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--model", default=None, help="spaCy pipeline (default: what kg build loads)")
    p.add_argument("--corpus", type=Path, default=None, help="use (or generate into) this folder")
    p.add_argument("--keep", type=Path, default=None, help="keep the build outputs in this folder")
    p.add_argument("--repeat", type=int, default=1, help="runs per measurement; the fastest is reported")
    p.add_argument("--json", type=Path, default=None, help="also write every figure to this file")
    p.add_argument("--readme", action="store_true", help="also put the tables in benchmarks/README.md")
    p.add_argument("--no-floor", action="store_true", help="skip the nlp.pipe floor (for a memory run)")
    p.add_argument("--worker", choices=("floor", "build"), help=argparse.SUPPRESS)
    p.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--force", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        return _worker_main(args)
    corpus = corpus_folder(args.docs, args.seed, args.corpus)
    out_root = args.keep or Path(tempfile.mkdtemp(prefix="kg-bench-build-"))
    try:
        rows = [measure(corpus, out_root, args, j) for j in args.jobs]
    finally:
        if args.keep is None:
            shutil.rmtree(out_root, ignore_errors=True)
    text = (f"Machine: {_machine()}\nCorpus: {args.docs} generated articles (benchmarks/corpus.py, seed {args.seed}), "
            f"batch size {args.batch_size}\n\n{table(rows)}")
    print(text)
    if args.readme:
        update_readme("bench_build", text)
    if args.json:
        args.json.write_text(json.dumps({"machine": _machine(), "docs": args.docs, "seed": args.seed,
                                         "batch_size": args.batch_size, "runs": rows}, indent=2))
    return 0 if all("error" not in r["build"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
