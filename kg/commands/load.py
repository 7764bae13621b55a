"""`kg load`: bulk-load a built graph (N-Quads shards or a graph file) into the on-disk Oxigraph store."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..cli import app, guarded


@app.command()
def load(
    source: Path = typer.Argument(Path("output"), help="A build's output folder, its shards folder, a shard manifest.json, or a graph file (.trig, .nq, ...)."),
    store: str = typer.Option("oxigraph", "--store", help="oxigraph: the persistent store `kg query/serve --store oxigraph` use."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Store folder; default: oxigraph/ in the build's output folder, where query and serve look."),
) -> None:
    """Bulk-load the graph into an on-disk Oxigraph store (shards are checked against their manifest first)."""
    def run() -> None:
        from ..errors import InputError, UsageError
        from ..store import graph_source, persist_oxigraph

        if store != "oxigraph":
            raise UsageError(f"kg load fills the oxigraph store, not {store!r} (the memory store reads the graph at each query)")
        if not source.exists():
            raise InputError(f"nothing to load at {source}: build a graph first with `kg build DIR --out {source}`")
        origin, manifest = graph_source(source)
        location = persist_oxigraph(source, out, force=True)
        typer.echo(f"loaded {_describe(origin, manifest)} into {location}")
    guarded(run)


def _describe(origin: Path, manifest: Path | None) -> str:
    if manifest is None:
        return str(origin)
    import json

    data = json.loads(manifest.read_text(encoding="utf-8"))
    return f"{data['quads']:,} quads in {data['graphs']:,} graphs from {len(data['shards'])} shard(s) ({manifest})"
