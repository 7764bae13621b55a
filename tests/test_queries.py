"""Saved queries (kg/queries/*.rq) on the graph built from seeds/, on both stores.

The expected answers were checked against the seed articles: 01_buterin_zksync.txt (Buterin endorses
ZKsync, the Ethereum Foundation has not; Deutsche Bank and UBS "are said to have adopted" Prividium;
12,300 daily active addresses on November 1), 02_pectra.md (Pectra live on 2025-05-07, Dencun
shipped 2024-03-13, ETH at $2,190), 10_fusaka.txt (Fusaka scheduled for next Wednesday, 2025-12-03),
13_jpmorgan_base.txt (HSBC has never adopted Ethereum), 14_circle_ripple.txt (Ripple did not acquire
Circle), 03/04 (Stripe acquired Bridge, Coinbase acquired Deribit).
"""
from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal

from kg.errors import InputError, QueryError, UsageError
from kg.saved import execute, get_saved, list_saved, parse_params, run_saved, saved_list_text, typed_term
from kg.store import QueryRefused, check_query, is_current, open_store, oxigraph_location

EXPECTED_QUERIES = {"endorsements", "adoptions", "upgrade-timeline", "negated-hedged", "about-entity",
                    "metrics", "articles-mentioning", "entities", "relations"}


@pytest.fixture(scope="module")
def graph(seeds_build, tmp_path_factory) -> Path:  # noqa: ANN001
    """graph.trig of the seeds build, copied so the Oxigraph store lands in a folder of our own."""
    folder = tmp_path_factory.mktemp("queries_graph")
    shutil.copy(seeds_build.out / "graph.trig", folder / "graph.trig")
    return folder / "graph.trig"


def rows(result) -> list[dict[str, object]]:  # noqa: ANN001
    """Result rows as dicts of plain Python values (strings, Decimals, dates, ints)."""
    out = []
    for row in result.bindings:
        out.append({str(k): (v.toPython() if isinstance(v, Literal) else str(v)) for k, v in row.items()})
    return out


def canon(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def run_rows(name: str, graph: Path, store: str = "memory", **params: str) -> list[dict[str, object]]:
    return rows(execute(name, graph, params, store))


# -- the files themselves --------------------------------------------------------------------------

def test_every_saved_query_is_documented_and_parses() -> None:
    saved = {q.name: q for q in list_saved()}
    assert EXPECTED_QUERIES <= set(saved)
    for q in saved.values():
        assert q.title and len(q.answers) > 40, q.name
        assert q.example.startswith(f"kg query {q.name}"), q.name
        checked = check_query(q.text)
        assert checked.form == "SELECT", q.name
        for p in q.params:
            assert f"?{p.name}" in q.text, (q.name, p.name)
            assert p.description, (q.name, p.name)
    assert [p.name for p in saved["about-entity"].params if p.required] == ["entity"]
    assert [p.name for p in saved["articles-mentioning"].params if p.required] == ["entity"]
    assert not any(p.required for p in saved["endorsements"].params)


def test_queries_ship_as_package_data() -> None:
    from importlib import resources

    files = {f.name for f in (resources.files("kg") / "queries").iterdir()}
    assert {f"{n}.rq" for n in EXPECTED_QUERIES} <= files


def test_list_shows_every_query_in_every_format() -> None:
    table = saved_list_text("table")
    for name in EXPECTED_QUERIES:
        assert name in table
    assert "[entity=…]" in table and "entity=…" in table
    listed = json.loads(saved_list_text("json"))
    assert {r["name"] for r in listed} >= EXPECTED_QUERIES
    assert saved_list_text("markdown").startswith("| name |")
    assert saved_list_text("tsv").splitlines()[0].split("\t")[:2] == ["name", "params"]


# -- real answers on seeds/ ------------------------------------------------------------------------

def test_who_endorses_zksync(graph: Path) -> None:
    for spelling in ("ZKsync", "zksync", "zkSync", "ZK Sync"):  # label and altLabels, any case
        got = {(r["endorser"], r["endorsed"], r["polarity"], r["modality"])
               for r in run_rows("endorsements", graph, entity=spelling)}
        assert ("Vitalik Buterin", "ZKsync", "Positive", "Asserted") in got, spelling
        assert ("Ethereum Foundation", "ZKsync", "Negated", "Asserted") in got, spelling
        assert all("ZKsync" in (s, o) for s, o, _, _ in got)
    rows_ = run_rows("endorsements", graph, entity="ZKsync")
    assert all(r["headline"].startswith("Vitalik Buterin Endorses ZKsync") for r in rows_)
    assert all("entity" not in r for r in rows_)  # the parameter column is hidden


def test_endorsements_without_a_parameter_list_everyone(graph: Path) -> None:
    got = {(r["endorser"], r["endorsed"]) for r in run_rows("endorsements", graph)}
    assert ("Vitalik Buterin", "ZKsync") in got
    assert ("Optimism Foundation", "Soneium") in got  # 07_sony_soneium.html
    assert len(got) > 3


def test_who_adopts_prividium(graph: Path) -> None:
    got = run_rows("adoptions", graph, entity="prividium")
    assert {r["adopter"] for r in got} == {"Deutsche Bank", "UBS"}
    assert {r["modality"] for r in got} == {"Hedged"}  # "are said to have adopted"
    assert all("said to have adopted" in r["evidence"] for r in got)


def test_upgrade_timeline_of_ethereum_in_date_order(graph: Path) -> None:
    got = run_rows("upgrade-timeline", graph, entity="Ethereum")
    seen = [(canon(r["date"]), r["status"], r["what"]) for r in got]
    assert ("2025-05-07", "shipped", "Pectra") in seen
    assert ("2025-12-03", "scheduled", "Fusaka") in seen
    dates = [str(r["date"]) for r in got]
    assert dates == sorted(dates)
    assert {r["network"] for r in got} == {"Ethereum"}


def test_upgrade_timeline_keeps_the_precision_of_the_text(graph: Path) -> None:
    got = {(r["what"], str(r["date"])) for r in run_rows("upgrade-timeline", graph)}
    assert ("ZKsync Atlas", "2025-10") in got  # "went live on ZKsync in October 2025"
    assert ("Dencun", "2024-03-13") in got  # "the Dencun upgrade, which shipped on March 13, 2024"


def test_negated_and_hedged_claims(graph: Path) -> None:
    got = run_rows("negated-hedged", graph)
    key = {(r["subject"], r["predicate"], r["object"], r["polarity"], r["modality"]) for r in got}
    assert ("Ethereum Foundation", "endorses", "ZKsync", "Negated", "Asserted") in key
    assert ("Ripple", "acquires", "Circle", "Negated", "Asserted") in key
    assert ("HSBC", "adopts", "Ethereum", "Negated", "Asserted") in key
    assert ("Deutsche Bank", "adopts", "Prividium", "Positive", "Hedged") in key
    assert all(r["polarity"] == "Negated" or r["modality"] == "Hedged" for r in got)
    about_circle = run_rows("negated-hedged", graph, entity="circle")
    assert ("Ripple", "Circle") in {(r["subject"], r["object"]) for r in about_circle}
    assert all("Circle" in (r["subject"], r["object"]) for r in about_circle)


def test_everything_about_zksync_with_evidence_and_source(graph: Path) -> None:
    got = run_rows("about-entity", graph, entity="zkSync")
    preds = {(r["subject"], r["predicate"], r["object"]) for r in got}
    assert ("Vitalik Buterin", "endorses", "ZKsync") in preds
    assert ("Ethereum Foundation", "endorses", "ZKsync") in preds
    assert ("ZKsync Atlas", "upgradeOf", "ZKsync") in preds
    daa = [r for r in got if r["object"] == "DailyActiveAddresses"]
    assert Decimal(12300) in {r["value"] for r in daa}
    for r in got:
        assert r["evidence"] and r["article"].startswith("https://w3id.org/crypto-kg/id/article/")
        assert r["file"] and r["publisher"] and r["published"]
    assert "01_buterin_zksync.txt" in {r["file"] for r in got}


def test_metrics_over_time(graph: Path) -> None:
    got = run_rows("metrics", graph, entity="ZKsync", metric="dailyactiveaddresses")
    assert {(r["value"], r["unit"], canon(r["when"])) for r in got} >= {(Decimal(12300), "addresses", "2025-11-01")}
    eth = run_rows("metrics", graph, entity="ETH", metric="Price")  # ETH is Ether's altLabel
    assert {(r["subject"], r["value"], r["unit"]) for r in eth} >= {("Ether", Decimal(2190), "USD")}
    everything = run_rows("metrics", graph)
    assert len(everything) > 10
    order = [(r["subject"], r["metricName"], str(r["when"])) for r in everything]
    assert order == sorted(order)


def test_articles_mentioning_zksync(graph: Path) -> None:
    got = run_rows("articles-mentioning", graph, entity="ZKsync")
    files = {r["file"]: r for r in got}
    assert "01_buterin_zksync.txt" in files
    first = files["01_buterin_zksync.txt"]
    assert first["publisher"] == "ChainLedger Daily" and first["author"] == "Marta Kovacs"
    assert first["published"] == date(2025, 11, 3)
    assert first["claims"] >= 3
    published = [str(r["published"]) for r in got]
    assert published == sorted(published)


def test_entities_and_relations(graph: Path) -> None:
    people = {r["name"] for r in run_rows("entities", graph, **{"class": "person"})}
    assert {"Vitalik Buterin", "Michael Saylor"} <= people
    everyone = run_rows("entities", graph)
    assert everyone[0]["mentions"] >= everyone[-1]["mentions"]
    acquisitions = {(r["subject"], r["object"]) for r in run_rows("relations", graph, relation="acquires")
                    if r["polarity"] == "Positive"}
    assert {("Coinbase", "Deribit"), ("Stripe", "Bridge")} <= acquisitions
    assert all(r["predicate"] == "partnersWith" for r in run_rows("relations", graph, relation="kg:partnersWith"))


# -- parameters are bound, never pasted ----------------------------------------------------------

@pytest.mark.parametrize("value", ['ZKsync") || true || ("', "x } } SELECT * WHERE { ?s ?p ?o", "' OR 1=1 --",
                                   "ZKsync\\", "\n}\nINSERT DATA { <a:b> <a:c> <a:d> }"])
def test_hostile_parameter_values_match_nothing(graph: Path, value: str) -> None:
    assert run_rows("endorsements", graph, entity=value) == []
    assert run_rows("about-entity", graph, store="oxigraph", entity=value) == []


def test_parameters_are_typed_literals() -> None:
    from rdflib.namespace import XSD

    assert typed_term("ZKsync") == Literal("ZKsync", datatype=XSD.string)
    assert typed_term("2025-05-07", "date").datatype == XSD.date
    with pytest.raises(UsageError):
        typed_term("May 7", "date")
    with pytest.raises(UsageError):
        typed_term("not an iri", "iri")


def test_parameter_errors_are_usage_errors(graph: Path) -> None:
    with pytest.raises(UsageError, match="needs --param entity"):
        run_saved("about-entity", graph)
    with pytest.raises(UsageError, match="no parameter 'who'"):
        run_saved("endorsements", graph, ["who=x"])
    with pytest.raises(UsageError, match="NAME=VALUE"):
        parse_params(["entity"])
    with pytest.raises(UsageError, match="no saved query called 'endorsments'"):
        run_saved("endorsments", graph)
    with pytest.raises(InputError):
        run_saved("missing.rq", graph)
    assert parse_params(["entity=a=b", "?x=1"]) == {"entity": "a=b", "x": "1"}


def test_ad_hoc_query_and_rq_file_with_parameter(graph: Path, tmp_path: Path) -> None:
    text = "SELECT ?who WHERE { ?e rdfs:label ?who . FILTER (STR(?who) = STR(?name)) }"
    assert "Vitalik Buterin" in run_saved(text, graph, ["name=Vitalik Buterin"], "csv")
    rq = tmp_path / "mine.rq"
    rq.write_text(text)
    assert run_saved(str(rq), graph, {"name": "UBS"}, "tsv").splitlines() == ["who", "UBS"]


def test_update_and_service_are_refused(graph: Path) -> None:
    with pytest.raises(QueryRefused, match="read-only"):
        run_saved("INSERT DATA { <urn:a> <urn:b> <urn:c> }", graph)
    with pytest.raises(QueryRefused, match="SERVICE"):
        run_saved("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", graph)
    with pytest.raises(QueryError, match="syntax"):
        run_saved("SELECT WHERE nothing", graph)


def test_output_formats(graph: Path) -> None:
    doc = json.loads(run_saved("endorsements", graph, ["entity=ZKsync"], "json"))
    assert doc["head"]["vars"][:2] == ["endorser", "endorsed"]
    assert {b["endorser"]["value"] for b in doc["results"]["bindings"]} >= {"Vitalik Buterin"}
    md = run_saved("adoptions", graph, ["entity=Prividium"], "markdown")
    assert md.splitlines()[0].startswith("| adopter | adopted |")
    table = run_saved("adoptions", graph, ["entity=Prividium"], "table")
    assert "Deutsche Bank" in table and "row(s)" in table
    with pytest.raises(UsageError):
        run_saved("adoptions", graph, [], "yaml")


# -- memory and Oxigraph give the same answers --------------------------------------------------

PARITY_CASES = [("endorsements", {}), ("endorsements", {"entity": "zksync"}), ("adoptions", {}),
                ("upgrade-timeline", {}), ("upgrade-timeline", {"entity": "Ethereum"}), ("negated-hedged", {}),
                ("about-entity", {"entity": "ZKsync"}), ("about-entity", {"entity": "Ethereum"}), ("metrics", {}),
                ("metrics", {"entity": "Bitcoin"}), ("articles-mentioning", {"entity": "Coinbase"}),
                ("entities", {}), ("entities", {"class": "Token"}), ("relations", {}),
                ("relations", {"relation": "tokenOf", "entity": "Circle"})]


def test_parity_cases_cover_every_saved_query() -> None:
    assert {name for name, _ in PARITY_CASES} == {q.name for q in list_saved()}


@pytest.mark.parametrize(("name", "params"), PARITY_CASES, ids=[f"{n}-{'-'.join(p.values())}" for n, p in PARITY_CASES])
def test_same_answers_on_memory_and_oxigraph(graph: Path, name: str, params: dict) -> None:
    mem = execute(name, graph, params, "memory")
    oxi = execute(name, graph, params, "oxigraph")
    assert [str(v) for v in mem.vars] == [str(v) for v in oxi.vars]
    as_rows = lambda res: Counter(tuple(canon(r.get(str(v), "")) for v in res.vars) for r in rows(res))  # noqa: E731
    left, right = as_rows(mem), as_rows(oxi)
    assert left == right
    assert sum(left.values()) > 0


def test_oxigraph_store_is_persisted_beside_the_graph_and_reused(graph: Path, tmp_path: Path) -> None:
    with open_store(graph, "oxigraph") as gs:
        n = len(gs)
    loc = oxigraph_location(graph)
    assert loc == graph.parent / "oxigraph" and (loc / "store").is_dir() and is_current(graph)
    stamp = (loc / "source.json").stat().st_mtime_ns
    with open_store(graph, "oxigraph") as gs:  # current: not reloaded
        assert len(gs) == n
    assert (loc / "source.json").stat().st_mtime_ns == stamp
    with open_store(graph, "memory") as gs:
        assert len(gs) == n  # the same union graph


def test_oxigraph_store_reloads_when_the_graph_changes(seeds_build, tmp_path: Path) -> None:  # noqa: ANN001
    g = tmp_path / "graph.trig"
    shutil.copy(seeds_build.out / "graph.trig", g)
    with open_store(g, "oxigraph") as gs:
        before = len(gs)
    g.write_text(g.read_text() + '\n<urn:x:a> <urn:x:b> "extra" .\n')
    assert not is_current(g)
    with open_store(g, "oxigraph") as gs:
        assert len(gs) == before + 1
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["graph.trig", "oxigraph"]


def test_unknown_store_is_a_usage_error(graph: Path) -> None:
    with pytest.raises(UsageError):
        run_saved("entities", graph, store="sqlite")


def test_saved_query_by_name_with_rq_suffix(graph: Path) -> None:
    assert get_saved("entities.rq").name == "entities"
    assert run_saved("entities.rq", graph, [], "csv").startswith("name,ticker,mentions")
