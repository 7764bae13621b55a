"""Score a built graph against gold facts (the format of shared/eval/README.md).

Recall counts gold relations found (positive and hedged); precision counts extracted positive
claims that some gold fact of the same article supports; negated gold facts must have no direct
triple; entity lines check classes (sub-classes count) and not_entity lines catch noise.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .errors import InputError
from .namespace import KG
from .lexicon import ONTOLOGY_DIR

PARENT_PROPERTY = {"shippedOn": "shipsOn", "scheduledFor": "shipsOn", "hasObservation": "hasMetric"}


def norm(s: str) -> str:
    """The gold format's name normalisation."""
    s = s.replace("\u2019", "'").replace("\u2018", "'").casefold().strip()
    s = re.sub(r"'s$", "", s)
    s = re.sub(r"^(the|a|an)\s+", "", s)
    s = re.sub(r"[\s\-_]+", " ", s.lstrip("$"))
    return s.strip(" .,:;\"'")


def load_gold(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [json.loads(ln) for ln in lines if ln.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read gold file {path}: {exc}") from exc


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class EvalReport:
    lines: list[str] = field(default_factory=list)
    per_property: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    negated_asserted: int = 0
    negated_all: int = 0
    entity_hit: int = 0
    entity_all: int = 0
    noise: int = 0
    noise_all: int = 0

    def totals(self) -> Tally:
        t = Tally()
        for v in self.per_property.values():
            t.tp, t.fp, t.fn = t.tp + v.tp, t.fp + v.fp, t.fn + v.fn
        return t

    def render(self) -> str:
        out = list(self.lines)
        out.append(f"{'property':14} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
        for prop in sorted(self.per_property):
            t = self.per_property[prop]
            p, r, f = t.prf()
            out.append(f"{prop:14} {p:6.2f} {r:6.2f} {f:6.2f} {t.tp:4} {t.fp:4} {t.fn:4}")
        t = self.totals()
        p, r, f = t.prf()
        out.append(f"{'all':14} {p:6.2f} {r:6.2f} {f:6.2f} {t.tp:4} {t.fp:4} {t.fn:4}")
        out.append(f"relations {t.tp}/{t.tp + t.fn}  precision {p:.2f}  recall {r:.2f}  f1 {f:.2f}  "
                   f"negated-asserted {self.negated_asserted}/{self.negated_all}  "
                   f"entities {self.entity_hit}/{self.entity_all}  noise {self.noise}/{self.noise_all}")
        return "\n".join(out) + "\n"


class GraphIndex:
    """Names, classes and claims of a built graph, for matching gold facts."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self.by_name: dict[str, set] = defaultdict(set)
        self.names: dict[URIRef, set[str]] = defaultdict(set)
        for p in (RDFS.label, SKOS.altLabel, KG.ticker):
            for s, _, o in ds.triples((None, p, None)):
                if isinstance(o, Literal):
                    self.by_name[norm(str(o))].add(s)
                    self.names[s].add(norm(str(o)))
        onto = Dataset()
        for f in sorted(ONTOLOGY_DIR.glob("kg.ttl")):
            onto.parse(f, format="turtle")
        self.sub_of: dict[URIRef, set] = defaultdict(set)
        for a, _, b in onto.triples((None, RDFS.subClassOf, None)):
            self.sub_of[a].add(b)

    def classes(self, node: URIRef) -> set[str]:
        todo, seen = list(self.ds.objects(node, RDF.type)), set()
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo.extend(self.sub_of.get(c, ()))
        return {str(c).rsplit("#", 1)[-1] for c in seen}

    def nodes(self, names: list[str] | str) -> set:
        out: set = set()
        for n in names if isinstance(names, list) else [names]:
            out |= self.by_name.get(norm(n), set())
        return out

    def article_docs(self) -> dict[URIRef, str]:
        return {a: str(f).split("#", 1)[0] for a, f in self.ds.subject_objects(KG.fileName)}
