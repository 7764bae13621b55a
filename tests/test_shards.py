"""N-Quads shards and their manifest (kg.shards), and `kg load --store oxigraph` over them."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Dataset, Literal
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from typer.testing import CliRunner

from kg.cli import app
from kg.query import load_graph
from kg.saved import execute
from kg.shards import load_shards_dataset, read_manifest, shard_index, write_shards
from kg.store import graph_source, is_current, store_location


@pytest.fixture(scope="module")
def built(seeds_build, tmp_path_factory) -> Path:  # noqa: ANN001
    """An output folder of our own holding the seeds graph and 4 shards of it."""
    out = tmp_path_factory.mktemp("shards_build")
    shutil.copy(seeds_build.out / "graph.trig", out / "graph.trig")
    write_shards(load_graph(out / "graph.trig"), out, 4)
    return out


def quads(ds: Dataset) -> set[tuple]:
    """Every quad with its graph name ('' for the default graph)."""
    out = set()
    for s, p, o, g in ds.quads((None, None, None, None)):
        name = g.identifier if hasattr(g, "identifier") else g
        out.add((s, p, o, "" if name in (None, DATASET_DEFAULT_GRAPH_ID) else str(name)))
    return out


def graph_names(shard: Path) -> set[str]:
    """The graph IRIs (or '' for the default graph) that a shard's quads belong to (parsed by Oxigraph)."""
    import pyoxigraph as ox

    return {"" if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
            for q in ox.parse(path=str(shard), format=ox.RdfFormat.N_QUADS)}


def run(*args: str):  # noqa: ANN201
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.stdout + result.stderr
    return result


# -- writing -----------------------------------------------------------------------------------------

def test_shards_hold_exactly_the_dataset(built: Path) -> None:
    ds = load_graph(built / "graph.trig")
    manifest = built / "shards" / "manifest.json"
    assert [p.name for p in sorted((built / "shards").glob("part-*.nq"))] == [f"part-{i:05d}.nq" for i in range(4)]
    again = load_shards_dataset(read_manifest(manifest))
    assert quads(again) == quads(ds)
    assert any(g == "" for *_, g in quads(again))  # the default graph (mention counts) travels too


def test_each_graph_lies_wholly_in_the_shard_its_hash_picks(built: Path) -> None:
    seen: dict[str, str] = {}
    for shard in sorted((built / "shards").glob("part-*.nq")):
        for name in graph_names(shard):
            assert name not in seen, f"graph {name!r} is in {seen.get(name)} and {shard.name}"
            seen[name] = shard.name
            assert shard.name == f"part-{shard_index(name, 4):05d}.nq"
    ds = load_graph(built / "graph.trig")
    assert set(seen) == {g for *_, g in quads(ds)}
    assert len(set(seen.values())) > 1  # the seeds' 20 graphs do spread over the shards


def test_shards_are_sorted_and_deterministic(built: Path, tmp_path: Path) -> None:
    ds = load_graph(built / "graph.trig")
    write_shards(ds, tmp_path / "a", 4)
    write_shards(load_graph(built / "graph.trig"), tmp_path / "b", 4)
    for name in ["manifest.json", *(f"part-{i:05d}.nq" for i in range(4))]:
        a = (tmp_path / "a" / "shards" / name).read_bytes()
        assert a == (tmp_path / "b" / "shards" / name).read_bytes() == (built / "shards" / name).read_bytes()
        if name.endswith(".nq"):
            lines = a.decode().splitlines()
            assert lines == sorted(lines)


def test_manifest_records_counts_and_checksums(built: Path) -> None:
    data = json.loads((built / "shards" / "manifest.json").read_text())
    assert data["format"] == "application/n-quads"
    total = 0
    for entry in data["shards"]:
        raw = (built / "shards" / entry["file"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(raw).hexdigest() and entry["bytes"] == len(raw)
        assert entry["quads"] == len(raw.decode().splitlines())
        total += entry["quads"]
    assert data["quads"] == total == len(quads(load_graph(built / "graph.trig")))
    assert data["graphs"] == len({g for *_, g in quads(load_graph(built / "graph.trig"))})


def test_fewer_shards_replace_the_old_set(built: Path, tmp_path: Path) -> None:
    ds = load_graph(built / "graph.trig")
    write_shards(ds, tmp_path, 5)
    paths = write_shards(ds, tmp_path, 2)
    assert sorted(p.name for p in (tmp_path / "shards").glob("part-*.nq")) == ["part-00000.nq", "part-00001.nq"]
    assert [p.name for p in paths] == ["part-00000.nq", "part-00001.nq"]
    assert quads(load_shards_dataset(read_manifest(tmp_path / "shards" / "manifest.json"))) == quads(ds)


# -- loading into Oxigraph ------------------------------------------------------------------------------

def _rows(result) -> Counter:  # noqa: ANN001
    def canon(v: object) -> str:
        v = v.toPython() if isinstance(v, Literal) else v
        if isinstance(v, Decimal):
            return str(v.normalize())
        return v.isoformat() if isinstance(v, date) else str(v)
    return Counter(tuple(canon(r.get(str(v), "")) for v in result.vars) for r in result.bindings)


def test_kg_load_then_query_oxigraph_answers_as_the_memory_store(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(built / "shards", out / "shards")  # only the shards: no graph.trig at all
    result = run("load", str(out), "--store", "oxigraph")
    assert result.exit_code == 0, result.stderr
    assert f"into {out / 'oxigraph'}" in result.stdout and "from 4 shard(s)" in result.stdout
    manifest = out / "shards" / "manifest.json"
    assert store_location(manifest) == out / "oxigraph" and is_current(manifest, out / "oxigraph")
    stamp = (out / "oxigraph" / "source.json").stat().st_mtime_ns
    for name, params in [("entities", {}), ("relations", {}), ("negated-hedged", {}), ("metrics", {"entity": "Bitcoin"})]:
        mem = execute(name, built / "graph.trig", params, "memory")
        for graph in (out, manifest, out / "graph.trig"):  # any way of naming the build finds the store
            oxi = execute(name, graph, params, "oxigraph")
            assert _rows(oxi) == _rows(mem) and sum(_rows(mem).values()) > 0, (name, graph)
    assert (out / "oxigraph" / "source.json").stat().st_mtime_ns == stamp  # used as loaded, not reloaded
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    cli = run("query", count, "--graph", str(out), "--store", "oxigraph", "--format", "csv")
    ref = run("query", count, "--graph", str(built / "graph.trig"), "--format", "csv")
    assert cli.exit_code == 0 and cli.stdout == ref.stdout and int(cli.stdout.split()[-1]) > 1000


def test_query_oxigraph_uses_fresh_shards_beside_the_graph(built: Path, tmp_path: Path) -> None:
    shutil.copy(built / "graph.trig", tmp_path / "graph.trig")
    assert graph_source(tmp_path / "graph.trig") == (tmp_path / "graph.trig", None)
    shutil.copytree(built / "shards", tmp_path / "shards")
    manifest = tmp_path / "shards" / "manifest.json"
    t = (tmp_path / "graph.trig").stat().st_mtime_ns
    os.utime(manifest, ns=(t, t))  # written with the graph (a build writes the shards after it)
    assert graph_source(tmp_path / "graph.trig") == (manifest, manifest)
    os.utime(tmp_path / "graph.trig", ns=(t + 10**9, t + 10**9))  # rebuilt without shards: they are stale
    assert graph_source(tmp_path / "graph.trig") == (tmp_path / "graph.trig", None)


def test_load_a_graph_file(built: Path, tmp_path: Path) -> None:
    shutil.copy(built / "graph.trig", tmp_path / "graph.trig")
    result = run("load", str(tmp_path / "graph.trig"))
    assert result.exit_code == 0 and (tmp_path / "oxigraph" / "store").is_dir()
    assert is_current(tmp_path / "graph.trig")


def test_tampered_shard_is_refused_in_one_line(built: Path, tmp_path: Path) -> None:
    shutil.copytree(built / "shards", tmp_path / "shards")
    shard = tmp_path / "shards" / "part-00001.nq"
    shard.write_bytes(shard.read_bytes() + b'<urn:x:a> <urn:x:b> "slipped in" .\n')
    result = run("load", str(tmp_path / "shards"), "--store", "oxigraph")
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert result.exit_code == 1 and len(lines) == 1, result.stderr
    assert "part-00001.nq" in lines[0] and "manifest" in lines[0]
    assert not (tmp_path / "oxigraph").exists()
    missing = run("load", str(tmp_path / "nowhere"))
    assert missing.exit_code == 1 and len(missing.stderr.strip().splitlines()) == 1


def test_load_memory_store_is_a_usage_error(built: Path) -> None:
    assert run("load", str(built), "--store", "memory").exit_code == 2


# -- `kg build --shards N` ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sharded_builds(project_root: Path, tmp_path_factory) -> tuple[Path, Path]:  # noqa: ANN001
    """Two independent `kg build seeds --shards 3` runs (no shared cache)."""
    outs = []
    for name in ("first", "second"):
        out = tmp_path_factory.mktemp(f"sharded_{name}")
        result = run("build", str(project_root / "seeds"), "--out", str(out), "--shards", "3")
        assert result.exit_code == 0, result.stderr
        assert f"wrote {out / 'shards' / 'manifest.json'}" in result.stdout
        outs.append(out)
    return outs[0], outs[1]


def test_build_writes_shards_whose_union_is_the_graph(sharded_builds: tuple[Path, Path]) -> None:
    from rdflib.compare import isomorphic

    from kg.graph import union_graph

    out = sharded_builds[0]
    parts = sorted((out / "shards").glob("part-*.nq"))
    assert [p.name for p in parts] == ["part-00000.nq", "part-00001.nq", "part-00002.nq"]
    union = Dataset(default_union=True)
    for part in parts:  # each parsed alone (rdflib drops a default graph parsed into a non-empty Dataset)
        alone = Dataset(default_union=True)
        alone.parse(part, format="nquads")
        for s, p, o, g in alone.quads((None, None, None, None)):
            name = getattr(g, "identifier", g)
            (union.default_graph if name in (None, DATASET_DEFAULT_GRAPH_ID) else union.graph(name)).add((s, p, o))
    graph = load_graph(out / "graph.trig")
    assert len(union) == len(graph) > 1000 and isomorphic(union_graph(union), union_graph(graph))
    assert quads(union) == quads(graph)  # and each triple in the same named graph
    again = load_shards_dataset(read_manifest(out / "shards" / "manifest.json"))
    assert quads(again) == quads(graph)


def test_build_shards_are_deterministic(sharded_builds: tuple[Path, Path]) -> None:
    a, b = (out / "shards" for out in sharded_builds)
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir()) and "manifest.json" in names
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_load_and_query_the_shards_of_a_build(sharded_builds: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(sharded_builds[0], out)
    loaded = run("load", str(out), "--store", "oxigraph")
    assert loaded.exit_code == 0 and "from 3 shard(s)" in loaded.stdout, loaded.stderr
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    oxi = run("query", count, "--graph", str(out / "graph.trig"), "--store", "oxigraph", "--format", "csv")
    mem = run("query", count, "--graph", str(out / "graph.trig"), "--format", "csv")
    assert oxi.exit_code == 0 and oxi.stdout == mem.stdout and int(oxi.stdout.split()[-1]) > 1000


def test_negative_shards_is_a_usage_error(project_root: Path, tmp_path: Path) -> None:
    result = run("build", str(project_root / "seeds"), "--out", str(tmp_path), "--shards", "-1")
    assert result.exit_code == 2 and not (tmp_path / "graph.trig").exists()
