"""A podcast transcript's timestamped speakers, a newsletter's numbered items, and the phrases around
them: general rules added after reading tests/heldout15's misses (whose articles are not quoted here).
Sentences are written here with invented names; each expectation was checked by reading the sentence."""
from __future__ import annotations

import datetime as dt

from kg.clean import clean_page
from kg.lexicon import load_lexicon
from kgtest_helpers import find_claims

TRANSCRIPT = """[00:00] HOST: Welcome back. My guest this week is Marla Quist, head of digital assets at \
Brimfield Asset Management, which launched its tokenised Treasury fund, Osprey, back in March.

[00:27] Marla Quist: We partnered with Securitize, which acts as our transfer agent.

[12:04] HOST: I've heard that Brimfield wants to buy Halyard outright.

[12:09] Marla Quist: What I can say is that we led Halyard's seed round last year."""


def test_we_in_a_timestamped_answer_is_the_speakers_firm(extract) -> None:  # noqa: ANN001
    r = extract(TRANSCRIPT, published=dt.date(2026, 8, 19))
    assert find_claims(r, "Brimfield Asset Management", "partnersWith", "Securitize")
    assert find_claims(r, "Brimfield Asset Management", "investsIn", "Halyard")  # "we led Halyard's seed round"
    assert not [c for c in r.claims if c.subject.canonical == "Marla Quist" or c.subject.label == "Person"]


def test_a_relative_which_after_a_role_is_the_firm(extract) -> None:  # noqa: ANN001
    r = extract(TRANSCRIPT, published=dt.date(2026, 8, 19))
    assert find_claims(r, "Brimfield Asset Management", "launches", "Osprey")
    assert not find_claims(r, None, "launches", "Treasury fund")  # "its tokenised Treasury fund" describes Osprey
    assert ("Marla Quist", "Person") in {(m.canonical, m.label) for m in r.mentions}
    assert not [m for m in r.mentions if m.canonical == "Marla Quist" and m.label != "Person"]


def test_hearsay_of_the_host_hedges(extract) -> None:  # noqa: ANN001
    r = extract(TRANSCRIPT, published=dt.date(2026, 8, 19))
    bought = find_claims(r, "Brimfield Asset Management", "acquires", "Halyard")
    assert bought and all(c.modality == "hedged" for c in bought)


def test_a_share_class_is_a_product_and_a_fund_lives_on_networks(extract) -> None:  # noqa: ANN001
    r = extract("Brimfield launched Osprey, a tokenised money-market fund, in March. The fund lives on "
                "Ethereum and Arbitrum. In October Brimfield will launch Osprey Euro, a euro share class.",
                published=dt.date(2026, 8, 19))
    assert find_claims(r, "Osprey", "adopts", "Ethereum") and find_claims(r, "Osprey", "adopts", "Arbitrum")
    assert ("Osprey Euro", "Product") in {(m.canonical, m.label) for m in r.mentions}
    dated = [c for c in r.claims if c.subject.canonical == "Osprey Euro" and c.predicate == "scheduledFor"]
    assert [c.object.lexical for c in dated] == ["2026-10"]


def test_money_called_funds_is_not_the_fund(extract) -> None:  # noqa: ANN001
    r = extract("Brimfield launched Osprey, a tokenised money-market fund, in March. Brimfield said it will "
                "use the new funds to hire engineers.")
    assert not find_claims(r, "Osprey", "adopts", None)


def test_led_the_seed_round_of_a_firm(extract) -> None:  # noqa: ANN001
    r = extract("Tern Capital led the seed round of Halyard. Brack Ventures led Quillon's seed round in May.")
    assert find_claims(r, "Tern Capital", "investsIn", "Halyard")
    assert find_claims(r, "Brack Ventures", "investsIn", "Quillon")


def test_it_after_a_reported_plan_is_the_plans_subject(extract) -> None:  # noqa: ANN001
    r = extract("Gorsey, the next upgrade of the Pintle rollup, is scheduled to activate on September 8, "
                "Pintle Labs said. It includes EIP-7702, which lets wallets act as smart accounts, lifts the block "
                "gas limit to 90 million and cuts finality to about two seconds.")
    assert find_claims(r, "Gorsey", "includes", "EIP-7702")
    assert sorted((o.entity.canonical, o.metric) for o in r.observations) == [("Gorsey", "Finality"),
                                                                              ("Gorsey", "GasLimit")]


def test_a_price_a_token_ended_near_is_not_negated(extract) -> None:  # noqa: ANN001
    r = extract("Ether ended the week near $3,940.")
    assert [(o.metric, o.polarity) for o in r.observations] == [("Price", "positive")]


def test_the_team_behind_a_wallet_owns_it(extract) -> None:  # noqa: ANN001
    r = extract("Kittle Labs, the team behind the Plover self-custody wallet, has raised $14 million.")
    assert ("Plover", "Product") in {(m.canonical, m.label) for m in r.mentions}
    assert find_claims(r, "Plover", "productOf", "Kittle Labs")


def test_a_numbered_item_with_an_emoji_stays_apart_from_its_story() -> None:
    page = ("Roundup #88\n\nA week of launches and raises across the industry.\n\n"
            "4. \U0001F4B8 Kittle Labs raises $14 million\n\n"
            "Kittle Labs, the team behind the Plover wallet, has raised $14 million in a Series A.\n")
    cleaned, _ = clean_page(page, load_lexicon())
    assert "4. \U0001F4B8 Kittle Labs raises $14 million" in cleaned.paragraphs
    assert not any("$14 million Kittle Labs" in p for p in cleaned.paragraphs)


def test_a_governance_token_of_a_lending_protocol(extract) -> None:  # noqa: ANN001
    r = extract("Kraken will list QRL, the governance token of the lending protocol Qorlin, on Thursday. "
                "Qorlin held about $420 million in deposits at the weekend.")
    typed = {(m.canonical, m.label) for m in r.mentions}
    assert ("QRL", "Token") in typed and ("Qorlin", "Project") in typed
    assert find_claims(r, "QRL", "tokenOf", "Qorlin")
    assert find_claims(r, "Kraken", "adopts", "QRL")
    assert [(o.entity.canonical, o.metric) for o in r.observations] == [("Qorlin", "TVL")]


def test_a_share_of_holders_is_no_holder_count(extract) -> None:  # noqa: ANN001
    r = extract("Frith, a rival lending protocol, rejected a similar proposal: Frith DAO's token holders voted "
                "64% against it.")
    assert not [o for o in r.observations if o.metric == "HolderCount"]
