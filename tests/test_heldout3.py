"""Third held-out check: tests/heldout3/ (6 articles in genres not covered before: a regulator's licence
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

The bars below sit honestly under the final figures: a regression guard, not a target.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from kgtest_helpers import heldout_report as score_heldout

HELDOUT = Path(__file__).resolve().parent / "heldout3"


@pytest.fixture(scope="module")
def heldout3_report(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    return score_heldout(HELDOUT, tmp_path_factory.mktemp("heldout3_build"))


def test_heldout3_relation_precision_and_recall(heldout3_report) -> None:  # noqa: ANN001
    p, r, _ = heldout3_report.totals().prf()
    assert p >= 0.90, f"precision {p:.2f}"
    assert r >= 0.78, f"recall {r:.2f}"


def test_heldout3_no_negated_fact_asserted(heldout3_report) -> None:  # noqa: ANN001
    assert heldout3_report.negated_all >= 3
    assert heldout3_report.negated_asserted == 0


def test_heldout3_entity_classes_and_noise(heldout3_report) -> None:  # noqa: ANN001
    assert heldout3_report.entity_hit / heldout3_report.entity_all >= 0.85
    assert heldout3_report.noise == 0
