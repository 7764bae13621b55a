"""The short figures table of the main README, regenerated from the benchmark scripts' JSON results.

    .venv/bin/python benchmarks/figures.py [--results benchmarks/results] [--readme README.md]

Reads what the benchmark scripts saved with `--json benchmarks/results/NAME.json` (build.json and
build10k.json from bench_build.py, query.json from bench_query.py, dask.json from bench_dask.py;
a missing file leaves its rows out) and replaces the table between `<!-- figures -->` and
`<!-- /figures -->` in the README. Prints the table to stdout.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def _load(folder: Path, name: str) -> dict | list | None:
    path = folder / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _run(build: dict, jobs: int) -> dict | None:
    return next((r for r in build["runs"] if r["jobs"] == jobs and "error" not in r["build"]), None)


def build_rows(build: dict | None) -> list[tuple[str, str, str]]:
    """words/s, ratio to the floor, speed-up and memory of the 1,000-article build."""
    if not build:
        return []
    one, two = _run(build, 1), _run(build, 2)
    rows = [("corpus", f"{build['docs']:,} generated articles, "
             f"{(one or two)['build']['words']:,} words (benchmarks/corpus.py)", "")]
    for r in (one, two):
        if r:
            b, f = r["build"], r["floor"]
            rows.append((f"`kg build --jobs {r['jobs']}`",
                         f"{b['words_per_s']:,} words/s = **{r['ratio']:.2f} × the floor** "
                         f"(`nlp.pipe`, n_process={r['jobs']}: {f['words_per_s']:,} words/s); {b['seconds']:.0f} s",
                         "≥ 0.8 ×" if r["jobs"] == 1 else ""))
    if one and two:
        rows.append(("`--jobs 2` over `--jobs 1`",
                     f"**{two['build']['words_per_s'] / one['build']['words_per_s']:.2f} ×**", "≥ 1.7 ×"))
    for r in (one, two):
        if r:
            rows.append((f"peak memory, {build['docs']:,} articles, `--jobs {r['jobs']}`",
                         f"{r['build']['peak_rss_mb']:,} MB (RSS of the process tree)", ""))
    html = (one or two)["build"].get("stages", {}).get("write html")
    if html is not None:
        rows.append((f"`graph.html` for the {build['docs']:,}-article graph", f"{html:.1f} s", "< 5 s"))
    return rows


def big_rows(big: dict | None) -> list[tuple[str, str, str]]:
    """Memory at 10,000 articles."""
    if not big:
        return []
    return [(f"peak memory, {big['docs']:,} articles, `--jobs {r['jobs']}`",
             f"{r['build']['peak_rss_mb']:,} MB ({r['build']['words_per_s']:,} words/s, {r['build']['seconds']:.0f} s)",
             "< 2 GB") for r in big["runs"] if "error" not in r["build"]]


def query_rows(query: dict | None) -> list[tuple[str, str, str]]:
    """Per (size, store): the p50 range of the saved queries with a parameter, and of those without."""
    if not query:
        return []
    rows = []
    for run in query["runs"]:
        stats = {k: q for k, q in run.get("result", {}).get("queries", {}).items() if "p50_ms" in q}
        if not stats:
            continue
        cells = []
        for kind, picked in (("with a parameter", [q for k, q in stats.items() if "=" in k]),
                             ("without (all rows)", [q for k, q in stats.items() if "=" not in k])):
            if picked:
                p50 = sorted(q["p50_ms"] for q in picked)
                under = sum(p < 100 for p in p50)
                engine = sorted(q["engine_p50_ms"] for q in picked if "engine_p50_ms" in q)
                alone = (f"; Oxigraph alone {_ms(engine[0])}–{_ms(engine[-1])}, {sum(p < 100 for p in engine)} "
                         f"under 100 ms" if len(engine) == len(picked) else "")
                cells.append(f"{kind}: {_ms(p50[0])}–{_ms(p50[-1])} ({under} of {len(p50)} under 100 ms{alone})")
        rows.append((f"saved queries, {run['quads'] / 1e6:.1f}M triples, {run['store']}, p50",
                     "; ".join(cells), "< 100 ms at 1M (Oxigraph)" if run["store"] == "oxigraph" else "(reported)"))
    return rows


def _ms(value: float) -> str:
    return f"{value / 1000:,.1f} s" if value >= 1000 else f"{value:,.0f} ms"


def dask_rows(dask: list | None) -> list[tuple[str, str, str]]:
    """The 2-worker LocalCluster against one process, on the mapped per-article work."""
    if not dask:
        return []
    local = next((r for r in dask if r["run"].startswith("map, local")), None)
    mapped = next((r for r in dask if r["run"].startswith("map, dask")), None)
    if not (local and mapped):
        return []
    return [(f"Dask LocalCluster, {mapped['workers']} workers",
             f"**{mapped['words_per_s'] / local['words_per_s']:.2f} ×** one process "
             f"({mapped['words_per_s']:,} vs {local['words_per_s']:,} words/s)", "≥ 1.6 ×")]


def table(folder: Path) -> str:
    rows = (build_rows(_load(folder, "build")) + big_rows(_load(folder, "build10k"))
            + query_rows(_load(folder, "query")) + dask_rows(_load(folder, "dask")))
    machine = next((d["machine"] for d in (_load(folder, "build"), _load(folder, "query")) if d), "unknown machine")
    lines = [f"Machine: {machine}.", "", "| figure | measured | target |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def update(readme: Path, text: str) -> bool:
    """Replace the text between the figures markers; False when the markers are missing."""
    start, end = "<!-- figures -->", "<!-- /figures -->"
    doc = readme.read_text(encoding="utf-8")
    if start not in doc or end not in doc:
        return False
    head, rest = doc.split(start, 1)
    readme.write_text(f"{head}{start}\n{text.strip()}\n{end}{rest.split(end, 1)[1]}", encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--results", type=Path, default=RESULTS, help="folder of the benchmark JSON files")
    p.add_argument("--readme", type=Path, default=HERE.parent / "README.md", help="README to update")
    p.add_argument("--no-write", action="store_true", help="only print the table")
    args = p.parse_args(argv)
    text = table(args.results)
    print(text)
    if not args.no_write and not update(args.readme, text):
        print(f"{args.readme} has no <!-- figures --> markers: not updated", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
