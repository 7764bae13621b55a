"""SHACL validation (kg validate, kg.validate.validate_dataset) of graphs built from seeds/ and ../shared/seeds."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from typer.testing import CliRunner

from kg.cli import app
from kg.namespace import ID, KG
from kg.validate import validate_dataset, validate_graph

ARTICLE = ID["article/01-buterin-zksync-txt"]


def test_seeds_graph_conforms_and_kg_validate_says_so(seeds_build) -> None:  # noqa: ANN001
    conforms, text = validate_dataset(seeds_build.dataset)
    assert conforms, text
    assert text.startswith("conforms: yes") and "0 violation(s)" in text
    result = CliRunner().invoke(app, ["validate", "--graph", str(seeds_build.out / "graph.trig")])
    assert result.exit_code == 0, result.output
    assert "conforms: yes" in result.output


@pytest.mark.shared
def test_shared_seeds_graph_conforms(shared_build) -> None:  # noqa: ANN001
    report = validate_graph(shared_build.dataset)
    assert report.conforms, report.text()
    assert report.violations == 0 and report.triples > 300


def _one_article(seeds_build) -> Dataset:  # noqa: ANN001
    """Only the graph of 01_buterin_zksync.txt: small, so validating it is quick."""
    ds = Dataset(default_union=True)
    g = ds.graph(ARTICLE)
    for triple in seeds_build.dataset.graph(ARTICLE):
        g.add(triple)
    return ds


def _broken(seeds_build, tmp_path: Path) -> Path:  # noqa: ANN001
    """One seed article with three mistakes a buggy build could make."""
    ds = _one_article(seeds_build)
    assert validate_graph(ds).conforms
    g = ds.graph(ARTICLE)
    # 1. a negated claim ("has not endorsed") whose direct triple is asserted anyway
    g.add((ID["entity/ethereum-foundation"], KG.endorses, ID["entity/zksync"]))
    # 2. an entity without a label
    g.add((ID["entity/nameless"], RDF.type, KG.Person))
    # 3. a date more precise than the contract allows (xsd:dateTime)
    g.add((ID["entity/zksync-atlas"], KG.shippedOn, Literal("2025-05-07T10:00:00", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#dateTime"))))
    out = tmp_path / "graph.trig"
    out.write_text(ds.serialize(format="trig"), encoding="utf-8")
    return out


def test_broken_graph_fails_with_a_readable_report(seeds_build, tmp_path: Path) -> None:  # noqa: ANN001
    from kg.query import load_graph

    report = validate_graph(load_graph(_broken(seeds_build, tmp_path)))
    assert not report.conforms and report.violations >= 3
    text = report.text()
    assert text.startswith("conforms: NO")
    assert "kgsh:NegatedNotAsserted" in text and "id:claim/" in text
    assert "kgsh:EntityLabel" in text and "id:entity/nameless" in text
    assert "kgsh:ShipsOnValueShape" in text and "id:entity/zksync-atlas (ZKsync Atlas)" in text and "xsd:dateTime" in text
    assert "DOES NOT CONFORM" in report.summary()


def test_kg_validate_command_exits_1_when_not_conforming(seeds_build, tmp_path: Path) -> None:  # noqa: ANN001
    broken = _broken(seeds_build, tmp_path)
    result = CliRunner().invoke(app, ["validate", "--graph", str(broken), "--limit", "1"])
    assert result.exit_code == 1
    assert "conforms: NO" in result.output and "Violation" in result.output


def test_kg_validate_missing_graph(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", "--graph", str(tmp_path / "none.trig")])
    assert result.exit_code == 1
    assert "no graph at" in result.output


def test_strict_fails_on_warnings(seeds_build, tmp_path: Path) -> None:  # noqa: ANN001
    ds = _one_article(seeds_build)
    # an entity typed only through kg:Agent: a warning (kgsh:EntitySpecificType), not a violation
    ds.graph(ARTICLE).add((ID["entity/vague"], RDF.type, KG.Agent))
    ds.graph(ARTICLE).add((ID["entity/vague"], RDFS.label, Literal("Vague")))
    path = tmp_path / "graph.trig"
    path.write_text(ds.serialize(format="trig"), encoding="utf-8")
    assert CliRunner().invoke(app, ["validate", "--graph", str(path)]).exit_code == 0
    result = CliRunner().invoke(app, ["validate", "--graph", str(path), "--strict"])
    assert result.exit_code == 1 and "Warning" in result.output
