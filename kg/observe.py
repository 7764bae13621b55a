"""Metric observations: "Qorix recorded 10,400 daily active addresses" becomes
Observation(Qorix, DailyActiveAddresses, 10400, "addresses", "=").

A number entity is tied to a metric phrase (ontology/metrics.tsv) next to it or in the subject of
the verb that governs it, and to the entity that owns the metric (possessor, subject, or "the
upgrade" resolved to the latest upgrade). Movement verbs give PriceChange ("fell 1.42%") and,
with "to $X", Price.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Iterator

from spacy.tokens import Span, Token

from .extract import ClaimBuilder
from .lexicon import Lexicon, class_closure
from .model import DateValue, Mention, Observation
from .funding import raiser_of_round
from .rules import lemma_of, verb_subjects

NUMERIC = frozenset({"MONEY", "PERCENT", "CARDINAL", "QUANTITY", "TIME"})
WORD_NUMBERS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten".split())}
NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")
#: The number words, all in one pattern ("one" -> "1"): replacing each with digits leaves the others' word
#: boundaries as they were, so one pass equals a pass per word.
NUMBER_WORDS = re.compile(r"\b(" + "|".join(WORD_NUMBERS) + r")\b")
WORDS = re.compile(r"[a-z]+")
NOT_A_FIGURE = re.compile(r"\d\s*x\b|tens of|hundreds of")
MULTIPLIERS = frozenset({"times", "fold", "-fold"})  # "four times the average": a ratio, not the figure
OWNER_OK = frozenset({"Project", "Token", "Stablecoin", "Upgrade", "Product", "Organization", "Agent"})


#: "traded at / near / above $3,405": the prepositions that give a trading verb's price.
PRICE_PREPS = frozenset({"at", "near", "around", "above", "below"})
#: Units of counted things: a percentage is never such a figure ("holders voted 64% against").
COUNTS = frozenset({"holders", "addresses", "tx/s", "gas"})


class MetricTables:
    """The lexicon's number words, built once per pipeline rather than once per article."""

    def __init__(self, lex: Lexicon) -> None:
        self.comparators = sorted(lex.quantity("comparator").items(), key=lambda kv: -len(kv[0]))
        #: (phrase, comparator, "the text before the number ends with the phrase"), compiled once.
        self.comparator_ends = [(p, c, re.compile(rf"(^|\s){re.escape(p)}\s*\W*$")) for p, c in self.comparators]
        self.scales = {k: Decimal(v) for k, v in lex.quantity("scale").items()}
        self.currencies = lex.quantity("currency")
        self.seconds = {k: Decimal(v) for k, v in lex.quantity("duration").items()}
        self.subunits = {k: Decimal(v) for k, v in lex.quantity("subunit").items()}
        self.units = {m.metric: m.unit for m in lex.metrics if m.kind == "noun"}
        self.moves = {p: m.kind for m in lex.metrics if m.kind in {"up", "down"} for p in m.phrases}
        self.price_at = {p for m in lex.metrics if m.kind == "at" for p in m.phrases}
        self.verb_metrics = {p: m.metric for m in lex.metrics if m.kind == "verb" for p in m.phrases}
        self.proxies = {p for m in lex.metrics if m.kind == "proxy" for p in m.phrases}
        self.periods = frozenset(lex.quantity("period"))


class MetricReader:
    def __init__(self, builder: ClaimBuilder, tables: MetricTables) -> None:
        self.b, self.tables = builder, tables
        t = tables
        self.comparators, self.scales, self.currencies, self.units = t.comparators, t.scales, t.currencies, t.units
        self.seconds, self.subunits = t.seconds, t.subunits
        self.moves, self.price_at, self.proxies = t.moves, t.price_at, t.proxies
        self._by_sent: dict[tuple[int, int], list[Span]] | None = None

    def _metrics_in(self, sent: Span) -> list[Span]:
        """The metric phrases whose sentence is `sent`, grouped once per article (`span.sent` walks
        the tokens each time it is asked)."""
        if self._by_sent is None:
            self._by_sent = {}
            for s in self.b.doc.spans.get("kg_metrics", []):
                home = s.sent
                self._by_sent.setdefault((home.start, home.end), []).append(s)
        return self._by_sent.get((sent.start, sent.end), [])

    def parse_value(self, ent: Span) -> tuple[Decimal, str, str] | None:
        """(value, currency or "%", comparator) of a number entity, or None."""
        text = ent.text.lower().replace("\u2009", "")
        if " to " in text and ent.start and ent.doc[ent.start - 1].lower_ == "from":
            text = text.split(" to ", 1)[1]  # "from about 12 seconds to two seconds": where it ends up
        text = NUMBER_WORDS.sub(lambda m: str(WORD_NUMBERS[m.group(1)]), text)
        nxt_word = ent.doc[ent.end].lower_ if ent.end < len(ent.doc) else ""
        unit_word = next((w for w in WORDS.findall(text) + [nxt_word] if w in self.seconds), None)
        if ent.label_ == "TIME" and unit_word is None:
            return None
        m = NUMBER.search(text)
        if not m or NOT_A_FIGURE.search(text) or nxt_word in MULTIPLIERS:
            return None
        try:
            value = Decimal(m.group(0).replace(",", ""))
        except InvalidOperation:
            return None
        rest = text[m.end():].strip()
        word = WORDS.match(rest)
        if word and word.group(0) in self.scales:
            value *= self.scales[word.group(0)]
        elif word and word.group(0) in self.subunits and ent.label_ == "MONEY":
            value *= self.subunits[word.group(0)]  # "one cent"
        if unit_word is not None:
            value *= self.seconds[unit_word]
        before = text[:m.start()] + " " + " ".join(t.lower_ for t in ent.doc[max(ent.sent.start, ent.start - 3):ent.start])
        words, stripped = before.split(), before.strip()
        unit = "s" if unit_word else "%" if ent.label_ == "PERCENT" or "%" in text else next(
            (code for sym, code in self.currencies.items() if sym in words or stripped.endswith(sym)
             or sym in text[:m.start()]), "USD" if ent.label_ == "MONEY" else "")
        comp = "="
        nxt = ent.doc[ent.end] if ent.end < len(ent.doc) else None
        if rest.startswith("+") or text.endswith("+") or (nxt is not None and nxt.text == "+"):
            comp = ">="
        for phrase, c, ends in self.tables.comparator_ends:
            if ends.search(stripped + " ") or text.startswith(phrase + " "):
                comp = c
                break
        return value, unit, comp

    def metric_for(self, ent: Span) -> tuple[Span | None, Token | None]:
        """The metric phrase a number belongs to and the verb governing the number, if any."""
        doc, sent = ent.doc, ent.sent
        verb = ent.root
        for _ in range(5):
            if verb.head.i == verb.i:
                break
            verb = verb.head
            if verb.pos_ in {"VERB", "AUX"}:
                break
        verb = verb if verb.pos_ in {"VERB", "AUX"} else None
        metrics = self._metrics_in(sent)
        after = [s for s in metrics if 0 <= s.start - ent.end <= 3
                 and not any(t.is_punct or t.pos_ in {"VERB", "AUX"} for t in doc[ent.end:s.start])]  # not ", lifting its cap"
        if after:
            return after[0], verb
        of = next((t for t in doc[max(sent.start, ent.start - 3):ent.start] if t.lower_ == "of"), None)
        of_metric = [s for s in metrics if of is not None and s.end == of.i and s.root.head.lower_ != "at"]
        if of_metric:  # "finality of about one second"
            return of_metric[0], verb
        head = ent.root.head
        counted = ent.root.dep_ == "nummod" and head.i >= ent.end and head.pos_ in {"NOUN", "PROPN"} \
            and any(c.dep_ == "det" for c in head.children)
        for s in metrics if not counted else ():  # "across the two chains": a count of chains, not the figure
            if verb is not None and (s.root.head == verb or s.root == verb):
                return s, verb
        return None, verb

    def owner(self, metric: Span | None, verb: Token | None) -> Mention | None:
        b = self.b
        if metric is not None:
            for tok in [metric.root, *metric.root.children]:
                if tok.dep_ in {"poss", "compound"} and tok.i in b.mentions:
                    return b.mentions[tok.i]
                if tok.dep_ == "poss" and b.refer(tok, OWNER_OK) is not None:
                    return b.refer(tok, OWNER_OK)  # "its TVL", "the network's fees"
            preps = [c for t in metric for c in t.children if c.i >= metric.end]  # "addresses on the network"
            for child in preps:
                if child.dep_ == "prep" and child.lower_ in {"on", "of", "in", "for"}:
                    found = [m for p in child.children if p.dep_ == "pobj" for m in b.entities_of(p, False)]
                    if found:
                        return found[0]
        if verb is not None:
            passive = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
            if passive is not None and not any(c.dep_ == "agent" for c in verb.children):
                found = b.entity_of(passive)  # ", while XRP was little changed at $2.71": XRP's
                if found is not None:
                    return found
            subj = verb_subjects(b, verb)
            own = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            metric_led = own is None or metric is not None and metric.start <= own.i < metric.end
            if not subj and verb.dep_ == "conj" and metric_led:  # "Zeta handled 3,800 TPS, and finality is under a second"
                subj = verb_subjects(b, verb.head)
            if subj:
                return subj[0]
            for child in verb.children:
                if child.dep_ in {"nsubj", "nsubjpass"} and child.lemma_.lower() in self.proxies:
                    poss = [c for c in child.children if c.dep_ == "poss" and c.i in b.mentions]
                    if poss:
                        return b.mentions[poss[0].i]
        return None

    def date_of(self, sent: Span) -> DateValue | None:
        for ent in self.b.sent_ents(sent):
            value = self.b.date_of(ent) if ent.label_ == "DATE" else None
            if value is not None and value.datatype != "gYear":
                return value
        return None

    def read(self, sent: Span) -> Iterator[Observation]:
        for ent in self.b.sent_ents(sent):
            if ent.label_ not in NUMERIC:
                continue
            parsed = self.parse_value(ent)
            before = ent.doc[ent.start - 1].lower_ if ent.start else ""
            ranged = before == "from" and " to " in ent.text
            old = before == "from" or ent.root.head.lower_ == "from" and before != "to"
            if parsed is None or old and not ranged:
                continue  # "from 60 million to 90 million": the figure it left
            yield from self._observe(ent, *parsed)

    def _observe(self, ent: Span, value: Decimal, unit: str, comp: str) -> Iterator[Observation]:
        metric, verb = self.metric_for(ent)
        if metric is not None and metric.start > 0 and metric.start - 1 not in self.b.mentions:
            before = ent.doc[metric.start - 1]
            if before.dep_ in {"compound", "amod", "npadvmod"} and before.pos_ in {"NOUN", "PROPN"} \
                    and before.lower_ not in self.tables.periods:
                return
        if metric is not None and unit == "%" and metric.start >= ent.end \
                and any(t.lower_ == "of" for t in ent.doc[ent.end:metric.start]):
            return  # "12% of the supply": a share of the figure, not the figure
        name = metric.label_ if metric is not None else ""
        if unit == "%" and self.units.get(name) in COUNTS:
            return  # "token holders voted 64% against": a share of the holders, not how many there are
        move = self.moves.get(verb.lemma_.lower()) if verb is not None else None
        up_down = ent.root.head.lower_ in self.moves and ent.root.head.pos_ in {"ADV", "ADP"}  # "up 38%"
        if (move or up_down) and unit == "%" and self.units.get(name) not in {None, "", "%"}:
            if name != "Price":
                return  # "its TVL rose 12%": a change of the figure, not the figure
            way = move or self.moves[ent.root.head.lower_]  # "Zeta's price fell 5%": its PriceChange
            name, value = "PriceChange", value if way == "up" else -value
        head = ent.root.head
        mover = verb
        if head.pos_ in {"ADV", "ADP", "ADJ"} and head.lower_ in self.moves:
            move, mover = self.moves[head.lower_], head  # "traded at $3,020, up about 10%"; "slipped to $2, down 9%"
        by_verb = self._verb_metric(ent, verb, unit)
        valued = None
        if by_verb is not None:
            name, valued = by_verb
            if not name:
                return  # "valuing the company at $1 billion": a figure of an object it cannot name
        elif metric is None and unit and unit not in {"%", "s"} and self._traded_at(ent):
            name = "Price"
        elif metric is None and move:
            if unit == "%" and 0 < ent.start - mover.i <= 3:
                name, value = "PriceChange", value if move == "up" else -value
            elif unit and unit != "%" and ent.root.head.lower_ == "to" and ent.root.head.head == verb:
                name = "Price"
        owner = valued or self._own_place(ent) or self.owner(metric, verb)  # "the round values Acme at"
        if not name or owner is None or not (class_closure(owner.label) & OWNER_OK):
            return
        unit = unit or self.units.get(name, "")
        if name == "PriceChange" and comp == "=" and value > 0:
            comp = "="
        yield self._make(owner, name, value, unit, comp, ent)

    def _own_place(self, ent: Span) -> Mention | None:
        """"$420 million on Zeta, against $1.3 billion on Qorix": a figure with its own "on"/"for" name."""
        found = [m for c in ent.root.children if c.dep_ == "prep" and c.lower_ in {"on", "for"} and c.i >= ent.end
                 for p in c.children if p.dep_ == "pobj" for m in self.b.entities_of(p, False)]
        return found[0] if found else None

    def _traded_at(self, ent: Span) -> bool:
        """"traded near $3,405", "traded above $97,000" (the model may take "above" into the figure)."""
        prep = ent[0] if ent[0].lower_ in PRICE_PREPS and ent.root.i == ent.start else ent.root.head
        return prep.lower_ in PRICE_PREPS and prep.head.lemma_.lower() in self.price_at

    def _verb_metric(self, ent: Span, verb: Token | None, unit: str) -> tuple[str, Mention | None] | None:
        """A figure hanging from a verb that names its metric in the figure's unit ("finalises blocks in
        2.4 seconds", "the round values Acme at $400 million"): the metric, and the verb's object if it
        is a name (whose figure it is); ("", None) when the object is a class word naming nobody."""
        if verb is None:
            return None
        phrase = lemma_of(verb)  # "took in $186 million": "take in" names inflows, a bare "take" nothing
        name = self.tables.verb_metrics.get(phrase) \
            or (self.tables.verb_metrics.get(verb.lower_) if phrase == verb.lemma_.lower() else None)
        hang = ent.root.head
        counted = self.b.mentions.get(hang.i) if ent.root.dep_ == "nummod" and hang.head.i == verb.i else None
        if name is not None and counted is not None and class_closure(counted.label) & {"Token", "Stablecoin"}:
            return name, counted  # "minted 2 billion QRX": the token counted
        if name is None or self.units.get(name) != unit \
                or not (hang.i == verb.i or hang.pos_ == "ADP" and hang.head.i == verb.i) \
                or hang.lower_ == "to":  # "raised its price target to $21": what a figure was changed to
            return None
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is None or not (obj.pos_ == "PROPN" or obj.lower_ in self.b.markers):
            return name, None  # "finalises blocks in": the subject's figure
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        raised = raiser_of_round(self.b, subj) if subj is not None else None
        if raised is not None and obj.i not in self.b.mentions:
            return name, raised  # "The round values the company at": who raised the round
        found = self.b.entity_of(obj)  # "values the company at": the firm it stands for
        return (name, found) if found is not None else ("", None)

    def _make(self, owner: Mention, name: str, value: Decimal, unit: str, comp: str, ent: Span) -> Observation:
        b = self.b
        anchor = ent.root.head
        mover = anchor.head.lemma_.lower()
        if anchor.pos_ == "ADP" and (mover in self.moves or mover in self.price_at):
            anchor = anchor.head  # "fees dropped to $0.002", "ended near $3,940": the move states the figure, negates nothing
        scope = b.scope_of(anchor)
        text, start, end = b.evidence(ent.root)
        conf = 0.8 * (0.6 if scope.modality == "hedged" else 1.0)
        return Observation(owner, name, format(value.normalize(), "f"), unit, comp, self.date_of(ent.sent),
                           scope.polarity, scope.modality, round(conf, 3), text, start, end,
                           f"metric:{name}", b.doc_id)
