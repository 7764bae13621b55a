"""First person, sentence-initial "It", names after their description, funding idioms, figures named
by a verb, superseded dates: the general rules added after reading the misses of tests/heldout6 and
the first runs of tests/heldout7 (whose articles are not quoted here).

Every sentence is written here with invented names; each expectation was checked by reading the
sentence.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kgtest_helpers import find_claims, names_of, norm_name

PUBLISHED = dt.date(2025, 11, 20)  # a Thursday


def has(result, subject: str, predicate: str, obj: str, polarity: str = "positive") -> bool:  # noqa: ANN001
    return any(c.polarity == polarity for c in find_claims(result, subject, predicate, obj))


def figures(result, entity: str, metric: str) -> list[tuple[str, Decimal]]:  # noqa: ANN001
    return [(o.comparator, Decimal(o.value)) for o in result.observations
            if o.metric == metric and norm_name(entity) in names_of(o.entity)]


def label_of(result, name: str) -> set[str]:  # noqa: ANN001
    return {m.label for m in result.mentions if m.canonical == name}


# -- first person: "we" / "our" is the speaker's organisation -----------------------------------------

INTERVIEW = ("Qorvane Labs builds the Qorvane network. Qorvane Labs was founded in 2022.\n\n"
             "What did you ship this week?\n\n"
             "On Monday we launched Qorvane Pay, a checkout product for shops. "
             "We partnered with Visa so that card payments settle on our chain. "
             "Our chain handled about 3,800 transactions per second at its peak, and finality is under one second.")


def test_we_in_an_interview_is_the_topic_organisation(extract) -> None:  # noqa: ANN001
    r = extract(INTERVIEW, published=PUBLISHED)
    assert has(r, "Qorvane Labs", "launches", "Qorvane Pay")
    assert has(r, "Qorvane Labs", "partnersWith", "Visa")
    assert figures(r, "Qorvane Labs", "TPS") == [("~", Decimal(3800))]
    assert figures(r, "Qorvane Labs", "Finality") == [("<=", Decimal(1))]  # the clause joined to it


def test_we_in_a_quote_is_the_speakers_firm_not_the_topic(extract) -> None:  # noqa: ANN001
    r = extract("Zentrix Labs shipped a wallet. Zentrix Labs also hired staff. "
                '"We partnered with Visa last year," said Halden Ostrova, chief executive of Marlo Payments, a fintech.')
    assert has(r, "Marlo Payments", "partnersWith", "Visa")
    assert not find_claims(r, "Zentrix Labs", "partnersWith", "Visa")


def test_we_without_a_named_organisation_is_nobody(extract) -> None:  # noqa: ANN001
    r = extract("We partnered with Visa last year, the columnist wrote.")
    assert not [c for c in r.claims if c.predicate == "partnersWith"]


def test_our_next_upgrade_comma_name(extract) -> None:  # noqa: ANN001
    r = extract("Qorvane Labs runs the Qorvane network. Qorvane Labs said so.\n\n"
                "Our next network upgrade, Brindle, ships next month.")
    assert label_of(r, "Brindle") == {"Upgrade"}
    assert has(r, "Brindle", "upgradeOf", "Qorvane Labs")


# -- "It" opening a sentence --------------------------------------------------------------------------

def test_it_opening_a_sentence_is_the_subject_before(extract) -> None:  # noqa: ANN001
    r = extract("The Brindle upgrade is scheduled for March 3. It includes EIP-7702 and cuts fees.")
    assert has(r, "Brindle", "includes", "EIP-7702")


def test_it_inside_a_sentence_is_not_read_that_way(extract) -> None:  # noqa: ANN001
    r = extract("The QRV token fell 5% on Monday. After the news it rose again, and Acme Bank adopted Solana.")
    assert not find_claims(r, "QRV", "adopts", "Solana")


# -- a name after its description, and class words --------------------------------------------------

def test_description_then_name_types_the_name(extract) -> None:  # noqa: ANN001
    r = extract("The thread lit a fire under Quorra's native token, QRVX.")
    assert label_of(r, "QRVX") == {"Token"}


def test_a_title_field_is_not_the_names_class(extract) -> None:  # noqa: ANN001
    r = extract("Kraken's head of stablecoin markets, Mireille Ostrand, praised the report on Monday.")
    assert "Company" not in label_of(r, "Mireille Ostrand")


def test_grocery_chain_is_a_company_not_a_network(extract) -> None:  # noqa: ANN001
    r = extract("Qorvane Labs launched Qorvane Pay, a checkout product, in May. "
                "Brackley, the grocery chain, has rolled Qorvane Pay out at 300 stores.")
    assert label_of(r, "Brackley") == {"Company"}
    assert has(r, "Brackley", "adopts", "Qorvane Pay")  # the particle hung on the object


def test_the_startups_product_is_the_startup_called_so(extract) -> None:  # noqa: ANN001
    r = extract("Pellborn, a New York startup, raised money on Monday. Circle has integrated Pellborn Shield, "
                "the startup's transaction-screening API, to flag risky transfers.")
    assert label_of(r, "Pellborn Shield") == {"Product"}
    assert has(r, "Pellborn Shield", "productOf", "Pellborn")
    assert not find_claims(r, "Pellborn Shield", "productOf", "Circle")


def test_marketplace_with_a_token(extract) -> None:  # noqa: ANN001
    r = extract("Quillow Labs on Wednesday debuted Trawlnet, a decentralised marketplace for GPU time. "
                "Trawlnet's token, TRWL, opened trading at $0.31.", published=PUBLISHED)
    assert has(r, "Quillow Labs", "launches", "Trawlnet")
    assert has(r, "TRWL", "tokenOf", "Trawlnet")
    assert any(c.object.lexical == "2025-11-19" for c in find_claims(r, "Trawlnet", "shippedOn", None))


def test_a_class_word_in_a_title_case_headline_is_no_lexicon_name(extract) -> None:  # noqa: ANN001
    r = extract("Ravenholt agreed to buy Sollen Labs on Monday.",
                headline="Ravenholt Said to Circle Wallet Maker Sollen Labs")
    assert "MakerDAO" not in {m.canonical for m in r.mentions}


# -- funding rounds -----------------------------------------------------------------------------------

def test_took_part_and_came_in_join_the_round_named_before(extract) -> None:  # noqa: ANN001
    r = extract("Pellborn, a New York startup, has raised $45 million in a Series B round led by Paradigm. "
                "Coinbase Ventures and Jump Crypto also took part.")
    for investor in ("Paradigm", "Coinbase Ventures", "Jump Crypto"):
        assert has(r, investor, "investsIn", "Pellborn"), investor
    r = extract("Qorvane Labs said it raised $60 million in a Series B in July. "
                "Paradigm led it, and Galaxy Ventures came in as well.")
    assert has(r, "Paradigm", "investsIn", "Qorvane Labs")
    assert has(r, "Galaxy Ventures", "investsIn", "Qorvane Labs")


# -- figures -----------------------------------------------------------------------------------------

def test_a_multiple_is_not_a_figure_and_topped_is_at_least(extract) -> None:  # noqa: ANN001
    r = extract("QRVX's 24-hour trading volume topped $96 million, roughly four times the 30-day average.")
    assert figures(r, "QRVX", "TradingVolume") == [(">=", Decimal(96_000_000))]


def test_from_to_keeps_the_new_figure(extract) -> None:  # noqa: ANN001
    r = extract("The Brindle upgrade lifts the block gas limit from 60 million to 90 million.")
    assert figures(r, "Brindle", "GasLimit") == [("=", Decimal(90_000_000))]


def test_a_verb_can_name_the_metric(extract) -> None:  # noqa: ANN001
    r = extract("Solana now finalises blocks in about 2.4 seconds, down from 6.4 seconds.")
    assert figures(r, "Solana", "Finality") == [("~", Decimal("2.4"))]
    r = extract("Quillbox, a New York startup, raised $45 million. The round values Quillbox at $400 million.")
    assert figures(r, "Quillbox", "MarketCap") == [("=", Decimal(400_000_000))]


def test_valuing_an_object_it_cannot_name_gives_nobody_the_figure(extract) -> None:  # noqa: ANN001
    r = extract("Interactive Brokers led a $104 million funding round in Hollowell Pay in September, "
                "valuing the company at $1 billion.")
    assert not figures(r, "Interactive Brokers", "MarketCap")


# -- dates -------------------------------------------------------------------------------------------

def test_the_original_date_is_not_the_plan(extract) -> None:  # noqa: ANN001
    r = extract("Avalanche's Helmsby upgrade, originally expected in February, is now slated for March 2026.",
                published=PUBLISHED)
    dates = {c.object.lexical for c in find_claims(r, "Helmsby", "scheduledFor", None)}
    assert dates == {"2026-03"}  # "slated": the model's lemma "slat" is repaired to the trigger "slate"
