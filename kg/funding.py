"""Funding rounds: investors named around a round invest in whoever raised it ("a round led by X",
"Y and Z also took part"; triggers of direction "round" in ontology/triggers.tsv), and who raised
the round a figure is about ("the round values the company at ...")."""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Span, Token

from .extract import SUBJ_DEPS, ClaimBuilder
from .lexicon import Trigger

AGENTS = frozenset({"Organization", "Project"})
from .model import Claim, Mention
from .rules import lemma_of, verb_subjects


def _round_nouns(b: ClaimBuilder) -> frozenset[str]:
    return frozenset(t.lemma for t in b.lex.triggers if t.pos == "NOUN" and t.predicate == "investsIn"
                     and t.direction == "forward")


def _raiser(b: ClaimBuilder, rnd: Token) -> list[Mention]:
    """Who a round is for: "a round in X", or the subject of the verb it hangs from ("X raised $5M
    in a round", "X said it closed a round")."""
    named = [m for c in rnd.children if c.dep_ == "prep" and c.lower_ in {"in", "into", "for", "of"}
             for p in c.children if p.dep_ == "pobj" for m in b.entities_of(p)]
    owners = [c for t in [rnd, *(c for c in rnd.children if c.dep_ == "compound")] for c in t.children
              if c.dep_ == "poss" and (c.pos_ != "PRON" or c.lower_ == "whose")]  # "Acme's Series A", "whose seed round"
    named = named or [m for c in owners for m in _owner(b, c)]
    if named or rnd.dep_ in SUBJ_DEPS:
        return named
    verb = rnd.head
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head
    if any(t.direction == "round" for t in b.lex.triggers_for(lemma_of(verb), "VERB")):
        return []  # "X and Y joined the round": investors, not who raised it
    return verb_subjects(b, verb)


def _owner(b: ClaimBuilder, poss: Token) -> list[Mention]:
    if poss.lower_ != "whose":
        return b.entities_of(poss, coordinated=False)
    found = b.refer(poss, AGENTS)
    return [found] if found is not None else []


def _idiom_object(b: ClaimBuilder, tok: Token, pos: str) -> Token | None:
    """The bare object of a verb idiom in the triggers ("take part"), if `tok` has one."""
    if pos != "VERB":
        return None
    return next((c for c in tok.children if c.dep_ == "dobj" and c.n_lefts + c.n_rights == 0
                 and b.lex.triggers_for(f"{tok.lemma_.lower()} {c.lower_}", pos)), None)


def _round_of(b: ClaimBuilder, tok: Token, nouns: frozenset[str], idiom: Token | None = None) -> Token | None:
    """The round an investor word is about: its head or object, else the latest one just before."""
    near = [tok.head, *tok.children, *(c for c in tok.head.children if c.dep_ == "dobj")]
    found = next((t for t in near if _is_round(t, nouns)), None)
    other_object = any(c.dep_ == "dobj" and c.pos_ != "PRON" and (idiom is None or c.i != idiom.i)
                       for c in tok.children)  # "led it" / "took part" still look back for the round
    if found is not None or other_object:
        return found
    before = [t for t in b.doc[_two_back(b, tok):tok.i] if _is_round(t, nouns)]
    return next((t for t in reversed(before) if _raiser(b, t)), None)


def _two_back(b: ClaimBuilder, tok: Token) -> int:
    """Where the sentence two before `tok`'s starts: how far back a round may have been named."""
    floor = b.doc[max(0, tok.sent.start - 1)].sent.start
    return b.doc[max(0, floor - 1)].sent.start


def _earlier_raiser(b: ClaimBuilder, rnd: Token) -> list[Mention]:
    """Who raised the latest round named in this or the two sentences before `rnd`."""
    nouns = _round_nouns(b)
    for t in reversed(b.doc[_two_back(b, rnd):rnd.i]):
        found = _raiser(b, t) if _is_round(t, nouns) else []
        if found:
            return found
    return []


def raiser_of_round(b: ClaimBuilder, tok: Token) -> Mention | None:
    """"The round values ...": when `tok` names a funding round ("round" may be tagged ADJ), whoever
    raised it (named with it, else the latest round named just before)."""
    nouns = _round_nouns(b)
    if not (_is_round(tok, nouns) or tok.lower_ in nouns):
        return None
    found = _raiser(b, tok) or _earlier_raiser(b, tok)
    return found[0] if found else None


def _is_round(tok: Token, nouns: frozenset[str]) -> bool:
    """A round noun, or a named round written as a compound ("Series A", "seed round")."""
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in nouns:
        return True
    words = [c.lower_ for c in tok.children if c.dep_ == "compound" and c.i < tok.i] + [tok.lower_]
    if tok.pos_ == "NOUN" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].head.i == tok.head.i \
            and tok.doc[tok.i + 1].lower_ in nouns:
        return True  # "led Acme's seed round": "seed" taken for the object, "round" for an adverb
    return tok.pos_ in {"NOUN", "PROPN"} and " ".join(words) in nouns


def _investors(b: ClaimBuilder, tok: Token, trig: Trigger) -> list[Mention]:
    """"led by X", "participation from X, Y and Z", "investors X and Y joined"."""
    if tok.pos_ == "NOUN" or any(c.dep_ == "agent" for c in tok.children):
        preps = [c for c in tok.children if c.dep_ in {"prep", "agent"} and c.lower_ in trig.preps]
        return [m for c in preps for p in c.children if p.dep_ == "pobj" for m in b.entities_of(p)]
    return verb_subjects(b, tok)


def funding_rule(b: ClaimBuilder, sent: Span) -> Iterator[Claim]:
    """Investors named around a funding round invest in whoever raised it (triggers of direction
    "round" in ontology/triggers.tsv)."""
    for tok in b.trigger_tokens(sent):
        pos = "NOUN" if tok.pos_ in {"NOUN", "PROPN"} else "VERB" if tok.tag_[:2] == "VB" else ""
        idiom = _idiom_object(b, tok, pos)  # "took part": the object is part of the trigger
        lemmas = [f"{tok.lemma_.lower()} {idiom.lower_}"] if idiom is not None else [lemma_of(tok), tok.lemma_.lower()]
        trig = next((t for lemma in lemmas for t in b.lex.triggers_for(lemma, pos) if t.direction == "round"), None)
        rnd = _round_of(b, tok, _round_nouns(b), idiom) if trig is not None else None
        if rnd is None:
            continue
        investors = _investors(b, tok, trig)
        targets = [m for m in _raiser(b, rnd) if m not in investors]
        if not targets and any(c.lower_ in {"the", "this", "that"} for c in rnd.children if c.dep_ == "det"):
            targets = _earlier_raiser(b, rnd)  # "X and Y also joined the round": the round named before
        for investor in investors:
            for target in targets:
                if trig.allows("subject", investor.label) and trig.allows("object", target.label):
                    c = b.claim(investor, "investsIn", target, tok, f"round:{trig.lemma}", trig.confidence)
                    if c:
                        yield c
