"""The front half of a build: from a folder to per-article results, reusing what the cache holds.

discover -> read each file's bytes (the client) -> file index: an unchanged file's results are
reused as they are -> `session.read` decodes and cleans the others (on the workers with Dask: only
bytes travel, no shared filesystem) -> article cache: an unchanged article of a changed file is
reused -> `session.map` annotates and extracts the rest. Everything streams: the session keeps a
bounded window of work in flight and pulls files and articles only as it frees up, so only the slim
results are kept. `kg.api.build` runs this, then its reduce step.
"""
from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Iterator, Protocol

from . import ingest
from .cache import ArticleCache
from .engine import BatchOutcome, FileRead, Session
from .ingest import DEFAULT_MAX_BYTES, SkipFile, SourceFile, _rel, doc_bases
from .model import ArticleResult, Document, Skipped

Progress = Callable[[int, int | None], None]


class RunLike(Protocol):
    """What `feed` fills in (kg.api's `_Run`): results, skips, seconds per stage, articles reused."""

    results: list[ArticleResult]
    skipped: list[Skipped]
    clock: Counter
    reused: int


def feed(folder: Path, exclude: Path | None, session: Session, cache: ArticleCache, run: RunLike,
         force: bool = False, max_bytes: int = DEFAULT_MAX_BYTES, progress: Progress | None = None) -> None:
    """Every article under `folder` (but `exclude`, the output folder) into `run`: reused from the
    cache, or read and extracted by `session` (opened with the build's Settings); unusable files
    and failed articles as skips."""
    pending: dict[str, str] = {}  # file name -> file key, for the files being read
    sources = _to_read(folder, exclude, cache, force, max_bytes, run, pending, progress)
    fresh = _to_map(session.read(sources), cache, force, run, pending, progress)
    for outcome in session.map(fresh):
        _collect(outcome, cache, run, progress)


def _to_read(folder: Path, exclude: Path | None, cache: ArticleCache, force: bool, max_bytes: int,
             run: RunLike, pending: dict[str, str], progress: Progress | None) -> Iterator[SourceFile]:
    """The files that need reading, as bytes; unusable ones go to `run.skipped`, unchanged ones'
    results (file index hits) straight to `run.results`."""
    t = time.perf_counter()
    paths, skipped = ingest.discover(folder, exclude)  # looked up here: tests reorder it
    run.skipped.extend(skipped)
    bases = doc_bases([_rel(p, folder) for p in paths])
    run.clock["read files"] += time.perf_counter() - t
    for path in paths:
        t = time.perf_counter()
        source = _source(path, folder, bases[_rel(path, folder)], max_bytes, run)
        key = cache.file_key(source.name, source.base, max_bytes, source.data) if source else ""
        hit = cache.get_file(key) if source and not force else None
        if hit is not None:
            run.skipped.extend(hit.skipped)
            _reused(hit.results, run, progress)
        run.clock["read files"] += time.perf_counter() - t
        if source is not None and hit is None:
            pending[source.name] = key
            yield source


def _source(path: Path, folder: Path, base: str, max_bytes: int, run: RunLike) -> SourceFile | None:
    """The file's bytes, or None with its reason in `run.skipped` (too big, binary, unreadable)."""
    try:
        return ingest.load_source(path, folder, max_bytes, base)
    except SkipFile as exc:
        run.skipped.append(Skipped(_rel(path, folder), str(exc)))
        return None


def _to_map(reads: Iterable[FileRead], cache: ArticleCache, force: bool, run: RunLike,
            pending: dict[str, str], progress: Progress | None) -> Iterator[Document]:
    """The articles the cache does not have; each file read is recorded in the file index."""
    for read in reads:
        run.clock["clean"] += read.seconds
        run.skipped.extend(read.skipped)
        fresh = []
        for document in read.documents:
            hit = cache.get(document, reuse=not force)
            if hit is None:
                fresh.append(document)
            else:
                _reused([hit], run, progress)
        key = pending.pop(read.name, "")
        if read.cacheable and key:
            cache.put_file(key, [(d.doc_id, cache.keys[d.doc_id]) for d in read.documents], read.skipped)
        yield from fresh


def _reused(results: Iterable[ArticleResult], run: RunLike, progress: Progress | None) -> None:
    for result in results:
        run.results.append(result)
        run.reused += 1
        _tick(progress, run)


def _collect(outcome: BatchOutcome, cache: ArticleCache, run: RunLike, progress: Progress | None) -> None:
    """A mapped batch's results into the cache and `run`; its failed articles into the skips."""
    for result in outcome.results:
        cache.put(result)
        run.results.append(result)
        _tick(progress, run)
    run.skipped.extend(outcome.skipped)
    run.clock.update(dict(outcome.seconds))


def _tick(progress: Progress | None, run: RunLike) -> None:
    if progress:
        progress(len(run.results), None)


__all__ = ["feed", "RunLike"]
