"""`kg validate`: SHACL validation (kg.validate) as a command; exit 1 when the graph does not conform."""
from __future__ import annotations

from pathlib import Path

import typer

from ..cli import app, guarded


@app.command()
def validate(
    graph: Path = typer.Option(Path("output/graph.trig"), "--graph", "-g", help="The built graph to check."),
    limit: int = typer.Option(10, "--limit", min=1, help="Offending nodes listed per problem."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
) -> None:
    """Check the graph against the SHACL shapes of ontology/shapes.ttl; exit 1 when it does not conform."""
    outcome = {"ok": True}

    def run() -> None:
        from ..validate import validate_file

        report = validate_file(graph)
        typer.echo(report.text(limit), nl=False)
        outcome["ok"] = report.conforms and not (strict and report.warnings)
    guarded(run)
    if not outcome["ok"]:
        raise typer.Exit(1)
