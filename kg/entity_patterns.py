"""Name patterns by apposition and naming, mixed into the entity ruler (kg/entities.py):
"Spindl, an advertising startup", "for Zephyr, Acme's bond platform", "FooChain's next upgrade, Zeta",
"a euro stablecoin called QRX"."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from spacy.attrs import DEP, LEMMA, LOWER, ORTH
from spacy.tokens import Doc, Span, Token

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


#: Separators between the authors of a byline: "Jane Roe and John Doe", "Jane Roe, John Doe & Ann Lee".
AUTHORS = re.compile(r"\s*(?:,|&|\band\b)\s*")


#: `Doc.user_data` keys of the memoised article text (`Doc.text` joins every token on each call),
#: lowercase words and words: all follow from the text alone, so no later annotation makes them stale.
TEXT_KEY, LOWER_KEY, WORDS_KEY = "kg_text", "kg_lower", "kg_words"


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once per Doc: the rules read it for every candidate and claim."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def doc_lowers(doc: Doc) -> list[str]:
    """Every token's `lower_`, read once per Doc from the LOWER column: the pattern loops test each
    word against the markers, and a `Token` object per word and loop is what cost."""
    lowers = doc.user_data.get(LOWER_KEY)
    if lowers is None:
        lowers = doc.user_data[LOWER_KEY] = _column(doc, LOWER, str)
    return lowers


def doc_words(doc: Doc) -> list[str]:
    """Every token's `text`, read once per Doc from the ORTH column."""
    words = doc.user_data.get(WORDS_KEY)
    if words is None:
        words = doc.user_data[WORDS_KEY] = _column(doc, ORTH, str)
    return words


def lemma_lowers(doc: Doc) -> list[str]:
    """Every token's `lemma_.lower()` from the LEMMA column, read afresh (a later component may
    set lemmas)."""
    return _column(doc, LEMMA, str.lower)


def _column(doc: Doc, attr: int, form: Callable[[str], str]) -> list[str]:
    """`form` of a string attribute of every token, each distinct value looked up once."""
    hashes = doc.to_array(attr).tolist()
    strings = doc.vocab.strings
    table = {h: form(strings[h]) for h in set(hashes)}
    return [table[h] for h in hashes]


def _occurrences(text: str, name: str) -> int:
    r"""How often `name` occurs as whole words ("Euro" is not in "European"): the matches of
    `(?<!\w)NAME(?!\w)`, found with `str.find` (a regex per name cost a compile and a full scan)."""
    if not name:
        return len(re.findall(r"(?<!\w)(?!\w)", text))
    count, size = 0, len(name)
    at = text.find(name)
    while at >= 0:
        end = at + size
        if (at == 0 or not _word_char(text[at - 1])) and (end == len(text) or not _word_char(text[end])):
            count += 1
            at = text.find(name, end)
        else:
            at = text.find(name, at + 1)
    return count


#: Class words a person can bear too: "investor Jane Roe" is no firm, "investor Acme Capital" is.
ROLES = frozenset({"investor", "maker", "operator", "broker", "publisher", "issuer", "custodian", "provider", "lender"})
#: Words that make a description definite: "the firm, X", "his firm, X".
OWNING = frozenset({"the", "its", "his", "her", "their", "our"})


def _titles(word: Token, name: Span) -> bool:
    """The class word is the name's title: its compound, or the name hangs on it unpunctuated
    ("the rollup Qorix": appos), or the name leads a clause the parse hung on it ("exchange Acme
    listed X": ccomp; "the rollup Qorix rolled out its upgrade": relcl with its own object), but not
    a relative clause with a gap ("a platform Acme built")."""
    root = name.root
    if word.dep_ in {"compound", "amod"} and name.start <= word.head.i < name.end:
        return True
    if word.pos_ == "VERB" and root.dep_ == "dobj" and root.head.i == word.i:
        return True  # the class word misparsed as a verb of which the name is the object
    if root.dep_ == "appos" and root.head.i == word.i:
        return True
    if word.i + 1 == name.start and name.end < len(name.doc) and name.doc[name.end].text in {",", ";", ")"} \
            and word.is_lower:
        return True  # "the lending protocol Qorix, on Thursday": the name set off, whatever the parse made of it
    verb = root.head
    if root.dep_ != "nsubj" or verb.head.i != word.i:
        return False
    return verb.dep_ in {"ccomp", "conj"} or verb.dep_ == "relcl" and any(c.dep_ == "dobj" for c in verb.children)


#: "Name (TICKER)": one to four capitalised words, then an all-caps ticker in parentheses.
TICKERED = re.compile(r"(?<![\w$])(?P<name>[A-Z][\w.-]*(?: (?:(?:of|do|de|da|and|for|the) )?[A-Z][\w.-]*){0,4})"
                      r" \(\$?(?P<ticker>[A-Z][A-Z0-9]{1,7})\)")


def _abbreviates(ticker: str, name: str) -> bool:
    """"Financial Services Agency (FSA)", "Bank of Japan (BOJ)": the initials, not a ticker."""
    words = re.findall(r"[A-Za-z]+", name)
    caps = "".join(w[0] for w in words if w[0].isupper())
    every = "".join(w[0] for w in words).upper()
    return ticker in {caps, every} or len(words) > 1 and (ticker.startswith(caps) or caps.startswith(ticker))


def _fronted(tok: Token) -> bool:
    """`tok` lies in a prepositional phrase that opens its sentence ("In a filing with the regulator,")."""
    top = tok
    while top.dep_ in {"pobj", "prep", "pcomp"} and top.head.i != top.i:
        top = top.head
        if top.dep_ == "prep" and top.left_edge.i == tok.sent.start:
            return True
    return False


def _misparsed(tok: Token) -> bool:
    """A class word tagged as a past verb it has no past form of: "lending startup X", "a deposit
    token issued by"."""
    if not (tok.lemma_ == tok.lower_ and tok.is_lower):
        return False
    after_noun = tok.i > 0 and tok.doc[tok.i - 1].pos_ in {"NOUN", "ADJ", "PROPN"}  # "yen stablecoin X", not "to fund X"
    return tok.tag_ in {"VBD", "VBN"} or tok.tag_ == "VB" and after_noun


def _camel(text: str) -> bool:
    """"QorixDA", "zkQorix": a capital inside a word marks a name whatever its tag."""
    return any(c.isupper() for c in text[1:]) and not text.isupper()


def _word_char(ch: str) -> bool:
    r"""What `\w` matches in a str pattern: alphanumeric (str.isalnum) or the underscore."""
    return ch.isalnum() or ch == "_"


class AppositionPatterns:
    """Candidates from appositions; needs `markers`, `is_concept` and `_name_token` from the ruler."""

    def _credits(self, doc: Doc) -> list[Candidate]:
        """The people named in a byline or a wire credit line are persons, and so is the article's
        author where the text names them ("Jane Roe is Acme News's markets correspondent")."""
        text = doc_text(doc)
        spans = [(m.start(1), m.end(1)) for m in CREDIT.finditer(text)]
        headline = text.split("\n", 1)[0]
        for name in AUTHORS.split(str(doc.user_data.get("author") or "")):
            # a byline name the headline names is the article's subject (a press release's issuer)
            if len(name.split()) >= 2 and name[:1].isupper() and name not in headline:
                spans.extend((m.start(), m.end()) for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text))
        out = []
        for start, end in spans:
            span = doc.char_span(start, end)
            if span is not None and not self.is_concept(span.text):
                out.append(Candidate(span.start, span.end, "Person", span.text, "pattern:byline", 3))
        return out

    def _called(self, doc: Doc) -> list[Candidate]:
        """A name introduced by a naming participle after a marker: "a euro stablecoin called QRX"."""
        out = []
        lowers, lemmas = doc_lowers(doc), lemma_lowers(doc)
        for i in range(len(doc) - 2):
            marker = self.markers.get(lowers[i]) or self.markers.get(lemmas[i])
            if marker is None or lemmas[i + 1] not in NAMING:
                continue
            tok, nxt = doc[i], doc[i + 1]
            if tok.pos_ != "NOUN" or nxt.tag_ != "VBN":
                continue
            end = tok.i + 2
            while end < len(doc) and end - tok.i < 5 and self._name_token(doc[end]):
                end += 1
            name = doc[tok.i + 2:end]
            if len(name) and not self.is_concept(name.text):
                out.append(Candidate(name.start, name.end, marker.cls, name.text, f"pattern:called-{marker.word}", 3))
        return out

    def _marker_at(self, doc: Doc, i: int):  # noqa: ANN202 - Marker | None
        """The marker a class word at `i` makes, read with the word before it when the two are a
        marker of their own ("grocery chain" is a company, "chain" a network)."""
        two = self.markers.get(f"{doc[i - 1].lower_} {doc[i].lower_}") if i > 0 else None
        return two or self.markers.get(doc[i].lower_)

    def _appositives(self, doc: Doc) -> list[Candidate]:
        """A capitalised name described by an appositive: "Spindl, an advertising startup"."""
        out = []
        deps = _column(doc, DEP, str)
        for i in range(len(doc)):
            if deps[i] != "appos":
                continue
            tok = doc[i]
            if tok.pos_ == "PROPN" and tok.head.i < tok.i and tok.head.pos_ == "NOUN" and tok.head.head.lower_ != "of":
                name_head, desc = tok, tok.head  # "Acme's native token, QRX": the name is the apposition
            elif tok.pos_ == "NOUN" or tok.lower_ in self.markers:
                name_head, desc = (tok.head, tok) if tok.head.i < tok.i else (tok, tok.head)
            else:
                continue
            if desc.i < name_head.i and _fronted(desc):
                continue  # "Since the launch of a new token, Acme, ...": Acme starts the clause
            marker = self._marker_at(doc, desc.i) or self.markers.get(desc.lemma_.lower())
            titled_noun = name_head.pos_ == "NOUN" and not name_head.is_sent_start  # "Acme Derivatives" (NNS)
            # "Bramble, the mobile wallet built by Acme, supports Zeta": a subject tagged as an adjective
            subject = name_head.dep_ in {"nsubj", "nsubjpass"} and name_head.pos_ in {"ADJ", "NOUN"} \
                and desc.i > name_head.i and any(c.dep_ == "det" for c in desc.children)
            titled_noun = titled_noun or subject
            if marker is None or not name_head.text[:1].isupper() or name_head.pos_ != "PROPN" and not titled_noun:
                continue
            start = name_head.i
            while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].text[:1].isupper() \
                    and not doc[start - 1].is_stop:  # "Meanwhile Acme, a provider": Acme
                start -= 1
            name = doc[start:name_head.i + 1]
            if not any(t.text in {",", "(", "\u2014", "\u2013"} for t in doc[min(name.end, desc.i):max(name.end, desc.i)]):
                continue  # an apposition is set off by punctuation; headlines misparse without it
            if not self.is_concept(name.text) and (not name[0].is_sent_start or name[0].tag_ in NAME_TAGS or subject):
                prio = 4 if len(name) > 1 else 3  # "Acme Mint, a service": beats a lexicon "Acme"
                out.append(Candidate(start, name_head.i + 1, marker.cls, name.text, f"pattern:appos-{marker.word}", prio))
        return out

    def _surface_appositives(self, doc: Doc) -> list[Candidate]:
        """The same by word order when the parse misses it: "for Zephyr, Acme's digital bond platform"."""
        out = []
        lowers = doc_lowers(doc)
        for at in range(len(doc)):
            marker = self.markers.get(lowers[at]) and self._marker_at(doc, at)
            if marker is None:
                continue
            tok = doc[at]
            closing = tok.i + 1 < len(doc) and doc[tok.i + 1].text in {",", ".", ")", ";"}
            defining = tok.is_lower and tok.i + 1 < len(doc) and lowers[tok.i + 1] == "of"  # "the governance token of Zeta"
            if marker is None or not (tok.pos_ == "NOUN" or (closing or defining) and tok.is_lower or _misparsed(tok)) \
                    or tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "NOUN":
                continue
            if tok.dep_ in {"nsubj", "nsubjpass"} or tok.i + 1 < len(doc) and doc[tok.i + 1].text in POSSESSIVE_S:
                continue  # "..., the company is based in X" / "X, the firm's chief executive"
            i = tok.i - 1
            while i > 0 and (doc[i].tag_ in DESCRIPTIVE_TAGS or doc[i].lower_ in self.markers) \
                    and not doc[i].text[:1].isupper() or i > 1 and doc[i].ent_type_ in {"GPE", "NORP"}:
                i -= 1  # "Acme, a Port Zeta startup"
            if doc[i].text in POSSESSIVE_S:
                i -= 1
                while i > 0 and doc[i].text[:1].isupper() and doc[i].is_alpha:
                    i -= 1
            i -= doc[i].lower_ in OWNING or doc[i].lower_ in {"a", "an"} \
                or doc[i].lower_ == "the" and defining  # "QRX, our token"; "QRX, the governance token of Zeta"
            if doc[i].text != "," or i < 1:
                continue
            end = start = i
            while start > 0 and end - start < 3 and (doc[start - 1].tag_ in NAME_TAGS or _camel(doc[start - 1].text)) \
                    and doc[start - 1].is_alpha:
                start -= 1
                if start > 1 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_:
                    start -= 2  # "Acme-PRO": one hyphenated name
            name = doc[start:end]
            if start < end and not self.is_concept(name.text) and (not name[0].is_sent_start or name.text.isupper()
                                                                    or _occurrences(doc_text(doc), name.text) >= 2):
                out.append(Candidate(start, end, marker.cls, name.text, f"pattern:appos-{marker.word}", 3))
        return out

    def _titled(self, doc: Doc) -> list[Candidate]:
        """A name after its lowercase class word, which the parse makes its compound: "crypto exchange
        Acme", "asset manager Zeta", "the privacy rollup Qorix" ("a platform Acme built" is no
        compound: a clause)."""
        out = []
        lowers = doc_lowers(doc)
        for i in range(len(doc) - 1):
            two = f"{lowers[i - 1]} {lowers[i]}" if i else ""
            marker = self.markers.get(two) or self.markers.get(lowers[i])
            tok = doc[i]
            noun_like = tok.pos_ in {"NOUN", "PROPN"} or _misparsed(tok) or tok.dep_ == "amod" and tok.is_lower
            if marker is None or not noun_like or not (tok.is_lower or tok.is_sent_start):
                continue
            end = i + 1
            while end < len(doc) and end - i <= 3 and self._name_token(doc[end]) \
                    and (lowers[end] not in self.markers or end > i + 1 and doc[end].text[:1].isupper()):
                end += 1  # "crypto exchange Acme Coin": a capitalised class word inside the name is part of it
            name = doc[i + 1:end]
            person = marker.word in ROLES and len(name) > 1 and all(t.ent_type_ == "PERSON" for t in name)
            if len(name) and not person and _titles(tok, name) and not self.is_concept(name.text):
                prio = 4 if len(name) > 1 else 3  # "crypto exchange Acme Coin": beats "Acme Coin" as a coin
                out.append(Candidate(name.start, name.end, marker.cls, name.text, f"pattern:title-{marker.word}", prio))
        return out

    def _examples(self, doc: Doc) -> list[Candidate]:
        """Names given as examples of a plural class word: "lenders, including Acme Sparebank and
        Zeta Bank", "exchanges such as Qorix"."""
        out = []
        lowers, lemmas = doc_lowers(doc), lemma_lowers(doc)
        for i in range(1, len(doc) - 1):
            width = 2 if lowers[i] == "such" and lowers[i + 1] == "as" else 1 if lowers[i] == "including" else 0
            if not width:
                continue
            k = i - 1 - (lowers[i - 1] == ",")
            marker = self.markers.get(lemmas[k]) if k >= 0 and doc[k].tag_ in {"NNS", "NNPS"} else None
            if marker is None or not (doc[k].is_lower or doc[k].is_sent_start):
                continue
            j = i + width
            while j < len(doc) and len(out) < 50:
                end = j
                while end < len(doc) and end - j < 4 and self._name_token(doc[end]) and lowers[end] not in self.markers:
                    end += 1
                if end == j:
                    break
                after = lowers[end] if end < len(doc) else ""
                place = after in {"'s", "\u2019s", "-"}  # "such as Zetaland's Acme", "Port Zeta-based X"
                if not place and not self.is_concept(doc[j:end].text):
                    out.append(Candidate(j, end, marker.cls, doc[j:end].text, f"pattern:example-{marker.word}", 3))
                j = end + (end < len(doc) and lowers[end] == ",")
                j += j < len(doc) and lowers[j] in {"and", "or"}
        return out

    def _tickered(self, doc: Doc) -> list[Candidate]:
        """"Qorix (QRX)": a ticker in parentheses after a name that it does not abbreviate names a
        token, and the name before it is that token (both mentions share the ticker as canonical)."""
        out = []
        for m in TICKERED.finditer(doc_text(doc)):
            name, ticker = doc.char_span(m.start("name"), m.end("name")), m.group("ticker")
            if name is not None:  # "... SOL. The Central Bank of Bahrain (CBB)": this sentence only
                cut = [t.i - name.start + t.is_punct for t in name if t.is_sent_start or t.is_punct]
                name = name[max(cut, default=0):]
            while name is not None and len(name) > 1 and (name[0].is_stop or name[0].ent_type_ == "DATE"):
                name = name[1:]  # "On Friday Qorix (QRX)": Qorix
            if name is None or len(name.text) < 2 or _abbreviates(ticker, name.text) or self.is_concept(ticker):
                continue
            entry = self.known(name.text)
            if entry is not None and not {"Token", "Stablecoin"} & set(entry.classes):
                continue  # "Acme (ACME)": a listed company's stock
            last = name[-1].lower_
            if last in self.markers and self.markers[last].cls != "Token":
                continue  # "Acme Labs (ACME)", "Zeta Development Corp (ZDC)": a firm's stock or short name
            ticker_span = doc.char_span(m.start("ticker"), m.end("ticker"))
            for span in (name, ticker_span):
                if span is not None and not self.is_concept(span.text):
                    out.append(Candidate(span.start, span.end, "Token", ticker, "pattern:ticker-in-parens", 3))
        return out

    def _named_after(self, doc: Doc) -> list[Candidate]:
        """A name set off after its description: "FooChain's next upgrade, Zeta, is due"."""
        out = []
        lowers = doc_lowers(doc)
        for i in range(len(doc) - 3):
            marker = self.markers.get(lowers[i])
            if marker is None:
                continue
            tok = doc[i]
            if tok.pos_ not in {"NOUN", "ADJ"} and not _misparsed(tok) or doc[tok.i + 1].text != ",":
                continue
            if not any(t.text in POSSESSIVE_S or t.lower_ in OWNING | {"a", "an"} for t in doc[max(0, tok.i - 5):tok.i]):
                continue
            if _fronted(tok):
                continue  # "Since the launch of a new token, Acme, ...": Acme starts the clause
            if tok.head.lower_ == "of" and tok.head.head.pos_ == "NOUN":
                continue  # "Acme's head of stablecoin markets, Jane Roe": a title's field, not the name's class
            end = tok.i + 2
            while end < len(doc) and end - tok.i < 5 and doc[end].tag_ in NAME_TAGS and doc[end].is_alpha:
                end += 1
            name = doc[tok.i + 2:end]
            if len(name) and end < len(doc) and doc[end].text in {",", "(", "\u2014"} and not self.is_concept(name.text):
                out.append(Candidate(name.start, name.end, marker.cls, name.text, f"pattern:appos-{marker.word}", 3))
        return out

