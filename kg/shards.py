"""A big graph as N-Quads shards plus a manifest, for bulk loaders (Oxigraph, QLever, Jena).

`write_shards(ds, out, count)` writes `OUT/shards/part-00000.nq` … `part-{count-1}.nq` and
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
from .io import atomic_write_text

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


def _term(node: Node) -> str:
    return _quoteLiteral(node) if isinstance(node, Literal) else node.n3()


def _lines(ds: Dataset, count: int) -> tuple[list[list[str]], list[set[str]]]:
    """N-Quads lines per shard, and the graphs each shard holds (default graph: "")."""
    lines: list[list[str]] = [[] for _ in range(count)]
    graphs: list[set[str]] = [set() for _ in range(count)]
    for context in ds.graphs():
        name = "" if context.identifier == DATASET_DEFAULT_GRAPH_ID else str(context.identifier)
        i = shard_index(name, count)
        suffix = f" <{name}> .\n" if name else " .\n"
        before = len(lines[i])
        lines[i].extend(f"{_term(s)} {_term(p)} {_term(o)}{suffix}" for s, p, o in context)
        if len(lines[i]) > before:
            graphs[i].add(name)
    return lines, graphs


def write_shards(ds: Dataset, out: Path | str, count: int) -> list[Path]:
    """Write the dataset as `count` N-Quads shards and a manifest under OUT/shards/; return the shard paths.

    Shards left from an earlier build with more shards are removed once the new manifest is written.
    """
    if count < 1:
        raise UsageError("--shards needs at least 1 shard")
    folder = Path(out) / SHARDS_DIR
    lines, graphs = _lines(ds, count)
    paths, entries = [], []
    for i, shard_lines in enumerate(lines):
        shard_lines.sort()
        text = "".join(shard_lines)
        data = text.encode("utf-8")
        path = folder / f"part-{i:05d}.nq"
        atomic_write_text(path, text)
        paths.append(path)
        entries.append({"file": path.name, "quads": len(shard_lines), "graphs": len(graphs[i]),
                        "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
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
