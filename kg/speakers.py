"""Who a sentence speaks for or goes on about: "we" / "our" in quotes and interviews, and an "It"
opening a sentence.

News reports a firm's acts in its people's words ("We partnered with Zeta," said Acme chief executive
Jane Roe), and an interview is nothing but such answers. The organisation is the one named in the
subject of a reporting verb in the same sentence ("said Acme chief executive Jane Roe", "Acme said");
without one, the article's topic: the organisation or project it names most often, at least twice.
"It" opening a sentence goes on about the subject of the sentence before, unless that sentence's
verb has a thing for an object ("Acme unveiled a wallet. It supports ..." is the wallet).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from .grammar import REPORTING
from .lexicon import class_closure
from .model import Mention

if TYPE_CHECKING:
    from .extract import ClaimBuilder

FIRST_PERSON_SUBJECTS = frozenset({"we"})
FIRST_PERSON_POSSESSIVES = frozenset({"our"})
SPEAKER_CLASSES = frozenset({"Organization", "Project"})
IT_CLASSES = frozenset({"Organization", "Project", "Token", "Stablecoin", "Upgrade", "Product"})


def first_person(b: "ClaimBuilder", tok: Token) -> Mention | None:
    """The organisation a "we" or "our" at `tok` speaks for, or None."""
    found = _speaker_org(b, tok.sent)
    return found if found is not None else topic(b)


def _speaker_org(b: "ClaimBuilder", sent: Span) -> Mention | None:
    """The organisation named in the subject of a reporting verb of `sent`."""
    for verb in sent:
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in REPORTING:
            continue
        for subj in (c for c in verb.children if c.dep_ == "nsubj"):
            for t in subj.subtree:
                m = b.mentions.get(t.i)
                if m is not None and class_closure(m.label) & SPEAKER_CLASSES:
                    return m
    return None


def topic(b: "ClaimBuilder") -> Mention | None:
    """The organisation or project the article names most often (twice at least; the first named
    wins a tie), computed once per article."""
    if "topic" not in b.cached:
        counts: dict[str, int] = {}
        first: dict[str, Mention] = {}
        for start in sorted({span.start for span in b.spans.values()}):
            m = b.mentions[start]
            if class_closure(m.label) & SPEAKER_CLASSES:
                counts[m.canonical] = counts.get(m.canonical, 0) + 1
                first.setdefault(m.canonical, m)
        best = max(counts, key=lambda c: counts[c], default=None)  # dicts keep first-named order
        b.cached["topic"] = first[best] if best is not None and counts[best] >= 2 else None
    return b.cached["topic"]


def ours(b: "ClaimBuilder", tok: Token) -> Mention | None:
    """"our chain", "our platform": the speaker's organisation."""
    if tok.lower_ not in b.markers or not any(c.dep_ == "poss" and c.lower_ in FIRST_PERSON_POSSESSIVES
                                              for c in tok.children):
        return None
    return first_person(b, tok)


def it_opening(b: "ClaimBuilder", tok: Token) -> Mention | None:
    """"Zeta ships in May. It includes ..." (or "Acme lists it"): the subject of the sentence before
    (or the name its verbless root stands for)."""
    if tok.sent.start == 0:
        return None
    root = b.doc[tok.sent.start - 1].sent.root
    objects = [c for c in root.children if c.dep_ in {"dobj", "attr"}]
    if tok.dep_ == "dobj" and objects:
        return None  # "Acme bought Zeta. Qorix sold it.": either could be meant
    if any(c.pos_ == "NOUN" and b.entity_of(c) is None for c in objects):
        return None  # "Acme unveiled a wallet. It supports ...": the thing, not the firm
    subj = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    found = b.entity_of(subj) if subj is not None else b.entity_of(root) if root.pos_ in {"NOUN", "PROPN"} else None
    return found if found is not None and class_closure(found.label) & IT_CLASSES else None
