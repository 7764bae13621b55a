"""The per-article work: a pure function from Documents (and settings) to `ArticleResult`s.

Loads the pipeline once per process (cached), runs `nlp.pipe`, and keeps only small claims, so
any engine (a loop, a process pool, Dask) can map it over a corpus.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Iterator

from spacy.tokens import Doc

from .annotate import load_pipeline
from .cues import CueScope
from .extract import ClaimBuilder
from .lexicon import Lexicon, class_closure, load_lexicon
from .model import ArticleResult, Claim, Document, Mention, Observation
from .observe import MetricReader, MetricTables
from .hosts import hosting_rule
from .owners import appositive_owner_rule, issuer_rule, structural_rule
from .funding import funding_rule
from .release_dates import date_rule
from .rules import headline_rule, noun_rule, verb_rule

from .extract import OWNER_CLASSES, STRUCTURAL as PARENT_RULE


NATIVE = frozenset({"Token", "Upgrade"})
ISSUERS = frozenset({"Company", "FinancialInstitution"})


def _parent_claims(b: ClaimBuilder, lex: Lexicon) -> list[Claim]:
    """World knowledge from the lexicon: a network's native token or upgrade named in one sentence with
    the network ("the QRX token ... Qorix"). Products and company-issued tokens need the text to say so."""
    out, done = [], set()
    for sent in b.doc.sents:
        here: dict[str, Mention] = {}
        for i in range(sent.start, sent.end):
            if i in b.mentions:
                here.setdefault(b.mentions[i].canonical, b.mentions[i])
        for canonical, m in here.items():
            entry = lex.entry(canonical)
            pred = PARENT_RULE.get(m.label)
            if entry is None or pred is None or entry.parent not in here or canonical in done:
                continue
            parent = lex.entry(entry.parent)
            if m.label not in NATIVE or parent is None or "Project" not in parent.classes \
                    or _attributive(b, m):
                continue
            done.add(canonical)
            text, start, end = b.evidence(sent.root)
            out.append(Claim(m, pred, here[entry.parent], "positive", "asserted", 0.8, text, start, end,
                             "lexicon:parent", b.doc_id))
    return out


def _taken_up(claims: list[Claim], lex: Lexicon) -> list[Claim]:
    """"Acme Bank rolled out Zeta Pay" when the article or the lexicon says Zeta Pay is Qorix's product:
    Acme Bank adopts it; only its maker launches it."""
    makers: dict[str, set[str]] = {}  # only firms: a company may launch the token of a network it builds
    for c in claims:
        if c.predicate in {"productOf", "tokenOf"} and c.polarity == "positive" and isinstance(c.object, Mention) \
                and "Organization" in class_closure(c.object.label):
            makers.setdefault(c.subject.canonical, set()).add(c.object.canonical)
    out = []
    for c in claims:
        if c.predicate == "launches" and isinstance(c.object, Mention):
            entry = lex.entry(c.object.canonical)
            parent = lex.entry(entry.parent) if entry and entry.parent else None
            owners = makers.get(c.object.canonical, set()) \
                | ({parent.label} if parent and "Organization" in class_closure(parent.classes[0]) else set())
            own = any(c.subject.canonical.split()[0] == o.split()[0] for o in owners)  # "Qorix Ventures" and Qorix's token
            if owners and not own and "Organization" in class_closure(c.subject.label):
                c = replace(c, predicate="adopts", rule=f"{c.rule}+taken-up")
        out.append(c)
    return out


def _launch_owners(claims: list[Claim], lex: Lexicon) -> list[Claim]:
    """Who launches a product or token owns it when the lexicon agrees, when a company or bank
    launches a token the lexicon does not know ("Acme Bank plans to launch a stablecoin called QRX"),
    or when a firm launches a product the lexicon does not know and the article gives it no other owner."""
    out = []
    owned = {c.subject.canonical for c in claims if c.predicate in {"productOf", "tokenOf"} and c.polarity == "positive"}
    for c in claims:
        obj = c.object
        pred = PARENT_RULE.get(obj.label) if isinstance(obj, Mention) else None
        if c.predicate != "launches" or c.polarity == "negated" or pred not in {"productOf", "tokenOf"} \
                or not class_closure(c.subject.label) & OWNER_CLASSES:
            continue
        entry = lex.entry(obj.canonical)
        known = entry is not None and entry.parent == c.subject.canonical
        new_product = pred == "productOf" and "Organization" in class_closure(c.subject.label) and obj.canonical not in owned
        if not known and (entry is not None or not new_product and (pred != "tokenOf"
                                                                    or not class_closure(c.subject.label) & ISSUERS)):
            continue
        out.append(replace(c, subject=obj, predicate=pred, object=c.subject, confidence=round(c.confidence * 0.85, 3),
                           rule=f"launch-owner:{c.rule}"))
    return out


def _attributive(b: ClaimBuilder, m: Mention) -> bool:
    """"foo ETFs", "foo funds": the name modifies a product that holds it and is not itself the topic."""
    span = b.doc.char_span(m.start, m.end, alignment_mode="expand")
    root = span.root if span is not None else None
    return root is not None and root.dep_ in {"compound", "amod", "nmod"} \
        and not span.start <= root.head.i < span.end and b.holds(root.head, m)


def _dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim per triple, polarity and sentence; a negation beats a positive reading."""
    def key(c: Claim) -> tuple:
        obj = c.object.canonical if isinstance(c.object, Mention) else c.object.lexical
        return (c.subject.canonical, c.predicate, obj, c.char_start)

    best: dict[tuple, Claim] = {}
    for c in claims:
        k = key(c)
        old = best.get(k)
        if old is None or (c.polarity, c.confidence) > (old.polarity, old.confidence) and not (
                old.polarity == "negated" and c.polarity != "negated"):
            best[k] = c
        elif c.polarity == "negated" and old.polarity != "negated":
            best[k] = c
    return sorted(best.values(), key=lambda c: (c.char_start, c.predicate, c.subject.canonical, str(c.object)))


def extract_doc(doc: Doc, document: Document, lex: Lexicon, scope: CueScope | None = None,
                tables: MetricTables | None = None) -> ArticleResult:
    """Claims and observations of one annotated article (pass `scope`/`tables` to reuse them)."""
    b = ClaimBuilder(doc, document.doc_id, lex, scope or CueScope(lex))
    claims: list[Claim] = []
    observations: list[Observation] = []
    reader = MetricReader(b, tables or MetricTables(lex))
    for sent in doc.sents:
        for rule in (verb_rule, noun_rule, headline_rule, structural_rule, appositive_owner_rule, funding_rule,
                     issuer_rule, hosting_rule):
            claims.extend(rule(b, sent))
        claims.extend(date_rule(b, sent, document.published))
        observations.extend(reader.read(sent))
    claims.extend(_parent_claims(b, lex))
    claims = _taken_up(claims, lex)
    claims.extend(_launch_owners(claims, lex))
    mentions = sorted({m for m in b.mentions.values()}, key=lambda m: (m.start, m.end))
    obs = sorted(set(observations), key=lambda o: (o.char_start, o.metric, o.value))
    return ArticleResult(document, tuple(mentions), tuple(_dedupe(claims)), tuple(obs))


def _prepare(nlp, document: Document) -> Doc:  # noqa: ANN001
    doc = nlp.make_doc(document.text)
    doc.user_data["published"] = document.published.isoformat() if document.published else None
    doc.user_data["author"] = document.author or ""  # the byline's people are persons where the text names them
    return doc


def process(documents: Iterable[Document], model: str | None = None, lexicon_dir: str | None = None,
            batch_size: int = 16) -> Iterator[ArticleResult]:
    """Annotate and extract a stream of documents with one pipeline, batch by batch."""
    nlp = load_pipeline(model, lexicon_dir)
    lex = load_lexicon(lexicon_dir)
    scope, tables = CueScope(lex), MetricTables(lex)
    docs = list(documents) if not isinstance(documents, list) else documents
    for document, doc in zip(docs, nlp.pipe((_prepare(nlp, d) for d in docs), batch_size=batch_size)):
        yield extract_doc(doc, document, lex, scope, tables)
