"""Where a thing lives: "QRX is available on Acme and Zeta", "the wallet runs on Qorix".

A token, stablecoin or app is taken up by the network or exchange it is said to be on (direction
`host` in ontology/triggers.tsv: the preposition's object adopts the thing: "is listed on Acme",
"went live on Zeta"); an app or chain adopts the network it is built, run or settled on (direction
`guest`: the thing adopts the preposition's object). The words and prepositions are data.
"""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Span, Token

from .extract import ClaimBuilder
from .grammar import RELATIVE
from .lexicon import Trigger
from .model import Claim, Mention
from .rules import antecedent, verb_subjects

HOSTING = frozenset({"host", "guest"})
COPULAS = frozenset({"be", "become", "remain", "go"})


def hosting_rule(b: ClaimBuilder, sent: Span) -> Iterator[Claim]:
    for pos in ("ADJ", "VERB"):
        for tok in b.trigger_tokens(sent, pos):
            if pos == "VERB" and tok.pos_ not in {"VERB", "AUX"} and tok.tag_[:2] != "VB":
                continue
            if pos == "ADJ" and tok.pos_ != "ADJ":
                continue
            for trig in b.lex.triggers_for(tok.lemma_.lower(), pos):
                if trig.direction in HOSTING:
                    claims = list(_hosted(b, tok, trig))
                    yield from claims
                    if claims:
                        break


def _hosted(b: ClaimBuilder, tok: Token, trig: Trigger) -> Iterator[Claim]:
    hosts = _hosts(b, tok, trig)
    if not hosts:
        return
    things = _things(b, tok, trig.direction == "host")
    for thing in things:
        for host in hosts:
            subj, obj = (host, thing) if trig.direction == "host" else (thing, host)
            if trig.allows("subject", subj.label) and trig.allows("object", obj.label):
                c = b.claim(subj, trig.predicate, obj, tok, f"host:{trig.lemma}", trig.confidence)
                if c:
                    yield c


def _hosts(b: ClaimBuilder, tok: Token, trig: Trigger) -> list[Mention]:
    """The objects of the trigger's prepositions, on the word itself, on its copula ("is available
    today on X": the parse may hang "on X" on "is") or on its object ("settles payouts in X"), also
    through "of" ("a share class of its fund on X")."""
    heads = [tok, *(c for c in tok.children if c.dep_ == "dobj")]
    for _ in range(2):  # "issued a share class of its fund on Zeta": the parse hangs "on" on "fund"
        heads += [o for h in heads[1:] for p in h.children if p.dep_ == "prep" and p.lower_ == "of"
                  for o in p.children if o.dep_ == "pobj" and o not in heads]
    if tok.pos_ == "ADJ" and tok.dep_ == "acomp" and tok.head.lemma_.lower() in COPULAS:
        heads.append(tok.head)
    return [m for h in heads for p in h.children if p.dep_ == "prep" and p.lower_ in trig.preps and p.i > tok.i
            for o in p.children if o.dep_ == "pobj" for m in b.entities_of(o)]


def _things(b: ClaimBuilder, tok: Token, hosted: bool) -> list[Mention]:
    """What is on the host: the verb's object ("listed QRX on Acme"), else its subject (also through
    a copula, a relative pronoun or the noun a participle describes: "a wallet built on Zeta"). What
    runs or settles on a network is the subject ("Acme settles payouts in QRX")."""
    for child in tok.children:
        if child.dep_ == "dobj" and hosted:
            return b.entities_of(child)
    clause = tok.head if tok.pos_ == "ADJ" and tok.dep_ == "acomp" else tok
    if tok.pos_ == "ADJ" and tok.dep_ == "amod":
        return b.entities_of(tok.head)  # "the tokens available on Acme"
    for child in clause.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            if child.lower_ in RELATIVE and clause.dep_ == "relcl":
                return antecedent(b, clause)
            return b.entities_of(child)
    if clause.dep_ in {"acl", "amod"} and clause.head.i != clause.i:
        return b.entities_of(clause.head)  # "a wallet built on Zeta", "QRX, available on Acme"
    return verb_subjects(b, clause) if clause.pos_ in {"VERB", "AUX"} else []
