"""Claims to RDF by the ontology contract (../shared/DESIGN.md), and the ontology file itself."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from kg.graph import build_dataset, union_graph
from kg.model import ArticleResult, Claim, DateValue, Document, Entity, Mention, Observation
from kg.namespace import ID, KG, SCHEMA

# -- a tiny hand-made article ------------------------------------------------------------------------

HEADLINE = "Buterin Praises ZKsync"
S1 = "Vitalik Buterin endorsed ZKsync on Saturday."
S2 = "The Ethereum Foundation has not endorsed zkSync."
S3 = "The Atlas upgrade went live in October 2025."
S4 = "As of October 27, 2025, ZKsync recorded 10,400 daily active addresses."
TEXT = f"{HEADLINE}\n\n{S1} {S2}\n\n{S3} {S4}"


def span(sentence: str) -> tuple[int, int]:
    start = TEXT.index(sentence)
    return start, start + len(sentence)


def mention(surface: str, label: str, canonical: str, within: str) -> Mention:
    s0, _ = span(within)
    start = TEXT.index(surface, s0)
    return Mention(surface, label, canonical, start, start + len(surface), "lexicon")


VB = mention("Vitalik Buterin", "Person", "Vitalik Buterin", S1)
ZK1 = mention("ZKsync", "Project", "ZKsync", S1)
EF = mention("Ethereum Foundation", "Organization", "Ethereum Foundation", S2)
ZK2 = mention("zkSync", "Project", "ZKsync", S2)
ATLAS = mention("Atlas upgrade", "Upgrade", "ZKsync Atlas", S3)
ZK3 = mention("ZKsync", "Project", "ZKsync", S4)

CLAIMS = (
    Claim(VB, "endorses", ZK1, "positive", "asserted", 0.9, S1, *span(S1), "verb:endorse", "a1"),
    Claim(EF, "endorses", ZK2, "negated", "asserted", 0.9, S2, *span(S2), "verb:endorse+not", "a1"),
    Claim(ATLAS, "shippedOn", DateValue("2025-10", "gYearMonth"), "positive", "hedged", 0.5, S3, *span(S3),
          "date:go", "a1"),
)
OBSERVATIONS = (
    Observation(ZK3, "DailyActiveAddresses", "10400", "addresses", "=", DateValue("2025-10-27", "date"),
                "positive", "asserted", 0.8, S4, *span(S4), "metric:DailyActiveAddresses", "a1"),
)
DOCUMENT = Document("a1", "news/a1.txt", TEXT, HEADLINE, publisher="Chain Daily", author="Marta Kovacs",
                    published=dt.date(2025, 11, 3))
RESULT = ArticleResult(DOCUMENT, (VB, ZK1, EF, ZK2, ATLAS, ZK3), CLAIMS, OBSERVATIONS)

ENTITIES = {
    "vitalik buterin": Entity("vitalik buterin", "Vitalik Buterin", ("Person",), mention_count=1),
    "zksync": Entity("zksync", "ZKsync", ("Project",), ("zkSync",), mention_count=3,
                     merge_notes=("zkSync: lexicon alias",)),
    "ethereum foundation": Entity("ethereum foundation", "Ethereum Foundation", ("Organization",), mention_count=1),
    "zksync atlas": Entity("zksync atlas", "ZKsync Atlas", ("Upgrade",), ("Atlas upgrade",), mention_count=1),
}


def key_of(m: Mention) -> str:
    return m.canonical.casefold()


c1, c2, c3, c4 = (span(s) for s in (S1, S2, S3, S4))

EXPECTED_TRIG = f"""
@prefix kg: <https://w3id.org/crypto-kg/ontology#> .
@prefix ent: <https://w3id.org/crypto-kg/id/entity/> .
@prefix art: <https://w3id.org/crypto-kg/id/article/> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

{{
    ent:vitalik-buterin kg:mentionCount 1 .
    ent:zksync kg:mentionCount 3 ; kg:mergeNote "zkSync: lexicon alias" .
    ent:ethereum-foundation kg:mentionCount 1 .
    ent:zksync-atlas kg:mentionCount 1 .
}}

art:a1 {{
    art:a1 a schema:NewsArticle ;
        schema:headline "Buterin Praises ZKsync" ;
        schema:datePublished "2025-11-03"^^xsd:date ;
        schema:publisher "Chain Daily" ;
        schema:author "Marta Kovacs" ;
        kg:fileName "news/a1.txt" .

    ent:vitalik-buterin a kg:Person ; rdfs:label "Vitalik Buterin" ; kg:mentionedIn art:a1 .
    ent:zksync a kg:Project ; rdfs:label "ZKsync" ; skos:altLabel "zkSync" ; kg:mentionedIn art:a1 .
    ent:ethereum-foundation a kg:Organization ; rdfs:label "Ethereum Foundation" ;
        kg:mentionedIn art:a1 .
    ent:zksync-atlas a kg:Upgrade ; rdfs:label "ZKsync Atlas" ; skos:altLabel "Atlas upgrade" ;
        kg:mentionedIn art:a1 .

    # positive claim: the direct triple and its statement
    ent:vitalik-buterin kg:endorses ent:zksync .
    _:c1 a rdf:Statement ;
        rdf:subject ent:vitalik-buterin ; rdf:predicate kg:endorses ; rdf:object ent:zksync ;
        kg:polarity kg:Positive ; kg:modality kg:Asserted ; kg:confidence 0.9 ;
        kg:evidence "{S1}" ; kg:charStart {c1[0]} ; kg:charEnd {c1[1]} ; kg:rule "verb:endorse" ;
        prov:wasDerivedFrom art:a1 .

    # negated claim: the statement only, no kg:endorses triple
    _:c2 a rdf:Statement ;
        rdf:subject ent:ethereum-foundation ; rdf:predicate kg:endorses ; rdf:object ent:zksync ;
        kg:polarity kg:Negated ; kg:modality kg:Asserted ; kg:confidence 0.9 ;
        kg:evidence "{S2}" ; kg:charStart {c2[0]} ; kg:charEnd {c2[1]} ; kg:rule "verb:endorse+not" ;
        prov:wasDerivedFrom art:a1 .

    # a hedged date claim: positive, so asserted as a triple, with modality Hedged on its statement
    ent:zksync-atlas kg:shippedOn "2025-10"^^xsd:gYearMonth .
    _:c3 a rdf:Statement ;
        rdf:subject ent:zksync-atlas ; rdf:predicate kg:shippedOn ; rdf:object "2025-10"^^xsd:gYearMonth ;
        kg:polarity kg:Positive ; kg:modality kg:Hedged ; kg:confidence 0.5 ;
        kg:evidence "{S3}" ; kg:charStart {c3[0]} ; kg:charEnd {c3[1]} ; kg:rule "date:go" ;
        prov:wasDerivedFrom art:a1 .

    # an observation and its statement
    _:o1 a kg:Observation ;
        kg:observedEntity ent:zksync ; kg:metric kg:DailyActiveAddresses ;
        kg:value "10400"^^xsd:decimal ; kg:unit "addresses" ; kg:comparator "=" ; kg:date "2025-10-27"^^xsd:date .
    ent:zksync kg:hasObservation _:o1 .
    _:c4 a rdf:Statement ;
        rdf:subject ent:zksync ; rdf:predicate kg:hasObservation ; rdf:object _:o1 ;
        kg:polarity kg:Positive ; kg:modality kg:Asserted ; kg:confidence 0.8 ;
        kg:evidence "{S4}" ; kg:charStart {c4[0]} ; kg:charEnd {c4[1]} ; kg:rule "metric:DailyActiveAddresses" ;
        prov:wasDerivedFrom art:a1 .
}}
"""

#: Claim and observation IRIs are content hashes, not part of the contract: compared as blank nodes.
HASHED = (str(ID["claim/"]), str(ID["observation/"]))


def _blank_hashed(g: Graph) -> Graph:
    out = Graph()
    bnodes: dict = {}

    def term(t):  # noqa: ANN001, ANN202
        if isinstance(t, URIRef) and str(t).startswith(HASHED):
            return bnodes.setdefault(t, BNode())
        return t

    for s, p, o in g:
        out.add((term(s), p, term(o)))
    return out


def _named(ds: Dataset) -> dict:
    return {g.identifier: g for g in ds.graphs() if g.identifier != ds.default_graph.identifier and len(g)}


def _assert_isomorphic(actual: Graph, expected: Graph) -> None:
    if not isomorphic(actual, expected):
        _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        pytest.fail("graphs differ\nonly in actual:\n" + "\n".join(sorted(map(str, only_actual)))
                    + "\nonly in expected:\n" + "\n".join(sorted(map(str, only_expected))))


@pytest.fixture(scope="module")
def built() -> Dataset:
    return build_dataset([RESULT], ENTITIES, key_of)


def test_dataset_matches_hand_written_trig(built: Dataset) -> None:
    expected = Dataset()
    expected.parse(data=EXPECTED_TRIG, format="trig")
    actual_named, expected_named = _named(built), _named(expected)
    assert set(actual_named) == set(expected_named) == {ID["article/a1"]}
    for name, graph in expected_named.items():
        _assert_isomorphic(_blank_hashed(actual_named[name]), graph)
    _assert_isomorphic(_blank_hashed(built.default_graph), expected.default_graph)


def test_negated_claim_has_no_direct_triple(built: Dataset) -> None:
    ef, zk = ID["entity/ethereum-foundation"], ID["entity/zksync"]
    assert (ef, KG.endorses, zk) not in built
    assert list(built.triples((ef, KG.endorses, None))) == []
    statements = [st for st in built.subjects(RDF.subject, ef) if (st, RDF.predicate, KG.endorses) in built]
    assert len(statements) == 1
    assert (statements[0], KG.polarity, KG.Negated) in built


def test_claim_iris_are_stable_and_in_the_id_namespace(built: Dataset) -> None:
    again = build_dataset([RESULT], ENTITIES, key_of)
    quads = lambda ds: {q for q in ds.quads((None, None, None, None))}  # noqa: E731
    assert quads(again) == quads(built)
    statements = set(built.subjects(RDF.type, RDF.Statement))
    assert len(statements) == 4
    assert all(str(st).startswith(str(ID["claim/"])) for st in statements)


def test_one_named_graph_per_article() -> None:
    s = "Stripe acquired Bridge."
    doc2 = Document("a2", "a2.txt", s, "", published=None)
    stripe = Mention("Stripe", "Company", "Stripe", 0, 6, "lexicon")
    bridge = Mention("Bridge", "Company", "Bridge", 16, 22, "lexicon")
    claim = Claim(stripe, "acquires", bridge, "positive", "asserted", 0.9, s, 0, len(s), "verb:acquire", "a2")
    r2 = ArticleResult(doc2, (stripe, bridge), (claim,), ())
    entities = dict(ENTITIES)
    entities["stripe"] = Entity("stripe", "Stripe", ("Company",), mention_count=1)
    entities["bridge"] = Entity("bridge", "Bridge", ("Company",), mention_count=1)
    ds = build_dataset([RESULT, r2], entities, key_of)
    named = _named(ds)
    assert set(named) == {ID["article/a1"], ID["article/a2"]}
    g2 = named[ID["article/a2"]]
    assert (ID["entity/stripe"], KG.acquires, ID["entity/bridge"]) in g2
    assert (ID["entity/stripe"], KG.acquires, ID["entity/bridge"]) not in named[ID["article/a1"]]
    assert (ID["entity/vitalik-buterin"], KG.endorses, ID["entity/zksync"]) not in g2
    # every statement lies in the graph of the article it was derived from
    for name, g in named.items():
        for st in g.subjects(RDF.type, RDF.Statement):
            assert g.value(st, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")) == name
    # the article with no publication date has none (no empty literal)
    assert g2.value(ID["article/a2"], SCHEMA.datePublished) is None
    assert g2.value(ID["article/a2"], SCHEMA.author) is None
    # graph.ttl's union holds every triple of every article
    union = union_graph(ds)
    for g in named.values():
        for t in g:
            assert t in union


# -- ontology/kg.ttl declares the contract -------------------------------------------------------------

CLASSES = ["Person", "Organization", "Project", "Token", "Product", "Upgrade", "Proposal", "Observation", "Metric"]
ORG_SUBCLASSES = ["FinancialInstitution", "Exchange", "Company"]
RELATIONS = ["endorses", "adopts", "partnersWith", "investsIn", "acquires", "launches", "upgradeOf", "productOf",
             "tokenOf", "includes"]
OBJECT_PROPERTIES = RELATIONS + ["observedEntity", "metric", "polarity", "modality"]
DATATYPE_PROPERTIES = ["shipsOn", "shippedOn", "scheduledFor", "ticker", "mentionCount", "value", "unit", "comparator",
                       "date", "confidence", "evidence", "charStart", "charEnd", "rule", "fileName"]
METRICS = ["TPS", "TVL", "Price", "PriceChange", "TradingVolume", "DailyActiveAddresses", "MarketCap",
           "MarketDominance", "Fee", "Finality", "GasLimit", "Inflow"]


@pytest.fixture(scope="module")
def ontology(project_root: Path) -> Graph:
    g = Graph()
    g.parse(project_root / "ontology" / "kg.ttl", format="turtle")
    return g


def _superclasses(g: Graph, cls: URIRef) -> set:
    return set(g.transitive_objects(cls, RDFS.subClassOf))


@pytest.mark.parametrize("name", CLASSES)
def test_ontology_declares_class(ontology: Graph, name: str) -> None:
    assert (KG[name], RDF.type, OWL.Class) in ontology


@pytest.mark.parametrize("name", ORG_SUBCLASSES)
def test_ontology_declares_organisation_subclass(ontology: Graph, name: str) -> None:
    assert (KG[name], RDF.type, OWL.Class) in ontology
    assert KG.Organization in _superclasses(ontology, KG[name])


@pytest.mark.parametrize("name", OBJECT_PROPERTIES)
def test_ontology_declares_object_property(ontology: Graph, name: str) -> None:
    assert (KG[name], RDF.type, OWL.ObjectProperty) in ontology


@pytest.mark.parametrize("name", DATATYPE_PROPERTIES)
def test_ontology_declares_datatype_property(ontology: Graph, name: str) -> None:
    assert (KG[name], RDF.type, OWL.DatatypeProperty) in ontology


def test_ship_dates_are_sub_properties_of_ships_on(ontology: Graph) -> None:
    assert (KG.shippedOn, RDFS.subPropertyOf, KG.shipsOn) in ontology
    assert (KG.scheduledFor, RDFS.subPropertyOf, KG.shipsOn) in ontology


@pytest.mark.parametrize("name, cls", [("Positive", "Polarity"), ("Negated", "Polarity"),
                                       ("Asserted", "Modality"), ("Hedged", "Modality")])
def test_ontology_declares_polarity_and_modality(ontology: Graph, name: str, cls: str) -> None:
    assert (KG[name], RDF.type, KG[cls]) in ontology


@pytest.mark.parametrize("name", METRICS)
def test_ontology_declares_metric(ontology: Graph, name: str) -> None:
    assert (KG[name], RDF.type, KG.Metric) in ontology


def test_every_term_the_code_can_emit_is_declared(ontology: Graph, lex) -> None:  # noqa: ANN001
    from kg.namespace import DATE_PROPERTIES, ENTITY_CLASSES
    from kg.namespace import RELATIONS as CODE_RELATIONS

    declared = set(ontology.subjects(RDF.type, None))
    for name in ENTITY_CLASSES:
        assert KG[name] in declared, name
    for name in (*CODE_RELATIONS, *DATE_PROPERTIES):
        assert KG[name] in declared, name
    for trigger in lex.triggers:
        assert KG[trigger.predicate] in declared, trigger
    for metric in lex.metrics:
        if metric.kind not in {"noun", "up", "down"}:   # other kinds are helper word lists, not metrics
            continue
        assert (KG[metric.metric], RDF.type, KG.Metric) in ontology, metric.metric
    for entry in lex.entries:
        for cls in entry.classes:
            assert cls == "Concept" or KG[cls] in declared, (entry.label, cls)


def test_every_literal_of_the_ontology_has_a_label(ontology: Graph) -> None:
    for name in CLASSES + OBJECT_PROPERTIES + DATATYPE_PROPERTIES:
        assert isinstance(ontology.value(KG[name], RDFS.label), Literal), name


def test_hand_written_expected_graph_uses_the_contract_datatypes() -> None:
    # guards the expected TriG above against typos: the literals it compares are the contract's types
    g = Dataset(default_union=True)
    g.parse(data=EXPECTED_TRIG, format="trig")
    assert (None, KG.shippedOn, Literal("2025-10", datatype=rdflib.XSD.gYearMonth)) in g
    assert any(o.datatype == rdflib.XSD.decimal for o in g.objects(None, KG.confidence))
    assert any(o.datatype == rdflib.XSD.integer for o in g.objects(None, KG.charStart))
