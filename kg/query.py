"""SPARQL over a built graph: load, run, format. The contract's prefixes are predeclared."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.query import Result

from .errors import GraphMissingError, InputError, QueryError, one_line
from .namespace import PREFIXES, bind_prefixes

FORMATS = ("table", "csv", "tsv", "json", "markdown")


def load_graph(path: Path) -> Dataset:
    """A built graph (TriG, N-Quads, Turtle) as a Dataset whose default graph is the union."""
    if not path.exists():
        raise GraphMissingError(f"no graph at {path}: build one first with `kg build DIR --out {path.parent}`")
    fmt = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}.get(path.suffix)
    if fmt is None:
        raise InputError(f"{path}: unknown graph format (use .trig, .nq, .ttl, .nt or .jsonld)")
    ds = Dataset(default_union=True)
    try:
        ds.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises parser-specific errors
        raise InputError(f"cannot parse {path}: {one_line(exc)}") from exc
    bind_prefixes(ds)
    return ds


def read_query(text_or_file: str) -> str:
    """The query text: QUERY itself, or the contents of a .rq/.sparql file it names."""
    if text_or_file.endswith((".rq", ".sparql")) or ("\n" not in text_or_file and len(text_or_file) < 200
                                                      and _is_file(text_or_file)):
        path = Path(text_or_file)
        if not path.is_file():
            raise InputError(f"no query file at {path}")
        return path.read_text(encoding="utf-8")
    return text_or_file


def _is_file(name: str) -> bool:
    try:
        return Path(name).is_file()
    except OSError:
        return False


def run_query(ds: Dataset | Graph, query: str, bindings: dict | None = None) -> Result:
    """Run a SELECT/ASK/CONSTRUCT/DESCRIBE query; update requests are refused."""
    if _is_update(query):
        raise QueryError("SPARQL Update is not allowed: the graph is read-only (rebuild it with `kg build`)")
    try:
        return ds.query(query, initNs=PREFIXES, initBindings=bindings or {})
    except Exception as exc:  # pyparsing ParseException and rdflib evaluation errors
        raise QueryError(f"SPARQL error: {one_line(exc)}") from exc


def _is_update(query: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate

    words = {w.upper() for w in query.replace("{", " ").split()}
    if not words & {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}:
        return False
    try:
        parseUpdate(query)
        return True
    except Exception:
        return False


def _cell(value) -> str:  # noqa: ANN001
    if value is None:
        return ""
    text = str(value)
    for prefix, ns in PREFIXES.items():
        if text.startswith(str(ns)) and hasattr(value, "n3") and not hasattr(value, "datatype"):
            return f"{prefix}:{text[len(str(ns)):]}"
    return text


def format_result(result: Result, fmt: str = "table") -> str:
    """Render a result as text for the terminal or a file."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if result.type == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.askAnswer)}) if fmt == "json" else str(bool(result.askAnswer)).lower()
    if result.type in {"CONSTRUCT", "DESCRIBE"}:
        return result.serialize(format="turtle").decode("utf-8")
    if fmt == "json":
        return result.serialize(format="json").decode("utf-8")
    names = [str(v) for v in result.vars]
    rows = [[_cell(row[v]) for v in result.vars] for row in result]
    if fmt in {"csv", "tsv"}:
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return buf.getvalue()
    if fmt == "markdown":
        esc = [[c.replace("|", "\\|").replace("\n", " ") for c in r] for r in rows]
        lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
        return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in esc]) + "\n"
    return _table(names, rows)


def _table(names: list[str], rows: list[list[str]]) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(*names, show_lines=False)
    for r in rows:
        table.add_row(*r)
    buf = io.StringIO()
    Console(file=buf, width=160, color_system=None).print(table)
    return buf.getvalue() + f"{len(rows)} row(s)\n"
