"""Where a token or app lives ("available on", "listed on", "runs on", "built on", "settles in"),
light objects ("added native QRX support"), treasury holdings ("holds 600,000 BTC", "holds no QRX"),
an object "it" that is the sentence before's subject, prices "near"/"above" a figure, funding
amounts and valuations named by a verb ("raised $24 million", "the round values the company at"):
the general rules added after reading the misses of tests/heldout8 (whose articles are not quoted
here).

Every sentence is written here with invented names (and real networks, exchanges and stablecoins);
each expectation was checked by reading the sentence.
"""
from __future__ import annotations

from decimal import Decimal

from kgtest_helpers import find_claims, names_of, norm_name


def has(result, subject: str, predicate: str, obj: str, polarity: str = "positive") -> bool:  # noqa: ANN001
    return any(c.polarity == polarity for c in find_claims(result, subject, predicate, obj))


def figures(result, entity: str, metric: str) -> list[tuple[str, Decimal]]:  # noqa: ANN001
    return [(o.comparator, Decimal(o.value)) for o in result.observations
            if o.metric == metric and norm_name(entity) in names_of(o.entity)]


# -- hosts: the network or exchange a thing is on takes it up ----------------------------------------

def test_available_on_networks(extract) -> None:  # noqa: ANN001
    r = extract("PYUSD is available on Ethereum, Solana and Arbitrum.")
    for chain in ("Ethereum", "Solana", "Arbitrum"):
        assert has(r, chain, "adopts", "PYUSD")
    assert not find_claims(r, "PYUSD", "adopts", "Ethereum")  # the direction: the network takes it up


def test_listed_on_exchanges_through_an_opening_it(extract) -> None:  # noqa: ANN001
    r = extract("PYUSD is available on Ethereum. It is listed on Coinbase and Kraken.")
    assert has(r, "Coinbase", "adopts", "PYUSD")
    assert has(r, "Kraken", "adopts", "PYUSD")


def test_not_available_on_is_negated(extract) -> None:  # noqa: ANN001
    r = extract("USDC is not available on Solana yet.")
    assert has(r, "Solana", "adopts", "USDC", "negated")
    assert not has(r, "Solana", "adopts", "USDC")


def test_runs_on_and_built_on_the_thing_adopts_the_network(extract) -> None:  # noqa: ANN001
    r = extract("Qorvane Wallet runs on Base and Arbitrum. Zentrix, a lending protocol built on Solana, "
                "raised $5 million.")
    assert has(r, "Qorvane Wallet", "adopts", "Base")
    assert has(r, "Qorvane Wallet", "adopts", "Arbitrum")
    assert has(r, "Zentrix", "adopts", "Solana")
    assert not find_claims(r, "Base", "adopts", "Qorvane Wallet")


def test_settles_in_a_stablecoin(extract) -> None:  # noqa: ANN001
    r = extract("Marlo Payments, a fintech, settles merchant payouts in USDC.")
    assert has(r, "Marlo Payments", "adopts", "USDC")


def test_on_a_date_is_no_host(extract) -> None:  # noqa: ANN001
    r = extract("Kraken listed PYUSD on Tuesday.")
    assert has(r, "Kraken", "adopts", "PYUSD")
    assert len([c for c in r.claims if c.predicate == "adopts"]) == 1


# -- light objects and an object "it" ----------------------------------------------------------------

def test_added_native_token_support(extract) -> None:  # noqa: ANN001
    r = extract("Solana and Base have added native PYUSD support. Kraken has added support for RLUSD.")
    assert has(r, "Solana", "adopts", "PYUSD")
    assert has(r, "Base", "adopts", "PYUSD")
    assert has(r, "Kraken", "adopts", "RLUSD")


def test_added_ether_is_still_a_purchase(extract) -> None:  # noqa: ANN001
    r = extract("Zentrix Holdings, a listed company, added 5,000 ETH to its treasury.")
    assert has(r, "Zentrix Holdings", "investsIn", "Ether")
    assert not find_claims(r, "Zentrix Holdings", "adopts", "Ether")


def test_object_it_is_the_previous_subject(extract) -> None:  # noqa: ANN001
    r = extract("PYUSD launched in 2023. Kraken and Bitstamp list it against the euro.")
    assert has(r, "Kraken", "adopts", "PYUSD")
    assert has(r, "Bitstamp", "adopts", "PYUSD")


def test_object_it_after_a_sentence_with_an_object_is_unresolved(extract) -> None:  # noqa: ANN001
    r = extract("Zentrix Labs launched QRX in 2023. Kraken lists it against the euro.")
    assert not find_claims(r, "Kraken", "adopts", "Zentrix Labs")  # "it" could be either


# -- holdings ----------------------------------------------------------------------------------------

def test_holds_bitcoin_in_a_relative_clause(extract) -> None:  # noqa: ANN001
    r = extract("Buyers have followed Zentrix Holdings, which holds more than 600,000 BTC.")
    assert has(r, "Zentrix Holdings", "investsIn", "Bitcoin")


def test_holds_no_token_is_negated(extract) -> None:  # noqa: ANN001
    r = extract("Marlo Capital holds no ETH.")
    assert has(r, "Marlo Capital", "investsIn", "Ether", "negated")
    assert not has(r, "Marlo Capital", "investsIn", "Ether")


def test_a_reported_passive_has_no_subject(extract) -> None:  # noqa: ANN001
    r = extract("Zentrix Holdings bought ether last week. Jane Okafor, its treasurer, said the tokens are "
                "held with Coinbase.")
    assert not find_claims(r, "Jane Okafor", "investsIn", "Ether")


# -- figures -----------------------------------------------------------------------------------------

def test_trading_near_and_above_a_price(extract) -> None:  # noqa: ANN001
    r = extract("Ether was trading near $3,405 on Tuesday morning. Solana traded above $180 on Monday.")
    assert figures(r, "Ether", "Price") == [("~", Decimal(3405))]
    assert figures(r, "Solana", "Price") == [(">=", Decimal(180))]


def test_raised_is_a_funding_amount(extract) -> None:  # noqa: ANN001
    r = extract("Zentrix, a Chicago-based venue for crypto options, raised $60 million in a strategic round.")
    assert figures(r, "Zentrix", "FundingAmount") == [("=", Decimal(60_000_000))]


def test_the_round_values_the_company(extract) -> None:  # noqa: ANN001
    r = extract("Zentrix, a restaking protocol, raised $24 million in a round led by Paradigm. Marlo Ventures "
                "and Coinbase Ventures, which backed Zentrix's seed round, also participated. "
                "The round values the company at $180 million.")
    assert figures(r, "Zentrix", "MarketCap") == [("=", Decimal(180_000_000))]
    assert not figures(r, "Coinbase Ventures", "MarketCap")


# -- names, possessives and "the company" (from tests/heldout9's first run) ---------------------------

def test_a_foundations_bare_name_is_its_network(extract) -> None:  # noqa: ANN001
    r = extract("The Qorvane Foundation has scheduled an upgrade. Qorvane's main network currently peaks at "
                "about 2,100 TPS.")
    assert {m.label for m in r.mentions if m.text == "Qorvane"} == {"Project"}
    assert figures(r, "Qorvane", "TPS") == [("~", Decimal(2100))]


def test_a_firms_own_wallet_is_not_the_firm(extract) -> None:  # noqa: ANN001
    r = extract("The Qorvane Foundation runs Qorvane. Qorvane's wallet handled 5,000 TPS at its peak.")
    assert not figures(r, "Qorvane", "TPS")


def test_the_foundation_said_is_no_hearsay(extract) -> None:  # noqa: ANN001
    r = extract("The Qorvane Foundation has pushed back the Zentrix upgrade to July 14, the foundation said on Monday.",
                published=__import__("datetime").date(2026, 6, 8))
    dated = [c for c in r.claims if c.predicate in {"shipsOn", "scheduledFor", "shippedOn"}]
    assert [(c.object.lexical, c.modality) for c in dated] == [("2026-07-14", "asserted")]


def test_the_company_is_the_firm_the_story_keeps_naming(extract) -> None:  # noqa: ANN001
    r = extract("Coldmere Mining mined 1,200 bitcoin in the quarter. Coldmere Mining shares trade on the Nasdaq "
                "exchange, where Halvorsen Group also listed last year. The company raised $500 million in "
                "convertible notes in February.")
    assert figures(r, "Coldmere Mining", "FundingAmount") == [("=", Decimal(500_000_000))]
    assert not figures(r, "Halvorsen Group", "FundingAmount")


def test_a_raised_price_target_is_no_funding(extract) -> None:  # noqa: ANN001
    r = extract("Jonah Pettifer of Whitlock Securities raised his price target on Coldmere Mining to $21.")
    assert not [o for o in r.observations if o.metric == "FundingAmount"]


def test_node_software_and_who_maintains_it(extract) -> None:  # noqa: ANN001
    r = extract("The bug was found in Sluice, the client maintained by Nethermind. Ridgeback Labs, which builds "
                "the Rust client Oxbow, said its software was not affected.")
    assert {m.label for m in r.mentions if m.text == "Oxbow"} == {"Product"}
    assert has(r, "Oxbow", "productOf", "Ridgeback Labs")


def test_a_protocol_accepts_a_stablecoin(extract) -> None:  # noqa: ANN001
    r = extract("Aave voted on Wednesday to accept RLUSD as collateral.")
    assert has(r, "Aave", "adopts", "RLUSD")
