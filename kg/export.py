"""Standard exports of a built graph, for the rest of the RDF and network-analysis world.

- nquads:  every article graph as N-Quads (Jena, GraphDB, Oxigraph, ... load it as it is)
- jsonld:  JSON-LD 1.1 compacted with the contract's context (ontology/context.jsonld, inlined)
- graphml / gexf: the entity network (kg.network.to_networkx) for Gephi, yEd, Cytoscape: nodes
           carry their class, edges their property, polarity, modality and evidence; every
           attribute is a string or a number (lists are joined with "; ")
- csv:     one row per claim: subject, predicate, object, polarity, modality, confidence,
           evidence, article (then headline, date, file and the IRIs)
"""
from __future__ import annotations

import csv
import io
import json
from functools import lru_cache
from pathlib import Path

import networkx as nx
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import PROV, RDF, RDFS

from .errors import InputError, UsageError
from .io import atomic_write_bytes
from .lexicon import ONTOLOGY_DIR
from .namespace import KG, PREFIXES, SCHEMA
from .network import to_networkx
from .query import load_graph

FORMATS = ("nquads", "jsonld", "graphml", "gexf", "csv")
SUFFIX = {"nquads": ".nq", "jsonld": ".jsonld", "graphml": ".graphml", "gexf": ".gexf", "csv": ".csv"}
CLAIM_COLUMNS = ("subject", "predicate", "object", "polarity", "modality", "confidence", "evidence", "article",
                 "headline", "published", "file", "subject_iri", "object_iri", "claim")
SEP = "; "


@lru_cache(maxsize=1)
def jsonld_context() -> dict:
    """The contract's JSON-LD context (the value of "@context" in ontology/context.jsonld)."""
    path = ONTOLOGY_DIR / "context.jsonld"
    try:
        return json.loads(path.read_text(encoding="utf-8"))["@context"]
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(f"cannot read the JSON-LD context {path}: {exc}") from exc


def to_jsonld(data: Dataset | Graph) -> bytes:
    """JSON-LD 1.1, compacted with the contract's context (inlined, so it works offline)."""
    text = data.serialize(format="json-ld", context=jsonld_context(), auto_compact=True)
    return text.encode("utf-8") if isinstance(text, str) else text


def to_nquads(ds: Dataset) -> bytes:
    """Every quad, article graphs named by the article IRI; entity-wide facts in the default graph."""
    lines = sorted(set(ds.serialize(format="nquads").splitlines()))
    return ("\n".join(line for line in lines if line.strip()) + "\n").encode("utf-8")


# --------------------------------------------------------------------------------------------
# Network exports
# --------------------------------------------------------------------------------------------

def _flat(value: object) -> str | int | float:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (list, tuple, set)):
        return SEP.join(str(v) for v in value)
    return "" if value is None else str(value)


def _compact(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return iri


def export_network(ds: Dataset) -> nx.MultiDiGraph:
    """The entity network with flat attributes (strings and numbers only), ready for GraphML/GEXF.

    Nodes: label, class (most specific), classes, alt_labels, ticker, mentions, articles (count),
    article_iris, dates, iri. Edges: label and property (kg:endorses), property_iri, polarity,
    modality, weight (pieces of evidence), evidence (sentences), headlines, articles.
    """
    g = to_networkx(ds)
    out = nx.MultiDiGraph(name="crypto-kg")
    for node, data in g.nodes(data=True):
        out.add_node(node, label=str(data.get("label", node)), iri=node, **{"class": str(data.get("cls", ""))},
                     classes=_flat(data.get("classes", [])), alt_labels=_flat(data.get("alt_labels", [])),
                     ticker=_flat(data.get("ticker", "")), mentions=int(data.get("mentions", 1)),
                     articles=len(data.get("articles", [])), article_iris=_flat(data.get("articles", [])),
                     dates=_flat(data.get("dates", [])))
    for s, o, key, data in g.edges(keys=True, data=True):
        pred = str(data.get("predicate", ""))
        polarity, modality = str(data.get("polarity", "Positive")), str(data.get("modality", "Asserted"))
        evidence = data.get("evidence", [])
        label = pred if polarity == "Positive" else f"not {pred}"
        out.add_edge(s, o, key=str(key), id=f"{s}|{key}|{o}", label=label, property=f"kg:{pred}",
                     property_iri=str(KG[pred]), polarity=polarity, modality=modality,
                     weight=float(len(evidence) or 1),
                     evidence=_flat(sorted({e.get("sentence", "") for e in evidence})),
                     headlines=_flat(sorted({e.get("headline", "") for e in evidence if e.get("headline")})),
                     articles=_flat(sorted({e.get("article", "") for e in evidence})))
    return out


def to_graphml(ds: Dataset) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(export_network(ds), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def to_gexf(ds: Dataset) -> bytes:
    buf = io.BytesIO()
    nx.write_gexf(export_network(ds), buf, encoding="utf-8", prettyprint=True, version="1.2draft")
    return buf.getvalue()


# --------------------------------------------------------------------------------------------
# Claims as CSV
# --------------------------------------------------------------------------------------------

def _local(term: object) -> str:
    return str(term).rsplit("#", 1)[-1] if term is not None else ""


def _describe(ds: Dataset, term: object) -> str:
    """A readable name for a claim's object: an entity's label, a date's text, an observation's figure."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        return str(term)
    label = ds.value(term, RDFS.label)
    if label is not None:
        return str(label)
    metric = ds.value(term, KG.metric)
    if metric is not None:
        parts = [_local(metric), str(ds.value(term, KG.comparator) or "="), str(ds.value(term, KG.value) or "")]
        unit = ds.value(term, KG.unit)
        if unit is not None:
            parts.append(str(unit))
        when = ds.value(term, KG.date)
        return " ".join(parts) + (f" ({when})" if when is not None else "")
    return _compact(str(term))


def claim_rows(ds: Dataset) -> list[dict[str, str]]:
    """One dict per rdf:Statement (relations, dates and observations), sorted for stable output."""
    rows = []
    for st in set(ds.subjects(RDF.type, RDF.Statement)):
        s, p, o = ds.value(st, RDF.subject), ds.value(st, RDF.predicate), ds.value(st, RDF.object)
        art = ds.value(st, PROV.wasDerivedFrom)
        rows.append({
            "subject": _describe(ds, s), "predicate": _compact(str(p)) if p is not None else "",
            "object": _describe(ds, o), "polarity": _local(ds.value(st, KG.polarity)),
            "modality": _local(ds.value(st, KG.modality)), "confidence": str(ds.value(st, KG.confidence) or ""),
            "evidence": str(ds.value(st, KG.evidence) or ""), "article": str(art or ""),
            "headline": str(ds.value(art, SCHEMA.headline) or "") if art is not None else "",
            "published": str(ds.value(art, SCHEMA.datePublished) or "") if art is not None else "",
            "file": str(ds.value(art, KG.fileName) or "") if art is not None else "",
            "subject_iri": str(s or ""), "object_iri": "" if isinstance(o, Literal) or o is None else str(o),
            "claim": str(st),
        })
    rows.sort(key=lambda r: (r["published"], r["file"], r["subject"], r["predicate"], r["object"], r["claim"]))
    return rows


def to_csv(ds: Dataset) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, CLAIM_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(claim_rows(ds))
    return buf.getvalue().encode("utf-8")


EXPORTERS = {"nquads": to_nquads, "jsonld": to_jsonld, "graphml": to_graphml, "gexf": to_gexf, "csv": to_csv}


def export_dataset(ds: Dataset, fmt: str) -> bytes:
    """The dataset in one of FORMATS, as bytes."""
    if fmt not in EXPORTERS:
        raise UsageError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    return EXPORTERS[fmt](ds)


def export_graph(graph: Path | str = "output/graph.trig", fmt: str = "nquads", out: Path | str | None = None) -> bytes | Path:
    """Export a built graph file: written atomically to `out` (returns the path), else returned as bytes."""
    if fmt not in EXPORTERS:
        raise UsageError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    data = export_dataset(load_graph(Path(graph)), fmt)
    if out is None:
        return data
    out = Path(out)
    if out.is_dir():
        out = out / f"graph{SUFFIX[fmt]}"
    atomic_write_bytes(out, data)
    return out


__all__ = ["FORMATS", "CLAIM_COLUMNS", "jsonld_context", "to_jsonld", "to_nquads", "export_network", "to_graphml",
           "to_gexf", "claim_rows", "to_csv", "export_dataset", "export_graph"]
