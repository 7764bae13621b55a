"""A fast, deterministic TriG/Turtle writer for the graphs kg builds.

rdflib's pretty serializers analyse the whole graph (references, lists, classes) and cost ~60 µs
per triple, more than the model on a big corpus; kg's graphs have no blank nodes or lists, so a
plain sorted writer is enough: graphs, subjects, predicates (rdf:type first) and objects sorted,
IRIs compacted with the contract's prefixes when the local part is a safe name. Equal graphs give
equal bytes. Graphs with blank nodes fall back to rdflib.

The writers take the build's QuadSet or an rdflib Dataset, turn each distinct term into text once,
and then work on plain strings only; they return the text as a list of parts, so a big graph is
written out piece by piece rather than copied into one string (`write_trig` joins them for callers
that want a string).
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from .graph import QuadSet, as_quads, serialize_trig
from .namespace import PREFIXES

#: A prefixed name's local part we can write without escapes (a safe subset of Turtle's PN_LOCAL).
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?\d*\.\d+")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\t\b\f]')
#: Characters an IRIREF may not hold literally; written as \uXXXX escapes, which parse back to them.
_IRI_ILLEGAL = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SHORTHAND = {XSD.integer: _INTEGER, XSD.decimal: _DECIMAL}
Rows = list[tuple[str, str, str]]


class _BlankNode(Exception):
    """A blank node: the graph goes to rdflib's serializer instead."""


class _Terms:
    """Text of each term, computed once per term object (kept alive here, so ids stay unique)."""

    def __init__(self) -> None:
        self.prefixes = sorted(((str(ns), p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))
        self.cache: dict[int, str] = {}
        self.predicates: dict[int, str] = {}
        self.keep: list = []

    def text(self, term: object) -> str:
        out = self.cache.get(id(term))
        if out is None:
            if isinstance(term, BNode):
                raise _BlankNode
            out = self.cache[id(term)] = self._iri(term) if isinstance(term, URIRef) else self._literal(term)
            self.keep.append(term)
        return out

    def predicate(self, term: object) -> str:
        """A predicate's text: "a" for rdf:type (no other predicate's text is "a")."""
        out = self.predicates.get(id(term))
        if out is None:
            out = self.predicates[id(term)] = "a" if term == RDF.type else self.text(term)
            self.keep.append(term)
        return out

    def rows(self, triples: Iterable[tuple]) -> Rows:
        """The triples as text (the cache is read inline: this runs once per triple)."""
        text, cache, predicate, predicates = self.text, self.cache, self.predicate, self.predicates
        return [(cache.get(id(s)) or text(s), predicates.get(id(p)) or predicate(p), cache.get(id(o)) or text(o))
                for s, p, o in triples]

    def _iri(self, term: URIRef) -> str:
        s = str(term)
        for ns, prefix in self.prefixes:
            if s.startswith(ns) and _LOCAL.fullmatch(s[len(ns):]):
                return f"{prefix}:{s[len(ns):]}"
        return "<" + _IRI_ILLEGAL.sub(lambda m: f"\\u{ord(m.group()):04X}", s) + ">"

    def _literal(self, term: Literal) -> str:
        lexical = str(term)
        shorthand = _SHORTHAND.get(term.datatype)
        if shorthand is not None and shorthand.fullmatch(lexical):
            return lexical
        quoted = '"' + _NEEDS_ESCAPE.sub(lambda m: _ESCAPES[m.group()], lexical) + '"'
        if term.language:
            return f"{quoted}@{term.language}"
        return f"{quoted}^^{self._iri(term.datatype)}" if term.datatype else quoted


def _prologue() -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items())) + "\n"


def _block(rows: Iterable[Rows], indent: str) -> list[str]:
    """Subject blocks of the triples in `rows`, sorted, in Turtle's `s p o, o ; p o .` form
    (predicates sorted with rdf:type, "a", first; objects sorted and distinct)."""
    by_subject: dict[str, dict[str, set[str]]] = {}
    for part in rows:
        for s, p, o in part:
            preds = by_subject.get(s)
            if preds is None:
                by_subject[s] = {p: {o}}
            elif p in preds:
                preds[p].add(o)
            else:
                preds[p] = {o}
    glue = f" ;\n{indent}    "
    blocks = []
    for subject in sorted(by_subject):
        preds = by_subject[subject]
        order = sorted(preds)
        if "a" in preds:
            order.remove("a")
            order.insert(0, "a")
        lines = [f"{p} {', '.join(sorted(objects)) if len(objects := preds[p]) > 1 else next(iter(objects))}"
                 for p in order]
        blocks.append(f"{indent}{subject} {glue.join(lines)} .\n")
    return blocks


def _joined(blocks: list[str]) -> list[str]:
    """`"\\n".join(blocks)` as parts."""
    return [b + "\n" for b in blocks[:-1]] + blocks[-1:]


def _trig(graphs: list[tuple[str | None, Rows]]) -> list[str]:
    parts = [_prologue()]
    for name, rows in graphs:
        if rows and name is not None:
            parts += [f"{name} {{\n", *_joined(_block([rows], "    ")), "}\n\n"]
    for name, rows in graphs:
        if rows and name is None:
            parts += ["{\n", *_joined(_block([rows], "    ")), "}\n"]
    return parts


def _text_graphs(quads: QuadSet, terms: _Terms) -> list[tuple[str | None, Rows]]:
    """Each graph's name and triples as text (raises _BlankNode)."""
    out = []
    for name, triples in quads.graphs:
        if isinstance(name, BNode):
            raise _BlankNode
        out.append((None if name is None else terms.text(name), terms.rows(triples)))
    return out


def trig_and_turtle(data: QuadSet | Dataset) -> Iterator[list[str]]:
    """graph.trig's parts, then graph.ttl's, sharing the work of turning terms into text (a generator,
    so the caller can write and drop the first before the second is made)."""
    quads = as_quads(data)
    try:
        graphs = _text_graphs(quads, _Terms())
    except _BlankNode:
        yield [_rdflib_trig(data, quads)]
        yield [_rdflib_turtle(quads.quads())]
        return
    yield _trig(graphs)
    yield [_prologue(), *_joined(_block((rows for _, rows in graphs), ""))]


def write_trig(data: QuadSet | Dataset) -> str:
    """The dataset as TriG: named graphs sorted by name, then the default graph's triples."""
    quads = as_quads(data)
    try:
        return "".join(_trig(_text_graphs(quads, _Terms())))
    except _BlankNode:
        return _rdflib_trig(data, quads)


def write_turtle(graph: Graph | Dataset | QuadSet) -> str:
    """The graph (a dataset: the union of its graphs) as Turtle, sorted: equal graphs give equal bytes."""
    if isinstance(graph, Graph) and not isinstance(graph, Dataset):
        triples: Iterable[tuple] = list(graph)
    else:
        triples = [(s, p, o) for s, p, o, _ in as_quads(graph).quads()]
    try:
        rows = _Terms().rows(triples)
    except _BlankNode:
        return _rdflib_turtle(triples)
    return "".join([_prologue(), *_joined(_block([rows], ""))])


def _rdflib_trig(data: QuadSet | Dataset, quads: QuadSet) -> str:
    return serialize_trig(data if isinstance(data, Dataset) else quads.to_dataset())


def _rdflib_turtle(triples: Iterable[tuple]) -> str:
    union = Graph()
    for s, p, o, *_ in triples:
        union.add((s, p, o))
    return union.serialize(format="turtle")
