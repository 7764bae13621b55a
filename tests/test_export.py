"""`kg export`: every format parses back (rdflib for RDF, networkx for GraphML/GEXF, csv for claims)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset
from rdflib.namespace import RDF
from typer.testing import CliRunner

from kg.cli import app
from kg.export import CLAIM_COLUMNS, export_dataset, export_graph
from kg.network import to_networkx


def _quads(ds: Dataset) -> set:
    return {(s, p, o, str(getattr(g, "identifier", g))) for s, p, o, g in ds.quads((None, None, None, None))}


@pytest.fixture(scope="module")
def dataset(seeds_build) -> Dataset:  # noqa: ANN001
    return seeds_build.dataset


def test_nquads_round_trip(dataset: Dataset) -> None:
    back = Dataset()
    back.parse(data=export_dataset(dataset, "nquads").decode(), format="nquads")
    assert _quads(back) == _quads(dataset)


def test_jsonld_round_trip_with_the_contract_context(dataset: Dataset) -> None:
    data = export_dataset(dataset, "jsonld")
    doc = json.loads(data)
    assert doc["@context"]["kg"] == "https://w3id.org/crypto-kg/ontology#"
    assert doc["@context"]["endorses"] == {"@id": "kg:endorses", "@type": "@id"}
    back = Dataset()
    back.parse(data=data.decode(), format="json-ld")
    assert _quads(back) == _quads(dataset)


def _flat_attributes(g: nx.Graph) -> None:
    for _, data in g.nodes(data=True):
        assert all(isinstance(v, (str, int, float)) for v in data.values()), data
    for *_, data in g.edges(data=True):
        assert all(isinstance(v, (str, int, float)) for v in data.values()), data


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_formats_parse_back(dataset: Dataset, fmt: str) -> None:
    data = export_dataset(dataset, fmt)
    g = nx.read_graphml(io.BytesIO(data)) if fmt == "graphml" else nx.read_gexf(io.BytesIO(data))
    ref = to_networkx(dataset)
    assert g.number_of_nodes() == ref.number_of_nodes() and g.number_of_edges() == ref.number_of_edges()
    assert g.is_directed() and g.is_multigraph()
    _flat_attributes(g)
    buterin = g.nodes["https://w3id.org/crypto-kg/id/entity/vitalik-buterin"]
    assert buterin["label"] == "Vitalik Buterin" and buterin["class"] == "Person" and buterin["mentions"] >= 1
    assert "Buterin" in buterin["alt_labels"]
    edges = g.get_edge_data("https://w3id.org/crypto-kg/id/entity/ethereum-foundation",
                            "https://w3id.org/crypto-kg/id/entity/zksync")
    negated = [e for e in edges.values() if e["polarity"] == "Negated"]
    assert negated and negated[0]["property"] == "kg:endorses" and "has not endorsed" in negated[0]["evidence"]


def test_csv_of_claims(dataset: Dataset) -> None:
    reader = csv.DictReader(io.StringIO(export_dataset(dataset, "csv").decode()))
    assert tuple(reader.fieldnames) == CLAIM_COLUMNS
    assert list(CLAIM_COLUMNS[:8]) == ["subject", "predicate", "object", "polarity", "modality", "confidence",
                                        "evidence", "article"]
    rows = list(reader)
    key = {(r["subject"], r["predicate"], r["object"], r["polarity"], r["modality"]) for r in rows}
    assert ("Vitalik Buterin", "kg:endorses", "ZKsync", "Positive", "Asserted") in key
    assert ("Ethereum Foundation", "kg:endorses", "ZKsync", "Negated", "Asserted") in key
    assert ("Pectra", "kg:shippedOn", "2025-05-07", "Positive", "Asserted") in key
    daa = [r for r in rows if r["predicate"] == "kg:hasObservation" and r["subject"] == "ZKsync"]
    assert any(r["object"].startswith("DailyActiveAddresses = 12300") for r in daa)
    for r in rows:
        assert r["evidence"] and r["article"].startswith("https://w3id.org/crypto-kg/id/article/")
        assert 0 <= float(r["confidence"]) <= 1
    statements = set(dataset.subjects(RDF.type, RDF.Statement))
    assert len({r["claim"] for r in rows}) == len(rows) == len(statements)


def test_kg_export_command(seeds_build, tmp_path: Path) -> None:  # noqa: ANN001
    graph = str(seeds_build.out / "graph.trig")
    runner = CliRunner()
    out = tmp_path / "claims.csv"
    result = runner.invoke(app, ["export", "--format", "csv", "--graph", graph, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("subject,predicate,object")
    result = runner.invoke(app, ["export", "--format", "nquads", "--graph", graph])
    assert result.exit_code == 0 and result.stdout.count("\n") > 1000
    result = runner.invoke(app, ["export", "--format", "gexf", "--graph", graph, "--out", str(tmp_path)])
    assert result.exit_code == 0 and (tmp_path / "graph.gexf").is_file()
    result = runner.invoke(app, ["export", "--format", "rdfxml", "--graph", graph])
    assert result.exit_code == 2 and "nquads, jsonld, graphml, gexf, csv" in result.output


def test_export_graph_returns_bytes_without_out(seeds_build) -> None:  # noqa: ANN001
    data = export_graph(seeds_build.out / "graph.trig", "jsonld")
    assert isinstance(data, bytes) and data.lstrip().startswith(b"{")
