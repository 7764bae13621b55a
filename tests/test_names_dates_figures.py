"""Names after their class word, surnames, rescheduled dates, rounds referred back to, and figures
next to other figures. Invented names throughout; each expectation was checked by reading the
sentence.
"""
from __future__ import annotations

import datetime as dt

from kg.clean import clean_page

FRIDAY = dt.date(2026, 3, 6)


def labels(result, name: str) -> set[str]:  # noqa: ANN001
    return {m.label for m in result.mentions if m.canonical == name}


def facts(result) -> set[tuple[str, str, str]]:  # noqa: ANN001
    return {(c.subject.canonical, c.predicate, getattr(c.object, "canonical", getattr(c.object, "lexical", "")))
            for c in result.claims}


def figures(result) -> set[tuple[str, str, str]]:  # noqa: ANN001
    return {(o.entity.canonical, o.metric, o.value) for o in result.observations}


def test_a_name_after_its_class_word(extract) -> None:  # noqa: ANN001
    r = extract("The privacy rollup Nerova rolled out its Thistra upgrade on Wednesday. Asset manager Vornex "
                "filed for a fund. Stablecoin issuer Zentrix partnered with Visa.", published=FRIDAY)
    assert labels(r, "Nerova") == {"Project"} and labels(r, "Vornex") == {"AssetManager"}
    assert labels(r, "Zentrix") == {"Company"}
    assert {("Thistra", "upgradeOf", "Nerova"), ("Thistra", "shippedOn", "2026-03-04"),
            ("Zentrix", "partnersWith", "Visa")} <= facts(r)


def test_a_clause_after_a_class_word_is_no_name(extract) -> None:  # noqa: ANN001
    r = extract("It is a platform Acmeco built for banks.")
    assert "Product" not in labels(r, "Acmeco")


def test_a_class_word_misparsed_as_a_verb_still_titles_the_name(extract) -> None:  # noqa: ANN001
    r = extract("We spoke with Lena Ortiz, founder of the on-chain lending startup Pellora Finance.")
    assert labels(r, "Pellora Finance") == {"Company"}


def test_a_name_ending_like_a_nationality_is_a_name_when_used_as_one(extract) -> None:  # noqa: ANN001
    r = extract("Lumora Labs pushed the Meridian upgrade to April 14. Meridian is designed to lift throughput.",
                published=FRIDAY)
    assert labels(r, "Meridian") == {"Upgrade"}
    r = extract("An Indonesian exchange listed the token.")
    assert not labels(r, "Indonesian")


def test_a_date_pushed_to_is_the_new_date_only(extract) -> None:  # noqa: ANN001
    r = extract("Lumora Labs pushed the Meridian upgrade, originally pencilled in for February, to April 14 "
                "after an audit flagged a bug. Meridian is designed to lift throughput.", published=FRIDAY)
    dated = {f for f in facts(r) if f[1] in {"scheduledFor", "shippedOn"}}
    assert dated == {("Meridian", "scheduledFor", "2026-04-14")}


def test_a_target_date_for_an_upgrade(extract) -> None:  # noqa: ANN001
    r = extract("Core developers are targeting June for Glamsterdam, the Ethereum upgrade.", published=FRIDAY)
    assert ("Glamsterdam", "scheduledFor", "2026-06") in facts(r)


def test_a_surname_tagged_as_an_organisation_is_the_person(extract) -> None:  # noqa: ANN001
    r = extract("Host Rafe Okondo sat down with Dana Whitlow, a partner at Ironleaf Ventures. Whitlow threw "
                "her support behind Monad. Whitlow said Ironleaf has not endorsed Berachain.")
    assert "Organization" not in {m.label for m in r.mentions if m.text == "Whitlow"}


def test_investors_joining_the_round_invest_in_who_raised_it(extract) -> None:  # noqa: ANN001
    r = extract("Paradigm led a $40 million Series B in Tidelane Labs, a New York startup. Coinbase Ventures "
                "and Kinetic Capital also joined the round.")
    invested = {f for f in facts(r) if f[1] == "investsIn"}
    assert {("Coinbase Ventures", "investsIn", "Tidelane Labs"), ("Kinetic Capital", "investsIn", "Tidelane Labs")} \
        <= invested
    assert not {f for f in invested if f[2] in {"Coinbase Ventures", "Kinetic Capital"}}


def test_a_figure_is_not_the_metric_of_the_next_clause(extract) -> None:  # noqa: ANN001
    r = extract("Bitcoin rose 2.4% on Thursday to $91,250, lifting its market capitalization to about "
                "$1.82 trillion.")
    found = figures(r)
    assert ("Bitcoin", "Price", "91250") in found and ("Bitcoin", "MarketCap", "1820000000000") in found
    assert ("Bitcoin", "MarketCap", "91250") not in found


def test_a_falling_figure_is_not_negated(extract) -> None:  # noqa: ANN001
    r = extract("Average transaction fees on Solana dropped to $0.002 after the upgrade.")
    fees = [o for o in r.observations if o.metric == "Fee"]
    assert [(o.value, o.polarity) for o in fees] == [("0.002", "positive")]


def test_a_price_that_moves_by_a_percentage_is_a_price_change(extract) -> None:  # noqa: ANN001
    r = extract("Solana's price dropped 5% to $120.")
    assert {("Solana", "PriceChange", "-5"), ("Solana", "Price", "120")} <= figures(r)


def test_a_labelled_date_inside_a_longer_line_is_the_publication_date(lex) -> None:  # noqa: ANN001
    page = ("Upgrade Watch #47: Corvid ships Halcyon\n\nPublished: 2026-03-06 · by Jo Feld · a weekly "
            "newsletter\n\nCorvid activated Halcyon on Monday.\n")
    article, _ = clean_page(page, lex)
    assert article.published == "2026-03-06"


def test_names_given_as_examples_of_a_plural_class_word(extract) -> None:  # noqa: ANN001
    r = extract("Two other Nordic lenders, including Kestro Sparebank, are said to be piloting Halvex Settle, "
                "the bank's payments platform. Exchanges such as Kairox, Zentrum and Bitvane listed it.")
    assert labels(r, "Kestro Sparebank") == {"FinancialInstitution"}
    assert labels(r, "Kairox") == labels(r, "Zentrum") == labels(r, "Bitvane") == {"Exchange"}
    hedged = {(c.subject.canonical, c.predicate, c.object.canonical, c.modality) for c in r.claims
              if c.predicate == "adopts"}
    assert ("Kestro Sparebank", "adopts", "Halvex Settle", "hedged") in hedged


def test_a_token_issued_by_a_bank_is_its_token(extract) -> None:  # noqa: ANN001
    r = extract("Balances are represented by HNOX, a deposit token issued by Halvex Bank and redeemable "
                "one-for-one for kroner.")
    assert labels(r, "HNOX") == {"Token"}
    assert ("HNOX", "tokenOf", "Halvex Bank") in facts(r)


def test_a_token_named_after_an_indefinite_description(extract) -> None:  # noqa: ANN001
    r = extract("Halvex plans to follow up with a euro-denominated sibling token, HEUX, which is scheduled "
                "to go live in June, subject to approval.", published=dt.date(2026, 2, 10))
    assert labels(r, "HEUX") == {"Token"}
    assert ("HEUX", "scheduledFor", "2026-06") in facts(r)


def test_a_product_named_after_the_firm_that_launches_it_is_its_product(extract) -> None:  # noqa: ANN001
    r = extract("Kairox Exchange on Wednesday launched Kairox Perps, a perpetual-futures venue. Vantel launched "
                "Orbis, a lending product.", published=dt.date(2026, 2, 18))
    found = facts(r)
    assert {("Kairox", "launches", "Kairox Perps"), ("Kairox Perps", "productOf", "Kairox"),
            ("Kairox Perps", "shippedOn", "2026-02-18")} <= found
    # a new product the lexicon does not know and the article gives no other owner is the launcher's
    # (eighth session; before, only a product named after its firm was); another owner is kept apart in
    # tests/test_press_releases_blogs.py
    assert ("Vantel", "launches", "Orbis") in found and ("Orbis", "productOf", "Vantel") in found


def test_what_an_upgrade_adds_or_includes_support_for(extract) -> None:  # noqa: ANN001
    r = extract("The Foxtail upgrade is scheduled for March 4. Foxtail includes support for RIP-7212, which "
                "lets wallets sign with passkeys. The upgrade also adds EIP-7702.", published=FRIDAY)
    assert {("Foxtail", "includes", "RIP-7212"), ("Foxtail", "includes", "EIP-7702")} <= facts(r)


def test_a_product_from_its_maker(extract) -> None:  # noqa: ANN001
    r = extract("To price its contracts, Kairox integrated Chainlink Data Streams, the low-latency oracle "
                "product from Chainlink.")
    assert ("Chainlink Data Streams", "productOf", "Chainlink") in facts(r)


def test_a_heading_that_extends_the_headline_is_not_glued_to_the_lead(lex) -> None:  # noqa: ANN001
    page = ("Kairox launches perps venue\n\nKairox launches perps venue, lists HYPE; KairoxNet upgrade to add "
            "passkey wallets\n\nKairox Exchange on Wednesday launched Kairox Perps.\n")
    article, _ = clean_page(page, lex, headline="Kairox launches perps venue")
    assert article.paragraphs[-1] == "Kairox Exchange on Wednesday launched Kairox Perps."


def test_a_ticker_in_parentheses_names_a_token(extract) -> None:  # noqa: ANN001
    r = extract("Upbit listed Tessara (TSRX) on Nov. 3. TSRX is the native token of Tessara Network. TSRX jumped "
                "184% in the first hour. Kanmo Coin is registered with the Financial Services Agency (FSA). "
                "The Bank of Japan (BOJ) held rates.", published=dt.date(2025, 11, 4))
    assert labels(r, "TSRX") == {"Token"}
    assert {("Upbit", "adopts", "TSRX"), ("TSRX", "tokenOf", "Tessara")} <= facts(r)
    assert ("TSRX", "PriceChange", "184") in figures(r)
    assert not [m for m in r.mentions if m.label == "Token" and m.canonical in {"FSA", "BOJ"}]


def test_time_zones_and_round_names_are_no_organisations(extract) -> None:  # noqa: ANN001
    r = extract("Trading opened 14:00 KST. The timeline (UTC) follows. Nullpoint Labs raised an $18 million "
                "Series A round. FX desks were busy.")
    assert {m.canonical for m in r.mentions} == {"Nullpoint Labs"}


def test_an_asset_management_firm_and_its_short_name(extract) -> None:  # noqa: ANN001
    r = extract("Harbline Asset Management will launch the Harbline ETF on the Hong Kong Stock Exchange. "
                "Harbline has partnered with Standard Chartered. Hong Kong's regulator agreed.")
    assert labels(r, "Harbline Asset Management") == {"AssetManager"}
    assert ("Harbline Asset Management", "partnersWith", "Standard Chartered") in facts(r)
    assert not [m for m in r.mentions if m.text == "Hong Kong"]


def test_joined_forces_with_and_a_bridge_run_by(extract) -> None:  # noqa: ANN001
    r = extract("An attacker drained StrataLinx, the cross-chain bridge run by yield aggregator Stratavolt. "
                "Stratavolt joined forces with incident-response firm Halvard Labs. Stratavolt also rolled out "
                "Strata Rescue, a claims portal for depositors.")
    assert {("StrataLinx", "productOf", "Stratavolt"), ("Stratavolt", "partnersWith", "Halvard Labs"),
            ("Stratavolt", "launches", "Strata Rescue")} <= facts(r)


def test_a_collapse_by_a_percentage_is_a_change_not_the_figure(extract) -> None:  # noqa: ANN001
    r = extract("Deposits are paused and Stratavolt's TVL has collapsed by almost 80%.")
    assert not [o for o in r.observations if o.metric == "TVL"]


def test_weight_behind_tapping_a_firm_and_a_price_feed(extract) -> None:  # noqa: ANN001
    r = extract("Risk manager Gauntlis, one of the largest delegates, threw its weight behind AIP-43. Aurelix "
                "Labs has tapped Chaos Labs to set limits. Tidewave also includes Chainlink Data Streams, a "
                "low-latency price feed from Chainlink.")
    assert {("Gauntlis", "endorses", "AIP-43"), ("Aurelix Labs", "partnersWith", "Chaos Labs"),
            ("Chainlink Data Streams", "productOf", "Chainlink")} <= facts(r)


def test_a_titled_name_keeps_its_capitalised_class_word(extract) -> None:  # noqa: ANN001
    r = extract("Osaka trading house Minato Sangyo bought a 15% stake in crypto exchange Kanmo Coin. Kanmo Coin "
                "plans to launch yen stablecoin KJPX in March 2026. bitFlyer plans to list Arbitrum in December.",
                published=dt.date(2025, 11, 4))
    assert labels(r, "Kanmo Coin") == {"Exchange"} and labels(r, "KJPX") == {"Stablecoin"}
    assert ("bitFlyer", "adopts", "Arbitrum") in facts(r)


def test_a_place_before_class_words_is_not_the_name(extract) -> None:  # noqa: ANN001
    r = extract("Bybit joined forces with Singapore wallet startup Orchidpay last week.")
    assert "Singapore" not in {m.canonical for m in r.mentions}


def test_a_one_word_name_the_model_calls_a_place_keeps_its_short_name(extract) -> None:  # noqa: ANN001
    r = extract("Aurelix Labs runs the Aurelix lending protocol. AUX, Aurelix's governance token, rose 6.4%.")
    assert any(f[:2] == ("AUX", "tokenOf") for f in facts(r))


def test_a_share_bar_above_the_story_does_not_end_it(lex) -> None:  # noqa: ANN001
    page = ("Layer 2\nZeta Founder Backs Orbix Upgrade\n\nBy Priya Raman\nPublished January 14, 2026, 09:12 UTC | "
            "Updated 11:40 UTC\n\nShare\nShare on X\nCopy link\n\nRyo Tanaka, the founder of venture firm Zeta "
            "Capital, has thrown his support behind Orbix, the next upgrade of layer-2 network Strava.\n\n"
            "Orbix is scheduled to activate on March 17, 2026.\n")
    article, _ = clean_page(page, lex)
    assert article.published.startswith("January 14, 2026") or article.published.startswith("2026-01-14")
    assert article.paragraphs[-1] == "Orbix is scheduled to activate on March 17, 2026."
    assert article.paragraphs[-2].startswith("Ryo Tanaka, the founder")


def test_a_date_inside_a_byline_line(lex) -> None:  # noqa: ANN001
    page = ("Kraken Closes Borealis Buy\n\nBlockhaus News | Dec 11, 2025 at 7:05 am ET By Daniel Okoro\n\n"
            "Kraken has completed its acquisition of Borealis Markets, the exchange said on Wednesday.\n")
    article, _ = clean_page(page, lex)
    assert "Dec 11, 2025" in article.published


def test_a_body_sentence_with_a_date_is_no_publication_date(lex) -> None:  # noqa: ANN001
    page = ("Bitcoin at seventeen\n\nSatoshi Nakamoto's white paper, published on Oct. 31, 2008, described a "
            "peer-to-peer electronic cash system that nobody had built before, and it still shapes what the "
            "industry argues about today.\n")
    article, _ = clean_page(page, lex)
    assert not article.published


def test_what_was_supposed_to_launch_did_not(extract) -> None:  # noqa: ANN001
    r = extract("Corvix, a layer-2 network, was supposed to launch its mainnet this month. The Corvix mainnet is "
                "now expected in the first quarter of 2026.", published=dt.date(2025, 12, 8))
    dated = {(c.object.lexical, c.polarity) for c in r.claims if c.predicate in {"shippedOn", "scheduledFor"}}
    assert ("2025-12", "negated") in dated and ("2025-12", "positive") not in dated


def test_a_bank_rolling_out_another_firms_product_adopts_it(extract) -> None:  # noqa: ANN001
    r = extract("Two lenders began trials of Latticex, a settlement platform built by Oslo fintech Haldex Ledger. "
                "Nordvika Bank has rolled out Latticex to 1,200 business clients. Haldex Ledger launched "
                "Latticex Pay in June.")
    found = facts(r)
    assert ("Nordvika Bank", "adopts", "Latticex") in found
    assert ("Nordvika Bank", "launches", "Latticex") not in found


def test_a_short_heading_is_not_glued_to_the_next_paragraph(lex) -> None:  # noqa: ANN001
    page = ("Banks pilot Latticex\n\nPublished 2025-10-08\n\nTwo lenders began trials of Latticex on Monday, the "
            "firm said in a statement.\n\nCard giant joins in\n\nVisa has added EURX to its settlement programme, "
            "the payments network said on Monday.\n")
    article, _ = clean_page(page, lex)
    assert "Card giant joins in" in article.paragraphs


def test_a_name_opening_a_subjectless_clause_raised_the_round(extract) -> None:  # noqa: ANN001
    r = extract("Pillbox raises $45 million\n\nSeparately, Pillbox, a New York startup that builds compliance "
                "tooling for on-chain payments, has raised $45 million in a Series B round led by Paradigm.")
    assert ("Paradigm", "investsIn", "Pillbox") in facts(r)
    assert "New York" not in {m.canonical for m in r.mentions}


def test_a_headline_noun_lends_no_subject(extract) -> None:  # noqa: ANN001
    r = extract("OKX said it is not in talks to acquire Kestro.",
                headline="OKX Denies Report It Will Buy Australian Exchange Kestro as Asia Race Heats Up")
    assert not [c for c in r.claims if c.predicate == "acquires" and c.polarity == "positive"]


def test_a_subjectless_bullet_belongs_to_the_thing_not_its_owner(extract) -> None:  # noqa: ANN001
    r = extract("Key points\n\n- Vitalik Buterin praised the work in a post. - ZKsync's ZK token climbed 18% within a day "
                "of the remarks.")
    movers = {(o.entity.canonical, o.metric) for o in r.observations}
    assert ("ZKsync", "PriceChange") not in movers


def test_the_byline_date_wins_over_a_sidebar_and_the_headline(lex) -> None:  # noqa: ANN001
    page = ("Coinbase launches cbBTC on Solana\n\nTrending\nBitcoin miners sell reserves as hashprice slumps · "
            "Nov 12, 2025\n\nJane Doe | 4 min read | November 20, 2025 at 9:05 am ET\n\nCoinbase launched cbBTC "
            "on the Solana network on Thursday, the exchange said in a blog post.\n")
    assert clean_page(page, lex)[0].published == "November 20, 2025"
    page = "SEC sets March 15, 2026 deadline for Solana ETF decision\n\nThe SEC set a deadline on Thursday for its decision.\n"
    assert not clean_page(page, lex)[0].published


def test_related_links_above_the_story_are_dropped_not_the_story(lex) -> None:  # noqa: ANN001
    page = ("Haldex launches Latticex token\n\nBy Jane Doe\n\nRelated articles\nBinance acquires Zeta Wallet in "
            "$200 million deal\nKraken partners with Visa on debit card\n\nHaldex on Thursday launched Latticex, a "
            "settlement token for banks built on Ethereum.\n")
    article, _ = clean_page(page, lex)
    assert article.paragraphs == ("Haldex on Thursday launched Latticex, a settlement token for banks built on Ethereum.",)


def test_a_hard_wrapped_page_still_ends_at_its_disclaimer(lex) -> None:  # noqa: ANN001
    page = ("Haldex launches Latticex token\n\nBy Jane Doe\n\nHaldex, a Zurich-based payments company, on Thursday\n"
            "launched Latticex, a settlement token for banks that will run on the\nEthereum network, the firm said.\n\n"
            "Disclaimer: This article is for information only and is not investment\nadvice.\n\nRelated articles\n\n"
            "Binance acquires Zeta Wallet in $200 million deal\n")
    text = clean_page(page, lex)[0].text()
    assert "Binance" not in text and "Disclaimer" not in text and "launched Latticex" in text


def test_short_lines_cut_by_links_are_still_joined(lex) -> None:  # noqa: ANN001
    page = ("Binance buys Zeta Wallet\n\nPublished 2025-11-20\n\nBinance has agreed to acquire\n\nZeta Wallet\n\n"
            "for $200 million in cash and stock, the exchange said on Thursday.\n")
    article, _ = clean_page(page, lex)
    assert article.paragraphs[-1].startswith("Binance has agreed to acquire Zeta Wallet for $200 million")


def test_supposed_to_in_a_relative_clause_negates_nothing_else(extract) -> None:  # noqa: ANN001
    r = extract("Binance, which was supposed to list USAT, acquired Zeta Labs on Thursday.")
    assert [(c.predicate, c.polarity) for c in r.claims if c.predicate == "acquires"] == [("acquires", "positive")]
