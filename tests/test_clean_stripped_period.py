"""A link stripped just before a full stop leaves "according to a" and a lone "." line: the next
sentence must not be glued to it (spaCy reads "a." as an abbreviation and would not split there, so a
claim of the next sentence would carry the wrong evidence). The page below is written here."""
from __future__ import annotations

from kg.clean import clean_page
from kg.lexicon import load_lexicon

PAGE = """Qorix Weekly
Home / Markets

Zeta Sets Date for Its Orchard Upgrade

Zeta Sets Date for Its Orchard Upgrade

By Jane Okafor
Published May 13, 2026

Zeta developers have set the Orchard upgrade for next Tuesday, according to a
.
Acme and Borealis are expected to adopt Orchard within weeks, which would cut their fees.

The upgrade was tested on a public network in April.
"""


def test_a_lone_period_line_ends_the_sentence_before_it() -> None:
    article, _ = clean_page(PAGE, lex=load_lexicon(None))
    joined = next(p for p in article.paragraphs if "according to a" in p)
    first, second = joined.split("\n")
    assert first.endswith("according to a.")
    assert second.startswith("Acme and Borealis are expected")


def test_the_next_sentence_keeps_its_own_evidence(nlp, lex) -> None:  # noqa: ANN001
    from kg.article import process
    from kg.ingest import _from_page

    [doc] = _from_page(PAGE, "zeta.txt", lex)
    [result] = list(process([doc]))
    adopts = [c for c in result.claims if c.predicate == "adopts"]
    assert adopts, "Acme and Borealis adopt Orchard (hedged)"
    for claim in adopts:
        assert claim.evidence.startswith("Acme and Borealis are expected"), claim.evidence
        assert claim.modality == "hedged"
