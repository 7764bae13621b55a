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
