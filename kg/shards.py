"""A big graph as N-Quads shards plus a manifest, for bulk loaders (Oxigraph, QLever, Jena).

`write_shards(quads, out, count)` (a build's QuadSet, or an rdflib Dataset) writes `OUT/shards/part-00000.nq` … `part-{count-1}.nq` and
`OUT/shards/manifest.json`. Each named graph (one per article) lies wholly in one shard, chosen by a
stable hash of its IRI; the default graph (entity-wide facts) is one more graph placed the same way.
Lines are sorted, so the same dataset always gives the same bytes. Every file is written atomically,
the manifest last, so a reader that trusts the manifest never sees half a set of shards.

The manifest records the format, each shard's file name, quad and graph counts, size and SHA-256,
and the totals; `read_manifest` checks the checksums before anything is loaded.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from rdflib import Dataset
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.serializers.nt import _quoteLiteral
from rdflib.term import Literal, Node

from .errors import InputError, UsageError, one_line
from .graph import QuadSet, as_quads
from .io import atomic_write_parts, atomic_write_text

SHARDS_DIR = "shards"
MANIFEST = "manifest.json"
FORMAT = "application/n-quads"
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class Shard:
    """One shard file as the manifest describes it."""

    path: Path
    quads: int
    graphs: int
    sha256: str
    bytes: int


def shard_index(graph_iri: str, count: int) -> int:
    """The shard a graph goes to: a stable hash of its IRI (the same on every machine and run)."""
    return int.from_bytes(hashlib.sha256(graph_iri.encode("utf-8")).digest()[:8], "big") % count


class _Lines:
    """N-Quads lines of graphs; each term's text made once per term object (kept alive here)."""

    def __init__(self) -> None:
        self.cache: dict[int, str] = {}
        self.keep: list[Node] = []

    def term(self, node: Node) -> str:
        out = self.cache.get(id(node))
        if out is None:
            out = self.cache[id(node)] = _quoteLiteral(node) if isinstance(node, Literal) else node.n3()
            self.keep.append(node)
        return out

    def graph(self, name: str, triples: Iterable[tuple]) -> list[str]:
        suffix = f" <{name}> .\n" if name else " .\n"
        cache, term = self.cache, self.term
        return [f"{cache.get(id(s)) or term(s)} {cache.get(id(p)) or term(p)} {cache.get(id(o)) or term(o)}{suffix}"
                for s, p, o in triples]


def _by_shard(quads: QuadSet, count: int) -> list[list[tuple[str, tuple]]]:
    """The (name, triples) of each shard's graphs (default graph: name "")."""
    shards: list[list[tuple[str, tuple]]] = [[] for _ in range(count)]
    for name, triples in quads.graphs:
        if triples:
            text = "" if name is None else str(name)
            shards[shard_index(text, count)].append((text, triples))
    return shards


def write_shards(data: QuadSet | Dataset, out: Path | str, count: int) -> list[Path]:
    """Write a build's quads (or a Dataset) as `count` N-Quads shards and a manifest under OUT/shards/;
    return the shard paths. One shard's lines are in memory at a time.

    Shards left from an earlier build with more shards are removed once the new manifest is written.
    """
    if count < 1:
        raise UsageError("--shards needs at least 1 shard")
    folder = Path(out) / SHARDS_DIR
    lines = _Lines()
    paths, entries = [], []
    for i, graphs in enumerate(_by_shard(as_quads(data), count)):
        shard_lines = [line for name, triples in graphs for line in lines.graph(name, triples)]
        shard_lines.sort()
        path = folder / f"part-{i:05d}.nq"
        digest = atomic_write_parts(path, ("".join(shard_lines[n:n + 4096]) for n in range(0, len(shard_lines), 4096)))
        paths.append(path)
        entries.append({"file": path.name, "quads": len(shard_lines), "graphs": len(graphs),
                        "bytes": path.stat().st_size, "sha256": digest})
        del shard_lines
    manifest = {"format": FORMAT, "version": MANIFEST_VERSION, "shards": entries,
                "quads": sum(e["quads"] for e in entries), "graphs": sum(e["graphs"] for e in entries),
                "default_graph": entries[shard_index("", count)]["file"]}
    atomic_write_text(folder / MANIFEST, json.dumps(manifest, indent=2) + "\n")
    for stale in set(folder.glob("part-*.nq")) - set(paths):
        stale.unlink(missing_ok=True)
    return paths


def find_manifest(path: Path | str) -> Path | None:
    """The manifest `path` names: the file itself, DIR/manifest.json, or DIR/shards/manifest.json."""
    path = Path(path)
    if path.is_file():
        return path if path.name == MANIFEST else None
    for candidate in (path / MANIFEST, path / SHARDS_DIR / MANIFEST):
        if candidate.is_file():
            return candidate
    return None


def read_manifest(manifest: Path | str, verify: bool = True) -> list[Shard]:
    """The shards a manifest lists; with `verify`, each file's size and SHA-256 are checked (InputError)."""
    manifest = Path(manifest)
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        entries = data["shards"]
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r} is not {FORMAT}")
        shards = [Shard(manifest.parent / e["file"], int(e["quads"]), int(e["graphs"]), str(e["sha256"]),
                        int(e["bytes"])) for e in entries]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"cannot read the shard manifest {manifest}: {one_line(exc)}") from exc
    if verify:
        for shard in shards:
            verify_shard(shard)
    return shards


def verify_shard(shard: Shard) -> None:
    """InputError unless the file is there with the size and SHA-256 the manifest records."""
    try:
        digest = _sha256(shard.path)
    except OSError as exc:
        raise InputError(f"shard {shard.path} listed in the manifest cannot be read: {one_line(exc)}") from exc
    if digest != shard.sha256:
        raise InputError(f"shard {shard.path} does not match its manifest (sha256 {digest[:12]}…, expected "
                         f"{shard.sha256[:12]}…): it changed after it was written; rebuild the shards")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_shards_dataset(shards: Iterable[Shard]) -> Dataset:
    """The shards parsed into one rdflib Dataset whose default graph is the union (the memory store)."""
    from .namespace import bind_prefixes

    ds = Dataset(default_union=True)
    for shard in shards:
        # each shard into a Dataset of its own: rdflib's N-Quads parser drops the default graph a
        # Dataset already holds when it parses a second file into it
        part = Dataset(default_union=True)
        try:
            part.parse(shard.path, format="nquads")
        except Exception as exc:  # rdflib raises parser-specific errors
            raise InputError(f"cannot parse {shard.path}: {one_line(exc)}") from exc
        for graph in part.graphs():
            default = graph.identifier == DATASET_DEFAULT_GRAPH_ID
            target = ds.default_graph if default else ds.graph(graph.identifier)
            target.addN((s, p, o, target) for s, p, o in graph)
    bind_prefixes(ds)
    return ds


__all__ = ["write_shards", "read_manifest", "find_manifest", "verify_shard", "load_shards_dataset",
           "shard_index", "Shard", "SHARDS_DIR", "MANIFEST"]
