"""`kg render`: re-render graph.html from a built graph, without re-extracting."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..cli import app, guarded


@app.command()
def render(
    graph: Path = typer.Option(Path("output/graph.trig"), "--graph", "-g", help="The built graph (.trig, .nq, .ttl, .nt, .jsonld)."),
    focus: Optional[str] = typer.Option(None, "--focus", help="Only this entity (label, alias or ticker) and its neighbourhood."),
    hops: Optional[int] = typer.Option(None, "--hops", min=0, help="With --focus: how many edges away to go (default 1)."),
    max_nodes: Optional[int] = typer.Option(None, "--max-nodes", min=1, help="Keep at most this many entities, the most connected ones."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="The page to write (default: graph.html beside the graph)."),
) -> None:
    """Write the interactive HTML page of a built graph (one offline file; open it in a browser)."""
    def run() -> None:
        from ..errors import UsageError
        from ..render import render_graph

        if hops is not None and focus is None:
            raise UsageError("--hops needs --focus NAME")
        report = render_graph(graph, out, focus=focus, hops=1 if hops is None else hops, max_nodes=max_nodes)
        typer.echo(f"wrote {report.out} ({report.nodes} of {report.total_nodes} entities, {report.edges} facts)")
        if report.note:
            typer.echo(report.note)
    guarded(run)
