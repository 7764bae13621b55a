"""A synthetic graph shaped like `kg build`'s output, of any size, for the query benchmark and tests.

One named graph per article with its schema:NewsArticle facts, entity mentions (rdf:type, rdfs:label,
skos:altLabel, kg:ticker, kg:mentionedIn), claims as rdf:Statement (subject, predicate, object,
polarity, modality, confidence, evidence, offsets, rule, prov:wasDerivedFrom, plus the direct triple
when positive), observations (metric, value, unit, comparator, date), and kg:mentionCount /
kg:mergeNote in the default graph. Entities are the lexicon's (real names, classes, aliases,
tickers; a few are popular, most rare) plus a long tail of invented ones that grows sub-linearly
with the corpus.
"""
from __future__ import annotations

import hashlib
import json
import random
import tempfile
import time
from collections import Counter
from itertools import accumulate
from pathlib import Path

from bench_build import log
from corpus import LEXICON

ID, KG = "https://w3id.org/crypto-kg/id/", "https://w3id.org/crypto-kg/ontology#"
PREFIXES = """@prefix kg: <https://w3id.org/crypto-kg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
RELATIONS = {"endorses": 10, "adopts": 14, "partnersWith": 6, "investsIn": 8, "acquires": 6, "launches": 6,
             "upgradeOf": 3, "productOf": 8, "tokenOf": 6, "includes": 4, "shippedOn": 5, "scheduledFor": 4}
METRICS = (("Price", "USD"), ("PriceChange", "%"), ("TVL", "USD"), ("TPS", "tx/s"), ("TradingVolume", "USD"),
           ("DailyActiveAddresses", "addresses"), ("MarketCap", "USD"), ("FundingAmount", "USD"), ("Inflow", "USD"))
TAIL_WORDS = ("Nova", "Arc", "Lumen", "Vector", "Quartz", "Helix", "Orbit", "Summit", "Cobalt", "Harbor", "Zenith", "Atlas")
TAIL_KINDS = (("Labs", "Company"), ("Protocol", "Project"), ("Capital", "Company"), ("Bank", "Bank"), ("Pay", "Product"))
FAVOURITES = ("Ethereum", "Bitcoin", "ZKsync", "Prividium", "Coinbase", "Vitalik Buterin", "BlackRock", "USDC", "Solana")


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def lexicon_entities(path: Path = LEXICON) -> list[dict]:
    """Named entities of the lexicon (not Concepts): label, classes, aliases, ticker."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = (line.split("\t") + [""] * 5)[:5]
        if line.startswith("#") or not line.strip() or cols[0] == "label" or "Concept" in cols[1]:
            continue
        out.append({"label": cols[0], "classes": cols[1].split("|"), "ticker": cols[3],
                    "aliases": [a for a in cols[2].split("|") if a]})
    return out


class GraphWriter:
    """Writes a synthetic kg-shaped TriG graph, article by article, until it holds `target` quads."""

    def __init__(self, target: int, seed: int = 0) -> None:
        self.rng, self.target, self.quads, self.mentions = random.Random(seed), target, 0, Counter()
        ents = lexicon_entities()
        self.rng.shuffle(ents)
        ents.sort(key=lambda e: e["label"] not in FAVOURITES)
        articles = max(target // 200, 1)
        for k in range(int(6 * articles ** 0.8)):
            word, (kind, cls) = TAIL_WORDS[k % len(TAIL_WORDS)], TAIL_KINDS[(k // len(TAIL_WORDS)) % len(TAIL_KINDS)]
            ents.append({"label": f"{word} {kind} {k}", "classes": [cls], "ticker": "", "aliases": []})
        for e in ents:
            e["iri"] = f"<{ID}entity/{_slug(e['label'])}>"
        self.entities = ents
        self.cum = list(accumulate(1 / (r + 3) ** 0.9 for r in range(len(ents))))  # Zipf-like popularity

    def write(self, path: Path) -> dict:
        """Write the graph to `path`; returns its size figures."""
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(PREFIXES)
            n = 0
            while self.quads < self.target:
                fh.write(self.article(n))
                n += 1
            fh.write(self.default_graph())
        return {"articles": n, "quads": self.quads, "entities": len(self.mentions), "bytes": path.stat().st_size}

    def _t(self, lines: list[str], s: str, p: str, o: str) -> None:
        lines.append(f"    {s} {p} {o} .\n")
        self.quads += 1

    def article(self, n: int) -> str:
        rng, a = self.rng, f"<{ID}article/synthetic-{n:06d}>"
        lines = [f"\n{a} {{\n"]
        published = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}"
        for p, o in (("a", "schema:NewsArticle"), ("kg:fileName", _lit(f"{n:06d}_article.txt")),
                     ("schema:headline", _lit(f"Synthetic headline {n}")), ("schema:publisher", _lit(f"Outlet {n % 41}")),
                     ("schema:author", _lit(f"Author {n % 97}")), ("schema:datePublished", f'"{published}"^^xsd:date')):
            self._t(lines, a, p, o)
        cast = {id(e): e for e in rng.choices(self.entities, cum_weights=self.cum, k=rng.randint(6, 14))}
        cast = list(cast.values())
        if self.entities[n % len(FAVOURITES)] not in cast:  # the example queries' entities are always there
            cast.append(self.entities[n % len(FAVOURITES)])
        for e in cast:
            self._mention(lines, a, e)
        for k in range(rng.randint(5, 13)):
            self._claim(lines, a, n, k, rng.choice(cast), rng.choice(cast))
        for k in range(rng.randint(0, 4)):
            self._observation(lines, a, n, k, rng.choice(cast))
        lines.append("}\n")
        return "".join(lines)

    def _mention(self, lines: list[str], a: str, e: dict) -> None:
        self.mentions[e["iri"]] += 1
        for cls in e["classes"]:
            self._t(lines, e["iri"], "a", f"kg:{cls}")
        self._t(lines, e["iri"], "rdfs:label", _lit(e["label"]))
        if e["aliases"] and self.rng.random() < 0.5:
            self._t(lines, e["iri"], "skos:altLabel", _lit(self.rng.choice(e["aliases"])))
        if e["ticker"]:
            self._t(lines, e["iri"], "kg:ticker", _lit(e["ticker"]))
        self._t(lines, e["iri"], "kg:mentionedIn", a)

    def _statement(self, lines: list[str], a: str, st: str, s: str, p: str, o: str, evidence: str, rule: str) -> None:
        rng = self.rng
        negated, hedged = rng.random() < 0.12, rng.random() < 0.3
        if not negated and p != "kg:hasObservation":
            self._t(lines, s, p, o)
        start = rng.randint(0, 3000)
        for pp, oo in (("a", "rdf:Statement"), ("rdf:subject", s), ("rdf:predicate", p), ("rdf:object", o),
                       ("kg:polarity", "kg:Negated" if negated else "kg:Positive"),
                       ("kg:modality", "kg:Hedged" if hedged else "kg:Asserted"),
                       ("kg:confidence", f"{rng.choice((0.51, 0.64, 0.8, 0.9))}"), ("kg:evidence", _lit(evidence)),
                       ("kg:charStart", str(start)), ("kg:charEnd", str(start + len(evidence))),
                       ("kg:rule", _lit(rule)), ("prov:wasDerivedFrom", a)):
            self._t(lines, st, pp, oo)

    def _claim(self, lines: list[str], a: str, n: int, k: int, s: dict, o: dict) -> None:
        pred = self.rng.choices(list(RELATIONS), weights=list(RELATIONS.values()))[0]
        if pred in ("shippedOn", "scheduledFor"):
            obj, text = f'"2025-{1 + (n + k) % 12:02d}"^^xsd:gYearMonth', f"{s['label']} {pred} in month {(n + k) % 12 + 1}"
        else:
            obj, text = o["iri"], f"{s['label']} {pred} {o['label']}, according to article {n}"
        st = f"<{ID}claim/{hashlib.sha1(f'{n}/c{k}'.encode()).hexdigest()[:16]}>"
        self._statement(lines, a, st, s["iri"], f"kg:{pred}", obj, text + ".", f"verb:{pred.lower()}")

    def _observation(self, lines: list[str], a: str, n: int, k: int, e: dict) -> None:
        rng = self.rng
        metric, unit = rng.choice(METRICS)
        ob = f"<{ID}observation/{hashlib.sha1(f'{n}/o{k}'.encode()).hexdigest()[:16]}>"
        for p, o in (("a", "kg:Observation"), ("kg:observedEntity", e["iri"]), ("kg:metric", f"kg:{metric}"),
                     ("kg:value", f"{rng.randint(1, 99999) * 1000.0}"), ("kg:unit", _lit(unit)),
                     ("kg:comparator", _lit(rng.choice(("=", "~", ">=")))), ("kg:date", f'"2025-{1 + n % 12:02d}-01"^^xsd:date')):
            self._t(lines, ob, p, o)
        self._t(lines, e["iri"], "kg:hasObservation", ob)
        st = f"<{ID}claim/{hashlib.sha1(f'{n}/oc{k}'.encode()).hexdigest()[:16]}>"
        self._statement(lines, a, st, e["iri"], "kg:hasObservation", ob, f"{e['label']} {metric} was reported.", f"metric:{metric}")

    def default_graph(self) -> str:
        lines = ["\n"]
        for iri, count in sorted(self.mentions.items()):
            self._t(lines, iri, "kg:mentionCount", str(count))
            if count % 17 == 0:
                self._t(lines, iri, "kg:mergeNote", _lit("synthetic: lexicon alias"))
        return "".join(lines)


def graph_file(triples: int, seed: int) -> tuple[Path, dict]:
    """The cached synthetic graph of about `triples` quads (written on first use)."""
    path = Path(tempfile.gettempdir()) / f"kg-bench-graph-{triples}-s{seed}.trig"
    meta = path.with_suffix(".json")
    if not (path.exists() and meta.exists()):
        t = time.perf_counter()
        info = GraphWriter(triples, seed).write(path.with_suffix(".part"))
        path.with_suffix(".part").rename(path)
        info["write_seconds"] = round(time.perf_counter() - t, 1)
        meta.write_text(json.dumps(info))
        log(f"wrote {path} ({info['quads']:,} quads, {info['articles']:,} articles) in {info['write_seconds']} s")
    return path, json.loads(meta.read_text())
