"""Saved SPARQL queries (kg/queries/*.rq) and safe parameter binding.

Each .rq file opens with a comment block the tool reads:

    # title: Who endorses what
    # answers: what the query answers (continuation lines start with "#   ")
    # param: entity (string, optional) what the parameter does
    # example: kg query endorsements --param entity=ZKsync

A parameter NAME is the SPARQL variable ?NAME. Its value is never pasted into the query text: it
becomes a typed RDF term (an xsd:string Literal, an xsd:date Literal, ...) handed to the engine as
a pre-bound variable (rdflib `initBindings`, Oxigraph `substitutions`). Oxigraph only accepts
substitutions of projected variables, so the saved queries project their parameters; `run_saved`
hides those columns.

Two kinds of comment lines keep a saved query fast without making it anything but plain SPARQL (a
user can run the file as it is elsewhere and get the same rows, only slower), and its ORDER BY runs
in Python:

    # if entity ... # end entity          lines `kg query` leaves out when --param entity is not
                                           given (or empty): the filter they hold is then true
    # precompute ... # end precompute     one `{ SELECT ... }` sub-query, run first on its own and put
                                           in its place as a VALUES block of its answers (the same
                                           rows: a sub-query never sees the outer bindings), so that
                                           the engine starts from those few nodes
    ORDER BY ?a STR(?b) DESC(?c)           on result columns: `kg query` sorts the rows itself (the
                                           same order on both stores, ties broken by every column);
                                           Oxigraph's own sort re-reads each string per comparison
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Identifier, Variable

from .errors import InputError, UsageError
from .query import END_MARKER, FORMATS, TABLE_ROWS, format_result, keep_blocks, projected, sort_rows, split_order

PARAM_TYPES = ("string", "date", "integer", "decimal", "iri")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HEADER = re.compile(r"^#\s*(title|answers|param|example)\s*:\s*(.*)$")
_PARAM = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*\(([^)]*)\)\s*(.*)$")
_PRECOMPUTE = re.compile(r"^\s*#\s*precompute\s*(?::|$)")
_PROLOGUE = re.compile(r"^\s*(PREFIX|BASE)\b", re.I)


@dataclass(frozen=True)
class Param:
    """A parameter of a saved query, bound to the variable ?name."""

    name: str
    type: str = "string"
    required: bool = True
    description: str = ""


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    answers: str
    params: tuple[Param, ...]
    example: str
    text: str
    path: str

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def _query_files() -> list:
    folder = resources.files("kg") / "queries"
    return sorted((f for f in folder.iterdir() if f.name.endswith(".rq")), key=lambda f: f.name)


def parse_saved(name: str, text: str, path: str = "") -> SavedQuery:
    """Read the comment header of a saved query."""
    fields: dict[str, list[str]] = {"title": [], "answers": [], "param": [], "example": []}
    last: list[str] | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if m:
            key, value = m.groups()
            fields[key].append(value.strip())
            last = fields[key]
        elif last is not None and line.startswith("#  "):
            last[-1] = f"{last[-1]} {line[1:].strip()}".strip()
        else:
            last = None
    params = []
    for spec in fields["param"]:
        m = _PARAM.match(spec)
        if not m:
            raise InputError(f"saved query {name}: cannot read parameter line {spec!r}")
        pname, opts, desc = m.groups()
        words = {w.strip().lower() for w in opts.split(",") if w.strip()}
        ptype = next((w for w in words if w in PARAM_TYPES), "string")
        params.append(Param(pname, ptype, "optional" not in words, desc.strip()))
    return SavedQuery(name=name, title=" ".join(fields["title"]), answers=" ".join(fields["answers"]),
                      params=tuple(params), example=" ".join(fields["example"]), text=text, path=path)


def list_saved() -> list[SavedQuery]:
    """Every saved query shipped with the package, by name."""
    return [parse_saved(f.name[:-3], f.read_text(encoding="utf-8"), str(f)) for f in _query_files()]


def get_saved(name: str) -> SavedQuery | None:
    """The saved query called `name` (with or without .rq), or None."""
    name = name[:-3] if name.endswith(".rq") else name
    return next((q for q in list_saved() if q.name == name), None)


def parse_params(params: Mapping[str, str] | Iterable[str] | None) -> dict[str, str]:
    """NAME=VALUE strings (as given to --param) or a mapping, as a dict; UsageError if malformed."""
    if params is None:
        return {}
    if isinstance(params, Mapping):
        items = [(str(k), str(v)) for k, v in params.items()]
    else:
        items = []
        for pair in params:
            if "=" not in pair:
                raise UsageError(f"--param {pair!r}: expected NAME=VALUE, such as entity=ZKsync")
            k, v = pair.split("=", 1)
            items.append((k.strip(), v))
    out: dict[str, str] = {}
    for k, v in items:
        k = k.lstrip("?$")
        if not _NAME.match(k):
            raise UsageError(f"--param {k!r}: a parameter name is a SPARQL variable name (letters, digits, _)")
        if k in out:
            raise UsageError(f"--param {k} given twice")
        out[k] = v
    return out


def typed_term(value: str, ptype: str = "string", name: str = "value") -> Identifier:
    """The RDF term for a parameter value: a typed Literal (or an IRI), validated for its type."""
    if ptype == "string":
        return Literal(value, datatype=XSD.string)
    if ptype == "date":
        try:
            return Literal(date.fromisoformat(value).isoformat(), datatype=XSD.date)
        except ValueError:
            raise UsageError(f"--param {name}={value!r}: expected a date as YYYY-MM-DD") from None
    if ptype == "integer":
        try:
            return Literal(int(value), datatype=XSD.integer)
        except ValueError:
            raise UsageError(f"--param {name}={value!r}: expected an integer") from None
    if ptype == "decimal":
        try:
            return Literal(Decimal(value), datatype=XSD.decimal)
        except InvalidOperation:
            raise UsageError(f"--param {name}={value!r}: expected a decimal number") from None
    if ptype == "iri":
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value):
            raise UsageError(f"--param {name}={value!r}: expected an absolute IRI")
        return URIRef(value)
    raise UsageError(f"unknown parameter type {ptype!r}")


def bind_params(params: Mapping[str, str], declared: Sequence[Param] | None = None,
                query_name: str = "the query") -> dict[str, Identifier]:
    """Typed bindings for `params`. With `declared` (a saved query's parameters), unknown names and
    missing required ones are usage errors; without it every value binds as an xsd:string."""
    if declared is None:
        return {k: typed_term(v, "string", k) for k, v in params.items()}
    known = {p.name: p for p in declared}
    for k in params:
        if k not in known:
            takes = ", ".join(known) or "no parameters"
            raise UsageError(f"{query_name} has no parameter {k!r} (it takes {takes})")
    for p in declared:
        if p.required and p.name not in params:
            raise UsageError(f"{query_name} needs --param {p.name}=VALUE ({p.description or p.type})")
    return {k: typed_term(v, known[k].type, k) for k, v in params.items()}


def _drop_columns(result: Result, names: Iterable[str]) -> Result:
    drop = {Variable(n) for n in names}
    if result.type != "SELECT" or not drop & set(result.vars or []):
        return result
    out = Result("SELECT")
    out.vars = [v for v in result.vars if v not in drop]
    out.bindings = [{k: v for k, v in row.items() if k not in drop} for row in result.bindings]
    return out


def _is_file(text: str) -> bool:
    if "\n" in text or "{" in text or len(text) > 255:
        return False
    try:
        return Path(text).is_file()
    except OSError:
        return False


def resolve_query(name_or_query: str) -> tuple[str, SavedQuery | None]:
    """(query text, the saved query or None) for a saved query name, a .rq/.sparql file or query text.

    A bare word is a saved query's name; a path to an existing file is read; anything else is
    SPARQL text."""
    word = name_or_query.strip()
    if _is_file(word):
        return Path(word).read_text(encoding="utf-8"), None
    if re.fullmatch(r"[A-Za-z0-9_.-]+", word):
        saved = get_saved(word)
        if saved is not None:
            return saved.text, saved
        if word.endswith((".rq", ".sparql")):
            raise InputError(f"no query file at {word}")
        names = ", ".join(q.name for q in list_saved())
        raise UsageError(f"no saved query called {word!r}: use one of {names} (kg query --list)")
    if word.endswith((".rq", ".sparql")) and "\n" not in word:
        raise InputError(f"no query file at {word}")
    return name_or_query, None


def precompute(gs, text: str, bindings: Mapping[str, Identifier]) -> str:  # noqa: ANN001
    """The query with each `# precompute` sub-query replaced by a VALUES block of its answers."""
    lines = text.splitlines(keepends=True)
    prologue = "".join(line for line in lines if _PROLOGUE.match(line))
    out: list[str] = []
    block: list[str] | None = None
    done: dict[str, str] = {}  # the same sub-query twice is run once
    for line in lines:
        end = END_MARKER.match(line)
        if block is not None and end and end.group(1) == "precompute":
            group = "".join(block).strip()
            key = " ".join(group.split())
            if key not in done:
                done[key] = _inline(gs, prologue, group, bindings)
            out.append(done[key])
            block = None
        elif block is not None:
            if block or not line.lstrip().startswith("#"):  # the marker's comment may run on
                block.append(line)
                continue
        elif _PRECOMPUTE.match(line):
            block = []
        out.append(line)
    if block is not None:
        raise InputError("saved query: `# precompute` without `# end precompute`")
    return "".join(out)


def _inline(gs, prologue: str, group: str, bindings: Mapping[str, Identifier]) -> str:  # noqa: ANN001
    """A `{ SELECT ... }` group as VALUES of its answers (parameters excepted: they stay bound)."""
    inner = group.strip()
    if not (inner.startswith("{") and inner.endswith("}")):
        raise InputError("saved query: a `# precompute` block must be one { SELECT ... } group")
    sub = inner[1:-1]
    columns = projected(sub)
    binds = {k: v for k, v in bindings.items() if str(k) in columns}
    result = gs.query(prologue + sub, binds, trusted=True)
    cols = [v for v in result.vars if str(v) not in bindings]
    rows = list(result.bindings)
    if any(isinstance(t, BNode) for row in rows for t in row.values()):
        return group + "\n"  # a blank node cannot be written in VALUES: the engine runs the sub-query
    data = " ".join("(" + " ".join(row[v].n3() if row.get(v) is not None else "UNDEF" for v in cols) + ")"
                    for row in rows)
    return f"  VALUES ({' '.join(v.n3() for v in cols)}) {{ {data} }}\n"


def run_on(gs, text: str, saved: SavedQuery | None, values: Mapping[str, str],  # noqa: ANN001
           bindings: Mapping[str, Identifier]) -> Result:
    """Run a query on an open GraphStore, all rows read: a saved one without the blocks of parameters
    not given, its sub-queries precomputed and its rows sorted here (see the module's docstring)."""
    if saved is None:
        result = gs.query(text, bindings)
        keys = None
    else:
        plan, keys = split_order(keep_blocks(saved.text, {k for k, v in values.items() if v != ""}))
        result = gs.query(precompute(gs, plan, bindings), bindings, trusted=True)
    if result.type == "SELECT":  # materialise before the store closes
        rows = list(result.bindings)
        result.bindings = sort_rows(rows, result.vars, keys) if keys else rows
    return result


def execute(name_or_query: str, graph: Path | str = "output/graph.trig",
            params: Mapping[str, str] | Iterable[str] | None = None, store: str = "memory") -> Result:
    """Run a saved query (by name), a .rq file or query text with typed parameters; the raw Result."""
    from .store import open_store

    text, saved = resolve_query(name_or_query)
    values = parse_params(params)
    bindings = bind_params(values, saved.params if saved else None, saved.name if saved else "the query")
    with open_store(graph, store) as gs:
        result = run_on(gs, text, saved, values, bindings)
    if saved is not None:
        result = _drop_columns(result, [p.name for p in saved.params])
    return result


def run_saved(name_or_query: str, graph: Path | str = "output/graph.trig",
              params: Mapping[str, str] | Iterable[str] | None = None, fmt: str = "table",
              store: str = "memory", limit: int | None = None) -> str:
    """What `kg query NAME --param entity=ZKsync --format tsv --store oxigraph` prints.

    `name_or_query` is a saved query name (see `kg query --list`), a .rq/.sparql file or SPARQL text;
    `params` NAME=VALUE strings or a mapping, each bound to ?NAME as a typed literal (never pasted
    into the text); `fmt` one of table, csv, tsv, json, markdown; `store` memory or oxigraph; `limit`
    the rows to print at most: None prints TABLE_ROWS in a table and every row in other formats, 0
    every row (the query always runs in full, so the table can say how many rows there are).
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if limit is not None and limit < 0:
        raise UsageError(f"--limit {limit}: give a number of rows (0 for all)")
    shown = (TABLE_ROWS if fmt == "table" else None) if limit is None else limit
    return format_result(execute(name_or_query, graph, params, store), fmt, shown)


def saved_list_text(fmt: str = "table") -> str:
    """What `kg query --list` prints: each saved query, its parameters and what it answers."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    rows = []
    for q in list_saved():
        ps = " ".join(f"{p.name}=…" if p.required else f"[{p.name}=…]" for p in q.params)
        rows.append({"name": q.name, "params": ps, "title": q.title, "answers": q.answers, "example": q.example})
    names = ["name", "params", "title", "answers", "example"]
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    if fmt in {"csv", "tsv"}:
        buf = io.StringIO()
        w = csv.DictWriter(buf, names, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        return buf.getvalue()
    if fmt == "markdown":
        lines = ["| name | params | answers |", "|---|---|---|"]
        lines += [f"| `{r['name']}` | {r['params'].replace('|', '/')} | {r['answers']} |" for r in rows]
        return "\n".join(lines) + "\n"
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table("name", "params", "answers", show_lines=True)
    for r in rows:
        table.add_row(escape(r["name"]), escape(r["params"]), escape(f"{r['title']}: {r['answers']}\n{r['example']}"))
    buf = io.StringIO()
    Console(file=buf, width=160, color_system=None).print(table)
    return buf.getvalue() + "Run one with: kg query NAME [--param NAME=VALUE ...] [--format table|csv|tsv|json|markdown]\n"


__all__ = ["Param", "SavedQuery", "list_saved", "get_saved", "parse_saved", "parse_params", "typed_term",
           "bind_params", "resolve_query", "keep_blocks", "split_order", "precompute", "run_on", "execute",
           "run_saved", "saved_list_text"]
