"""Never trust input: every bad file either builds (decoded right) or is skipped with a one-line
warning naming it and the reason; the rest of the build goes on and the summary lists the skips.

Each test builds a folder holding one good article (whose fact, Stripe acquires Bridge, must reach
the graph) beside the bad input, through the `kg build` command.
"""
from __future__ import annotations

import os
import signal
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef

from kgtest_helpers import run_cli
from kg.ingest import MAX_CHARS, SkipFile, iter_documents, read_file
from kg.model import Document, Skipped

KG = "https://w3id.org/crypto-kg/ontology#"
ID = "https://w3id.org/crypto-kg/id/"
SCHEMA_HEADLINE = URIRef("https://schema.org/headline")
FILE_NAME = URIRef(KG + "fileName")
ACQUIRES = URIRef(KG + "acquires")
EVIDENCE = URIRef(KG + "evidence")

GOOD_NAME = "good.txt"
GOOD = "Stripe Buys Bridge\n\nStripe completed its acquisition of Bridge on Tuesday, the company said.\n"
MB = 1024 * 1024


# -- helpers ----------------------------------------------------------------------------------------------

run = run_cli


@dataclass
class Outcome:
    stdout: str
    stderr: str
    dataset: Dataset
    warnings: dict[str, str]      # path -> reason, from the one-line warnings on stderr
    summary: dict[str, str]       # path -> reason, from the "skipped:" block of the summary

    def article(self, name: str) -> URIRef:
        found = list(self.dataset.subjects(FILE_NAME, Literal(name)))
        assert len(found) == 1, (name, found)
        return found[0]

    def file_names(self) -> list[str]:
        return sorted(str(o) for o in self.dataset.objects(None, FILE_NAME))


def build_beside(tmp_path: Path, files: dict[str, bytes], *args: str) -> Outcome:
    """Build GOOD plus `files` with `kg build`; check the build succeeded and kept the good fact."""
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    (folder / GOOD_NAME).write_text(GOOD, encoding="utf-8")
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return build_folder(folder, tmp_path / "out", *args)


def build_folder(folder: Path, out: Path, *args: str) -> Outcome:
    result = run("build", str(folder), "--out", str(out), *args)
    assert result.exit_code == 0, result.stderr
    ds = Dataset(default_union=True)
    ds.parse(out / "graph.trig", format="trig")
    outcome = Outcome(result.stdout, result.stderr, ds, _warnings(result.stderr), _summary_skips(result.stdout))
    # the good article beside the bad input still yields its fact
    good = outcome.article(GOOD_NAME)
    assert (URIRef(ID + "entity/stripe"), ACQUIRES, URIRef(ID + "entity/bridge"), good) in ds.quads(
        (None, ACQUIRES, None, good)), "the good article lost its fact"
    assert outcome.warnings == outcome.summary, "the summary and the warnings disagree"
    return outcome


def _warnings(stderr: str) -> dict[str, str]:
    found = {}
    for line in stderr.splitlines():
        if not line.strip():
            continue
        assert line.startswith("warning: skipped "), f"unexpected stderr line: {line!r}"
        path, _, reason = line[len("warning: skipped "):].partition(": ")
        assert reason.strip(), line
        found[path] = reason
    return found


def _summary_skips(stdout: str) -> dict[str, str]:
    lines = stdout.splitlines()
    heads = [i for i, ln in enumerate(lines) if ln.startswith("skipped: ")]
    if not heads:
        return {}
    [i] = heads
    n = int(lines[i].split(":")[1])
    block = lines[i + 1:i + 1 + n]
    assert all(ln.startswith("  ") for ln in block), block
    return dict(ln[2:].partition(": ")[::2] for ln in block)


def assert_skipped(outcome: Outcome, name: str, *words: str) -> str:
    """`name` is the one skipped file, its reason holds every word in `words`."""
    assert list(outcome.warnings) == [name], outcome.warnings
    reason = outcome.warnings[name]
    for w in words:
        assert w.lower() in reason.lower(), (w, reason)
    assert outcome.file_names() == [GOOD_NAME]
    assert "skipped: 1" in outcome.stdout
    return reason


def assert_built(outcome: Outcome, name: str) -> URIRef:
    assert outcome.warnings == {}, outcome.warnings
    assert "skipped:" not in outcome.stdout
    assert sorted(outcome.file_names()) == sorted([GOOD_NAME, name])
    return outcome.article(name)


def ingest_one(tmp_path: Path, name: str, data: bytes, lex) -> list[Document]:  # noqa: ANN001
    folder = tmp_path / "single"
    folder.mkdir()
    (folder / name).write_bytes(data)
    return read_file(folder / name, folder, lex)


# -- binary, empty and whitespace files ---------------------------------------------------------------------

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
       + bytes(range(256)) * 4 + b"\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.mark.parametrize("name, data", [
    ("nul.txt", b"Stripe completed\x00its acquisition\x00of Bridge.\x00" * 50),
    ("picture.html", PNG),
    ("noise.md", bytes((i * 7919) % 256 for i in range(4000)).replace(b"\x00", b"\x01")),  # control bytes, no NUL
])
def test_binary_file_with_an_article_extension_is_skipped(tmp_path: Path, name: str, data: bytes) -> None:
    outcome = build_beside(tmp_path, {name: data})
    assert_skipped(outcome, name, "binary")


@pytest.mark.parametrize("data", [b"", b"   \n\n\t  \r\n  ", "\u00a0\u200b\n".encode("utf-8")])
def test_empty_or_whitespace_only_file_is_skipped(tmp_path: Path, data: bytes) -> None:
    outcome = build_beside(tmp_path, {"blank.txt": data})
    assert_skipped(outcome, "blank.txt", "empty")


# -- encodings ----------------------------------------------------------------------------------------------

LATIN = ("Café Owner In Zürich Accepts Bitcoin\n\n"
         "The café near the Zürich station accepted bitcoin payments on Monday, the owner said.\n")


def test_latin1_text_is_decoded(tmp_path: Path, lex) -> None:  # noqa: ANN001
    data = LATIN.encode("latin-1")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")                      # really not UTF-8
    [doc] = ingest_one(tmp_path, "latin.txt", data, lex)
    assert doc.text == LATIN.strip()
    outcome = build_beside(tmp_path, {"latin.txt": data})
    art = assert_built(outcome, "latin.txt")
    assert Literal("Café Owner In Zürich Accepts Bitcoin") in set(outcome.dataset.objects(art, SCHEMA_HEADLINE))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be-bom", "utf-8-sig", "utf-32"])
def test_text_with_a_byte_order_mark_is_decoded(tmp_path: Path, lex, encoding: str) -> None:  # noqa: ANN001
    data = b"\xfe\xff" + LATIN.encode("utf-16-be") if encoding == "utf-16-be-bom" else LATIN.encode(encoding)
    [doc] = ingest_one(tmp_path, "bom.txt", data, lex)
    assert doc.text == LATIN.strip()
    outcome = build_beside(tmp_path, {"bom.txt": data})
    art = assert_built(outcome, "bom.txt")
    assert Literal("Café Owner In Zürich Accepts Bitcoin") in set(outcome.dataset.objects(art, SCHEMA_HEADLINE))


UTF8_ARTICLE = ("Société Générale Picks Solana\n\n"
                "Société Générale said on Monday that its euro stablecoin would settle on Solana.\n\n"
                "Coinbase completed its acquisition of Deribit on Thursday, the exchange said.\n")


def test_invalid_utf8_byte_in_a_utf8_article_is_replaced(tmp_path: Path, lex) -> None:  # noqa: ANN001
    """A stray Latin-1 byte in an otherwise UTF-8 file: the file is UTF-8 (it has valid accents), so the
    stray byte becomes U+FFFD and everything else is kept exactly; the article still builds."""
    good = UTF8_ARTICLE.encode("utf-8")
    cut = good.index(b"its acquisition")
    data = good[:cut] + b"caf\xe9 " + good[cut:]          # "café" in Latin-1 inside UTF-8 text
    [doc] = ingest_one(tmp_path, "mixed.txt", data, lex)
    expected = UTF8_ARTICLE.replace("its acquisition", "caf\ufffd its acquisition").strip()
    assert doc.text == expected
    outcome = build_beside(tmp_path, {"mixed.txt": data})
    art = assert_built(outcome, "mixed.txt")
    assert Literal("Société Générale Picks Solana") in set(outcome.dataset.objects(art, SCHEMA_HEADLINE))


def test_invalid_utf8_byte_in_an_ascii_article_is_read_as_windows_1252(tmp_path: Path, lex) -> None:  # noqa: ANN001
    """No valid UTF-8 accents at all: the file is taken as Windows-1252, so the byte is decoded."""
    data = GOOD.replace("Tuesday", "Tuesday at the caf\xe9").encode("cp1252")
    [doc] = ingest_one(tmp_path, "cafe.txt", data, lex)
    assert "Tuesday at the café," in doc.text
    assert "\ufffd" not in doc.text
    outcome = build_beside(tmp_path, {"cafe.txt": data})
    assert_built(outcome, "cafe.txt")


# -- size limits --------------------------------------------------------------------------------------------

def _sparse(path: Path, size: int, head: bytes = b"") -> Path:
    with path.open("wb") as fh:
        fh.write(head)
        fh.truncate(size)           # a hole: instant to create, takes no disk space
    return path


def test_50mb_file_is_refused_with_the_limit_by_default(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _sparse(folder / "huge.txt", 50 * MB, b"Stripe Buys Bridge\n\n")
    started = time.perf_counter()
    outcome = build_beside(tmp_path, {})
    assert time.perf_counter() - started < 30
    reason = assert_skipped(outcome, "huge.txt", "10 MB", "--max-file-mb")
    assert "larger than" in reason


def test_oversized_file_is_refused_without_reading_it(tmp_path: Path, lex) -> None:  # noqa: ANN001
    _sparse(tmp_path / "huge.txt", 50 * MB, b"Stripe Buys Bridge\n\n")
    tracemalloc.start()
    try:
        with pytest.raises(SkipFile, match="10 MB limit"):
            read_file(tmp_path / "huge.txt", tmp_path, lex)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1 * MB, peak


def test_binary_file_under_a_raised_limit_is_refused_after_its_first_bytes(tmp_path: Path, lex) -> None:  # noqa: ANN001
    _sparse(tmp_path / "zeros.txt", 50 * MB)
    tracemalloc.start()
    try:
        with pytest.raises(SkipFile, match="binary"):
            read_file(tmp_path / "zeros.txt", tmp_path, lex, max_bytes=100 * MB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1 * MB, peak


def test_50mb_text_under_a_raised_limit_is_refused_as_too_long_with_bounded_memory(tmp_path: Path, lex) -> None:  # noqa: ANN001
    chunk = "".join(f"Stripe completed deal number {n} with Bridge on day {n}, the company said.\n\n"
                    for n in range(12000)).encode("ascii")
    path = tmp_path / "long.txt"
    with path.open("wb") as fh:
        for _ in range(50 * MB // len(chunk) + 1):
            fh.write(chunk)
    size = path.stat().st_size
    assert size > 50 * MB
    tracemalloc.start()
    started = time.perf_counter()
    try:
        items = list(iter_documents(tmp_path, lex, max_bytes=100 * MB))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 20
    assert items == [Skipped("long.txt", items[0].reason)]
    assert "too long" in items[0].reason and f"{MAX_CHARS:,}" in items[0].reason
    assert peak < 3 * size, peak          # the bytes and one decoded copy, not a dozen copies


def test_article_over_the_pipeline_length_limit_is_skipped_not_fatal(tmp_path: Path) -> None:
    """A 2.5 MB text file is under the 10 MB file limit but over spaCy's 1,000,000 characters: only
    that file is skipped (it used to stop the whole build with spaCy's E088 ValueError)."""
    paragraphs = "".join(f"Coinbase launched product number {n} on day {n} of the year, the firm said.\n\n"
                         for n in range(40000))
    data = ("Coinbase Launches Many Products\n\n" + paragraphs).encode("utf-8")
    assert 1.2 * MAX_CHARS < len(data) < 10 * MB
    outcome = build_beside(tmp_path, {"long.txt": data})
    assert_skipped(outcome, "long.txt", "too long")


def test_engine_reports_an_article_spacy_refuses_instead_of_raising() -> None:
    from kg.engine import Settings, extract_batch

    good = Document("good-txt", GOOD_NAME, GOOD.strip(), "Stripe Buys Bridge")
    long = Document("long-txt", "long.txt", "Coinbase launched it. " * 60000)   # 1.32 M characters
    outcome = extract_batch([good, long], Settings(model="blank:en"))
    assert [r.document.file_name for r in outcome.results] == [GOOD_NAME]
    assert [s.path for s in outcome.skipped] == ["long.txt"]


# -- many files ---------------------------------------------------------------------------------------------

def _many(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        (folder / f"note-{i:05d}.txt").write_text(
            f"Firm {i} Adopts Ledger {i}\n\nThe firm number {i} adopted a ledger on day {i}, it said.\n",
            encoding="utf-8")


def test_ten_thousand_small_files_are_all_read(tmp_path: Path, lex) -> None:  # noqa: ANN001
    _many(tmp_path / "many", 10000)
    started = time.perf_counter()
    docs = [d for d in iter_documents(tmp_path / "many", lex) if isinstance(d, Document)]
    assert time.perf_counter() - started < 40
    assert len(docs) == 10000
    assert len({d.doc_id for d in docs}) == 10000
    assert docs[1234].file_name == "note-01234.txt"
    assert "The firm number 1234 adopted a ledger on day 1234, it said." in docs[1234].text


def test_two_thousand_small_files_build(tmp_path: Path) -> None:
    """A full build of many small files (blank:en: rules only, no model) in reasonable time."""
    from kg.api import build

    _many(tmp_path / "many", 2000)
    started = time.perf_counter()
    report = build(tmp_path / "many", tmp_path / "out", model="blank:en")
    assert time.perf_counter() - started < 60
    assert report.articles == 2000 and report.skipped == ()
    ds = Dataset(default_union=True)
    ds.parse(tmp_path / "out" / "graph.trig", format="trig")
    assert len(set(ds.objects(None, FILE_NAME))) == 2000


# -- files that cannot be read ----------------------------------------------------------------------------

def test_unreadable_file_is_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    secret = folder / "secret.txt"
    secret.write_text(GOOD, encoding="utf-8")
    secret.chmod(0)
    try:
        try:
            secret.open("rb").close()
        except PermissionError:
            pass
        else:
            pytest.skip("this user can read a mode-000 file (root)")
        outcome = build_beside(tmp_path, {})
        assert_skipped(outcome, "secret.txt", "permission denied")
    finally:
        secret.chmod(0o644)


def test_file_that_fails_to_open_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same as a mode-000 file, for any user (root reads those): opening it raises EACCES."""
    folder = tmp_path / "in"
    folder.mkdir()
    secret = folder / "secret.txt"
    secret.write_text(GOOD.replace("Stripe", "Ripple"), encoding="utf-8")
    real_open = Path.open

    def guarded_open(self: Path, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded_open)
    outcome = build_beside(tmp_path, {})
    assert_skipped(outcome, "secret.txt", "permission denied")


def test_fifo_with_an_article_name_does_not_hang_the_build(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")

    def too_slow(*_):  # noqa: ANN002, ANN202
        raise TimeoutError("the build blocked on the FIFO")

    old = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(60)
    try:
        outcome = build_beside(tmp_path, {})
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert_skipped(outcome, "pipe.txt", "not a regular file")


def test_symlink_loops_are_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").symlink_to("b.txt")
    (folder / "b.txt").symlink_to("a.txt")
    (folder / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    outcome = build_beside(tmp_path, {})
    assert sorted(outcome.warnings) == ["a.txt", "b.txt", "dangling.md"]
    for reason in outcome.warnings.values():
        assert "not a regular file" in reason
    assert outcome.file_names() == [GOOD_NAME]
    assert "skipped: 3" in outcome.stdout


def test_folder_symlinks_to_the_parent_do_not_loop(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "up").symlink_to("..")              # in/sub/up -> in
    (folder / "self").symlink_to(".")                     # in/self -> in
    (folder / "sub" / "deal.md").write_text("# Ripple Buys Hidden Road\n\nRipple completed its acquisition "
                                            "of Hidden Road on Tuesday, the company said.\n", encoding="utf-8")
    started = time.perf_counter()
    outcome = build_beside(tmp_path, {})
    assert time.perf_counter() - started < 60
    assert outcome.file_names() == [GOOD_NAME, "sub/deal.md"]          # each article exactly once
    assert outcome.warnings == {"self/": "symlinked folder not followed", "sub/up/": "symlinked folder not followed"}


def test_symlink_to_an_article_is_read(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text(GOOD.replace("Stripe", "Ripple").replace("Bridge", "Hidden Road"), encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "linked.txt").symlink_to(elsewhere)
    outcome = build_beside(tmp_path, {})
    assert_built(outcome, "linked.txt")


# -- file names ---------------------------------------------------------------------------------------------

def test_file_name_with_spaces_and_non_ascii_letters(tmp_path: Path) -> None:
    name = "Bäckerei news ü.txt"
    body = "Bäckerei Müller Accepts Bitcoin\n\nCoinbase completed its acquisition of Deribit on Thursday.\n"
    outcome = build_beside(tmp_path, {name: body.encode("utf-8")})
    art = assert_built(outcome, name)                  # kg:fileName holds the exact name
    assert Literal("Bäckerei Müller Accepts Bitcoin") in set(outcome.dataset.objects(art, SCHEMA_HEADLINE))
    assert str(art).endswith("/article/backerei-news-u-txt")   # accents folded: a readable ASCII IRI
    assert "b-ckerei" not in str(art)


def test_file_names_with_the_same_slug_stay_separate_articles(tmp_path: Path) -> None:
    """'a b.txt', 'a-b.txt' and 'A_B.txt' all slug to a-b-txt: each must stay its own article."""
    files = {
        "a b.txt": "Ripple Buys Hidden Road\n\nRipple completed its acquisition of Hidden Road on Tuesday.\n",
        "a-b.txt": "Kraken Buys NinjaTrader\n\nKraken completed its acquisition of NinjaTrader on Monday.\n",
        "A_B.txt": "Coinbase Buys Deribit\n\nCoinbase completed its acquisition of Deribit on Thursday.\n",
    }
    outcome = build_beside(tmp_path, {k: v.encode("utf-8") for k, v in files.items()})
    assert outcome.warnings == {}
    arts = {name: outcome.article(name) for name in files}
    assert len(set(arts.values())) == 3
    for name, text in files.items():
        headline = text.split("\n")[0]
        assert set(outcome.dataset.objects(arts[name], SCHEMA_HEADLINE)) == {Literal(headline)}, name


# -- malformed content --------------------------------------------------------------------------------------

def test_malformed_html_builds_its_text(tmp_path: Path) -> None:
    html = (b"<html><head><title>Coinbase Buys Deribit</title><body><div><p>Coinbase completed its acquisition "
            b"of Deribit on Thursday, the exchange said.<p><b>unclosed <i>tags <<<>>> &&& &bogus; <div "
            b"<p>Deribit is the largest crypto options exchange by volume, the company said.")
    outcome = build_beside(tmp_path, {"broken.html": html})
    art = assert_built(outcome, "broken.html")
    evidence = {str(q[2]) for q in outcome.dataset.quads((None, EVIDENCE, None, art))}
    assert any("Coinbase completed its acquisition of Deribit" in e for e in evidence), evidence


@pytest.mark.parametrize("html", [b"<<<>>>><!--- ><><", b"<html><body><script>var x = 1;</script></body></html>",
                                  b"<div></span></p></td></div>"])
def test_html_without_text_is_skipped(tmp_path: Path, html: bytes) -> None:
    outcome = build_beside(tmp_path, {"garbage.html": html})
    assert_skipped(outcome, "garbage.html", "no article text")


@pytest.mark.parametrize("name, data, words", [
    ("numbers.json", b"[1, 2, 3]", ["text"]),
    ("foo.json", b'{"foo": 1}', ["text"]),
    ("strings.json", b'["Stripe completed its acquisition of Bridge."]', ["text"]),
    ("null.json", b"null", ["text"]),
    ("invalid.json", b'{"text": "Stripe completed', ["invalid json"]),
    ("lines.jsonl", b'{"text": "Stripe completed its acquisition of Bridge."}\nnot json\n', ["invalid json", "line"]),
])
def test_json_that_is_not_an_article_is_skipped(tmp_path: Path, name: str, data: bytes, words: list[str]) -> None:
    outcome = build_beside(tmp_path, {name: data})
    assert_skipped(outcome, name, *words)


@pytest.mark.parametrize("front", ["title: [unclosed\n", "title: a: b: c\n", "- just\n- a list\n", "\t: tab\n"])
def test_markdown_front_matter_that_is_not_yaml_is_skipped(tmp_path: Path, front: str) -> None:
    md = f"---\n{front}---\nRipple completed its acquisition of Hidden Road on Tuesday, the company said.\n"
    outcome = build_beside(tmp_path, {"post.md": md.encode("utf-8")})
    assert_skipped(outcome, "post.md", "front matter")


def test_several_bad_files_at_once_are_all_listed(tmp_path: Path) -> None:
    files = {"empty.txt": b"", "picture.html": PNG, "foo.json": b'{"foo": 1}',
             "bad.md": b"---\ntitle: [x\n---\nbody text here for sure\n"}
    outcome = build_beside(tmp_path, files)
    assert sorted(outcome.warnings) == sorted(files)
    assert f"skipped: {len(files)}" in outcome.stdout
    assert "articles read: 1 " in outcome.stdout


# -- command-line failures: exit code 1 and one line, usage errors exit 2 ------------------------------------

def one_line_error(result) -> str:  # noqa: ANN001
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    return lines[0]


def test_build_missing_folder(tmp_path: Path) -> None:
    result = run("build", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "nowhere" in one_line_error(result)
    assert not (tmp_path / "out").exists()


def test_build_a_file_instead_of_a_folder(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(GOOD, encoding="utf-8")
    result = run("build", str(tmp_path / "one.txt"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "one.txt" in one_line_error(result)


@pytest.mark.parametrize("where", ["out-is-a-file", "out-under-a-file"])
def test_build_output_path_that_is_a_file(tmp_path: Path, where: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / GOOD_NAME).write_text(GOOD, encoding="utf-8")
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder\n", encoding="utf-8")
    out = blocker if where == "out-is-a-file" else blocker / "sub"
    result = run("build", str(folder), "--out", str(out))
    assert result.exit_code == 1
    line = one_line_error(result)
    assert "blocker" in line
    assert "unexpected" not in line, "a user error reported as an internal one"
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"


def test_build_folder_with_only_bad_files_fails_with_the_count(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "foo.json").write_bytes(b'{"foo": 1}')
    result = run("build", str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == 1 and "no articles" in errors[0] and "2 file(s) skipped" in errors[0]
    assert not (tmp_path / "out" / "graph.trig").exists()


@pytest.mark.parametrize("query", ["SELEC ?x WHERE { ?x ?p ?o }", "SELECT ?x WHERE { ?x ?p ?o ",
                                   "SELECT * WHERE { ?x nope:thing ?o }", "ASK { <unclosed ?p ?o }"])
def test_query_malformed_sparql(seeds_build, query: str) -> None:  # noqa: ANN001
    result = run("query", query, "--graph", str(seeds_build.out / "graph.trig"))
    assert result.exit_code == 1
    one_line_error(result)
    assert result.stdout == ""


@pytest.mark.parametrize("command", [
    ["query", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"],
    ["render"],
    ["validate"],
    ["export", "--format", "nquads"],
    ["export", "--format", "csv"],
])
def test_missing_graph(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "never-built" / "graph.trig"
    result = run(*command, "--graph", str(missing))
    assert result.exit_code == 1
    line = one_line_error(result)
    assert str(missing) in line
    assert "kg build" in line
    assert result.stdout == ""
    assert not missing.parent.exists()        # nothing was created on the way


@pytest.mark.parametrize("args", [
    ["build"],                                         # missing argument
    ["build", ".", "--max-file-mb", "0"],              # below the minimum
    ["build", ".", "--max-file-mb", "ten"],            # not a number
    ["build", ".", "--batch-size", "0"],
    ["build", ".", "--no-such-option"],
    ["query", "--format"],                             # option without its value
    ["no-such-command"],
])
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
