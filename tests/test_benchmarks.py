"""Smoke tests of benchmarks/: the corpus generator and each bench script at a tiny size."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.ingest import iter_documents
from kg.lexicon import load_lexicon
from kg.model import Document, Skipped

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_generator_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    corpus.generate(tmp_path / "a", 12, seed=3)
    corpus.generate(tmp_path / "b", 12, seed=3)
    corpus.generate(tmp_path / "c", 12, seed=4)
    assert _snapshot(tmp_path / "a") == _snapshot(tmp_path / "b")
    assert _snapshot(tmp_path / "a") != _snapshot(tmp_path / "c")


def test_generator_writes_n_readable_articles_of_realistic_length(tmp_path: Path) -> None:
    files = corpus.generate(tmp_path, 30, seed=1)
    items = list(iter_documents(tmp_path, load_lexicon()))
    assert [i for i in items if isinstance(i, Skipped)] == []
    docs = [i for i in items if isinstance(i, Document)]
    assert len(docs) == 30
    assert len(files) <= 30
    assert {f.suffix for f in files} >= {".txt", ".md"}
    for d in docs:
        assert 230 <= len(d.text.split()) <= 700, d.file_name
        assert d.headline and d.publisher and d.published is not None, d.file_name
    text = " ".join(d.text for d in docs)
    assert "has not" in text and ("reportedly" in text or "is said to" in text)


def _run(script: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BENCH / script), *args], capture_output=True, text=True,
                          timeout=timeout)


def test_bench_build_tiny(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    proc = _run("bench_build.py", "--docs", "3", "--jobs", "1", "--model", "blank:en",
                "--corpus", str(tmp_path / "corpus"), "--json", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "| jobs |" in proc.stdout and "| stage |" in proc.stdout
    run = json.loads(out.read_text())["runs"][0]
    assert run["build"]["articles"] == 3 and run["floor"]["docs"] == 3
    assert run["rebuild"]["reused"] == 3 and run["build"]["peak_rss_mb"] > 0


def test_bench_query_tiny() -> None:
    proc = _run("bench_query.py", "--triples", "2000", "--repeat", "2", "--queries", "endorsements", "entities")
    assert proc.returncode == 0, proc.stderr
    assert "| endorsements entity=ZKsync |" in proc.stdout and "oxigraph" in proc.stdout
    assert "(engine " in proc.stdout  # Oxigraph alone on the same query, beside kg query's time


@pytest.mark.parametrize("docs", [2])
def test_bench_rebuild_tiny(tmp_path: Path, docs: int) -> None:
    corpus.generate(tmp_path / "c", docs, seed=0)
    proc = _run("bench_rebuild.py", "--folder", str(tmp_path / "c"), "--model", "blank:en")
    assert proc.returncode == 0, proc.stderr
    assert "rebuild / first" in proc.stdout


def test_figures_table_from_saved_results(tmp_path: Path) -> None:
    """benchmarks/figures.py turns the scripts' JSON into the README table between its markers."""
    root = Path(__file__).resolve().parent.parent
    results = tmp_path / "results"
    results.mkdir()
    run = {"jobs": 1, "ratio": 0.5, "floor": {"words_per_s": 200},
           "build": {"words": 1000, "words_per_s": 100, "seconds": 10.0, "peak_rss_mb": 300, "stages": {"write html": 1.25}}}
    (results / "build.json").write_text(json.dumps({"machine": "test machine", "docs": 10, "runs": [run]}))
    queries = {"a entity=X": {"p50_ms": 150.0, "engine_p50_ms": 90.0}, "a (all)": {"p50_ms": 2500.0, "engine_p50_ms": 2000.0}}
    (results / "query.json").write_text(json.dumps({"machine": "test machine", "runs": [
        {"quads": 1_000_000, "store": "oxigraph", "result": {"queries": queries}}]}))
    readme = tmp_path / "README.md"
    readme.write_text("intro\n<!-- figures -->\nold\n<!-- /figures -->\nrest\n")
    done = subprocess.run([sys.executable, str(root / "benchmarks" / "figures.py"), "--results", str(results),
                           "--readme", str(readme)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    text = readme.read_text()
    assert "old" not in text and text.startswith("intro\n") and text.endswith("rest\n")
    assert "with a parameter: 150 ms–150 ms (0 of 1 under 100 ms; Oxigraph alone 90 ms–90 ms, 1 under 100 ms)" in text
    assert "without (all rows): 2.5 s–2.5 s (0 of 1 under 100 ms; Oxigraph alone 2.0 s–2.0 s, 0 under 100 ms)" in text
    assert "**0.50 × the floor**" in text and "300 MB" in text and "1.2 s" in text and "test machine" in text
