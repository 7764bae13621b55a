"""Content negotiation and result serialisation for the SPARQL endpoint (kg.serve).

Kept apart from the HTTP server so the mime tables, Accept parsing and serialisers can be read, tested
and reused without waitress or the WSGI app: they only map a query result to bytes in a chosen type.
"""
from __future__ import annotations

from typing import Iterable

from rdflib.query import Result

#: mime type -> serializer key, in the order offered when the client accepts anything.
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/x-turtle": "turtle",
    "text/plain": "nt",
    "application/json": "json-ld",
}
#: short names accepted in a `format` / `output` / `results` parameter
FORMAT_NAMES = {
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv", None), "tsv": ("text/tab-separated-values", None),
    "turtle": (None, "text/turtle"), "ttl": (None, "text/turtle"), "n3": (None, "text/turtle"),
    "nt": (None, "application/n-triples"), "ntriples": (None, "application/n-triples"),
    "n-triples": (None, "application/n-triples"),
    "json-ld": (None, "application/ld+json"), "jsonld": (None, "application/ld+json"),
    "rdf+xml": (None, "application/rdf+xml"), "rdfxml": (None, "application/rdf+xml"),
}
ASK_TYPES = ("application/sparql-results+json", "application/sparql-results+xml", "application/json",
             "application/xml", "text/xml", "text/csv", "text/tab-separated-values")


def _accept(header: str) -> list[tuple[str, float, int]]:
    """(mime, q, position) for each media range, so ties can fall back to the client's order."""
    items = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        mime, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if mime:
            items.append((mime, q, i))
    return items


def negotiate(accept: str | None, offered: Iterable[str]) -> str | None:
    """The offered mime type the Accept header likes best (ties: the client's order, then ours); None if
    none is acceptable. No header means the first offered."""
    offered = list(offered)
    if not accept:
        return offered[0]
    best: tuple[float, int, int, int] | None = None
    choice = None
    prefs = _accept(accept)
    for rank, mime in enumerate(offered):
        major = mime.split("/")[0]
        for m, q, i in prefs:
            spec = 2 if m == mime else 1 if m == f"{major}/*" else 0 if m == "*/*" else -1
            if spec < 0:
                continue
            key = (q, spec, -i, -rank)
            if q > 0 and (best is None or key > best):
                best, choice = key, mime
    return choice


def _tsv_term(term: object) -> str:
    """A TSV cell: N-Triples syntax with tabs and newlines escaped so rows stay one line each."""
    if term is None:
        return ""
    text = term.n3()  # N-Triples syntax: <iri>, "literal"^^<dt>, _:b
    return text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def serialize_result(result: Result, mime: str) -> bytes:
    """A query result in the given mime type (one of RESULT_TYPES / GRAPH_TYPES)."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        fmt = GRAPH_TYPES[mime]
        if fmt == "json-ld":
            from .export import to_jsonld

            return to_jsonld(result.graph)
        data = result.graph.serialize(format=fmt, encoding="utf-8")
        return data if isinstance(data, bytes) else data.encode("utf-8")
    fmt = RESULT_TYPES[mime]
    if result.type == "ASK" and fmt in ("csv", "tsv"):
        return (str(bool(result.askAnswer)).lower() + "\n").encode("utf-8")
    if fmt == "tsv":
        names = [str(v) for v in result.vars]
        lines = ["\t".join(f"?{n}" for n in names)]
        lines += ["\t".join(_tsv_term(row.get(v)) for v in result.vars) for row in result.bindings]
        return ("\n".join(lines) + "\n").encode("utf-8")
    data = result.serialize(format=fmt, encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")


__all__ = ["RESULT_TYPES", "GRAPH_TYPES", "FORMAT_NAMES", "ASK_TYPES", "negotiate", "serialize_result"]
