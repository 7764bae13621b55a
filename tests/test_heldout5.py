"""Fifth held-out check: tests/heldout5/ (6 articles written with their gold by a helper who read only
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

The bars below sit under the final figures: a regression guard, not a target.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from kgtest_helpers import heldout_report as score_heldout

HELDOUT = Path(__file__).resolve().parent / "heldout5"


@pytest.fixture(scope="module")
def heldout5_report(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    return score_heldout(HELDOUT, tmp_path_factory.mktemp("heldout5_build"))


def test_heldout5_relation_precision_and_recall(heldout5_report) -> None:  # noqa: ANN001
    p, r, _ = heldout5_report.totals().prf()
    assert p >= 0.78, f"precision {p:.2f}"
    assert r >= 0.70, f"recall {r:.2f}"


def test_heldout5_no_negated_fact_asserted(heldout5_report) -> None:  # noqa: ANN001
    assert heldout5_report.negated_all >= 11
    assert heldout5_report.negated_asserted == 0


def test_heldout5_entity_classes_and_noise(heldout5_report) -> None:  # noqa: ANN001
    assert heldout5_report.entity_hit / heldout5_report.entity_all >= 0.92
    assert heldout5_report.noise == 0
