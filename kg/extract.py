"""Relation rules over the dependency parse: spaCy Doc in, `Claim`s out.

Rules (each claim records which one fired):
- `verb:<lemma>`  a trigger verb with its subject and object (active, passive, xcomp, relcl, conj)
- `noun:<lemma>`  a nominalisation ("Doe's endorsement of Qorix", "partnership with X")
- `headline`      NAME Trigger NAME in a Title Case headline the parser cannot read
- `possessive` / `compound` / `of` / `appositive`  ownership (kg/owners.py): upgradeOf, productOf, tokenOf
- `lexicon:parent` a network's native token or upgrade named in one sentence with that network
- `date:<lemma>`  a release word with a date: shippedOn (by publication) or scheduledFor
Trigger words, cues and classes come from ontology/*.tsv.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Iterator

from spacy.tokens import Doc, Span, Token

from .cues import CueScope, Scope
from .entities import canonical_of
from .entity_patterns import _occurrences, doc_text, doc_words, lemma_lowers
from .grammar import POSSESSIVE_S, REPORTING, VERSIONS
from .lexicon import Lexicon, class_closure
from .model import Claim, DateValue, Mention
from .reference import ReferenceResolver
from .speakers import ours


STRUCTURAL = {"Upgrade": "upgradeOf", "Product": "productOf", "Token": "tokenOf", "Stablecoin": "tokenOf"}
OWNER_CLASSES = frozenset({"Project", "Organization", "Agent"})
SHIPPABLE = frozenset({"Upgrade", "Product", "Proposal", "Token", "Stablecoin", "Project"})
SUBJ_DEPS = frozenset({"nsubj", "csubj"})
LIGHT_VERBS = frozenset({"lead", "make", "announce", "give", "offer", "express", "voice", "complete", "finalize",
                         "finalise", "sign", "form", "strike", "enter", "seal", "close", "confirm", "extend",
                         "receive", "reaffirm", "unveil", "have", "lend", "show", "win", "secure", "end",
                         "take", "hold", "buy", "agree", "reach", "launch", "build"})
INCLUDING = frozenset({"including", "like", "such", "as", "among"})
HEADLINE_JOINERS = frozenset({"with", "in", "into", "of", "for", "on"})


class ClaimBuilder(ReferenceResolver):
    """Makes `Claim`s from one spaCy Doc (one article)."""

    def __init__(self, doc: Doc, doc_id: str, lex: Lexicon, scope: CueScope) -> None:
        self.doc, self.doc_id, self.lex, self.scope = doc, doc_id, lex, scope
        self.text = doc_text(doc)
        self.ents: list[Span] = list(doc.ents)  # `doc.ents` and `sent.ents` rebuild their spans per call
        self._ent_starts = [e.start for e in self.ents]
        self._dates: dict[tuple[int, int], DateValue | None] = {}
        self._scopes: dict[int, Scope] = {}
        self._name_starts: tuple[int, dict[str, list[int]]] | None = None  # canonical name -> where it is named
        self._pronouns: dict[int, Mention | None] = {}  # each pronoun resolved once: they chain back
        self.cached: dict[str, Mention | None] = {}  # per-article answers (kg/speakers.py: the topic)
        self._candidates: dict[str, list[int]] = {}
        self.lemmas = lemma_lowers(doc)  # every rule asks each token for its trigger lemma
        self.mentions: dict[int, Mention] = {}
        self.spans: dict[int, Span] = {}
        for ent in self.ents:
            if ent.label_.isupper():
                continue
            canonical, source = canonical_of(ent)
            m = Mention(ent.text, ent.label_, canonical, ent.start_char, ent.end_char, source)
            for i in range(ent.start, ent.end):
                self.mentions[i] = m
                self.spans[i] = ent
        self.titled = self._titles()
        self.anaphors = {m.word: m.cls for m in lex.markers if m.anaphor}
        self.concepts = lex.folded_concepts()
        self.markers = {m.word for m in lex.markers}
        self.marker_class = {m.word: m.cls for m in lex.markers}
        self.product_markers = {m.word: m.cls for m in lex.markers if m.cls == "Product"}

    def _titles(self) -> dict[int, Mention]:
        """"FooChain co-founder Jane Doe", "Acme's CEO John Roe": the phrase denotes the person."""
        out: dict[int, Mention] = {}
        for ent in self.ents:
            if ent.label_ != "Person" or ent.start not in self.mentions:
                continue
            i = ent.start - 1
            while i >= max(0, ent.start - 4) and _title_word(self.doc[i]):
                i -= 1
            if i == ent.start - 1 or i < 0:
                continue
            i -= self.doc[i].text in POSSESSIVE_S
            owner = self.spans.get(i)
            if owner is not None and owner.end == i + 1 and owner.label_ != "Person":
                out.update({j: self.mentions[ent.start] for j in range(owner.start, ent.start)})
        return out

    def holds(self, noun: Token, modifier: Mention) -> bool:
        """"a FooChain ETF", "foo funds": a product named after what it holds is not that asset."""
        words = (noun.lower_, noun.lemma_.lower(), noun.lower_[:-1] if noun.lower_.endswith("s") else "")
        cls = next((self.product_markers[w] for w in words if w in self.product_markers), None)
        return cls is not None and cls not in class_closure(modifier.label)

    def class_word(self, tok: Token) -> str | None:
        """The class a class word names ("startup", "tokens"), by its form or its lemma; else None."""
        return self.marker_class.get(tok.lower_) or self.marker_class.get(tok.lemma_.lower())

    def is_concept(self, text: str) -> bool:
        t = text.casefold()
        return t in self.concepts or t.rstrip("s") in self.concepts

    # -- noun phrases to entities -------------------------------------------------------------
    def entities_of(self, head: Token, coordinated: bool = True) -> list[Mention]:
        """Entities a noun phrase headed by `head` denotes (with its conjuncts)."""
        found = self.entity_of(head)
        out = [found] if found else self._listed(head)
        if coordinated:
            for conj in head.conjuncts:
                if conj.i > head.i:
                    m = self.entity_of(conj)
                    if m and m not in out:
                        out.append(m)
            if found is not None and head.i in self.spans:
                out[:0] = [m for m in self._left_conjuncts(self.spans[head.i]) if m not in out]
        return out

    def _left_conjuncts(self, span: Span) -> list[Mention]:
        """"A, B and C invested": names coordinated before C that the parser hung elsewhere."""
        out: list[Mention] = []
        i = span.start - 1
        while i > span.sent.start and self.doc[i].lower_ in {"and", ",", "or"}:
            left = self.spans.get(i - 1)
            if left is None or left.end != i:
                break
            out.insert(0, self.mentions[left.start])
            i = left.start - 1
        return out

    def entity_of(self, tok: Token) -> Mention | None:
        """The entity a single noun phrase head denotes (name, title, anaphor, pronoun), or None."""
        if tok.i in self.titled:
            return self.titled[tok.i]
        if tok.i in self.mentions:
            return self.mentions[tok.i]
        for child in tok.rights:
            if child.dep_ in {"appos", "compound", "npadvmod"} and child.i in self.mentions:
                return self.mentions[child.i]
        if tok.dep_ == "appos" and tok.head.i in self.mentions and tok.pos_ == "NOUN" \
                and (tok.lower_ in self.markers or tok.lemma_.lower() in self.markers):
            return self.mentions[tok.head.i]  # "Zeta, the Acme layer-2 network built on X": Zeta, not Acme
        for child in tok.children:
            if child.dep_ in {"compound", "nmod", "amod"} and child.i in self.mentions \
                    and not self.holds(tok, self.mentions[child.i]):
                return self.mentions[child.i]
        for child in tok.children:
            if child.dep_ == "poss" and child.i in self.mentions and (self.marker_class.get(tok.lemma_.lower())
                                                                      in class_closure(self.mentions[child.i].label)
                                                                      or tok.lemma_.lower() in VERSIONS):
                return self.mentions[child.i]  # "Zeta's main network", "Acme's exchange", "Zeta's first release"
            if child.dep_ == "appos" and child.i in self.mentions:
                return self.mentions[child.i]
            if child.dep_ == "acl" and child.tag_ == "VBN":  # "a stablecoin called QRX"
                named = [g for g in child.children if g.dep_ in {"oprd", "attr", "dobj"} and g.i in self.mentions]
                cls = self.class_word(tok)
                if named and cls in class_closure(self.mentions[named[0].i].label):
                    return self.mentions[named[0].i]
        left = self.spans.get(tok.i - 1)
        if left is not None and left.end == tok.i and tok.pos_ == "NOUN" and tok.lower_ in self.markers \
                and not self.holds(tok, self.mentions[tok.i - 1]):
            return self.mentions[tok.i - 1]
        return self._described(tok) or self._anaphor(tok) or self._personal(tok) or ours(self, tok) \
            or self._proper_name(tok)

    def _described(self, tok: Token) -> Mention | None:
        """"Acme, a Port Zeta startup that ..., has raised": the parse made the description the
        subject; the name right before its comma is what it describes."""
        cls = self.class_word(tok)
        edge = tok.left_edge.i
        if cls is None or edge < 2 or self.doc[edge - 1].text != "," or self.doc[edge].lower_ not in {"a", "an", "the"}:
            return None
        named = self.mentions.get(edge - 2)
        return named if named is not None and cls in class_closure(named.label) else None

    def _proper_name(self, tok: Token) -> Mention | None:
        """An unknown capitalised name filling a relation's slot ("acquisition of Hidden Road")."""
        common = tok.tag_ in {"NN", "NNS"} and not tok.is_sent_start and not self.doc[tok.i - 1].is_punct \
            and not any(c.dep_ == "det" for c in tok.children)  # "with Zinc": a name tagged as a noun
        if tok.tag_ not in {"NNP", "NNPS"} and not common or not tok.text[:1].isupper() or tok.ent_type_ \
                or not tok.is_alpha:
            return None
        start = tok.i
        while start > tok.sent.start and self.doc[start - 1].dep_ == "compound" and self.doc[start - 1].text[:1].isupper() \
                and self.doc[start - 1].tag_ in {"NNP", "NNPS"} and not self.doc[start - 1].ent_type_.isupper():
            start -= 1
        if start < tok.i and start in self.spans and self.spans[start].start < start:
            return None
        span = self.doc[start:tok.i + 1]
        # one word opening a sentence: a name only if the text repeats it ("Acme, which ...", thrice)
        opening = len(span) == 1 and tok.is_sent_start \
            and (len(tok) < 3 or _occurrences(self.text, span.text) < 3 or self._surname(tok.text))
        if self.is_concept(span.text) or opening or self._doubtful(span):
            return None
        m = Mention(span.text, "Organization", span.text, span.start_char, span.end_char, "fallback:propn")
        for i in range(span.start, span.end):
            self.mentions[i] = m
            self.spans[i] = span
        return m

    def _surname(self, word: str) -> bool:
        """Is `word` the last name of a person named in full ("Dana Roe ... Roe said")?"""
        return any(m.label == "Person" and m.text.endswith(" " + word) for m in self.mentions.values())

    def _doubtful(self, span: Span) -> bool:
        """Capitalised words of a Title Case headline that the text never repeats ("Acme Clears Spot
        Zeta Funds") are no name of their own."""
        return is_title_case(span.sent) and _occurrences(self.text, span.text) < 2

    def _listed(self, head: Token) -> list[Mention]:
        """Entities named as examples: "banks, including Acme Bank and Zeta Bank"."""
        out: list[Mention] = []
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in INCLUDING:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        out.extend(self.entities_of(pobj))
                    if pobj.dep_ == "prep":
                        for p2 in pobj.children:
                            out.extend(self.entities_of(p2) if p2.dep_ == "pobj" else [])
        return out

    # -- claims ---------------------------------------------------------------------------------
    def sent_ents(self, sent: Span) -> list[Span]:
        """`sent.ents` from the article's entities, read once: those from the sentence's start up to
        the first that does not end inside it."""
        out = []
        for k in range(bisect_left(self._ent_starts, sent.start), len(self.ents)):
            if self.ents[k].end > sent.end:
                break
            out.append(self.ents[k])
        return out

    def trigger_tokens(self, sent: Span, pos: str = "") -> Iterator[Token]:
        """The tokens of `sent` whose lemma may be a trigger of `pos`; the others can fire no rule."""
        found = self._candidates.get(pos)
        if found is None:
            heads = self.lex.trigger_words(pos)  # `Lexicon.may_trigger`, inlined: asked of every word
            found = self._candidates[pos] = [i for i, lemma in enumerate(self.lemmas)
                                             if lemma in heads or " " in lemma]
        for k in range(bisect_left(found, sent.start), len(found)):
            if found[k] >= sent.end:
                break
            yield self.doc[found[k]]

    def date_of(self, ent: Span) -> DateValue | None:
        """`ent._.kg_date` (a getter that re-reads the clause each call), once per entity."""
        key = (ent.start, ent.end)
        if key not in self._dates:
            self._dates[key] = ent._.kg_date
        return self._dates[key]

    def scope_of(self, trigger: Token) -> Scope:
        """The trigger's cue scope, once per token: several claims and figures share a trigger."""
        found = self._scopes.get(trigger.i)
        if found is None:
            found = self._scopes[trigger.i] = self.scope.scope(trigger)
        return found

    def _first_party(self, trigger: Token, cue: str, subj: Mention) -> bool:
        """"Acme said it acquired Zeta", "Acme's deal closed, the company said": a firm or person
        reporting its own act is no hearsay; only someone else's report hedges it."""
        if cue not in REPORTING:
            return False
        verb = next((t for t in CueScope.governors(trigger)[1:] if t.lemma_.lower() == cue), None)
        speaker = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None
        if speaker is None:  # "is said to have adopted": a passive report is hearsay
            return False
        if speaker.lower_ in {"we", "it"}:
            return True
        if speaker.i in self.mentions:
            return self.mentions[speaker.i].canonical == subj.canonical
        cls = self.anaphors.get(speaker.lower_) or self.anaphors.get(speaker.lemma_.lower())
        definite = any(c.dep_ == "det" and c.lower_ == "the" for c in speaker.children)
        # "..., the company said", "the foundation said on Monday": the firm the story is about
        # announcing its own news, not hearsay
        return bool(cls and definite and (cls in class_closure(subj.label) or "Organization" in class_closure(cls)))

    def _asked(self, trigger: Token) -> bool:
        """"Does Acme hold QRX?", "Host: Will you list it?": a question asserts nothing. The clause
        asks when the first "?", ";" or ":" after the trigger in its sentence is a question mark."""
        end = next((t for t in self.doc[trigger.i + 1:trigger.sent.end] if t.text in {"?", ";", ":"}), None)
        return end is not None and end.text == "?"

    def evidence(self, tok: Token) -> tuple[str, int, int]:
        sent = tok.sent
        start, end = sent.start_char, sent.end_char
        text = self.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return text[start:end], start, end

    def claim(self, subj: Mention, pred: str, obj: Mention | DateValue, trigger: Token, rule: str,
              confidence: float, scoped: bool = True) -> Claim | None:
        """A claim with the polarity and modality of the trigger's cues (none when not `scoped`: what a
        noun phrase presupposes, "Acme's Zeta upgrade", holds whatever the clause around it says)."""
        if isinstance(obj, Mention) and obj.canonical == subj.canonical:
            return None
        if scoped and self._asked(trigger):
            return None
        scope = self.scope_of(trigger) if scoped else Scope("positive", "asserted", "")
        if scope.modality == "hedged" and self._first_party(trigger, scope.hedge, subj):
            scope = Scope(scope.polarity, "asserted", scope.cue if scope.polarity == "negated" else "")
        if scope.modality == "hedged":
            confidence *= 0.6
        if subj.source.startswith("model") or (isinstance(obj, Mention) and obj.source.startswith("model")):
            confidence *= 0.9
        text, start, end = self.evidence(trigger)
        rule = f"{rule}+{scope.cue}" if scope.cue else rule
        return Claim(subj, pred, obj, scope.polarity, scope.modality, round(confidence, 3), text, start, end,
                     rule, self.doc_id)


def is_title_case(sent: Span) -> bool:
    """A headline: most longer words capitalised and no closing full stop (read from the article's
    word list: spaCy's `is_alpha` is `str.isalpha`)."""
    doc = sent.doc
    words = [w for w in doc_words(doc)[sent.start:sent.end] if len(w) > 3 and w.isalpha()]
    caps = sum(1 for w in words if w[:1].isupper())
    return len(words) >= 2 and caps / len(words) >= 0.75 \
        and not doc_text(doc)[sent.start_char:sent.end_char].rstrip().endswith(".")


def _title_word(tok: Token) -> bool:
    """A word of a job title written before a name: "co-founder", "chief executive", "CEO"."""
    return not tok.ent_type_ and (tok.text in {"-", "\u2013"} or (tok.is_alpha and tok.pos_ in {"NOUN", "PROPN", "ADJ"}))
