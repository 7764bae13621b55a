"""Polarity and modality of a trigger, by cue scope over the dependency parse.

Single-word cues are the ones the `kg_cues` component marked on `token._.kg_cue`; governing
verbs and phrases come from ontology/cues.tsv.

A cue counts when it governs the trigger: attached to the trigger or to a verb above it
(through xcomp/ccomp/dobj/aux/conj-free links), or, for multi-word cues, written just before it.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from .entity_patterns import doc_lowers, doc_text
from .lexicon import Lexicon

CLIMB_DEPS = frozenset({"xcomp", "ccomp", "dobj", "pobj", "prep", "acomp", "oprd", "attr", "pcomp",
                        "nsubj", "nsubjpass", "csubj", "auxpass", "aux", "acl"})
PHRASE_WINDOW = 7


def _semicolon(tok: Token, head: Token) -> bool:
    """A semicolon between a word and its head: two clauses the parser joined ("Acme launches X;
    Zeta declines to list it"), each with its own cues."""
    lo, hi = sorted((tok.i, head.i))
    return any(t.text == ";" for t in tok.doc[lo + 1:hi])


@dataclass(frozen=True)
class Scope:
    polarity: str      # "positive" | "negated"
    modality: str      # "asserted" | "hedged"
    cue: str           # the cue that decided, for the claim's rule
    hedge: str = ""    # the hedge cue, also when a negation decided the rule's cue


class CueScope:
    """Decides polarity and modality of triggers using the cue lexicon."""

    def __init__(self, lex: Lexicon) -> None:
        self.neg_governors = lex.cue_set("negation", "governor")
        self.neg_phrases = lex.cue_set("negation", "phrase")
        self.hedge_governors = lex.cue_set("hedge", "governor")
        self.hedge_phrases = lex.cue_set("hedge", "phrase")
        self._neg_sorted = tuple(sorted(self.neg_phrases))  # sorted: same cue every run
        self._hedge_sorted = tuple(sorted(self.hedge_phrases))
        self._hedge_sources = tuple(p for p in self._hedge_sorted if p.startswith(("people", "sources", "according")))

    @staticmethod
    def governors(trigger: Token) -> list[Token]:
        """The trigger and the words it depends on, up to the clause that states it."""
        chain, tok = [trigger], trigger
        while tok.dep_ in CLIMB_DEPS and tok.head.i != tok.i and len(chain) < 5 and not _semicolon(tok, tok.head):
            tok = tok.head
            chain.append(tok)
        return chain

    def scope(self, trigger: Token) -> Scope:
        chain = self.governors(trigger)
        neg = self._negation(trigger, chain)
        hedge = self._hedge(trigger, chain)
        return Scope("negated" if neg else "positive", "hedged" if hedge else "asserted", neg or hedge or "", hedge)

    @staticmethod
    def _lemma(tok: Token) -> str:
        lemma = tok.lemma_.lower()
        prt = next((c.lower_ for c in tok.children if c.dep_ == "prt"), "")
        return f"{lemma} {prt}" if prt else lemma

    def _negation(self, trigger: Token, chain: list[Token]) -> str:
        for obj in (c for c in trigger.children if c.dep_ == "dobj"):
            cue = next((d.lower_ for d in obj.children if d.dep_ == "det" and d._.kg_cue == "negation"), "")
            if cue:
                return cue  # "holds no QRX": the object's "no" denies the act
        for tok in chain:
            for child in tok.children:
                negating = child._.kg_cue == "negation"
                if child.dep_ == "neg" or (negating and child.dep_ in {"advmod", "neg", "preconj"}):
                    return child.lower_
                if child.dep_ == "det" and negating and tok.pos_ in {"NOUN", "PROPN"}:
                    return child.lower_
        for tok in chain[1:]:
            lemma = self._lemma(tok)
            if lemma in self.neg_governors or tok.lemma_.lower() in self.neg_governors:
                return lemma
        return self._phrase(trigger, self._neg_sorted)

    def _hedge(self, trigger: Token, chain: list[Token]) -> str:
        top = chain[-1]
        if top.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in top.children):
            chain = chain + self.governors(top.head)  # "may partner with X to support Y": the purpose is as sure
        for tok in chain:
            for child in tok.children:
                if child._.kg_cue == "hedge" and child.dep_ in {"aux", "advmod", "auxpass"}:
                    return child.lower_
        for tok in chain[1:]:
            if self._lemma(tok) in self.hedge_governors or tok.lemma_.lower() in self.hedge_governors:
                return tok.lemma_.lower()
        found = self._phrase(trigger, self._hedge_sorted)
        if found or not self._hedge_sources:
            return found
        sent = trigger.sent
        text = doc_text(trigger.doc)[sent.start_char:sent.end_char].lower()  # `sent.text`, unjoined
        return next((p for p in self._hedge_sources if p in text), "")

    @staticmethod
    def _phrase(trigger: Token, phrases: tuple[str, ...]) -> str:
        """The first of the (sorted) `phrases` written in the words just before the trigger."""
        start = max(trigger.sent.start, trigger.i - PHRASE_WINDOW)
        words = doc_lowers(trigger.doc)[start:trigger.i + 1]
        window = " " + " ".join(words) + " "
        near = " " + " ".join(words[-4:]) + " "  # "was supposed to (formally) launch": the phrase governs the trigger
        return next((p for p in phrases if f" {p} " in (near if p.endswith(" to") else window)), "")
