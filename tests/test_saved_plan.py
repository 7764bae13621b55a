"""How `kg query` runs a saved query: `# if` blocks, precomputed sub-queries, rows sorted in Python,
the table's row limit; and the store fixes that came with it (GROUP BY on nothing, empty VALUES,
`kg load --out` onto something that is not a store)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.term import Variable

from kg.errors import InputError
from kg.query import TABLE_ROWS, format_result, keep_blocks, order_value, sort_rows, split_order
from kg.saved import execute, precompute, run_saved
from kg.store import open_store, persist_oxigraph

QUERY = """PREFIX kg: <https://w3id.org/crypto-kg/ontology#>
SELECT ?entity ?name ?n
WHERE {
  # if entity: only this one
  # precompute: its nodes
  {
    SELECT ?entity ?e WHERE { ?e kg:label ?name FILTER (STR(?name) = STR(?entity)) }
  }
  # end precompute
  # end entity
  ?e kg:n ?n .
}
ORDER BY DESC(?n) STR(?name)
"""


@pytest.fixture(scope="module")
def graph(seeds_build, tmp_path_factory) -> Path:  # noqa: ANN001
    folder = tmp_path_factory.mktemp("plan_graph")
    shutil.copy(seeds_build.out / "graph.trig", folder / "graph.trig")
    return folder / "graph.trig"


def test_if_blocks_are_left_out_for_parameters_not_given() -> None:
    without = keep_blocks(QUERY, set())
    assert "precompute" not in without and "?e kg:n ?n" in without and "# if" not in without
    assert keep_blocks(QUERY, {"entity"}) == QUERY


def test_order_by_on_columns_is_taken_out_and_read() -> None:
    text, keys = split_order(QUERY)
    assert "ORDER BY" not in text
    assert keys == [("n", True, False), ("name", False, True)]
    for unsupported in ("ORDER BY ?n LIMIT 3", "ORDER BY (?n + 1)", "ORDER BY ?notProjected"):
        assert split_order(QUERY.rsplit("ORDER BY", 1)[0] + unsupported)[1] is None


def test_rows_sort_as_sparql_orders_them_and_ties_are_broken_by_every_column() -> None:
    n, name = Variable("n"), Variable("name")
    rows = [{n: Literal(2), name: Literal("b")}, {n: Literal(10), name: Literal("a")},
            {name: Literal("z")}, {n: Literal(2), name: Literal("a")}, {n: URIRef("urn:x"), name: BNode("q")}]
    out = sort_rows(rows, [n, name], [("n", False, False), ("name", False, False)])
    assert [r.get(n) for r in out] == [None, URIRef("urn:x"), Literal(2), Literal(2), Literal(10)]
    assert [str(r[name]) for r in out][2:4] == ["a", "b"]
    assert order_value(Literal("10")) < order_value(Literal("9")) and order_value(Literal(10)) > order_value(Literal(9))
    assert order_value(BNode("x"), as_string=True) == order_value(None)


class _FakeStore:
    """Answers the precomputed sub-query with fixed rows and records what it was asked."""

    def __init__(self, rows: list[dict]) -> None:
        self.rows, self.asked = rows, []

    def query(self, text: str, bindings: dict, trusted: bool = False):  # noqa: ANN201
        from rdflib.query import Result

        self.asked.append((text, dict(bindings), trusted))
        out = Result("SELECT")
        out.vars, out.bindings = [Variable("entity"), Variable("e")], self.rows
        return out


def test_precompute_puts_the_answers_in_place_as_values_and_keeps_the_parameter_bound() -> None:
    e = Variable("e")
    gs = _FakeStore([{e: URIRef("urn:a")}, {e: URIRef("urn:b")}])
    text = precompute(gs, QUERY, {"entity": Literal("x")})
    assert "VALUES (?e) { (<urn:a>) (<urn:b>) }" in text and "SELECT ?entity ?e" not in text
    [(sub, binds, trusted)] = gs.asked
    assert sub.startswith("PREFIX kg:") and "SELECT ?entity ?e" in sub and binds == {"entity": Literal("x")} and trusted
    assert "VALUES (?e) {  }" in precompute(_FakeStore([]), QUERY, {"entity": Literal("x")})
    assert "SELECT ?entity ?e" in precompute(_FakeStore([{e: BNode("b")}]), QUERY, {"entity": Literal("x")})  # no VALUES
    with pytest.raises(InputError):
        precompute(gs, QUERY.replace("  # end precompute\n", ""), {})


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_group_by_matching_nothing_gives_no_row_on_both_stores(graph: Path, store: str) -> None:
    assert execute("articles-mentioning", graph, {"entity": "no such entity"}, store).bindings == []
    with open_store(graph, store) as gs:
        res = gs.query("SELECT ?s (COUNT(*) AS ?n) WHERE { ?s kg:nothing ?o } GROUP BY ?s")
        assert list(res.bindings) == []
        assert [int(r[0]) for r in gs.query("SELECT (COUNT(*) AS ?n) WHERE { ?s kg:nothing ?o }")] == [0]
        assert list(gs.query("SELECT * WHERE { VALUES ?s { } ?s ?p ?o }").bindings) == []


def test_the_table_shows_its_first_rows_and_says_how_many_there_are(graph: Path) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    total = len(execute(query, graph).bindings)
    assert total > TABLE_ROWS
    table = run_saved(query, graph)
    assert f"showing the first {TABLE_ROWS:,} of {total:,} rows" in table
    assert table.count("\n│") <= TABLE_ROWS * 3
    assert len(run_saved(query, graph, fmt="tsv").splitlines()) == total + 1
    assert len(run_saved(query, graph, fmt="tsv", limit=5).splitlines()) == 6
    assert f"{total} row(s)" in run_saved(query, graph, limit=0)
    assert "2 row(s)" in format_result(execute(query + " LIMIT 2", graph))


def test_table_cells_are_text_not_markup(graph: Path) -> None:
    table = run_saved('SELECT ?x WHERE { BIND ("[bold]not markup[/bold]" AS ?x) }', graph)
    assert "[bold]not markup[/bold]" in table


def test_load_refuses_a_folder_that_is_not_a_store(graph: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyoxigraph")
    mine = tmp_path / "papers"
    mine.mkdir()
    (mine / "draft.txt").write_text("mine\n", encoding="utf-8")
    with pytest.raises(InputError, match="papers"):
        persist_oxigraph(graph, mine, force=True)
    assert (mine / "draft.txt").read_text(encoding="utf-8") == "mine\n"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert persist_oxigraph(graph, empty, force=True) == empty and (empty / "store").is_dir()
    assert persist_oxigraph(graph, empty, force=True) == empty  # a store folder is replaced


def test_cli_limit_prints_that_many_rows_and_zero_prints_all(seeds_build) -> None:  # noqa: ANN001
    """`kg query --limit N`: N data rows in a TSV (plus its header), every row with 0, exit 2 when negative."""
    from kgtest_helpers import run_cli

    graph = str(seeds_build.out / "graph.trig")
    full = run_cli("query", "entities", "--graph", graph, "--format", "tsv", "--limit", "0")
    assert full.exit_code == 0
    rows = full.stdout.strip().splitlines()
    assert len(rows) > 6
    three = run_cli("query", "entities", "--graph", graph, "--format", "tsv", "--limit", "3")
    assert three.exit_code == 0
    assert three.stdout.strip().splitlines()[:4] == rows[:4]
    assert len(three.stdout.strip().splitlines()) == 4
    bad = run_cli("query", "entities", "--graph", graph, "--limit", "-1")
    assert bad.exit_code == 2 and "--limit" in bad.stderr
