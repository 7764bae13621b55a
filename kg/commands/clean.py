"""`kg clean`: empty the per-article build cache, so the next build re-processes everything."""
from __future__ import annotations

from pathlib import Path

import typer

from ..cli import app, guarded


@app.command()
def clean(
    out: Path = typer.Option(Path("output"), "--out", "-o", help="The output folder whose cache (OUT/.kg-cache) to empty."),
) -> None:
    """Remove the build cache of OUT; the graph files stay until the next build rewrites them."""
    def run() -> None:
        from ..cache import CACHE_DIR, clean_cache
        from ..errors import InputError

        if out.exists() and not out.is_dir():
            raise InputError(f"not a folder: {out}")
        count = clean_cache(out)
        typer.echo(f"removed {out / CACHE_DIR} ({count} cached article(s))" if count
                   else f"no cache in {out}: nothing to remove")
    guarded(run)
