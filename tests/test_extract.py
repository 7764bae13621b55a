"""Sentence-level extraction through kg.article.process on Documents written inline.

Every call of the `extract` fixture also checks that each claim and observation quotes its
evidence exactly: evidence == text[char_start:char_end].
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kg.model import DateValue
from kgtest_helpers import find_claims, names_of, norm_name


def one(result, subject: str, predicate: str, obj: str):  # noqa: ANN001, ANN201
    found = find_claims(result, subject, predicate, obj)
    assert found, (f"no {subject} {predicate} {obj}; claims: "
                   f"{[(c.subject.text, c.predicate, getattr(c.object, 'text', c.object)) for c in result.claims]}")
    return found[0]


def no_positive(result, subject: str, predicate: str, obj: str) -> None:  # noqa: ANN001
    assert not [c for c in find_claims(result, subject, predicate, obj) if c.polarity == "positive"]


def observation(result, entity: str, metric: str):  # noqa: ANN001, ANN201
    found = [o for o in result.observations if o.metric == metric and norm_name(entity) in names_of(o.entity)]
    assert found, f"no {metric} of {entity}; observations: {[(o.entity.text, o.metric, o.value) for o in result.observations]}"
    return found[0]


# -- relations: syntax -------------------------------------------------------------------------------

def test_active_verb(extract) -> None:  # noqa: ANN001
    r = extract("Visa adopted USDC for settlement.")
    c = one(r, "Visa", "adopts", "USDC")
    assert (c.polarity, c.modality) == ("positive", "asserted")
    assert c.evidence == "Visa adopted USDC for settlement."
    assert not find_claims(r, "USDC", "adopts", "Visa")


def test_passive_verb_with_agent(extract) -> None:  # noqa: ANN001
    r = extract("Bridge was acquired by Stripe.")
    c = one(r, "Stripe", "acquires", "Bridge")
    assert (c.polarity, c.modality) == ("positive", "asserted")
    assert not find_claims(r, "Bridge", "acquires", "Stripe")


def test_passive_with_apposition_between_subject_and_verb(extract) -> None:  # noqa: ANN001
    r = extract("Bridge, a stablecoin infrastructure startup, was acquired by Stripe in February.")
    one(r, "Stripe", "acquires", "Bridge")


def test_coordinated_subjects_each_get_a_claim(extract) -> None:  # noqa: ANN001
    r = extract("Citibank and Deutsche Bank adopted ZKsync's Prividium platform.")
    for bank in ("Citibank", "Deutsche Bank"):
        c = one(r, bank, "adopts", "Prividium")
        assert c.polarity == "positive"
    one(r, "Prividium", "productOf", "ZKsync")


def test_coordinated_objects_each_get_a_claim(extract) -> None:  # noqa: ANN001
    r = extract("Pectra also bundles EIP-7251 and EIP-7691.")
    one(r, "Pectra", "includes", "EIP-7251")
    one(r, "Pectra", "includes", "EIP-7691")


def test_possessive_upgrade(extract) -> None:  # noqa: ANN001
    r = extract("ZKsync's Atlas upgrade is now live.")
    one(r, "Atlas upgrade", "upgradeOf", "ZKsync")
    assert not find_claims(r, "ZKsync", "upgradeOf", None)


def test_possessive_upgrade_unknown_to_the_lexicon(extract) -> None:  # noqa: ANN001
    # Nothing in the lexicon links "Zephyr" to Solana: only the possessive says so.
    r = extract("Developers praised Solana's Zephyr upgrade.")
    one(r, "Zephyr", "upgradeOf", "Solana")


def test_possessive_upgrade_as_sentence_subject(extract) -> None:  # noqa: ANN001
    r = extract("Solana's Zephyr upgrade cut block times in half.")
    one(r, "Zephyr", "upgradeOf", "Solana")


def test_possessive_product(extract) -> None:  # noqa: ANN001
    r = extract("Several banks are testing ZKsync's Prividium enterprise solution.")
    one(r, "Prividium", "productOf", "ZKsync")


def test_possessive_product_unknown_to_the_lexicon(extract) -> None:  # noqa: ANN001
    r = extract("Banks are testing Visa's Nimbus platform.")
    c = one(r, "Nimbus", "productOf", "Visa")
    assert c.subject.label == "Product"


def test_possessive_wallet_product(extract) -> None:  # noqa: ANN001
    r = extract("Visa's Nimbus wallet launched in Brazil last week.")
    c = one(r, "Nimbus", "productOf", "Visa")
    assert c.subject.label == "Product"


def test_nominalisation(extract) -> None:  # noqa: ANN001
    r = extract("Coinbase's acquisition of Deribit closed on Thursday.")
    c = one(r, "Coinbase", "acquires", "Deribit")
    assert c.polarity == "positive"


def test_nominalisation_with_light_verb(extract) -> None:  # noqa: ANN001
    r = extract("Visa announced a partnership with Bridge on Wednesday.")
    one(r, "Visa", "partnersWith", "Bridge")


def test_headline(extract) -> None:  # noqa: ANN001
    r = extract("The remarks came in a weekend post.", headline="Vitalik Buterin Backs ZKsync")
    c = one(r, "Vitalik Buterin", "endorses", "ZKsync")
    assert c.polarity == "positive"
    assert c.evidence == "Vitalik Buterin Backs ZKsync"
    assert (c.char_start, c.char_end) == (0, len("Vitalik Buterin Backs ZKsync"))


def test_headline_with_more_words(extract) -> None:  # noqa: ANN001
    r = extract("The deal closed on Tuesday.", headline="Stripe Acquires Bridge For $1.1 Billion")
    one(r, "Stripe", "acquires", "Bridge")


# -- polarity ----------------------------------------------------------------------------------------

def test_negated_endorsement(extract) -> None:  # noqa: ANN001
    r = extract("It's important to note that the Ethereum Foundation has not made any official "
                "endorsements of ZKsync.")
    c = one(r, "Ethereum Foundation", "endorses", "ZKsync")
    assert c.polarity == "negated"
    no_positive(r, "Ethereum Foundation", "endorses", "ZKsync")


def test_negated_by_yet_to(extract) -> None:  # noqa: ANN001
    r = extract("Although the zkSync team has yet to officially unveil the Fusaka upgrade, the plan is public.")
    c = one(r, "ZKsync", "launches", "Fusaka")
    assert c.polarity == "negated"
    no_positive(r, "ZKsync", "launches", "Fusaka")


def test_negated_by_denial(extract) -> None:  # noqa: ANN001
    r = extract("Stripe denied investing in Circle.")
    c = one(r, "Stripe", "investsIn", "Circle")
    assert c.polarity == "negated"
    no_positive(r, "Stripe", "investsIn", "Circle")


def test_negated_by_ending(extract) -> None:  # noqa: ANN001
    r = extract("Visa ended its partnership with Circle.")
    c = one(r, "Visa", "partnersWith", "Circle")
    assert c.polarity == "negated"
    no_positive(r, "Visa", "partnersWith", "Circle")


def test_negated_by_not(extract) -> None:  # noqa: ANN001
    r = extract("Deutsche Bank did not adopt USDC.")
    c = one(r, "Deutsche Bank", "adopts", "USDC")
    assert c.polarity == "negated"


def test_negation_in_another_clause_does_not_leak(extract) -> None:  # noqa: ANN001
    r = extract("Visa adopted USDC, but it has not adopted USDT.")
    c = one(r, "Visa", "adopts", "USDC")
    assert c.polarity == "positive"


# -- modality ----------------------------------------------------------------------------------------

def test_hedged_by_said_to_have(extract) -> None:  # noqa: ANN001
    r = extract("Deutsche Bank and UBS are said to have adopted Prividium.")
    for bank in ("Deutsche Bank", "UBS"):
        c = one(r, bank, "adopts", "Prividium")
        assert (c.polarity, c.modality) == ("positive", "hedged")


def test_hedged_by_reportedly(extract) -> None:  # noqa: ANN001
    r = extract("Robinhood reportedly acquired Bitstamp.")
    c = one(r, "Robinhood", "acquires", "Bitstamp")
    assert (c.polarity, c.modality) == ("positive", "hedged")


def test_hedged_by_plans_to(extract) -> None:  # noqa: ANN001
    r = extract("Circle plans to launch EURC on Base.")
    c = one(r, "Circle", "launches", "EURC")
    assert (c.polarity, c.modality) == ("positive", "hedged")


def test_plain_statement_is_asserted(extract) -> None:  # noqa: ANN001
    r = extract("Robinhood acquired Bitstamp.")
    c = one(r, "Robinhood", "acquires", "Bitstamp")
    assert (c.polarity, c.modality) == ("positive", "asserted")
    assert c.confidence > one(extract("Robinhood reportedly acquired Bitstamp."),
                              "Robinhood", "acquires", "Bitstamp").confidence


# -- dates -------------------------------------------------------------------------------------------

def test_shipped_on_a_past_date(extract) -> None:  # noqa: ANN001
    r = extract("The Pectra upgrade went live on May 7, 2025.", published=dt.date(2025, 5, 9))
    c = one(r, "Pectra", "shippedOn", "2025-05-07")
    assert c.object == DateValue("2025-05-07", "date")
    assert not find_claims(r, "Pectra", "scheduledFor", None)


def test_scheduled_for_a_future_date(extract) -> None:  # noqa: ANN001
    r = extract("Fusaka is scheduled for December 3, 2025.", published=dt.date(2025, 11, 16))
    c = one(r, "Fusaka", "scheduledFor", "2025-12-03")
    assert c.object == DateValue("2025-12-03", "date")
    assert not find_claims(r, "Fusaka", "shippedOn", None)


def test_shipped_date_no_more_precise_than_text(extract) -> None:  # noqa: ANN001
    r = extract("The Atlas upgrade, which debuted in late October 2025, brings a unified liquidity system.",
                published=dt.date(2025, 11, 7))
    c = one(r, "Atlas upgrade", "shippedOn", "2025-10")
    assert c.object == DateValue("2025-10", "gYearMonth")


def test_relative_weekday_is_read_against_publication(extract) -> None:  # noqa: ANN001
    # 9 May 2025 was a Friday; the Wednesday before is 7 May.
    r = extract("Ethereum's Pectra upgrade activated on mainnet on Wednesday.", published=dt.date(2025, 5, 9))
    one(r, "Pectra", "shippedOn", "2025-05-07")


# -- metrics -----------------------------------------------------------------------------------------

def test_daily_active_addresses(extract) -> None:  # noqa: ANN001
    r = extract("ZKsync recorded 10,400 daily active addresses.")
    o = observation(r, "ZKsync", "DailyActiveAddresses")
    assert Decimal(o.value) == Decimal(10400)
    assert o.comparator == "="
    assert o.polarity == "positive"


def test_money_in_millions(extract) -> None:  # noqa: ANN001
    r = extract("ZKsync's TVL reached $700 million.")
    o = observation(r, "ZKsync", "TVL")
    assert Decimal(o.value) == Decimal(700_000_000)
    assert o.unit == "USD"
    assert o.comparator == "="


def test_trading_volume_past_a_figure(extract) -> None:  # noqa: ANN001
    r = extract("ZK's 24-hour trading volume soared past $700 million.")
    o = observation(r, "ZK", "TradingVolume")
    assert Decimal(o.value) == Decimal(700_000_000)
    assert o.unit == "USD"
    assert o.comparator == ">="


def test_tps_with_over(extract) -> None:  # noqa: ANN001
    r = extract("ZKsync's Atlas upgrade went live in October. The report further highlights that the upgrade "
                "achieves speeds of over 15,000 transactions per second (TPS) and one-second finality.")
    o = observation(r, "Atlas upgrade", "TPS")
    assert Decimal(o.value) == Decimal(15000)
    assert o.comparator == ">="
    assert o.unit == "tx/s"


@pytest.mark.xfail(reason="the small model parses 'upgrade' in 'the Atlas upgrade delivers ...' as dep 'aux' of "
                          "the verb, so verb_subjects finds no subject and the figure gets no owner (also the "
                          "missed gold fact 'Atlas hasMetric TPS>=15000' of seeds/01_buterin_zksync.txt)",
                   strict=True)
def test_tps_with_over_upgrade_as_subject(extract) -> None:  # noqa: ANN001
    r = extract("The Atlas upgrade delivers over 15,000 transactions per second.")
    o = observation(r, "Atlas upgrade", "TPS")
    assert Decimal(o.value) == Decimal(15000)
    assert o.comparator == ">="
    assert o.unit == "tx/s"


def test_observation_date_from_the_sentence(extract) -> None:  # noqa: ANN001
    r = extract("As of October 27, 2025, ZKsync recorded 10,400 daily active addresses.",
                published=dt.date(2025, 11, 7))
    o = observation(r, "ZKsync", "DailyActiveAddresses")
    assert o.date == DateValue("2025-10-27", "date")


def test_price_fall_is_a_negative_change(extract) -> None:  # noqa: ANN001
    r = extract("Bitcoin fell 1.42% to $93,899.82 on Nov 16, 2025.", published=dt.date(2025, 11, 16))
    change = observation(r, "Bitcoin", "PriceChange")
    assert Decimal(change.value) == Decimal("-1.42")
    assert change.unit == "%"
    price = observation(r, "Bitcoin", "Price")
    assert Decimal(price.value) == Decimal("93899.82")
    assert price.unit == "USD"


def test_vague_amounts_are_not_observations(extract) -> None:  # noqa: ANN001
    r = extract("The total value locked in ZKsync's DeFi platforms remains in the tens of millions.")
    assert not [o for o in r.observations if o.metric == "TVL"]


# -- evidence offsets over a longer, multi-paragraph article -------------------------------------------

def test_evidence_offsets_in_a_multi_paragraph_article(extract) -> None:  # noqa: ANN001
    body = ("Ethereum co-founder Vitalik Buterin on Saturday endorsed ZKsync's Atlas upgrade.\n\n"
            "- Deutsche Bank and UBS are said to have adopted Prividium.\n"
            "- ZKsync recorded 10,400 daily active addresses.\n\n"
            "The Ethereum Foundation has not endorsed ZKsync. Robinhood reportedly acquired Bitstamp.")
    r = extract(body, published=dt.date(2025, 11, 3), headline="Vitalik Buterin Backs ZKsync")
    assert len(r.claims) >= 5
    assert r.observations
    text = r.document.text
    for item in (*r.claims, *r.observations):
        assert item.evidence == text[item.char_start:item.char_end]
        assert item.evidence == item.evidence.strip()
        assert "\n\n" not in item.evidence     # one sentence, never two paragraphs
    c = one(r, "Ethereum Foundation", "endorses", "ZKsync")
    assert c.polarity == "negated"
    assert c.evidence == "The Ethereum Foundation has not endorsed ZKsync."
