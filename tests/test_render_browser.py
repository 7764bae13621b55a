"""graph.html in headless Chromium (Debian's /usr/bin/chromium driven by Playwright).

Skipped when /usr/bin/chromium or the playwright package is missing.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser_helpers import (  # noqa: E402
    CHROMIUM, ENTITY, chromium, edge_midpoint, entity_count, have_browser, hover, make_graph, open_page, screen_xy,
)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not have_browser(), reason=f"needs {CHROMIUM} and the playwright package")]

ZKSYNC = ENTITY + "zksync"
PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
XSS_TXT = """Markets
Coinbase adopts Base {s} after review {i}

Coinbase adopts Base {s} after review {i}

ChainLedger Daily2025/11/03 09:15
By:Marta {i} Kovacs

Vitalik Buterin endorsed ZKsync {s} in a post on Saturday. Coinbase has adopted Base {i} for settlement.

The {s} Foundation has not endorsed ZKsync. Kraken reportedly partnered with {i} Labs on a product.
""".format(s=PAYLOADS[0], i=PAYLOADS[1])
XSS_JSONL = json.dumps({
    "title": f"{PAYLOADS[0]} Stripe acquires Bridge {PAYLOADS[1]}", "url": "https://example.test/a",
    "published": "2025-04-30T13:00:00Z", "publisher": f"{PAYLOADS[1]} Wire", "author": "Eve",
    "text": f"Stripe acquired Bridge {PAYLOADS[0]} for $1.1 billion. Visa partnered with {PAYLOADS[1]} Bridge on cards.",
})


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def built(seeds_build) -> Path:  # noqa: ANN001 - conftest's one build of seeds/
    return seeds_build.out


@pytest.fixture()
def seeds_page(browser, built):  # noqa: ANN001, ANN201
    page, log = open_page(browser, built / "graph.html")
    yield page, log
    page.close()


def _drawn(page) -> dict:  # noqa: ANN001
    return page.evaluate("kgExplorer.drawn()")


def _injected(page) -> dict:  # noqa: ANN001
    """Traces an injection would leave in the DOM."""
    return page.evaluate("""() => ({
        dialogs: window.__dialogs,
        imgs: document.querySelectorAll("img").length,
        handlers: [...document.querySelectorAll("*")].filter(e => [...e.attributes].some(a => a.name.startsWith("on"))).length,
        scripts: [...document.scripts].map(s => s.id || s.type || "inline").length,
    })""")


def _assert_nothing_ran(page, log) -> None:  # noqa: ANN001
    traces = _injected(page)
    assert traces == {"dialogs": [], "imgs": 0, "handlers": 0, "scripts": 3}, traces
    assert log.dialogs == [] and log.errors == [], (log.dialogs, log.errors)
    assert log.remote == [] and [u for u in log.requests if u.endswith("/x")] == []


# --- loads offline, draws every entity -------------------------------------------------------------

def test_seeds_page_loads_offline_without_errors(seeds_page) -> None:  # noqa: ANN001
    page, log = seeds_page
    assert log.errors == [], log.errors
    assert log.remote == [], "the page must not touch the network"
    assert page.evaluate("document.querySelector('#network canvas') !== null")
    assert page.evaluate("kgExplorer.data.physics") is True


def test_rendered_nodes_equal_entity_count(seeds_page, built) -> None:  # noqa: ANN001
    page, _ = seeds_page
    expected = entity_count(built / "graph.trig")
    assert expected > 50
    drawn = _drawn(page)
    assert len(drawn["nodes"]) == expected
    assert page.evaluate("Object.keys(kgExplorer.network.getPositions()).length") == expected
    assert page.evaluate("document.body.dataset.visibleNodes") == str(expected)
    legend_total = page.evaluate("[...document.querySelectorAll('#legend label.row span.n')].reduce((a, s) => a + Number(s.textContent), 0)")
    assert legend_total == expected


# --- finding things ------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["ZKsync", "zkSync", "ZK Sync", "zksync"])
def test_search_finds_and_focuses_zksync(seeds_page, query: str) -> None:  # noqa: ANN001
    page, log = seeds_page
    page.fill("#search", query)
    page.press("#search", "Enter")
    assert page.evaluate("document.body.dataset.focused") == "ZKsync"
    assert page.evaluate("kgExplorer.network.getSelectedNodes()") == [ZKSYNC]
    view, node = page.evaluate("[kgExplorer.network.getViewPosition(), kgExplorer.network.getPosition(%r)]" % ZKSYNC)
    assert abs(view["x"] - node["x"]) < 1 and abs(view["y"] - node["y"]) < 1, "the view is centred on it"
    assert page.text_content("#panel h2") == "ZKsync"
    assert log.errors == []


def test_search_by_ticker_and_unknown_name(seeds_page) -> None:  # noqa: ANN001
    page, _ = seeds_page
    for query in ("ZK", "$ZK"):
        page.fill("#search", query)
        page.press("#search", "Enter")
        assert page.evaluate("document.body.dataset.focused") == "ZK"  # the ZK token, ZKsync's token
    page.fill("#search", "Nothing Called This")
    page.press("#search", "Enter")
    assert "No entity called Nothing Called This" in page.text_content("#note")


def test_click_highlights_neighbourhood_and_opens_panel(seeds_page) -> None:  # noqa: ANN001
    page, log = seeds_page
    page.evaluate("kgExplorer.network.moveTo({position: kgExplorer.network.getPosition(%r), scale: 1.5})" % ZKSYNC)
    page.wait_for_timeout(100)
    x, y = screen_xy(page, ZKSYNC)
    page.mouse.click(x, y)
    assert page.evaluate("document.body.dataset.focused") == "ZKsync"
    looks = page.evaluate("""id => {
        const b = kgExplorer.network.body, near = new Set([id]);
        for (const e of kgExplorer.data.edges) if (e.polarity !== "Negated") {
            if (e.from === id) near.add(e.to); if (e.to === id) near.add(e.from); }
        const dim = n => b.nodes[n].options.color.background === "#eceef2";
        const ids = kgExplorer.data.nodes.map(n => n.id);
        return { near: [...near].filter(dim).length, far: ids.filter(n => !near.has(n) && !dim(n)).length,
                 nearCount: near.size };
    }""", ZKSYNC)
    assert looks["nearCount"] > 3
    assert looks["near"] == 0 and looks["far"] == 0, looks  # neighbourhood in colour, the rest dimmed
    panel = page.text_content("#panel")
    assert "Vitalik Buterin" in panel and "endorses" in panel
    assert page.locator("#panel .fact blockquote").count() >= 3
    sources = page.locator("#panel .fact .src").all_text_contents()
    assert sources and all(" · " in s for s in sources)  # headline · publisher · date
    assert any("ChainLedger Daily" in s and "2025-11-03" in s for s in sources)
    # clicking empty canvas clears the highlight (a point with no node or edge under it: which corner
    # is empty depends on the layout of the graph)
    empty = page.evaluate("""() => {
        const r = document.getElementById('network').getBoundingClientRect(), net = kgExplorer.network;
        for (let y = 5; y < r.height; y += 20) for (let x = 5; x < r.width; x += 20)
            if (net.getNodeAt({x, y}) === undefined && net.getEdgeAt({x, y}) === undefined) return [r.left + x, r.top + y];
        return null;
    }""")
    assert empty is not None
    page.mouse.click(*empty)
    assert page.evaluate("kgExplorer.data.nodes.every(n => kgExplorer.network.body.nodes[n.id].options.color.background !== '#eceef2')")
    assert page.evaluate("document.body.dataset.focused") is None
    assert log.errors == []


def test_hover_shows_evidence_and_entity_details(seeds_page) -> None:  # noqa: ANN001
    page, log = seeds_page
    page.evaluate("kgExplorer.network.moveTo({position: kgExplorer.network.getPosition(%r), scale: 1.6})" % ZKSYNC)
    page.wait_for_timeout(100)
    node_tip = hover(page, *screen_xy(page, ZKSYNC))
    assert "ZKsync" in node_tip and "Project" in node_tip and "zkSync" in node_tip, node_tip
    candidates = page.evaluate("""id => kgExplorer.drawn().edges.map(e => kgExplorer.data.edges.find(d => d.id === e))
        .filter(e => e.from === id || e.to === id).map(e => e.id)""", ZKSYNC)
    shown = ""
    for edge_id in candidates:
        page.mouse.move(1, 1)
        page.wait_for_timeout(100)
        tip = hover(page, *screen_xy(page, edge_midpoint(page, edge_id)))
        expected = page.evaluate("id => kgExplorer.tooltip('edge', id)", edge_id)
        if tip and "".join(tip.split()) == "".join(expected.split()):
            shown = tip
            break
    assert shown, "no edge tooltip appeared on hover"
    edge = page.evaluate("id => kgExplorer.data.edges.find(e => e.id === id)", edge_id)
    ev = edge["evidence"][0]
    for part in (ev["sentence"], ev["headline"], ev["publisher"], ev["date"], edge["predicate"]):
        assert part in shown, (part, shown)
    page.mouse.click(*screen_xy(page, edge_midpoint(page, edge_id)))  # an edge's evidence also goes to the panel
    assert edge["predicate"] in page.text_content("#panel h2")
    assert ev["sentence"] in page.text_content("#panel blockquote")
    assert log.errors == []


def test_negated_toggle_shows_hidden_negated_edges(seeds_page) -> None:  # noqa: ANN001
    page, log = seeds_page
    negated = page.evaluate("kgExplorer.data.edges.filter(e => e.polarity === 'Negated').map(e => e.id)")
    assert negated, "seeds/ has negated claims"
    assert not set(negated) & set(_drawn(page)["edges"])
    page.check("#negated")
    drawn = set(_drawn(page)["edges"])
    assert set(negated) <= drawn
    style = page.evaluate("id => { const o = kgExplorer.network.body.edges[id].options; return [o.color.color, o.dashes, o.label]; }",
                          negated[0])
    assert style[0] == "#c62828" and style[1] and style[2].startswith("not ")
    page.uncheck("#negated")
    assert not set(negated) & set(_drawn(page)["edges"])
    assert log.errors == []


def test_filters_by_class_property_and_article(seeds_page) -> None:  # noqa: ANN001
    page, log = seeds_page
    data = page.evaluate("kgExplorer.data")
    people = {n["id"] for n in data["nodes"] if n["cls"] == "Person"}
    page.uncheck("#legend input[data-class=Person]")
    drawn = _drawn(page)
    assert people and not people & set(drawn["nodes"]) and len(drawn["nodes"]) == len(data["nodes"]) - len(people)
    page.check("#legend input[data-class=Person]")
    assert len(_drawn(page)["nodes"]) == len(data["nodes"])

    page.select_option("#property", "endorses")
    kept = {e["id"] for e in data["edges"] if e["predicate"] == "endorses" and e["polarity"] == "Positive"}
    assert set(_drawn(page)["edges"]) == kept and kept
    page.select_option("#property", "")

    article = next(a for a in data["articles"] if "Buterin" in a["title"])
    page.select_option("#article", article["id"])
    nodes = set(_drawn(page)["nodes"])
    assert ZKSYNC in nodes and nodes == {n["id"] for n in data["nodes"] if article["id"] in n["articles"]}
    for e in _drawn(page)["edges"]:
        assert any(ev["article"] == article["id"] for ev in next(d for d in data["edges"] if d["id"] == e)["evidence"])
    page.click("#reset")
    assert len(_drawn(page)["nodes"]) == len(data["nodes"])
    assert log.errors == []


# --- nothing from an article runs ----------------------------------------------------------------

def test_xss_article_runs_nothing(browser, tmp_path: Path) -> None:  # noqa: ANN001
    from kg.api import build

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "xss.txt").write_text(XSS_TXT, encoding="utf-8")
    (tmp_path / "in" / "wire.jsonl").write_text(XSS_JSONL + "\n", encoding="utf-8")
    build(tmp_path / "in", tmp_path / "out")
    page, log = open_page(browser, tmp_path / "out" / "graph.html")
    data = json.dumps(page.evaluate("kgExplorer.data"))
    assert all(p in data for p in PAYLOADS), "the payloads reached the page as data"
    options = " ".join(page.locator("#article option").all_text_contents())
    assert PAYLOADS[0] in options and PAYLOADS[1] in options  # shown as text
    for e in page.evaluate("kgExplorer.data.edges"):
        page.evaluate("id => kgExplorer.focusNode(id)", e["from"])
        page.check("#negated")
        page.evaluate("id => kgExplorer.tooltip('edge', id)", e["id"])
    assert PAYLOADS[0] in page.text_content("#panel") or PAYLOADS[1] in page.text_content("#panel")
    _assert_nothing_ran(page, log)
    page.close()


def test_markup_in_entity_names_runs_nothing(browser, tmp_path: Path) -> None:  # noqa: ANN001
    from kg.render import render_html, write_html

    text = " " + " ".join(PAYLOADS) + " </script><!--"
    g = make_graph(15, text=text)
    html = tmp_path / "g.html"
    write_html(html, render_html(g, [{"id": ENTITY + "article0", "title": "H" + text, "publisher": "P" + text,
                                      "date": "2025-11-03"}], title="t" + text))
    page, log = open_page(browser, html)
    assert page.title() == "t" + text
    page.fill("#search", "Entity 3" + text)
    page.press("#search", "Enter")
    assert page.evaluate("document.body.dataset.focused") == "Entity 3" + text
    assert (f"Entity 3{text}").strip() in page.text_content("#panel h2")
    page.evaluate("kgExplorer.network.moveTo({position: kgExplorer.network.getPosition(%r), scale: 1.5})" % (ENTITY + "n3"))
    tip = hover(page, *screen_xy(page, ENTITY + "n3"))
    assert PAYLOADS[1] in tip
    page.check("#negated")
    for e in page.evaluate("kgExplorer.data.edges.map(e => e.id)"):
        page.evaluate("id => kgExplorer.tooltip('edge', id)", e)
    _assert_nothing_ran(page, log)
    page.close()


def test_content_security_policy_blocks_injected_markup(seeds_page) -> None:  # noqa: ANN001
    """Defence in depth: were some text ever inserted as HTML, the page's CSP would still stop it."""
    page, log = seeds_page
    page.evaluate("""() => {
        const s = document.createElement("script"); s.textContent = "window.__pwned = 'script'"; document.body.append(s);
        const d = document.createElement("div"); d.innerHTML = '<img src="x" onerror="window.__pwned = \\'img\\'">';
        document.body.append(d);
    }""")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    blocked = [e for e in log.errors if "Content Security Policy" in e]
    assert any("inline script" in e for e in blocked) and any("img-src" in e for e in blocked), log.errors


# --- large graphs ---------------------------------------------------------------------------------

def test_large_graph_uses_precomputed_positions(browser, tmp_path: Path) -> None:  # noqa: ANN001
    from kg.render import PHYSICS_LIMIT, render_html, write_html

    g = make_graph(PHYSICS_LIMIT + 50)
    write_html(tmp_path / "big.html", render_html(g, [], note="Showing the 550 most connected of 9,999 entities."))
    page, log = open_page(browser, tmp_path / "big.html")
    assert page.evaluate("kgExplorer.data.physics") is False
    moved = page.evaluate("""() => { const p = kgExplorer.network.getPositions();
        return kgExplorer.data.nodes.filter(n => Math.abs(p[n.id].x - n.x) > 0.01 || Math.abs(p[n.id].y - n.y) > 0.01).length; }""")
    assert moved == 0, "positions come from the seeded layout, not from the browser"
    assert len(_drawn(page)["nodes"]) == PHYSICS_LIMIT + 50
    assert page.text_content("#note") == "Showing the 550 most connected of 9,999 entities."
    page.fill("#search", "Entity 42")
    page.press("#search", "Enter")
    assert page.evaluate("document.body.dataset.focused") == "Entity 42"
    assert log.errors == []
    page.close()


# --- the shared seeds the issue names --------------------------------------------------------------

@pytest.mark.shared
def test_shared_seeds_entities_have_evidence_on_hover(browser, shared_build) -> None:  # noqa: ANN001
    page, log = open_page(browser, shared_build.out / "graph.html")
    for name in ("ZKsync", "Vitalik Buterin", "Atlas", "Prividium", "Fusaka"):
        found = page.evaluate("q => { const n = kgExplorer.findNode(q); return n && n.id; }", name)
        assert found, name
        assert name.lower() in page.evaluate("id => kgExplorer.tooltip('node', id)", found).lower()
        tips = page.evaluate("""id => kgExplorer.data.edges.filter(e => (e.from === id || e.to === id) && e.polarity !== "Negated")
            .map(e => [kgExplorer.tooltip("edge", e.id), e.evidence[0]])""", found)
        assert tips, f"{name} has no fact to hover"
        for tip, ev in tips:
            assert ev["sentence"] in tip and ev["headline"] in tip, (name, tip)
    assert log.errors == []
    page.close()
