"""The fast TriG/Turtle writer: what it writes parses back to the same graph, in the same bytes
whatever the insertion order, with any text in literals."""
from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS, XSD

from kg.namespace import ID, KG
from kg.turtle import write_trig, write_turtle

ART = ID["article/a-1"]


def _dataset(quads: list[tuple]) -> Dataset:
    ds = Dataset(default_union=True)
    for s, p, o, g in quads:
        (ds.default_graph if g is None else ds.graph(g)).add((s, p, o))
    return ds


def _same_dataset(a: Dataset, b: Dataset) -> bool:
    names = lambda d: sorted(str(g.identifier) for g in d.graphs() if len(g))  # noqa: E731
    return names(a) == names(b) and all(isomorphic(a.graph(g.identifier), b.graph(g.identifier))
                                        for g in a.graphs())


QUADS = [
    (ID["entity/zksync"], RDFS.label, Literal("ZKsync"), ART),
    (ID["entity/zksync"], KG.mentionCount, Literal(3), None),
    (ID["claim/1"], KG.confidence, Literal("0.85", datatype=XSD.decimal), ART),
    (ID["claim/1"], KG.evidence, Literal('He said "yes"\\no\nnew line\ttab'), ART),
    (ID["claim/1"], KG.charStart, Literal(-4), ART),
    (ID["claim/1"], RDFS.comment, Literal("Grüße", lang="de"), ART),
    (ID["claim/1"], KG.date, Literal("2025-10", datatype=XSD.gYearMonth), ART),
    (URIRef("https://example.org/a b>c"), RDFS.label, Literal("odd IRI"), ID["article/b"]),
    (ID["entity/x"], URIRef("http://example.org/p#1x"), Literal("1e5", datatype=XSD.double), ID["article/b"]),
]


def test_an_iri_with_characters_turtle_forbids_is_escaped_and_parses_back() -> None:
    odd = QUADS[-2]
    back = Dataset(default_union=True)
    back.parse(data=write_trig(_dataset([odd])), format="trig")
    assert (odd[0], odd[1], odd[2]) in back


def test_trig_round_trips_to_the_same_dataset() -> None:
    ds = _dataset(QUADS[:-2] + QUADS[-1:])
    back = Dataset(default_union=True)
    back.parse(data=write_trig(ds), format="trig")
    assert _same_dataset(ds, back)
    assert "kg:confidence 0.85" in write_trig(ds)          # decimal shorthand
    assert '"Grüße"@de' in write_trig(ds)


def test_insertion_order_does_not_change_the_bytes() -> None:
    shuffled = QUADS[:-2].copy()
    random.Random(7).shuffle(shuffled)
    assert write_trig(_dataset(QUADS[:-2])) == write_trig(_dataset(shuffled))
    assert write_turtle(_dataset(QUADS[:-2])) == write_turtle(_dataset(shuffled))


def test_turtle_is_the_union_of_the_graphs() -> None:
    ds = _dataset(QUADS[:-2])
    g = Graph().parse(data=write_turtle(ds), format="turtle")
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(g, union) and len(g) == 7


def test_blank_nodes_fall_back_to_rdflib() -> None:
    ds = _dataset([(BNode(), RDFS.label, Literal("anonymous"), ART)])
    back = Dataset(default_union=True)
    back.parse(data=write_trig(ds), format="trig")
    assert len(back) == 1


def test_the_seed_graph_round_trips(seeds_build) -> None:  # noqa: ANN001
    ds = Dataset(default_union=True)
    ds.parse(seeds_build.out / "graph.trig", format="trig")
    back = Dataset(default_union=True)
    back.parse(data=write_trig(ds), format="trig")
    assert len(back) == len(ds) > 1000 and _same_dataset(ds, back)
    assert write_trig(back) == (seeds_build.out / "graph.trig").read_text(encoding="utf-8")


@settings(max_examples=200, derandomize=True, deadline=None)
@given(text=st.text(), lang=st.sampled_from([None, "en", "de-CH"]))
def test_any_text_survives_as_a_literal(text: str, lang: str | None) -> None:
    ds = _dataset([(ID["claim/t"], KG.evidence, Literal(text, lang=lang), ART)])
    back = Dataset(default_union=True)
    back.parse(data=write_trig(ds), format="trig")
    assert set(back.objects(ID["claim/t"], KG.evidence)) == {Literal(text, lang=lang)}
