"""`kg export`: standard formats (kg.export) as a command."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ..cli import app, guarded


@app.command()
def export(
    fmt: str = typer.Option(..., "--format", "-f", help="nquads, jsonld, graphml, gexf or csv."),
    graph: Path = typer.Option(Path("output/graph.trig"), "--graph", "-g", help="The built graph to export."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="File (or folder) to write; default: stdout."),
) -> None:
    """Export the graph: N-Quads, JSON-LD (with the contract's context), GraphML/GEXF (Gephi), CSV of claims."""
    def run() -> None:
        from ..export import export_graph

        result = export_graph(graph, fmt, out)
        if isinstance(result, Path):
            typer.echo(f"wrote {result}", err=True)
        else:
            sys.stdout.buffer.write(result)
            sys.stdout.buffer.flush()
    guarded(run)
