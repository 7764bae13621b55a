"""Exit codes of every `kg` command: 0 success, 1 failure with one line on stderr ("error: ..."),
2 usage errors; never a traceback, and nothing on stdout when a command fails.

The command list is read from the app, so a new command is covered by the generic checks at once.
"""
from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgtest_helpers import run_cli
from kg.cli import app

COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)
GRAPH_COMMANDS = [  # commands reading a built graph, with the other arguments they need
    ("query", ["SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"]),
    ("render", []),
    ("validate", []),
    ("export", ["--format", "nquads"]),
    ("export", ["--format", "csv"]),
    ("serve", ["--port", "0"]),
]


run = run_cli


def failed(result, code: int = 1) -> str:  # noqa: ANN001
    """The one error line of a failed command (exit `code`, nothing on stdout)."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert "unexpected" not in lines[0], f"a user error reported as an internal one: {lines[0]}"
    assert result.stdout == ""
    return lines[0]


def usage_error(result) -> None:  # noqa: ANN001
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.strip()


@pytest.fixture(scope="module")
def graph(seeds_build) -> Path:  # noqa: ANN001
    return seeds_build.out / "graph.trig"


# -- every command ----------------------------------------------------------------------------------------

def test_the_commands_are_known() -> None:
    assert {"build", "query", "eval", "render", "serve", "validate", "export"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_exits_0(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.stdout and command in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_unknown_option_is_a_usage_error(command: str) -> None:
    usage_error(run(command, "--no-such-option"))


def test_unknown_command_is_a_usage_error() -> None:
    usage_error(run("no-such-command"))


def test_no_arguments_shows_the_commands() -> None:
    result = CliRunner().invoke(app, [])
    assert result.exit_code in (0, 2)
    assert "build" in result.stdout + result.stderr and "Traceback" not in result.stdout + result.stderr


# -- a missing or unusable graph: exit 1, one line naming it ------------------------------------------------

@pytest.mark.parametrize("command, extra", GRAPH_COMMANDS, ids=[f"{c}-{'-'.join(e)[:12]}" for c, e in GRAPH_COMMANDS])
def test_missing_graph(tmp_path: Path, command: str, extra: list[str]) -> None:
    missing = tmp_path / "never-built" / "graph.trig"
    line = failed(run(command, *extra, "--graph", str(missing)))
    assert str(missing) in line and "kg build" in line
    assert not missing.parent.exists()


@pytest.mark.parametrize("command, extra", GRAPH_COMMANDS, ids=[f"{c}-{'-'.join(e)[:12]}" for c, e in GRAPH_COMMANDS])
@pytest.mark.parametrize("content", ["this is { not trig", "\x00\x01binary"])
def test_unparsable_graph(tmp_path: Path, command: str, extra: list[str], content: str) -> None:
    bad = tmp_path / "graph.trig"
    bad.write_text(content, encoding="utf-8")
    assert "graph.trig" in failed(run(command, *extra, "--graph", str(bad)))
    assert bad.read_text(encoding="utf-8") == content


@pytest.mark.parametrize("command, extra", GRAPH_COMMANDS, ids=[f"{c}-{'-'.join(e)[:12]}" for c, e in GRAPH_COMMANDS])
def test_graph_of_unknown_format(tmp_path: Path, command: str, extra: list[str]) -> None:
    odd = tmp_path / "graph.xyz"
    odd.write_text("<a> <b> <c> .\n", encoding="utf-8")
    assert "graph.xyz" in failed(run(command, *extra, "--graph", str(odd)))


def test_load_missing_source(tmp_path: Path) -> None:
    assert "nowhere" in failed(run("load", str(tmp_path / "nowhere")))


def test_eval_missing_gold(tmp_path: Path, graph: Path) -> None:
    assert "no-gold.jsonl" in failed(run("eval", str(tmp_path / "no-gold.jsonl"), str(graph.parent)))


def test_eval_missing_target(tmp_path: Path, project_root: Path) -> None:
    assert "nowhere" in failed(run("eval", str(project_root / "seeds" / "gold.jsonl"), str(tmp_path / "nowhere")))


def test_eval_gold_that_is_not_jsonl(tmp_path: Path, graph: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("this is not json\n", encoding="utf-8")
    assert "gold.jsonl" in failed(run("eval", str(gold), str(graph.parent)))


def test_query_missing_rq_file(tmp_path: Path, graph: Path) -> None:
    assert "absent.rq" in failed(run("query", str(tmp_path / "absent.rq"), "--graph", str(graph)))


def test_query_malformed_sparql(graph: Path) -> None:
    failed(run("query", "SELECT ?s WHERE { ?s ?p ", "--graph", str(graph)))


def test_render_unknown_focus(tmp_path: Path, graph: Path) -> None:
    line = failed(run("render", "--graph", str(graph), "--focus", "No Such Entity Anywhere",
                      "--out", str(tmp_path / "x.html")))
    assert "No Such Entity Anywhere" in line
    assert not (tmp_path / "x.html").exists()


def test_serve_on_a_busy_port(graph: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert str(port) in failed(run("serve", "--graph", str(graph), "--port", str(port)))


def test_clean_a_file_instead_of_a_folder(tmp_path: Path) -> None:
    f = tmp_path / "out"
    f.write_text("mine\n", encoding="utf-8")
    assert "out" in failed(run("clean", "--out", str(f)))
    assert f.read_text(encoding="utf-8") == "mine\n"


def test_build_with_a_model_that_is_not_installed(tmp_path: Path, project_root: Path) -> None:
    line = failed(run("build", str(project_root / "seeds"), "--out", str(tmp_path / "out"),
                      "--model", "no_such_spacy_model"))
    assert "no_such_spacy_model" in line
    assert not (tmp_path / "out" / "graph.trig").exists()


# -- outputs that cannot be written where asked -----------------------------------------------------------

def test_render_out_is_a_folder(tmp_path: Path, graph: Path) -> None:
    folder = tmp_path / "page"
    folder.mkdir()
    assert "page" in failed(run("render", "--graph", str(graph), "--out", str(folder)))


def test_render_out_under_a_file(tmp_path: Path, graph: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("mine\n", encoding="utf-8")
    assert "blocker" in failed(run("render", "--graph", str(graph), "--out", str(blocker / "x.html")))


def test_export_out_under_a_file(tmp_path: Path, graph: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("mine\n", encoding="utf-8")
    assert "blocker" in failed(run("export", "--format", "nquads", "--graph", str(graph),
                                   "--out", str(blocker / "x.nq")))


def test_load_out_is_a_file(tmp_path: Path, graph: Path) -> None:
    pytest.importorskip("pyoxigraph")
    mine = tmp_path / "notes.txt"
    mine.write_text("my notes\n", encoding="utf-8")
    result = run("load", str(graph), "--out", str(mine))
    assert mine.is_file() and mine.read_text(encoding="utf-8") == "my notes\n", "the user's file was replaced"
    assert "notes.txt" in failed(result)


# -- usage errors: exit 2 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["build"],
    ["build", "seeds", "--max-file-mb", "0"],
    ["build", "seeds", "--max-file-mb", "ten"],
    ["build", "seeds", "--batch-size", "0"],
    ["build", "seeds", "--jobs", "0"],
    ["build", "seeds", "--store", "bogus"],
    ["build", "seeds", "--engine", "bogus"],
    ["build", "seeds", "--scheduler", "tcp://127.0.0.1:1"],      # --scheduler needs --engine dask
    ["query"],
    ["query", "--format"],
    ["query", "SELECT * WHERE { ?s ?p ?o }", "--format", "yaml"],
    ["query", "SELECT * WHERE { ?s ?p ?o }", "--store", "bogus"],
    ["query", "about-entity", "--param", "no-equals-sign"],
    ["query", "no-such-saved-query"],
    ["eval"],
    ["eval", "gold.jsonl"],
    ["export"],                                                  # --format is required
    ["export", "--format", "bogus"],
    ["render", "--hops", "2"],                                   # --hops needs --focus
    ["render", "--max-nodes", "0"],
    ["render", "--focus", "ZKsync", "--hops", "-1"],
    ["serve", "--port", "99999"],
    ["serve", "--threads", "0"],
    ["serve", "--timeout", "0"],
    ["serve", "--store", "bogus"],
    ["validate", "--limit", "0"],
    ["validate", "--limit", "x"],
    ["load", "--store", "memory"],
    ["clean", "extra-argument"],
])
def test_usage_errors_exit_2(args: list[str], workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workdir)
    before = sorted(p.name for p in workdir.rglob("*"))
    usage_error(run(*args))
    assert sorted(p.name for p in workdir.rglob("*")) == before      # nothing written


@pytest.fixture(scope="module")
def workdir(graph: Path, project_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder where the defaults exist (output/graph.trig, seeds/, gold.jsonl): only the usage is wrong."""
    import shutil

    root = tmp_path_factory.mktemp("workdir")
    (root / "output").mkdir()
    shutil.copy(graph, root / "output" / "graph.trig")
    (root / "seeds").symlink_to(project_root / "seeds", target_is_directory=True)
    shutil.copy(project_root / "seeds" / "gold.jsonl", root / "gold.jsonl")
    return root
