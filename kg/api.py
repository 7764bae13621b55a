"""The library API the CLI wraps: build a folder into a graph, query a built graph."""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rdflib.namespace import RDF

from .article import process
from .errors import InputError
from .graph import build_dataset, union_graph
from .ingest import DEFAULT_MAX_BYTES, iter_documents
from .io import atomic_write_text
from .lexicon import load_lexicon
from .model import ArticleResult, Document, Skipped
from .namespace import ENTITY_CLASSES, KG, bind_prefixes
from .network import to_networkx
from .render import article_list, render_html
from .resolve import resolve

Progress = Callable[[int, int], None]


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
    extra: dict = field(default_factory=dict)


def _summary(results: list[ArticleResult], ds, skipped, outputs, started) -> BuildReport:  # noqa: ANN001
    classes: Counter = Counter()
    for cls in ENTITY_CLASSES:
        n = len(set(ds.subjects(RDF.type, KG[cls])))
        if n:
            classes[cls] = n
    rel = Counter(c.predicate for r in results for c in r.claims if c.polarity == "positive")
    return BuildReport(
        articles=len(results), skipped=tuple(skipped), entities=dict(sorted(classes.items())),
        relations=dict(sorted(rel.items())),
        negated=sum(c.polarity == "negated" for r in results for c in r.claims),
        hedged=sum(c.modality == "hedged" for r in results for c in r.claims),
        observations=sum(len(r.observations) for r in results), outputs=tuple(outputs),
        seconds=round(time.perf_counter() - started, 2),
        words=sum(len(r.document.text.split()) for r in results))


def build(folder: Path | str, out: Path | str = "output", model: str | None = None, batch_size: int = 16,
          max_bytes: int = DEFAULT_MAX_BYTES, progress: Progress | None = None) -> BuildReport:
    """Read every article under `folder`, extract, resolve, and write graph.trig/.ttl/.html to `out`."""
    started = time.perf_counter()
    folder, out = Path(folder), Path(out)
    if not folder.exists():
        raise InputError(f"no such folder: {folder}")
    if not folder.is_dir():
        raise InputError(f"not a folder: {folder}")
    lex = load_lexicon()
    items = list(iter_documents(folder, lex, max_bytes=max_bytes, exclude=out))
    documents = [d for d in items if isinstance(d, Document)]
    skipped = [s for s in items if isinstance(s, Skipped)]
    if not documents:
        why = f" ({len(skipped)} file(s) skipped)" if skipped else ""
        raise InputError(f"no articles found in {folder}: expected .txt, .md, .html, .json or .jsonl files{why}")
    results: list[ArticleResult] = []
    for r in process(documents, model=model, batch_size=batch_size):
        results.append(r)
        if progress:
            progress(len(results), len(documents))
    entities, key_of = resolve(results, lex)
    ds = build_dataset(results, entities, key_of)
    outputs = write_outputs(ds, out)
    report = _summary(results, ds, skipped, outputs, started)
    from .validate import validate_for_build

    report.extra["shacl_conforms"], report.extra["shacl"] = validate_for_build(ds)
    return report


def write_outputs(ds, out: Path) -> list[Path]:  # noqa: ANN001
    """graph.trig, graph.ttl and graph.html, each written atomically."""
    out.mkdir(parents=True, exist_ok=True)
    trig, ttl, html = out / "graph.trig", out / "graph.ttl", out / "graph.html"
    atomic_write_text(trig, ds.serialize(format="trig"))
    union = union_graph(ds)
    bind_prefixes(union)
    atomic_write_text(ttl, union.serialize(format="turtle"))
    atomic_write_text(html, render_html(to_networkx(ds), article_list(ds), title="crypto-kg"))
    return [trig, ttl, html]


def query(query_text: str, graph: Path | str = "output/graph.trig", fmt: str = "table") -> str:
    """Run a SPARQL query (text, .rq file or saved query name) over a built graph and format the answer."""
    from .saved import run_saved

    return run_saved(query_text, Path(graph), [], fmt, "memory")
