"""Release dates: a date under a word that dates a release ("debuted in", "set for", "launch on") dates
the thing released, as `shippedOn` (by the publication date) or `scheduledFor` (planned)."""
from __future__ import annotations

import datetime as dt
from typing import Iterator

from spacy.tokens import Span, Token

from .extract import SHIPPABLE, ClaimBuilder
from .grammar import RELATIVE, VERSIONS
from .lexicon import Trigger, class_closure
from .model import Claim, DateValue, Mention
from .rules import _complement, _through, antecedent, lemma_of, verb_subjects


def _release_word(b: ClaimBuilder, tok: Token) -> tuple[Token, Trigger] | None:
    """Nearest word above a date that dates a release ("debuted in", "set for", "launch on")."""
    for _ in range(4):
        for pos in ("VERB", "NOUN", "ADJ") if b.lex.may_trigger(b.lemmas[tok.i]) else ():
            # with its particle only: "took in $186 million on Wednesday" ("take in") dates no release
            found = [t for t in b.lex.triggers_for(lemma_of(tok), pos) if t.predicate == "shipsOn"]
            if found and (tok.pos_ == pos or (pos == "VERB" and tok.tag_[:2] == "VB")):
                return tok, found[0]
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def _shipped_thing(b: ClaimBuilder, word: Token) -> list[Mention]:
    def ok(ms: list[Mention]) -> list[Mention]:
        return [m for m in ms if class_closure(m.label) & SHIPPABLE]

    if word.i in b.mentions:
        return ok([b.mentions[word.i]])
    if word.pos_ in {"NOUN", "PROPN"}:
        for child in word.children:
            if child.dep_ in {"poss", "compound"} or (child.dep_ == "prep" and child.lower_ == "of"):
                target = next((p for p in child.children if p.dep_ == "pobj"), child) if child.dep_ == "prep" else child
                found = ok(b.entities_of(target, coordinated=False))
                if found:
                    return found
        return []
    clause = word.head if word.dep_ == "xcomp" and word.head.dep_ == "relcl" else word
    # "Zeta, a network that Acme plans to launch next year"; "Zeta, the rollup that launched last year"
    relative = {"dobj", "nsubjpass"} | ({"nsubj"} if not any(c.dep_ == "dobj" for c in word.children) else set())
    if clause.dep_ == "relcl" and any(c.lower_ in RELATIVE and c.dep_ in relative
                                      for c in (*word.children, *clause.children)):
        return ok(antecedent(b, clause))
    for dep in ("nsubjpass", "dobj", "nsubj"):
        for child in word.children:
            if child.dep_ == dep and child.lower_ not in RELATIVE:
                versioned = dep == "dobj" and child.lemma_.lower() in VERSIONS  # "released version 2.0 of Zeta"
                found = ok(b.entities_of(child) or (_complement(b, child) if versioned else []))
                if found:
                    return found
    found = ok(_through(b, word, frozenset({"for"})))  # "targeting June for Zeta"
    if found:
        return found
    for child in word.children:
        if child.dep_ == "xcomp" and _release_word(b, child) is not None and _release_word(b, child)[0].i == child.i:
            found = _shipped_thing(b, child)  # "began trading", not "began using X"
            if found:
                return found
    if word.dep_ in {"relcl", "acl", "amod", "appos"}:
        return ok(b.entities_of(word.head))
    if word.dep_ in {"advcl", "xcomp", "acomp", "conj", "ccomp"}:
        return ok(verb_subjects(b, word))
    return []


def date_rule(b: ClaimBuilder, sent: Span, published: dt.date | None) -> Iterator[Claim]:
    for ent in b.sent_ents(sent):
        if ent.label_ != "DATE" or b.date_of(ent) is None:
            continue
        found = _release_word(b, ent.root.head if ent.root.head.i != ent.root.i else ent.root)
        if found is None:
            continue
        word, trig = found
        if trig.direction == "future" and any(c._.kg_cue == "superseded" for c in word.children):
            continue  # "originally expected in May": the plan it was, not the plan it is
        via = ent.root.head if ent.root.head.pos_ == "ADP" else None
        if trig.preps and (via is None or via.lower_ not in trig.preps):
            continue  # "pushed X, pencilled in for May, to June": the date it is pushed to
        value: DateValue = b.date_of(ent)
        will = any(c.lower_ in {"will", "'ll"} for t in (word, word.head) for c in t.children)
        future = trig.direction == "future" or will or (published is not None and value.first_day() > published)
        pred = "scheduledFor" if future else "shippedOn"
        for thing in _shipped_thing(b, word):
            c = b.claim(thing, pred, value, word, f"date:{trig.lemma}", trig.confidence)
            if c:
                yield c
