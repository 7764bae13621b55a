"""Scraped pages whose share bar sits between the summary and the story, social-network bars, inline
"Read more:" links, photo credits and "Disclosure:" lines (found in tests/heldout9's first run: the
whole story of one page was cut at its top share bar). The page below is written here."""
from __future__ import annotations

from kg.clean import clean_page
from kg.lexicon import load_lexicon

PAGE = """Zentrix Daily
Home / Markets

Zentrix Fund Draws $40 Million on Day One

Zentrix Fund Draws $40 Million on Day One

The fund began trading a day after the regulator signed off. Marlo Capital is said to be weighing a rival.

By Jane Okafor
Published May 13, 2026

Share this article
X   LinkedIn   Facebook   Reddit   Copy link

A trader at a desk in New York. (Halden Ostrova/Zentrix Daily)

The Zentrix Qorix Fund began trading on Wednesday and drew about $40 million in its first session, according to figures from the issuer. It is the first fund of its kind in the United States.

Read more: Marlo Capital Files for a Second Fund

Marlo Capital, which manages about $9 billion, is weighing a rival product, according to two people familiar with the matter. The firm declined to comment on the plan.

Share this article
X   LinkedIn   Facebook   Reddit   Copy link

Disclosure: Zentrix Daily is owned by Keystone Media Group, which has no stake in any issuer named here.

Read next

Qorix Staking Funds Post First Outflow
May 12, 2026
"""


def _story() -> str:
    art, _ = clean_page(PAGE, load_lexicon())
    return "\n\n".join(art.paragraphs)


def test_a_share_bar_under_the_summary_does_not_end_the_story() -> None:
    story = _story()
    assert "drew about $40 million in its first session" in story
    assert "Marlo Capital, which manages about $9 billion, is weighing a rival product" in story


def test_the_share_bar_under_the_story_still_ends_it() -> None:
    story = _story()
    assert "Keystone Media Group" not in story
    assert "Qorix Staking Funds Post First Outflow" not in story


def test_social_bars_inline_links_and_photo_credits_are_dropped() -> None:
    story = _story()
    assert "It is the first fund of its kind" in story  # the story is there, its furniture is not
    for noise in ("LinkedIn", "Copy link", "Read more", "Files for a Second Fund", "A trader at a desk",
                  "Halden Ostrova/Zentrix Daily"):
        assert noise not in story
