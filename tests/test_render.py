"""graph.html without a browser: offline, escaped, deterministic; `kg render` selection and CLI."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser_helpers import ENTITY, entity_count, make_graph  # noqa: E402

from kg.errors import InputError, UsageError  # noqa: E402
from kg.network import find_entity, layout_positions, most_connected, to_networkx  # noqa: E402
from kg.query import load_graph  # noqa: E402
from kg.render import PHYSICS_LIMIT, page_data, remote_references, render_graph, render_html, select  # noqa: E402

PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
ZKSYNC = ENTITY + "zksync"


@pytest.fixture(scope="module")
def built(seeds_build) -> Path:  # noqa: ANN001 - conftest's one build of seeds/
    return seeds_build.out


@pytest.fixture(scope="module")
def seeds_graph(built: Path):  # noqa: ANN201
    return to_networkx(load_graph(built / "graph.trig"))


def _data(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert block, "no data block"
    return json.loads(block.group(1))


# --- one offline file ------------------------------------------------------------------------------

def test_seeds_page_has_no_remote_reference(built: Path) -> None:
    html = (built / "graph.html").read_text(encoding="utf-8")
    assert remote_references(html) == []
    assert not re.search(r"<(?:script|img|iframe)[^>]*\ssrc\s*=", html, re.I), "everything must be inline"
    assert not re.search(r"<link\b", html, re.I)
    assert "vis.Network" in html and "kg-data" in html


def test_content_security_policy_pins_the_page_scripts(built: Path) -> None:
    import base64
    import hashlib

    html = (built / "graph.html").read_text(encoding="utf-8")
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)
    rules = dict(r.strip().split(" ", 1) for r in csp.split(";"))
    assert rules["default-src"] == "'none'"  # no fetch of any kind
    allowed = set(rules["script-src"].split())
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(scripts) == 2 and "'unsafe-inline'" not in allowed and "'unsafe-eval'" not in allowed
    assert allowed == {"'sha256-" + base64.b64encode(hashlib.sha256(x.encode()).digest()).decode() + "'" for x in scripts}


@pytest.mark.parametrize("snippet", [
    '<script src="https://cdn.example/vis.js"></script>',
    "<link rel=stylesheet href=http://cdn.example/b.css>",
    '<script src="//cdn.example/x.js"></script>',
    "<style>@import url('https://fonts.example/f.css');</style>",
    "<style>body { background: url( 'https://img.example/bg.png') }</style>",
    '<img srcset="//img.example/a.png 2x">',
    "<object data=https://x.example/a.swf></object>",
    '<style>@import "http://x.example/a.css";</style>',
])
def test_remote_references_finds_network_urls(snippet: str) -> None:
    assert remote_references(f"<html>{snippet}</html>")


def test_page_data_matches_the_graph(built: Path, seeds_graph) -> None:  # noqa: ANN001
    data = _data((built / "graph.html").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == entity_count(built / "graph.trig") == seeds_graph.number_of_nodes()
    zk = next(n for n in data["nodes"] if n["id"] == ZKSYNC)
    assert zk["label"] == "ZKsync" and {"zksync", "zk sync"} <= set(zk["names"])
    assert all(n == n.lower() for n in zk["names"])
    token = next(n for n in data["nodes"] if n["ticker"] == "ZK")
    assert {"zk", "$zk"} <= set(token["names"])
    assert any(e["polarity"] == "Negated" for e in data["edges"])
    assert any(e["modality"] == "Hedged" for e in data["edges"])
    for e in data["edges"]:
        assert e["evidence"] and all(ev["sentence"] and ev["headline"] for ev in e["evidence"])
    assert data["physics"] is True and data["note"] == ""


# --- same input, same bytes ----------------------------------------------------------------------

def test_two_renders_are_byte_identical(built: Path, tmp_path: Path) -> None:
    a = render_graph(built / "graph.trig", tmp_path / "a.html").out.read_bytes()
    b = render_graph(built / "graph.trig", tmp_path / "b.html").out.read_bytes()
    assert a == b
    assert a == (built / "graph.html").read_bytes(), "kg render of a build gives the page kg build wrote"


def test_large_graph_layout_is_seeded_and_deterministic() -> None:
    g = make_graph(PHYSICS_LIMIT + 100)
    one, two = page_data(g, []), page_data(g, [])
    assert one == two
    assert one["physics"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in one["nodes"])
    assert len({(n["x"], n["y"]) for n in one["nodes"]}) > 0.95 * len(one["nodes"]), "nodes must not pile up"
    assert render_html(g, []) == render_html(g, [])


def test_layout_handles_edge_cases_and_scales() -> None:
    import networkx as nx

    assert layout_positions(nx.Graph()) == {}
    assert layout_positions(nx.Graph([("a", "a")])) == {"a": (0.0, 0.0)}
    two = layout_positions(nx.Graph([("a", "b")]))
    assert two["a"] != two["b"]
    big = make_graph(5000)  # O(n + m) per iteration: about a second, never O(n²) memory
    pos = layout_positions(big)
    assert len(pos) == 5000 and pos == layout_positions(big)
    assert len(set(pos.values())) > 4900


def test_layout_keeps_neighbours_close() -> None:
    import statistics

    import networkx as nx

    g = nx.barabasi_albert_graph(2000, 1, seed=3)  # hubs and a long tail, like a news graph
    pos = layout_positions(g)

    def dist(a, b) -> float:  # noqa: ANN001
        return ((pos[a][0] - pos[b][0]) ** 2 + (pos[a][1] - pos[b][1]) ** 2) ** 0.5
    edge = statistics.median(dist(a, b) for a, b in g.edges())
    nodes = sorted(g)
    anywhere = statistics.median(dist(a, b) for a, b in zip(nodes, reversed(nodes)))
    assert edge < anywhere / 4
    assert min(dist(a, b) for a, b in g.edges()) > 1, "no two linked nodes on top of each other"


# --- nothing from an article can run -------------------------------------------------------------

def test_article_text_is_escaped_in_the_page() -> None:
    text = " " + " ".join(PAYLOADS) + " </script><!-- __VIS_JS__ __DATA__ \u2028 src=https://evil.example/x.js" \
        " <link href=//cdn.example/a.css> @import url(https://e.example/b.css)"
    g = make_graph(12, text=text)
    html = render_html(g, [{"id": "a", "title": "T" + text, "publisher": "P" + text, "date": "2025"}],
                       title="kg <script>alert(1)</script>")
    for p in PAYLOADS:
        assert p not in html
    assert "<title>kg &lt;script&gt;alert(1)&lt;/script&gt;</title>" in html
    assert remote_references(html) == [], "URLs in article text are data, never references"
    plain = render_html(make_graph(12), [{"id": "a", "title": "T", "publisher": "P", "date": "2025"}])
    for tag in ("<script", "<img", "<iframe", "<svg", "<object", "<!--", "</script"):
        assert html.count(tag) == plain.count(tag), tag
    data = _data(html)
    assert data["nodes"][0]["label"].endswith(text), "escaping must not change the text"
    assert data["articles"][0]["title"] == "T" + text
    assert html.count('key:"unselectAll"') == 1, "vis-network inlined once, never into the data"


# --- kg render: focus, hops, cap ----------------------------------------------------------------

def test_find_entity_by_label_alias_ticker(seeds_graph) -> None:  # noqa: ANN001
    for name in ("ZKsync", "zkSync", "ZK Sync", "zksync", " ZKsync "):
        assert find_entity(seeds_graph, name) == ZKSYNC
    assert seeds_graph.nodes[find_entity(seeds_graph, "ZK")]["ticker"] == "ZK"
    assert find_entity(seeds_graph, "$ZK") == find_entity(seeds_graph, "ZK")
    assert find_entity(seeds_graph, "no such thing") is None


def test_select_focus_hops_and_cap(seeds_graph) -> None:  # noqa: ANN001
    g1, note1 = select(seeds_graph, focus="zkSync", hops=1)
    neighbours = set(seeds_graph.successors(ZKSYNC)) | set(seeds_graph.predecessors(ZKSYNC))
    assert set(g1.nodes) == neighbours | {ZKSYNC}
    assert note1.startswith("Showing ZKsync and the entities within 1 hop of it")
    g0, _ = select(seeds_graph, focus="ZKsync", hops=0)
    assert list(g0.nodes) == [ZKSYNC]
    g2, _ = select(seeds_graph, focus="ZKsync", hops=2)
    assert set(g1.nodes) < set(g2.nodes)
    capped, note = select(seeds_graph, focus="ZKsync", hops=2, max_nodes=3)
    assert ZKSYNC in capped and capped.number_of_nodes() == 3
    assert "3 most connected" in note and "--max-nodes 3" in note
    top, note = select(seeds_graph, max_nodes=5)
    assert set(top.nodes) == set(most_connected(seeds_graph, 5))
    und = seeds_graph.to_undirected()
    degree = {n: len(set(und.neighbors(n)) - {n}) for n in und}
    assert min(degree[n] for n in top) >= max(degree[n] for n in seeds_graph if n not in top)
    assert note == f"Showing the 5 most connected of {seeds_graph.number_of_nodes()} entities (--max-nodes 5)."
    same, note = select(seeds_graph)
    assert same.number_of_nodes() == seeds_graph.number_of_nodes() and note == ""


def test_select_errors(seeds_graph) -> None:  # noqa: ANN001
    with pytest.raises(InputError, match="did you mean ZKsync"):
        select(seeds_graph, focus="ZKsinc")
    with pytest.raises(UsageError):
        select(seeds_graph, focus="ZKsync", hops=-1)
    with pytest.raises(UsageError):
        select(seeds_graph, max_nodes=0)


def test_kg_render_command(built: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    runner = CliRunner()
    out = tmp_path / "zk.html"
    res = runner.invoke(app, ["render", "--graph", str(built / "graph.trig"), "--focus", "zkSync", "--hops", "1",
                              "--max-nodes", "4", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert f"wrote {out}" in res.output and "4 most connected" in res.output
    data = _data(out.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 4 and "4 most connected" in data["note"]
    shown = {a for n in data["nodes"] for a in n["articles"]} | {ev["article"] for e in data["edges"] for ev in e["evidence"]}
    assert data["articles"] and {a["id"] for a in data["articles"]} <= shown
    assert "<title>crypto-kg: ZKsync</title>" in out.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["zk.html"], "atomic write leaves no temp file"

    graph_copy = tmp_path / "g" / "graph.trig"
    graph_copy.parent.mkdir()
    graph_copy.write_bytes((built / "graph.trig").read_bytes())
    res = runner.invoke(app, ["render", "-g", str(graph_copy)])
    assert res.exit_code == 0, res.output
    assert (graph_copy.parent / "graph.html").read_bytes() == (built / "graph.html").read_bytes()

    res = runner.invoke(app, ["render", "--graph", str(tmp_path / "missing.trig")])
    assert res.exit_code == 1 and "no graph at" in res.output
    res = runner.invoke(app, ["render", "--graph", str(built / "graph.trig"), "--focus", "Nobody Atall", "--out", str(out)])
    assert res.exit_code == 1 and "no entity named" in res.output
    res = runner.invoke(app, ["render", "--graph", str(built / "graph.trig"), "--hops", "2"])
    assert res.exit_code == 2 and "--focus" in res.output
