"""SPARQL over a built graph: load, run, format. The contract's prefixes are predeclared."""
from __future__ import annotations

import csv
import io
import itertools
import json
import re
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Sequence

import rdflib.plugins.sparql
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Identifier, Variable

from .errors import GraphMissingError, InputError, QueryError, one_line
from .namespace import PREFIXES, bind_prefixes

_XSD_STRING = str(XSD.string)
FORMATS = ("table", "csv", "tsv", "json", "markdown")
#: Rows the table format shows unless asked for more: rendering 40,000 rows takes longer than the query.
TABLE_ROWS = 100
_NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.short, XSD.byte,
            XSD.nonNegativeInteger, XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger,
            XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort, XSD.unsignedByte}


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


def format_result(result: Result, fmt: str = "table", limit: int | None = None) -> str:
    """Render a result as text for the terminal or a file: the first `limit` rows of a SELECT (all when
    None or 0); the table then says how many rows there are in all."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if result.type == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.askAnswer)}) if fmt == "json" else str(bool(result.askAnswer)).lower()
    if result.type in {"CONSTRUCT", "DESCRIBE"}:
        return result.serialize(format="turtle").decode("utf-8")
    total = len(result)
    if limit and total > limit:
        shown = Result("SELECT")
        shown.vars, shown.bindings = result.vars, list(itertools.islice(result.bindings, limit))
        result = shown
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
    footer = (f"showing the first {len(rows):,} of {total:,} rows (every row: --format csv, tsv or json)"
              if len(rows) < total else f"{len(rows)} row(s)")
    return _table(names, rows) + footer + "\n"


def _table(names: list[str], rows: list[list[str]], width: int = 160) -> str:
    """A boxed table as rich draws one (heavy head, cells wrapped to fit `width`), drawn directly:
    rich takes 3-4 ms a row, longer than most queries."""
    from rich.cells import cell_len

    cols = [[name.split("\n") for name in names]] + [[c.split("\n") for c in r] for r in rows]
    widths = [max(cell_len(line) for row in cols for line in row[i]) for i in range(len(names))]
    floor = [min(w, max(cell_len(n), 8)) for w, n in zip(widths, names)]
    while sum(widths) + 3 * len(widths) + 1 > width and any(w > f for w, f in zip(widths, floor)):
        i = max(range(len(widths)), key=lambda k: (widths[k] - floor[k] > 0, widths[k]))
        widths[i] -= 1

    def lines(row: list[list[str]], bar: str) -> list[str]:
        cells = [[piece for line in cell for piece in (textwrap.wrap(line, w, break_on_hyphens=False) or [""])]
                 for cell, w in zip(row, widths)]
        return [bar + bar.join(f" {c[k] if k < len(c) else ''}{' ' * (w - cell_len(c[k] if k < len(c) else ''))} "
                               for c, w in zip(cells, widths)) + bar for k in range(max(map(len, cells)))]

    rule = lambda left, mid, right, line: left + mid.join(line * (w + 2) for w in widths) + right  # noqa: E731
    out = [rule("┏", "┳", "┓", "━"), *lines(cols[0], "┃"), rule("┡", "╇", "┩", "━")]
    for row in cols[1:]:
        out += lines(row, "│")
    return "\n".join(out + [rule("└", "┴", "┘", "─")]) + "\n"


# --------------------------------------------------------------------------------------------
# Saved-query text: optional blocks and ORDER BY (the markers are described in kg/saved.py)
# --------------------------------------------------------------------------------------------

_IF = re.compile(r"^\s*#\s*if\s+([A-Za-z_]\w*)\s*(?::|$)")  # `# if entity` or `# if entity: why`
END_MARKER = re.compile(r"^\s*#\s*end\s+([A-Za-z_]\w*)\s*$")
_SELECT = re.compile(r"^\s*SELECT\b(.*?)\bWHERE\b", re.I | re.S | re.M)
_ORDER = re.compile(r"^ORDER\s+BY\s+(.*)$", re.I | re.M)
_ORDER_KEY = re.compile(r"^(?:(ASC|DESC)\()?(?:(STR)\()?\?(\w+)\)?\)?$", re.I)


def keep_blocks(text: str, given: set[str]) -> str:
    """The query without its `# if NAME` ... `# end NAME` blocks for parameters not in `given`."""
    out: list[str] = []
    keep: list[bool] = []
    for line in text.splitlines(keepends=True):
        start, end = _IF.match(line), END_MARKER.match(line)
        if start:
            keep.append(start.group(1) in given)
        if all(keep):
            out.append(line)
        if end and end.group(1) != "precompute":
            if not keep:
                raise InputError(f"saved query: `{line.strip()}` without its `# if`")
            keep.pop()
    if keep:
        raise InputError("saved query: a `# if NAME` block without its `# end NAME`")
    return "".join(out)


def projected(select_text: str) -> set[str]:
    """Variables a SELECT projects (`?a ?b (expr AS ?c)`), read from its head."""
    m = _SELECT.search(select_text)
    if not m:
        return set()
    head = m.group(1)
    named = set(re.findall(r"\bAS\s+\?(\w+)", head, re.I))
    while re.search(r"\([^()]*\)", head):
        head = re.sub(r"\([^()]*\)", " ", head)
    return named | set(re.findall(r"\?(\w+)", head))


def split_order(text: str) -> tuple[str, list[OrderKey] | None]:
    """(the query without its final ORDER BY, its keys) when every key is ?var, STR(?var), ASC(...) or
    DESC(...) of a projected column; else (the query, None) and the engine sorts."""
    found = list(_ORDER.finditer(text))
    if not found or text[found[-1].end():].strip():
        return text, None
    keys: list[OrderKey] = []
    columns = projected(text)
    for token in found[-1].group(1).split():
        m = _ORDER_KEY.match(token)
        if not m or token.count("(") != token.count(")") or m.group(3) not in columns:
            return text, None
        keys.append((m.group(3), (m.group(1) or "").upper() == "DESC", bool(m.group(2))))
    return text[:found[-1].start()], keys


# --------------------------------------------------------------------------------------------
# Oxigraph terms
# --------------------------------------------------------------------------------------------

def to_ox(term: Identifier):  # noqa: ANN202
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        datatype = ox.NamedNode(str(term.datatype)) if term.datatype else None
        return ox.Literal(str(term), language=term.language, datatype=datatype)
    raise QueryError(f"cannot bind {term!r}")


def from_ox(term: object, seen: dict) -> Identifier:
    """An Oxigraph term as rdflib's; string literals come back plain, as rdflib keeps them."""
    hit = seen.get(term)
    if hit is None:
        import pyoxigraph as ox

        if isinstance(term, ox.NamedNode):
            hit = URIRef(term.value)
        elif isinstance(term, ox.BlankNode):
            hit = BNode(term.value)
        elif isinstance(term, ox.Literal):
            dt = term.datatype.value
            hit = Literal(term.value, lang=term.language) if term.language or dt == _XSD_STRING \
                else Literal(term.value, datatype=URIRef(dt))
        else:  # an RDF 1.2 triple term: rdflib has none
            hit = Literal(str(term))
        seen[term] = hit
    return hit


# --------------------------------------------------------------------------------------------
# Row order and rdflib's GROUP BY on an empty input
# --------------------------------------------------------------------------------------------

#: One ORDER BY key over a result column: (variable name, descending, compared as STR()).
OrderKey = tuple[str, bool, bool]


def order_value(term: Identifier | None, as_string: bool = False) -> tuple:
    """Where a term sorts under SPARQL ORDER BY: unbound, blank nodes, IRIs, then literals (numbers by
    value, others by their text); `as_string` sorts by STR(term) (an error, hence unbound, for blank
    nodes). The order rdflib and Oxigraph give, so rows sort alike on both stores."""
    if term is None:
        return (0,)
    if isinstance(term, BNode):
        return (0,) if as_string else (1, str(term))
    if as_string:
        return (3, 1, str(term))
    if isinstance(term, URIRef):
        return (2, str(term))
    value = term.value if isinstance(term, Literal) and term.datatype in _NUMERIC else None
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return (3, 0, value)
    return (3, 1, str(term))


def sort_rows(rows: list[dict], columns: Sequence[Variable], keys: Sequence[OrderKey]) -> list[dict]:
    """Rows in ORDER BY `keys` order, rows equal on every key in the order of all their columns: the
    same order whatever order the engine produced them in."""
    variables = [(Variable(name), as_string) for name, _, as_string in keys]
    seen: dict[tuple[int, bool], tuple] = {}  # by term identity: rows share their terms (kg.query.from_ox)

    def value(term: Identifier | None, as_string: bool) -> tuple:
        key = (id(term), as_string)
        if key not in seen:
            seen[key] = order_value(term, as_string)
        return seen[key]

    keyed = [([value(row.get(var), s) for var, s in variables], row) for row in rows]
    for i in reversed(range(len(keys))):  # stable sorts, last key first
        keyed.sort(key=lambda pair: pair[0][i], reverse=keys[i][1])
    out: list[dict] = []
    start = 0
    for end in range(1, len(keyed) + 1):
        if end == len(keyed) or keyed[end][0] != keyed[start][0]:
            tied = [row for _, row in keyed[start:end]]
            if len(tied) > 1:
                tied.sort(key=lambda row: [order_value(row.get(v)) for v in columns])
            out += tied
            start = end
    return out


def _grouped(ctx, agg):  # noqa: ANN001, ANN202
    """rdflib's AggregateJoin for an explicit GROUP BY, without the empty row it adds when nothing
    matched: no solutions means no groups (SPARQL 1.1, 18.5.1), as Oxigraph answers."""
    if agg.name != "AggregateJoin" or agg.p.expr is None:
        raise NotImplementedError  # rdflib's own evaluation
    from rdflib.plugins.sparql.aggregates import Aggregator
    from rdflib.plugins.sparql.evaluate import evalPart
    from rdflib.plugins.sparql.evalutils import _eval
    from rdflib.plugins.sparql.sparql import FrozenBindings

    def rows():  # noqa: ANN202
        groups: dict = {}
        for row in evalPart(ctx, agg.p):
            key = tuple(_eval(e, row, False) for e in agg.p.expr)
            groups.setdefault(key, Aggregator(aggregations=agg.A)).update(row)
        for aggregator in groups.values():
            yield FrozenBindings(ctx, aggregator.get_bindings())

    return rows()


def _empty_values(ctx, part):  # noqa: ANN001, ANN202
    """`VALUES ?x { }` (no rows: no solutions), which rdflib's translation leaves as a bare list."""
    if part.name != "ToMultiSet" or not isinstance(part.p, list) or part.p:
        raise NotImplementedError  # rdflib's own evaluation
    return iter(())


def _bgp_join(ctx, part):  # noqa: ANN001, ANN202
    """A join with a basic graph pattern, as nested loops: the pattern is matched with each row's
    bindings in place. rdflib does so only for joins holding no other join, so a VALUES block up
    front would make it match the whole pattern and compare every pair of rows."""
    if part.name != "Join" or part.lazy or getattr(part.p2, "name", None) != "BGP":
        raise NotImplementedError  # rdflib's own evaluation
    from rdflib.plugins.sparql.evaluate import evalLazyJoin

    return evalLazyJoin(ctx, part)


rdflib.plugins.sparql.CUSTOM_EVALS["kg-explicit-group-by"] = _grouped
rdflib.plugins.sparql.CUSTOM_EVALS["kg-bgp-join"] = _bgp_join
rdflib.plugins.sparql.CUSTOM_EVALS["kg-empty-values"] = _empty_values
