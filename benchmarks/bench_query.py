"""Latency of the saved SPARQL queries on big graphs, in memory (rdflib) and in Oxigraph.

    .venv/bin/python benchmarks/bench_query.py [--triples 100000 1000000] [--stores memory oxigraph]
        [--repeat 20] [--budget 20] [--timeout 120] [--max-minutes 15] [--json FILE]

For each size, writes (once, cached in the temp folder) a TriG graph shaped like `kg build`'s
output (kg/graph.py): one named graph per article with its schema:NewsArticle facts, entity
mentions (rdf:type, rdfs:label, skos:altLabel, kg:ticker, kg:mentionedIn), claims as
rdf:Statement (subject, predicate, object, polarity, modality, confidence, evidence, offsets,
rule, prov:wasDerivedFrom, plus the direct triple when positive), observations (metric, value,
unit, comparator, date), and kg:mentionCount / kg:mergeNote in the default graph. Entities are
the lexicon's (real names, classes, aliases, tickers; a few are popular, most rare) plus a long
tail of invented ones that grows sub-linearly with the corpus.

Then, in a fresh process per (size, store): load time (memory: kg.query.load_graph via
kg.store.open_store; oxigraph: kg.store.persist_oxigraph into a new store + open_oxigraph), RSS
growth of the process, and the latency of each saved query (kg.saved) through GraphStore.query
with its example's parameters, and with no parameters when they are all optional: parse + run +
every row materialised, `--repeat` times or until `--budget` seconds are spent on it. A single
run longer than `--timeout` seconds is stopped and reported as such; once a (size, store) pair has
spent `--max-minutes`, its remaining queries are not run; a pair whose loading alone, extrapolated
from the smaller size, would take longer than that is skipped. Each case is noted in the table.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import shlex
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from itertools import accumulate
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_build import MB, log, run_measured  # noqa: E402
from corpus import LEXICON  # noqa: E402

ID, KG = "https://w3id.org/crypto-kg/id/", "https://w3id.org/crypto-kg/ontology#"
PREFIXES = """@prefix kg: <https://w3id.org/crypto-kg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
RELATIONS = {"endorses": 10, "adopts": 14, "partnersWith": 6, "investsIn": 8, "acquires": 6, "launches": 6,
             "upgradeOf": 3, "productOf": 8, "tokenOf": 6, "includes": 4, "shippedOn": 5, "scheduledFor": 4}
METRICS = (("Price", "USD"), ("PriceChange", "%"), ("TVL", "USD"), ("TPS", "tx/s"), ("TradingVolume", "USD"),
           ("DailyActiveAddresses", "addresses"), ("MarketCap", "USD"), ("FundingAmount", "USD"), ("Inflow", "USD"))
TAIL_WORDS = ("Nova", "Arc", "Lumen", "Vector", "Quartz", "Helix", "Orbit", "Summit", "Cobalt", "Harbor", "Zenith", "Atlas")
TAIL_KINDS = (("Labs", "Company"), ("Protocol", "Project"), ("Capital", "Company"), ("Bank", "Bank"), ("Pay", "Product"))
FAVOURITES = ("Ethereum", "Bitcoin", "ZKsync", "Prividium", "Coinbase", "Vitalik Buterin", "BlackRock", "USDC", "Solana")


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def lexicon_entities(path: Path = LEXICON) -> list[dict]:
    """Named entities of the lexicon (not Concepts): label, classes, aliases, ticker."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = (line.split("\t") + [""] * 5)[:5]
        if line.startswith("#") or not line.strip() or cols[0] == "label" or "Concept" in cols[1]:
            continue
        out.append({"label": cols[0], "classes": cols[1].split("|"), "ticker": cols[3],
                    "aliases": [a for a in cols[2].split("|") if a]})
    return out


class GraphWriter:
    """Writes a synthetic kg-shaped TriG graph, article by article, until it holds `target` quads."""

    def __init__(self, target: int, seed: int = 0) -> None:
        self.rng, self.target, self.quads, self.mentions = random.Random(seed), target, 0, Counter()
        ents = lexicon_entities()
        self.rng.shuffle(ents)
        ents.sort(key=lambda e: e["label"] not in FAVOURITES)
        articles = max(target // 200, 1)
        for k in range(int(6 * articles ** 0.8)):
            word, (kind, cls) = TAIL_WORDS[k % len(TAIL_WORDS)], TAIL_KINDS[(k // len(TAIL_WORDS)) % len(TAIL_KINDS)]
            ents.append({"label": f"{word} {kind} {k}", "classes": [cls], "ticker": "", "aliases": []})
        for e in ents:
            e["iri"] = f"<{ID}entity/{_slug(e['label'])}>"
        self.entities = ents
        self.cum = list(accumulate(1 / (r + 3) ** 0.9 for r in range(len(ents))))  # Zipf-like popularity

    def write(self, path: Path) -> dict:
        """Write the graph to `path`; returns its size figures."""
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(PREFIXES)
            n = 0
            while self.quads < self.target:
                fh.write(self.article(n))
                n += 1
            fh.write(self.default_graph())
        return {"articles": n, "quads": self.quads, "entities": len(self.mentions), "bytes": path.stat().st_size}

    def _t(self, lines: list[str], s: str, p: str, o: str) -> None:
        lines.append(f"    {s} {p} {o} .\n")
        self.quads += 1

    def article(self, n: int) -> str:
        rng, a = self.rng, f"<{ID}article/synthetic-{n:06d}>"
        lines = [f"\n{a} {{\n"]
        published = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}"
        for p, o in (("a", "schema:NewsArticle"), ("kg:fileName", _lit(f"{n:06d}_article.txt")),
                     ("schema:headline", _lit(f"Synthetic headline {n}")), ("schema:publisher", _lit(f"Outlet {n % 41}")),
                     ("schema:author", _lit(f"Author {n % 97}")), ("schema:datePublished", f'"{published}"^^xsd:date')):
            self._t(lines, a, p, o)
        cast = {id(e): e for e in rng.choices(self.entities, cum_weights=self.cum, k=rng.randint(6, 14))}
        cast = list(cast.values())
        if self.entities[n % len(FAVOURITES)] not in cast:  # the example queries' entities are always there
            cast.append(self.entities[n % len(FAVOURITES)])
        for e in cast:
            self._mention(lines, a, e)
        for k in range(rng.randint(5, 13)):
            self._claim(lines, a, n, k, rng.choice(cast), rng.choice(cast))
        for k in range(rng.randint(0, 4)):
            self._observation(lines, a, n, k, rng.choice(cast))
        lines.append("}\n")
        return "".join(lines)

    def _mention(self, lines: list[str], a: str, e: dict) -> None:
        self.mentions[e["iri"]] += 1
        for cls in e["classes"]:
            self._t(lines, e["iri"], "a", f"kg:{cls}")
        self._t(lines, e["iri"], "rdfs:label", _lit(e["label"]))
        if e["aliases"] and self.rng.random() < 0.5:
            self._t(lines, e["iri"], "skos:altLabel", _lit(self.rng.choice(e["aliases"])))
        if e["ticker"]:
            self._t(lines, e["iri"], "kg:ticker", _lit(e["ticker"]))
        self._t(lines, e["iri"], "kg:mentionedIn", a)

    def _statement(self, lines: list[str], a: str, st: str, s: str, p: str, o: str, evidence: str, rule: str) -> None:
        rng = self.rng
        negated, hedged = rng.random() < 0.12, rng.random() < 0.3
        if not negated and p != "kg:hasObservation":
            self._t(lines, s, p, o)
        start = rng.randint(0, 3000)
        for pp, oo in (("a", "rdf:Statement"), ("rdf:subject", s), ("rdf:predicate", p), ("rdf:object", o),
                       ("kg:polarity", "kg:Negated" if negated else "kg:Positive"),
                       ("kg:modality", "kg:Hedged" if hedged else "kg:Asserted"),
                       ("kg:confidence", f"{rng.choice((0.51, 0.64, 0.8, 0.9))}"), ("kg:evidence", _lit(evidence)),
                       ("kg:charStart", str(start)), ("kg:charEnd", str(start + len(evidence))),
                       ("kg:rule", _lit(rule)), ("prov:wasDerivedFrom", a)):
            self._t(lines, st, pp, oo)

    def _claim(self, lines: list[str], a: str, n: int, k: int, s: dict, o: dict) -> None:
        pred = self.rng.choices(list(RELATIONS), weights=list(RELATIONS.values()))[0]
        if pred in ("shippedOn", "scheduledFor"):
            obj, text = f'"2025-{1 + (n + k) % 12:02d}"^^xsd:gYearMonth', f"{s['label']} {pred} in month {(n + k) % 12 + 1}"
        else:
            obj, text = o["iri"], f"{s['label']} {pred} {o['label']}, according to article {n}"
        st = f"<{ID}claim/{hashlib.sha1(f'{n}/c{k}'.encode()).hexdigest()[:16]}>"
        self._statement(lines, a, st, s["iri"], f"kg:{pred}", obj, text + ".", f"verb:{pred.lower()}")

    def _observation(self, lines: list[str], a: str, n: int, k: int, e: dict) -> None:
        rng = self.rng
        metric, unit = rng.choice(METRICS)
        ob = f"<{ID}observation/{hashlib.sha1(f'{n}/o{k}'.encode()).hexdigest()[:16]}>"
        for p, o in (("a", "kg:Observation"), ("kg:observedEntity", e["iri"]), ("kg:metric", f"kg:{metric}"),
                     ("kg:value", f"{rng.randint(1, 99999) * 1000.0}"), ("kg:unit", _lit(unit)),
                     ("kg:comparator", _lit(rng.choice(("=", "~", ">=")))), ("kg:date", f'"2025-{1 + n % 12:02d}-01"^^xsd:date')):
            self._t(lines, ob, p, o)
        self._t(lines, e["iri"], "kg:hasObservation", ob)
        st = f"<{ID}claim/{hashlib.sha1(f'{n}/oc{k}'.encode()).hexdigest()[:16]}>"
        self._statement(lines, a, st, e["iri"], "kg:hasObservation", ob, f"{e['label']} {metric} was reported.", f"metric:{metric}")

    def default_graph(self) -> str:
        lines = ["\n"]
        for iri, count in sorted(self.mentions.items()):
            self._t(lines, iri, "kg:mentionCount", str(count))
            if count % 17 == 0:
                self._t(lines, iri, "kg:mergeNote", _lit("synthetic: lexicon alias"))
        return "".join(lines)


def graph_file(triples: int, seed: int) -> tuple[Path, dict]:
    """The cached synthetic graph of about `triples` quads (written on first use)."""
    path = Path(tempfile.gettempdir()) / f"kg-bench-graph-{triples}-s{seed}.trig"
    meta = path.with_suffix(".json")
    if not (path.exists() and meta.exists()):
        t = time.perf_counter()
        info = GraphWriter(triples, seed).write(path.with_suffix(".part"))
        path.with_suffix(".part").rename(path)
        info["write_seconds"] = round(time.perf_counter() - t, 1)
        meta.write_text(json.dumps(info))
        log(f"wrote {path} ({info['quads']:,} quads, {info['articles']:,} articles) in {info['write_seconds']} s")
    return path, json.loads(meta.read_text())


# ----------------------------------------------------------------------------------------------
# worker: one store, one graph, every saved query
# ----------------------------------------------------------------------------------------------

class _Timeout(BaseException):
    """Raised by the alarm: BaseException so that GraphStore.query does not wrap it."""


def _alarm(signum, frame):  # noqa: ANN001, ANN202
    raise _Timeout()


def query_cases(names: list[str] | None = None) -> list[tuple[str, object, dict]]:
    """(label, saved query, bindings): each saved query (or those in `names`) with its example's
    parameters, and without any parameter when none is required."""
    from kg.saved import bind_params, list_saved

    cases = []
    for q in list_saved():
        if names and q.name not in names:
            continue
        tokens = shlex.split(q.example)
        params = dict(tokens[i + 1].split("=", 1) for i, tok in enumerate(tokens) if tok == "--param")
        label = q.name + "".join(f" {k}={v}" for k, v in params.items())
        cases.append((label, q, bind_params(params, q.params, q.name)))
        if params and not any(p.required for p in q.params):
            cases.append((f"{q.name} (all)", q, {}))
    return cases


def _percentiles(times: list[float]) -> dict:
    times = sorted(times)
    pick = lambda f: times[max(math.ceil(f * len(times)) - 1, 0)]  # noqa: E731 - nearest-rank percentile
    return {"runs": len(times), "p50_ms": round(1000 * pick(0.5), 1), "p95_ms": round(1000 * pick(0.95), 1),
            "max_ms": round(1000 * times[-1], 1)}


def _time_query(gs, q, binds: dict, repeat: int, budget: float, timeout: float) -> dict:  # noqa: ANN001
    """Parse time (kg.store.check_query, what GraphStore.query does first with a text) and engine time
    (GraphStore.query with the pre-parsed query, all rows materialised)."""
    from kg.store import check_query

    parse = []
    for _ in range(min(repeat, 5)):
        t = time.perf_counter()
        checked = check_query(q.text)
        parse.append(time.perf_counter() - t)
    times: list[float] = []
    rows = 0
    while len(times) < repeat and sum(times) < budget:
        signal.setitimer(signal.ITIMER_REAL, timeout)
        t = time.perf_counter()
        try:
            result = gs.query(checked, binds)
            rows = len(result.bindings) if result.type == "SELECT" else len(result)
        except _Timeout:
            return {"runs": len(times), "timeout": timeout, "rows": rows}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        times.append(time.perf_counter() - t)
    return {**_percentiles(times), "rows": rows, "parse_ms": _percentiles(parse)["p50_ms"]}


def worker(graph: Path, store: str, args: argparse.Namespace) -> None:
    """Load `graph` into `store`, then time every query case until --max-minutes have passed; each
    result is printed as a JSON line as soon as it is known."""
    import psutil

    from kg.store import open_oxigraph, open_store, persist_oxigraph

    me = psutil.Process()
    rss0 = me.memory_info().rss
    t = time.perf_counter()
    deadline = t + args.max_minutes * 60
    if store == "memory":
        gs = open_store(graph, "memory")
    else:
        location = Path(tempfile.mkdtemp(prefix="kg-bench-ox-")) / "oxigraph"
        gs = open_oxigraph(persist_oxigraph(graph, location, force=True), graph)
    load = time.perf_counter() - t
    rss1 = me.memory_info().rss
    signal.signal(signal.SIGALRM, _alarm)
    _emit({"load_seconds": round(load, 2), "rss_delta_mb": round((rss1 - rss0) / MB)})
    for label, q, binds in query_cases(args.queries):
        left = deadline - time.perf_counter()
        if left <= 1:
            _emit({"query": label, "stats": {"not_run": f"--max-minutes {args.max_minutes:g} spent"}})
            continue
        _emit({"start": label})
        _emit({"query": label, "stats": _time_query(gs, q, binds, args.repeat, min(args.budget, left),
                                                     min(args.timeout, left))})
    end = {"rss_after_queries_mb": round(me.memory_info().rss / MB)}
    if store == "oxigraph":
        end["disk_mb"] = round(sum(f.stat().st_size for f in location.rglob("*") if f.is_file()) / MB)
        gs.close()
        shutil.rmtree(location.parent, ignore_errors=True)
    _emit(end)


def _emit(record: dict) -> None:
    print(json.dumps(record), flush=True)


def collect(out: str) -> dict:
    """The worker's JSON lines as one result; a query still running when the worker was killed is
    reported as stopped at the time limit (a Rust call cannot be interrupted by the alarm)."""
    result: dict = {"queries": {}}
    running = None
    for line in out.splitlines():
        rec = json.loads(line)
        if "start" in rec:
            running = rec["start"]
        elif "query" in rec:
            result["queries"][rec["query"]], running = rec["stats"], None
        else:
            result.update(rec)
    if running:
        result["queries"][running] = {"killed": True}
    return result


# ----------------------------------------------------------------------------------------------
# driver
# ----------------------------------------------------------------------------------------------

def _cell(q: dict | None) -> str:
    if not q:
        return "-"
    if "timeout" in q:
        return f"> {q['timeout']:.0f} s"
    if "not_run" in q:
        return "not run"
    if "killed" in q:
        return "killed at the time limit"
    return f"{q['p50_ms']:,} / {q['p95_ms']:,}"


def _parse_ms(runs: list[dict], label: str) -> str:
    values = [r["result"]["queries"][label]["parse_ms"] for r in runs
              if "parse_ms" in r["result"]["queries"].get(label, {})]
    return f"{min(values):,}" if values else "-"


def tables(runs: list[dict]) -> str:
    """Load/memory per (size, store), then p50 / p95 ms per query and configuration."""
    lines = ["| triples (quads) | articles | store | load s | RSS growth MB | peak RSS MB | disk MB | note |",
             "|---|---|---|---|---|---|---|---|"]
    for r in runs:
        res = r.get("result", {})
        qs = res.get("queries", {}).values()
        stopped, skipped = sum("timeout" in q or "killed" in q for q in qs), sum("not_run" in q for q in qs)
        r["note"] = "; ".join(filter(None, [r.get("note", ""), f"{stopped} query run(s) stopped at --timeout" * bool(stopped),
                                            f"{skipped} queries not run (--max-minutes)" * bool(skipped)]))
        lines.append(f"| {r['quads']:,} | {r['articles']:,} | {r['store']} | {res.get('load_seconds', '-')} | "
                     f"{res.get('rss_delta_mb', '-')} | {res.get('peak_rss_mb', '-')} | {res.get('disk_mb', '-')} | "
                     f"{r.get('note', '')} |")
    done = [r for r in runs if "queries" in r.get("result", {})]
    labels = list(dict.fromkeys(label for r in done for label in r["result"]["queries"]))
    head = ("| query: engine p50 / p95 ms | " + " | ".join(f"{r['quads'] // 1000:,}k {r['store']}" for r in done)
            + " | + parse ms | rows |")
    lines += ["", head, "|" + "---|" * (len(done) + 3)]
    for label in labels:
        cells = [_cell(r["result"]["queries"].get(label)) for r in done]
        rows = {r["quads"]: r["result"]["queries"].get(label, {}).get("rows") for r in done}
        differ = any(len({r["result"]["queries"].get(label, {}).get("rows") for r in done if r["quads"] == n
                          and "timeout" not in r["result"]["queries"].get(label, {})}) > 1 for n in rows)
        counts = " / ".join(f"{v:,}" if isinstance(v, int) else "-" for v in rows.values())
        lines.append(f"| {label} | " + " | ".join(cells)
                     + f" | {_parse_ms(done, label)} | {counts}{' (stores differ!)' if differ else ''} |")
    return "\n".join(lines)


def _estimate(runs: list[dict], store: str, quads: int) -> float | None:
    """Seconds loading would take at this size, extrapolated linearly from the largest smaller run."""
    prior = [r for r in runs if r["store"] == store and "load_seconds" in r.get("result", {}) and r["quads"] < quads]
    if not prior:
        return None
    last = max(prior, key=lambda r: r["quads"])
    return last["result"]["load_seconds"] * quads / last["quads"]


def run_one(graph: Path, info: dict, store: str, args: argparse.Namespace, runs: list[dict]) -> dict:
    row = {"quads": info["quads"], "articles": info["articles"], "store": store}
    guess = _estimate(runs, store, info["quads"])
    if guess is not None and guess > args.max_minutes * 60:
        row["note"] = f"skipped: loading alone estimated at {guess / 60:.0f} min > --max-minutes {args.max_minutes:g}"
        log(f"{info['quads']:,} {store}: {row['note']}")
        return row
    log(f"{info['quads']:,} quads, {store}: loading and querying")
    argv = [sys.executable, str(Path(__file__).resolve()), "--worker", str(graph), "--stores", store,
            "--repeat", str(args.repeat), "--budget", str(args.budget), "--timeout", str(args.timeout),
            "--max-minutes", str(args.max_minutes)]
    argv += ["--queries", *args.queries] if args.queries else []
    res = run_measured(argv, timeout=args.max_minutes * 60 * 1.5 + 60, parse=collect)
    row["result"] = res
    if "error" in res:
        row["note"] = res["error"]
    return row


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--triples", type=int, nargs="+", default=[100_000, 1_000_000], help="graph sizes (quads)")
    p.add_argument("--stores", nargs="+", default=["memory", "oxigraph"], choices=("memory", "oxigraph"))
    p.add_argument("--repeat", type=int, default=20, help="runs per query (default 20)")
    p.add_argument("--budget", type=float, default=20.0, help="stop repeating a query after this many seconds")
    p.add_argument("--timeout", type=float, default=120.0, help="stop a single query run after this many seconds")
    p.add_argument("--max-minutes", type=float, default=15.0,
                   help="time limit per (size, store): stop querying after it; skip if loading alone would exceed it")
    p.add_argument("--queries", nargs="+", default=None, help="only these saved queries (default: all)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", type=Path, default=None, help="also write every figure to this file")
    p.add_argument("--readme", action="store_true", help="also put the tables in benchmarks/README.md")
    p.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        worker(args.worker, args.stores[0], args)
        return 0
    runs: list[dict] = []
    for triples in sorted(args.triples):
        graph, info = graph_file(triples, args.seed)
        for store in args.stores:
            runs.append(run_one(graph, info, store, args, runs))
    from bench_build import _machine, update_readme

    text = (f"Machine: {_machine()}\nGraphs: synthetic, kg-shaped (seed {args.seed}). Engine latency: GraphStore.query "
            f"with the query pre-parsed, all rows read, {args.repeat} runs or {args.budget:g} s per query (single run "
            f"stopped at {args.timeout:g} s); a query given as text (kg query) costs its parse time "
            f"(kg.store.check_query, rdflib) on top.\n\n{tables(runs)}")
    print(text)
    if args.readme:
        update_readme("bench_query", text)
    if args.json:
        args.json.write_text(json.dumps({"machine": _machine(), "runs": runs}, indent=2))
    return 0 if all("error" not in r.get("result", {}) for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
