"""The crypto entity ruler: lexicon names, general name patterns, and the model's ORG/PERSON.

Registered as the spaCy factory "kg_entity_ruler"; runs after the model's NER and replaces its
entities with typed ones (labels are ontology classes, `span.id_` the canonical name). Order of
trust: lexicon > patterns ("the X upgrade", "$X", "X Labs", "EIP-1234") > the model.
"""
from __future__ import annotations

import re
from dataclasses import replace
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .entity_patterns import NAME_TAGS, OWNING, AppositionPatterns, Candidate, _occurrences, doc_lowers, doc_text
from .grammar import LIGHT_OBJECTS, POSSESSIVE_S
from .lexicon import Lexicon, Marker, class_closure, load_lexicon


ORG_LABELS = frozenset({"Organization", "Company", "Exchange", "AssetManager", "FinancialInstitution", "Bank"})
KEEP_MODEL_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "QUANTITY", "ORDINAL"})
#: Improvement proposals: EIP-1234, BIP 341, and any "<letters>IP-<n>" a project numbers its own by.
PROPOSAL = re.compile(r"\b(ERC|SIMD|[A-Z]{1,4}IP)[-\s]?(\d{1,5})\b")
CLOCK = re.compile(r"\d{1,2}[:.]\d{2}(?:[ap]\.?m\.?)?")
DOLLAR_TICKER = re.compile(r"\$([A-Z][A-Z0-9]{1,9})\b")
#: Words after a bare ticker that make it part of a concept ("ZK proofs", "ZK-based").
#: Lowercase words allowed between a name and its class marker ("the Qorix restaking protocol").
MODIFIER_TAGS = frozenset({"JJ", "NN", "NNS", "VBG"})

#: Words that open a phrase whose name is followed by modifiers and its class word: "its QRX
#: governance token", "the Qorix restaking protocol" (the definite ones, and "a"/"an").
OPENERS = OWNING | {"a", "an"}


def _described_only(doc: Doc, start: int) -> bool:
    """Does an article or a possessive open the phrase before the name at `start`, over lowercase
    modifiers ("a Zeta bank", "its tokenised Treasury fund")?"""
    k = start - 1
    while k >= max(0, start - 5) and (doc[k].is_lower and doc[k].tag_ in {"JJ", "VBN", "VBG", "NN", "RB"}
                                       or doc[k].tag_ == "HYPH"):  # "its short-dated Treasury fund"
        k -= 1
    return k >= 0 and doc[k].lower_ in {"a", "an", "its", "their", "our", "his", "her", "my", "your"}


def _norm(text: str) -> str:
    t = text.replace("\u2019", "'").casefold().strip()
    t = re.sub(r"^(the|a|an)\s+", "", t)
    t = re.sub(r"'s$", "", t)
    return re.sub(r"[\s\-_]+", " ", t).strip(" .,:;\"'")


def _singular(text: str) -> str:
    return text[:-1] if text.endswith("s") and not text.endswith("ss") else text


class CryptoEntityRuler(AppositionPatterns):
    """Finds and types the entities of a Doc; see the module docstring."""

    def __init__(self, nlp: Language, lexicon_dir: str | None = None) -> None:
        self.lex: Lexicon = load_lexicon(lexicon_dir)
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.info: dict[str, tuple[str, str]] = {}
        for entry in self.lex.entries:
            names = (entry.label, *entry.aliases)
            cls = "Concept" if "Concept" in entry.classes else entry.classes[0]
            key = f"lex:{entry.label}"
            self.info[key] = (cls, entry.label)
            self.matcher.add(key, [nlp.make_doc(n) for n in names] +
                             [nlp.make_doc(n.lower()) for n in names if "Concept" in entry.classes])
        self.tickers = {e.ticker: e for e in self.lex.entries if e.ticker}
        self.round_names = frozenset(t.lemma for t in self.lex.triggers if t.pos == "NOUN" and t.predicate == "investsIn")
        self.ticker_lowers = frozenset(t.lower() for t in self.tickers)
        self.folded = {_norm(n): e.label for e in self.lex.entries if "Concept" not in e.classes
                       for n in (e.label, *e.aliases)}
        self.assets = {n for e in self.lex.entries if {"Project", "Token", "Stablecoin"} & set(e.classes)
                       for n in (e.label, *e.aliases, e.ticker) if n}
        self.concepts = {_singular(_norm(c)) for c in self.lex.concepts()}
        self.markers = {m.word: m for m in self.lex.markers}
        self.max_marker = max((len(w.split()) for w in self.markers), default=1)
        self.marker_firsts = frozenset(w.split(" ")[0] for w in self.markers)
        self.metric_words = {p.split()[0] for m in self.lex.metrics if m.kind == "noun" for p in m.phrases}
        self.with_verbs: dict[str, set[str]] = {}  # trigger verb -> its prepositions ("partner" -> "with")
        for t in self.lex.triggers:
            if t.pos == "VERB":
                self.with_verbs.setdefault(t.lemma, set()).update(t.preps)

    def __call__(self, doc: Doc) -> Doc:
        cands = self._lexicon(doc) + self._patterns(doc) + self._model(doc)
        chosen = self._choose(cands)
        again = self._same_name(doc, chosen)
        chosen = self._choose(cands + again) if again else chosen
        ents = [Span(doc, c.start, c.end, label=c.label, span_id=f"{c.canonical}\t{c.source}")
                for c in chosen if c.label != "Concept"]
        taken = {i for c in chosen for i in range(c.start, c.end)}
        others = [e for e in doc.ents if e.label_ in KEEP_MODEL_LABELS
                  and not any(i in taken for i in range(e.start, e.end))]
        doc.ents = sorted(ents + others, key=lambda s: s.start)
        return doc

    def is_concept(self, text: str) -> bool:
        return _singular(_norm(text)) in self.concepts

    def known(self, name: str):  # noqa: ANN201 - LexEntry | None
        """The lexicon entry a name or any of its aliases denotes."""
        label = self.folded.get(_norm(name))
        return self.lex.entry(label) if label else None

    def _kept(self, source: str) -> bool:
        marker = self.markers.get(source.partition(":")[2])
        return marker is not None and marker.keep

    def _same_name(self, doc: Doc, chosen: list[Candidate]) -> list[Candidate]:
        """One sense per article: a name a pattern typed ("the QRX token") keeps that class where it
        recurs bare ("QRX will have ..."), over the model's guess."""
        out = []
        typed = [c for c in chosen if c.source.startswith("pattern:")
                 and c.source not in {"pattern:ticker", "pattern:proposal", "pattern:same-name"}]
        named = {c.name or c.canonical: c for c in typed if not self._kept(c.source)}
        for c in typed:  # bare "Acme" is "Acme Bank" unless typed otherwise; "Acme Foundation" backs a project
            if self._kept(c.source) and c.label != "Organization" and c.name:
                had = named.get(c.name)
                if had is None or had.label == "Product" and "Organization" in class_closure(c.label):
                    named[c.name] = c  # "the Acme ETF ... Acme Asset Management ... Acme said": the firm
        for c in typed:  # "the Zeta Foundation ... Zeta's main network": a foundation's bare name is its network
            if c.source == "pattern:foundation" and c.name and not self.folded.get(_norm(c.name)):
                named.setdefault(c.name, replace(c, label="Project", canonical=c.name))
        for c in typed:  # "Acme Global, the exchange, ... Acme said": a firm's first word is its short name
            first = (c.name or c.canonical).split()[0]
            if c.label in ORG_LABELS and " " in c.canonical and not self._kept(c.source) \
                    and not self.folded.get(_norm(first)) \
                    and first.isalpha() and not self.is_concept(first) and first.lower() not in self.markers:
                named.setdefault(first, c)
        for name, c in named.items():
            if not name[:1].isupper():
                continue
            for m in re.finditer(rf"(?<![\w$]){re.escape(name)}(?!\w)(?! [A-Z][a-z])", doc_text(doc)):  # not "Port Zeta"
                span = doc.char_span(m.start(), m.end())
                place = span is not None and len(span) > 1 and all(t.ent_type_ in {"GPE", "LOC"} for t in span) \
                    and name != c.canonical  # the model calls many one-word names places: only "Port Zeta"-like names count
                if span is not None and span.start != c.start and not place:  # "Port Zeta" of "Port Zeta Stock Exchange"
                    out.append(Candidate(span.start, span.end, c.label, c.canonical, "pattern:same-name", max(3, c.priority)))
        return out

    def _lexicon(self, doc: Doc) -> list[Candidate]:
        out = []
        for match_id, start, end in self.matcher(doc):
            cls, label = self.info[doc.vocab.strings[match_id]]
            if end - start == 1 and doc[start].text != label and doc[start].lower_ in self.markers \
                    and self._headline_only(doc, start, end):
                continue  # "Wallet Maker Acme" in a Title Case headline: a class word, not an alias of MakerDAO
            if cls == "Concept":
                out.append(Candidate(start, end, cls, label, "lexicon", 2))
                continue
            if end - start == 1 and doc[start].text.isupper() and cls in {"Token", "Stablecoin"} \
                    and not self._ticker_ok(doc, start):
                out.append(Candidate(start, end, "Concept", label, "lexicon", 2))  # "QRX balances": no ORG guess
                continue
            out.append(Candidate(start, self._with_marker(doc, end, cls), cls, label, "lexicon", 4))
        lowers = doc_lowers(doc)
        for i in range(len(lowers)):
            if lowers[i] not in self.ticker_lowers:
                continue  # a ticker's lowercase form is its token's: most words are skipped unread
            tok = doc[i]
            entry = self.tickers.get(tok.text)
            if entry is None:
                continue
            if not self._ticker_ok(doc, tok.i):
                out.append(Candidate(tok.i, tok.i + 1, "Concept", entry.label, "lexicon", 2))
                continue
            start = tok.i - 1 if tok.i and doc[tok.i - 1].text == "$" else tok.i
            cls = "Token" if "Token" in entry.classes or "Stablecoin" in entry.classes else entry.classes[0]
            out.append(Candidate(start, self._with_marker(doc, tok.i + 1, cls), cls, entry.label,
                                 "lexicon:ticker", 4))
        return out

    def _with_marker(self, doc: Doc, end: int, cls: str) -> int:
        """Extend a name over a following marker of its own class: "Nova upgrade", "QRX token"."""
        lowers = doc_lowers(doc)
        for width in range(self.max_marker, 0, -1):
            marker = self.markers.get(" ".join(lowers[end:end + width]))
            if marker and not marker.keep and marker.cls in class_closure(cls):
                return end + width
        return end

    def _ticker_ok(self, doc: Doc, i: int) -> bool:
        """A bare ticker, not the acronym inside a concept ("ZK proofs", "zero-knowledge (ZK)")."""
        if i and doc[i - 1].text == "$":
            return True
        nxt = doc[i + 1] if i + 1 < len(doc) else None
        if nxt is not None and nxt.text in {"-", "–"}:
            return False
        if i >= 2 and doc[i - 1].text == "(" and doc[i - 2].is_lower:
            return False
        if nxt is not None and nxt.pos_ in {"NOUN", "PROPN"} and nxt.lower_ not in self.markers \
                and nxt.lemma_.lower() not in self.markers \
                and nxt.text[:1].islower() and nxt.lower_ not in self.metric_words \
                and nxt.lower_ not in LIGHT_OBJECTS:  # "native QRX support" names the token
            return False
        return True

    def _patterns(self, doc: Doc) -> list[Candidate]:
        out = self._marker_names(doc)
        for regex, cls, source in ((PROPOSAL, "Proposal", "pattern:proposal"),
                                   (DOLLAR_TICKER, "Token", "pattern:ticker")):
            for m in regex.finditer(doc_text(doc)):
                span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if span is None:
                    continue
                canonical = f"{m.group(1)}-{m.group(2)}" if cls == "Proposal" else m.group(1)
                entry = self.tickers.get(canonical) if cls == "Token" else None
                out.append(Candidate(span.start, span.end, cls, entry.label if entry else canonical, source, 3))
        return out

    def _marker_names(self, doc: Doc) -> list[Candidate]:
        """Capitalised names followed by a class marker: "Nova upgrade", "Acme Labs"."""
        out = []
        lowers = doc_lowers(doc)  # read once: a Span per token and width is what cost
        for i in range(1, len(lowers)):
            if lowers[i] not in self.marker_firsts and " " not in lowers[i]:
                continue  # no marker starts with this word
            for width in range(min(self.max_marker, len(lowers) - i), 0, -1):  # not past the last word
                words = " ".join(lowers[i:i + width])
                marker = self.markers.get(words)
                if marker is None:
                    continue
                found = self._marker_name(doc, i, width, marker, words)
                if found is not None:
                    out.append(found)
                break
        described = self._appositives(doc) + self._surface_appositives(doc) + self._named_after(doc) \
            + self._titled(doc) + self._examples(doc)
        # A role makes a person of a full name only ("Orvane, a spokesperson for the fund said": a misparse)
        described = [c for c in described if c.label != "Person" or c.end - c.start >= 2]
        return out + described + self._tickered(doc) + self._called(doc) + self._credits(doc)

    def _marker_name(self, doc: Doc, i: int, width: int, marker: Marker, words: str) -> Candidate | None:
        """The name before the marker `words` at token `i`, if it is one."""
        if marker.cls == "Person":
            return None  # "Acme analyst Jane Roe": a role names the person after it, not the name before
        if i + width < len(doc) and doc[i + width].lower_ in self.with_verbs.get(words.rstrip("s"), ()):
            return None  # "Acme Partners With Zeta": the trigger verb "partner with", not a name's last word
        j, k = self._name_before(doc, i, marker.keep)
        if j == k:
            return None
        name = doc[j:k].text
        if self.is_concept(name) or self.is_concept(f"{name} {words}") or self._place(doc[j:k], marker.keep):
            return None
        if not marker.keep and doc[j].ent_type_ == "GPE" and all(t.is_lower for t in doc[j + 1:k]) and j \
                and doc[j - 1].lower_ in {"the", "a", "an"} and "Organization" in class_closure(marker.cls):
            return None  # "the London company", "a Dublin exchange": where the firm is, not its name
        nxt = i + width
        if not marker.keep and nxt < len(doc) and doc[nxt].lower_ in self.markers and doc[nxt].is_lower \
                and all(t.ent_type_ == "GPE" for t in doc[j:k]):
            return None  # "Zetaland wallet startup X": a place before the words that describe X
        if marker.cls == "Product" and name in self.assets and not self._titled_fund(doc, j, i):
            return None  # "a FooChain ETF", "Acme's FooChain fund": what it holds, not a brand
        end = i + width if k == i else k  # over modifiers: the name alone
        label = f"{name} {doc[i:end].text}" if marker.keep else name
        if self._headline_only(doc, j, k) or marker.keep and doc[i].is_lower and _described_only(doc, j):
            return None  # "a Zeta bank", "its tokenised Treasury fund": a description, not a name
        prio = 4 if marker.keep and end - j >= 2 else 3
        label = self.folded.get(_norm(doc[j:end].text), label)  # "Nova Upgrade" in a title line
        return Candidate(j, end, marker.cls, label, f"pattern:{marker.word}", prio, name)

    def _name_before(self, doc: Doc, i: int, keep: bool) -> tuple[int, int]:
        """(start, end) of the capitalised name before the marker at `i`, over up to two lowercase
        modifiers when a determiner or possessive opens the phrase ("the Qorix restaking protocol")."""
        k = i
        if not keep and not self._name_token(doc[i - 1]):
            hyphens = 0  # "the Lapwing self-custody wallet": a hyphenated modifier counts as one word
            while k > 1 and i - k - hyphens < 2 and (doc[k - 1].tag_ in MODIFIER_TAGS and doc[k - 1].is_lower
                                                     and not doc[k - 1].is_stop and doc[k - 1].lower_ not in self.markers
                                                     or doc[k - 1].tag_ == "HYPH" and k < i):
                hyphens += doc[k - 1].tag_ == "HYPH"
                k -= 1
            if k == i:
                return i, i
        j = k
        while j > 0 and k - j < 3 and self._name_token(doc[j - 1]):
            j -= 1
        if k < i and (j == 0 or doc[j - 1].lower_ not in POSSESSIVE_S | OPENERS):
            return i, i
        return j, k

    @staticmethod
    def _titled_fund(doc: Doc, start: int, marker: int) -> bool:
        """"Acme's Zeta Trust": a capitalised fund word after an owner's possessive names a product."""
        word = doc[marker].text
        return word[:1].isupper() and word[1:].islower() and start >= 2 and doc[start - 1].text in POSSESSIVE_S

    @staticmethod
    def _place(span: Span, keep: bool) -> bool:
        """"an Indonesian exchange": a nationality, not a name (the model's GPE guesses are too loose:
        it calls unknown names places)."""
        if not keep and len(span) > 1 and all(t.ent_type_ == "GPE" for t in span):
            return True  # "a Port Zeta startup"
        if keep or not all(t.ent_type_ == "NORP" and t.text.endswith(("an", "ese", "ish", "ic", "i", "ch"))
                           for t in span):
            return False
        used_as_noun = {"nsubj", "nsubjpass", "dobj", "pobj", "appos"}  # "Qorian is designed to": a name
        return not any(t.text == span.text and t.pos_ == "PROPN" and t.dep_ in used_as_noun for t in span.doc)

    @staticmethod
    def _headline_only(doc: Doc, start: int, end: int) -> bool:
        """In a Title Case line every word is capitalised: trust a name only if the text repeats it so."""
        sent = doc[start].sent
        words = [t for t in sent if t.is_alpha and len(t) > 3]
        if not words or sum(t.text[:1].isupper() for t in words) / len(words) < 0.75:
            return False
        return _occurrences(doc_text(doc), doc[start:end].text) < 2

    @staticmethod
    def _unconfirmed(span: Span) -> bool:
        """A model name seen once: in a Title Case headline ("Acme Clears Spot Zeta Funds") or a lone
        capitalised word opening a verbless line ("Media contact:") is a guess the text never backs."""
        if _occurrences(doc_text(span.doc), span.text) >= 2:
            return False
        first = span.doc[span.start]
        opens_line = first.i == 0 or "\n" in span.doc[first.i - 1].text + span.doc[first.i - 1].whitespace_
        titled = not span.sent.text.rstrip().endswith((".", "!", "?", '"', "\u201d"))
        label_line = opens_line and not any(t.pos_ in {"VERB", "AUX"} for t in span.sent)
        return titled and CryptoEntityRuler._headline_only(span.doc, span.start, span.end) \
            or len(span) == 1 and label_line

    @staticmethod
    def _name_token(tok) -> bool:  # noqa: ANN001
        text = tok.text
        return (tok.tag_ in NAME_TAGS or (text[:1].isupper() and tok.pos_ in {"PROPN", "NOUN", "ADJ"})
                or (any(c.isupper() for c in text[1:]) and text.isalnum())) and text.isalnum() \
            and not tok.is_stop and (not tok.is_sent_start or tok.tag_ in NAME_TAGS)

    def _model(self, doc: Doc) -> list[Candidate]:
        out = []
        ents = doc.ents
        full_names = {e.text.split()[-1] for e in ents if e.label_ == "PERSON" and len(e) > 1}
        for ent in ents:
            if ent.label_ not in {"ORG", "PERSON"}:
                continue
            span = self._trim(ent)
            text = span.text if span is not None else ""
            if span is None or self.is_concept(text) or not text[:1].isupper() or text.lower() in self.markers:
                continue  # "Token holders ...", "Network fees ...": a class word, not a name
            if any(ch in text for ch in "()[]{}:;|/\n") or len(span) > 6 or self._unconfirmed(span):
                continue
            if span.start and CLOCK.fullmatch(doc[span.start - 1].text) or text.lower() in self.round_names \
                    or text.lower().startswith("series "):
                continue  # "14:00 KST": a time zone; "Series A": a round
            if ent.label_ == "PERSON":
                if len(span) == 1 and text not in full_names:
                    continue
                if not all(t.text[:1].isupper() for t in span if t.is_alpha):
                    continue
                out.append(Candidate(span.start, span.end, "Person", text, "model:PERSON", 1))
            elif text in full_names:  # "Whitcombe said": the surname of a person named in full
                out.append(Candidate(span.start, span.end, "Person", text, "model:PERSON", 1))
            else:
                out.append(Candidate(span.start, span.end, "Organization", text, "model:ORG", 1))
        return out

    @staticmethod
    def _trim(ent: Span) -> Span | None:
        start, end = ent.start, ent.end
        while start < end and (ent.doc[start].lower_ in {"the", "a", "an"} or ent.doc[start].is_punct
                               or ent.doc[start].is_sent_start and ent.doc[start].is_stop):  # "Meanwhile Acme"
            start += 1
        while end > start and (ent.doc[end - 1].text in {"'s", "’s", "'"} or ent.doc[end - 1].is_punct):
            end -= 1
        return ent.doc[start:end] if end > start else None

    @staticmethod
    def _choose(cands: list[Candidate]) -> list[Candidate]:
        """Non-overlapping candidates, most trusted then longest first."""
        chosen: list[Candidate] = []
        used: set[int] = set()
        for c in sorted(cands, key=lambda c: (-c.priority, -(c.end - c.start), c.start)):
            if used.isdisjoint(range(c.start, c.end)):
                chosen.append(c)
                used.update(range(c.start, c.end))
        return sorted(chosen, key=lambda c: c.start)


@Language.factory("kg_entity_ruler", default_config={"lexicon_dir": None})
def make_entity_ruler(nlp: Language, name: str, lexicon_dir: str | None) -> CryptoEntityRuler:
    return CryptoEntityRuler(nlp, lexicon_dir)


def canonical_of(span: Span) -> tuple[str, str]:
    """(canonical name, source rule) stored on a typed entity span."""
    canonical, _, source = span.id_.partition("\t")
    return canonical or span.text, source or "model"
