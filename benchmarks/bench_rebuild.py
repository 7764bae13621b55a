"""How much faster a rebuild is when every article is reused from the cache (issue 6: under 1/5).

    .venv/bin/python benchmarks/bench_rebuild.py [--folder seeds] [--model NAME] [--jobs 1] [--json FILE]

Builds FOLDER (default seeds/) into a new temporary output folder with `kg.api.build(force=True)`,
then builds it again unchanged (every article reused), each in a fresh process as `kg build`
would run. Reports both times, as the build measures itself (report.seconds: reading the folder
to the validated graph) and as the whole process (interpreter start and imports included), the
ratio rebuild / first for each, and the stage seconds of the rebuild. Markdown to stdout.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_build import _machine, log, rebuild, run_measured, update_readme  # noqa: E402

SEEDS = HERE.parent / "seeds"


def _argv(folder: Path, out: Path, model: str | None, jobs: int, force: bool) -> list[str]:
    argv = [sys.executable, str(HERE / "bench_build.py"), "--worker", "build", "--corpus", str(folder),
            "--out", str(out), "--jobs", str(jobs)]
    return argv + (["--model", model] if model else []) + (["--force"] if force else [])


def measure(folder: Path, model: str | None = None, jobs: int = 1) -> dict:
    """First build and rebuild of `folder` into a fresh temporary output folder."""
    out = Path(tempfile.mkdtemp(prefix="kg-bench-rebuild-")) / "output"
    try:
        log(f"first build of {folder}")
        first = run_measured(_argv(folder, out, model, jobs, force=True))
        again = rebuild(_argv(folder, out, model, jobs, force=False), jobs)
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)
    for run in (first, again):
        if "error" in run:
            raise SystemExit(f"build failed: {run['error']}")
    return {"folder": str(folder), "first": first, "rebuild": again,
            "ratio": round(again["seconds"] / first["seconds"], 3),
            "process_ratio": round(again["process_wall"] / first["process_wall"], 3)}


def table(r: dict) -> str:
    f, a = r["first"], r["rebuild"]
    lines = ["| build | articles | reused | build s | process wall s | peak RSS MB |", "|---|---|---|---|---|---|"]
    for name, run in (("first (--force)", f), ("rebuild", a)):
        lines.append(f"| {name} | {run['articles']} | {run['reused']} | {run['seconds']} | {run['process_wall']} | "
                     f"{run['peak_rss_mb']} |")
    lines.append(f"| **rebuild / first** | | | **{r['ratio']}** | **{r['process_ratio']}** | |")
    stages = sorted(a["stages"].items(), key=lambda kv: -kv[1])
    lines += ["", "| rebuild stage | s |", "|---|---|"] + [f"| {k} | {v:.3f} |" for k, v in stages]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--folder", type=Path, default=SEEDS, help="articles to build (default seeds/)")
    p.add_argument("--model", default=None, help="spaCy pipeline (default: what kg build loads)")
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--json", type=Path, default=None, help="also write every figure to this file")
    p.add_argument("--readme", action="store_true", help="also put the tables in benchmarks/README.md")
    args = p.parse_args(argv)
    result = measure(args.folder, args.model, args.jobs)
    text = f"Machine: {_machine()}\nFolder: {args.folder.name}/\n\n{table(result)}"
    print(text)
    if args.readme:
        update_readme("bench_rebuild", text)
    if args.json:
        args.json.write_text(json.dumps({"machine": _machine(), **result}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
