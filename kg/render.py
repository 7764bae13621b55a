"""graph.html: one offline file (vis-network from pyvis's bundled assets, our own template).

All article text travels as JSON inside a <script type="application/json"> block with "<", ">"
and "&" escaped, and the page only ever sets it with textContent or as vis-network plain-text
titles, so nothing from an article can run.
"""
from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import networkx as nx

CLASS_COLORS = {
    "Person": "#e6772e", "Organization": "#4062bb", "Company": "#4f7cff", "FinancialInstitution": "#2a9d8f",
    "Bank": "#1b7f6b", "AssetManager": "#52b69a", "Exchange": "#7b61ff", "PaymentNetwork": "#9d4edd",
    "GovernmentBody": "#6c757d", "Project": "#2b9348", "Token": "#e9c46a", "Stablecoin": "#d4a373",
    "Product": "#ef476f", "Upgrade": "#118ab2", "Proposal": "#06aed5",
}
PHYSICS_LIMIT = 500
REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*https?:|@import\s+(?:url\()?["']?https?:""", re.IGNORECASE)


def _asset(name: str) -> str:
    return (resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


def _safe_json(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _tooltip_node(n: dict) -> str:
    parts = [n["label"], ", ".join(n["classes"])]
    if n["alt_labels"]:
        parts.append("also: " + ", ".join(n["alt_labels"]))
    return "\n".join(parts)


def _tooltip_edge(e: dict, src: str, dst: str) -> str:
    head = f"{src} {e['predicate']} {dst}" + (" (negated)" if e["polarity"] == "Negated" else "") + \
        (" (hedged)" if e["modality"] == "Hedged" else "")
    lines = [head]
    for ev in e["evidence"][:5]:
        lines.append(f"“{ev['sentence']}”\n— " + " · ".join(x for x in (ev.get("headline"), ev.get("publisher"),
                                                                         ev.get("date")) if x))
    return "\n\n".join(lines)


def _positions(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Seeded layout for graphs too big for live physics."""
    simple = nx.Graph(g.to_undirected(as_view=True))
    pos = nx.spring_layout(simple, seed=42, iterations=30 if len(simple) < 3000 else 15, scale=40 * len(simple) ** 0.5)
    return {k: (round(float(x), 1), round(float(y), 1)) for k, (x, y) in pos.items()}


def page_data(g: nx.MultiDiGraph, articles: list[dict], note: str = "") -> dict:
    """What the page needs, sorted so the same graph gives the same bytes."""
    physics = g.number_of_nodes() <= PHYSICS_LIMIT
    pos = {} if physics else _positions(g)
    nodes = []
    for nid in sorted(g.nodes):
        n = dict(g.nodes[nid])
        names = sorted({n["label"], *n["alt_labels"], *([n["ticker"]] if n["ticker"] else [])})
        x, y = pos.get(nid, (None, None))
        nodes.append({"id": nid, "label": n["label"], "cls": n["cls"], "classes": n["classes"],
                      "alt_labels": n["alt_labels"], "ticker": n["ticker"], "mentions": n["mentions"],
                      "articles": n["articles"], "dates": n.get("dates", []), "display_names": names,
                      "names": [x.lower() for x in names], "tooltip": _tooltip_node(n), "x": x, "y": y})
    edges = []
    for i, (s, o, key, e) in enumerate(sorted(g.edges(keys=True, data=True), key=lambda t: (t[0], t[1], t[2]))):
        edges.append({"id": f"e{i}", "from": s, "to": o, "predicate": e["predicate"], "polarity": e["polarity"],
                      "modality": e["modality"], "evidence": e["evidence"],
                      "tooltip": _tooltip_edge(e, g.nodes[s]["label"], g.nodes[o]["label"])})
    return {"nodes": nodes, "edges": edges, "articles": articles, "colors": CLASS_COLORS,
            "physics": physics, "note": note}


def render_html(g: nx.MultiDiGraph, articles: list[dict], title: str = "crypto-kg", note: str = "") -> str:
    template = (resources.files("kg") / "templates" / "graph.html").read_text(encoding="utf-8")
    safe_title = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    html = template.replace("__VIS_CSS__", _asset("vis-network.css")).replace("__TITLE__", safe_title)
    html = html.replace("__DATA__", _safe_json(page_data(g, articles, note)))
    html = html.replace("__VIS_JS__", _asset("vis-network.min.js").replace("</script", "<\\/script"))
    return html


def remote_references(html: str) -> list[str]:
    """Every src/href/@import pointing to the network (must be empty for an offline page)."""
    return [m.group(0) for m in REMOTE.finditer(html)]


def article_list(ds) -> list[dict]:  # noqa: ANN001 - rdflib Dataset
    from .namespace import KG, SCHEMA
    from rdflib.namespace import RDF

    out = []
    for a in sorted(ds.subjects(RDF.type, SCHEMA.NewsArticle)):
        title = str(ds.value(a, SCHEMA.headline) or ds.value(a, KG.fileName) or a)
        out.append({"id": str(a), "title": title[:90]})
    return out


def write_html(path: Path, html: str) -> None:
    from .io import atomic_write_text

    atomic_write_text(path, html)
