"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint over a built graph, plus graph.html at `/`.

    GET  /sparql?query=...                                  (URL-encoded query)
    POST /sparql  Content-Type: application/x-www-form-urlencoded   query=...
    POST /sparql  Content-Type: application/sparql-query            (the query as the body)
    GET  /sparql                                            a SPARQL service description (Turtle)
    GET  /                                                  the interactive graph page

Results by `Accept` (or a `format`/`output` parameter): SELECT/ASK as SPARQL JSON (default), XML,
CSV or TSV; CONSTRUCT/DESCRIBE as Turtle (default), N-Triples, JSON-LD or RDF/XML.

Read-only and closed: SPARQL Update (an `update` parameter, `application/sparql-update`, or an
update in `query`) is refused with 403 and changes nothing; a `SERVICE` clause is refused with 403
and nothing is ever fetched (FROM only selects graphs of the dataset); each query has a time limit
(503 when it runs over); at most `max_running` queries run at once. The HTTP side is waitress.
"""
from __future__ import annotations

import ctypes
import ipaddress
import signal
import sys
import threading
import time
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import parse_qs

from .errors import KgError, QueryError, one_line
from .sparql_formats import ASK_TYPES, FORMAT_NAMES, GRAPH_TYPES, RESULT_TYPES, negotiate, serialize_result
from .store import CheckedQuery, GraphStore, QueryRefused, QueryTimeout, check_query, open_store

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0
ENDPOINT = "/sparql"
MAX_QUERY_CHARS = 100_000
MAX_BODY_BYTES = 1_000_000


class HttpError(Exception):
    """A non-200 reply: raised anywhere in handling a request, sent as plain text by SparqlApp."""

    def __init__(self, status: str, message: str, headers: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, list(headers)


# --------------------------------------------------------------------------------------------
# Time limits
# --------------------------------------------------------------------------------------------

def _interrupt(thread: threading.Thread) -> None:
    """Raise _Cancelled inside a worker thread (taken at its next Python bytecode)."""
    if thread.ident is not None and thread.is_alive():
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(_Cancelled))


class _Cancelled(BaseException):
    """Raised inside a worker past its time limit; a BaseException so no `except Exception` swallows it."""


@dataclass
class _Job:
    thread: threading.Thread | None = None
    value: bytes | None = None
    error: BaseException | None = None


# --------------------------------------------------------------------------------------------
# The WSGI application
# --------------------------------------------------------------------------------------------

class SparqlApp:
    """WSGI app: the SPARQL endpoint at /sparql and the graph page at /."""

    def __init__(self, store: GraphStore, html_path: Path | None = None, timeout: float = DEFAULT_TIMEOUT,
                 max_running: int = 4, cors: bool = False) -> None:
        self.store, self.html_path, self.timeout = store, html_path, timeout
        self.max_running, self.cors = max_running, cors
        self._jobs: list[_Job] = []
        self._lock = threading.Lock()
        self.queries = 0

    # -- WSGI --------------------------------------------------------------------------------
    def __call__(self, environ: dict, start_response: Callable) -> list[bytes]:
        headers: list[tuple[str, str]] = []
        try:
            status, ctype, body, extra = self._route(environ)
            headers = [("Content-Type", ctype), *extra]
        except HttpError as exc:
            status, body = exc.status, (exc.message + "\n").encode("utf-8")
            headers = [("Content-Type", "text/plain; charset=utf-8"), *exc.headers]
        except Exception as exc:  # noqa: BLE001 - a bug must not kill the server
            status, body = "500 Internal Server Error", f"internal error: {one_line(exc)}\n".encode("utf-8")
            headers = [("Content-Type", "text/plain; charset=utf-8")]
        headers += [("Content-Length", str(len(body))), ("X-Content-Type-Options", "nosniff"),
                    ("Cache-Control", "no-store")]
        if self.cors:
            headers.append(("Access-Control-Allow-Origin", "*"))
        start_response(status, headers)
        return [body]

    def _route(self, environ: dict) -> tuple[str, str, bytes, list]:
        path = environ.get("PATH_INFO") or "/"
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if method == "OPTIONS" and self.cors:
            return "204 No Content", "text/plain", b"", [
                ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                ("Access-Control-Allow-Headers", "Content-Type, Accept"), ("Access-Control-Max-Age", "600")]
        if path in ("/", "/index.html"):
            if method not in ("GET", "HEAD"):
                raise HttpError("405 Method Not Allowed", "use GET", [("Allow", "GET, HEAD")])
            return "200 OK", "text/html; charset=utf-8", self._index(), []
        if path.rstrip("/") == ENDPOINT:
            if method not in ("GET", "HEAD", "POST"):
                raise HttpError("405 Method Not Allowed", "use GET or POST", [("Allow", "GET, HEAD, POST")])
            return self._sparql(environ, method)
        raise HttpError("404 Not Found", f"nothing at {path}: the SPARQL endpoint is {ENDPOINT}")

    def _index(self) -> bytes:
        if self.html_path is not None and self.html_path.is_file():
            return self.html_path.read_bytes()
        return (f"<!doctype html><meta charset=utf-8><title>crypto-kg</title><h1>crypto-kg SPARQL endpoint</h1>"
                f"<p>POST or GET SPARQL queries to <code>{ENDPOINT}</code>. No graph page was found "
                f"beside the graph ({escape(str(self.html_path or ''))}).</p>"
                f"<form action='{ENDPOINT}' method=post><textarea name=query rows=8 cols=80>"
                "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10</textarea><br><button>Run</button></form>").encode()

    # -- the protocol ------------------------------------------------------------------------
    def _read_body(self, environ: dict) -> bytes:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise HttpError("400 Bad Request", "bad Content-Length") from None
        if length > MAX_BODY_BYTES:
            raise HttpError("413 Payload Too Large", f"request body over {MAX_BODY_BYTES} bytes")
        return environ["wsgi.input"].read(length) if length > 0 else b""

    def _params(self, environ: dict, method: str) -> tuple[list[str], dict[str, list[str]]]:
        """(query texts, all parameters) from the URL and, for POST, the body."""
        params = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        queries = list(params.pop("query", []))
        if method == "POST":
            ctype = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
            body = self._read_body(environ)
            if ctype == "application/x-www-form-urlencoded":
                try:
                    form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
                except UnicodeDecodeError:
                    raise HttpError("400 Bad Request", "the form is not UTF-8") from None
                queries += form.pop("query", [])
                for k, v in form.items():
                    params.setdefault(k, []).extend(v)
            elif ctype == "application/sparql-query":
                try:
                    queries.append(body.decode("utf-8"))
                except UnicodeDecodeError:
                    raise HttpError("400 Bad Request", "the query is not UTF-8") from None
            elif ctype == "application/sparql-update":
                raise HttpError("403 Forbidden", "SPARQL Update is not allowed: this endpoint is read-only")
            else:
                raise HttpError("415 Unsupported Media Type",
                                "POST a query as application/sparql-query or application/x-www-form-urlencoded")
        if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
            raise HttpError("403 Forbidden", "SPARQL Update is not allowed: this endpoint is read-only")
        return queries, params

    def _sparql(self, environ: dict, method: str) -> tuple[str, str, bytes, list]:
        queries, params = self._params(environ, method)
        if not queries:
            if method == "POST":
                raise HttpError("400 Bad Request", "no query: send query=... or an application/sparql-query body")
            return "200 OK", "text/turtle; charset=utf-8", self._description(environ), []
        if len(queries) > 1:
            raise HttpError("400 Bad Request", "more than one query in the request")
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            raise HttpError("400 Bad Request", "default-graph-uri / named-graph-uri are not supported: "
                                               "use FROM / FROM NAMED in the query (graphs of this dataset only)")
        text = queries[0]
        if len(text) > MAX_QUERY_CHARS:
            raise HttpError("413 Payload Too Large", f"query over {MAX_QUERY_CHARS} characters")
        try:
            checked = check_query(text)
        except QueryRefused as exc:
            raise HttpError("403 Forbidden", exc.message) from None
        except QueryError as exc:
            raise HttpError("400 Bad Request", exc.message) from None
        mime = self._choose(environ, params, checked.form)
        body = self._run(checked, mime)
        ctype = mime + ("; charset=utf-8" if not mime.endswith("+xml") and mime != "application/xml" else "")
        return "200 OK", ctype, body, [("Vary", "Accept")]

    def _choose(self, environ: dict, params: dict, form: str) -> str:
        graph = form in ("CONSTRUCT", "DESCRIBE")
        offered = list(GRAPH_TYPES) if graph else list(ASK_TYPES if form == "ASK" else RESULT_TYPES)
        for key in ("format", "output", "results"):
            for value in params.get(key, []):
                value = value.strip().lower()
                pick = FORMAT_NAMES.get(value, (None, None))[1 if graph else 0]
                if pick is None and value in offered:
                    pick = value
                if pick in offered:
                    return pick
        chosen = negotiate(environ.get("HTTP_ACCEPT"), offered)
        if chosen is None:
            raise HttpError("406 Not Acceptable", "acceptable types: " + ", ".join(offered))
        return chosen

    def _run(self, checked: CheckedQuery, mime: str) -> bytes:
        """Run and serialise in a worker thread; give up after the time limit."""
        with self._lock:
            self._jobs = [j for j in self._jobs if j.thread.is_alive()]
            if len(self._jobs) >= self.max_running:
                raise HttpError("503 Service Unavailable", "too many queries running: try again later",
                                [("Retry-After", "5")])
            job = _Job()

            def work() -> None:
                try:
                    job.value = serialize_result(self.store.query(checked), mime)
                except BaseException as exc:  # noqa: BLE001 - handed to the request thread
                    job.error = exc

            job.thread = threading.Thread(target=work, daemon=True, name="kg-query")
            self._jobs.append(job)
            self.queries += 1
            job.thread.start()
        job.thread.join(self.timeout)
        if job.thread.is_alive():
            _interrupt(job.thread)
            raise HttpError("503 Service Unavailable", f"query timed out after {self.timeout:g} s")
        if isinstance(job.error, (QueryTimeout, _Cancelled)):
            raise HttpError("503 Service Unavailable", f"query timed out after {self.timeout:g} s")
        if isinstance(job.error, QueryRefused):
            raise HttpError("403 Forbidden", job.error.message)
        if isinstance(job.error, KgError):
            raise HttpError("400 Bad Request", job.error.message)
        if job.error is not None:
            raise HttpError("500 Internal Server Error", f"query failed: {one_line(job.error)}")
        return job.value or b""

    def _description(self, environ: dict) -> bytes:
        from wsgiref.util import request_uri

        url = request_uri(environ, include_query=False)
        results = "".join(f"  sd:resultFormat <http://www.w3.org/ns/formats/{f}> ;\n" for f in
                          ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                           "Turtle", "N-Triples", "JSON-LD", "RDF_XML"))
        return (
            "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
            f"[] a sd:Service ;\n  sd:endpoint <{url}> ;\n"
            "  sd:supportedLanguage sd:SPARQL11Query ;\n"
            f"{results}"
            "  sd:feature sd:UnionDefaultGraph ;\n"
            "  sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .\n"
        ).encode("utf-8")


# --------------------------------------------------------------------------------------------
# Running it
# --------------------------------------------------------------------------------------------

def _loopback(host: object) -> bool:
    if not isinstance(host, str):
        return False
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def forbid_outbound() -> None:
    """Defence in depth for `kg serve`: an audit hook that refuses any outbound connection or URL
    request from this process (loopback excepted). It cannot be removed once installed."""

    def hook(event: str, args: tuple) -> None:
        if event == "urllib.Request":
            raise PermissionError("crypto-kg serve makes no outbound requests")
        if event in ("socket.connect", "socket.sendto", "socket.sendmsg") and len(args) > 1:
            address = args[1]
            if isinstance(address, tuple) and not _loopback(address[0]):
                raise PermissionError("crypto-kg serve makes no outbound connections")
        if event == "socket.getaddrinfo" and args and not _loopback(args[0]):
            host = args[0]
            if isinstance(host, (bytes, bytearray)):
                host = host.decode(errors="replace")
            try:
                ipaddress.ip_address(str(host))
            except ValueError:
                raise PermissionError("crypto-kg serve makes no DNS look-ups") from None

    sys.addaudithook(hook)


@dataclass
class Running:
    """A started server: its URL, the app, and a stop() that closes the store."""

    server: object
    app: SparqlApp
    host: str
    port: int

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def endpoint(self) -> str:
        return self.url + ENDPOINT

    def run(self) -> None:
        """Serve until interrupted (Ctrl-C)."""
        self.server.run()

    def stop(self) -> None:
        self.server.close()
        try:
            self.server.task_dispatcher.shutdown(cancel_pending=True, timeout=2)
        except Exception:  # noqa: BLE001 - best effort on shutdown
            pass
        self.app.store.close()


def make_server(graph: Path | str = "output/graph.trig", host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                store: str = "memory", timeout: float = DEFAULT_TIMEOUT, threads: int = 4,
                cors: bool = False) -> Running:
    """Open the graph and bind a waitress server (port 0: any free port); call .run() to serve."""
    from waitress import create_server

    graph = Path(graph)
    gs = open_store(graph, store)
    app = SparqlApp(gs, html_path=graph.parent / "graph.html", timeout=timeout, max_running=threads, cors=cors)
    try:
        server = create_server(app, host=host, port=port, threads=threads + 2, ident="crypto-kg",
                               max_request_body_size=MAX_BODY_BYTES, clear_untrusted_proxy_headers=True,
                               channel_timeout=max(60, int(timeout) + 30))
    except OSError as exc:
        gs.close()
        from .errors import InputError

        raise InputError(f"cannot listen on {host}:{port}: {one_line(exc)}") from exc
    bound = getattr(server, "effective_port", None)
    if bound is None:  # several sockets (a name resolving to IPv4 and IPv6)
        bound = server.effective_listen[0][1]
    return Running(server, app, host, int(bound))


def serve(graph: Path | str = "output/graph.trig", host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          store: str = "memory", timeout: float = DEFAULT_TIMEOUT, threads: int = 4, cors: bool = False,
          announce: Callable[[str], None] | None = None, block_outbound: bool = True) -> None:
    """Serve a built graph until interrupted."""
    started = time.perf_counter()
    running = make_server(graph, host, port, store, timeout, threads, cors)
    if block_outbound:
        forbid_outbound()
    if threading.current_thread() is threading.main_thread():
        def _stop(signum: int, frame: object) -> None:  # SIGTERM: shut down like Ctrl-C
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, _stop)
    if announce:
        announce(f"serving {graph} ({len(running.app.store)} triples, {store} store, "
                 f"loaded in {time.perf_counter() - started:.1f} s)")
        announce(f"SPARQL endpoint: {running.endpoint}")
        announce(f"graph page:      {running.url}/")
        if not _loopback(host):
            announce(f"warning: listening on {host}, reachable from other machines")
        announce("press Ctrl-C to stop")
    try:
        running.run()
    finally:
        running.stop()


__all__ = ["SparqlApp", "make_server", "serve", "negotiate", "serialize_result", "forbid_outbound", "Running",
           "DEFAULT_HOST", "DEFAULT_PORT", "DEFAULT_TIMEOUT", "ENDPOINT"]
