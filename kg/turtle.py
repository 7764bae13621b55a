"""A fast, deterministic TriG/Turtle writer for the graphs kg builds.

rdflib's pretty serializers analyse the whole graph (references, lists, classes) and cost ~60 µs
per triple, more than the model on a big corpus; kg's graphs have no blank nodes or lists, so a
plain sorted writer is enough: graphs, subjects, predicates (rdf:type first) and objects sorted,
IRIs compacted with the contract's prefixes when the local part is a safe name. Equal graphs give
equal bytes. Graphs with blank nodes fall back to rdflib.
"""
from __future__ import annotations

import re
from collections import defaultdict
from itertools import chain
from typing import Iterable

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

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


class _Terms:
    """Text of each term, computed once per distinct term."""

    def __init__(self) -> None:
        self.prefixes = sorted(((str(ns), p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))
        self.cache: dict = {}

    def text(self, term: object) -> str:
        out = self.cache.get(term)
        if out is None:
            out = self.cache[term] = self._iri(term) if isinstance(term, URIRef) else self._literal(term)
        return out

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


def _block(triples: Iterable[tuple], terms: _Terms, indent: str) -> list[str]:
    """Subject blocks of one graph, sorted, in Turtle's `s p o, o ; p o .` form."""
    by_subject: dict = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        by_subject[terms.text(s)][p].append(terms.text(o))
    blocks = []
    for subject in sorted(by_subject):
        preds = by_subject[subject]
        order = sorted(preds, key=lambda p: (p != RDF.type, terms.text(p)))
        lines = [f"{'a' if p == RDF.type else terms.text(p)} {', '.join(sorted(set(preds[p])))}" for p in order]
        blocks.append(f"{indent}{subject} " + f" ;\n{indent}    ".join(lines) + " .\n")
    return blocks


def _has_bnodes(triples: Iterable[tuple]) -> bool:
    return any(isinstance(t, BNode) for triple in triples for t in triple)


def write_turtle(graph: Graph | Dataset) -> str:
    """The graph (a dataset: the union of its graphs) as Turtle, sorted: equal graphs give equal bytes."""
    triples = {(s, p, o) for s, p, o, *_ in graph.quads((None, None, None, None))} \
        if isinstance(graph, Dataset) else set(graph)
    if _has_bnodes(triples):
        union = Graph()
        for t in triples:
            union.add(t)
        return union.serialize(format="turtle")
    return _prologue() + "\n".join(_block(triples, _Terms(), ""))


def write_trig(ds: Dataset) -> str:
    """The dataset as TriG: named graphs sorted by name, then the default graph's triples."""
    default_id = ds.default_graph.identifier
    graphs: dict = defaultdict(list)
    for s, p, o, g in ds.quads((None, None, None, None)):
        graphs[getattr(g, "identifier", g)].append((s, p, o))
    default = graphs.pop(default_id, []) + graphs.pop(None, [])
    if any(isinstance(name, BNode) for name in graphs) or _has_bnodes(chain(default, *graphs.values())):
        from .graph import serialize_trig  # noqa: PLC0415 - rare path

        return serialize_trig(ds)
    terms, parts = _Terms(), [_prologue()]
    for name in sorted(graphs, key=str):
        parts.append(f"{terms.text(name)} {{\n" + "\n".join(_block(graphs[name], terms, "    ")) + "}\n\n")
    if default:
        parts.append("{\n" + "\n".join(_block(default, terms, "    ")) + "}\n")
    return "".join(parts)
