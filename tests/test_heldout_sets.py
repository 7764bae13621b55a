"""Held-out checks 3 to 14: tests/heldout3/ ... tests/heldout14/, each scored against its own gold.jsonl,
written from the texts before the tool was first run on them. One section per set below: what the
set holds and its figures, first run first. The bars in BARS sit under the latest figures: a
regression guard, not a target.

## heldout3

Third held-out check: tests/heldout3/ (6 articles in genres not covered before: a regulator's licence
decision, a daily market wrap full of prices and moves, an exchange's quarterly results (HTML), an
Asian exchange listing/delisting story, an opinion piece quoting supporters and critics, and a scraped
page with breadcrumbs, "Share this article" above the byline, an inline "Related:" link inside a
paragraph and an author bio after the share buttons), scored against tests/heldout3/gold.jsonl, which
was written from the texts before the tool was first run on them.

First run, before any fix:  relations 24/49  P 0.92  R 0.49  F1 0.64  negated-asserted 0/3
                            entities 41/52  noise 0/12
After the general fixes:    relations 27/49  P 0.93  R 0.55  F1 0.69  negated-asserted 0/3
                            entities 41/52  noise 0/12
Fourth session (pronouns, relative clauses through an apposition or an infinitive, passive
infinitives, quantity objects, new class words; these misses were read before fixing, so the set
is no longer held out: tests/heldout4 is):
                            relations 40/49  P 0.98  R 0.82  F1 0.89  negated-asserted 0/3
                            entities 47/52  noise 0/12
After a review's precision fixes ("it" only for what its subject says of itself, so "since it
partnered with Circle" no longer gives Valtrix's partnership):
                            relations 39/49  P 0.97  R 0.80  F1 0.88  negated-asserted 0/3

## heldout4

Fourth held-out check: tests/heldout4/ (6 articles, written with their gold by a helper who read
only the contract, the gold format and kg.ttl, never the code or the lexicon: a bank's tokenised
deposits (full HTML page), a Markdown upgrades newsletter with relative dates and a table, a podcast
recap with denials and hearsay, a scraped funding roundup, an ETF-flows piece, an exchange listing
page). The set and the choices behind its gold are described in tests/heldout4_notes.md.

First run, before any fix (tool at bc697db):
                     relations 46/82  P 0.77  R 0.56  F1 0.65  negated-asserted 0/10
                     entities 57/64  noise 1/18
After general fixes (names after their class word, "Published:" inside a line, dates a release is
pushed to, "targeting June for X", surnames the model calls organisations, "joined the round",
figures not read across a comma, falling figures not negated):
                     relations 57/82  P 0.79  R 0.70  F1 0.74  negated-asserted 0/10
                     entities 59/64  noise 0/18
Second round (a heading that extends the headline is not glued to the lead, names given as
examples of a plural class word, class words the tagger calls past verbs, "a token, X, which is
scheduled to ...", a product named after the firm launching it, "includes support for", "a product
from X"):
                     relations 67/82  P 0.80  R 0.82  F1 0.81  negated-asserted 0/10
                     entities 62/64  noise 0/18
After a review's precision fixes ("testing a platform" is no adoption any more):
                     relations 66/82  P 0.80  R 0.80  F1 0.80
After the heldout5 round (an exchange listing a token now adopts it, which this set's gold leaves
out on purpose, so P drops):
                     relations 66/82  P 0.77  R 0.80  F1 0.79
Most "extra" claims behind P are true facts the gold leaves out (Ether's price, a second investor
joining the round); the wrong ones are an owner read through "Anza says it ...".

## heldout5

Fifth held-out check: tests/heldout5/ (6 articles written with their gold by a helper who read only
the contract, the gold format and kg.ttl: a DAO governance story, a Markdown exploit report, a
regulator's approval as a full HTML page, a terse translated Asia brief with tickers in
parentheses, a three-record JSON-lines feed, a first-person analyst note). The set and the choices
behind its gold are described in tests/heldout5_notes.md.

First run, before any fix (tool at 757ad98, after the heldout4 round):
                     relations 46/85  P 0.77  R 0.54  F1 0.63  negated-asserted 0/11
                     entities 60/69  noise 3/18
After general fixes (a ticker in parentheses names a token, "X is the native token of Y", an
exchange listing a token, time zones and round names are no organisations, "Asset Management" and
"Stock Exchange" as class words, "joined forces with", "the bridge run by X", "collapsed by 80%"):
                     relations 56/85  P 0.78  R 0.66  F1 0.71  negated-asserted 0/11
                     entities 64/69  noise 0/18
Second round (after a review's precision fixes: "threw its weight behind", "tapped X to",
"a price feed", a capitalised class word inside a titled name, class words the tagger calls
adjectives or base verbs, a place before class words, one-word names the model calls places):
                     relations 63/85  P 0.82  R 0.74  F1 0.78  negated-asserted 0/11
                     entities 67/69  noise 0/18

## heldout6

Sixth held-out check: tests/heldout6/ (6 articles written with their gold by a helper who read only
the contract, the gold format, kg.ttl and the user's two real pages, four of them scraped .txt pages
like those: a layer-2 endorsement, banks piloting a settlement platform, a hard-fork recap, an
acquisition and funding story, a stablecoin launch as HTML, a Markdown weekly roundup). The set and
the choices behind its gold are described in tests/heldout6_notes.md.

First run, before any fix (tool at 541e367):
                     relations 31/85  P 0.76  R 0.36  F1 0.49  negated-asserted 0/7
                     entities 42/66  noise 0/18
The first run showed a cleaning bug that matters more than any rule: a "Share / Share on X" bar
between the byline and the story ended the article, so two pages kept 36 and 42 of their 590 and
554 words (headline and byline only). After the fixes (a share bar or related-links line ends a page only after a story
sentence; a "Published <date> | Updated" line and a date inside a short byline line; short headings
not glued to the next paragraph; a firm rolling out another firm's product adopts it; "was supposed
to" negates):
                     relations 44/85  P 0.79  R 0.52  F1 0.62  negated-asserted 0/7
                     entities 57/66  noise 0/18
Then (a subjectless main verb takes the name that opens its clause; a description the parse made
the subject stands for the name before its comma; "a New York startup" names no place as a firm):
                     relations 49/85  P 0.80  R 0.58  F1 0.67  negated-asserted 0/7
Fifth session (its misses read: a name after its description "Acme's native token, QRX", a figure
"four times the average" is no figure, "topped" is at least, "from 60 million to 90 million" keeps
the second, a verb can name the metric ("finalises blocks in 2.4 seconds", "values Acme at"),
"originally expected in May" is the old plan, "slated" lemmatised "slat", "took part" in the round,
"the startup's" is the firm the text called a startup; so the set is no longer held out):
                     relations 67/85  P 0.86  R 0.79  F1 0.82  negated-asserted 0/7
                     entities 61/66  noise 0/18

## heldout7 and heldout8

Seventh and eighth checks: tests/heldout7/ (a live blog, a Markdown Q&A interview in the first
person, a wire press release as HTML, an exploit post-mortem, a stiffly translated regional page with
reais and "next Monday (11)", a JSON-lines wire feed) and tests/heldout8/ (six scraped pages of six
invented publishers: a treasury adoption, a layer-1 roadmap, a funding roundup as HTML with JSON-LD,
an exchange listing, a stablecoin rivalry in Markdown, an opinion column). Each was written with its
gold by a helper who read only the contract, the gold format, kg.ttl and the user's two real pages;
their choices are in tests/heldout7_notes.md and tests/heldout8_notes.md. Both golds are more
demanding than the earlier sets': many facts need the sentence before ("It will not include ...",
"the company said it ...") or the whole article (a columnist named only in the byline).

First run, before any fix (tool at 25794a0):
    heldout7         relations 39/103  P 0.87  R 0.38  F1 0.53  negated-asserted 0/6
                     entities 68/79  noise 2/22
    heldout8         relations 36/127  P 0.78  R 0.28  F1 0.42  negated-asserted 0/10
                     entities 66/77  noise 2/23
With the heldout6 round's fixes only (not yet read these sets' misses):
    heldout7         relations 42/103  P 0.88  R 0.41     heldout8  relations 38/127  P 0.79  R 0.30
After reading their misses ("we"/"our" is the speaker's firm, else the article's topic; a sentence
opening with "It" is about the subject before; "our next upgrade, Zeta"; "Paradigm led it" and
"came in" join the round named before; a round someone joined was not raised by them; "Acme, the
grocery chain" is a company; "rolled Zeta Pay out"; a heading ending "Series A" is not glued to the
next paragraph; a name opening three sentences is a name):
    heldout7         relations 61/103  P 0.91  R 0.59  F1 0.72  negated-asserted 0/6
                     entities 70/79  noise 2/22
    heldout8         relations 44/127  P 0.88  R 0.35  F1 0.50  negated-asserted 0/10
                     entities 67/77  noise 2/23
The noise left: Brazilian place names typed as organisations and an invented product typed as a
person (heldout7), a quoted board name and a stablecoin the model calls an organisation (heldout8).
A later round (hosts: "available on", "listed on", "runs on"; "holds 600,000 BTC"; "the round values
the company at"; an object "it"; 'trading near $X'):
    heldout8         relations 56/127  P 0.88  R 0.44  F1 0.59  negated-asserted 0/10

## heldout9 and heldout10

Ninth and tenth checks, written the same way (tests/heldout9_notes.md, tests/heldout10_notes.md):
tests/heldout9/ is six scraped pages (a spot ETF launch, a miner's results, a layer-1 upgrade delay,
a lending protocol's vote, a bank's tokenised deposits, an exchange's licence and round);
tests/heldout10/ is three scraped pages, two saved HTML pages and a Markdown roundup (a rollup
upgrade, a wallet launch, EU stablecoin rules, a funding week, a web3 game, a tokenised fund).

First run, before any fix (tool at 3e3440f):
    heldout9         relations 20/110  P 0.77  R 0.18  F1 0.29  negated-asserted 0/11
                     entities 55/81  noise 4/30
    heldout10        relations 41/124  P 0.84  R 0.33  F1 0.47  negated-asserted 0/14
                     entities 80/96  noise 6/27
heldout9's misses were then read (its first page had lost its story at a share bar under the
summary; invented chains, "the foundation said", "Zeta's main network", "the company" of a
roundup). heldout10's were not: it stays held out; only its totals and one entity it lost along
the way (a bank the model stopped tagging after a heading was split off) were looked at.
    heldout9         relations 37/110  P 0.86  R 0.34  F1 0.48  negated-asserted 0/11
                     entities 69/81  noise 4/30
    heldout10        relations 45/124  P 0.82  R 0.36  F1 0.50  negated-asserted 0/14
                     entities 79/96  noise 5/27

## heldout11 and heldout12

Eleventh and twelfth checks, written the same way (tests/heldout11_notes.md,
tests/heldout12_notes.md): tests/heldout11/ is an exploit response, a bitcoin treasury company, a
DAO vote (Markdown), a payments rollout, an exchange acquisition (HTML without JSON-LD) and a
weekly roundup; tests/heldout12/ is a validator client and hard fork, a tokenized money-market fund
(HTML with JSON-LD), a game token (Markdown), UK stablecoin rules, an L2 partnership (a JSON
article) and a CEO interview.

First run, before any fix (tool at 03e9851):
    heldout11        relations 49/97   P 0.92  R 0.51  F1 0.65  negated-asserted 0/10
                     entities 81/94  noise 7/39
    heldout12        relations 41/121  P 0.75  R 0.34  F1 0.47  negated-asserted 1/9
                     entities 96/105  noise 6/38
heldout10's and heldout11's misses were then read (bylines "Words by" / "Posted by X on <date>",
share bars with a label, photo captions, adverts under a "SPONSORED" label, numbered headings; people
known by a role or as the author; "supports" said of a company; "its QRX governance token"; "the
London company"; an issuer's networks; buying a venue). heldout12's were not: it stays held out.
    heldout10        relations 52/124  P 0.84  R 0.42  F1 0.56  negated-asserted 0/14
                     entities 79/96  noise 5/27
    heldout11        relations 64/97   P 0.97  R 0.66  F1 0.79  negated-asserted 0/10
                     entities 87/94  noise 4/39
    heldout12        relations 41/121  P 0.75  R 0.34  F1 0.47  negated-asserted 1/9
                     entities 98/105  noise 5/38

## heldout13 and heldout14

Thirteenth and fourteenth checks, written the same way (tests/heldout13_notes.md,
tests/heldout14_notes.md): tests/heldout13/ is ETF flows, a restaking launch (HTML with JSON-LD), a
central-bank pilot (Markdown), a miner's results (HTML without JSON-LD), an NFT marketplace feed (two
JSON lines) and a stablecoin depeg live blog; tests/heldout14/ is a wire press release, a Q&A
interview (Markdown), an enforcement action (HTML with JSON-LD), a rollup devnet upgrade, a project's
own blog (a JSON article) and a market wrap (HTML without JSON-LD).

First run, before any fix (tool at 29a8ea6):
    heldout13        relations 38/135  P 0.61  R 0.28  F1 0.39  negated-asserted 0/13
                     entities 88/107  noise 6/45
    heldout14        relations 39/115  P 0.78  R 0.34  F1 0.47  negated-asserted 1/12
                     entities 76/101  noise 3/49
heldout12's misses were then read (questions, interview answers, summary lists, role bylines,
semicolons, versions, "whose" rounds, a figure's own "on X"), and a crash found by heldout14's build
(a class word ending the text) fixed. heldout13 stays held out.
    heldout12        relations 66/121  P 0.97  R 0.55  F1 0.70  negated-asserted 0/9
                     entities 99/105  noise 3/38
    heldout13        relations 42/135  P 0.67  R 0.31  F1 0.42  negated-asserted 0/13
                     entities 89/107  noise 6/45
    heldout14        relations 44/115  P 0.80  R 0.38  F1 0.52  negated-asserted 1/12
                     entities 88/101  noise 3/49
heldout14's misses were then read in part (a press release's "announced a partnership with X and
the launch of Y", "supports staking on", banks that offer or distribute a product, francs, a wire's
similar-releases tail, "QRX, our token", a new product owned by its launcher):
    heldout14        relations 54/115  P 0.84  R 0.47  F1 0.60  negated-asserted 1/12
                     entities 89/101  noise 3/49
Ninth session. Two more sets written before any run (notes: tests/heldout15_notes.md,
tests/heldout16_notes.md); first run at 35365a7:
    heldout15        relations 50/135  P 0.72  R 0.37  F1 0.49  negated-asserted 0/20
                     entities 82/97  noise 10/56
    heldout16        relations 48/136  P 0.79  R 0.35  F1 0.49  negated-asserted 1/14
                     entities 99/113  noise 5/49
heldout14's market wrap was then read (an apposition's relative clause, a passive clause's own
price, "no longer", hedge funds, "a position in", "share of the market", "took in"):
    heldout14        relations 63/115  P 0.94  R 0.55  F1 0.70  negated-asserted 0/12
                     entities 90/101  noise 3/49
heldout15's misses were then read (a transcript's timestamped speakers, "head of X at Y", a
newsletter's numbered items, "its tokenised Treasury fund, Osprey", "the team behind X", "we led
X's seed round", "I've heard that"); heldout16 stays held out:
    heldout15        relations 77/135  P 0.91  R 0.57  F1 0.70  negated-asserted 0/20
                     entities 86/97  noise 8/56
    (with "the governance token of the lending protocol Qorlin", "held $420 million in deposits"
    and "holders voted 64% against"; heldout14 then 64/115, P 0.94, R 0.56, noise 2/49)
    heldout16        relations 49/136  P 0.79  R 0.36  F1 0.49  negated-asserted 1/14
                     entities 101/113  noise 4/49
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from kgtest_helpers import heldout_report as score_heldout

TESTS = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Bar:
    precision: float
    recall: float
    negated_at_least: int   # how many negated gold facts the set has (the check is not vacuous)
    entity_share: float
    noise_at_most: int = 0  # noise lines the set still violates (see its section)
    negated_asserted_at_most: int = 0  # negated facts still asserted (only in a set kept held out)


BARS = {
    "heldout3": Bar(0.90, 0.78, 3, 0.85),
    "heldout4": Bar(0.75, 0.78, 10, 0.9),
    "heldout5": Bar(0.78, 0.70, 11, 0.92),
    "heldout6": Bar(0.84, 0.77, 7, 0.9),
    "heldout7": Bar(0.88, 0.56, 6, 0.86, noise_at_most=2),
    "heldout8": Bar(0.85, 0.41, 10, 0.85, noise_at_most=2),
    "heldout9": Bar(0.82, 0.31, 11, 0.82, noise_at_most=4),
    "heldout10": Bar(0.82, 0.40, 14, 0.80, noise_at_most=5),
    "heldout11": Bar(0.94, 0.63, 10, 0.90, noise_at_most=4),
    "heldout12": Bar(0.94, 0.52, 9, 0.92, noise_at_most=3),
    # kept held out: its misses are not read
    "heldout13": Bar(0.64, 0.29, 13, 0.80, noise_at_most=6),
    # its misses were read in part
    "heldout14": Bar(0.91, 0.53, 12, 0.87, noise_at_most=2),
    # opened in the ninth session
    "heldout15": Bar(0.88, 0.54, 20, 0.85, noise_at_most=8),
    # kept held out: its misses are not read; the one negated fact it asserts is not looked into
    "heldout16": Bar(0.76, 0.33, 14, 0.86, noise_at_most=4, negated_asserted_at_most=1),
}


@pytest.fixture(scope="module", params=sorted(BARS))
def held(request, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN001, ANN201
    name = request.param
    return BARS[name], score_heldout(TESTS / name, tmp_path_factory.mktemp(f"{name}_build"))


def test_relation_precision_and_recall(held) -> None:  # noqa: ANN001
    bar, report = held
    p, r, _ = report.totals().prf()
    assert p >= bar.precision, f"precision {p:.2f}"
    assert r >= bar.recall, f"recall {r:.2f}"


def test_no_negated_fact_asserted(held) -> None:  # noqa: ANN001
    bar, report = held
    assert report.negated_all >= bar.negated_at_least
    assert report.negated_asserted <= bar.negated_asserted_at_most


def test_entity_classes_and_noise(held) -> None:  # noqa: ANN001
    bar, report = held
    assert report.entity_hit / report.entity_all >= bar.entity_share
    assert report.noise <= bar.noise_at_most
