"""Projection of the RDF graph to networkx: entities as nodes, claims as edges with evidence.

Used by the HTML renderer and the GraphML/GEXF export; reads only the contract's terms.
"""
from __future__ import annotations

from collections import defaultdict

import networkx as nx
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from .graph import QuadSet, QuadView
from .namespace import ENTITY_CLASSES, KG, SCHEMA

#: Most specific class first, for a node's colour.
CLASS_ORDER = ("Person", "Bank", "AssetManager", "Exchange", "PaymentNetwork", "FinancialInstitution",
               "GovernmentBody", "Company", "Organization", "Stablecoin", "Token", "Project", "Upgrade",
               "Proposal", "Product")


def _local(term: URIRef) -> str:
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


#: What to_networkx reads: a build's quads are indexed for these predicates only.
NETWORK_PREDICATES = (RDF.type, RDFS.label, SKOS.altLabel, KG.ticker, KG.mentionCount, KG.mentionedIn,
                      RDF.subject, RDF.predicate, RDF.object, KG.polarity, KG.modality, KG.evidence,
                      PROV.wasDerivedFrom, SCHEMA.headline, SCHEMA.publisher, SCHEMA.datePublished, KG.fileName,
                      KG.shippedOn, KG.scheduledFor, KG.shipsOn)


def _sorted_nodes(nodes: set) -> list:
    """Sorted as rdflib sorts nodes; IRIs by their text without rdflib's slow comparisons."""
    return sorted(nodes, key=str) if all(type(n) is URIRef for n in nodes) else sorted(nodes)


def _articles(ds: Dataset | QuadView) -> dict[URIRef, dict[str, str]]:
    out: dict[URIRef, dict[str, str]] = {}
    for a in ds.subjects(RDF.type, SCHEMA.NewsArticle):
        out[a] = {"headline": str(ds.value(a, SCHEMA.headline) or ""),
                  "publisher": str(ds.value(a, SCHEMA.publisher) or ""),
                  "date": str(ds.value(a, SCHEMA.datePublished) or ""),
                  "file": str(ds.value(a, KG.fileName) or "")}
    return out


def to_networkx(data: Dataset | QuadSet) -> nx.MultiDiGraph:
    """Entities and their claims (positive, hedged and negated) as a directed multigraph."""
    ds = data.view(NETWORK_PREDICATES) if isinstance(data, QuadSet) else data
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
    positive, asserted = KG.Positive, KG.Asserted
    for st in _sorted_nodes(set(ds.subjects(RDF.type, RDF.Statement))):
        s, p, o = ds.value(st, RDF.subject), ds.value(st, RDF.predicate), ds.value(st, RDF.object)
        if str(s) not in g or isinstance(o, Literal) or str(o) not in g:
            continue
        polarity = _local(ds.value(st, KG.polarity) or positive)
        modality = _local(ds.value(st, KG.modality) or asserted)
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


# --- selection: what `kg render --focus/--max-nodes` keeps --------------------------------------

def entity_names(g: nx.MultiDiGraph, node: str) -> list[str]:
    """Every name a node answers to: label, alternative labels, ticker (and $TICKER)."""
    n = g.nodes[node]
    names = [n.get("label", ""), *n.get("alt_labels", [])]
    if n.get("ticker"):
        names += [n["ticker"], "$" + n["ticker"]]
    return [x for x in names if x]


def find_entity(g: nx.MultiDiGraph, name: str) -> str | None:
    """The node called `name`: exact label first, then any alias or ticker, then case-insensitively.

    Ties go to the most mentioned entity, then the smallest IRI, so the answer never depends on order.
    """
    key = " ".join(name.split())
    rank = lambda n: (-g.nodes[n].get("mentions", 0), n)  # noqa: E731
    tiers = (
        lambda n: g.nodes[n].get("label") == key,
        lambda n: key in entity_names(g, n),
        lambda n: key.casefold() in {x.casefold() for x in entity_names(g, n)},
        lambda n: n == key,
    )
    for match in tiers:
        hits = sorted((n for n in g.nodes if match(n)), key=rank)
        if hits:
            return hits[0]
    return None


def similar_names(g: nx.MultiDiGraph, name: str, limit: int = 3) -> list[str]:
    """Labels close to `name`, for a helpful error message."""
    import difflib

    key = name.casefold()
    folded = {x.casefold(): x for x in sorted({g.nodes[n].get("label", n) for n in g.nodes})}
    hits = difflib.get_close_matches(key, list(folded), n=limit, cutoff=0.6)
    hits += [x for x in folded if key in x and x not in hits]
    return [folded[h] for h in hits][:limit]


def neighbourhood(g: nx.MultiDiGraph, node: str, hops: int) -> set[str]:
    """Nodes within `hops` edges of `node`, ignoring direction."""
    return set(nx.single_source_shortest_path_length(g.to_undirected(as_view=True), node, cutoff=hops))


def most_connected(g: nx.MultiDiGraph, limit: int, keep: tuple[str, ...] = ()) -> list[str]:
    """The `limit` best connected nodes (distinct neighbours, then facts, then mentions, then IRI)."""
    und = g.to_undirected(as_view=True)

    def rank(n: str) -> tuple:
        return (n not in keep, -len(set(und.neighbors(n)) - {n}), -g.degree(n),
                -g.nodes[n].get("mentions", 0), n)
    return sorted(g.nodes, key=rank)[:limit]


# --- layout for graphs too big for live physics in the browser ----------------------------------

def layout_positions(g: nx.Graph, seed: int = 42, iterations: int = 200, unit: float = 60.0,
                     grid: int = 128, exaggerate: float = 8.0) -> dict[str, tuple[float, float]]:
    """Seeded force-directed positions, O(n + m) per iteration, for thousands of nodes.

    Fruchterman-Reingold forces (edges attract with d²/k, all pairs repel with k²/d) with the all-pairs
    repulsion computed on a grid by FFT convolution (a particle-mesh method) instead of pair by pair,
    and a pull to the centre that keeps disconnected pieces on the page. networkx's spring_layout needs
    scipy above 500 nodes and is O(n²) per iteration; this takes about a second at 5,000 nodes.
    Same graph and seed, same positions (rounded to whole px); `unit` is the ideal edge length in px.
    """
    import numpy as np

    nodes = sorted(g.nodes, key=str)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {v: i for i, v in enumerate(nodes)}
    pairs = sorted({(min(index[a], index[b]), max(index[a], index[b])) for a, b in g.edges() if a != b})
    ei = np.array([p[0] for p in pairs], dtype=np.int64)
    ej = np.array([p[1] for p in pairs], dtype=np.int64)
    rng = np.random.default_rng(seed)
    radius = (n / np.pi) ** 0.5  # uniform disc at one node per unit area
    angle = rng.random(n) * 2 * np.pi
    r = radius * np.sqrt(rng.random(n))
    pos = np.column_stack([r * np.cos(angle), r * np.sin(angle)])
    # Repulsion kernel k²·d/|d|² (k = 1) on a (2G)² grid of offsets, in FFT order.
    size = 2 * grid
    off = np.arange(size, dtype=float)
    off[off >= grid] -= size
    dx, dy = np.meshgrid(off, off, indexing="ij")
    d2 = dx * dx + dy * dy
    d2[0, 0] = np.inf
    kx, ky = np.fft.rfft2(dx / d2), np.fft.rfft2(dy / d2)
    gravity = np.pi  # balances a uniform disc of unit density: repulsion there grows as π·r
    temp0 = radius / 4
    for it in range(iterations):
        lo = pos.min(axis=0)
        span = float((pos.max(axis=0) - lo).max()) + 1e-9
        h = span / (grid - 1)
        cell = np.clip(((pos - lo) / h).astype(np.int64), 0, grid - 1)
        dens = np.zeros((size, size))
        np.add.at(dens, (cell[:, 0], cell[:, 1]), 1.0)
        fd = np.fft.rfft2(dens)
        # kernel in grid units -> divide by h for world units (k²·d/|d|² scales as 1/h)
        fx = np.fft.irfft2(fd * kx, s=dens.shape)[:grid, :grid] / h
        fy = np.fft.irfft2(fd * ky, s=dens.shape)[:grid, :grid] / h
        disp = np.column_stack([fx[cell[:, 0], cell[:, 1]], fy[cell[:, 0], cell[:, 1]]])
        if len(ei):
            delta = pos[ej] - pos[ei]
            dist = np.sqrt((delta * delta).sum(axis=1)) + 1e-9
            boost = exaggerate if it < iterations // 3 else 1.0  # pull clusters together first
            pull = delta * (boost * dist)[:, None]  # |F| = d² / k
            disp[:, 0] += np.bincount(ei, pull[:, 0], n) - np.bincount(ej, pull[:, 0], n)
            disp[:, 1] += np.bincount(ei, pull[:, 1], n) - np.bincount(ej, pull[:, 1], n)
        disp -= gravity * (pos - pos.mean(axis=0))
        length = np.sqrt((disp * disp).sum(axis=1)) + 1e-9
        temp = temp0 * (1 - it / iterations) + 0.05
        pos += disp * (np.minimum(length, temp) / length)[:, None]
    pos = (pos - pos.mean(axis=0)) * unit
    return {v: (float(round(x)), float(round(y))) for v, (x, y) in zip(nodes, pos)}
