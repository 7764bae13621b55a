"""Shared fixtures: the repo and ../shared folders, one spaCy pipeline, one build of each seed folder.

Everything expensive is session-scoped so the whole suite stays fast: the pipeline is loaded once
(kg.annotate.load_pipeline is cached per process anyway), and `seeds/` and `../shared/seeds` are each
built once into a temporary folder that every test reading a built graph shares.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Callable

import pytest
from rdflib import Dataset

PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: ../shared next to the repository; KG_SHARED_DIR overrides it (e.g. to check the suite skips without it).
SHARED_DIR = Path(os.environ.get("KG_SHARED_DIR") or PROJECT_ROOT.parent / "shared").resolve()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "shared: needs ../shared (skipped when absent)")
    # rdflib 7.x warns about its own internals (its TriG parser/serializer use ConjunctiveGraph APIs);
    # nothing the project can act on. Deprecations raised from kg/ code still show.
    config.addinivalue_line("filterwarnings", "ignore::DeprecationWarning:rdflib.*")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `shared` are skipped, not failed, on a machine without ../shared."""
    if SHARED_DIR.is_dir():
        return
    skip = pytest.mark.skip(reason=f"shared folder {SHARED_DIR} is absent")
    for item in items:
        if "shared" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        pytest.skip(f"shared folder {SHARED_DIR} is absent")
    return SHARED_DIR


@pytest.fixture(scope="session")
def lex():
    from kg.lexicon import load_lexicon

    return load_lexicon()


@pytest.fixture(scope="session")
def nlp():
    from kg.annotate import load_pipeline

    return load_pipeline()


@dataclass(frozen=True)
class Built:
    """One `kg.api.build` run: its input folder, output folder, report and parsed graph."""

    folder: Path
    out: Path
    report: object
    dataset: Dataset


def _build(folder: Path, out: Path) -> Built:
    from kg.api import build

    report = build(folder, out)
    ds = Dataset(default_union=True)
    ds.parse(out / "graph.trig", format="trig")
    return Built(folder, out, report, ds)


@pytest.fixture(scope="session")
def seeds_build(project_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(project_root / "seeds", tmp_path_factory.mktemp("seeds_build"))


@pytest.fixture(scope="session")
def shared_build(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = shared_dir / "seeds"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    return _build(folder, tmp_path_factory.mktemp("shared_build"))


@pytest.fixture(scope="session")
def score_module(shared_dir: Path) -> ModuleType:
    """/work/shared/eval/score.py imported as a module (it is a script, not a package)."""
    path = shared_dir / "eval" / "score.py"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    spec = importlib.util.spec_from_file_location("shared_eval_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- running the per-article work on hand-written documents ---------------------------------------

@pytest.fixture(scope="session")
def extract(nlp) -> Callable:  # noqa: ANN001
    """extract(body, published=None, headline="") -> ArticleResult of one inline Document.

    The text is "headline\\n\\nbody" (as ingest builds it), so offsets point into that string.
    Every claim and observation is checked to quote its own evidence span exactly.
    """
    from kg.article import process
    from kg.model import Document

    counter = {"n": 0}

    def run(body: str, published: dt.date | None = None, headline: str = ""):  # noqa: ANN202
        counter["n"] += 1
        text = f"{headline}\n\n{body}" if headline else body
        doc = Document(f"t{counter['n']}", f"t{counter['n']}.txt", text, headline, published=published)
        [result] = list(process([doc]))
        for item in (*result.claims, *result.observations):
            assert item.evidence == text[item.char_start:item.char_end], item
        return result

    return run
