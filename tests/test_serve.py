"""`kg serve`: the SPARQL 1.1 Protocol endpoint, queried with SPARQLWrapper and plain urllib.

Servers bind 127.0.0.1 on a free port and are always stopped; one test runs the real `kg serve`
command in a subprocess.
"""
from __future__ import annotations

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from kg.serve import DEFAULT_HOST, DEFAULT_PORT, make_server, negotiate

SPARQLWrapper = pytest.importorskip("SPARQLWrapper")
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, TSV, TURTLE, URLENCODED, XML  # noqa: E402

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
WHO_ENDORSES = "SELECT ?who WHERE { ?e kg:endorses ?z . ?z rdfs:label 'ZKsync' . ?e rdfs:label ?who }"
#: one row, whatever the extractor does: for byte-exact checks of the result formats
UBS = "SELECT ?l WHERE { ?e rdfs:label ?l FILTER (?l = 'UBS') }"


@pytest.fixture(scope="module")
def graph(seeds_build, tmp_path_factory) -> Path:  # noqa: ANN001
    folder = tmp_path_factory.mktemp("serve_graph")
    for name in ("graph.trig", "graph.html"):
        shutil.copy(seeds_build.out / name, folder / name)
    return folder / "graph.trig"


def _start(graph: Path, **kw):  # noqa: ANN003, ANN202
    running = make_server(graph, host="127.0.0.1", port=0, **kw)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    return running, thread


def _stop(running, thread) -> None:  # noqa: ANN001
    running.stop()
    thread.join(5)
    assert not thread.is_alive()


@pytest.fixture(scope="module")
def server(graph: Path):  # noqa: ANN201
    running, thread = _start(graph, timeout=5)
    try:
        yield running
    finally:
        _stop(running, thread)


def client(server, query: str, fmt: str = JSON, method: str | None = None, request: str | None = None):  # noqa: ANN001, ANN201
    sparql = SPARQLWrapper.SPARQLWrapper(server.endpoint)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    if method:
        sparql.setMethod(method)
    if request:
        sparql.setRequestMethod(request)
    sparql.setTimeout(20)
    return sparql.queryAndConvert()


def http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):  # noqa: ANN201
    """(status, content type, body) of a plain urllib request; HTTP errors are returned, not raised."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=20) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def get(server, query: str, accept: str | None = None, **extra: str):  # noqa: ANN001, ANN201
    qs = urllib.parse.urlencode({"query": query, **extra})
    return http(f"{server.endpoint}?{qs}", headers={"Accept": accept} if accept else {})


def count(server) -> int:  # noqa: ANN001
    return int(client(server, COUNT)["results"]["bindings"][0]["n"]["value"])


# -- SPARQLWrapper -----------------------------------------------------------------------------

def test_defaults_are_local() -> None:
    assert DEFAULT_HOST == "127.0.0.1" and DEFAULT_PORT == 7878


def test_sparqlwrapper_select_json_get_and_post(server) -> None:  # noqa: ANN001
    for method, request in ((None, None), (POST, URLENCODED), (POST, POSTDIRECTLY)):
        doc = client(server, WHO_ENDORSES, JSON, method, request)
        assert doc["head"]["vars"] == ["who"]
        assert "Vitalik Buterin" in {b["who"]["value"] for b in doc["results"]["bindings"]}


def test_sparqlwrapper_xml_csv_tsv(server) -> None:  # noqa: ANN001
    xml = client(server, UBS, XML)
    assert [n.firstChild.data for n in xml.getElementsByTagName("literal")] == ["UBS"]
    assert client(server, UBS, CSV).decode().splitlines() == ["l", "UBS"]
    assert client(server, UBS, TSV).decode().splitlines() == ["?l", '"UBS"']


def test_sparqlwrapper_ask_and_construct(server) -> None:  # noqa: ANN001
    assert client(server, "ASK { ?s kg:endorses ?o }", JSON)["boolean"] is True
    assert client(server, "ASK { ?s kg:acquires <urn:nothing> }", JSON)["boolean"] is False
    ttl = client(server, "CONSTRUCT { ?s kg:endorses ?o } WHERE { ?s kg:endorses ?o }", TURTLE)
    g = Graph().parse(data=ttl, format="turtle")
    assert len(g) > 3
    jl = client(server, "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l } LIMIT 5", JSONLD)
    assert len(jl) == 5  # SPARQLWrapper parses JSON-LD into an rdflib Graph


def test_sparqlwrapper_update_is_refused_and_changes_nothing(server) -> None:  # noqa: ANN001
    before = count(server)
    sparql = SPARQLWrapper.SPARQLWrapper(server.endpoint)
    sparql.setMethod(POST)
    sparql.setQuery("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }")
    with pytest.raises(urllib.error.HTTPError) as info:
        sparql.query()
    assert info.value.code == 403
    assert count(server) == before


# -- plain HTTP ----------------------------------------------------------------------------------

def test_results_by_accept_header(server) -> None:  # noqa: ANN001
    q = "SELECT ?e ?l WHERE { ?e rdfs:label ?l FILTER (?l = 'UBS') }"  # one row
    status, ctype, body = get(server, q, "application/sparql-results+json")
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["l"]["value"] == "UBS"
    status, ctype, body = get(server, q, "application/sparql-results+xml")
    assert ctype.startswith("application/sparql-results+xml") and b"<literal>UBS</literal>" in body
    status, ctype, body = get(server, q, "text/csv")
    assert ctype.startswith("text/csv") and body.decode().splitlines() == ["e,l", "https://w3id.org/crypto-kg/id/entity/ubs,UBS"]
    status, ctype, body = get(server, q, "text/tab-separated-values")
    assert body.decode().splitlines() == ["?e\t?l", '<https://w3id.org/crypto-kg/id/entity/ubs>\t"UBS"']
    status, ctype, body = get(server, q, "text/html,application/xml;q=0.9,*/*;q=0.8")  # a browser
    assert ctype.startswith("application/xml")
    assert get(server, q, "image/png")[0] == 406
    assert get(server, q, None, format="csv")[2].decode().startswith("e,l")


def test_construct_and_describe_formats(server) -> None:  # noqa: ANN001
    q = "CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e rdfs:label ?l FILTER (?l IN ('UBS', 'HSBC')) }"
    for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
                        ("application/rdf+xml", "xml")):
        status, ctype, body = get(server, q, accept)
        assert status == 200 and ctype.startswith(accept), accept
        g = Graph().parse(data=body, format=fmt)
        assert {str(o) for o in g.objects()} == {"UBS", "HSBC"}, accept
    status, ctype, body = get(server, "DESCRIBE <https://w3id.org/crypto-kg/id/entity/ubs>")
    assert status == 200 and ctype.startswith("text/turtle") and "UBS" in body.decode()
    status, _, body = get(server, q, "application/ld+json")
    assert json.loads(body)["@context"]["kg"] == "https://w3id.org/crypto-kg/ontology#"  # the contract's context


def test_post_forms_and_direct(server) -> None:  # noqa: ANN001
    form = urllib.parse.urlencode({"query": UBS}).encode()
    status, _, body = http(server.endpoint, form, {"Content-Type": "application/x-www-form-urlencoded",
                                                   "Accept": "text/csv"})
    assert status == 200 and body.decode().splitlines() == ["l", "UBS"]
    status, _, body = http(server.endpoint, UBS.encode(), {"Content-Type": "application/sparql-query; charset=utf-8",
                                                            "Accept": "text/csv"})
    assert status == 200 and body.decode().splitlines() == ["l", "UBS"]
    assert http(server.endpoint, b"x", {"Content-Type": "text/plain"})[0] == 415
    assert http(server.endpoint, b"", {"Content-Type": "application/x-www-form-urlencoded"})[0] == 400


def test_every_kind_of_update_is_refused(server) -> None:  # noqa: ANN001
    before = count(server)
    upd = "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
    drop = "DROP ALL"
    attempts = [
        http(server.endpoint, urllib.parse.urlencode({"update": upd}).encode(),
             {"Content-Type": "application/x-www-form-urlencoded"}),
        http(server.endpoint, drop.encode(), {"Content-Type": "application/sparql-update"}),
        http(server.endpoint, urllib.parse.urlencode({"query": drop}).encode(),
             {"Content-Type": "application/x-www-form-urlencoded"}),
        get(server, upd),
        http(f"{server.endpoint}?{urllib.parse.urlencode({'update': upd})}"),
    ]
    for status, _, body in attempts:
        assert status in (400, 403), body
        assert b"read-only" in body
    assert count(server) == before


class _Trap(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        _Trap.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b'{"head":{"vars":["s"]},"results":{"bindings":[]}}')

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


def test_service_is_refused_and_nothing_is_fetched(server) -> None:  # noqa: ANN001
    trap = ThreadingHTTPServer(("127.0.0.1", 0), _Trap)
    t = threading.Thread(target=trap.serve_forever, daemon=True)
    t.start()
    try:
        url = f"http://127.0.0.1:{trap.server_address[1]}/sparql"
        for q in (f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
                  f"SELECT * WHERE {{ ?x kg:endorses ?y . OPTIONAL {{ SERVICE SILENT <{url}> {{ ?x ?p ?o }} }} }}"):
            status, _, body = get(server, q)
            assert status == 403 and b"SERVICE" in body
            status, _, body = http(server.endpoint, q.encode(), {"Content-Type": "application/sparql-query"})
            assert status == 403
        # FROM only names graphs of the dataset: nothing is fetched either
        status, _, body = get(server, f"SELECT (COUNT(*) AS ?n) FROM <{url}> WHERE {{ ?s ?p ?o }}", "text/csv")
        assert status == 200 and body.decode().splitlines()[1] == "0"
        with pytest.raises(urllib.error.HTTPError):
            client(server, f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    finally:
        trap.shutdown()
        trap.server_close()
    assert _Trap.hits == []


def test_errors(server) -> None:  # noqa: ANN001
    status, ctype, body = get(server, "SELECT ?x WHERE { ?x ?y }")
    assert status == 400 and b"syntax" in body and ctype.startswith("text/plain")
    assert get(server, "SELECT * WHERE { ?s nope:x ?o }")[0] == 400  # unknown prefix
    assert http(server.url + "/nothing")[0] == 404
    assert http(server.endpoint, method="PUT", data=b"x")[0] == 405
    status, _, body = get(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", **{"default-graph-uri": "urn:x"})
    assert status == 400


def test_named_graphs_and_from(server) -> None:  # noqa: ANN001
    q = ("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a schema:NewsArticle } }")
    n_articles = int(get(server, q, "text/csv")[2].decode().splitlines()[1])
    assert n_articles >= 14
    art = "https://w3id.org/crypto-kg/id/article/01-buterin-zksync-txt"
    q = f"SELECT ?h FROM <{art}> WHERE {{ ?a schema:headline ?h }}"
    assert get(server, q, "text/csv")[2].decode().splitlines()[1].startswith("Vitalik Buterin Endorses ZKsync")


def test_graph_page_and_service_description(server, graph: Path) -> None:  # noqa: ANN001
    status, ctype, body = http(server.url + "/")
    assert status == 200 and ctype.startswith("text/html") and body == (graph.parent / "graph.html").read_bytes()
    status, ctype, body = http(server.endpoint)
    assert status == 200 and ctype.startswith("text/turtle")
    sd = Graph().parse(data=body, format="turtle")
    assert str(next(sd.objects(None, next(p for p in sd.predicates() if str(p).endswith("#endpoint"))))) == server.endpoint


def test_negotiate() -> None:
    offered = ["application/sparql-results+json", "text/csv"]
    assert negotiate(None, offered) == offered[0]
    assert negotiate("*/*", offered) == offered[0]
    assert negotiate("text/*", offered) == "text/csv"
    assert negotiate("text/csv;q=0.5, application/sparql-results+json;q=0.4", offered) == "text/csv"
    assert negotiate("application/json", offered) is None


# -- time limit, Oxigraph, the real command --------------------------------------------------------

def test_time_limit(graph: Path) -> None:
    running, thread = _start(graph, timeout=0.5, threads=1)
    try:
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        started = time.perf_counter()
        status, _, body = get(running, slow)
        assert status == 503 and b"timed out" in body
        assert time.perf_counter() - started < 5
        deadline = time.monotonic() + 10  # the cancelled worker stops, so the single slot frees up
        while time.monotonic() < deadline and any(j.thread.is_alive() for j in running.app._jobs):
            time.sleep(0.05)
        assert get(running, "ASK { ?s ?p ?o }")[0] == 200
    finally:
        _stop(running, thread)


def test_oxigraph_store(graph: Path) -> None:
    running, thread = _start(graph, store="oxigraph")
    try:
        assert "Vitalik Buterin" in {b["who"]["value"] for b in client(running, WHO_ENDORSES)["results"]["bindings"]}
        status, _, body = get(running, "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }")
        assert status == 403
        ds = Dataset()
        ds.parse(graph, format="trig")
        assert count(running) == len(set((s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))))
        assert (graph.parent / "oxigraph" / "store").is_dir()
    finally:
        _stop(running, thread)


def test_kg_serve_command(graph: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--graph", str(graph), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        endpoint, seen = None, []
        deadline = time.monotonic() + 60
        while endpoint is None and time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            seen.append(line)
            m = re.search(r"SPARQL endpoint: (http://127\.0\.0\.1:\d+/sparql)", line)
            endpoint = m.group(1) if m else None
        assert endpoint, "".join(seen)
        qs = urllib.parse.urlencode({"query": WHO_ENDORSES})
        status, _, body = http(f"{endpoint}?{qs}", headers={"Accept": "text/csv"})
        assert status == 200 and "Vitalik Buterin" in body.decode().splitlines()
        status, _, _ = http(endpoint, b"CLEAR ALL", {"Content-Type": "application/sparql-update"})
        assert status == 403
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
