"""Helpers for the graph.html tests: headless Chromium through Playwright (Debian's /usr/bin/chromium,
no downloaded browser), the entity count of a built graph, and small graphs made by hand.

    python tests/browser_helpers.py docs/graph.png     # the README screenshot, from seeds/
"""
from __future__ import annotations

import random
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ENTITY = "https://w3id.org/crypto-kg/id/entity/"
# Runs before the page's own scripts: any alert/confirm/prompt an injection manages to call is recorded.
RECORD_DIALOGS = """
window.__dialogs = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__dialogs.push(name + ": " + args.join(" ")); };
}
"""


def have_browser() -> bool:
    if not CHROMIUM.exists():
        return False
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def entity_count(trig: Path) -> int:
    """Distinct subjects typed with one of the contract's kg: entity classes, read from the TriG file."""
    from rdflib import Dataset
    from rdflib.namespace import RDF

    from kg.namespace import ENTITY_CLASSES, KG

    ds = Dataset()
    ds.parse(trig, format="trig")
    classes = {KG[c] for c in ENTITY_CLASSES}
    return len({s for s, _, o, _ in ds.quads((None, RDF.type, None, None)) if o in classes})


def make_graph(n: int, seed: int = 1, text: str = "") -> "nx.MultiDiGraph":  # noqa: F821
    """A graph with to_networkx's attributes: a random tree plus a few extra edges, some hedged/negated.

    `text` is put into every label, alias, sentence, headline and publisher (for escaping tests).
    """
    import networkx as nx

    rng = random.Random(seed)
    classes = ["Company", "Person", "Project", "Token", "Product"]
    g = nx.MultiDiGraph()
    for i in range(n):
        cls = classes[i % len(classes)]
        g.add_node(f"{ENTITY}n{i}", label=f"Entity {i}{text}", cls=cls, classes=[cls],
                   alt_labels=[f"alias {i}{text}"], ticker=f"T{i}" if cls == "Token" else "",
                   mentions=1 + rng.randrange(20), articles=[f"{ENTITY}article{i % 3}"], dates=[])
    for i in range(1, n):
        for k, j in enumerate({rng.randrange(i), rng.randrange(n)} - {i}):
            pred = ("endorses", "adopts", "partnersWith")[(i + k) % 3]
            pol = "Negated" if (i + k) % 11 == 0 else "Positive"
            g.add_edge(f"{ENTITY}n{i}", f"{ENTITY}n{j}", key=f"{pred}:{pol}", predicate=pred, polarity=pol,
                       modality="Hedged" if (i + k) % 4 == 0 else "Asserted",
                       evidence=[{"sentence": f"Entity {i} {pred} entity {j}.{text}", "article": f"{ENTITY}article{i % 3}",
                                  "headline": f"Headline {i % 3}{text}", "publisher": f"Wire{text}",
                                  "date": "2025-11-03", "file": "a.txt"}])
    return g


@dataclass
class PageLog:
    """What a page did besides drawing: console errors, uncaught errors, dialogs, requests."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def remote(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file:", "data:", "blob:", "about:"))]


@contextmanager
def chromium() -> Iterator["Browser"]:  # noqa: F821
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser, path: Path, width: int = 1400, height: int = 900):  # noqa: ANN001, ANN201
    """Open `path` from file:// and wait until the page is ready; returns (page, log)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    log = PageLog()
    page.add_init_script(RECORD_DIALOGS)
    page.on("console", lambda m: log.errors.append(m.text) if m.type in ("error", "assert") else None)
    page.on("pageerror", lambda e: log.errors.append(f"uncaught: {e}"))
    page.on("dialog", lambda d: (log.dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: log.requests.append(r.url))
    page.goto(path.resolve().as_uri())
    wait_ready(page)
    return page, log


def wait_ready(page, timeout: float = 60.0) -> None:  # noqa: ANN001
    """Poll for document.body.dataset.ready (page.wait_for_function would need the CSP to allow eval)."""
    import time

    deadline = time.monotonic() + timeout
    while page.evaluate("document.body.dataset.ready") != "1":
        if time.monotonic() > deadline:
            raise TimeoutError(f"page not ready after {timeout} s")
        page.wait_for_timeout(25)


def screen_xy(page, node_or_point) -> tuple[float, float]:  # noqa: ANN001
    """Viewport coordinates of a node (by id) or of a canvas point {x, y}."""
    return tuple(page.evaluate("""arg => {
        const net = kgExplorer.network, box = document.getElementById("network").getBoundingClientRect();
        const p = net.canvasToDOM(typeof arg === "string" ? net.getPosition(arg) : arg);
        return [p.x + box.left, p.y + box.top];
    }""", node_or_point))


def edge_midpoint(page, edge_id: str) -> dict:  # noqa: ANN001
    return page.evaluate("""id => {
        const e = kgExplorer.network.body.edges[id];  // on the drawn curve, not the chord
        if (e.edgeType && typeof e.edgeType.getPoint === "function") return e.edgeType.getPoint(0.5);
        return { x: (e.from.x + e.to.x) / 2, y: (e.from.y + e.to.y) / 2 };
    }""", edge_id)


def hover(page, x: float, y: float) -> str:  # noqa: ANN001
    """Move the mouse to (x, y) and return the tooltip's text ("" when none shows)."""
    page.mouse.move(x - 6, y - 6)
    page.mouse.move(x, y, steps=3)
    page.wait_for_timeout(450)
    return page.evaluate("""() => {
        const t = document.querySelector("div.vis-tooltip");
        return t && t.style.visibility !== "hidden" ? t.innerText : "";
    }""")


def screenshot(html: Path, out: Path, focus: str | None = None) -> None:
    """A 1400x900 PNG of the page, optionally after searching for `focus`."""
    with chromium() as browser:
        page, log = open_page(browser, html)
        if focus:
            page.fill("#search", focus)
            page.press("#search", "Enter")
        page.wait_for_timeout(400)
        page.screenshot(path=str(out))
        if log.errors:
            raise RuntimeError(f"page errors: {log.errors}")


if __name__ == "__main__":  # regenerate docs/graph.png
    import tempfile

    sys.path.insert(0, str(REPO))
    from kg.api import build

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "graph.png"
    with tempfile.TemporaryDirectory() as tmp:
        build(SEEDS, Path(tmp))
        screenshot(Path(tmp) / "graph.html", target, focus=sys.argv[2] if len(sys.argv) > 2 else None)
    print(f"wrote {target}")
