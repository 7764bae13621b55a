"""The library API the CLI wraps: build a folder into a graph, query a built graph."""
from __future__ import annotations

import contextlib
import gc
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from rdflib import Dataset
from rdflib.namespace import RDF

from .cache import ArticleCache, pipeline_key
from .engine import Settings, open_session
from .errors import InputError, UsageError
from .graph import QuadSet, build_quads
from .feed import feed
from .ingest import DEFAULT_MAX_BYTES
from .io import atomic_write_parts
from .lexicon import load_lexicon
from .model import ArticleResult, Skipped
from .namespace import ENTITY_CLASSES, KG
from .network import to_networkx
from .render import article_list, render_html
from .resolve import resolve
from .shards import MANIFEST, SHARDS_DIR, write_shards
from .turtle import trig_and_turtle

Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the summary the CLI prints."""

    articles: int
    skipped: tuple[Skipped, ...]
    entities: dict[str, int]
    relations: dict[str, int]
    negated: int
    hedged: int
    observations: int
    outputs: tuple[Path, ...]
    seconds: float
    words: int = 0
    reused: int = 0
    processed: int = 0
    removed: int = 0
    stages: dict[str, float] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


@dataclass
class _Run:
    """Mutable bookkeeping of one build: results so far, skips, seconds per stage."""

    results: list[ArticleResult] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    clock: Counter = field(default_factory=Counter)
    reused: int = 0


def _summary(run: _Run, quads: QuadSet, outputs: list[Path], started: float, removed: int) -> BuildReport:
    results = run.results
    classes: Counter = Counter()
    types = quads.view([RDF.type])
    for cls in ENTITY_CLASSES:
        n = len(set(types.subjects(RDF.type, KG[cls])))
        if n:
            classes[cls] = n
    rel = Counter(c.predicate for r in results for c in r.claims if c.polarity == "positive")
    return BuildReport(
        articles=len(results), skipped=tuple(sorted(run.skipped, key=lambda s: s.path)),
        entities=dict(sorted(classes.items())), relations=dict(sorted(rel.items())),
        negated=sum(c.polarity == "negated" for r in results for c in r.claims),
        hedged=sum(c.modality == "hedged" for r in results for c in r.claims),
        observations=sum(len(r.observations) for r in results), outputs=tuple(outputs),
        seconds=round(time.perf_counter() - started, 2), words=sum(r.words for r in results),
        reused=run.reused, processed=len(results) - run.reused, removed=removed,
        stages={k: round(v, 3) for k, v in sorted(run.clock.items())})


def _check_folders(folder: Path, out: Path) -> None:
    if not folder.exists():
        raise InputError(f"no such folder: {folder}")
    if not folder.is_dir():
        raise InputError(f"not a folder: {folder}")
    if out.exists() and not out.is_dir():
        raise InputError(f"output path is a file, not a folder: {out}")


def build(folder: Path | str, out: Path | str = "output", model: str | None = None, batch_size: int = 16,
          max_bytes: int = DEFAULT_MAX_BYTES, progress: Progress | None = None, jobs: int = 1,
          force: bool = False, engine: str = "local", scheduler: str | None = None,
          shards: int = 0) -> BuildReport:
    """Read every article under `folder`, extract (reusing cached articles), resolve, write outputs.

    Articles stream through: only small per-article results are kept until the graph is written.
    `shards` > 0 also writes the graph as that many N-Quads shards with a manifest (OUT/shards/).
    """
    if shards < 0:
        raise UsageError("--shards must be 0 (no shards) or more")
    started = time.perf_counter()
    folder, out = Path(folder), Path(out)
    _check_folders(folder, out)
    lex = load_lexicon()
    settings = Settings(model=model, batch_size=batch_size)
    cache = ArticleCache(out, pipeline_key(settings, lex))
    run = _Run()
    with open_session(engine, scheduler, settings, jobs) as session:
        feed(folder, out, session, cache, run, force, max_bytes, progress)
    if not run.results:
        shown = "; ".join(f"{s.path}: {s.reason}" for s in sorted(run.skipped, key=lambda s: s.path)[:3])
        more = f"; {len(run.skipped) - 3} more" if len(run.skipped) > 3 else ""
        why = f" ({len(run.skipped)} file(s) skipped: {shown}{more})" if run.skipped else ""
        raise InputError(f"no articles found in {folder}: expected .txt, .md, .html, .json or .jsonl files{why}")
    with _gc_paused():
        return _finish(run, cache, out, started, shards)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """The reduce step makes millions of small objects and no reference cycles, which Python's cyclic
    collector would walk again and again (~20 % of the step): it runs once the step is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _finish(run: _Run, cache: ArticleCache, out: Path, started: float, shards: int = 0) -> BuildReport:
    """The reduce step: resolve all results, write the graph (and its shards), validate, record the
    cache manifest. The graph stays plain quads: no rdflib store is made unless SHACL runs."""
    from .validate import validate_for_build

    run.results.sort(key=lambda r: (r.document.file_name, r.document.doc_id))
    lex = load_lexicon()
    t = time.perf_counter()
    entities, key_of = resolve(run.results, lex)
    run.clock["resolve"] += time.perf_counter() - t
    t = time.perf_counter()
    quads = build_quads(run.results, entities, key_of)
    run.clock["graph (quads)"] += time.perf_counter() - t
    outputs, digest = write_outputs(quads, out, run.clock)
    if shards:
        t = time.perf_counter()
        write_shards(quads, out, shards)
        outputs.append(out / SHARDS_DIR / MANIFEST)
        run.clock["write shards"] += time.perf_counter() - t
    removed = len(cache.previous_articles() - set(cache.used))
    cache.commit()
    t = time.perf_counter()
    known = cache.verdict(digest)
    conforms, text = known if known else validate_for_build(quads)
    if not known:
        cache.save_verdict(digest, conforms, text)
    run.clock["validate (SHACL)"] += time.perf_counter() - t
    report = _summary(run, quads, outputs, started, removed)
    report.extra["shacl_conforms"], report.extra["shacl"] = conforms, text
    return report


def write_outputs(quads: QuadSet | Dataset, out: Path, clock: Counter | None = None) -> tuple[list[Path], str]:
    """graph.trig, graph.ttl and graph.html, each written atomically; also the TriG's sha256, which
    keys the cached SHACL verdict."""
    clock = Counter() if clock is None else clock
    out.mkdir(parents=True, exist_ok=True)
    trig, ttl, html = out / "graph.trig", out / "graph.ttl", out / "graph.html"
    t = time.perf_counter()
    texts = trig_and_turtle(quads)  # one list of parts at a time
    digest = atomic_write_parts(trig, next(texts))
    atomic_write_parts(ttl, next(texts))
    clock["write trig and ttl"] += time.perf_counter() - t
    t = time.perf_counter()
    atomic_write_parts(html, [render_html(to_networkx(quads), article_list(quads), title="crypto-kg")])
    clock["write html"] += time.perf_counter() - t
    return [trig, ttl, html], digest


def query(query_text: str, graph: Path | str = "output/graph.trig", fmt: str = "table") -> str:
    """Run a SPARQL query (text, .rq file or saved query name) over a built graph and format the answer."""
    from .saved import run_saved

    return run_saved(query_text, Path(graph), [], fmt, "memory")
