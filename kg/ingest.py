"""Read a folder of articles into `Document`s: discovery, decoding, one reader per format.

A file that cannot be used never stops the build: it becomes a `Skipped` with a reason.
"""
from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import yaml

from .clean import CleanArticle, clean_page, normalise_chars, published_of
from .lexicon import Lexicon
from .model import Document, Skipped

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl"})
#: Evaluation files that sit beside articles (seeds/gold.jsonl) and are not articles.
GOLD_NAME = re.compile(r"(^|\.)gold\.jsonl$")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
#: Longest article text handed to spaCy: its default `nlp.max_length`, above which `nlp.pipe` raises
#: (and the parser would need gigabytes). A longer article is skipped with the reason, not the build.
MAX_CHARS = 1_000_000
PLAIN_SUFFIXES = frozenset({".txt", ".md", ".markdown"})


def _too_long(chars: int) -> str:
    return f"article text too long ({chars:,} characters; the limit is {MAX_CHARS:,})"


class SkipFile(Exception):
    """Raised by a reader: the file is not usable; the message is the reason."""


@dataclass(frozen=True)
class IngestResult:
    documents: tuple[Document, ...]
    skipped: tuple[Skipped, ...]


def discover(folder: Path, exclude: Path | None = None) -> tuple[list[Path], list[Skipped]]:
    """Article files under `folder`, sorted; hidden folders and `exclude` left out; symlinked folders,
    broken links and other non-regular files reported as skipped."""
    found: list[Path] = []
    skipped: list[Skipped] = []
    excluded = exclude.resolve() if exclude else None
    for root, dirs, files in os.walk(folder, followlinks=False):
        rootp = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and (excluded is None or (rootp / d).resolve() != excluded))
        for d in dirs:
            if (rootp / d).is_symlink():   # os.walk does not enter it; say so (it may loop back up)
                skipped.append(Skipped(_rel(rootp / d, folder) + "/", "symlinked folder not followed"))
        for name in sorted(files):
            path = rootp / name
            if name.startswith(".") or path.suffix.lower() not in ARTICLE_SUFFIXES or GOLD_NAME.search(name):
                continue
            try:
                if not path.is_file():
                    skipped.append(Skipped(_rel(path, folder), "not a regular file (broken link or loop)"))
                    continue
            except OSError as exc:
                skipped.append(Skipped(_rel(path, folder), exc.strerror or "cannot stat"))
                continue
            found.append(path)
    return sorted(found, key=lambda p: _rel(p, folder)), skipped


def _rel(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.name


def slug(text: str) -> str:
    """An IRI-safe, readable identifier.

    ASCII letters and digits are kept (lower-cased); accented Latin letters lose their accents
    ("Bäckerei" -> "backerei"); other letters and digits (Greek, CJK, ...) are kept as they are, so
    names in other scripts do not all collapse to the same identifier. Everything else is a "-".
    """
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(ch))
    s = re.sub(r"[\W_]+", "-", unicodedata.normalize("NFC", folded)).strip("-")
    return s or "x"


def doc_bases(names: list[str]) -> dict[str, str]:
    """The doc_id base of each file name: its slug, plus a short hash of the name when two names
    share a slug ("a b.txt", "a-b.txt"), so article IRIs never collide, whatever order files come in."""
    slugs = {name: slug(name) for name in names}
    count: dict[str, int] = {}
    for s in slugs.values():
        count[s] = count.get(s, 0) + 1
    return {name: s if count[s] == 1 else f"{s}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:8]}"
            for name, s in slugs.items()}


def decode(data: bytes) -> str:
    """Text of a file: BOMs honoured, UTF-8 preferred, Windows-1252 as the fallback."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise SkipFile(f"invalid {codec} text") from exc
    if b"\x00" in data[:4096]:
        raise SkipFile("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        valid_non_ascii = any(ord(ch) > 127 and ch != "\ufffd" for ch in text)
        if not valid_non_ascii or text.count("\ufffd") > max(3, len(text) // 1000):
            text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:4096]) // 50):
        raise SkipFile("binary file (control characters)")
    return text


def _document(clean: CleanArticle, file_name: str, doc_id: str, url: str = "",
              meta: dict | None = None, related_to: str = "") -> Document:
    meta = meta or {}
    headline = str(meta.get("title") or meta.get("headline") or clean.headline or "").strip()
    cleaned = CleanArticle(headline, clean.publisher, clean.author, clean.published, clean.paragraphs)
    return Document(
        doc_id=doc_id, file_name=file_name, text=cleaned.text(), headline=headline,
        publisher=str(meta.get("publisher") or meta.get("site") or clean.publisher or "").strip(),
        author=str(meta.get("author") or clean.author or "").strip(),
        published=published_of(str(meta.get("published") or meta.get("date") or clean.published or "")),
        url=str(meta.get("url") or url or "").strip(), related_to=related_to)


def _from_page(text: str, file_name: str, lex: Lexicon, meta: dict | None = None,
               base: str | None = None) -> list[Document]:
    """Main article plus its teasers, each its own Document (doc ids from `base`, default the name's slug)."""
    base = base or slug(file_name)
    main, teasers = clean_page(text, lex, headline=str((meta or {}).get("title") or ""))
    docs = [_document(main, file_name, base, meta=meta)]
    for n, t in enumerate(teasers, start=1):
        docs.append(_document(t, f"{file_name}#related-{n}", f"{base}-related-{n}", related_to=base))
    return [d for d in docs if len(d.text.split()) >= 3]


FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


def read_markdown(text: str, file_name: str, lex: Lexicon, base: str | None = None) -> list[Document]:
    meta: dict = {}
    m = FRONT_MATTER.match(text)
    if m:
        try:
            loaded = yaml.safe_load(m.group(1))
        except yaml.YAMLError as exc:
            raise SkipFile(f"front matter is not valid YAML ({' '.join(str(exc).split())[:80]})") from exc
        if loaded is not None and not isinstance(loaded, dict):
            raise SkipFile("front matter is not a YAML mapping")
        meta = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in (loaded or {}).items()}
        text = text[m.end():]
    lines = []
    for line in text.split("\n"):
        line = MD_EMPHASIS.sub(r"\2", MD_LINK.sub(r"\1", line))
        line = re.sub(r"^\s{0,3}#{1,6}\s*", "", line)
        line = re.sub(r"^\s*[*+]\s+", "- ", line)
        lines.append(re.sub(r"^\s*>\s?", "", line))
    body = "\n".join(lines)
    if meta.get("title"):
        body = str(meta["title"]) + "\n\n" + body
    return _from_page(body, file_name, lex, meta, base)


def read_html(text: str, file_name: str, lex: Lexicon, base: str | None = None) -> list[Document]:
    import trafilatura  # imported here: slow to import, needed only for HTML

    try:
        result = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False,
                                             include_tables=False)
        if result is not None and not isinstance(result, dict):
            result = result.as_dict()   # trafilatura >= 1.9 returns a Document object
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise SkipFile(f"HTML could not be parsed ({exc.__class__.__name__})") from exc
    if not result or not (result.get("text") or "").strip():
        raise SkipFile("no article text found in the HTML")
    meta = {"title": result.get("title"), "author": result.get("author"),
            "published": result.get("date"), "publisher": result.get("sitename"), "url": result.get("url")}
    blocks = "\n\n".join(ln for ln in result["text"].split("\n"))  # trafilatura: one block a line
    body = (meta["title"] or "") + "\n\n" + blocks
    return _from_page(body, file_name, lex, meta, base)


def read_records(text: str, file_name: str, lex: Lexicon, lines: bool, base: str | None = None) -> list[Document]:
    """Articles from .json (one object or a list) or .jsonl (one object a line)."""
    records: list = []
    try:
        if lines:
            records = [json.loads(ln) for ln in text.splitlines() if ln.strip()]
        else:
            data = json.loads(text)
            records = data if isinstance(data, list) else [data]
    except json.JSONDecodeError as exc:
        raise SkipFile(f"invalid JSON ({exc.msg} at line {exc.lineno})") from exc
    docs: list[Document] = []
    for n, rec in enumerate(records, start=1):
        body = rec.get("text") or rec.get("body") or rec.get("content") if isinstance(rec, dict) else None
        if not isinstance(body, str) or not body.strip():
            continue
        meta = {k: rec.get(k) for k in ("title", "headline", "url", "published", "date", "publisher", "author")}
        several = len(records) > 1 or lines
        name = f"{file_name}#{n}" if several else file_name
        page = (str(meta.get("title") or meta.get("headline") or "")) + "\n\n" + body
        docs.extend(_from_page(page, name, lex, meta, (f"{base}-{n}" if several else base) if base else None))
    if not docs:
        raise SkipFile("JSON without article records (need a \"text\" field)")
    return docs


def _too_large(max_bytes: int) -> SkipFile:
    return SkipFile(f"larger than the {max_bytes // (1024 * 1024)} MB limit (--max-file-mb)")


def _read_bounded(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, never holding more than `max_bytes` (+1) of it in memory.

    The size is checked before reading and again while reading (a file may grow); a file whose first
    4 KB hold a NUL byte and no UTF-16/32 byte-order mark is refused as binary before the rest is read.
    """
    try:
        if path.stat().st_size > max_bytes:
            raise _too_large(max_bytes)
        with path.open("rb") as fh:
            head = fh.read(4096)
            if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)):
                raise SkipFile("binary file (contains NUL bytes)")
            data = head + fh.read(max_bytes + 1 - len(head)) if len(head) <= max_bytes else head
    except OSError as exc:
        raise SkipFile(exc.strerror or "cannot be read") from exc
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    return data


@dataclass(frozen=True)
class SourceFile:
    """One file's bytes as the client read them: all a worker needs to clean it (no shared
    filesystem), and what the file-level cache hashes."""

    name: str      # path relative to the folder built
    base: str      # doc_id base (see doc_bases)
    suffix: str    # lower-cased, picks the reader
    data: bytes


def load_source(path: Path, folder: Path, max_bytes: int = DEFAULT_MAX_BYTES, base: str | None = None) -> SourceFile:
    """The bounded read of one file (size, binary head, unreadable: SkipFile), nothing decoded yet."""
    name = _rel(path, folder)
    return SourceFile(name, base or slug(name), path.suffix.lower(), _read_bounded(path, max_bytes))


def documents_from(source: SourceFile, lex: Lexicon) -> list[Document]:
    """Documents of a file's bytes: decode, normalise, the format's reader. Pure (picklable in and
    out), so it runs wherever the work is mapped; raises SkipFile with the reason."""
    if not source.data or source.data.isspace():
        raise SkipFile("empty file")
    name, suffix = source.name, source.suffix
    raw = decode(source.data)
    if suffix in PLAIN_SUFFIXES and len(raw) > 2 * MAX_CHARS:
        # plain text: cleaning only drops a few lines, so this can never get under MAX_CHARS; refuse it
        # before cleaning (seconds and many copies of the text for nothing)
        raise SkipFile(_too_long(len(raw)))
    text = normalise_chars(raw)
    del raw
    if not text.strip():
        raise SkipFile("empty file")
    if suffix in {".md", ".markdown"}:
        docs = read_markdown(text, name, lex, source.base)
    elif suffix in {".html", ".htm"}:
        docs = read_html(text, name, lex, source.base)
    elif suffix in {".json", ".jsonl"}:
        docs = read_records(text, name, lex, lines=suffix == ".jsonl", base=source.base)
    else:
        docs = _from_page(text, name, lex, base=source.base)
    if not docs:
        raise SkipFile("no article text")
    return docs


def within_limit(docs: list[Document]) -> tuple[list[Document], list[Skipped]]:
    """Articles spaCy can take, and a Skipped for each one over MAX_CHARS characters."""
    kept = [d for d in docs if len(d.text) <= MAX_CHARS]
    return kept, [Skipped(d.file_name, _too_long(len(d.text))) for d in docs if len(d.text) > MAX_CHARS]


def read_file(path: Path, folder: Path, lex: Lexicon, max_bytes: int = DEFAULT_MAX_BYTES,
              base: str | None = None) -> list[Document]:
    """Documents of one file; raises SkipFile with the reason when it cannot be used.

    `base` is the doc_id base (default: the slug of the file's name relative to `folder`).
    """
    return documents_from(load_source(path, folder, max_bytes, base), lex)


def iter_documents(folder: Path, lex: Lexicon, max_bytes: int = DEFAULT_MAX_BYTES,
                   exclude: Path | None = None) -> Iterator[Document | Skipped]:
    """Stream the folder: each usable article as a Document, each unusable file as a Skipped."""
    paths, skipped = discover(folder, exclude)
    yield from skipped
    bases = doc_bases([_rel(p, folder) for p in paths])
    for path in paths:
        try:
            docs = read_file(path, folder, lex, max_bytes, bases[_rel(path, folder)])
        except SkipFile as exc:
            yield Skipped(_rel(path, folder), str(exc))
            continue
        for doc in docs:  # in file order: a too-long article where it stood
            yield Skipped(doc.file_name, _too_long(len(doc.text))) if len(doc.text) > MAX_CHARS else doc
