"""Projection of the RDF graph to networkx: entities as nodes, claims as edges with evidence.

Used by the HTML renderer and the GraphML/GEXF export; reads only the contract's terms.
"""
from __future__ import annotations

from collections import defaultdict

import networkx as nx
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from .namespace import ENTITY_CLASSES, KG, SCHEMA

#: Most specific class first, for a node's colour.
CLASS_ORDER = ("Person", "Bank", "AssetManager", "Exchange", "PaymentNetwork", "FinancialInstitution",
               "GovernmentBody", "Company", "Organization", "Stablecoin", "Token", "Project", "Upgrade",
               "Proposal", "Product")


def _local(term: URIRef) -> str:
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _articles(ds: Dataset) -> dict[URIRef, dict[str, str]]:
    out: dict[URIRef, dict[str, str]] = {}
    for a in ds.subjects(RDF.type, SCHEMA.NewsArticle):
        out[a] = {"headline": str(ds.value(a, SCHEMA.headline) or ""),
                  "publisher": str(ds.value(a, SCHEMA.publisher) or ""),
                  "date": str(ds.value(a, SCHEMA.datePublished) or ""),
                  "file": str(ds.value(a, KG.fileName) or "")}
    return out


def to_networkx(ds: Dataset) -> nx.MultiDiGraph:
    """Entities and their claims (positive, hedged and negated) as a directed multigraph."""
    g = nx.MultiDiGraph()
    known = {KG[c] for c in ENTITY_CLASSES}
    for s, _, cls in ds.triples((None, RDF.type, None)):
        if cls in known and isinstance(s, URIRef):
            node = g.nodes.get(str(s)) or {}
            classes = set(node.get("classes", [])) | {_local(cls)}
            main = next((c for c in CLASS_ORDER if c in classes), sorted(classes)[0])
            g.add_node(str(s), label=str(ds.value(s, RDFS.label) or _local(s)), cls=main,
                       classes=sorted(classes),
                       alt_labels=sorted({str(o) for o in ds.objects(s, SKOS.altLabel)}),
                       ticker=str(ds.value(s, KG.ticker) or ""),
                       mentions=int(ds.value(s, KG.mentionCount) or 1),
                       articles=sorted({str(a) for a in ds.objects(s, KG.mentionedIn)}))
    articles = _articles(ds)
    edges: dict[tuple, dict] = defaultdict(lambda: {"evidence": []})
    for st in sorted(set(ds.subjects(RDF.type, RDF.Statement))):
        s, p, o = ds.value(st, RDF.subject), ds.value(st, RDF.predicate), ds.value(st, RDF.object)
        if str(s) not in g or isinstance(o, Literal) or str(o) not in g:
            continue
        polarity = _local(ds.value(st, KG.polarity) or KG.Positive)
        modality = _local(ds.value(st, KG.modality) or KG.Asserted)
        edge = edges[(str(s), str(o), _local(p), polarity)]
        edge.update(predicate=_local(p), polarity=polarity)
        edge["modality"] = "Asserted" if edge.get("modality") == "Asserted" else modality
        art = ds.value(st, PROV.wasDerivedFrom)
        edge["evidence"].append({"sentence": str(ds.value(st, KG.evidence) or ""), "article": str(art),
                                 **articles.get(art, {})})
    for (s, o, p, pol), data in sorted(edges.items()):
        data["evidence"].sort(key=lambda e: (e.get("date", ""), e["sentence"]))
        g.add_edge(s, o, key=f"{p}:{pol}", **data)
    for s in g.nodes:
        g.nodes[s]["dates"] = sorted(f"{_local(p)} {o}" for p in (KG.shippedOn, KG.scheduledFor, KG.shipsOn)
                                     for o in ds.objects(URIRef(s), p))
    return g
