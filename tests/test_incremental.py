"""Incremental builds (issue 6): the per-article cache under OUT/.kg-cache, --force, kg clean,
removed articles leaving the graph, and a pool of workers giving the same bytes as one process."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import RDFS
from typer.testing import CliRunner

from kg.api import build
from kg.cache import CACHE_DIR, ArticleCache, article_key, pipeline_key, result_from_json, result_to_json
from kg.cli import app
from kg.engine import Settings
from kg.model import Document

ARTICLES = {
    "alpha.txt": "Kraken Adds Support for Solana Staking\n\nKraken said on Monday that it adopted the "
                 "Chainlink oracle network for its new staking desk.\n",
    "beta.md": "---\ntitle: Polygon Partners With Stripe\npublished: 2025-03-04\n---\n\nPolygon has partnered "
               "with Stripe to settle stablecoin payments, the two companies said.\n",
    "gamma.txt": "Aave Is Said To Weigh A New Market\n\nUniswap Labs reportedly invested in a wallet start-up "
                 "this week, according to people familiar with the matter.\n",
}


def _write(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _labels(out: Path) -> set[str]:
    ds = Dataset(default_union=True)
    ds.parse(out / "graph.trig", format="trig")
    return {str(o) for o in ds.objects(None, RDFS.label) if isinstance(o, Literal)}


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    return _write(tmp_path / "news", ARTICLES)


def test_first_build_processes_every_article_and_a_rebuild_reuses_them(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(corpus, out)
    assert (first.reused, first.processed, first.removed) == (0, 3, 0)
    before = {n: (out / n).read_bytes() for n in ("graph.trig", "graph.ttl", "graph.html")}
    second = build(corpus, out)
    assert (second.reused, second.processed, second.removed) == (3, 0, 0)
    assert {n: (out / n).read_bytes() for n in before} == before
    assert second.relations == first.relations and second.words == first.words > 0


def test_a_changed_article_is_the_only_one_re_processed(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(corpus, out)
    (corpus / "alpha.txt").write_text(ARTICLES["alpha.txt"].replace("Chainlink", "Arbitrum"), encoding="utf-8")
    report = build(corpus, out)
    assert (report.reused, report.processed, report.removed) == (2, 1, 0)
    labels = _labels(out)
    assert "Arbitrum" in labels and "Chainlink" not in labels


def test_a_removed_article_leaves_the_graph_with_its_only_entities(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(corpus, out)
    assert {"Stripe", "Polygon"} <= _labels(out)
    (corpus / "beta.md").unlink()
    report = build(corpus, out)
    assert (report.reused, report.processed, report.removed) == (2, 0, 1)
    labels = _labels(out)
    assert "Stripe" not in labels and "Polygon" not in labels
    assert "Kraken" in labels
    # the cache keeps only entries a current article uses
    manifest = json.loads((out / CACHE_DIR / "manifest.json").read_text())
    assert len(manifest["articles"]) == 2
    assert len(list((out / CACHE_DIR / "articles").glob("*.json"))) == 2


def test_force_re_processes_everything(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(corpus, out)
    report = build(corpus, out, force=True)
    assert (report.reused, report.processed) == (0, 3)


def test_a_damaged_cache_entry_is_a_miss_not_an_error(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(corpus, out)
    entries = sorted((out / CACHE_DIR / "articles").glob("*.json"))
    entries[0].write_text("{not json", encoding="utf-8")
    entries[1].write_text(json.dumps({"@type": "Mention"}), encoding="utf-8")
    report = build(corpus, out)
    assert (report.reused, report.processed) == (1, 2)


def test_kg_clean_empties_the_cache_and_the_next_build_processes_all(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    first = runner.invoke(app, ["build", str(corpus), "--out", str(out)])
    assert first.exit_code == 0, first.output
    assert "reused from the cache: 0  re-processed: 3  removed since the last build: 0" in first.stdout
    cleaned = runner.invoke(app, ["clean", "--out", str(out)])
    assert cleaned.exit_code == 0 and "3 cached article(s)" in cleaned.stdout
    assert not (out / CACHE_DIR).exists() and (out / "graph.trig").is_file()
    again = runner.invoke(app, ["build", str(corpus), "--out", str(out)])
    assert "re-processed: 3" in again.stdout
    assert runner.invoke(app, ["clean", "--out", str(out / "graph.trig")]).exit_code == 1


def test_the_cache_key_follows_text_metadata_model_and_ontology(lex) -> None:  # noqa: ANN001
    doc = Document("a", "a.txt", "Kraken adopted Chainlink.", published=None)
    base = pipeline_key(Settings(), lex)
    assert pipeline_key(Settings(), lex) == base
    assert pipeline_key(Settings(model="blank:en"), lex) != base
    other_lexicon = type("L", (), {"fingerprint": lex.fingerprint + "x"})()
    assert pipeline_key(Settings(), other_lexicon) != base
    key = article_key(doc, base)
    assert article_key(Document("a", "a.txt", "Kraken adopted Chainlink!"), base) != key
    assert article_key(Document("a", "a.txt", "Kraken adopted Chainlink.", headline="H"), base) != key
    assert article_key(doc, "other-pipeline") != key


def test_cached_results_round_trip_through_json(corpus: Path, tmp_path: Path) -> None:
    from kg.article import process
    from kg.ingest import iter_documents
    from kg.lexicon import load_lexicon

    docs = [d for d in iter_documents(corpus, load_lexicon()) if isinstance(d, Document)]
    for result in process(docs):
        assert result_from_json(json.loads(json.dumps(result_to_json(result)))) == result


def test_two_workers_give_the_same_bytes_as_one_process(corpus: Path, tmp_path: Path) -> None:
    for i in range(5):  # more articles than one batch, so both workers get work
        _write(corpus, {f"copy{i}-{k}": v.replace("Kraken", f"Kraken{i}") for k, v in ARTICLES.items()})
    one, two = tmp_path / "one", tmp_path / "two"
    build(corpus, one, batch_size=2)
    report = build(corpus, two, jobs=2, batch_size=2)
    assert report.processed == 18
    for name in ("graph.trig", "graph.ttl", "graph.html"):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_a_new_cache_is_used_per_output_folder(corpus: Path, tmp_path: Path) -> None:
    build(corpus, tmp_path / "a")
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    report = build(corpus, tmp_path / "b")
    assert report.reused == 3
    assert ArticleCache(tmp_path / "c", "p").previous_articles() == set()
