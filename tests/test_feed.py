"""The build's front half (kg.feed, issue 8): files read by the client as bytes, decoded and cleaned
by the session (on the workers with Dask), a file index beside the article cache.

The graph it gives must be the graph `kg.api.build` gives today, byte for byte; an unchanged file is
neither cleaned nor sent anywhere on a rebuild; an edited .jsonl is read again and its unchanged
articles are still reused; bad files are skipped with the reasons they always had.
"""
from __future__ import annotations

import importlib.util
import json
import time
from pathlib import Path

import pytest

import kg.ingest
from kg.api import BuildReport, _finish, _Run, build
from kg.cache import CACHE_DIR, ArticleCache, pipeline_key
from kg.engine import Settings, open_session, read_batch
from kg.feed import feed
from kg.ingest import DEFAULT_MAX_BYTES, SkipFile, documents_from, load_source, read_file
from kg.lexicon import load_lexicon

ROOT = Path(__file__).resolve().parent.parent
BLANK = "blank:en"  # the rules alone: fast, and the same for both builds compared
GRAPH_FILES = ("graph.trig", "graph.ttl", "graph.html")
RECORDS = [{"title": f"Kraken Adds Chain {n}", "text": f"Kraken said it adopted the Chainlink{n} oracle network "
            f"for its staking desk, the company said on day {n}."} for n in range(1, 4)]


def feed_build(folder: Path, out: Path, model: str | None = BLANK, engine: str = "local",
               scheduler: str | None = None, jobs: int = 1, force: bool = False, batch_size: int = 16,
               max_bytes: int = DEFAULT_MAX_BYTES, progress=None) -> BuildReport:  # noqa: ANN001
    """kg.api.build with its front half replaced by kg.feed.feed (the replacement proposed for it)."""
    started = time.perf_counter()
    folder, out = Path(folder), Path(out)
    settings = Settings(model=model, batch_size=batch_size)
    cache = ArticleCache(out, pipeline_key(settings, load_lexicon()))
    run = _Run()
    with open_session(engine, scheduler, settings, jobs) as session:
        feed(folder, out, session, cache, run, force, max_bytes, progress)
    return _finish(run, cache, out, started)


def generate(folder: Path, n: int, seed: int = 7) -> Path:
    """benchmarks/corpus.py's generator, loaded from its file."""
    spec = importlib.util.spec_from_file_location("kg_bench_corpus", ROOT / "benchmarks" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(folder, n, seed)
    return folder


def same_outputs(a: Path, b: Path) -> None:
    for name in GRAPH_FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def same_report(new: BuildReport, old: BuildReport) -> None:
    assert (new.articles, new.skipped, new.words, new.relations) == (old.articles, old.skipped, old.words,
                                                                       old.relations)


class Cleaning:
    """Counts `kg.ingest.documents_from` calls by file name (in this process); can fail one file."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, fail: str = "") -> None:
        self.names: list[str] = []
        real = kg.ingest.documents_from

        def counted(source, lex):  # noqa: ANN001, ANN202
            self.names.append(source.name)
            if source.name == fail:
                raise RuntimeError("boom")
            return real(source, lex)
        monkeypatch.setattr(kg.ingest, "documents_from", counted)


def _write(folder: Path, files: dict[str, bytes | str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return folder


def _jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


@pytest.fixture()
def mixed(tmp_path: Path) -> Path:
    return _write(tmp_path / "news", {
        "alpha.txt": "Kraken Adds Solana Staking\n\nKraken said on Monday that it adopted the Chainlink oracle.\n",
        "beta.md": "---\ntitle: Polygon Partners With Stripe\n---\n\nPolygon has partnered with Stripe, "
                   "the two companies said.\n",
        "wire.jsonl": _jsonl(RECORDS),
        "binary.txt": b"Stripe\x00completed\x00" * 40,
        "empty.md": b"  \n\n",
        "broken.json": b"{not json",
        "utf16.txt": b"\xff\xfe" + b"\x00\xd8",           # a BOM, then half a surrogate pair
        "big.txt": "Coinbase Buys Deribit\n\n" + "Coinbase acquired Deribit, it said. " * 300,
    })


# -- the same graph as kg.api.build ---------------------------------------------------------------------

def test_seeds_give_the_graph_of_api_build(tmp_path: Path) -> None:
    old = build(ROOT / "seeds", tmp_path / "old", model=BLANK)
    new = feed_build(ROOT / "seeds", tmp_path / "new")
    same_report(new, old)
    assert new.processed == old.processed == old.articles > 0
    same_outputs(tmp_path / "new", tmp_path / "old")


def test_a_generated_corpus_gives_the_graph_of_api_build(tmp_path: Path) -> None:
    corpus = generate(tmp_path / "corpus", 60)
    old = build(corpus, tmp_path / "old", model=BLANK, batch_size=8)
    new = feed_build(corpus, tmp_path / "new", batch_size=8, jobs=2)  # a process pool maps
    same_report(new, old)
    same_outputs(tmp_path / "new", tmp_path / "old")


def test_bad_files_are_skipped_with_todays_reasons_and_again_from_the_index(mixed: Path, tmp_path: Path) -> None:
    old = build(mixed, tmp_path / "old", model=BLANK, max_bytes=8_000)
    new = feed_build(mixed, tmp_path / "new", max_bytes=8_000)
    reasons = {s.path: s.reason for s in new.skipped}
    assert set(reasons) == {"binary.txt", "empty.md", "broken.json", "utf16.txt", "big.txt"}
    assert "binary" in reasons["binary.txt"] and reasons["empty.md"] == "empty file"
    assert "invalid JSON" in reasons["broken.json"] and reasons["utf16.txt"] == "invalid utf-16 text"
    assert "larger than" in reasons["big.txt"]
    same_report(new, old)
    same_outputs(tmp_path / "new", tmp_path / "old")
    again = feed_build(mixed, tmp_path / "new", max_bytes=8_000)  # skips of unchanged files: from the index
    assert again.skipped == old.skipped and again.reused == again.articles


# -- the file index ---------------------------------------------------------------------------------------

def test_a_rebuild_of_unchanged_files_cleans_nothing_and_starts_no_cluster(mixed: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    first = feed_build(mixed, out)
    before = {n: (out / n).read_bytes() for n in GRAPH_FILES}
    cleaning = Cleaning(monkeypatch)
    again = feed_build(mixed, out)
    assert cleaning.names == [] and (again.reused, again.processed, again.removed) == (first.articles, 0, 0)
    assert again.skipped == first.skipped
    assert {n: (out / n).read_bytes() for n in GRAPH_FILES} == before
    dask_engine = pytest.importorskip("kg.engines.dask_engine")

    def no_cluster(*args: object) -> None:
        raise AssertionError("a cluster was started")
    monkeypatch.setattr(dask_engine, "_connect", no_cluster)
    on_dask = feed_build(mixed, out, engine="dask", jobs=2)
    assert cleaning.names == [] and on_dask.reused == first.articles
    assert {n: (out / n).read_bytes() for n in GRAPH_FILES} == before


def test_an_edited_jsonl_is_read_again_and_its_unchanged_articles_reused(mixed: Path, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    first = feed_build(mixed, out)
    edited = [RECORDS[0], {**RECORDS[1], "text": RECORDS[1]["text"].replace("Chainlink2", "Arbitrum")}, RECORDS[2]]
    (mixed / "wire.jsonl").write_text(_jsonl(edited), encoding="utf-8")
    cleaning = Cleaning(monkeypatch)
    again = feed_build(mixed, out)
    assert cleaning.names == ["wire.jsonl"]
    assert (again.reused, again.processed, again.removed) == (first.articles - 1, 1, 0)
    fresh = tmp_path / "fresh"
    build(mixed, fresh, model=BLANK)
    same_outputs(out, fresh)


def test_force_reads_every_file_again(mixed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    feed_build(mixed, tmp_path / "out")
    cleaning = Cleaning(monkeypatch)
    report = feed_build(mixed, tmp_path / "out", force=True)
    assert sorted(cleaning.names) == ["alpha.txt", "beta.md", "big.txt", "broken.json", "empty.md", "utf16.txt",
                                      "wire.jsonl"]  # all but binary.txt, refused on its first bytes
    assert report.reused == 0 and report.processed == report.articles


def test_a_damaged_file_entry_or_article_entry_is_a_miss(mixed: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    first = feed_build(mixed, out)
    for entry in (out / CACHE_DIR / "files").glob("*.json"):
        if "wire-jsonl-2" in entry.read_text():
            entry.write_text("{not json")
    cleaning = Cleaning(monkeypatch)
    again = feed_build(mixed, out)
    assert cleaning.names == ["wire.jsonl"] and again.reused == first.articles  # articles: still cached
    article = json.loads((out / CACHE_DIR / "manifest.json").read_text())["articles"]["alpha-txt"]
    (out / CACHE_DIR / "articles" / f"{article}.json").unlink()
    cleaning.names.clear()
    third = feed_build(mixed, out)
    assert cleaning.names == ["alpha.txt"] and (third.reused, third.processed) == (first.articles - 1, 1)


def test_the_index_keeps_only_the_files_of_the_last_build(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    feed_build(mixed, out)
    files = out / CACHE_DIR / "files"
    count = len(list(files.glob("*.json")))
    assert count == 7  # every file cleaned, those skipped too; not binary.txt, refused before cleaning
    (mixed / "beta.md").unlink()
    report = feed_build(mixed, out)
    assert report.removed == 1 and len(list(files.glob("*.json"))) == count - 1


def test_a_file_whose_cleaning_raises_is_skipped_and_read_again_next_time(mixed: Path, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    cleaning = Cleaning(monkeypatch, fail="beta.md")
    report = feed_build(mixed, out)
    assert {s.path: s.reason for s in report.skipped}["beta.md"] == "reading failed: RuntimeError: boom"
    cleaning.names.clear()
    feed_build(mixed, out)
    assert cleaning.names == ["beta.md"]  # not recorded in the index: it may work next time


# -- the pieces -----------------------------------------------------------------------------------------

def test_read_file_is_load_source_then_documents_from(mixed: Path, lex) -> None:  # noqa: ANN001
    source = load_source(mixed / "wire.jsonl", mixed, base="wire")
    assert (source.name, source.base, source.suffix) == ("wire.jsonl", "wire", ".jsonl")
    assert documents_from(source, lex) == read_file(mixed / "wire.jsonl", mixed, lex, base="wire")
    with pytest.raises(SkipFile, match="larger than"):
        load_source(mixed / "big.txt", mixed, max_bytes=1000)
    with pytest.raises(SkipFile, match="empty file"):
        documents_from(load_source(mixed / "empty.md", mixed), lex)


def test_read_batch_reports_every_file(mixed: Path) -> None:
    sources = [load_source(mixed / n, mixed) for n in ("alpha.txt", "empty.md", "wire.jsonl")]
    reads = read_batch(sources)
    assert [r.name for r in reads] == ["alpha.txt", "empty.md", "wire.jsonl"]
    assert [len(r.documents) for r in reads] == [1, 0, 3] and all(r.cacheable for r in reads)
    assert [(s.path, s.reason) for s in reads[1].skipped] == [("empty.md", "empty file")]


def test_a_folder_of_bad_files_leaves_the_output_folder_alone(mixed: Path, tmp_path: Path) -> None:
    """Nothing but skips (the build then fails): the file index is written at commit, so --out is
    left as it was (article entries are written as results come, as before)."""
    for name in ("alpha.txt", "beta.md", "wire.jsonl", "big.txt"):
        (mixed / name).unlink()
    out = tmp_path / "out"
    settings = Settings(model=BLANK)
    cache, run = ArticleCache(out, pipeline_key(settings, load_lexicon())), _Run()
    with open_session("local", None, settings) as session:
        feed(mixed, out, session, cache, run)
    assert not run.results and len(run.skipped) == 4 and not out.exists()
