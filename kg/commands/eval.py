"""`kg eval GOLD DIR`: build DIR (or read its built graph) and score it against gold facts."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Optional

import typer

from ..cli import app, guarded


@app.command("eval")
def eval_command(
    gold: Path = typer.Argument(..., help="Gold facts, one JSON object a line (shared/eval/README.md format)."),
    target: Path = typer.Argument(..., help="A folder of articles to build, or a built output folder holding graph.trig."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Where to build when TARGET holds articles (default: a temporary folder)."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline for the build."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the per-property table and the summary."),
) -> None:
    """Score extraction: per-property precision, recall and F1, negated facts asserted, entity classes, noise."""
    def run() -> None:
        from ..api import build
        from ..evalmatch import evaluate
        from ..query import load_graph

        graph = target / "graph.trig"
        if not graph.exists():
            folder = out or Path(tempfile.mkdtemp(prefix="kg-eval-"))
            build(target, folder, model=model)
            graph = folder / "graph.trig"
        report = evaluate(gold, load_graph(graph))
        text = report.render()
        if quiet:
            text = "\n".join(ln for ln in text.splitlines() if not ln.startswith(("hit", "MISS", "ok", "EXTRA", "VIOLATION"))) + "\n"
        typer.echo(text, nl=False)
    guarded(run)
