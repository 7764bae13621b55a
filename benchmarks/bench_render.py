"""How long a 5,000-node graph.html takes to become interactive in headless Chromium (target: under 3 s).

    .venv/bin/python benchmarks/bench_render.py [--nodes 5000] [--runs 3] [--keep FILE]

Builds a synthetic entity graph shaped like a big `kg build` (hubs, long tail, isolated entities,
1-3 evidence sentences per fact, some hedged and negated claims), renders it with kg.render
(precomputed seeded layout, physics off above 500 nodes), opens it from file:// in headless
Chromium through Playwright, and measures the time from navigation until the page says it is
ready (document.body.dataset.ready, set after vis-network's first drawing), then how long a search
(focus + neighbourhood highlight) and clearing it take until drawn. Not a test: it prints figures.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.render import CLASS_COLORS, render_html  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PREDICATES = ("endorses", "adopts", "partnersWith", "investsIn", "acquires", "launches", "upgradeOf",
              "productOf", "tokenOf", "includes")
WORDS = ("chain", "labs", "capital", "protocol", "network", "finance", "bank", "swap", "pay", "bridge",
         "vault", "dao", "token", "markets", "digital", "trust", "layer", "ventures")


def synthetic_graph(n: int = 5000, seed: int = 7, articles: int = 400) -> tuple[nx.MultiDiGraph, list[dict]]:
    """A graph with the node and edge attributes kg.network.to_networkx produces."""
    rng = random.Random(seed)
    classes = sorted(CLASS_COLORS)
    arts = [{"id": f"https://w3id.org/crypto-kg/id/article/a{i:04d}", "title": f"Synthetic headline number {i}",
             "publisher": f"Publisher {i % 37}", "date": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"} for i in range(articles)]
    skeleton = nx.barabasi_albert_graph(int(n * 0.85), 1, seed=seed)
    g = nx.MultiDiGraph()
    for i in range(n):
        cls = classes[rng.randrange(len(classes))]
        label = f"{WORDS[i % len(WORDS)].title()} {WORDS[(i * 7) % len(WORDS)].title()} {i}"
        mentioned = sorted(rng.sample(range(articles), rng.randint(1, 3)))
        g.add_node(f"https://w3id.org/crypto-kg/id/entity/e{i}", label=label, cls=cls, classes=[cls],
                   alt_labels=[label.lower()] if i % 3 == 0 else [], ticker=f"T{i}" if cls == "Token" else "",
                   mentions=1 + int(rng.paretovariate(1.5)), articles=[arts[a]["id"] for a in mentioned], dates=[])
    pairs = list(skeleton.edges()) + [(rng.randrange(n), rng.randrange(n)) for _ in range(n // 2)]
    for k, (a, b) in enumerate(pairs):
        if a == b:
            continue
        s, o = f"https://w3id.org/crypto-kg/id/entity/e{a}", f"https://w3id.org/crypto-kg/id/entity/e{b}"
        pred = PREDICATES[k % len(PREDICATES)]
        polarity = "Negated" if k % 20 == 0 else "Positive"
        evidence = []
        for j in range(1 + k % 3):
            art = arts[rng.randrange(articles)]
            evidence.append({"sentence": f"{g.nodes[s]['label']} {pred} {g.nodes[o]['label']}, sentence {j} of fact {k}.",
                             "article": art["id"], "headline": art["title"], "publisher": art["publisher"],
                             "date": art["date"], "file": f"a{k}.txt"})
        g.add_edge(s, o, key=f"{pred}:{polarity}", predicate=pred, polarity=polarity,
                   modality="Hedged" if k % 5 == 0 else "Asserted", evidence=evidence)
    return g, arts


ACTIONS = {  # run in the page; no eval there: the page's Content-Security-Policy forbids it
    "search": "() => kgExplorer.focusName(kgExplorer.data.nodes[0].label)",
    "clear": "() => kgExplorer.clearFocus()",
}


def _until_drawn(page, action: str) -> float:  # noqa: ANN001 - playwright Page
    """Seconds from running ACTIONS[action] in the page until vis-network has drawn the result."""
    return page.evaluate("""() => new Promise(done => {
        const net = kgExplorer.network, t0 = performance.now();
        const drawn = () => { net.off("afterDrawing", drawn); done((performance.now() - t0) / 1000); };
        net.on("afterDrawing", drawn);
        (%s)();
        net.body.emitter.emit("_requestRedraw");  // draw even if the action changed nothing
    })""" % ACTIONS[action])


def _wait_ready(page, timeout: float = 120.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while page.evaluate("document.body.dataset.ready") != "1":
        if time.monotonic() > deadline:
            raise TimeoutError("page never became ready")
        time.sleep(0.005)


def measure(html_path: Path, runs: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            started = time.perf_counter()
            page.goto(html_path.resolve().as_uri())
            _wait_ready(page)
            wall = time.perf_counter() - started
            in_page = page.evaluate("performance.now()") / 1000
            drawn = page.evaluate("kgExplorer.network.body.nodeIndices.length")
            search = _until_drawn(page, "search")
            clear = _until_drawn(page, "clear")
            out.append({"ready_s": wall, "page_clock_s": in_page, "nodes_drawn": drawn, "search_s": search,
                        "clear_s": clear, "errors": errors})
            page.close()
        browser.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="Also write the page here.")
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} not found: apt-get install -y chromium")
    g, arts = synthetic_graph(args.nodes)
    t = time.perf_counter()
    html = render_html(g, arts, title=f"synthetic {args.nodes}")
    render_s = time.perf_counter() - t
    print(f"graph: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges; "
          f"render_html (layout + page) {render_s:.2f} s, {len(html.encode()) / 1e6:.1f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.html"
        path.write_text(html, encoding="utf-8")
        if args.keep:
            args.keep.write_text(html, encoding="utf-8")
        results = measure(path, args.runs)
    for i, r in enumerate(results, 1):
        print(f"run {i}: interactive after {r['ready_s']:.2f} s (page clock {r['page_clock_s']:.2f} s), "
              f"{r['nodes_drawn']} nodes drawn; search+focus {r['search_s'] * 1000:.0f} ms, "
              f"clear highlight {r['clear_s'] * 1000:.0f} ms" + (f"; errors: {r['errors']}" if r["errors"] else ""))
    med = statistics.median(r["ready_s"] for r in results)
    print(f"median time to interactive: {med:.2f} s ({'under' if med < 3 else 'OVER'} the 3 s target)")


if __name__ == "__main__":
    main()
