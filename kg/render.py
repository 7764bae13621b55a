"""graph.html: one offline file (vis-network from pyvis's bundled assets, our own template).

All article text travels as JSON inside a <script type="application/json"> block with "<", ">"
and "&" escaped, and the page only ever puts it in the document with textContent, DOM nodes built
by the page, or vis-network's plain-text labels, so nothing from an article can run.
Same graph in, same bytes out: everything is sorted and the layout is seeded.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import importlib.util
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import networkx as nx

CLASS_COLORS = {
    "Person": "#e6772e", "Organization": "#4062bb", "Company": "#4f7cff", "FinancialInstitution": "#2a9d8f",
    "Bank": "#1b7f6b", "AssetManager": "#52b69a", "Exchange": "#7b61ff", "PaymentNetwork": "#9d4edd",
    "GovernmentBody": "#6c757d", "Project": "#2b9348", "Token": "#e9c46a", "Stablecoin": "#d4a373",
    "Product": "#ef476f", "Upgrade": "#118ab2", "Proposal": "#06aed5",
}
#: Colour of a class the palette does not know yet (the ontology may grow).
OTHER_COLOR = "#8d99ae"
#: Above this many nodes the browser gets precomputed positions and no live physics.
PHYSICS_LIMIT = 500
#: A URL the browser would fetch: in an attribute that loads something, an @import, or a CSS url().
REMOTE = re.compile(r"""\b(?:src|href|srcset|poster|data|action|formaction|background)\s*=\s*["']?\s*(?:https?:)?//"""
                    r"""|@import\s+(?:url\(\s*)?["']?\s*(?:https?:)?//|\burl\(\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
_SLOTS = re.compile(r"__(VIS_CSS|VIS_JS|TITLE|DATA|SCRIPT_HASHES)__")
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


@functools.lru_cache(maxsize=None)
def _asset(name: str) -> str:
    """A vis-network file bundled with pyvis, found without importing pyvis (which costs ~0.3 s)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pyvis is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return (folder / "templates" / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


def _safe_json(data: object) -> str:
    """JSON that cannot end its <script> block, open a comment or look like a URL to fetch.

    <, >, & and the line separators become \\u escapes, and "/" (only ever inside a string) becomes
    "\\/", so article text such as `src=https://…` cannot read as a remote reference either.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("/", "\\/")


def _escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def page_data(g: nx.MultiDiGraph, articles: list[dict], note: str = "") -> dict:
    """What the page needs, sorted so the same graph gives the same bytes."""
    from .network import entity_names, layout_positions

    physics = g.number_of_nodes() <= PHYSICS_LIMIT
    pos = {} if physics else layout_positions(g)
    nodes = []
    for nid in sorted(g.nodes):
        n = g.nodes[nid]
        names = sorted(set(entity_names(g, nid)))
        x, y = pos.get(nid, (None, None))
        nodes.append({"id": nid, "label": n["label"], "cls": n["cls"], "classes": n["classes"],
                      "alt_labels": n["alt_labels"], "ticker": n["ticker"], "mentions": n["mentions"],
                      "articles": n["articles"], "dates": n.get("dates", []),
                      "names": sorted({x.lower() for x in names}), "x": x, "y": y})
    edges = []
    for i, (s, o, _key, e) in enumerate(sorted(g.edges(keys=True, data=True), key=lambda t: (t[0], t[1], t[2]))):
        edges.append({"id": f"e{i}", "from": s, "to": o, "predicate": e["predicate"], "polarity": e["polarity"],
                      "modality": e["modality"], "evidence": e["evidence"]})
    colors = {c: CLASS_COLORS.get(c, OTHER_COLOR) for c in sorted({n["cls"] for n in nodes} | set(CLASS_COLORS))}
    return {"nodes": nodes, "edges": edges, "articles": articles, "colors": colors,
            "physics": physics, "note": note}


def render_html(g: nx.MultiDiGraph, articles: list[dict], title: str = "crypto-kg", note: str = "") -> str:
    """The whole page as one string: template, vis-network inlined, data as escaped JSON."""
    template = (resources.files("kg") / "templates" / "graph.html").read_text(encoding="utf-8")
    slots = {"VIS_CSS": _asset("vis-network.css").replace("</style", "<\\/style"),
             "VIS_JS": _asset("vis-network.min.js").replace("</script", "<\\/script"),
             "TITLE": _escape_html(title),
             "DATA": _safe_json(page_data(g, articles, note))}
    # The Content-Security-Policy allows exactly the page's own inline scripts (by hash) and no
    # network at all, so even markup that slipped through escaping could neither run nor fetch.
    scripts = [_SLOTS.sub(lambda m: slots[m.group(1)], body) for body in _INLINE_SCRIPT.findall(template)]
    slots["SCRIPT_HASHES"] = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(x.encode("utf-8")).digest()).decode("ascii") + "'" for x in scripts)
    # one pass, so text inserted into one slot is never searched for another slot's marker
    return _SLOTS.sub(lambda m: slots[m.group(1)], template)


def remote_references(html: str) -> list[str]:
    """Every src/href/@import pointing to the network (must be empty for an offline page)."""
    return [m.group(0) for m in REMOTE.finditer(html)]


def article_list(data) -> list[dict]:  # noqa: ANN001 - rdflib Dataset or kg.graph.QuadSet
    """Articles for the page's filter: id, headline (or file name), publisher, date; sorted by IRI."""
    from rdflib.namespace import RDF

    from .graph import QuadSet
    from .namespace import KG, SCHEMA

    wanted = (RDF.type, SCHEMA.headline, KG.fileName, SCHEMA.publisher, SCHEMA.datePublished)
    ds = data.view(wanted) if isinstance(data, QuadSet) else data
    out = []
    for a in sorted(ds.subjects(RDF.type, SCHEMA.NewsArticle)):
        title = str(ds.value(a, SCHEMA.headline) or ds.value(a, KG.fileName) or a)
        out.append({"id": str(a), "title": title[:120], "publisher": str(ds.value(a, SCHEMA.publisher) or ""),
                    "date": str(ds.value(a, SCHEMA.datePublished) or "")[:10]})
    return out


def write_html(path: Path, html: str) -> None:
    from .io import atomic_write_text

    atomic_write_text(path, html)


# --- `kg render`: re-render a built graph --------------------------------------------------------

@dataclass(frozen=True)
class RenderReport:
    """What `render_graph` wrote."""

    out: Path
    nodes: int
    edges: int
    total_nodes: int
    note: str


def select(g: nx.MultiDiGraph, focus: str | None = None, hops: int = 1,
           max_nodes: int | None = None) -> tuple[nx.MultiDiGraph, str]:
    """The part of `g` to draw and the sentence the page shows about what was left out.

    `focus`: an entity's label, alias or ticker; keeps it and everything within `hops` edges.
    `max_nodes`: keeps the most connected nodes (the focus always stays).
    """
    from .errors import InputError, UsageError
    from .network import find_entity, most_connected, neighbourhood, similar_names

    total = g.number_of_nodes()
    keep: set[str] = set(g.nodes)
    centre = None
    scope = ""
    if hops < 0:
        raise UsageError("--hops must be 0 or more")
    if max_nodes is not None and max_nodes < 1:
        raise UsageError("--max-nodes must be at least 1")
    if focus is not None:
        centre = find_entity(g, focus)
        if centre is None:
            near = similar_names(g, focus)
            hint = f" (did you mean {', '.join(near)}?)" if near else ""
            raise InputError(f"no entity named {focus!r} in the graph{hint}")
        keep = neighbourhood(g, centre, hops)
        scope = f"{g.nodes[centre]['label']} and the entities within {hops} hop{'s' if hops != 1 else ''} of it"
    capped = max_nodes is not None and len(keep) > max_nodes
    if capped:
        keep = set(most_connected(g.subgraph(keep), max_nodes, keep=(centre,) if centre else ()))
    out = nx.MultiDiGraph(g.subgraph(keep))
    if scope and capped:
        note = f"Showing {scope}, capped to the {max_nodes:,} most connected (--max-nodes {max_nodes}): " \
               f"{len(keep):,} of {total:,} entities."
    elif scope:
        note = f"Showing {scope}: {len(keep):,} of {total:,} entities."
    elif capped:
        note = f"Showing the {max_nodes:,} most connected of {total:,} entities (--max-nodes {max_nodes})."
    else:
        note = ""
    return out, note


def render_graph(graph: Path | str = "output/graph.trig", out: Path | str | None = None, focus: str | None = None,
                 hops: int = 1, max_nodes: int | None = None, title: str = "crypto-kg") -> RenderReport:
    """Load a built graph, keep the part asked for, and write the page atomically (no re-extraction)."""
    from .network import find_entity, to_networkx
    from .query import load_graph

    graph = Path(graph)
    target = Path(out) if out is not None else graph.with_name("graph.html")
    ds = load_graph(graph)
    full = to_networkx(ds)
    g, note = select(full, focus=focus, hops=hops, max_nodes=max_nodes)
    if focus is not None:
        title = f"{title}: {full.nodes[find_entity(full, focus)]['label']}"
    articles = article_list(ds)
    if note:  # part of the graph: the article filter lists only the articles behind what is shown
        used = {a for n in g.nodes for a in g.nodes[n].get("articles", [])} | \
               {ev["article"] for *_, e in g.edges(data=True) for ev in e["evidence"]}
        articles = [a for a in articles if a["id"] in used]
    write_html(target, render_html(g, articles, title=title, note=note))
    return RenderReport(out=target, nodes=g.number_of_nodes(), edges=g.number_of_edges(),
                        total_nodes=full.number_of_nodes(), note=note)

