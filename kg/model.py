"""Plain values passed between stages. Frozen so a stage cannot change another's output."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """One cleaned article: what ingest hands to annotate."""

    doc_id: str            # stable slug used in IRIs
    file_name: str         # path relative to the folder built ("feed.jsonl#2" for records)
    text: str              # cleaned text: headline, blank line, body; offsets point here
    headline: str = ""
    publisher: str = ""
    author: str = ""
    published: dt.date | None = None
    url: str = ""
    related_to: str = ""   # doc_id of the article a "You may also like" teaser came from


@dataclass(frozen=True)
class Mention:
    """A typed entity mention in one document."""

    text: str              # surface form as written
    label: str             # ontology class local name (Person, Project, ...)
    canonical: str         # lexicon label or cleaned surface form: the resolution key
    start: int             # character offsets into Document.text
    end: int
    source: str            # which rule typed it: "lexicon", "pattern:upgrade", "model:ORG"
    ticker: str = ""


@dataclass(frozen=True)
class DateValue:
    """A date no more precise than the text: lexical form plus XSD datatype local name."""

    lexical: str           # "2025-12-03", "2025-10", "2025"
    datatype: str          # "date", "gYearMonth", "gYear"

    def first_day(self) -> dt.date:
        """Start of the period, for comparisons with the publication date."""
        parts = [int(p) for p in self.lexical.split("-")] + [1, 1]
        return dt.date(parts[0], parts[1], parts[2])


@dataclass(frozen=True)
class Claim:
    """A relation or date fact read from one sentence, with its polarity and modality."""

    subject: Mention
    predicate: str                    # contract local name: endorses, shippedOn, ...
    object: Mention | DateValue
    polarity: str                     # "positive" | "negated"
    modality: str                     # "asserted" | "hedged"
    confidence: float
    evidence: str                     # the sentence, exactly text[char_start:char_end]
    char_start: int
    char_end: int
    rule: str
    doc_id: str


@dataclass(frozen=True)
class Observation:
    """A reported figure: entity, metric, value, unit, comparator and optional date."""

    entity: Mention
    metric: str                       # metric individual local name: TPS, Price, ...
    value: str                        # decimal as a string, exact
    unit: str
    comparator: str                   # "=", ">=", "<=", "~"
    date: DateValue | None
    polarity: str
    modality: str
    confidence: float
    evidence: str
    char_start: int
    char_end: int
    rule: str
    doc_id: str


@dataclass(frozen=True)
class ArticleResult:
    """Everything the per-article work yields: small enough to keep for a whole corpus."""

    document: Document
    mentions: tuple[Mention, ...]
    claims: tuple[Claim, ...]
    observations: tuple[Observation, ...]
    aliases: tuple[tuple[str, str, str], ...] = ()   # (surface, same-as surface, reason)
    words: int = 0                                   # words of the article text (kept when the text is dropped)


@dataclass(frozen=True)
class Entity:
    """One canonical thing across all documents."""

    key: str                          # resolution key (case-folded canonical name)
    label: str
    classes: tuple[str, ...]
    alt_labels: tuple[str, ...] = ()
    ticker: str = ""
    mention_count: int = 0
    merge_notes: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Skipped:
    """A file the build could not use, and why."""

    path: str
    reason: str
