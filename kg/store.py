"""Where a built graph is held for querying: rdflib in memory, or Oxigraph on disk.

`open_store(graph, "memory" | "oxigraph")` gives a `GraphStore` whose `query()` answers the same
way on both: the default graph is the union of every article graph (plus the entity-wide facts),
`GRAPH ?g` ranges over the article graphs, string literals come back plain.

The Oxigraph store is persisted beside the graph file (`output/oxigraph/`), loaded from it once and
reloaded only when the graph file changes; it holds the article graphs and, as its default graph,
their union (so duplicates across articles count once, as they do in rdflib). A graph written as
N-Quads shards (`output/shards/manifest.json`, kg.shards) is bulk-loaded from its shards, checked
against the manifest's checksums; `--graph` may name the manifest, the shards folder or the output
folder (`graph_source`).

Every query is checked first (`check_query`): SPARQL Update and federated `SERVICE` clauses are
refused, and `FROM <iri>` only ever selects a graph of the dataset: nothing is fetched from the web.
"""
from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Iterator, Mapping

import rdflib.plugins.sparql
from rdflib import Dataset, Graph
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.query import Result
from rdflib.term import Identifier, Variable

from .errors import InputError, QueryError, UsageError, one_line
from .namespace import PREFIXES, bind_prefixes
from .query import from_ox, load_graph, to_ox

# FROM / FROM NAMED never download a graph: they pick graphs of the dataset (rdflib's default is to fetch).
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

STORES = ("memory", "oxigraph")
OXIGRAPH_DIR = "oxigraph"
_STAMP = "source.json"
_PARSE_LOCK = threading.Lock()  # pyparsing grammars are not safe to share between threads
_PREFIX_STR = {p: str(ns) for p, ns in PREFIXES.items()}


class QueryRefused(QueryError):
    """A well-formed request the endpoint will not run (HTTP 403)."""

    status = 403


class UpdateRefused(QueryRefused):
    """SPARQL Update on the read-only graph."""


class ServiceRefused(QueryRefused):
    """A federated SERVICE clause: the tool never makes outbound requests."""


class QueryTimeout(QueryError):
    """The query ran past its time limit."""

    def __init__(self, message: str = "the query ran past its time limit") -> None:
        super().__init__(message)


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed `check_query`: its form and, parsed once, rdflib's prepared query."""

    text: str
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    prepared: object = field(repr=False, compare=False)


def _walk(node: object) -> Iterator[str]:
    if isinstance(node, CompValue):
        yield node.name
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _walk(value)


@functools.lru_cache(maxsize=128)
def check_query(text: str) -> CheckedQuery:
    """Parse a query; refuse SPARQL Update and SERVICE; QueryError (with the parser's message) if malformed.

    Cached by text: rdflib's parse costs 20-150 ms, more than most queries take in Oxigraph."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    with _PARSE_LOCK:
        try:
            parsed = parseQuery(text)
        except Exception as exc:  # pyparsing.ParseException and friends
            try:
                parseUpdate(text)
            except Exception:
                raise QueryError(f"SPARQL syntax error: {one_line(exc)}") from None
            raise UpdateRefused("SPARQL Update is not allowed: the graph is read-only "
                                "(rebuild it with `kg build`)") from None
        try:
            prepared = translateQuery(parsed, initNs=PREFIXES)
        except Exception as exc:  # unknown prefix, bad aggregate, ...
            raise QueryError(f"SPARQL error: {one_line(exc)}") from None
    names = set(_walk(prepared.algebra))
    if "ServiceGraphPattern" in names:
        raise ServiceRefused("SERVICE (federated query) is not allowed: crypto-kg never makes outbound requests")
    form = prepared.algebra.name.replace("Query", "").upper()
    return CheckedQuery(text, form, prepared)


class GraphStore:
    """A built graph opened for querying. Use as a context manager, or call close()."""

    def __init__(self, kind: str, dataset: Dataset | None, source: Path, location: Path | None = None,
                 ox_store: object | None = None) -> None:
        self.kind, self.dataset, self.source, self.location = kind, dataset, source, location
        self._ox = ox_store

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._ox = None
        self.dataset = None  # type: ignore[assignment]  # drops the Oxigraph handle

    def __len__(self) -> int:
        """Number of distinct triples in the union graph."""
        res = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(res))[0])

    def query(self, text: str | CheckedQuery, bindings: Mapping[str, Identifier] | None = None,
              trusted: bool = False) -> Result:
        """Run a checked query; `bindings` pre-bind variables (rdflib initBindings, Oxigraph substitutions).

        `trusted` text (a saved query shipped with the package) skips `check_query` on Oxigraph, which
        parses it itself: rdflib's parse would cost more than the query."""
        binds = {str(k): v for k, v in (bindings or {}).items()}
        try:
            if self.kind == "oxigraph" and trusted and isinstance(text, str):
                return self._oxigraph_query(text, binds)
            checked = text if isinstance(text, CheckedQuery) else check_query(text)
            if self.kind == "memory":
                return self.dataset.query(checked.prepared, initBindings=binds)
            return self._oxigraph_query(checked.text, binds)
        except QueryError:
            raise
        except Exception as exc:  # evaluation errors of either engine
            raise QueryError(f"SPARQL error: {one_line(exc)}") from exc

    def _oxigraph_query(self, text: str, binds: dict) -> Result:
        """Oxigraph's answer as an rdflib Result, each distinct term converted once."""
        import pyoxigraph as ox

        raw = self._ox.query(text, prefixes=_PREFIX_STR,
                             substitutions={ox.Variable(k): to_ox(v) for k, v in binds.items()})
        if isinstance(raw, ox.QueryBoolean):
            out = Result("ASK")
            out.askAnswer = bool(raw)
            return out
        terms: dict = {}
        if isinstance(raw, ox.QuerySolutions):
            out = Result("SELECT")
            out.vars = [Variable(v.value) for v in raw.variables]
            out.bindings = [{k: from_ox(v, terms) for k, v in zip(out.vars, row) if v is not None} for row in raw]
            return out
        out = Result("CONSTRUCT")
        out.graph = Graph()
        bind_prefixes(out.graph)
        out.graph += ((from_ox(t.subject, terms), from_ox(t.predicate, terms), from_ox(t.object, terms)) for t in raw)
        return out


# --------------------------------------------------------------------------------------------
# Oxigraph persistence
# --------------------------------------------------------------------------------------------

def oxigraph_location(graph: Path | str) -> Path:
    """Where the Oxigraph store of a graph file lives: `oxigraph/` beside it."""
    return Path(graph).parent / OXIGRAPH_DIR


def _stamp(graph: Path) -> dict:
    st = graph.stat()
    return {"source": str(graph.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _ox_format(graph: Path):  # noqa: ANN202
    import pyoxigraph as ox

    fmt = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE,
           ".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD}.get(graph.suffix)
    if fmt is None:
        raise InputError(f"{graph}: unknown graph format (use .trig, .nq, .ttl, .nt or .jsonld)")
    return fmt


@contextlib.contextmanager
def _lock(location: Path) -> Iterator[None]:
    location.parent.mkdir(parents=True, exist_ok=True)
    with open(location.parent / f".{location.name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def is_current(graph: Path | str, location: Path | str | None = None) -> bool:
    """True when the Oxigraph store at `location` was loaded from `graph` as it is now."""
    graph = Path(graph)
    location = Path(location) if location else oxigraph_location(graph)
    try:
        return json.loads((location / _STAMP).read_text()) == _stamp(graph) and (location / "store").is_dir()
    except (OSError, ValueError):
        return False


def graph_source(graph: Path | str) -> tuple[Path, Path | None]:
    """What a `--graph` value stands for: (the file the store is stamped with, the shard manifest or None).

    GRAPH may be a graph file, a shard manifest, a folder of shards, or a build's output folder. A
    graph file with shards beside it (`shards/manifest.json`, written with or after it) is read from
    its shards, which bulk-load faster and hold the same dataset.
    """
    from .shards import MANIFEST, SHARDS_DIR, find_manifest

    graph = Path(graph)
    if graph.is_dir():
        manifest = find_manifest(graph)
        return (manifest, manifest) if manifest else (graph / "graph.trig", None)
    if graph.name == MANIFEST:
        return graph, graph
    beside = graph.parent / SHARDS_DIR / MANIFEST
    if beside.is_file() and (not graph.exists() or beside.stat().st_mtime_ns >= graph.stat().st_mtime_ns):
        return beside, beside
    return graph, None


def store_location(graph: Path | str) -> Path:
    """The default Oxigraph folder for a `--graph` value: `oxigraph/` in the build's output folder."""
    source, manifest = graph_source(graph)
    if manifest is None:
        return oxigraph_location(source)
    base = manifest.parent.parent if manifest.parent.name == "shards" else manifest.parent
    return base / OXIGRAPH_DIR


def persist_oxigraph(graph: Path | str, location: Path | str | None = None, force: bool = False) -> Path:
    """Load a built graph (file or shards, see `graph_source`) into a persistent Oxigraph store.

    The default location is `oxigraph/` in the build's output folder. Skipped when the store is already
    current (same source file, size and mtime) unless `force`. Shards are checked against their
    manifest's checksums first. The new store is written to a temporary folder and swapped in, so a
    failed load leaves the old one intact. Returns the store's folder.
    """
    source, manifest = graph_source(graph)
    if not source.exists():
        raise InputError(f"no graph at {source}: build one first with `kg build DIR --out {source.parent}`")
    location = Path(location) if location else store_location(graph)
    _check_location(location)
    try:
        with _lock(location):
            if not force and is_current(source, location):
                return location
            return _persist(source, _sources(source, manifest), location)
    except PermissionError as exc:
        raise InputError(f"cannot write the Oxigraph store {location}: {one_line(exc)} "
                         "(copy the graph to a folder you can write to)") from exc


def _check_location(location: Path) -> None:
    """Refuse a store location that holds something else: loading replaces the folder there."""
    if location.exists() and not location.is_dir():
        raise InputError(f"{location} is a file, not an Oxigraph store folder: "
                         "the store needs a new or empty folder (kg load --out FOLDER)")
    if location.is_dir() and not (location / _STAMP).is_file() and any(location.iterdir()):
        raise InputError(f"{location} holds other files, not an Oxigraph store: "
                         "the store needs a new or empty folder (kg load --out FOLDER)")


def _sources(source: Path, manifest: Path | None) -> list[tuple[Path, object]]:
    """(file, Oxigraph format) pairs to load: the verified shards, or the graph file itself."""
    import pyoxigraph as ox

    if manifest is None:
        return [(source, _ox_format(source))]
    from .shards import read_manifest

    return [(shard.path, ox.RdfFormat.N_QUADS) for shard in read_manifest(manifest, verify=True)]


def _quads(files: list[tuple[Path, object]]) -> Iterator:
    """Every quad of the files, each also in the default graph (the union), as the store holds them."""
    import pyoxigraph as ox

    for path, fmt in files:
        quads = ox.parse(path=str(path), format=fmt)
        if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS, ox.RdfFormat.JSON_LD):
            quads = chain.from_iterable(
                (q, ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())) for q in quads)
        yield from quads


def _persist(source: Path, files: list[tuple[Path, object]], location: Path) -> Path:
    import pyoxigraph as ox

    tmp = Path(tempfile.mkdtemp(prefix=f".{location.name}-", dir=location.parent))
    try:
        stamp = _stamp(source)
        store = ox.Store(str(tmp / "store"))
        store.bulk_extend(_quads(files))
        store.flush()
        store.optimize()
        del store  # releases the RocksDB lock
        (tmp / _STAMP).write_text(json.dumps(stamp), encoding="utf-8")
        _swap(tmp, location)
    except SyntaxError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise InputError(f"cannot parse {source}: {one_line(exc)}") from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return location


def _swap(tmp: Path, location: Path) -> None:
    """Put the freshly loaded store in place of the old one (renames only)."""
    old = None
    if location.exists():
        old = location.with_name(f".{location.name}-old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        location.rename(old)
    tmp.rename(location)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def open_oxigraph(location: Path | str, source: Path | None = None) -> GraphStore:
    """Open a persisted Oxigraph store read-only (queried directly: no rdflib Dataset over it)."""
    import pyoxigraph as ox

    location = Path(location)
    try:
        ro = ox.Store.read_only(str(location / "store"))
    except OSError as exc:
        raise InputError(f"cannot open the Oxigraph store at {location}: {one_line(exc)}") from exc
    return GraphStore("oxigraph", None, source or location, location, ro)


def open_store(graph: Path | str = "output/graph.trig", store: str = "memory",
               location: Path | str | None = None) -> GraphStore:
    """Open a built graph for querying, in memory (rdflib) or in Oxigraph (loaded beside it if stale)."""
    graph = Path(graph)
    if store not in STORES:
        raise UsageError(f"unknown store {store!r}: use memory or oxigraph")
    if store == "memory":
        source, manifest = graph_source(graph) if graph.is_dir() or graph.name == "manifest.json" else (graph, None)
        if manifest is not None:
            from .shards import load_shards_dataset, read_manifest

            return GraphStore("memory", load_shards_dataset(read_manifest(manifest)), manifest)
        return GraphStore("memory", load_graph(source), source)
    loc = persist_oxigraph(graph, location)
    return open_oxigraph(loc, graph_source(graph)[0])


__all__ = ["STORES", "GraphStore", "CheckedQuery", "QueryRefused", "UpdateRefused", "ServiceRefused",
           "QueryTimeout", "check_query", "open_store", "open_oxigraph", "persist_oxigraph",
           "oxigraph_location", "is_current", "graph_source", "store_location"]
