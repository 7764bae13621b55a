"""Reference resolution for the relation rules: what "the upgrade", "its", "he", "it", "whose" and
"we" stand for in one article.

A mixin of `ClaimBuilder` (kg/extract.py), kept apart because every rule asks it and it is the
part of extraction that reads across sentences; it uses the builder's mentions and `entity_of`.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from .grammar import RELATIVE, REPORTING
from .lexicon import class_closure
from .model import Mention
from .speakers import FIRST_PERSON_POSSESSIVES, FIRST_PERSON_SUBJECTS, first_person, it_opening

#: Subject pronouns and the classes of what they can stand for.
PERSONAL = {"he": frozenset({"Person"}), "she": frozenset({"Person"}), "it": frozenset({"Organization", "Project"})}


class ReferenceResolver:
    """Anaphors, pronouns and relative words resolved to the entities they stand for."""

    doc: Doc
    mentions: dict[int, Mention]
    anaphors: dict[str, str]
    _name_starts: tuple[int, dict[str, list[int]]] | None
    _pronouns: dict[int, Mention | None]

    if TYPE_CHECKING:
        def entity_of(self, tok: Token) -> Mention | None: ...

    def _anaphor(self, tok: Token) -> Mention | None:
        """"the upgrade" / "the token": the latest entity of that class earlier in the article that it
        has named twice, else the latest one."""
        cls = self.anaphors.get(tok.lower_) or self.anaphors.get(tok.lemma_.lower())
        det = next((c.lower_ for c in tok.children if c.dep_ in {"det", "poss"}), "")
        if not cls or det not in {"the", "this", "its", "their"}:
            return None
        if tok.tag_ == "NNS" and cls not in {"Token", "Stablecoin"}:
            return None  # "the new funds": many things (or money), not the fund named before; "the tokens" are units
        loose = "Organization" in class_closure(cls)  # "the company": a firm only known as an organisation fits
        found = [m for i in range(tok.i - 1, -1, -1) if (m := self.mentions.get(i)) is not None
                 and (cls in class_closure(m.label) or loose and m.label == "Organization")]
        strict = [m for m in found if cls in class_closure(m.label)]
        # the firm the story keeps naming (twice before) over one named in passing; a typed one first
        return next((m for group in (strict, found) for m in group if self._named_before(m, tok.i) >= 2),
                    strict[0] if strict else found[0] if found else None)

    def _named_before(self, m: Mention, stop: int) -> int:
        """How many times `m` was named before token `stop` (each name's first tokens, listed once per article)."""
        if self._name_starts is None or self._name_starts[0] != len(self.mentions):  # names found later count too
            starts: dict[str, list[int]] = {}
            for i in sorted(self.mentions):
                if self.mentions.get(i - 1) is not self.mentions[i]:
                    starts.setdefault(self.mentions[i].canonical, []).append(i)
            self._name_starts = (len(self.mentions), starts)
        return bisect_left(self._name_starts[1].get(m.canonical, []), stop)

    def refer(self, tok: Token, classes: frozenset[str]) -> Mention | None:
        """The entity a possessive anaphor points back to: "the network's" (the latest entity of that
        class), "its"/"their" (the subject of its clause, else of the latest sentence led by one)."""
        if tok.i in self.mentions:
            return self.mentions[tok.i]
        if tok.lower_ == "whose":  # "Acme, whose seed round was led by X": Acme
            return self._relative_head(next((a for a in tok.ancestors if a.dep_ == "relcl"), None), classes)
        if tok.lower_ in FIRST_PERSON_POSSESSIVES:
            found = first_person(self, tok)
            return found if found is not None and class_closure(found.label) & classes else None
        if tok.lower_ not in {"its", "their"}:
            found = self._called_so(tok) or self._salient(tok) or self._anaphor(tok)
            return found if found is not None and class_closure(found.label) & classes else None
        found = self._clause_referent(tok, classes)
        return None if found is not None and tok.lower_ == "its" and found.label == "Person" else found  # not a person

    def _personal(self, tok: Token) -> Mention | None:
        """"he"/"she" as a subject: the person the clause it joins, or the latest sentence led by one,
        is about ("Jane Roe warned ..., though she backed Zeta"). "it": only the organisation or project
        that says, denies or announces something about itself ("Acme denied reports that it agreed
        to ..."); any nearer noun ("the token ... after it surged") could be what "it" means."""
        if tok.lower_ in FIRST_PERSON_SUBJECTS and tok.dep_ in {"nsubj", "nsubjpass"}:
            return first_person(self, tok)  # "we launched Zeta", in a quote or an interview
        if tok.lower_ == "it" and tok.dep_ == "dobj" and tok.head.dep_ == "ROOT":
            return it_opening(self, tok)  # "Zeta launched QRX in 2023. Acme lists it.": the subject before
        if tok.lower_ not in PERSONAL or tok.dep_ not in {"nsubj", "nsubjpass"}:
            return None
        if tok.i not in self._pronouns:
            self._pronouns[tok.i] = None  # a pronoun whose referent is itself a pronoun stops here
            self._pronouns[tok.i] = self._referent(tok, PERSONAL[tok.lower_])
        return self._pronouns[tok.i]

    def _referent(self, tok: Token, classes: frozenset[str]) -> Mention | None:
        for verb in tok.ancestors:  # "Acme denied reports that it agreed to ...": Acme
            if verb.pos_ not in {"VERB", "AUX"} or tok.lower_ == "it" and verb.lemma_.lower() not in REPORTING:
                continue
            found = self._subject_of(verb, classes, exclude=tok)
            if found is not None:
                return found
        if tok.lower_ == "it":
            return it_opening(self, tok) if tok.i == tok.sent.start else None
        return self._clause_referent(tok, classes)

    def _clause_referent(self, tok: Token, classes: frozenset[str]) -> Mention | None:
        """The subject of `tok`'s clause, of the clauses it is joined to, else of the latest two
        sentences, when it names an entity of `classes` (`tok` itself excluded)."""
        verb = tok
        while verb.head.i != verb.i and verb.pos_ not in {"VERB", "AUX"}:
            verb = verb.head
        found = self._subject_of(verb, classes, exclude=tok)
        if found is None and verb.dep_ == "relcl" and any(c.dep_ == "nsubj" and c.lower_ in RELATIVE
                                                          for c in verb.children):
            found = self._relative_head(verb, classes)  # "HSBC, which runs its own platform": HSBC
        for _ in range(3):  # "Acme rose 5%, and its market cap ...": the clause it is joined to
            if found is not None or verb.head.i == verb.i or verb.dep_ not in {"conj", "advcl", "ccomp", "xcomp"}:
                break
            verb = verb.head
            found = self._subject_of(verb, classes, exclude=tok)
        sent = tok.sent
        for _ in range(2):
            if found is not None or sent.start == 0:
                break
            sent = self.doc[sent.start - 1].sent
            found = self._subject_of(sent.root, classes, exclude=tok)
        return found

    def _relative_head(self, clause: Token | None, classes: frozenset[str]) -> Mention | None:
        """The entity a relative clause hangs from, when it is of `classes`."""
        found = self.entity_of(clause.head) if clause is not None else None
        return found if found is not None and class_closure(found.label) & classes else None

    def _called_so(self, tok: Token) -> Mention | None:
        """"the startup's": the latest entity the article itself called a startup ("Acme, a startup"),
        before any other entity of the class."""
        word = tok.lower_ if tok.lower_ in self.anaphors else tok.lemma_.lower()
        if word not in self.anaphors or not any(c.dep_ == "det" and c.lower_ in {"the", "this"} for c in tok.children):
            return None
        called = {m.canonical for i, m in self.mentions.items() if i < tok.i and m.source == f"pattern:appos-{word}"}
        return next((self.mentions[i] for i in sorted(self.mentions, reverse=True)
                     if i < tok.i and self.mentions[i].canonical in called), None)

    def _salient(self, tok: Token) -> Mention | None:
        """"the network's": of the earlier entities of the noun's class, the latest one the article has
        already named twice (its topic) rather than one named in passing."""
        cls = self.anaphors.get(tok.lower_) or self.anaphors.get(tok.lemma_.lower())
        if not cls or not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            return None
        named = [m for i, m in sorted(self.mentions.items()) if i < tok.i and (i == 0 or self.mentions.get(i - 1) != m)]
        latest = [m for m in named if cls in class_closure(m.label)]
        def times(m: Mention) -> int:  # "Qorix", "Qorix Labs", "the Qorix Foundation" all name the topic
            return sum(1 for n in named if n.text == m.canonical or n.text.startswith(m.canonical + " "))
        return next((m for m in reversed(latest) if times(m) >= 2), None)

    def _subject_of(self, verb: Token, classes: frozenset[str], exclude: Token) -> Mention | None:
        """A clause's grammatical subject when it names an entity of `classes` and does not contain `exclude`."""
        for child in verb.children:
            if child.dep_ in {"nsubj", "nsubjpass"} and not child.left_edge.i <= exclude.i <= child.right_edge.i:
                found = self.entity_of(child)
                return found if found is not None and class_closure(found.label) & classes else None
        return None
