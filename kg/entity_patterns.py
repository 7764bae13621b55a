"""Name patterns by apposition and naming, mixed into the entity ruler (kg/entities.py):
"Spindl, an advertising startup", "for Zephyr, Acme's bond platform", "FooChain's next upgrade, Zeta",
"a euro stablecoin called QRX"."""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from .grammar import DESCRIPTIVE_TAGS, POSSESSIVE_S

NAME_TAGS = frozenset({"NNP", "NNPS"})
#: Participles that introduce a thing's name: "a stablecoin called QRX", "a wallet dubbed Zeta".
NAMING = frozenset({"call", "name", "dub", "brand"})


@dataclass(frozen=True)
class Candidate:
    start: int          # token offsets
    end: int
    label: str
    canonical: str
    source: str
    priority: int       # 4 lexicon, 3 pattern, 2 concept (blocks the model only), 1 model
    name: str = ""      # a pattern's bare name ("Zeta" of "Zeta Upgrade"), repeated bare later on


#: Credit lines of wire copy and bylines: "(Reporting by Jane Roe; Editing by John Doe)", "By Jane Roe".
CREDIT = re.compile(r"(?:\b(?:[Rr]eporting|[Ee]diting|[Ww]riting|[Ww]ritten|[Cc]ompiled) by|(?m:^)[Bb]y:?)[ \t]+"
                    r"((?:[A-Z][a-z]+|[A-Z]\.)(?:[ \t]+(?:[A-Z][a-z'\-]+|[A-Z]\.)){1,2})(?=[ \t]*(?:[;,)\n]|and\b|$))")


def _occurrences(text: str, name: str) -> int:
    """How often `name` occurs as whole words ("Euro" is not in "European")."""
    return len(re.findall(rf"(?<!\w){re.escape(name)}(?!\w)", text))



class AppositionPatterns:
    """Candidates from appositions; needs `markers`, `is_concept` and `_name_token` from the ruler."""

    def _credits(self, doc: Doc) -> list[Candidate]:
        """The people named in a byline or a wire credit line are persons."""
        out = []
        for m in CREDIT.finditer(doc.text):
            span = doc.char_span(m.start(1), m.end(1))
            if span is not None and not self.is_concept(span.text):
                out.append(Candidate(span.start, span.end, "Person", span.text, "pattern:byline", 3))
        return out

    def _called(self, doc: Doc) -> list[Candidate]:
        """A name introduced by a naming participle after a marker: "a euro stablecoin called QRX"."""
        out = []
        for tok in doc[:-2]:
            marker = self.markers.get(tok.lower_) or self.markers.get(tok.lemma_.lower())
            nxt = doc[tok.i + 1]
            if marker is None or tok.pos_ != "NOUN" or nxt.lemma_.lower() not in NAMING or nxt.tag_ != "VBN":
                continue
            end = tok.i + 2
            while end < len(doc) and end - tok.i < 5 and self._name_token(doc[end]):
                end += 1
            name = doc[tok.i + 2:end]
            if len(name) and not self.is_concept(name.text):
                out.append(Candidate(name.start, name.end, marker.cls, name.text, f"pattern:called-{marker.word}", 3))
        return out

    def _appositives(self, doc: Doc) -> list[Candidate]:
        """A capitalised name described by an appositive: "Spindl, an advertising startup"."""
        out = []
        for tok in doc:
            if tok.dep_ != "appos" or not (tok.pos_ == "NOUN" or tok.lower_ in self.markers):
                continue
            name_head, desc = (tok.head, tok) if tok.head.i < tok.i else (tok, tok.head)
            marker = self.markers.get(desc.lower_) or self.markers.get(desc.lemma_.lower())
            if marker is None or not name_head.text[:1].isupper() or name_head.pos_ != "PROPN":
                continue
            start = name_head.i
            while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].text[:1].isupper():
                start -= 1
            name = doc[start:name_head.i + 1]
            if not any(t.text in {",", "(", "\u2014", "\u2013"} for t in doc[min(name.end, desc.i):max(name.end, desc.i)]):
                continue  # an apposition is set off by punctuation; headlines misparse without it
            if not self.is_concept(name.text) and (not name[0].is_sent_start or name[0].tag_ in NAME_TAGS):
                prio = 4 if len(name) > 1 else 3  # "Acme Mint, a service": beats a lexicon "Acme"
                out.append(Candidate(start, name_head.i + 1, marker.cls, name.text, f"pattern:appos-{marker.word}", prio))
        return out

    def _surface_appositives(self, doc: Doc) -> list[Candidate]:
        """The same by word order when the parse misses it: "for Zephyr, Acme's digital bond platform"."""
        out = []
        for tok in doc:
            marker = self.markers.get(tok.lower_)
            closing = tok.i + 1 < len(doc) and doc[tok.i + 1].text in {",", ".", ")", ";"}
            if marker is None or not (tok.pos_ == "NOUN" or closing and tok.is_lower) \
                    or tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "NOUN":
                continue
            if tok.dep_ in {"nsubj", "nsubjpass"} or tok.i + 1 < len(doc) and doc[tok.i + 1].text in POSSESSIVE_S:
                continue  # "..., the company is based in X" / "X, the firm's chief executive"
            i = tok.i - 1
            while i > 0 and (doc[i].tag_ in DESCRIPTIVE_TAGS or doc[i].lower_ in self.markers) \
                    and not doc[i].text[:1].isupper():
                i -= 1
            if doc[i].text in POSSESSIVE_S:
                i -= 1
                while i > 0 and doc[i].text[:1].isupper() and doc[i].is_alpha:
                    i -= 1
            i -= doc[i].lower_ in {"the", "a", "an", "its", "their"}
            if doc[i].text != "," or i < 1:
                continue
            end = start = i
            while start > 0 and end - start < 3 and doc[start - 1].tag_ in NAME_TAGS and doc[start - 1].is_alpha:
                start -= 1
                if start > 1 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_:
                    start -= 2  # "Acme-PRO": one hyphenated name
            name = doc[start:end]
            if start < end and not self.is_concept(name.text) \
                    and (not name[0].is_sent_start or _occurrences(doc.text, name.text) >= 2):
                out.append(Candidate(start, end, marker.cls, name.text, f"pattern:appos-{marker.word}", 3))
        return out

    def _named_after(self, doc: Doc) -> list[Candidate]:
        """A name set off after its description: "FooChain's next upgrade, Zeta, is due"."""
        out = []
        for tok in doc[:-3]:
            marker = self.markers.get(tok.lower_)
            if marker is None or tok.pos_ not in {"NOUN", "ADJ"} or doc[tok.i + 1].text != ",":
                continue
            if not any(t.text in POSSESSIVE_S or t.lower_ in {"the", "its"} for t in doc[max(0, tok.i - 4):tok.i]):
                continue
            end = tok.i + 2
            while end < len(doc) and end - tok.i < 5 and doc[end].tag_ in NAME_TAGS and doc[end].is_alpha:
                end += 1
            name = doc[tok.i + 2:end]
            if len(name) and end < len(doc) and doc[end].text in {",", "(", "\u2014"} and not self.is_concept(name.text):
                out.append(Candidate(name.start, name.end, marker.cls, name.text, f"pattern:appos-{marker.word}", 3))
        return out

