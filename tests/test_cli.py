"""The `kg` command: exit codes, one-line errors on stderr, data on stdout, no tracebacks."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgtest_helpers import run_cli
from kg.cli import app

SENTINEL = b"# a graph the user built earlier: must survive a failed build\n"
PERSONS = "SELECT ?name WHERE { ?e a kg:Person ; rdfs:label ?name } ORDER BY ?name"


run = run_cli


def one_line_error(result) -> str:  # noqa: ANN001
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


# -- kg build: failures leave --out untouched ----------------------------------------------------------

def _out_with_sentinel(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.trig").write_bytes(SENTINEL)
    return out


def _assert_untouched(out: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == ["graph.trig"]
    assert (out / "graph.trig").read_bytes() == SENTINEL


def test_build_missing_folder(tmp_path: Path) -> None:
    out = _out_with_sentinel(tmp_path)
    missing = tmp_path / "no-such-folder"
    result = run("build", str(missing), "--out", str(out))
    assert result.exit_code == 1
    line = one_line_error(result)
    assert "no-such-folder" in line
    assert result.stdout == ""
    _assert_untouched(out)


def test_build_empty_folder(tmp_path: Path) -> None:
    out = _out_with_sentinel(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("build", str(empty), "--out", str(out))
    assert result.exit_code == 1
    assert "no articles" in one_line_error(result)
    _assert_untouched(out)


def test_build_folder_without_articles(tmp_path: Path) -> None:
    out = _out_with_sentinel(tmp_path)
    folder = tmp_path / "junk"
    folder.mkdir()
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "meta.json").write_text('{"title": "no body"}', encoding="utf-8")
    result = run("build", str(folder), "--out", str(out))
    assert result.exit_code == 1
    assert "no articles" in one_line_error(result)
    _assert_untouched(out)


def test_build_a_file_instead_of_a_folder(tmp_path: Path) -> None:
    out = _out_with_sentinel(tmp_path)
    article = tmp_path / "one.txt"
    article.write_text("Stripe Completes Bridge Deal\n\nStripe completed its acquisition of Bridge.\n", encoding="utf-8")
    result = run("build", str(article), "--out", str(out))
    assert result.exit_code == 1
    one_line_error(result)
    _assert_untouched(out)


def test_build_without_arguments_is_a_usage_error() -> None:
    result = run("build")
    assert result.exit_code == 2


# -- kg build: success -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cli_build(project_root: Path, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    out = tmp_path_factory.mktemp("cli_build")
    return run("build", str(project_root / "seeds"), "--out", str(out)), out


def test_build_seeds(cli_build) -> None:  # noqa: ANN001
    result, out = cli_build
    assert result.exit_code == 0, result.stderr
    assert "articles read" in result.stdout
    for name in ("graph.trig", "graph.ttl", "graph.html"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    # the outputs and the hidden article cache; no half-written temporary files anywhere
    assert sorted(p.name for p in out.iterdir()) == [".kg-cache", "graph.html", "graph.trig", "graph.ttl"]
    assert not [p for p in out.rglob("*.tmp")]
    assert (out / ".kg-cache" / "manifest.json").is_file()


def test_build_seeds_summary_counts_the_articles(cli_build, seeds_build) -> None:  # noqa: ANN001
    result, _ = cli_build
    assert f"articles read: {seeds_build.report.articles}" in result.stdout
    assert seeds_build.report.articles >= 14       # 14 files, one of them a multi-record .jsonl


def test_build_twice_gives_the_same_graph(cli_build, seeds_build) -> None:  # noqa: ANN001
    _, out = cli_build
    assert (out / "graph.trig").read_bytes() == (seeds_build.out / "graph.trig").read_bytes()
    assert (out / "graph.ttl").read_bytes() == (seeds_build.out / "graph.ttl").read_bytes()


# -- kg query ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def graph(seeds_build) -> Path:  # noqa: ANN001
    return seeds_build.out / "graph.trig"


def test_query_missing_graph(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "graph.trig"
    result = run("query", PERSONS, "--graph", str(missing))
    assert result.exit_code == 1
    line = one_line_error(result)
    assert str(missing) in line
    assert "kg build" in line
    assert result.stdout == ""


def test_query_default_graph_location_when_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("query", PERSONS)
    assert result.exit_code == 1
    line = one_line_error(result)
    assert "graph.trig" in line and "kg build" in line


@pytest.mark.parametrize("query", [
    "SELEC ?x WHERE { ?x ?p ?o }",
    "SELECT ?x WHERE { ?x ?p ?o ",
    "SELECT ?x WHERE { ?x undeclared:thing ?o }",
])
def test_query_malformed(graph: Path, query: str) -> None:
    result = run("query", query, "--graph", str(graph))
    assert result.exit_code == 1
    one_line_error(result)
    assert result.stdout == ""


def test_query_select_table(graph: Path) -> None:
    result = run("query", PERSONS, "--graph", str(graph))
    assert result.exit_code == 0, result.stderr
    assert "Vitalik Buterin" in result.stdout
    assert "Michael Saylor" in result.stdout


def test_query_select_csv(graph: Path) -> None:
    result = run("query", PERSONS, "--graph", str(graph), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["name"]
    names = [r[0] for r in rows[1:]]
    assert "Vitalik Buterin" in names
    assert names == sorted(names)


def test_query_select_json(graph: Path) -> None:
    result = run("query", PERSONS, "--graph", str(graph), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["head"]["vars"] == ["name"]
    names = [b["name"]["value"] for b in data["results"]["bindings"]]
    assert "Vitalik Buterin" in names
    assert all(b["name"]["type"] == "literal" for b in data["results"]["bindings"])


def test_query_ask(graph: Path) -> None:
    q = ('ASK { ?p rdfs:label "Stripe" . ?b rdfs:label "Bridge" . ?p kg:acquires ?b }')
    result = run("query", q, "--graph", str(graph))
    assert result.exit_code == 0
    assert result.stdout.strip() == "true"


def test_query_from_rq_file(graph: Path, tmp_path: Path) -> None:
    rq = tmp_path / "people.rq"
    rq.write_text(PERSONS + "\n", encoding="utf-8")
    result = run("query", str(rq), "--graph", str(graph), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert "Vitalik Buterin" in result.stdout.splitlines()[1:]


def test_query_missing_rq_file(graph: Path, tmp_path: Path) -> None:
    result = run("query", str(tmp_path / "absent.rq"), "--graph", str(graph))
    assert result.exit_code == 1
    assert "absent.rq" in one_line_error(result)


@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX kg: <https://w3id.org/crypto-kg/ontology#> CLEAR ALL",
])
def test_query_refuses_updates(graph: Path, update: str) -> None:
    before = graph.read_bytes()
    result = run("query", update, "--graph", str(graph))
    assert result.exit_code == 1
    one_line_error(result)
    assert graph.read_bytes() == before


def test_query_unknown_format(graph: Path) -> None:
    result = run("query", PERSONS, "--graph", str(graph), "--format", "yaml")
    assert result.exit_code in (1, 2)
    one_line_error(result)


def test_query_unparsable_graph(tmp_path: Path) -> None:
    bad = tmp_path / "graph.trig"
    bad.write_text("this is { not trig", encoding="utf-8")
    result = run("query", PERSONS, "--graph", str(bad))
    assert result.exit_code == 1
    assert "graph.trig" in one_line_error(result)


# -- help ----------------------------------------------------------------------------------------------

def test_help_lists_commands() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "build" in result.stdout and "query" in result.stdout


def test_no_arguments_shows_help() -> None:
    result = CliRunner().invoke(app, [])
    assert "build" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_python_dash_m_kg_help(project_root: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True, text=True, timeout=120,
                          cwd=project_root)
    assert proc.returncode == 0, proc.stderr
    assert "build" in proc.stdout and "query" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
