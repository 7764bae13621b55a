"""Ingest: cleaning scraped pages, reading each format, skipping unusable files with a reason."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kg.clean import clean_page, published_of
from kg.ingest import discover, iter_documents
from kg.model import Document, Skipped

HEADLINE = "Acme Chain Launches Mainnet After Two Years of Testing"

SCRAPED_PAGE = f"""Download App
Trade smarter
MarketsTradeFuturesEarnSquareMore
{HEADLINE}

{HEADLINE}

Publisher2025/11/07 18:50
By:Someone

- Acme Chain went live on Tuesday. - The network processed its first blocks within minutes.

Acme Chain went live on Tuesday after two years of public testing, according to a statement published by

Acme Labs, the company behind the network. The team said more features will follow next year.

Advertisement

{HEADLINE} image 0

Developers can already deploy contracts on the new chain.

0

Disclaimer: The content of this article solely reflects the author's opinion and is not investment advice.

You may also like

Bitcoin drops 2% as traders turn cautious

- Bitcoin fell 2% on Friday amid thin weekend trading. - Analysts expect more volatility.

Publisher2025/11/08 10:00
"""


# -- clean_page on a scraped page ------------------------------------------------------------------

@pytest.fixture(scope="module")
def cleaned(lex):  # noqa: ANN001, ANN201
    return clean_page(SCRAPED_PAGE, lex)


def test_clean_page_finds_metadata(cleaned) -> None:  # noqa: ANN001
    main, _ = cleaned
    assert main.headline == HEADLINE
    assert main.publisher == "Publisher"
    assert main.author == "Someone"
    assert published_of(main.published) == dt.date(2025, 11, 7)


def test_clean_page_drops_navigation_and_boilerplate(cleaned) -> None:  # noqa: ANN001
    main, _ = cleaned
    text = main.text()
    for junk in ("Download App", "Trade smarter", "MarketsTradeFuturesEarnSquareMore", "Advertisement",
                 "image 0", "By:Someone", "2025/11/07"):
        assert junk not in text, junk
    lines = [ln.strip() for ln in text.split("\n")]
    assert "0" not in lines


def test_clean_page_keeps_the_headline_once_then_the_body(cleaned) -> None:  # noqa: ANN001
    main, _ = cleaned
    text = main.text()
    assert text.startswith(HEADLINE + "\n\n")
    assert text.count(HEADLINE) == 1
    assert "Developers can already deploy contracts on the new chain." in text


def test_clean_page_rejoins_sentence_broken_by_a_stripped_link(cleaned) -> None:  # noqa: ANN001
    main, _ = cleaned
    joined = "according to a statement published by Acme Labs, the company behind the network."
    assert joined in main.text()
    paragraph = next(p for p in main.paragraphs if "statement published by" in p)
    assert paragraph.startswith("Acme Chain went live on Tuesday after two years")
    assert paragraph.endswith("more features will follow next year.")


def test_clean_page_ends_article_at_disclaimer(cleaned) -> None:  # noqa: ANN001
    main, _ = cleaned
    text = main.text()
    assert "Disclaimer" not in text
    assert "investment advice" not in text
    assert "You may also like" not in text
    assert "Bitcoin" not in text


def test_clean_page_splits_teaser_into_its_own_article(cleaned) -> None:  # noqa: ANN001
    _, teasers = cleaned
    assert len(teasers) == 1
    teaser = teasers[0]
    assert teaser.headline == "Bitcoin drops 2% as traders turn cautious"
    assert teaser.publisher == "Publisher"
    assert published_of(teaser.published) == dt.date(2025, 11, 8)
    body = " ".join(teaser.paragraphs)
    assert "Bitcoin fell 2% on Friday amid thin weekend trading." in body
    assert "Acme" not in teaser.text()


def test_clean_page_splits_summary_bullets(cleaned) -> None:  # noqa: ANN001
    main, _ = cleaned
    assert "- Acme Chain went live on Tuesday." in main.paragraphs
    assert "- The network processed its first blocks within minutes." in main.paragraphs


# -- reading files through iter_documents -----------------------------------------------------------

def _ingest(folder: Path, lex) -> tuple[list[Document], list[Skipped]]:  # noqa: ANN001
    items = list(iter_documents(folder, lex))
    return [d for d in items if isinstance(d, Document)], [s for s in items if isinstance(s, Skipped)]


def test_scraped_txt_file_gives_article_and_teaser_documents(tmp_path: Path, lex) -> None:  # noqa: ANN001
    (tmp_path / "page.txt").write_text(SCRAPED_PAGE, encoding="utf-8")
    docs, skipped = _ingest(tmp_path, lex)
    assert skipped == []
    assert len(docs) == 2
    main, teaser = docs
    assert main.file_name == "page.txt"
    assert main.headline == HEADLINE
    assert main.published == dt.date(2025, 11, 7)
    assert main.author == "Someone"
    assert teaser.headline == "Bitcoin drops 2% as traders turn cautious"
    assert teaser.published == dt.date(2025, 11, 8)
    assert teaser.file_name.startswith("page.txt#")
    assert teaser.related_to == main.doc_id
    assert teaser.doc_id != main.doc_id


def test_markdown_front_matter_is_read(tmp_path: Path, lex) -> None:  # noqa: ANN001
    (tmp_path / "ink.md").write_text(
        "---\n"
        "title: Kraken Unveils the INK Token\n"
        "published: 2025-06-12\n"
        "publisher: Block Wire\n"
        "author: Jane Roe\n"
        "---\n"
        "Kraken unveiled the **INK** token on Thursday for its [Ink](https://ink.example) network.\n",
        encoding="utf-8")
    docs, skipped = _ingest(tmp_path, lex)
    assert skipped == []
    [doc] = docs
    assert doc.headline == "Kraken Unveils the INK Token"
    assert doc.published == dt.date(2025, 6, 12)
    assert doc.publisher == "Block Wire"
    assert doc.author == "Jane Roe"
    assert doc.text.startswith("Kraken Unveils the INK Token\n\n")
    assert "Kraken unveiled the INK token on Thursday for its Ink network." in doc.text
    assert "---" not in doc.text and "https://" not in doc.text


def test_markdown_with_invalid_front_matter_is_skipped_with_reason(tmp_path: Path, lex) -> None:  # noqa: ANN001
    (tmp_path / "bad.md").write_text(
        "---\ntitle: [unclosed\npublished: 2025-06-12\n---\nKraken unveiled the INK token on Thursday.\n",
        encoding="utf-8")
    docs, skipped = _ingest(tmp_path, lex)
    assert docs == []
    [s] = skipped
    assert s.path == "bad.md"
    assert "yaml" in s.reason.lower()


def test_jsonl_gives_one_document_per_record(tmp_path: Path, lex) -> None:  # noqa: ANN001
    records = [
        {"title": "Visa Adopts USDC for Card Settlement", "published": "2025-04-30T13:00:00Z", "publisher": "Fintech Relay",
         "text": "Visa adopted USDC for settlement on Solana in 2023, the company said."},
        {"title": "Stripe Buys Stablecoin Startup Bridge", "published": "2025-02-04", "author": "Owen Marsh",
         "text": "Stripe completed its acquisition of Bridge, a stablecoin startup, on Tuesday."},
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    docs, skipped = _ingest(tmp_path, lex)
    assert skipped == []
    assert [d.file_name for d in docs] == ["feed.jsonl#1", "feed.jsonl#2"]
    assert [d.headline for d in docs] == ["Visa Adopts USDC for Card Settlement", "Stripe Buys Stablecoin Startup Bridge"]
    assert [d.published for d in docs] == [dt.date(2025, 4, 30), dt.date(2025, 2, 4)]
    assert docs[0].publisher == "Fintech Relay"
    assert docs[1].author == "Owen Marsh"
    assert "Visa adopted USDC for settlement" in docs[0].text
    assert "Stripe completed its acquisition of Bridge" in docs[1].text
    assert len({d.doc_id for d in docs}) == 2


SHORT_TITLE_BUG = ("a short title (< 4 words) is not recognised as the headline: clean._header takes the first "
                   "line of 4+ words, i.e. the first body paragraph, as the headline")


@pytest.mark.parametrize("name, content", [
    ("feed.jsonl", json.dumps({"title": "Visa Adopts USDC", "published": "2025-04-30",
                               "text": "Visa adopted USDC for settlement on Solana in 2023, the company said."}) + "\n"),
    ("note.md", "---\ntitle: Visa Adopts USDC\n---\nVisa adopted USDC for settlement on Solana in 2023, the company said.\n"),
])
def test_short_title_from_metadata_keeps_the_first_paragraph(tmp_path: Path, lex, name: str, content: str) -> None:  # noqa: ANN001
    (tmp_path / name).write_text(content, encoding="utf-8")
    docs, _ = _ingest(tmp_path, lex)
    [doc] = docs
    assert doc.headline == "Visa Adopts USDC"
    assert "Visa adopted USDC for settlement on Solana in 2023, the company said." in doc.text


def test_short_first_line_of_plain_text_is_the_headline(tmp_path: Path, lex) -> None:  # noqa: ANN001
    (tmp_path / "deal.txt").write_text("Stripe Buys Bridge\n\nStripe completed its acquisition of Bridge on Tuesday.\n\n"
                                       "The deal closed within months.\n", encoding="utf-8")
    docs, _ = _ingest(tmp_path, lex)
    [doc] = docs
    assert doc.headline == "Stripe Buys Bridge"
    assert doc.text == ("Stripe Buys Bridge\n\nStripe completed its acquisition of Bridge on Tuesday.\n\n"
                        "The deal closed within months.")


def test_json_without_text_field_is_skipped(tmp_path: Path, lex) -> None:  # noqa: ANN001
    (tmp_path / "meta.json").write_text(json.dumps({"title": "A title", "summary": "No body here at all."}),
                                        encoding="utf-8")
    docs, skipped = _ingest(tmp_path, lex)
    assert docs == []
    [s] = skipped
    assert s.path == "meta.json"
    assert "text" in s.reason


def test_invalid_json_is_skipped(tmp_path: Path, lex) -> None:  # noqa: ANN001
    (tmp_path / "broken.json").write_text('{"text": "unterminated', encoding="utf-8")
    docs, skipped = _ingest(tmp_path, lex)
    assert docs == []
    assert [s.path for s in skipped] == ["broken.json"]
    assert "json" in skipped[0].reason.lower()


def test_binary_file_is_skipped(tmp_path: Path, lex) -> None:  # noqa: ANN001
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00" + bytes(range(256))
    (tmp_path / "picture.txt").write_bytes(png)
    docs, skipped = _ingest(tmp_path, lex)
    assert docs == []
    [s] = skipped
    assert s.path == "picture.txt"
    assert "binary" in s.reason.lower()


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \n"])
def test_empty_file_is_skipped(tmp_path: Path, lex, content: bytes) -> None:  # noqa: ANN001
    (tmp_path / "empty.txt").write_bytes(content)
    docs, skipped = _ingest(tmp_path, lex)
    assert docs == []
    [s] = skipped
    assert s.path == "empty.txt"
    assert "empty" in s.reason.lower()


UNICODE_BODY = ("Société Générale's digital-asset unit said on Monday that its euro stablecoin, "
                "issued in Zürich and Paris, would now settle on Solana.")


def test_utf16_with_bom_is_decoded(tmp_path: Path, lex) -> None:  # noqa: ANN001
    page = f"Société Générale Expands Its Stablecoin To Solana\n\n{UNICODE_BODY}\n"
    (tmp_path / "sg.txt").write_bytes(page.encode("utf-16"))   # Python writes the BOM
    docs, skipped = _ingest(tmp_path, lex)
    assert skipped == []
    [doc] = docs
    assert UNICODE_BODY in doc.text
    assert "\ufeff" not in doc.text and "\x00" not in doc.text


def test_utf16_big_endian_with_bom_is_decoded(tmp_path: Path, lex) -> None:  # noqa: ANN001
    page = f"Société Générale Expands Its Stablecoin To Solana\n\n{UNICODE_BODY}\n"
    (tmp_path / "sg.txt").write_bytes(b"\xfe\xff" + page.encode("utf-16-be"))
    docs, _ = _ingest(tmp_path, lex)
    [doc] = docs
    assert UNICODE_BODY in doc.text


def test_latin1_text_with_many_accents_is_decoded(tmp_path: Path, lex) -> None:  # noqa: ANN001
    page = f"Société Générale Expands Its Stablecoin To Solana\n\n{UNICODE_BODY}\n"
    (tmp_path / "sg.txt").write_bytes(page.encode("latin-1"))
    docs, skipped = _ingest(tmp_path, lex)
    assert skipped == []
    [doc] = docs
    assert UNICODE_BODY in doc.text
    assert "\ufffd" not in doc.text


def test_latin1_text_with_few_accents_is_decoded(tmp_path: Path, lex) -> None:  # noqa: ANN001
    # A realistic short Latin-1 article with only two non-ASCII characters.
    page = ("Bitcoin Suisse Opens Office In Zurich\n\n"
            "Bitcoin Suisse said on Monday that its new office in Zürich will also serve clients "
            "from Liechtenstein, and that the café on the ground floor accepts bitcoin payments.\n")
    (tmp_path / "bs.txt").write_bytes(page.encode("latin-1"))
    docs, _ = _ingest(tmp_path, lex)
    [doc] = docs
    assert "Zürich" in doc.text
    assert "café" in doc.text
    assert "\ufffd" not in doc.text


def test_gold_file_is_not_an_article(project_root: Path, tmp_path: Path, lex) -> None:  # noqa: ANN001
    found, skipped = discover(project_root / "seeds")
    names = [p.name for p in found] + [Path(s.path).name for s in skipped]
    assert "gold.jsonl" not in names
    assert len(found) >= 10          # the other seed articles are found
    # a folder holding only a gold file yields nothing at all: no document, no "skipped" noise
    (tmp_path / "gold.jsonl").write_text((project_root / "seeds" / "gold.jsonl").read_text(encoding="utf-8"),
                                         encoding="utf-8")
    (tmp_path / "seeds.gold.jsonl").write_text('{"doc": "x", "kind": "entity", "names": ["X"], "type": "Person"}\n',
                                               encoding="utf-8")
    assert list(iter_documents(tmp_path, lex)) == []


def test_non_article_suffixes_and_hidden_files_are_ignored(tmp_path: Path, lex) -> None:  # noqa: ANN001
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / ".hidden.txt").write_text("Visa adopted USDC for settlement on Solana in 2023.", encoding="utf-8")
    (tmp_path / "real.txt").write_text("Stripe Completes Bridge Deal\n\nStripe completed its acquisition of Bridge.\n",
                                       encoding="utf-8")
    docs, skipped = _ingest(tmp_path, lex)
    assert [d.file_name for d in docs] == ["real.txt"]
    assert skipped == []
