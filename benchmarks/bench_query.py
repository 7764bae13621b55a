"""Latency of the saved SPARQL queries on big graphs, in memory (rdflib) and in Oxigraph.

    .venv/bin/python benchmarks/bench_query.py [--triples 100000 1000000] [--stores memory oxigraph]
        [--repeat 20] [--budget 20] [--timeout 120] [--max-minutes 15] [--before DIR] [--json FILE]

For each size, writes (once, cached in the temp folder) a TriG graph shaped like `kg build`'s
output (benchmarks/synthetic_graph.py).

Then, in a fresh process per (size, store): load time (memory: kg.query.load_graph via
kg.store.open_store; oxigraph: kg.store.persist_oxigraph into a new store + open_oxigraph), RSS
growth of the process, the time `kg query --store oxigraph` takes to open the loaded store, and the
latency of each saved query with its example's parameters, and with no parameters when they are all
optional: what `kg query` does once the store is open (kg.saved.run_on: reading the saved queries,
binding the parameters, rdflib's parse of every query text for the memory store, the precomputed
sub-queries, the query, every row read and sorted), `--repeat` times or until `--budget` seconds are
spent on it; then, timed apart, printing the result as a table (its first TABLE_ROWS rows) and as
TSV (every row). For Oxigraph, "engine" is the p50 of Oxigraph alone on the same query text (its
solutions iterated, no term converted, nothing sorted): the floor for any Python client. With `--before DIR` the .rq files of DIR (tests/fixtures/queries_before) run as
`kg query` ran them before: one query each, the engine sorting. A single run longer than
`--timeout` seconds is stopped and reported as such; once a (size, store) pair has spent
`--max-minutes`, its remaining queries are not run; a pair whose loading alone, extrapolated from
the smaller size, would take longer than that is skipped. Each case is noted in the table.
"""
from __future__ import annotations

import argparse
import json
import math
import shlex
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_build import MB, log, run_measured  # noqa: E402
from synthetic_graph import graph_file  # noqa: E402

# ----------------------------------------------------------------------------------------------
# worker: one store, one graph, every saved query
# ----------------------------------------------------------------------------------------------

class _Timeout(BaseException):
    """Raised by the alarm: BaseException so that GraphStore.query does not wrap it."""


def _alarm(signum, frame):  # noqa: ANN001, ANN202
    raise _Timeout()


def query_cases(names: list[str] | None = None, folder: Path | None = None) -> list[tuple[str, object, dict]]:
    """(label, saved query, parameters): each saved query (or those in `names`) with its example's
    parameters, and without any parameter when none is required; `folder`: its .rq files instead."""
    from kg.saved import list_saved, parse_saved

    cases = []
    for q in list_saved():
        if names and q.name not in names:
            continue
        if folder is not None:
            q = parse_saved(q.name, (folder / f"{q.name}.rq").read_text(encoding="utf-8"), str(folder))
        tokens = shlex.split(q.example)
        params = dict(tokens[i + 1].split("=", 1) for i, tok in enumerate(tokens) if tok == "--param")
        label = q.name + "".join(f" {k}={v}" for k, v in params.items())
        cases.append((label, q, params))
        if params and not any(p.required for p in q.params):
            cases.append((f"{q.name} (all)", q, {}))
    return cases


def _percentiles(times: list[float]) -> dict:
    times = sorted(times)
    pick = lambda f: times[max(math.ceil(f * len(times)) - 1, 0)]  # noqa: E731 - nearest-rank percentile
    return {"runs": len(times), "p50_ms": round(1000 * pick(0.5), 1), "p95_ms": round(1000 * pick(0.95), 1),
            "max_ms": round(1000 * times[-1], 1)}


def _run_once(gs, q, params: dict, before: bool):  # noqa: ANN001, ANN202
    """What `kg query NAME --param ...` does once the store is open, every row read."""
    from kg.saved import _drop_columns, bind_params, list_saved, parse_params, run_on
    from kg.store import check_query

    check_query.cache_clear()  # each `kg query` is a new process: nothing parsed yet
    list_saved()  # resolve_query reads the saved queries
    values = parse_params(params)
    binds = bind_params(values, q.params, q.name)
    if before:  # as `kg query` ran them before: one query, the engine sorting
        result = gs.query(q.text, binds)
        result.bindings = list(result.bindings)
    else:
        result = run_on(gs, q.text, q, values, binds)
    return _drop_columns(result, [p.name for p in q.params])


def _time_format(result) -> dict:  # noqa: ANN001
    """Printing the result: a table of its first TABLE_ROWS rows, and TSV of every row (ms)."""
    from kg.query import TABLE_ROWS, format_result

    out = {}
    for name, fmt, limit in (("table_ms", "table", TABLE_ROWS), ("tsv_ms", "tsv", None)):
        t = time.perf_counter()
        format_result(result, fmt, limit)
        out[name] = round(1000 * (time.perf_counter() - t), 1)
    return out


def _time_query(gs, q, params: dict, args: argparse.Namespace, budget: float, timeout: float) -> dict:  # noqa: ANN001
    """Latency of `_run_once`, `--repeat` runs or `budget` seconds; then of printing its result."""
    times: list[float] = []
    rows, result = 0, None
    while len(times) < args.repeat and sum(times) < budget:
        signal.setitimer(signal.ITIMER_REAL, timeout)
        t = time.perf_counter()
        try:
            result = _run_once(gs, q, params, bool(args.before))
            rows = len(result.bindings) if result.type == "SELECT" else len(result)
        except _Timeout:
            return {"runs": len(times), "timeout": timeout, "rows": rows}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        times.append(time.perf_counter() - t)
    out = {**_percentiles(times), "rows": rows, **(_time_format(result) if result is not None else {})}
    if gs.kind == "oxigraph" and not args.before and times:
        out["engine_p50_ms"] = _engine_ms(gs, q, params, min(budget, 5 * max(times)))
    return out


def _engine_ms(gs, q, params: dict, budget: float) -> float:  # noqa: ANN001
    """p50 of Oxigraph alone answering what `kg query` sends it (parameters bound, sub-queries
    precomputed, no ORDER BY), every solution iterated but no term converted and no row sorted: the
    floor under `kg query`'s time for any Python client of this store."""
    import pyoxigraph as ox

    from kg.query import split_order, to_ox
    from kg.saved import bind_params, keep_blocks, parse_params, precompute
    from kg.store import _PREFIX_STR

    values = parse_params(params)
    binds = bind_params(values, q.params, q.name)
    plan, _ = split_order(keep_blocks(q.text, {k for k, v in values.items() if v != ""}))
    text = precompute(gs, plan, binds)
    subs = {ox.Variable(str(k)): to_ox(v) for k, v in binds.items()}
    times: list[float] = []
    while len(times) < 5 and sum(times) < budget:
        t = time.perf_counter()
        for _ in gs._ox.query(text, prefixes=_PREFIX_STR, substitutions=subs):  # noqa: SLF001
            pass
        times.append(time.perf_counter() - t)
    return _percentiles(times)["p50_ms"]


def _open_ms(graph: Path, location: Path) -> float:
    """p50 of opening the loaded store as `kg query --store oxigraph` does (staleness check + open)."""
    from kg.store import open_store

    times = []
    for _ in range(5):
        t = time.perf_counter()
        open_store(graph, "oxigraph", location).close()
        times.append(time.perf_counter() - t)
    return _percentiles(times)["p50_ms"]


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
    _emit({"load_seconds": round(load, 2), "rss_delta_mb": round((rss1 - rss0) / MB),
           "open_ms": _open_ms(graph, location) if store == "oxigraph" else "-"})
    for label, q, params in query_cases(args.queries, args.before):
        left = deadline - time.perf_counter()
        if left <= 1:
            _emit({"query": label, "stats": {"not_run": f"--max-minutes {args.max_minutes:g} spent"}})
            continue
        _emit({"start": label})
        _emit({"query": label, "stats": _time_query(gs, q, params, args, min(args.budget, left),
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
    engine = f" (engine {q['engine_p50_ms']:,})" if "engine_p50_ms" in q else ""
    return f"{q['p50_ms']:,} / {q['p95_ms']:,}{engine}"


def _format_ms(runs: list[dict], label: str) -> str:
    cells = [q for r in runs if "table_ms" in (q := r["result"]["queries"].get(label, {}))]
    return " · ".join(f"{q['table_ms']:,} / {q['tsv_ms']:,}" for q in cells) or "-"


def tables(runs: list[dict], before: bool = False) -> str:
    """Load/memory per (size, store), then p50 / p95 ms per query and configuration."""
    lines = ["| triples (quads) | articles | store | load s | open ms | RSS growth MB | peak RSS MB | disk MB | note |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        res = r.get("result", {})
        qs = res.get("queries", {}).values()
        stopped, skipped = sum("timeout" in q or "killed" in q for q in qs), sum("not_run" in q for q in qs)
        r["note"] = "; ".join(filter(None, [r.get("note", ""), f"{stopped} query run(s) stopped at --timeout" * bool(stopped),
                                            f"{skipped} queries not run (--max-minutes)" * bool(skipped)]))
        lines.append(f"| {r['quads']:,} | {r['articles']:,} | {r['store']} | {res.get('load_seconds', '-')} | "
                     f"{res.get('open_ms', '-')} | {res.get('rss_delta_mb', '-')} | {res.get('peak_rss_mb', '-')} | "
                     f"{res.get('disk_mb', '-')} | {r.get('note', '')} |")
    done = [r for r in runs if "queries" in r.get("result", {})]
    labels = list(dict.fromkeys(label for r in done for label in r["result"]["queries"]))
    which = " (before: old .rq, engine sorts)" if before else ""
    head = (f"| query{which}: p50 / p95 ms | " + " | ".join(f"{r['quads'] // 1000:,}k {r['store']}" for r in done)
            + " | print ms: table / tsv | rows |")
    lines += ["", head, "|" + "---|" * (len(done) + 3)]
    for label in labels:
        cells = [_cell(r["result"]["queries"].get(label)) for r in done]
        rows = {r["quads"]: r["result"]["queries"].get(label, {}).get("rows") for r in done}
        differ = any(len({r["result"]["queries"].get(label, {}).get("rows") for r in done if r["quads"] == n
                          and "timeout" not in r["result"]["queries"].get(label, {})}) > 1 for n in rows)
        counts = " / ".join(f"{v:,}" if isinstance(v, int) else "-" for v in rows.values())
        lines.append(f"| {label} | " + " | ".join(cells)
                     + f" | {_format_ms(done, label)} | {counts}{' (stores differ!)' if differ else ''} |")
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
    argv += ["--before", str(args.before)] if args.before else []
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
    p.add_argument("--before", type=Path, default=None,
                   help="run the .rq files of this folder as kg query ran them before (tests/fixtures/queries_before)")
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

    text = (f"Machine: {_machine()}\nGraphs: synthetic, kg-shaped (seed {args.seed}). Latency: what `kg query` does "
            f"once the store is open (parse for the memory store, precomputed sub-queries, query, every row read and "
            f"sorted), {args.repeat} runs or {args.budget:g} s per query (single run stopped at {args.timeout:g} s); "
            f"opening the Oxigraph store (open ms) and printing (table of its first rows / TSV of all) come on "
            f"top.\n\n{tables(runs, bool(args.before))}")
    print(text)
    if args.readme:
        update_readme("bench_query", text)
    if args.json:
        args.json.write_text(json.dumps({"machine": _machine(), "runs": runs}, indent=2))
    return 0 if all("error" not in r.get("result", {}) for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
