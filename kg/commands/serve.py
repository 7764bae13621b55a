"""`kg serve`: the read-only SPARQL endpoint (kg.serve) as a command."""
from __future__ import annotations

from pathlib import Path

import typer

from ..cli import app, guarded


@app.command()
def serve(
    graph: Path = typer.Option(Path("output/graph.trig"), "--graph", "-g", help="The built graph to serve."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (default: this machine only)."),
    port: int = typer.Option(7878, "--port", "-p", min=0, max=65535, help="Port to listen on (0: any free port)."),
    store: str = typer.Option("memory", "--store", help="memory (rdflib) or oxigraph (persisted beside the graph)."),
    timeout: float = typer.Option(30.0, "--timeout", min=0.1, help="Time limit per query, in seconds."),
    threads: int = typer.Option(4, "--threads", min=1, max=64, help="Queries run at once, at most."),
    cors: bool = typer.Option(False, "--cors", help="Let web pages from any origin (e.g. a hosted YASGUI) query the endpoint."),
) -> None:
    """Serve the graph over the SPARQL 1.1 Protocol at /sparql (read-only, no SERVICE), and graph.html at /."""
    def run() -> None:
        from ..serve import serve as run_server

        run_server(graph, host=host, port=port, store=store, timeout=timeout, threads=threads, cors=cors,
                   announce=lambda line: typer.echo(line, err=True))
    guarded(run)
