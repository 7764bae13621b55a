"""Claims to RDF by the ontology contract: one named graph per article, provenance on every fact.

Entity IRIs come from resolution keys, claim and observation IRIs from a hash of their content,
so the same input always gives the same graph.
"""
from __future__ import annotations

import io

import hashlib
from decimal import Decimal
from typing import Callable, Iterable

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD
from rdflib.plugins.serializers.trig import TrigSerializer

from .ingest import slug
from .model import ArticleResult, Claim, DateValue, Entity, Mention, Observation
from .namespace import ID, KG, SCHEMA, bind_prefixes
from .resolve import clean_name

POLARITY = {"positive": KG.Positive, "negated": KG.Negated}
MODALITY = {"asserted": KG.Asserted, "hedged": KG.Hedged}
DATATYPE = {"date": XSD.date, "gYearMonth": XSD.gYearMonth, "gYear": XSD.gYear}


def entity_iri(key: str) -> URIRef:
    return ID[f"entity/{slug(key)}"]


def article_iri(doc_id: str) -> URIRef:
    return ID[f"article/{doc_id}"]


def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def _date(value: DateValue) -> Literal:
    return Literal(value.lexical, datatype=DATATYPE[value.datatype])


class GraphWriter:
    """Accumulates quads for a corpus, then hands back an rdflib Dataset."""

    def __init__(self, entities: dict[str, Entity], key_of: Callable[[Mention], str]) -> None:
        self.entities, self.key_of = entities, key_of
        self.quads: list[tuple] = []

    def _add(self, g: URIRef, s, p, o) -> None:  # noqa: ANN001
        self.quads.append((s, p, o, g))

    def article(self, result: ArticleResult) -> None:
        d, a = result.document, article_iri(result.document.doc_id)
        self._add(a, a, RDF.type, SCHEMA.NewsArticle)
        self._add(a, a, KG.fileName, Literal(d.file_name))
        for prop, value in ((SCHEMA.headline, d.headline), (SCHEMA.publisher, d.publisher),
                            (SCHEMA.author, d.author), (SCHEMA.url, d.url)):
            if value:
                self._add(a, a, prop, Literal(value))
        if d.published:
            self._add(a, a, SCHEMA.datePublished, Literal(d.published.isoformat(), datatype=XSD.date))
        if d.related_to:
            self._add(a, a, SCHEMA.isPartOf, article_iri(d.related_to))
        for m in result.mentions:
            self._mention(a, m)
        for c in result.claims:
            self._claim(a, c)
        for o in result.observations:
            self._observation(a, o)

    def _mention(self, a: URIRef, m: Mention) -> None:
        key = self.key_of(m)
        ent = self.entities[key]
        e = entity_iri(key)
        for cls in ent.classes:
            self._add(a, e, RDF.type, KG[cls])
        self._add(a, e, RDFS.label, Literal(ent.label))
        surface = clean_name(m.text)
        if surface and surface != ent.label:
            self._add(a, e, SKOS.altLabel, Literal(surface))
        if ent.ticker:
            self._add(a, e, KG.ticker, Literal(ent.ticker))
        self._add(a, e, KG.mentionedIn, a)

    def _provenance(self, a: URIRef, st: URIRef, c: Claim | Observation) -> None:
        self._add(a, st, RDF.type, RDF.Statement)
        self._add(a, st, KG.polarity, POLARITY[c.polarity])
        self._add(a, st, KG.modality, MODALITY[c.modality])
        self._add(a, st, KG.confidence, Literal(Decimal(str(c.confidence)), datatype=XSD.decimal))
        self._add(a, st, KG.evidence, Literal(c.evidence))
        self._add(a, st, KG.charStart, Literal(c.char_start))
        self._add(a, st, KG.charEnd, Literal(c.char_end))
        self._add(a, st, KG.rule, Literal(c.rule))
        self._add(a, st, PROV.wasDerivedFrom, a)

    def _claim(self, a: URIRef, c: Claim) -> None:
        s = entity_iri(self.key_of(c.subject))
        p = KG[c.predicate]
        o = _date(c.object) if isinstance(c.object, DateValue) else entity_iri(self.key_of(c.object))
        st = ID[f"claim/{_hash(a, s, p, o, c.char_start, c.polarity)}"]
        if c.polarity == "positive":
            self._add(a, s, p, o)
        self._add(a, st, RDF.subject, s)
        self._add(a, st, RDF.predicate, p)
        self._add(a, st, RDF.object, o)
        self._provenance(a, st, c)

    def _observation(self, a: URIRef, o: Observation) -> None:
        e = entity_iri(self.key_of(o.entity))
        ob = ID[f"observation/{_hash(a, e, o.metric, o.value, o.unit, o.char_start)}"]
        self._add(a, ob, RDF.type, KG.Observation)
        self._add(a, ob, KG.observedEntity, e)
        self._add(a, ob, KG.metric, KG[o.metric])
        self._add(a, ob, KG.value, Literal(Decimal(o.value), datatype=XSD.decimal))
        if o.unit:
            self._add(a, ob, KG.unit, Literal(o.unit))
        self._add(a, ob, KG.comparator, Literal(o.comparator))
        if o.date:
            self._add(a, ob, KG.date, _date(o.date))
        if o.polarity == "positive":
            self._add(a, e, KG.hasObservation, ob)
        st = ID[f"claim/{_hash(a, e, 'obs', ob)}"]
        self._add(a, st, RDF.subject, e)
        self._add(a, st, RDF.predicate, KG.hasObservation)
        self._add(a, st, RDF.object, ob)
        self._provenance(a, st, o)

    def dataset(self) -> Dataset:
        """All quads, plus entity-wide facts (mention counts, merge notes) in the default graph."""
        ds = Dataset(default_union=True)
        bind_prefixes(ds)
        ds.addN(self.quads)
        default = ds.default_graph
        for key, ent in self.entities.items():
            e = entity_iri(key)
            default.add((e, KG.mentionCount, Literal(ent.mention_count)))
            for note in ent.merge_notes:
                default.add((e, KG.mergeNote, Literal(note)))
        return ds


def build_dataset(results: Iterable[ArticleResult], entities: dict[str, Entity],
                  key_of: Callable[[Mention], str]) -> Dataset:
    writer = GraphWriter(entities, key_of)
    for r in results:
        writer.article(r)
    return writer.dataset()


def union_graph(ds: Dataset) -> Graph:
    """All triples of every named graph in one plain Graph (what graph.ttl holds)."""
    g = Graph()
    bind_prefixes(g)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


class _SortedTrigSerializer(TrigSerializer):
    """rdflib's TriG writer visits graphs in the store's set order, which changes from run to run;
    visit them sorted by name (the default graph last) so equal datasets give equal bytes."""

    def __init__(self, store: Dataset) -> None:
        super().__init__(store)
        self.contexts.sort(key=lambda c: (c.identifier == self.default_context, str(c.identifier)))


def serialize_trig(ds: Dataset) -> str:
    """The dataset as TriG, byte-identical for equal datasets."""
    buffer = io.BytesIO()
    _SortedTrigSerializer(ds).serialize(buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")
