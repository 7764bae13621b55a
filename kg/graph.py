"""Claims to RDF by the ontology contract: one named graph per article, provenance on every fact.

Entity IRIs come from resolution keys, claim and observation IRIs from a hash of their content,
so the same input always gives the same graph. The build keeps the graph as a `QuadSet` (plain
tuples of rdflib terms): every output is written from it, and an rdflib Dataset, which costs
~2 kB and ~15 µs per triple, is made only where a caller needs one (`QuadSet.to_dataset`).
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Callable, Iterable, Iterator

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.term import Node

from .ingest import slug
from .model import ArticleResult, Claim, DateValue, Entity, Mention, Observation
from .namespace import ID, KG, SCHEMA, bind_prefixes
from .resolve import clean_name

POLARITY = {"positive": KG.Positive, "negated": KG.Negated}
MODALITY = {"asserted": KG.Asserted, "hedged": KG.Hedged}
DATATYPE = {"date": XSD.date, "gYearMonth": XSD.gYearMonth, "gYear": XSD.gYear}
Triple = tuple[Node, Node, Node]


class T:
    """The contract's terms, made once: rdflib's Namespace builds a new URIRef on every attribute access."""

    type, label, alt_label, subject, predicate, object = (RDF.type, RDFS.label, SKOS.altLabel, RDF.subject,
                                                          RDF.predicate, RDF.object)
    statement, derived_from, has_observation = RDF.Statement, PROV.wasDerivedFrom, KG.hasObservation
    news_article, headline, publisher, author, url = (SCHEMA.NewsArticle, SCHEMA.headline, SCHEMA.publisher,
                                                      SCHEMA.author, SCHEMA.url)
    date_published, is_part_of, file_name = SCHEMA.datePublished, SCHEMA.isPartOf, KG.fileName
    ticker, mentioned_in, mention_count, merge_note = KG.ticker, KG.mentionedIn, KG.mentionCount, KG.mergeNote
    polarity, modality, confidence, evidence = KG.polarity, KG.modality, KG.confidence, KG.evidence
    char_start, char_end, rule = KG.charStart, KG.charEnd, KG.rule
    observation, observed_entity, metric, value, unit = (KG.Observation, KG.observedEntity, KG.metric, KG.value,
                                                         KG.unit)
    comparator, date = KG.comparator, KG.date


def entity_iri(key: str) -> URIRef:
    return ID[f"entity/{slug(key)}"]


def article_iri(doc_id: str) -> URIRef:
    return ID[f"article/{doc_id}"]


def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class QuadSet:
    """Every quad of a build, grouped by graph: what graph.trig/.ttl/.html and the shards are written from.

    `graphs` holds (name, triples): named graphs sorted by IRI, then the default graph (name None).
    Each graph's triples are distinct and in the order they were added. Readers written against an
    rdflib Dataset read a `view` instead.
    """

    graphs: tuple[tuple[URIRef | None, tuple[Triple, ...]], ...]

    def quads(self) -> Iterator[tuple[Node, Node, Node, URIRef | None]]:
        for name, triples in self.graphs:
            for s, p, o in triples:
                yield s, p, o, name

    @property
    def quad_count(self) -> int:
        return sum(len(triples) for _, triples in self.graphs)

    @cached_property
    def triple_count(self) -> int:
        """Distinct triples of the union, as len() of a Dataset whose default graph is the union."""
        return len({t for _, triples in self.graphs for t in triples})

    def view(self, predicates: Iterable[Node] | None = None) -> QuadView:
        """Dataset-like reads over the union, indexed for the given predicates only (None: all)."""
        return QuadView(self, predicates)

    def to_dataset(self) -> Dataset:
        """The quads as an rdflib Dataset whose default graph is the union (for SPARQL, SHACL, rdflib)."""
        ds = Dataset(default_union=True)
        bind_prefixes(ds)
        for name, triples in self.graphs:
            target = ds.default_graph if name is None else ds.graph(name)
            target.addN((s, p, o, target) for s, p, o in triples)
        return ds

    @classmethod
    def from_dataset(cls, ds: Dataset) -> QuadSet:
        """The quads of a Dataset (a loaded graph.trig), grouped the same way."""
        graphs: dict = {}
        for s, p, o, g in ds.quads((None, None, None, None)):
            name = getattr(g, "identifier", g)
            graphs.setdefault(None if name in (None, DATASET_DEFAULT_GRAPH_ID) else name, {})[(s, p, o)] = None
        return cls.of(graphs)

    @classmethod
    def of(cls, graphs: dict[URIRef | None, Iterable[Triple]]) -> QuadSet:
        """From {graph name or None: distinct triples in order}: named graphs sorted by IRI, default last."""
        default = tuple(graphs.get(None, ()))
        named = sorted((name for name in graphs if name is not None), key=str)
        return cls(tuple((name, tuple(graphs[name])) for name in named) + ((None, default),) * bool(default))


class QuadView:
    """`value`, `objects`, `subjects` and `triples` over the union of a QuadSet's graphs, answering as
    an rdflib Dataset with the default graph as union would (`value` gives the first value added, as
    rdflib's memory store does; distinct answers, though not always in rdflib's order), for the
    predicates asked for: a reader indexes only what it reads, not the whole graph."""

    def __init__(self, quads: QuadSet, predicates: Iterable[Node] | None = None) -> None:
        wanted = None if predicates is None else frozenset(predicates)
        spo: dict[Node, dict[Node, list[Node]]] = {}
        for _, triples in quads.graphs:
            for s, p, o in triples:
                if wanted is not None and p not in wanted:
                    continue
                preds = spo.get(s)
                if preds is None:
                    spo[s] = {p: [o]}
                elif p in preds:
                    preds[p].append(o)  # the same triple in two graphs: made distinct on reading
                else:
                    preds[p] = [o]
        self._spo = spo
        self._pos: dict[Node, dict[Node, list[Node]]] = {}

    def value(self, subject: Node, predicate: Node, default: Node | None = None) -> Node | None:
        objects = self._spo.get(subject, {}).get(predicate)
        return objects[0] if objects else default

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        return iter(dict.fromkeys(self._spo.get(subject, {}).get(predicate, ())))

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        return iter(self._by_object(predicate).get(obj, ()))

    def _by_object(self, predicate: Node) -> dict[Node, list[Node]]:
        """object -> distinct subjects of one predicate, made on first use."""
        pos = self._pos.get(predicate)
        if pos is None:
            pos = self._pos[predicate] = {}
            for s, preds in self._spo.items():
                for o in dict.fromkeys(preds.get(predicate, ())):
                    pos.setdefault(o, []).append(s)
        return pos

    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[Triple]:
        """Distinct triples matching a pattern (None: any)."""
        s, p, o = pattern
        subjects = [s] if s is not None else list(self._spo)
        for subj in subjects:
            preds = self._spo.get(subj, {})
            for pred in [p] if p is not None else list(preds):
                for x in dict.fromkeys(preds.get(pred, ())):
                    if o is None or x == o:
                        yield subj, pred, x


def as_quads(data: QuadSet | Dataset) -> QuadSet:
    """A QuadSet for either kind of input (readers take both)."""
    return data if isinstance(data, QuadSet) else QuadSet.from_dataset(data)


class _Terms:
    """rdflib terms made once per distinct value: a corpus repeats the same entities, predicates and
    literals thousands of times, and rdflib terms are slow to make and big."""

    def __init__(self) -> None:
        self._texts: dict[str, Literal] = {}
        self._integers: dict[int, Literal] = {}
        self._other: dict[tuple, Node] = {}

    def text(self, value: str) -> Literal:
        lit = self._texts.get(value)
        if lit is None:
            lit = self._texts[value] = Literal(value)
        return lit

    def integer(self, value: int) -> Literal:
        lit = self._integers.get(value)
        if lit is None:
            lit = self._integers[value] = Literal(value)
        return lit

    def _get(self, kind: str, value: str, make: Callable[[], Node]) -> Node:
        term = self._other.get((kind, value))
        if term is None:
            term = self._other[(kind, value)] = make()
        return term

    def decimal(self, text: str) -> Literal:
        """xsd:decimal of a number's text (by text: 0.8 and 0.80 are different literals)."""
        return self._get("d", text, lambda: Literal(Decimal(text), datatype=XSD.decimal))  # type: ignore[return-value]

    def date(self, value: DateValue) -> Literal:
        return self._get(value.datatype, value.lexical,  # type: ignore[return-value]
                         lambda: Literal(value.lexical, datatype=DATATYPE[value.datatype]))

    def entity(self, key: str) -> URIRef:
        return self._get("e", key, lambda: entity_iri(key))  # type: ignore[return-value]

    def kg(self, name: str) -> URIRef:
        return self._get("kg", name, lambda: KG[name])  # type: ignore[return-value]


class GraphWriter:
    """Collects a corpus's quads, one graph per article (in the order added, without repeats)."""

    def __init__(self, entities: dict[str, Entity], key_of: Callable[[Mention], str]) -> None:
        self.entities, self._key_of = entities, key_of
        self.graphs: dict[URIRef, dict[Triple, None]] = {}
        self.terms = _Terms()
        self._keys: dict[Mention, str] = {}
        self._surfaces: dict[str, str] = {}
        self._graph: dict[Triple, None] = {}

    def key_of(self, m: Mention) -> str:
        key = self._keys.get(m)
        if key is None:
            key = self._keys[m] = self._key_of(m)
        return key

    def _put(self, *triples: Triple) -> None:
        self._graph.update(dict.fromkeys(triples))

    def article(self, result: ArticleResult) -> None:
        d, lit = result.document, self.terms.text
        a = article_iri(d.doc_id)
        self._graph = self.graphs.setdefault(a, {})
        self._put((a, T.type, T.news_article), (a, T.file_name, lit(d.file_name)))
        for prop, value in ((T.headline, d.headline), (T.publisher, d.publisher),
                            (T.author, d.author), (T.url, d.url)):
            if value:
                self._put((a, prop, lit(value)))
        if d.published:
            self._put((a, T.date_published, self.terms.date(DateValue(d.published.isoformat(), "date"))))
        if d.related_to:
            self._put((a, T.is_part_of, article_iri(d.related_to)))
        for m in result.mentions:
            self._mention(a, m)
        for c in result.claims:
            self._claim(a, c)
        for o in result.observations:
            self._observation(a, o)

    def _mention(self, a: URIRef, m: Mention) -> None:
        key = self.key_of(m)
        ent, e, lit = self.entities[key], self.terms.entity(key), self.terms.text
        self._put(*((e, T.type, self.terms.kg(cls)) for cls in ent.classes), (e, T.label, lit(ent.label)))
        surface = self._surfaces.get(m.text)
        if surface is None:
            surface = self._surfaces[m.text] = clean_name(m.text)
        if surface and surface != ent.label:
            self._put((e, T.alt_label, lit(surface)))
        if ent.ticker:
            self._put((e, T.ticker, lit(ent.ticker)))
        self._put((e, T.mentioned_in, a))

    def _provenance(self, a: URIRef, st: URIRef, c: Claim | Observation) -> None:
        terms = self.terms
        self._put((st, T.type, T.statement), (st, T.polarity, POLARITY[c.polarity]),
                  (st, T.modality, MODALITY[c.modality]), (st, T.confidence, terms.decimal(str(c.confidence))),
                  (st, T.evidence, terms.text(c.evidence)), (st, T.char_start, terms.integer(c.char_start)),
                  (st, T.char_end, terms.integer(c.char_end)), (st, T.rule, terms.text(c.rule)),
                  (st, T.derived_from, a))

    def _claim(self, a: URIRef, c: Claim) -> None:
        s = self.terms.entity(self.key_of(c.subject))
        p = self.terms.kg(c.predicate)
        o = self.terms.date(c.object) if isinstance(c.object, DateValue) else \
            self.terms.entity(self.key_of(c.object))
        st = ID[f"claim/{_hash(a, s, p, o, c.char_start, c.polarity)}"]
        if c.polarity == "positive":
            self._put((s, p, o))
        self._put((st, T.subject, s), (st, T.predicate, p), (st, T.object, o))
        self._provenance(a, st, c)

    def _observation(self, a: URIRef, o: Observation) -> None:
        terms = self.terms
        e = terms.entity(self.key_of(o.entity))
        ob = ID[f"observation/{_hash(a, e, o.metric, o.value, o.unit, o.char_start)}"]
        self._put((ob, T.type, T.observation), (ob, T.observed_entity, e), (ob, T.metric, terms.kg(o.metric)),
                  (ob, T.value, terms.decimal(o.value)))
        if o.unit:
            self._put((ob, T.unit, terms.text(o.unit)))
        self._put((ob, T.comparator, terms.text(o.comparator)))
        if o.date:
            self._put((ob, T.date, terms.date(o.date)))
        if o.polarity == "positive":
            self._put((e, T.has_observation, ob))
        st = ID[f"claim/{_hash(a, e, 'obs', ob)}"]
        self._put((st, T.subject, e), (st, T.predicate, T.has_observation), (st, T.object, ob))
        self._provenance(a, st, o)

    def quad_set(self) -> QuadSet:
        """All article graphs, plus entity-wide facts (mention counts, merge notes) in the default graph."""
        default: dict[Triple, None] = {}
        for key, ent in self.entities.items():
            e = self.terms.entity(key)
            default[(e, T.mention_count, self.terms.integer(ent.mention_count))] = None
            for note in ent.merge_notes:
                default[(e, T.merge_note, self.terms.text(note))] = None
        return QuadSet.of({**self.graphs, None: default})

    def dataset(self) -> Dataset:
        return self.quad_set().to_dataset()


def build_quads(results: Iterable[ArticleResult], entities: dict[str, Entity],
                key_of: Callable[[Mention], str]) -> QuadSet:
    """The graph of a corpus as plain quads (what the build writes its outputs from)."""
    writer = GraphWriter(entities, key_of)
    for r in results:
        writer.article(r)
    return writer.quad_set()


def build_dataset(results: Iterable[ArticleResult], entities: dict[str, Entity],
                  key_of: Callable[[Mention], str]) -> Dataset:
    """The graph of a corpus as an rdflib Dataset whose default graph is the union."""
    return build_quads(results, entities, key_of).to_dataset()


def union_graph(data: Dataset | QuadSet) -> Graph:
    """All triples of every graph in one plain Graph (what graph.ttl holds)."""
    g = Graph()
    bind_prefixes(g)
    quads = data.quads() if isinstance(data, QuadSet) else data.quads((None, None, None, None))
    g.addN((s, p, o, g) for s, p, o, _ in quads)
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
