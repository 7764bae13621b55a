"""Ownership rules: which network, company or fund a token, upgrade or product belongs to.

- `possessive` / `compound` / `of`  "Acme's Zeta upgrade" gives upgradeOf (productOf, tokenOf)
- `appositive`  "Zephyr, Acme's bond platform", "QRX, the token of Qux", "FooChain's next upgrade, Zeta"
- `issuer`      "QRX, issued by Acme for Zeta": a token stated to be issued by (or for) a firm is its token
"""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Span, Token

from .extract import OWNER_CLASSES, STRUCTURAL, ClaimBuilder
from .grammar import DESCRIPTIVE_TAGS, POSSESSIVE
from .lexicon import class_closure
from .model import Claim, Mention


APPOS_DETS = frozenset({"the", "a", "an", "its", "their"})
POSSESSIVE_PRONOUNS = frozenset({"its", "their", "our"})


def structural_rule(b: ClaimBuilder, sent: Span) -> Iterator[Claim]:
    """"Acme's Nova upgrade", "Zeta Orbit upgrade", "the QRX token of Qorix"."""
    seen: set[int] = set()
    for i in range(sent.start, sent.end):
        span = b.spans.get(i)
        if span is None or span.start in seen:
            continue
        seen.add(span.start)
        m = b.mentions[span.start]
        pred = STRUCTURAL.get(m.label)
        if pred is None:
            continue
        for owner_tok, rule, conf in _owners(b, span):
            owner = b.refer(owner_tok, OWNER_CLASSES) if rule == "possessive" else b.mentions.get(owner_tok.i)
            if owner is not None and (_contradicts(b, m, owner) or owner_tok.pos_ == "PRON" and _elsewhere(b, m, owner)):
                continue
            if owner and owner is not m and class_closure(owner.label) & OWNER_CLASSES:
                c = b.claim(m, pred, owner, span.root, rule, conf, scoped=False)
                if c:
                    yield c
                    break


def _contradicts(b: ClaimBuilder, item: Mention, owner: Mention) -> bool:
    """Does the lexicon name another owner for `item`? A token has one issuer; a product or upgrade
    of a network may also be credited to the company that builds it ("Acme Labs' prover")."""
    entry = b.lex.entry(item.canonical)
    if entry is None or not entry.parent or entry.parent == owner.canonical:
        return False
    parent = b.lex.entry(entry.parent)
    if item.label in {"Token", "Stablecoin"} or parent is None:
        return True
    return "Project" in parent.classes and "Project" in class_closure(owner.label) \
        or "Project" not in parent.classes and "Project" not in class_closure(owner.label)


def _elsewhere(b: ClaimBuilder, item: Mention, owner: Mention) -> bool:
    """"its Zeta platform": a pronoun is weak evidence; the lexicon's own owner for the item wins."""
    entry = b.lex.entry(item.canonical)
    return entry is not None and bool(entry.parent) and entry.parent != owner.canonical


def _owners(b: ClaimBuilder, span: Span) -> Iterator[tuple[Token, str, float]]:
    root = span.root
    event = bool(b.lex.triggers_for(root.head.lemma_.lower(), "NOUN"))
    heads = [root] + ([root.head] if root.dep_ in {"compound", "nmod"} and not event else [])
    for head in heads + [t for t in span if t is not root]:
        for child in head.children:
            if child.dep_ == "poss":
                yield child, "possessive", 0.9
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for p in child.children:
                    if p.dep_ == "pobj":
                        yield p, "of", 0.75
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN" and _names_class(b, child, b.mentions[span.start].label):
            for grand in child.children:
                if grand.dep_ == "poss":
                    yield grand, "appositive", 0.8
                if grand.dep_ == "prep" and grand.lower_ == "of":
                    yield from ((p, "appositive", 0.8) for p in grand.children if p.dep_ == "pobj")
    mark = span.start - 1 - (span.start > 0 and span.doc[span.start - 1].lower_ in APPOS_DETS)
    if mark > 0 and span.doc[mark].text in POSSESSIVE and mark - 1 in b.spans:
        yield span.doc[mark - 1], "possessive", 0.85  # "Acme Labs' Zeta prover", the parse aside
    for child in root.children:
        if child.dep_ in {"compound", "nmod"} and child.i < span.start:
            yield child, "compound", 0.7
    if span.start > 0 and span.doc[span.start - 1].dep_ == "compound":
        yield span.doc[span.start - 1], "compound", 0.7


def appositive_owner_rule(b: ClaimBuilder, sent: Span) -> Iterator[Claim]:
    """"Zephyr, Acme's bond platform", "QRX, the token of Qux", "FooChain's next upgrade, Zeta"."""
    seen: set[int] = set()
    for i in range(sent.start, sent.end):
        span = b.spans.get(i)
        if span is None or span.start in seen or STRUCTURAL.get(b.mentions[i].label) is None:
            continue
        seen.add(span.start)
        item = b.mentions[span.start]
        behind = _behind(b, span)
        for owner, head, explicit in (_appos_after(b, span, sent), _appos_before(b, span, sent), behind):
            if owner is None or head is None or head is not behind[1] and not _names_class(b, head, item.label):
                continue  # "the team behind X" names the owner's class, not the item's
            if _contradicts(b, item, owner) and not explicit:
                continue
            c = b.claim(item, STRUCTURAL[item.label], owner, head, "appositive", 0.8, scoped=False)
            if c:
                yield c
                break


def _names_class(b: ClaimBuilder, head: Token | None, cls: str) -> bool:
    """Is `head` a marker noun of class `cls` ("platform" for a Product, "token" for a Stablecoin)?"""
    if head is None:
        return False
    marker = next((m for m in b.lex.markers if m.word in {head.lower_, head.lemma_.lower()}), None)
    return marker is not None and marker.cls in class_closure(cls)


def _descriptors(b: ClaimBuilder, start: int, stop: int, step: int) -> tuple[int, Token | None]:
    """Walk over a descriptive run ("first tokenized fund"); (where it stopped, its head noun)."""
    i, head = start, None
    while i != stop and _descriptive(b, b.doc[i]):
        if (b.doc[i].tag_[:2] == "NN" or b.doc[i].lower_ in b.markers) and (head is None or step > 0):
            head = b.doc[i]
        i += step
    return i, head


def _descriptive(b: ClaimBuilder, tok: Token) -> bool:
    """A word of a description: adjective, common noun, participle, number; a marker even if mis-tagged."""
    if tok.lower_ in b.markers and not tok.text[:1].isupper():
        return True
    if tok.tag_ == "VBN" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "by":
        return False
    return tok.tag_ in DESCRIPTIVE_TAGS or (tok.tag_ == "NNP" and tok.i not in b.spans)


def _owner_at(b: ClaimBuilder, i: int) -> Mention | None:
    span = b.spans.get(i)
    m = b.mentions.get(i)
    return m if span is not None and m is not None and class_closure(m.label) & OWNER_CLASSES else None


def _appos_after(b: ClaimBuilder, span: Span, sent: Span) -> tuple[Mention | None, Token | None, bool]:
    """ITEM [(..)], [the] OWNER's DESCRIPTION | ITEM, the DESCRIPTION of/from/developed by OWNER; also
    with "is" for the comma ("ITEM is the native token of OWNER")."""
    doc, i, end = b.doc, span.end, sent.end
    if i < end and doc[i].text == "(":
        i = next((j + 1 for j in range(i, min(end, i + 6)) if doc[j].text == ")"), i)
    copula = i < end and doc[i].lemma_ == "be" and doc[i].dep_ == "ROOT"  # "QRX is the native token of Qorix"
    if i >= end or doc[i].text != "," and not copula:
        return None, None, False
    i += 1
    if i < end and doc[i].lower_ in POSSESSIVE_PRONOUNS:  # "QRX, our token", "QRX, its governance token"
        found = b.refer(doc[i], OWNER_CLASSES)
        return (found, _descriptors(b, i + 1, end, 1)[1], False) if found is not None else (None, None, False)
    while i < end and doc[i].lower_ in APPOS_DETS:
        i += 1
    owner = _owner_at(b, i)
    if owner is None and i + 1 < end and doc[i + 1].text in POSSESSIVE and i not in b.spans:
        found = b.refer(doc[i], OWNER_CLASSES)  # "QRX, the network's token"
        return (found, _descriptors(b, i + 2, end, 1)[1], False) if found is not None else (None, None, False)
    if owner is not None and b.spans[i].start == i:
        j = b.spans[i].end
        if j < end and doc[j].text in POSSESSIVE:
            return owner, _descriptors(b, j + 1, end, 1)[1], False
        return None, None, False
    j, head = _descriptors(b, i, end, 1)
    if copula and any(t.tag_ in {"JJS", "RBS"} for t in doc[i:j]):
        return None, None, False  # "QRX is the largest stablecoin of Zeta": a ranking, not ownership
    if j + 1 < end and doc[j].lower_ in {"of", "from"}:  # "the token of Qux", "the oracle product from Qux"
        k = j + 1 + (doc[j + 1].lower_ in APPOS_DETS)
        if k not in b.spans:  # "the token of the decentralised mapping network Quern"
            k = _descriptors(b, k, end, 1)[0]
        return _owner_at(b, k), head, not copula
    if j + 2 < end and doc[j].tag_ == "VBN" and doc[j + 1].lower_ == "by" and _makes(b, doc[j]):
        return _owner_at(b, j + 2), head, True
    return None, None, False


def _makes(b: ClaimBuilder, verb: Token) -> bool:
    """A verb whose agent owns what it made ("developed by", "issued by"): a structural trigger."""
    return any(t.predicate in STRUCTURAL.values() for t in b.lex.triggers_for(verb.lemma_.lower(), "VERB"))


def _appos_before(b: ClaimBuilder, span: Span, sent: Span) -> tuple[Mention | None, Token | None, bool]:
    """OWNER's DESCRIPTION, ITEM: "FooChain's next upgrade, Zeta"."""
    doc, i = b.doc, span.start - 1
    if i - 1 <= sent.start or doc[i].text != "," or not (doc[i - 1].tag_[:2] == "NN" or doc[i - 1].lower_ in b.markers):
        return None, None, False
    j, head = _descriptors(b, i - 1, sent.start, -1)
    head = doc[i - 1]
    if j >= sent.start and doc[j].lower_ in POSSESSIVE_PRONOUNS:  # "our next upgrade, Zeta"
        return b.refer(doc[j], OWNER_CLASSES), head, False
    if j <= sent.start or doc[j].text not in POSSESSIVE:
        return None, None, False
    return _owner_at(b, j - 1), head, False


def _behind(b: ClaimBuilder, span: Span) -> tuple[Mention | None, Token | None, bool]:
    """OWNER, the team behind ITEM: "Acme Labs, the team behind the Zeta wallet" (any class word
    of an organisation for "team")."""
    phrase = span.root
    while phrase.dep_ == "compound" and phrase.head.i != phrase.i:
        phrase = phrase.head  # "the Zeta self-custody wallet"
    prep = phrase.head
    noun = prep.head
    cls = b.class_word(noun)
    if phrase.dep_ != "pobj" or prep.lower_ != "behind" or noun.dep_ != "appos" \
            or cls is None or "Organization" not in class_closure(cls):
        return None, None, False
    return _owner_at(b, noun.head.i), noun, True


def issuer_rule(b: ClaimBuilder, sent: Span) -> Iterator[Claim]:
    """"QRX, which is issued by Acme for Zeta", "QRX is issued by Acme": the issuing firm (and the
    one it is issued for) owns the token, whatever the lexicon names as its parent."""
    from .rules import verb_objects
    if not b.doc.has_annotation("DEP"):  # no parse (blank:en): children of unparsed tokens are unsafe
        return
    for tok in b.trigger_tokens(sent, "VERB"):
        trigs = [t for t in b.lex.triggers_for(tok.lemma_.lower(), "VERB") if t.direction == "issuer"]
        if not trigs:
            continue
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        if agent is None:
            continue
        issuers = [m for p in agent.children if p.dep_ == "pobj" for m in b.entities_of(p)]
        fors = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "for"]
        for p in fors + [p for a in agent.children for p in a.children if p.dep_ == "prep" and p.lower_ == "for"]:
            issuers += [m for q in p.children if q.dep_ == "pobj" for m in b.entities_of(q)]
        for token in verb_objects(b, tok, trigs[0]):
            for owner in issuers:
                if token.label in {"Token", "Stablecoin"} and class_closure(owner.label) & {"Organization"}:
                    c = b.claim(token, "tokenOf", owner, tok, "issuer", 0.8)
                    if c:
                        yield c
