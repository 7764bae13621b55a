"""End to end: `seeds/` scored against seeds/gold.jsonl, and the user's two real articles in ../shared/seeds."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from kg.namespace import KG, SCHEMA
from kg.query import run_query
from kg.render import remote_references

SHARED = pytest.mark.shared   # needs ../shared: the scorer or the user's articles


# -- seeds/ against seeds/gold.jsonl with the shared scorer ---------------------------------------------

@pytest.fixture(scope="module")
def seeds_score(score_module, seeds_build, project_root: Path):  # noqa: ANN001, ANN201
    pos_hit, pos_all, neg_bad, ent_hit, ent_all, noise = score_module.score(
        project_root / "seeds" / "gold.jsonl", seeds_build.out, None, project_root / "ontology", False)
    return {"pos_hit": pos_hit, "pos_all": pos_all, "neg_bad": neg_bad, "ent_hit": ent_hit, "ent_all": ent_all,
            "noise": noise}


@SHARED
def test_seeds_no_negated_fact_asserted(seeds_score) -> None:  # noqa: ANN001
    assert seeds_score["neg_bad"] == 0


@SHARED
def test_seeds_no_noise_entities(seeds_score) -> None:  # noqa: ANN001
    assert seeds_score["noise"] == 0


@SHARED
def test_seeds_relation_recall(seeds_score) -> None:  # noqa: ANN001
    recall = seeds_score["pos_hit"] / seeds_score["pos_all"]
    # The walking-skeleton bar of the issue; the extraction issue raises it to 0.9.
    assert recall >= 0.6, f"recall {recall:.2f} ({seeds_score['pos_hit']}/{seeds_score['pos_all']})"


@SHARED
def test_seeds_entity_types(seeds_score) -> None:  # noqa: ANN001
    assert seeds_score["ent_all"] > 0
    # recorded rather than gated tightly: typing is the extraction issue's work
    assert seeds_score["ent_hit"] / seeds_score["ent_all"] >= 0.6


def test_seeds_one_named_graph_per_article(seeds_build) -> None:  # noqa: ANN001
    ds = seeds_build.dataset
    named = {g.identifier for g in ds.graphs() if g.identifier != ds.default_graph.identifier and len(g)}
    articles = set(ds.subjects(RDF.type, SCHEMA.NewsArticle))
    assert len(articles) == seeds_build.report.articles
    assert named == articles
    for a in articles:
        assert (a, RDF.type, SCHEMA.NewsArticle) in ds.graph(a)
        assert ds.graph(a).value(a, KG.fileName) is not None
    files = {str(o) for o in ds.objects(None, KG.fileName)}
    assert "gold.jsonl" not in {f.split("#")[0] for f in files}
    assert {"08_wire_digest.jsonl#1", "08_wire_digest.jsonl#2"} <= files


# -- ../shared/seeds: the user's two real articles -------------------------------------------------------

ATLAS_NAMES = {"ZKsync Atlas", "Atlas", "Atlas upgrade", "ZKsync Atlas upgrade"}


def node(ds: Dataset, *labels: str) -> URIRef:
    """The one node whose rdfs:label is one of `labels`."""
    found = {s for label in labels for s in ds.subjects(RDFS.label, Literal(label))}
    assert len(found) == 1, (labels, found)
    return found.pop()


def ask(ds: Dataset, query: str, **bindings: URIRef) -> bool:
    return bool(run_query(ds, query, bindings).askAnswer)


@SHARED
def test_shared_buterin_endorses_zksync(shared_build) -> None:  # noqa: ANN001
    ds = shared_build.dataset
    vb, zk = node(ds, "Vitalik Buterin"), node(ds, "ZKsync")
    assert ask(ds, "ASK { ?vb kg:endorses ?zk }", vb=vb, zk=zk)
    assert ask(ds, "ASK { ?vb a kg:Person . ?zk a kg:Project }", vb=vb, zk=zk)


@SHARED
def test_shared_atlas_upgrade(shared_build) -> None:  # noqa: ANN001
    ds = shared_build.dataset
    atlas, zk = node(ds, *ATLAS_NAMES), node(ds, "ZKsync")
    assert (atlas, RDF.type, KG.Upgrade) in ds
    assert (atlas, RDF.type, KG.Person) not in ds
    assert ask(ds, "ASK { ?atlas kg:upgradeOf ?zk }", atlas=atlas, zk=zk)
    shipped = list(ds.objects(atlas, KG.shippedOn))
    assert any(str(d).startswith("2025-10") for d in shipped), shipped
    # "late October 2025" / "in October 2025": a month, never more precise than the text
    assert Literal("2025-10", datatype=rdflib.XSD.gYearMonth) in shipped


@SHARED
def test_shared_fusaka_scheduled(shared_build) -> None:  # noqa: ANN001
    ds = shared_build.dataset
    fusaka = node(ds, "Fusaka")
    assert (fusaka, RDF.type, KG.Upgrade) in ds
    assert Literal("2025-12-03", datatype=rdflib.XSD.date) in set(ds.objects(fusaka, KG.scheduledFor))
    assert not any(str(d).startswith("2025-12") for d in ds.objects(fusaka, KG.shippedOn))


@SHARED
def test_shared_ethereum_foundation_negated(shared_build) -> None:  # noqa: ANN001
    ds = shared_build.dataset
    ef, zk = node(ds, "Ethereum Foundation"), node(ds, "ZKsync")
    assert ask(ds, """ASK { ?st a rdf:Statement ; rdf:subject ?ef ; rdf:predicate kg:endorses ; rdf:object ?zk ;
                               kg:polarity kg:Negated }""", ef=ef, zk=zk)
    assert not ask(ds, "ASK { ?ef kg:endorses ?anything }", ef=ef)
    # nor through the union graph.ttl
    union = Graph()
    union.parse(shared_build.out / "graph.ttl", format="turtle")
    assert not list(union.triples((ef, KG.endorses, None)))


@SHARED
def test_shared_zksync_team_has_not_unveiled_fusaka(shared_build) -> None:  # noqa: ANN001
    ds = shared_build.dataset
    zk, fusaka = node(ds, "ZKsync"), node(ds, "Fusaka")
    assert (zk, KG.launches, fusaka) not in ds


@SHARED
def test_shared_gold(score_module, shared_build, shared_dir: Path, project_root: Path) -> None:  # noqa: ANN001
    pos_hit, pos_all, neg_bad, ent_hit, ent_all, noise = score_module.score(
        shared_dir / "eval" / "seeds.gold.jsonl", shared_build.out, None, project_root / "ontology", False)
    assert neg_bad == 0
    assert noise == 0
    assert pos_hit / pos_all >= 0.6      # the walking-skeleton bar; the extraction issue raises it to 0.9


# own, stricter check of the offline page: protocol-relative URLs and CSS url() too
REMOTE = [
    re.compile(r"""\b(?:src|href|srcset|poster|data)\s*=\s*["']?\s*(?:https?:|//)""", re.IGNORECASE),
    re.compile(r"""@import\s+(?:url\(\s*)?["']?\s*(?:https?:|//)""", re.IGNORECASE),
    re.compile(r"""url\(\s*["']?\s*(?:https?:|//)""", re.IGNORECASE),
    re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']?(?!data:|#)[^"'\s>]+""", re.IGNORECASE),
]


@pytest.mark.parametrize("which", [pytest.param("shared_build", marks=SHARED), "seeds_build"])
def test_graph_html_is_offline(which: str, request: pytest.FixtureRequest) -> None:
    built = request.getfixturevalue(which)
    html = (built.out / "graph.html").read_text(encoding="utf-8")
    assert "<html" in html.lower() and len(html) > 10_000
    assert remote_references(html) == []
    for pattern in REMOTE:
        assert not pattern.findall(html), pattern.pattern
    # the page carries the graph: every entity label of the build is in it
    ds = built.dataset
    for label in {str(o) for s in ds.subjects(RDF.type, KG.Person) for o in ds.objects(s, RDFS.label)}:
        assert label in html


def test_remote_references_detector_can_fail() -> None:
    bad = '<script src="https://cdn.example/vis.js"></script><link href=\'http://x/y.css\'><style>@import url("https://f")</style>'
    assert len(remote_references(bad)) == 3
    assert all(p.search(bad) for p in REMOTE[:2])


@pytest.mark.parametrize("which", [pytest.param("shared_build", marks=SHARED), "seeds_build"])
def test_graph_ttl_parses_and_is_the_union(which: str, request: pytest.FixtureRequest) -> None:
    built = request.getfixturevalue(which)
    path = built.out / "graph.ttl"
    assert path.stat().st_size > 0
    union = Graph()
    union.parse(path, format="turtle")
    assert len(union) > 0
    ds = built.dataset
    named_triples = {(s, p, o) for s, p, o, g in ds.quads((None, None, None, None))
                     if g is not None and g != ds.default_graph.identifier}
    assert named_triples <= set(union)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@SHARED
def test_shared_statements_quote_their_article(shared_build) -> None:  # noqa: ANN001
    ds = shared_build.dataset
    originals: dict[str, str] = {}
    statements = list(ds.subjects(RDF.type, RDF.Statement))
    assert len(statements) >= 10
    for st in statements:
        evidence = ds.value(st, KG.evidence)
        start, end = ds.value(st, KG.charStart), ds.value(st, KG.charEnd)
        assert evidence is not None and str(evidence).strip(), st
        assert start is not None and end is not None, st
        start, end = int(start), int(end)
        assert 0 <= start < end
        assert end - start == len(str(evidence))
        for term in (KG.polarity, KG.modality, KG.confidence, KG.rule, RDF.subject, RDF.predicate, RDF.object):
            assert ds.value(st, term) is not None, (st, term)
        article = ds.value(st, PROV.wasDerivedFrom)
        assert (article, RDF.type, SCHEMA.NewsArticle) in ds
        file_name = str(ds.value(article, KG.fileName)).split("#")[0]
        if file_name not in originals:
            originals[file_name] = _squash((shared_build.folder / file_name).read_text(encoding="utf-8"))
        assert _squash(str(evidence)) in originals[file_name], (file_name, str(evidence))


@SHARED
def test_shared_articles_metadata(shared_build) -> None:  # noqa: ANN001
    ds = shared_build.dataset
    rows = run_query(ds, """SELECT ?file ?headline ?date ?publisher WHERE {
        ?a a schema:NewsArticle ; kg:fileName ?file ; schema:headline ?headline .
        OPTIONAL { ?a schema:datePublished ?date } OPTIONAL { ?a schema:publisher ?publisher } }""")
    by_file = {str(r.file): r for r in rows}
    first = by_file["000_913d17ba2fda7ea2.txt"]
    assert str(first.headline) == ("Vitalik Buterin Backs ZKsync: Accelerating Ethereum Layer 2 Expansion and "
                                   "Driving DeFi Growth")
    assert first.date == Literal("2025-11-07", datatype=rdflib.XSD.date)
    assert str(first.publisher) == "Bitget-RWA"
    second = by_file["001_ada5702c98e64108.txt"]
    assert second.date == Literal("2025-11-16", datatype=rdflib.XSD.date)
    # the "You may also like" teaser of the second article is its own article, with its own date
    teasers = [r for f, r in by_file.items() if f.startswith("001_ada5702c98e64108.txt#")]
    assert len(teasers) == 1
    assert str(teasers[0].headline).startswith("Bitcoin drops 1.42%")
    assert teasers[0].date == Literal("2025-11-16", datatype=rdflib.XSD.date)
