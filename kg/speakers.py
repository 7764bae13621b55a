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

import re
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


#: An interview's answer line: "Roe: We listed it because ..." (up to four capitalised words).
#: "Roe: We ...", also after a transcript's timestamp ("[12:09] Jane Roe: We ...").
ANSWER_LABEL = re.compile(r"(?:\[?\d{1,2}(?::\d{2}){1,2}\]?\s+)?([A-Z][\w'\u2019.-]*(?: [A-Z][\w'\u2019.-]*){0,3}):\s")


def first_person(b: "ClaimBuilder", tok: Token) -> Mention | None:
    """The organisation a "we" or "our" at `tok` speaks for, or None."""
    found = _speaker_org(b, tok.sent) or _answer_org(b, tok)
    return found if found is not None else topic(b)


def _speaker_org(b: "ClaimBuilder", sent: Span) -> Mention | None:
    """The organisation named in the subject of a reporting verb of `sent`, or the one its speaker
    works for ("said Jane Roe" when the article called her "Acme's chief executive")."""
    for verb in sent:
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in REPORTING:
            continue
        for subj in (c for c in verb.children if c.dep_ == "nsubj"):
            for t in subj.subtree:
                m = b.mentions.get(t.i)
                if m is not None and class_closure(m.label) & SPEAKER_CLASSES:
                    return m
            person = b.mentions.get(subj.i)
            if person is not None and person.label == "Person":
                return affiliation(b, person)
    return None


def _answer_org(b: "ClaimBuilder", tok: Token) -> Mention | None:
    """In an interview's answer ("Roe: We listed it ..."), the organisation the answering person works for."""
    line_start = b.text.rfind("\n", 0, tok.idx) + 1
    label = ANSWER_LABEL.match(b.text, line_start)
    if label is None:
        return None
    name = label.group(1)
    person = next((m for m in b.mentions.values() if m.label == "Person"
                   and (m.text == name or m.text.endswith(" " + name) or m.canonical.endswith(" " + name))), None)
    return affiliation(b, person) if person is not None else None


def affiliation(b: "ClaimBuilder", person: Mention) -> Mention | None:
    """The organisation the article ties a person to where it names them: "Acme's chief executive
    Jane Roe", "Jane Roe, Acme's founder", "Acme chief executive Jane Roe" (the first one found;
    looked up once per person and article)."""
    key = f"affiliation\t{person.canonical}"
    if key not in b.cached:
        b.cached[key] = _first_affiliation(b, person)
    return b.cached[key]


def _first_affiliation(b: "ClaimBuilder", person: Mention) -> Mention | None:
    for i in sorted(b.mentions):
        span = b.spans.get(i)
        if b.mentions[i].canonical != person.canonical or span is None or span.start != i:
            continue
        root = span.root
        scope = [c for c in root.children if c.dep_ in {"poss", "appos", "compound"}]
        for t in (t for c in scope for t in c.subtree):
            m = b.mentions.get(t.i)
            if m is not None and "Organization" in class_closure(m.label):
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
    if root.lemma_.lower() in REPORTING:  # "Zeta is scheduled to ..., Acme said. It includes ...": Zeta
        root = next((c for c in root.children if c.dep_ == "ccomp" and c.i < root.i), root)
    objects = [c for c in root.children if c.dep_ in {"dobj", "attr"}]
    if tok.dep_ == "dobj" and objects:
        return None  # "Acme bought Zeta. Qorix sold it.": either could be meant
    if any(c.pos_ == "NOUN" and b.entity_of(c) is None for c in objects):
        return None  # "Acme unveiled a wallet. It supports ...": the thing, not the firm
    subj = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    found = b.entity_of(subj) if subj is not None else b.entity_of(root) if root.pos_ in {"NOUN", "PROPN"} else None
    return found if found is not None and class_closure(found.label) & IT_CLASSES else None
