"""Generate a realistic synthetic corpus of crypto news articles for the benchmarks.

    .venv/bin/python benchmarks/corpus.py OUT --docs 1000 [--seed 0]

Articles are built from this file's own templates (no copied text): entity names come from
ontology/lexicon.tsv by class (people endorse projects, banks adopt products, upgrades ship on
dates, funding rounds, partnerships, acquisitions, prices/TVL/TPS figures), with negations ("has
not endorsed"), hedges ("reportedly", "is said to have"), dates relative to each article's
publication date, and filler sentences so that each article has 300-600 words like seeds/.
Formats mix like a real folder: scraped .txt pages, .md with YAML front matter, .html pages and
.jsonl wire digests (several articles per file). The same seed always gives the same bytes.
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import random
import re
import sys
from pathlib import Path

LEXICON = Path(__file__).resolve().parents[1] / "ontology" / "lexicon.tsv"
#: slot name -> lexicon classes it draws from
ROLES = {
    "person": ("Person",), "project": ("Project",), "token": ("Token",), "stable": ("Stablecoin",),
    "bank": ("Bank",), "fin": ("FinancialInstitution", "AssetManager"), "am": ("AssetManager",),
    "company": ("Company", "PaymentNetwork"), "exchange": ("Exchange",), "product": ("Product",),
    "upgrade": ("Upgrade",), "proposal": ("Proposal",), "gov": ("GovernmentBody",), "org": ("Organization",),
}
FORMATS = (("txt", 45), ("md", 35), ("html", 12), ("jsonl", 8))
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

FACTS = (  # (headline, sentence); {x2} is a second, different entity of the same role as {x}
    ("{person} Endorses {project}", "{person} {weekday} endorsed {project}, calling its roadmap \"the most credible in the sector\"."),
    ("{person} Backs {project}", "In a post that spread quickly, {person} publicly backed {project} as a long-term bet."),
    ("{person} Endorses {upgrade}", "{person}, who rarely comments on individual networks, endorsed the {upgrade} {past}."),
    ("{person2} Stays Neutral on {project}", "{person2} has not endorsed {project}, a spokesperson said {weekday}."),
    ("{person} Said to Back {project2}", "{person} reportedly endorsed {project2} during a closed-door meeting with developers."),
    ("{bank} Adopts {product}", "{bank} adopted {product} for internal settlement trials, the bank said {weekday}."),
    ("{bank} Turns to {stable}", "{bank} has adopted {stable} for cross-border payments between its branches."),
    ("{bank2} Said to Adopt {product}", "{bank2} is said to have adopted {product} for a pilot with corporate clients."),
    ("{bank} Holds Off on {project}", "{bank} has not adopted {project} and declined to comment on its plans."),
    ("{fin} Weighs {product2}", "{fin} could adopt {product2} later this year, according to people familiar with the matter."),
    ("{upgrade} Goes Live on {upgrade_net}", "The {upgrade} went live on {upgrade_net} {past}, after two rounds of testnet delays."),
    ("{upgrade_net} Activates {upgrade}", "The {upgrade} activated on mainnet {past}, ending more than a year of work."),
    ("{upgrade} Set for {future}", "The {upgrade} is scheduled for {future}, developers confirmed on a call {weekday}."),
    ("{upgrade} Slips Again", "Core developers now expect the {upgrade} to ship in {future}, later than first planned."),
    ("{company} Raises {amount}", "{company} raised {amount} in a funding round led by {am}, the company said {weekday}."),
    ("{am} Bets {amount} on {company2}", "{am} invested {amount} in {company2}, its largest crypto bet to date."),
    ("{fin} Denies {company} Stake", "{fin} has not invested in {company}, despite reports to the contrary."),
    ("{company} and {exchange} Team Up", "{company} partnered with {exchange} to offer {stable} payments to merchants."),
    ("{company2} Partners With {company}", "{company2} and {company} said {weekday} they had formed a partnership on custody."),
    ("{exchange} Buys {company2}", "{exchange} acquired {company2} for about {amount}, the companies confirmed {weekday}."),
    ("{company} in Talks for {company2}", "{company} is reportedly in talks to acquire {company2} for roughly {amount}."),
    ("{company} Launches {product}", "{company} launched {product} {past}, opening it first to institutional clients."),
    ("{am} Plans {product2}", "{am} plans to launch {product2} in {future}, pending regulatory approval."),
    ("{token} Jumps {pct}", "{token} rose {pct} in the 24 hours after the announcement, to {price}."),
    ("{token2} Slides {pct}", "{token2} fell {pct} over the week and traded at {price} {weekday}."),
    ("{project} Hits {tps} TPS", "{project} processed more than {tps} transactions per second during a stress test {past}."),
    ("{project} TVL Reaches {amount}", "The total value locked in {project} reached {amount} {past}, according to public dashboards."),
    ("{project2} Usage Climbs", "{project2} recorded {daa} daily active addresses {past}, up from roughly {daa2} a month earlier."),
    ("{token} Volume Tops {amount}", "Trading volume in {token} topped {amount} {past}, data from several aggregators show."),
    ("{gov} Reviews {proposal}", "The {gov} said {weekday} it was reviewing {proposal} and would publish guidance in {future}."),
    ("{gov} Approves {product}", "The {gov} approved {product} {past}, clearing the way for trading in the United States."),
    ("{gov2} Holds Back {product2}", "The {gov2} has not approved {product2}, and no decision is expected before {future}."),
    ("{org} Lobbies for {proposal}", "The {org} supports {proposal} and has lobbied lawmakers for months to pass it."),
    ("{exchange} Lists {project}", "{exchange} integrated {project} for deposits and withdrawals {past}."),
    ("{company} Pays in {stable}", "{company} uses {stable} on {project} to pay contractors in more than 30 countries."),
    ("{bank} Tests {product}", "{bank} is testing {product} with a handful of corporate treasurers, the bank said."),
)
SUBJECTS = ("Analysts", "Traders", "Market makers", "Several fund managers", "Developers", "Compliance teams",
            "Researchers at independent firms", "Critics of the plan", "Long-time users", "Lawyers who follow the sector")
VERBS = ("cautioned that", "noted that", "argued that", "pointed out that", "said privately that",
         "expect that", "warned that", "have long said that")
CLAUSES = ("liquidity remains thin outside US trading hours", "the figures could be revised once audited data are published",
           "regulatory clarity matters more than any single product launch", "fees on the network have fallen sharply since the start of the year",
           "institutional demand tends to arrive in waves rather than all at once", "the market has already priced in most of the good news",
           "custody remains the main obstacle for pension funds", "smaller venues will struggle to match the spreads of the largest exchanges",
           "retail interest has not returned to the levels seen during the last cycle", "settlement on public chains still raises privacy questions for banks",
           "the real test will come when volatility returns", "most of the new activity comes from a small number of large wallets",
           "the technical work is further along than the marketing suggests", "interest rates still drive flows more than any crypto-specific news")
STANDALONE = ("The company did not respond to a request for comment.", "Details of the arrangement were not disclosed.",
              "The announcement came during a quiet week for digital asset markets.", "Terms of the deal were not made public.",
              "Neither side would say how many customers are involved.", "A spokesperson declined to give a timeline.",
              "The move had been widely expected.", "Shares of listed crypto firms were little changed after the news.",
              "The plan still needs sign-off from regulators in several countries.", "Some of the numbers could not be independently verified.",
              "Governance forums lit up with debate within hours.", "Fees were briefly higher while the change rolled out.")
WORDS = ("Chain", "Block", "Ledger", "Coin", "Hash", "Basis", "Token", "Mint", "Vault", "Node")
OUTLETS = ("Ledger Daily", "Wire", "Review", "Journal", "Relay", "Post", "Brief", "Desk")
FIRST = ("Marta", "Daniel", "Priya", "Owen", "Rachel", "Tomas", "Lena", "Samuel", "Aiko", "Joao", "Nadia", "Peter")
LAST = ("Kovacs", "Okafor", "Raman", "Marsh", "Osei", "Lindqvist", "Brennan", "Moreau", "Tanaka", "Silva", "Haddad")


def load_pools(path: Path = LEXICON) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Entity labels per slot role and each entity's parent (owner or upgraded network), from the lexicon."""
    pools: dict[str, list[str]] = {role: [] for role in ROLES}
    parent: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if not line.strip() or line.startswith("#") or cols[0] == "label" or len(cols) < 2:
            continue
        classes = set(cols[1].split("|"))
        for role, wanted in ROLES.items():
            if classes & set(wanted):
                pools[role].append(cols[0])
        if len(cols) > 4 and cols[4].strip():
            parent[cols[0]] = cols[4].strip()
    pools["upgrade"] = [u for u in pools["upgrade"] if u in parent]
    return pools, parent


def _money(rng: random.Random) -> str:
    if rng.random() < 0.4:
        return f"${rng.randint(11, 49) / 10:.1f} billion"
    return f"${rng.choice((12, 25, 40, 75, 110, 150, 225, 350, 410, 700))} million"


class Slots(dict):
    """Values for template slots, drawn on first use and then kept for the whole article (a cast)."""

    FRESH = frozenset({"weekday", "past", "future", "pct", "price", "amount", "tps", "daa", "daa2"})

    def __init__(self, rng: random.Random, pools: dict[str, list[str]], parent: dict[str, str], published: dt.date) -> None:
        super().__init__()
        self.rng, self.pools, self.parent, self.published = rng, pools, parent, published

    def __missing__(self, key: str) -> str:
        value = self._fresh(key) if key in self.FRESH else self._entity(key)
        if key not in self.FRESH:
            self[key] = value
        return value

    def _entity(self, key: str) -> str:
        if key == "upgrade_net":
            return self.parent[self["upgrade"]]
        role = key.rstrip("0123456789")
        taken = {v for k, v in self.items() if k.rstrip("0123456789") == role}
        choices = [c for c in self.pools[role] if c not in taken] or self.pools[role]
        return self.rng.choice(choices)

    def _fresh(self, key: str) -> str:
        rng, pub = self.rng, self.published
        if key == "weekday":
            return "on " + DAYS[(pub - dt.timedelta(days=rng.randint(1, 6))).weekday()]
        if key == "past":
            d = pub - dt.timedelta(days=rng.randint(2, 300))
            return rng.choice((f"on {MONTHS[d.month - 1]} {d.day}", f"in {MONTHS[d.month - 1]} {d.year}",
                               f"on {MONTHS[d.month - 1]} {d.day}, {d.year}", "last week", "earlier this month"))
        if key == "future":
            d = pub + dt.timedelta(days=rng.randint(20, 400))
            return rng.choice((f"{MONTHS[d.month - 1]} {d.day}, {d.year}", f"{MONTHS[d.month - 1]} {d.year}",
                               "next month", f"the first quarter of {pub.year + 1}"))
        if key == "pct":
            return f"{rng.randint(2, 35)}%"
        if key == "price":
            return f"${rng.choice((0.42, 1.08, 3.75, 18.6, 142.3, 2480, 64250)):,}"
        if key == "amount":
            return _money(rng)
        if key == "tps":
            return f"{rng.randint(8, 300) * 100:,}"
        return f"{rng.randint(20, 900) * 100:,}"  # daa, daa2


def _filler(rng: random.Random) -> str:
    if rng.random() < 0.35:
        return rng.choice(STANDALONE)
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(CLAUSES)}."


def _body(rng: random.Random, slots: Slots, target: int) -> tuple[str, list[str], list[str]]:
    """(headline, paragraphs, summary bullets) of about `target` words."""
    facts = rng.sample(FACTS, k=min(len(FACTS), 8 + target // 60))
    first = facts[0][1].format_map(slots)
    headline = facts[0][0].format_map(slots)
    paragraphs, bullets, words, k = [first], [first], len(first.split()), 1
    while words < target:
        sentences = []
        for _ in range(rng.randint(3, 5)):
            if k < len(facts) and rng.random() < 0.5:
                sentences.append(facts[k][1].format_map(slots))
                bullets.append(sentences[-1])
                k += 1
            else:
                sentences.append(_filler(rng))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    return headline, paragraphs, bullets[:3]


def article(rng: random.Random, pools: dict[str, list[str]], parent: dict[str, str], index: int) -> dict:
    """One article as a dict: headline, publisher, author, published (date), url, paragraphs, bullets."""
    published = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
    slots = Slots(rng, pools, parent, published)
    headline, paragraphs, bullets = _body(rng, slots, rng.randint(250, 500))
    publisher = f"{rng.choice(WORDS)}{rng.choice(WORDS).lower()} {rng.choice(OUTLETS)}"
    slug = re.sub(r"[^a-z0-9]+", "-", headline.lower()).strip("-")[:48]
    return {"headline": headline, "publisher": publisher, "author": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "published": published, "url": f"https://{publisher.split()[0].lower()}.example/{published:%Y/%m}/{slug}-{index}",
            "slug": slug, "paragraphs": paragraphs, "bullets": bullets}


def as_txt(a: dict, rng: random.Random) -> str:
    """A scraped page like seeds/*.txt: navigation, doubled headline, dateline, byline, summary, disclaimer."""
    nav = rng.sample(["Sign in", "Download App", "Markets", "Trade smarter", "News"], k=2)
    when = f"{a['published']:%Y/%m/%d} {rng.randint(6, 20):02d}:{rng.choice((0, 15, 30, 45)):02d}"
    summary = " ".join(f"- {b}" for b in a["bullets"])
    parts = [*nav, a["headline"], "", a["headline"], "", f"{a['publisher']}{when}", f"By:{a['author']}", "",
             summary, "", "\n\n".join(a["paragraphs"]), "",
             f"Disclaimer: This article is for information only and does not constitute financial advice. "
             f"{a['publisher']} and its writers may hold positions in the assets mentioned."]
    return "\n".join(parts) + "\n"


def as_md(a: dict, rng: random.Random) -> str:
    """Markdown with YAML front matter like seeds/*.md."""
    front = (f"---\ntitle: {json.dumps(a['headline'])}\nurl: {a['url']}\npublished: {a['published']:%Y-%m-%d}\n"
             f"publisher: {a['publisher']}\nauthor: {a['author']}\n---\n\n# {a['headline']}\n\n")
    return front + "\n\n".join(a["paragraphs"]) + "\n"


def as_html(a: dict, rng: random.Random) -> str:
    """An HTML page with meta tags, navigation, the article and a footer, like seeds/*.html."""
    e = html.escape
    body = "\n".join(f"    <p>{e(p)}</p>" for p in a["paragraphs"])
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{e(a['headline'])} | {e(a['publisher'])}</title>
  <meta name="author" content="{e(a['author'])}">
  <meta property="og:site_name" content="{e(a['publisher'])}">
  <meta property="og:title" content="{e(a['headline'])}">
  <meta property="og:url" content="{e(a['url'])}">
  <meta property="article:published_time" content="{a['published']:%Y-%m-%d}T09:00:00Z">
</head>
<body>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/markets">Markets</a></li><li><a href="/defi">DeFi</a></li></ul></nav>
  <article>
    <h1>{e(a['headline'])}</h1>
    <p class="byline">By {e(a['author'])} · {MONTHS[a['published'].month - 1]} {a['published'].day}, {a['published'].year}</p>
{body}
  </article>
  <footer><p>© {a['published'].year} {e(a['publisher'])}. All rights reserved.</p></footer>
</body>
</html>
"""


def as_record(a: dict) -> str:
    """One line of a .jsonl wire digest."""
    return json.dumps({"title": a["headline"], "url": a["url"], "published": f"{a['published']:%Y-%m-%d}T12:00:00Z",
                       "publisher": a["publisher"], "author": a["author"], "text": "\n\n".join(a["paragraphs"])},
                      ensure_ascii=False)


def generate(folder: Path | str, n: int, seed: int = 0, digest_size: int = 3) -> list[Path]:
    """Write `n` articles into `folder` (created); returns the files written, sorted. Deterministic for `seed`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    pools, parent = load_pools()
    kinds, weights = zip(*FORMATS)
    written: list[Path] = []
    digest: list[str] = []
    for i in range(n):
        a = article(rng, pools, parent, i)
        kind = rng.choices(kinds, weights)[0]
        if kind == "jsonl":
            digest.append(as_record(a))
            if len(digest) == digest_size or i == n - 1:
                written.append(_write(folder / f"{i:05d}_wire_digest.jsonl", "\n".join(digest) + "\n"))
                digest = []
            continue
        render = {"txt": as_txt, "md": as_md, "html": as_html}[kind]
        written.append(_write(folder / f"{i:05d}_{a['slug'][:40]}.{kind}", render(a, rng)))
    if digest:
        written.append(_write(folder / f"{n:05d}_wire_digest.jsonl", "\n".join(digest) + "\n"))
    return sorted(written)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path, help="folder to write the articles into")
    p.add_argument("--docs", type=int, default=100, help="number of articles (default 100)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = p.parse_args(argv)
    files = generate(args.out, args.docs, args.seed)
    words = sum(len(f.read_text(encoding="utf-8").split()) for f in files)
    print(f"wrote {args.docs} articles in {len(files)} files ({words:,} words incl. markup) to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
