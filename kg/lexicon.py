"""Load the domain knowledge kept in data files under `ontology/`.

Code never names a project, person, trigger word or cue: it reads them from here, so users
extend the tool by editing TSV files. `Lexicon.fingerprint` changes whenever any file does,
which the build cache uses as part of its key.
"""
from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import InputError

#: ontology/ as installed from a wheel (kg/ontology/, see pyproject.toml), else the repository's.
_PACKAGED = Path(__file__).resolve().parent / "ontology"
ONTOLOGY_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parent.parent / "ontology"
AGENT_CLASSES = frozenset({"Person", "Organization", "Company", "FinancialInstitution", "Bank",
                           "AssetManager", "Exchange", "PaymentNetwork", "GovernmentBody", "Project"})
ORGANIZATION_CLASSES = AGENT_CLASSES - {"Person", "Project"}
#: Parent of each sub-class the extractor uses, for class constraints in trigger rules.
SUPER_CLASS = {"Company": "Organization", "FinancialInstitution": "Organization",
               "Bank": "FinancialInstitution", "AssetManager": "FinancialInstitution",
               "Exchange": "Company", "PaymentNetwork": "Company", "GovernmentBody": "Organization",
               "Stablecoin": "Token"}


def class_closure(cls: str) -> frozenset[str]:
    """The class and all its super-classes, plus the pseudo-class Agent where it applies."""
    out = {cls}
    while cls in SUPER_CLASS:
        cls = SUPER_CLASS[cls]
        out.add(cls)
    if out & AGENT_CLASSES:
        out.add("Agent")
    return frozenset(out)


@dataclass(frozen=True)
class LexEntry:
    label: str
    classes: tuple[str, ...]
    aliases: tuple[str, ...]
    ticker: str
    parent: str


@dataclass(frozen=True)
class Trigger:
    lemma: str
    pos: str
    predicate: str
    direction: str
    preps: frozenset[str]
    subject: frozenset[str]
    object: frozenset[str]
    confidence: float

    def allows(self, role: str, cls: str) -> bool:
        """True when an entity of class `cls` may fill `role` ("subject"/"object")."""
        allowed = self.subject if role == "subject" else self.object
        return "*" in allowed or bool(allowed & class_closure(cls))


@dataclass(frozen=True)
class Marker:
    word: str
    cls: str
    keep: bool
    anaphor: bool


@dataclass(frozen=True)
class MetricWords:
    metric: str
    kind: str
    phrases: tuple[str, ...]
    unit: str


@dataclass(frozen=True)
class Lexicon:
    """All data files, parsed once per process."""

    entries: tuple[LexEntry, ...]
    triggers: tuple[Trigger, ...]
    cues: tuple[tuple[str, str, str], ...]          # (cue, kind, where)
    metrics: tuple[MetricWords, ...]
    quantities: tuple[tuple[str, str, str], ...]    # (kind, phrase, value)
    markers: tuple[Marker, ...]
    boilerplate: tuple[tuple[str, re.Pattern[str]], ...]
    fingerprint: str
    by_label: dict[str, LexEntry] = field(default_factory=dict, compare=False)
    by_trigger: dict[tuple[str, str], tuple[Trigger, ...]] = field(default_factory=dict, compare=False)
    trigger_heads: dict[str, frozenset[str]] = field(default_factory=dict, compare=False)
    derived: dict[str, frozenset[str]] = field(default_factory=dict, compare=False)

    def entry(self, label: str) -> LexEntry | None:
        return self.by_label.get(label)

    def triggers_for(self, lemma: str, pos: str) -> list[Trigger]:
        """The triggers of a (lemma, pos), in file order: a dict lookup, asked for nearly every token."""
        if not self.by_trigger and self.triggers:
            index: dict[tuple[str, str], list[Trigger]] = {}
            for t in self.triggers:
                index.setdefault((t.lemma, t.pos), []).append(t)
            self.by_trigger.update({k: tuple(v) for k, v in index.items()})
        return list(self.by_trigger.get((lemma, pos), ()))

    def may_trigger(self, lemma: str, pos: str = "") -> bool:
        """False when no trigger of `pos` (any, if "") is `lemma` or a phrasal verb of it ("roll" of
        "roll out"): lets the rules skip most tokens before reading their children."""
        return lemma in self.trigger_words(pos) or " " in lemma

    def trigger_words(self, pos: str = "") -> frozenset[str]:
        """The first words of the trigger lemmas of `pos` (of any, if "")."""
        if not self.trigger_heads:
            heads: dict[str, set[str]] = {"": set()}
            for t in self.triggers:
                heads.setdefault(t.pos, set()).add(t.lemma.split(" ")[0])
                heads[""].add(t.lemma.split(" ")[0])
            self.trigger_heads.update({k: frozenset(v) for k, v in heads.items()})  # at once: thread-safe
        return self.trigger_heads.get(pos, frozenset())

    def cue_set(self, kind: str, where: str) -> frozenset[str]:
        return frozenset(c for c, k, w in self.cues if k == kind and w == where)

    def quantity(self, kind: str) -> dict[str, str]:
        return {p: v for k, p, v in self.quantities if k == kind}

    def concepts(self) -> frozenset[str]:
        """Surface forms that name concepts (DeFi, TVL): never an entity. Built once (asked per article)."""
        found = self.derived.get("concepts")
        if found is None:
            out = set()
            for e in self.entries:
                if "Concept" in e.classes:
                    out.add(e.label)
                    out.update(e.aliases)
            found = self.derived["concepts"] = frozenset(out)
        return found

    def folded_concepts(self) -> frozenset[str]:
        """`concepts()` casefolded, built once."""
        found = self.derived.get("folded concepts")
        if found is None:
            found = self.derived["folded concepts"] = frozenset(c.casefold() for c in self.concepts())
        return found


def _rows(path: Path) -> list[dict[str, str]]:
    """Rows of a TSV data file with a header, skipping comments and blank lines."""
    try:
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
                 if ln.strip() and not ln.lstrip().startswith("#")]
    except OSError as exc:
        raise InputError(f"cannot read data file {path}: {exc.strerror or exc}") from exc
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    rows = []
    for n, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise InputError(f"{path.name}: data line {n} has the wrong number of tab-separated fields")
        rows.append({k: v.strip() for k, v in row.items()})
    return rows


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip() and v.strip() != "-")


def _entries(rows: list[dict[str, str]]) -> tuple[LexEntry, ...]:
    return tuple(LexEntry(r["label"], _split(r["class"]), _split(r.get("aliases", "")),
                          r.get("ticker", "").strip(), r.get("parent", "").strip()) for r in rows)


def _triggers(rows: list[dict[str, str]]) -> tuple[Trigger, ...]:
    out = []
    for r in rows:
        preps = frozenset(p for p in _split(r["preps"]))
        out.append(Trigger(r["lemma"], r["pos"], r["predicate"], r["direction"], preps,
                           frozenset(_split(r["subject"])), frozenset(_split(r["object"])),
                           float(r["confidence"])))
    return tuple(out)


def _fingerprint(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*")):
        if path.is_file() and path.suffix in {".tsv", ".ttl", ".rq", ".jsonld"}:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=4)
def load_lexicon(directory: str | None = None) -> Lexicon:
    """Parse every data file of `directory` (default: the project's ontology/)."""
    d = Path(directory) if directory else ONTOLOGY_DIR
    entries = _entries(_rows(d / "lexicon.tsv")) if (d / "lexicon.tsv").exists() else ()
    markers = tuple(Marker(r["word"], r["class"], r["keep"] == "yes", r["anaphor"] == "yes")
                    for r in _rows(d / "markers.tsv"))
    metrics = tuple(MetricWords(r["metric"], r["kind"], _split(r["phrases"]), r["unit"])
                    for r in _rows(d / "metrics.tsv"))
    boiler = tuple((r["action"], re.compile(r["pattern"], re.IGNORECASE))
                   for r in _rows(d / "boilerplate.tsv"))
    lex = Lexicon(
        entries=entries,
        triggers=_triggers(_rows(d / "triggers.tsv")),
        cues=tuple((r["cue"], r["kind"], r["where"]) for r in _rows(d / "cues.tsv")),
        metrics=metrics,
        quantities=tuple((r["kind"], r["phrase"], r["value"]) for r in _rows(d / "quantities.tsv")),
        markers=markers,
        boilerplate=boiler,
        fingerprint=_fingerprint(d),
    )
    lex.by_label.update({e.label: e for e in entries})
    return lex
