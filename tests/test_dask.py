"""The Dask engine (kg.engines.dask_engine) on a real LocalCluster: 2 worker processes on loopback.

The graph a Dask build writes must be the graph a local build writes, byte for byte: on seeds/, on
a generated corpus, and when a worker is killed in the middle of the build.
"""
from __future__ import annotations

import dataclasses
import importlib.util
import json
import math
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset
from rdflib.compare import isomorphic
from typer.testing import CliRunner

distributed = pytest.importorskip("distributed")

from kg.api import build  # noqa: E402
from kg.cli import app  # noqa: E402
from kg.engine import Settings, open_session  # noqa: E402
from kg.engines import dask_engine  # noqa: E402
from kg.errors import EngineError  # noqa: E402
from kg.model import Document  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS_SIZE = 200
BLANK = "blank:en"  # the rules alone: a few hundred articles in seconds


@pytest.fixture(scope="module")
def cluster():  # noqa: ANN201
    """A Client on a LocalCluster of 2 single-threaded worker processes on loopback."""
    lc = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, scheduler_kwargs=dask_engine.NO_HTTP_PORT)
    client = distributed.Client(lc)
    yield client
    client.close()
    lc.close()


def generate(folder: Path, n: int, seed: int = 7) -> None:
    """benchmarks/corpus.py's generator (the benchmarks' corpus), loaded from its file."""
    path = ROOT / "benchmarks" / "corpus.py"
    spec = importlib.util.spec_from_file_location("kg_bench_corpus", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(folder, n, seed)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:  # noqa: ANN001
    folder = tmp_path_factory.mktemp("dask_corpus")
    generate(folder, CORPUS_SIZE)
    return folder


@pytest.fixture(scope="module")
def corpus_local(corpus: Path, tmp_path_factory):  # noqa: ANN001, ANN201
    """The reference: the corpus built by the local engine in this process."""
    out = tmp_path_factory.mktemp("dask_corpus_local")
    return build(corpus, out, model=BLANK, force=True), out


def quads(path: Path) -> Dataset:
    ds = Dataset()
    ds.parse(path, format="trig")
    return ds


def assert_same_graph(a: Path, b: Path) -> None:
    """Byte-identical graph.trig (hence isomorphic; checked too, graph by graph, for a clear failure)."""
    left, right = quads(a / "graph.trig"), quads(b / "graph.trig")
    names = lambda ds: sorted(str(g.identifier) for g in ds.graphs())  # noqa: E731
    assert names(left) == names(right)
    for name in names(left):
        assert isomorphic(left.graph(name), right.graph(name)), name
    assert (a / "graph.trig").read_bytes() == (b / "graph.trig").read_bytes()


# -- the same graph as a local build --------------------------------------------------------------------

def test_seeds_graph_is_the_local_graph(cluster, seeds_build, tmp_path: Path) -> None:  # noqa: ANN001
    report = build(ROOT / "seeds", tmp_path, engine="dask", scheduler=cluster.scheduler.address, force=True)
    assert report.articles == seeds_build.report.articles and report.processed == report.articles
    assert report.skipped == seeds_build.report.skipped
    assert_same_graph(tmp_path, seeds_build.out)


def pipeline_loads(client) -> dict[str, dict]:  # noqa: ANN001
    """Each worker's `kg.annotate.load_pipeline` cache counters (hits, misses = loads)."""
    return client.run(lambda: __import__("kg.annotate").annotate.load_pipeline.cache_info()._asdict())


def test_generated_corpus_graph_is_the_local_graph(cluster, corpus_local, corpus: Path, tmp_path: Path) -> None:  # noqa: ANN001
    local, local_out = corpus_local
    before = pipeline_loads(cluster)
    report = build(corpus, tmp_path, model=BLANK, batch_size=16, engine="dask",
                   scheduler=cluster.scheduler.address, force=True)
    after = pipeline_loads(cluster)
    assert report.articles == local.articles >= CORPUS_SIZE and not report.skipped
    assert report.words == local.words and report.relations == local.relations
    assert_same_graph(tmp_path, local_out)
    # each worker process loaded the pipeline at most once, however many batches (tasks) it ran
    assert set(after) == set(before) and len(after) == 2
    calls = {w: sum(after[w][k] - before[w][k] for k in ("hits", "misses")) for w in after}
    loads = {w: after[w]["misses"] - before[w]["misses"] for w in after}
    assert sum(calls.values()) == math.ceil(report.processed / 16)  # one call per batch ...
    assert all(n > 0 for n in calls.values()), calls  # ... spread over both workers ...
    assert all(n == 1 for n in loads.values()), loads  # ... and one load per worker process


def test_engine_starts_and_stops_its_own_local_cluster(tmp_path: Path) -> None:
    files = sorted((ROOT / "seeds").glob("0[1-3]_*"))
    folder = tmp_path / "in"
    folder.mkdir()
    for f in files:
        (folder / f.name).write_bytes(f.read_bytes())
    local = build(folder, tmp_path / "local", model=BLANK)
    report = build(folder, tmp_path / "dask", model=BLANK, engine="dask", jobs=2, force=True)
    assert report.articles == local.articles > 0
    assert_same_graph(tmp_path / "dask", tmp_path / "local")
    again = build(folder, tmp_path / "dask", model=BLANK, engine="dask", jobs=2)  # all cached: no cluster
    assert again.reused == again.articles and again.processed == 0


# -- faults -------------------------------------------------------------------------------------------

def test_an_article_failing_on_a_worker_is_skipped_with_its_reason(cluster) -> None:  # noqa: ANN001
    docs = [Document(f"d{i}", f"d{i}.txt", f"Coinbase acquired Deribit for $2.9 billion, report {i}.")
            for i in range(10)]
    docs[5] = dataclasses.replace(docs[5], text=None)  # the pipeline cannot take this article
    with open_session("dask", cluster.scheduler.address, Settings(model=BLANK, batch_size=4), 2) as session:
        outcomes = list(session.map(docs))
    done = sorted(r.document.file_name for o in outcomes for r in o.results)
    skipped = [s for o in outcomes for s in o.skipped]
    assert done == sorted(d.file_name for d in docs if d.text is not None)  # its batch-mates survive
    assert [s.path for s in skipped] == ["d5.txt"]
    assert "failed" in skipped[0].reason and "TypeError" in skipped[0].reason


def test_a_batch_that_raises_is_split_on_the_worker(monkeypatch) -> None:  # noqa: ANN001
    """What the task does when extract_batch itself raises: each article alone, only the bad one lost."""
    from kg.engine import BatchOutcome

    def fake(documents, settings):  # noqa: ANN001, ANN202
        if any(d.doc_id == "bad" for d in documents):
            raise RuntimeError("boom")
        return BatchOutcome(tuple(d.doc_id for d in documents), (), (("annotate (spaCy)", 1.0),))

    monkeypatch.setattr(dask_engine, "extract_batch", fake)
    docs = [Document(name, f"{name}.txt", "text") for name in ("a", "bad", "c")]
    outcome = dask_engine.extract_or_split(docs, Settings(model=BLANK))
    assert outcome.results == ("a", "c") and dict(outcome.seconds) == {"annotate (spaCy)": 2.0}
    assert [(s.path, s.reason) for s in outcome.skipped] == [("bad.txt", "failed on a Dask worker: RuntimeError: boom")]
    with pytest.raises(RuntimeError):  # a batch of one re-raises: Dask retries it, then the client reports it
        dask_engine.extract_or_split(docs[1:2], Settings(model=BLANK))


def _set_cache_format(value: str) -> str:
    """Runs on a worker: change what its pipeline key is made of, as another crypto-kg version would."""
    import kg.cache

    old, kg.cache.FORMAT = kg.cache.FORMAT, value
    return old


def test_a_worker_with_another_crypto_kg_is_refused(cluster) -> None:  # noqa: ANN001
    worker = sorted(cluster.scheduler_info()["workers"])[0]
    [old] = cluster.run(_set_cache_format, "another version", workers=[worker]).values()
    try:
        docs = [Document("d", "d.txt", "Coinbase acquired Deribit.")]
        with pytest.raises(EngineError, match=f"Dask worker {worker} runs another crypto-kg"):
            _map_on(cluster, docs)
    finally:
        cluster.run(_set_cache_format, old, workers=[worker])
    assert len(_map_on(cluster, docs)) == 1  # the same again: accepted


def _map_on(cluster, docs: list) -> list:  # noqa: ANN001
    """The outcomes of mapping `docs` in a Dask session on `cluster`."""
    with open_session("dask", cluster.scheduler.address, Settings(model=BLANK), 2) as session:
        return list(session.map(docs))


def test_unreachable_scheduler_is_one_line(monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", 2.0)
    result = CliRunner().invoke(app, ["build", str(ROOT / "seeds"), "--out", str(tmp_path / "out"), "--model", BLANK,
                                      "--engine", "dask", "--scheduler", "tcp://127.0.0.1:1"])
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert result.exit_code == 1 and len(lines) == 1, result.stderr
    assert lines[0].startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:1")
    assert not (tmp_path / "out" / "graph.trig").exists()


NO_DASK = """
import json, sys
sys.modules["dask"] = None          # as if Dask were not installed
sys.modules["distributed"] = None
from typer.testing import CliRunner
from kg.cli import app
runs = [CliRunner().invoke(app, ["build", sys.argv[1], "--out", sys.argv[2] + "/" + e, "--model", "blank:en",
                                 "--engine", e]) for e in ("local", "dask")]
print(json.dumps([[r.exit_code, r.stderr] for r in runs]))
"""


def test_local_engine_needs_no_dask(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Coinbase Buys Deribit\n\nCoinbase acquired Deribit for $2.9 billion.\n")
    proc = subprocess.run([sys.executable, "-c", NO_DASK, str(folder), str(tmp_path)], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    (local_code, _), (dask_code, dask_err) = json.loads(proc.stdout.splitlines()[-1])
    assert local_code == 0 and (tmp_path / "local" / "graph.trig").is_file()
    assert dask_code == 1 and dask_err.strip() == "error: the dask engine needs Dask: pip install 'crypto-kg[dask]'"


def test_a_worker_killed_mid_build_changes_nothing(cluster, corpus_local, corpus: Path, tmp_path: Path) -> None:  # noqa: ANN001
    local, local_out = corpus_local
    pids = cluster.run(os.getpid)
    killed: list[tuple[str, int, int]] = []

    def kill_once(done: int, total: object) -> None:
        if killed or done < 32:
            return
        busy = cluster.processing()
        victim = max(pids, key=lambda w: len(busy.get(w, ())))
        killed.append((victim, len(busy.get(victim, ())), done))
        os.kill(pids[victim], signal.SIGKILL)

    report = build(corpus, tmp_path, model=BLANK, engine="dask", scheduler=cluster.scheduler.address,
                   force=True, progress=kill_once)
    assert killed, "the build finished before a worker could be killed"
    victim, in_flight, done = killed[0]
    assert in_flight > 0 and done < local.articles  # it died with work to do, mid-build
    assert report.articles == local.articles and not report.skipped
    assert_same_graph(tmp_path, local_out)
    cluster.wait_for_workers(2, timeout=60)  # the nanny restarted it
    assert set(cluster.run(os.getpid).values()).isdisjoint({pids[victim]})


# -- reading on the workers too (kg.feed with a DaskSession) ---------------------------------------------

def _count_cleaning(fail: str = "") -> None:
    """Runs on a worker: count `kg.ingest.documents_from` calls there (and fail on file `fail`)."""
    import kg.ingest

    real = getattr(kg.ingest, "_real_documents_from", kg.ingest.documents_from)
    kg.ingest._real_documents_from, kg.ingest._cleaned = real, []

    def counted(source, lex):  # noqa: ANN001, ANN202
        kg.ingest._cleaned.append(source.name)
        if source.name == fail:
            raise RuntimeError("boom")
        return real(source, lex)
    kg.ingest.documents_from = counted


def _cleaned_there() -> list[str]:
    """Runs on a worker: the files it cleaned since `_count_cleaning`; the real function back."""
    import kg.ingest

    kg.ingest.documents_from = getattr(kg.ingest, "_real_documents_from", kg.ingest.documents_from)
    return list(getattr(kg.ingest, "_cleaned", []))


def _no_cleaning_here(monkeypatch) -> list[str]:  # noqa: ANN001
    """Any cleaning in this process (the client) is recorded, and fails its file."""
    import kg.ingest

    here: list[str] = []

    def refuse(source, lex):  # noqa: ANN001, ANN202
        here.append(source.name)
        raise AssertionError("cleaned on the client")
    monkeypatch.setattr(kg.ingest, "documents_from", refuse)
    return here


def test_feed_reads_and_maps_on_the_workers(cluster, corpus_local, corpus: Path, tmp_path: Path,  # noqa: ANN001
                                            monkeypatch) -> None:  # noqa: ANN001
    from test_feed import feed_build

    local, local_out = corpus_local
    here = _no_cleaning_here(monkeypatch)
    cluster.run(_count_cleaning)
    before = pipeline_loads(cluster)
    try:
        report = feed_build(corpus, tmp_path, scheduler=cluster.scheduler.address, engine="dask", force=True)
    finally:
        there = cluster.run(_cleaned_there)
    after = pipeline_loads(cluster)
    assert here == [] and report.articles == local.articles and not report.skipped
    assert report.words == local.words and report.relations == local.relations
    assert_same_graph(tmp_path, local_out)
    files = sorted(p.name for p in corpus.iterdir())
    assert sorted(n for names in there.values() for n in names) == files  # each file cleaned once, on a worker
    assert all(there.values()), {w: len(n) for w, n in there.items()}  # on both workers
    assert sum(after[w]["hits"] + after[w]["misses"] - before[w]["hits"] - before[w]["misses"] for w in after) \
        == math.ceil(report.processed / 16)  # and the batches extracted there


def test_feed_on_seeds_is_the_local_graph(cluster, seeds_build, tmp_path: Path) -> None:  # noqa: ANN001
    from test_feed import feed_build

    report = feed_build(ROOT / "seeds", tmp_path, model=None, engine="dask", scheduler=cluster.scheduler.address)
    assert report.articles == seeds_build.report.articles == report.processed
    assert report.skipped == seeds_build.report.skipped
    assert_same_graph(tmp_path, seeds_build.out)


def test_a_file_whose_cleaning_raises_on_a_worker_is_skipped(cluster, tmp_path: Path) -> None:  # noqa: ANN001
    from test_feed import feed_build

    folder = tmp_path / "in"
    for f in sorted((ROOT / "seeds").glob("0[1-4]_*")):
        (folder / f.name).parent.mkdir(exist_ok=True)
        (folder / f.name).write_bytes(f.read_bytes())
    bad = sorted(p.name for p in folder.iterdir())[1]
    cluster.run(_count_cleaning, bad)
    try:
        report = feed_build(folder, tmp_path / "out", engine="dask", scheduler=cluster.scheduler.address)
    finally:
        cluster.run(_cleaned_there)
    assert [(s.path, s.reason) for s in report.skipped] == [(bad, "reading failed: RuntimeError: boom")]
    assert report.articles > 0 and (tmp_path / "out" / "graph.trig").is_file()


class _Done:
    """A finished future for `_reads`: its value, or the error Dask would raise after its retries."""

    def __init__(self, fn, *args, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        self.fn, self.args = fn, args

    def result(self):  # noqa: ANN201
        return self.fn(*self.args)

    def release(self) -> None:
        pass


class _Client:
    status = "running"
    submit = _Done


def test_a_read_task_that_fails_is_re_run_file_by_file(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """A batch of files whose task fails (its worker kept dying): each file alone; only a file that
    fails alone too is lost, with its reason, and not cached (cacheable=False)."""
    from kg.engine import read_batch
    from kg.ingest import load_source

    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(f"Coinbase Buys {name}\n\nCoinbase acquired Deribit, it said.\n")
    batch = [load_source(tmp_path / n, tmp_path) for n in ("a.txt", "b.txt", "c.txt")]

    def dies_on_b(sources, lexicon_dir):  # noqa: ANN001, ANN202
        if any(s.name == "b.txt" for s in sources):
            raise OSError("its worker kept dying")
        return read_batch(sources, lexicon_dir)

    monkeypatch.setattr(dask_engine, "read_batch", dies_on_b)
    reads = dask_engine._reads(_Client(), _Done(dies_on_b, batch, None), batch, Settings(model=BLANK))
    assert [(r.name, len(r.documents), r.cacheable) for r in reads] == [("a.txt", 1, True), ("b.txt", 0, False),
                                                                       ("c.txt", 1, True)]
    assert reads[1].skipped[0].reason == "lost on the Dask cluster: OSError: its worker kept dying"


def test_feed_with_an_unreachable_scheduler_is_one_line(monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    from test_feed import feed_build

    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", 2.0)
    with pytest.raises(EngineError) as caught:
        feed_build(ROOT / "seeds", tmp_path / "out", engine="dask", scheduler="tcp://127.0.0.1:1")
    assert str(caught.value).startswith("cannot reach the Dask scheduler at tcp://127.0.0.1:1")
    assert "\n" not in str(caught.value) and not (tmp_path / "out" / "graph.trig").exists()


def test_a_worker_killed_mid_feed_changes_nothing(cluster, corpus_local, corpus: Path, tmp_path: Path) -> None:  # noqa: ANN001
    from test_feed import feed_build

    local, local_out = corpus_local
    cluster.wait_for_workers(2, timeout=60)
    pids = cluster.run(os.getpid)
    killed: list[tuple[str, int]] = []

    def kill_once(done: int, total: object) -> None:
        if killed or done < 32:
            return
        busy = cluster.processing()
        victim = max(pids, key=lambda w: len(busy.get(w, ())))
        killed.append((victim, done))
        os.kill(pids[victim], signal.SIGKILL)

    report = feed_build(corpus, tmp_path, engine="dask", scheduler=cluster.scheduler.address, force=True,
                        progress=kill_once)
    assert killed and killed[0][1] < local.articles, "the build finished before a worker could be killed"
    assert report.articles == local.articles and not report.skipped
    assert_same_graph(tmp_path, local_out)
    cluster.wait_for_workers(2, timeout=60)
