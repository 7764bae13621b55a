"""A venue, an app or a service bought is an acquisition, "its QRX governance token" names a token, the date a
thing launched belongs to what was launched (also through "the rollup that launched last year"),
"the London company" is no company called London, and an issuer that issues a fund "on" networks
takes them up: general rules added after reading tests/heldout10's and tests/heldout11's misses
(whose articles are not quoted here). Sentences are written here with invented names; each
expectation was checked by reading the sentence."""
from __future__ import annotations

import datetime as dt

from kgtest_helpers import find_claims

THU_6_AUG_2026 = dt.date(2026, 8, 7)  # published on a Friday


def _labels(result, name: str) -> set[str]:  # noqa: ANN001
    return {m.label for m in result.mentions if m.canonical == name}


def test_a_venue_bought_is_acquired_not_invested_in(extract) -> None:  # noqa: ANN001
    r = extract("Larkspur, the Dublin crypto exchange, has agreed to buy Tarn, a perpetual-futures venue "
                "based in Zug.")
    assert find_claims(r, "Larkspur", "acquires", "Tarn")
    assert not find_claims(r, "Larkspur", "investsIn", "Tarn")
    assert _labels(r, "Tarn") == {"Product"}  # a venue: ontology/markers.tsv


def test_the_place_before_a_firm_word_is_no_firm(extract) -> None:  # noqa: ANN001
    r = extract("Tollgate pays contractors in USDC. The London company raised $6.5 million in a seed round "
                "led by Cheapside Ventures.")
    assert not _labels(r, "London")
    assert not find_claims(r, "Cheapside Ventures", "investsIn", "London")
    r = extract("Larkspur, the Dublin crypto exchange, listed QRX.")
    assert not any(m.canonical.startswith("Dublin") for m in r.mentions)


def test_its_ticker_governance_token_is_a_token_with_its_launch_date(extract) -> None:  # noqa: ANN001
    r = extract("Sorrel, a lending protocol on Arbitrum, launched its SRL governance token on Thursday. "
                "Kraken listed SRL the same day.", published=THU_6_AUG_2026)
    assert "Token" in _labels(r, "SRL")
    assert find_claims(r, "SRL", "tokenOf", "Sorrel")
    assert find_claims(r, "Kraken", "adopts", "SRL")
    dated = [c for c in r.claims if c.predicate == "shippedOn"]
    assert [(c.subject.canonical, c.object.lexical) for c in dated] == [("SRL", "2026-08-06")]


def test_a_rollup_that_launched_last_year_is_the_name_it_describes(extract) -> None:  # noqa: ANN001
    r = extract("Wharf, the OP Stack rollup that launched last year, will activate its Lanyard upgrade on "
                "September 8.", published=THU_6_AUG_2026)
    dated = {(c.subject.canonical, c.predicate, c.object.lexical) for c in r.claims
             if c.predicate in {"shippedOn", "scheduledFor"}}
    assert ("Wharf", "shippedOn", "2025") in dated
    assert ("Lanyard", "scheduledFor", "2026-09-08") in dated
    assert not any(s == "OP Stack" for s, _, _ in dated)


def test_an_issuer_takes_up_the_networks_it_issues_on(extract) -> None:  # noqa: ANN001
    r = extract("Ashcombe Investments, the London asset manager, has issued a tokenized share class of its "
                "short-dated Treasury fund on Ethereum, Avalanche and Stellar.")
    for chain in ("Ethereum", "Avalanche", "Stellar"):
        assert find_claims(r, "Ashcombe Investments", "adopts", chain), chain


def test_a_subject_the_parser_reads_as_an_adjective_keeps_its_apposition(extract) -> None:  # noqa: ANN001
    # the model tags "Bramble" (the first word) JJ; its apposition still names a wallet
    r = extract("Bramble, the mobile wallet built by Hedgerow Labs, now supports Wharf, so its 1.2 million "
                "users can bridge to the network and swap there without leaving the app. Bramble added the "
                "network on Tuesday.")
    assert _labels(r, "Bramble") == {"Product"}
    assert find_claims(r, "Bramble", "productOf", "Hedgerow Labs")
