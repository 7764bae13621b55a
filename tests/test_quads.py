"""The build's plain quad set (kg.graph.QuadSet): every output written from it is what the same graph as
an rdflib Dataset gives, byte for byte, and its Dataset-like view answers as a Dataset does."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import RDF, RDFS, SKOS

from kg.cache import result_from_json
from kg.graph import GraphWriter, QuadSet, build_dataset, build_quads
from kg.lexicon import load_lexicon
from kg.namespace import ID, KG, SCHEMA
from kg.network import to_networkx
from kg.render import article_list
from kg.resolve import resolve
from kg.shards import write_shards
from kg.turtle import trig_and_turtle, write_trig, write_turtle
from kg.validate import validate_for_build


@pytest.fixture(scope="module")
def corpus(seeds_build):  # noqa: ANN001, ANN201
    """The seeds' article results (from the build's cache), sorted as the build sorts them, resolved."""
    entries = sorted((seeds_build.out / ".kg-cache" / "articles").glob("*.json"))
    results = [result_from_json(json.loads(p.read_text(encoding="utf-8"))) for p in entries]
    results.sort(key=lambda r: (r.document.file_name, r.document.doc_id))
    entities, key_of = resolve(results, load_lexicon())
    return results, entities, key_of


@pytest.fixture(scope="module")
def quads(corpus) -> QuadSet:  # noqa: ANN001
    return build_quads(*corpus)


def _graph_sets(q: QuadSet) -> list[tuple]:
    return [(name, set(triples)) for name, triples in q.graphs]


def test_quad_set_holds_the_built_graph(quads: QuadSet, seeds_build) -> None:  # noqa: ANN001
    names = [name for name, _ in quads.graphs]
    assert names[-1] is None and names[:-1] == sorted(names[:-1], key=str)  # named graphs sorted, default last
    assert all(len(set(triples)) == len(triples) for _, triples in quads.graphs)
    assert _graph_sets(quads) == _graph_sets(QuadSet.from_dataset(seeds_build.dataset))
    assert quads.triple_count == len(seeds_build.dataset) and quads.quad_count > quads.triple_count


def test_terms_are_shared_not_repeated(corpus) -> None:  # noqa: ANN001
    writer = GraphWriter(corpus[1], corpus[2])
    for r in corpus[0]:
        writer.article(r)
    terms = [t for g in writer.graphs.values() for triple in g for t in triple]
    assert len({id(t) for t in terms}) < len(terms) / 3


def test_dataset_and_quads_agree(corpus, quads: QuadSet) -> None:  # noqa: ANN001
    ds = build_dataset(*corpus)
    assert _graph_sets(QuadSet.from_dataset(ds)) == _graph_sets(quads)
    assert _graph_sets(QuadSet.from_dataset(quads.to_dataset())) == _graph_sets(quads)


def test_view_answers_as_a_dataset(quads: QuadSet, seeds_build) -> None:  # noqa: ANN001
    ds, view = seeds_build.dataset, quads.view()
    entity = ID["entity/zksync"]
    assert view.value(entity, RDFS.label) == ds.value(entity, RDFS.label) == Literal("ZKsync")
    assert set(view.objects(entity, SKOS.altLabel)) == set(ds.objects(entity, SKOS.altLabel))
    assert sorted(view.objects(entity, KG.mentionedIn)) == sorted(set(ds.objects(entity, KG.mentionedIn)))
    for cls in (SCHEMA.NewsArticle, RDF.Statement, KG.Project):
        found = list(view.subjects(RDF.type, cls))
        assert len(found) == len(set(found)) and set(found) == set(ds.subjects(RDF.type, cls))
    assert set(view.triples((None, RDF.type, KG.Person))) == set(ds.triples((None, RDF.type, KG.Person)))
    assert set(view.triples((entity, None, None))) == set(ds.triples((entity, None, None)))
    narrow = quads.view([RDFS.label])
    assert narrow.value(entity, RDFS.label) == Literal("ZKsync") and narrow.value(entity, KG.ticker) is None


def test_writers_give_the_same_bytes_from_quads_and_from_the_dataset(quads: QuadSet, seeds_build) -> None:  # noqa: ANN001
    trig = (seeds_build.out / "graph.trig").read_text(encoding="utf-8")
    ttl = (seeds_build.out / "graph.ttl").read_text(encoding="utf-8")
    assert write_trig(quads) == write_trig(seeds_build.dataset) == trig
    assert write_turtle(quads) == write_turtle(seeds_build.dataset) == ttl
    parts = trig_and_turtle(quads)
    assert "".join(next(parts)) == trig and "".join(next(parts)) == ttl


def test_network_and_article_list_from_quads(quads: QuadSet, seeds_build) -> None:  # noqa: ANN001
    a, b = to_networkx(quads), to_networkx(seeds_build.dataset)
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True)) and a.number_of_nodes() > 50
    assert sorted(a.edges(keys=True, data=True)) == sorted(b.edges(keys=True, data=True))
    assert article_list(quads) == article_list(seeds_build.dataset)


def test_validation_of_quads(quads: QuadSet) -> None:
    assert validate_for_build(quads, max_triples=10)[0] is None
    conforms, text = validate_for_build(quads)
    assert conforms is True and text == "SHACL: conforms"


def test_shards_from_quads_are_the_shards_of_the_graph_file(quads: QuadSet, seeds_build, tmp_path: Path) -> None:  # noqa: ANN001
    write_shards(quads, tmp_path / "q", 3)
    write_shards(seeds_build.dataset, tmp_path / "d", 3)
    for path in sorted((tmp_path / "d" / "shards").iterdir()):
        assert (tmp_path / "q" / "shards" / path.name).read_bytes() == path.read_bytes(), path.name


def test_blank_nodes_still_fall_back_to_rdflib() -> None:
    from rdflib import BNode

    ds = Dataset(default_union=True)
    ds.graph(ID["article/x"]).add((BNode(), RDFS.label, Literal("anonymous")))
    back = Dataset(default_union=True)
    back.parse(data=write_trig(QuadSet.from_dataset(ds)), format="trig")
    assert len(back) == 1
    trig, ttl = trig_and_turtle(ds)
    assert "anonymous" in "".join(trig) and "anonymous" in "".join(ttl)
