"""The per-article build cache under OUT/.kg-cache: a rebuild re-annotates only what changed.

An article's key hashes its cleaned text and metadata together with the pipeline key (model name
and version, the ontology data files, the extraction code), so changing any of them re-processes
it. Entries are JSON (not pickle: an output folder someone sends you cannot run code), each
written atomically; a manifest lists the articles of the last build, so the next one can say what
was removed. A damaged entry is a miss, never an error.

Beside the articles, a file index (`files/`) maps the hash of a file's bytes (with its name, doc-id
base, the read limit and the pipeline key) to the articles it gave and the reasons for what it left
out: a rebuild with unchanged files neither cleans them nor starts a worker. An edited file misses
the index, is read again, and its unchanged articles still hit their own entries.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import importlib.metadata
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .engine import Settings, default_model
from .io import atomic_write_text
from .lexicon import Lexicon
from .model import ArticleResult, Claim, DateValue, Document, Mention, Observation, Skipped

CACHE_DIR = ".kg-cache"
FORMAT = 1
#: Modules that only act after extraction (graph, outputs, queries); every other module's source is
#: part of the pipeline key, so a new extraction module is covered without being listed.
AFTER_EXTRACTION = frozenset({"__init__", "__main__", "api", "cache", "cli", "eval", "evalmatch", "export", "feed", "graph",
                              "io", "namespace", "network", "query", "render", "resolve", "saved", "serve", "shards",
                              "store", "turtle", "validate"})


def pipeline_key(settings: Settings, lex: Lexicon) -> str:
    """Model name and version + ontology data + extraction code: what an article's result depends on."""
    model = settings.model or default_model() or "none"
    digest = hashlib.sha256(f"{FORMAT}|{model}|{lex.fingerprint}".encode())
    for dist in (model, model.replace("_", "-"), "spacy"):
        try:
            digest.update(f"{dist}={importlib.metadata.version(dist)}".encode())
        except (importlib.metadata.PackageNotFoundError, ValueError):
            continue
    for path in sorted(Path(__file__).parent.glob("*.py")):
        if path.stem not in AFTER_EXTRACTION:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def article_key(document: Document, pipeline: str) -> str:
    """Content hash of one cleaned article (text and metadata) under one pipeline."""
    fields = json.dumps(_plain(document), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{pipeline}\n{fields}".encode()).hexdigest()[:32]


def file_key(pipeline: str, name: str, base: str, max_bytes: int, data: bytes) -> str:
    """Content hash of one file's bytes, read as `name` with doc-id base `base` under one pipeline
    and read limit (the article length limit is code, hence in the pipeline key)."""
    digest = hashlib.sha256(json.dumps([FORMAT, pipeline, name, base, max_bytes]).encode("utf-8") + b"\n")
    digest.update(data)
    return digest.hexdigest()[:32]


@dataclass(frozen=True)
class FileHit:
    """What an unchanged file gave last time: its articles' cached (slim) results, its skips."""

    results: tuple[ArticleResult, ...]
    skipped: tuple[Skipped, ...]


class ArticleCache:
    """Results of earlier builds, one JSON file per article, the file index, and the manifest of
    the last build."""

    def __init__(self, out: Path, pipeline: str) -> None:
        self.root = out / CACHE_DIR
        self.pipeline = pipeline
        self.used: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        self.used_files: set[str] = set()
        self.new_files: dict[str, dict] = {}

    def get(self, document: Document, reuse: bool = True) -> ArticleResult | None:
        """The cached result of this exact article and pipeline, or None (its key is kept for `put`)."""
        key = self.keys[document.doc_id] = article_key(document, self.pipeline)
        if not reuse:
            return None
        try:
            result = self._entry(key)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        self.used[document.doc_id] = key
        return dataclasses.replace(result, document=dataclasses.replace(document, text=""))

    def _entry(self, key: str) -> ArticleResult:
        """The article entry `key`; raises OSError, ValueError, KeyError or TypeError if unusable."""
        data = json.loads((self.root / "articles" / f"{key}.json").read_text(encoding="utf-8"))
        return result_from_json(data)

    def file_key(self, name: str, base: str, max_bytes: int, data: bytes) -> str:
        return file_key(self.pipeline, name, base, max_bytes, data)

    def get_file(self, key: str) -> FileHit | None:
        """What the file `key` gave last time, or None when its entry, or the entry of any article it
        gave, is missing or damaged (the file is then read again)."""
        try:
            data = json.loads((self.root / "files" / f"{key}.json").read_text(encoding="utf-8"))
            articles = [(str(doc_id), str(k)) for doc_id, k in data["articles"]]
            skipped = tuple(Skipped(str(path), str(reason)) for path, reason in data["skipped"])
            results = tuple(self._entry(k) for _, k in articles)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if any(r.document.doc_id != doc_id for r, (doc_id, _) in zip(results, articles)):
            return None
        self.used.update(articles)
        self.used_files.add(key)
        return FileHit(tuple(dataclasses.replace(r, document=dataclasses.replace(r.document, text=""))
                             for r in results), skipped)

    def put_file(self, key: str, articles: Iterable[tuple[str, str]], skipped: Iterable[Skipped]) -> None:
        """Record what the file `key` gave: (doc_id, article key) pairs and its skips. Written by
        `commit`, with the manifest: a build that fails leaves the output folder as it was."""
        self.new_files[key] = {"articles": [list(a) for a in articles],
                               "skipped": [[s.path, s.reason] for s in skipped]}
        self.used_files.add(key)

    def put(self, result: ArticleResult) -> None:
        """Store a fresh result under the key `get` computed from its full article text."""
        key = self.keys[result.document.doc_id]
        atomic_write_text(self.root / "articles" / f"{key}.json",
                          json.dumps(result_to_json(result), ensure_ascii=False, sort_keys=True),
                          durable=False)  # a torn entry fails to parse: a miss, never wrong data
        self.used[result.document.doc_id] = key

    def previous_articles(self) -> set[str]:
        """doc_ids of the last completed build (empty when there was none)."""
        try:
            return set(json.loads((self.root / "manifest.json").read_text(encoding="utf-8"))["articles"])
        except (OSError, ValueError, KeyError, TypeError):
            return set()

    def verdict(self, graph_digest: str) -> tuple[bool | None, str] | None:
        """The SHACL verdict of the last build if its graph was byte-identical to this one."""
        try:
            data = json.loads((self.root / "validation.json").read_text(encoding="utf-8"))
            if data["graph"] == graph_digest and data["validator"] == _validator_key():
                return data["conforms"], data["summary"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return None

    def save_verdict(self, graph_digest: str, conforms: bool | None, summary: str) -> None:
        atomic_write_text(self.root / "validation.json", json.dumps(
            {"graph": graph_digest, "validator": _validator_key(), "conforms": conforms, "summary": summary}))

    def commit(self) -> None:
        """Record this build's articles and delete entries no article uses any more."""
        atomic_write_text(self.root / "manifest.json", json.dumps(
            {"format": FORMAT, "pipeline": self.pipeline, "articles": dict(sorted(self.used.items()))},
            indent=1, ensure_ascii=False))
        keep = {f"{k}.json" for k in self.used.values()}
        for path in (self.root / "articles").glob("*.json"):
            if path.name not in keep:
                path.unlink(missing_ok=True)
        for key, entry in self.new_files.items():  # a torn entry fails to parse: a miss, never wrong data
            atomic_write_text(self.root / "files" / f"{key}.json", json.dumps(entry, ensure_ascii=False),
                              durable=False)
        keep = {f"{k}.json" for k in self.used_files}
        for path in (self.root / "files").glob("*.json"):
            if path.name not in keep:
                path.unlink(missing_ok=True)


def _validator_key() -> str:
    """Shapes, ontology and validation code: what a verdict on a given graph depends on."""
    from .validate import ONTOLOGY, SHAPES

    digest = hashlib.sha256()
    for path in (SHAPES, ONTOLOGY, Path(__file__).parent / "validate.py"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def clean_cache(out: Path) -> int:
    """Remove OUT/.kg-cache; return how many cached articles it held."""
    root = out / CACHE_DIR
    if not root.is_dir():
        return 0
    count = sum(1 for _ in (root / "articles").glob("*.json")) if (root / "articles").is_dir() else 0
    shutil.rmtree(root)
    return count


def _plain(value):  # noqa: ANN001, ANN202
    """A dataclass tree as JSON-ready dicts, each tagged with its type."""
    if dataclasses.is_dataclass(value):
        out = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        out["@type"] = type(value).__name__
        return out
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return {"@type": "date", "iso": value.isoformat()}
    return value


_TYPES = {cls.__name__: cls for cls in (ArticleResult, Claim, DateValue, Document, Mention, Observation)}


def _typed(value):  # noqa: ANN001, ANN202
    if isinstance(value, list):
        return tuple(_typed(v) for v in value)
    if isinstance(value, dict):
        kind = value["@type"]
        if kind == "date":
            return dt.date.fromisoformat(value["iso"])
        return _TYPES[kind](**{k: _typed(v) for k, v in value.items() if k != "@type"})
    return value


def result_to_json(result: ArticleResult) -> dict:
    return _plain(result)


def result_from_json(data: dict) -> ArticleResult:
    result = _typed(data)
    if not isinstance(result, ArticleResult):
        raise TypeError("not an article result")
    return result
