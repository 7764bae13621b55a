"""The rewritten saved queries answer exactly as the ones they replaced (tests/fixtures/queries_before/).

For every saved query and a spread of parameter values (names in other cases, aliases, absent names,
empty values, both parameters at once), on three graphs (seeds/ built, a generated corpus built,
a synthetic graph shaped like a big build) and on both stores: the old text, run as it was (one
query, the engine sorting), and the new one, run as `kg query` runs it (blocks left out, sub-queries
precomputed, rows sorted in Python), give the same rows, and in an order the old ORDER BY allows:
the sequence of the old sort keys is the same. Both stores then give the same rows in the same order.
"""
from __future__ import annotations

import shutil
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.query import Result

from kg.query import order_value
from kg.saved import _drop_columns, bind_params, get_saved, list_saved, parse_params, run_on, split_order
from kg.store import open_store

BEFORE = Path(__file__).parent / "fixtures" / "queries_before"
BENCH = Path(__file__).resolve().parents[1] / "benchmarks"

ENTITY_QUERIES = ("about-entity", "articles-mentioning", "adoptions", "endorsements", "negated-hedged",
                  "upgrade-timeline", "metrics", "relations")
RELATIONS = ("partnersWith", "INVESTSIN", "kg:acquires", "https://w3id.org/crypto-kg/ontology#endorses",
             "tokenOf", "", "kg:", "nothing")
METRICS = ("TPS", "tvl", "kg:Price", "DailyActiveAddresses", "", "kg:nothing")
CLASSES = ("Person", "project", "TOKEN", "kg:Token", "https://w3id.org/crypto-kg/ontology#Organization",
           "Bank", "", "nothing")


@pytest.fixture(scope="module")
def graphs(seeds_build, tmp_path_factory) -> dict[str, Path]:  # noqa: ANN001
    """seeds/ built, a generated 24-article corpus built, and a synthetic ~9k-quad graph."""
    from kg.api import build

    folder = tmp_path_factory.mktemp("equivalence")
    out = {"seeds": folder / "seeds" / "graph.trig"}
    out["seeds"].parent.mkdir()
    shutil.copy(seeds_build.out / "graph.trig", out["seeds"])
    sys.path.insert(0, str(BENCH))
    import corpus
    from synthetic_graph import GraphWriter

    corpus.generate(folder / "corpus_in", 24, seed=7)
    build(folder / "corpus_in", folder / "corpus")
    out["corpus"] = folder / "corpus" / "graph.trig"
    (folder / "synthetic").mkdir()
    out["synthetic"] = folder / "synthetic" / "graph.trig"
    GraphWriter(9_000, seed=5).write(out["synthetic"])
    return out


def _names(gs) -> list[str]:  # noqa: ANN001
    """Entity names to ask for: the most and least mentioned labels, altLabels, in other cases."""
    res = gs.query("SELECT ?label ?n WHERE { ?e kg:mentionCount ?n ; rdfs:label ?label } ORDER BY DESC(?n) ?label")
    labels = [str(r[0]) for r in res]
    alts = sorted({str(r[0]) for r in gs.query("SELECT ?a WHERE { ?e skos:altLabel ?a }")})
    picks = labels[:4] + labels[-2:] + alts[:2] + alts[-1:]
    return picks + [labels[0].lower(), labels[1].upper(), "Ethereum", "ZKsync", "", "no such entity"]


def cases(gs, few: bool = False) -> list[tuple[str, dict[str, str]]]:  # noqa: ANN001
    """(saved query, parameters) pairs covering every query, each parameter alone and together;
    `few`: fewer names (rdflib takes a second or more on some of the old queries)."""
    names = _names(gs)
    if few:
        names = [names[0], names[-3].lower(), names[6], "", "no such entity"]
    out: list[tuple[str, dict[str, str]]] = []
    for q in ENTITY_QUERIES:
        out += [(q, {"entity": n}) for n in names]
    out += [("relations", {"relation": r}) for r in RELATIONS]
    out += [("relations", {"relation": r, "entity": n}) for r in RELATIONS[:3] for n in names[:3]]
    out += [("metrics", {"metric": m}) for m in METRICS]
    out += [("metrics", {"metric": m, "entity": n}) for m in METRICS[:3] for n in names[:3]]
    out += [("entities", {"class": c}) for c in CLASSES]
    out += [(q.name, {}) for q in list_saved() if not any(p.required for p in q.params)]
    return out


def _old(gs, name: str, values: dict[str, str]) -> Result:  # noqa: ANN001
    saved = get_saved(name)
    text = (BEFORE / f"{name}.rq").read_text(encoding="utf-8")
    result = gs.query(text, bind_params(values, saved.params, name))
    result.bindings = list(result.bindings)
    return _drop_columns(result, [p.name for p in saved.params])


def _new(gs, name: str, values: dict[str, str]) -> Result:  # noqa: ANN001
    saved = get_saved(name)
    bindings = bind_params(parse_params(values), saved.params, name)
    return _drop_columns(run_on(gs, saved.text, saved, values, bindings), [p.name for p in saved.params])


def _row(row) -> tuple:  # noqa: ANN001
    return tuple(sorted((str(k), v.n3()) for k, v in row.items() if v is not None))


def _value_row(row) -> tuple:  # noqa: ANN001
    """A row by value: Oxigraph writes 12000.0 (decimal) back as 12000, rdflib as it was read."""
    def value(term) -> str:  # noqa: ANN001
        python = term.toPython() if isinstance(term, Literal) else term
        return str(python.normalize()) if isinstance(python, Decimal) else str(python)
    return tuple(sorted((str(k), value(v)) for k, v in row.items() if v is not None))


def assert_same(old: Result, new: Result, name: str) -> None:
    """Same columns, same rows (as a multiset), and the old ORDER BY keys in the same sequence."""
    assert [str(v) for v in old.vars] == [str(v) for v in new.vars]
    assert Counter(map(_row, old.bindings)) == Counter(map(_row, new.bindings))
    _, keys = split_order((BEFORE / f"{name}.rq").read_text(encoding="utf-8"))
    assert keys, f"{name}: the old ORDER BY is on result columns"
    seq = lambda res: [tuple(order_value(r.get(k), s) for k, _, s in keys) for r in res.bindings]  # noqa: E731
    assert seq(old) == seq(new)


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
@pytest.mark.parametrize("graph_name", ["seeds", "corpus", "synthetic"])
def test_new_queries_answer_as_the_old_ones(graphs: dict[str, Path], graph_name: str, store: str) -> None:
    with open_store(graphs[graph_name], store) as gs:
        todo = cases(gs, few=store == "memory")
        nonempty = 0
        for name, values in todo:
            new = _new(gs, name, values)
            assert_same(_old(gs, name, values), new, name)
            nonempty += bool(new.bindings)
    assert nonempty > len(todo) / 3, "too few cases return rows to compare anything"


@pytest.mark.parametrize("graph_name", ["seeds", "synthetic"])
def test_both_stores_give_the_same_rows_in_the_same_order(graphs: dict[str, Path], graph_name: str) -> None:
    with open_store(graphs[graph_name], "memory") as mem, open_store(graphs[graph_name], "oxigraph") as oxi:
        for name, values in cases(mem, few=True):
            left, right = _new(mem, name, values), _new(oxi, name, values)
            assert [_value_row(r) for r in left.bindings] == [_value_row(r) for r in right.bindings], (name, values)


def test_every_saved_query_has_its_old_text_and_is_covered(graphs: dict[str, Path]) -> None:
    with open_store(graphs["seeds"], "memory") as gs:
        covered = {name for name, _ in cases(gs)}
    assert covered == {q.name for q in list_saved()} == {p.stem for p in BEFORE.glob("*.rq")}
