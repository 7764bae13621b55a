"""The relation rules, each a function of a `ClaimBuilder` and a sentence yielding claims."""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Span, Token

from .extract import HEADLINE_JOINERS, LIGHT_VERBS, SUBJ_DEPS, ClaimBuilder, is_title_case
from .grammar import LIGHT_OBJECTS, MOVED_GOODS, ORG_PARTS, POSSESSIVE, RELATIVE, VERSIONS
from .lexicon import Trigger, class_closure
from .model import Claim, Mention


QUANTITIES = frozenset({"MONEY", "QUANTITY", "CARDINAL", "PERCENT"})
#: What an activity is done on: "supports staking on Zeta", "trading in QRX".
ACTIVITY_PREPS = frozenset({"on", "for", "in"})


def lemma_of(tok: Token) -> str:
    """A verb's lemma with its particle ("roll out"), also when the parse hung the particle on the
    object ("rolled Zeta Pay out")."""
    prt = next((c.lower_ for c in tok.children if c.dep_ == "prt"), "") or next(
        (g.lower_ for c in tok.children if c.dep_ == "dobj" for g in c.children if g.dep_ == "prt"), "")
    lemma = tok.lemma_.lower()
    return f"{lemma} {prt}" if prt else lemma


def _triggers(b: ClaimBuilder, tok: Token, pos: str) -> list[Trigger]:
    light = next((c.lemma_.lower() for c in tok.children if c.dep_ == "dobj" and c.lemma_.lower() in LIGHT_OBJECTS), "")
    found = (light and b.lex.triggers_for(f"{tok.lemma_.lower()} {light}", pos)) \
        or b.lex.triggers_for(lemma_of(tok), pos) or b.lex.triggers_for(tok.lemma_.lower(), pos)  # "added QRX support"
    return [t for t in found if t.predicate != "shipsOn" and t.direction not in {"round", "host", "guest"}]


def verb_subjects(b: ClaimBuilder, verb: Token) -> list[Mention]:
    """Who does it: nsubj, a passive's agent, or the subject of the verb it hangs from."""
    subjects = [c for c in verb.children if c.dep_ in SUBJ_DEPS]
    before = [c for c in subjects if c.i < verb.i]
    for child in ([before[-1]] if len(before) > 1 else []) + list(verb.children):  # nearest of two subjects
        if child.dep_ in SUBJ_DEPS:
            if child.lower_ in RELATIVE and verb.dep_ == "relcl":
                return antecedent(b, verb)
            if child.lower_ in {"it", "they"} and verb.dep_ == "ccomp" and verb.head.i != verb.i:
                return verb_subjects(b, verb.head)  # "Acme said it had acquired Zeta"
            return _clause_subjects(b, child)
        if child.dep_ == "agent":
            return [m for p in child.children if p.dep_ == "pobj" for m in b.entities_of(p)]
    for child in verb.children:
        if child.dep_ == "aux" and child.tag_[:2] == "NN":
            return b.entities_of(child)  # "the Zeta upgrade delivers": a noun misparsed as aux
        if child.dep_ == "compound" and child.i < verb.i and child.i in b.mentions and verb.tag_[:2] == "VB":
            return b.entities_of(child)  # "Zeta charges a fee": the name misparsed as a compound
    if verb.dep_ == "acl" and (verb.head.dep_ == "ROOT" and verb.head.pos_ == "PROPN" or _finite_acl(b, verb)):
        return b.entities_of(verb.head)
    infinitive = verb.dep_ == "relcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    if (verb.dep_ == "acl" or infinitive) and verb.head.dep_ in {"pobj", "dobj", "attr"}:  # "the first bank to use X"
        gov = verb.head.head.head if verb.head.dep_ == "pobj" else verb.head.head
        return verb_subjects(b, gov) if gov.i != verb.i else []
    if verb.dep_ == "ccomp" and any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children):
        return []  # "He said the tokens are held with X": the speaker is not the one who holds them
    if verb.dep_ in {"xcomp", "advcl"} and verb.head.i in b.mentions and verb.head.i < verb.i \
            and verb.head.pos_ == "PROPN" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return b.entities_of(verb.head)  # a headline's "Acme to settle in QRX": the name before "to"
    if verb.dep_ in {"xcomp", "conj", "ccomp", "advcl"} and verb.head.i != verb.i:
        head = verb.head
        if verb.dep_ == "advcl" and verb.tag_ in {"VBG", "VBN"}:
            found = [m for c in head.children if c.dep_ in SUBJ_DEPS for m in b.entities_of(c)]
            # "X opened at $1 and slipped to $0.80, giving it ...": the subject of the clause joined to
            return found or (verb_subjects(b, head) if head.dep_ == "conj" else [])
        passive = any(c.dep_ == "nsubjpass" for c in head.children)
        if passive and verb.dep_ != "conj":
            return [m for c in head.children if c.dep_ == "nsubjpass" for m in b.entities_of(c)]
        return verb_subjects(b, head)
    if verb.dep_ == "ROOT":  # "Among smaller tokens, QRX, ..., tumbled 9%": a name set off in the opening phrase
        named = [t for p in verb.children if p.dep_ == "prep" and p.i < verb.i for t in p.subtree
                 if t.dep_ == "appos" and t.i in b.mentions]
        return b.entities_of(named[0]) if named else _opening_name(b, verb)
    return []


def _opening_name(b: ClaimBuilder, verb: Token) -> list[Mention]:
    """A subjectless main verb whose clause opens with a name outside any prepositional phrase or
    other clause ("Separately, Acme, a Port Zeta startup ..., has raised"): the parse lost the
    subject."""
    if verb.pos_ not in {"VERB", "AUX"}:
        return []  # a headline's noun ("Acme Denies Report It Will Buy X"): no clause to fill
    for tok in verb.sent:
        if tok.i >= verb.i:
            break
        if tok.i in b.mentions and not any(a.pos_ in {"ADP", "VERB", "AUX"} for a in tok.ancestors if a.i != verb.i):
            while tok.dep_ in {"poss", "compound"} and tok.head.i in b.mentions and tok.head.i != verb.i:
                tok = tok.head  # "Qorix's QRX token climbed 18%": the token, not its owner
            return [b.mentions[tok.i]]
    return []


def verb_objects(b: ClaimBuilder, verb: Token, trig: Trigger) -> list[Mention]:
    """What it is done to: dobj, a passive subject, or the object of the trigger's preposition."""
    out: list[Mention] = []
    clause = verb.head if verb.dep_ == "xcomp" and verb.head.dep_ == "relcl" else verb  # "X that Acme plans to launch"
    relative = clause.dep_ == "relcl" and any(c.lower_ in RELATIVE and c.dep_ in {"nsubjpass", "dobj"}
                                              for c in verb.children)
    if relative or verb.dep_ == "relcl" and any(c.lower_ in RELATIVE for p in verb.children if p.dep_ == "prep"
                                                 for c in p.children):
        return antecedent(b, clause)  # "the startup (that) Acme acquired", "a firm Acme partnered with"
    for child in verb.children:
        if child.dep_ == "dobj" and trig.predicate == "partnersWith" and trig.preps:
            continue  # "joined Acme as chief executive": a partner comes after "with"
        if child.dep_ in {"dobj", "nsubjpass", "attr", "dative"} and not _possessor(b, child):
            if trig.predicate == "launches" and _activity(b, child):
                continue  # "will launch ETH staking": a service for the token, not the token
            found = b.entities_of(child)
            if not found and trig.predicate == "adopts" and _activity_noun(child):
                found = _through(b, child, ACTIVITY_PREPS)  # "supports staking on Zeta"
            if not found and trig.predicate in {"investsIn", "acquires"}:
                found = _measured(b, child)  # "bought $25 million of bitcoin"
            if not found and (trig.predicate in {"includes", "adopts", "endorses"}
                              or trig.predicate == "launches" and child.lemma_.lower() in VERSIONS):
                found = _complement(b, child)  # "includes support for RIP-7212", "released version 2.0 of Zeta"
            out.extend(found)
        elif child.dep_ == "prep" and child.lower_ in trig.preps:
            out.extend(m for p in child.children if p.dep_ == "pobj" for m in b.entities_of(p))
        elif trig.predicate == "adopts" and child.dep_ in {"xcomp", "acl"} and child.i == verb.i + 1 \
                and _activity_noun(child):
            out.extend(_through(b, child, ACTIVITY_PREPS))  # "supports staking on Zeta", parsed as a verb
    if not out:  # "the upgrade also adds EIP-7702": a name after the verb misparsed as an adverbial
        out.extend(m for c in verb.rights if c.dep_ in {"advmod", "npadvmod"} and c.i in b.mentions
                   for m in b.entities_of(c))
    if not out and verb.dep_ == "acl" and verb.tag_ == "VBN":
        out.extend(antecedent(b, verb))  # "Qorix, a network backed by Acme": Qorix
    if not out and verb.dep_ == "xcomp" and any(c.dep_ == "auxpass" for c in verb.children):
        out.extend(m for c in verb.head.children if c.dep_ in SUBJ_DEPS for m in b.entities_of(c))  # "X agreed to be acquired"
    return out


def _activity(b: ClaimBuilder, noun: Token) -> bool:
    """"ETH staking", "bitcoin lending": an activity noun that a name only modifies (also when the
    parser made the name the object and hung the activity after it: "launch ETH and SOL staking")."""
    if noun.i not in b.mentions:
        return _activity_noun(noun) and any(c.dep_ in {"compound", "nmod", "amod"} and c.i in b.mentions
                                            for c in noun.children)
    after = noun.right_edge.i + 1
    nxt = b.doc[after] if after < noun.sent.end else None
    return nxt is not None and _activity_noun(nxt) and nxt.i not in b.mentions \
        and not any(c.dep_ == "dobj" for c in nxt.children)


def _activity_noun(tok: Token) -> bool:
    """"staking", "trading": a lowercase -ing word tagged as a noun or a gerund."""
    return tok.lower_.endswith("ing") and tok.is_lower and tok.tag_ in {"NN", "VBG"}


def _moves_goods(b: ClaimBuilder, verb: Token) -> bool:
    """The verb moves money, tokens or offices somewhere: its object is a quantity, a token or such a noun."""
    def goods(c: Token) -> bool:
        token = c.i in b.mentions and bool(class_closure(b.mentions[c.i].label) & {"Token", "Stablecoin"})
        return c.like_num or c.ent_type_ in QUANTITIES or c.lemma_.lower() in MOVED_GOODS or token
    return any(c.dep_ == "dobj" and goods(c) for c in verb.children)


def _through(b: ClaimBuilder, tok: Token, preps: frozenset[str]) -> list[Mention]:
    """Entities that are the objects of `tok`'s prepositions among `preps`."""
    return [m for p in tok.children if p.dep_ == "prep" and p.lower_ in preps
            for o in p.children if o.dep_ == "pobj" for m in b.entities_of(o)]


def _complement(b: ClaimBuilder, tok: Token) -> list[Mention]:
    """What a light noun object carries: "includes support for RIP-7212"."""
    if tok.lemma_.lower() not in LIGHT_OBJECTS:
        return []
    preps = frozenset({"for", "of"})  # "version 2.0 of Zeta": the parser may hang "of" on the number
    return _through(b, tok, preps) or [m for c in tok.children if c.dep_ == "nummod" for m in _through(b, c, preps)]


def _measured(b: ClaimBuilder, tok: Token) -> list[Mention]:
    """What a quantity object measures: "bought $25 million of bitcoin", "1,000 worth of ZK"."""
    quantity = tok.like_num or tok.ent_type_ in QUANTITIES or tok.lower_ == "worth"
    return _through(b, tok, frozenset({"of"})) if quantity else []


def antecedent(b: ClaimBuilder, verb: Token) -> list[Mention]:
    """What a relative clause is about: "X, a provider that ..." is X, not the provider's modifiers;
    "A and Zeta, a firm that ..." is Zeta alone, the name right before the apposition."""
    head = verb.head
    while head.dep_ == "acl" and head.i not in b.mentions and head.head.i != head.i:
        head = head.head  # "X, a deposit token issued by": "token" misparsed as a participle
    described = _described_by(b, head, verb)
    if described is not None:
        return [described]
    if head.dep_ == "appos" and head.tag_ in {"NN", "NNP"}:
        named = [t for t in (head.head, *head.head.conjuncts) if t.i < head.i and t.i in b.mentions]
        if named:
            return b.entities_of(max(named, key=lambda t: t.i), coordinated=False)
    if head.dep_ == "appos" and head.head.i in b.mentions:
        head = head.head  # "A and B, firms that ...": both
    return b.entities_of(head)


def _described_by(b: ClaimBuilder, head: Token, verb: Token) -> Mention | None:
    """"QRX, the token of the network Zeta, which jumped 14%", "Jane Roe, head of research at Acme,
    who has recommended X": the clause after the apposition's closing comma is about the name the
    apposition describes, not about a name inside it."""
    if verb.left_edge.i < 1 or b.doc[verb.left_edge.i - 1].text != ",":
        return None
    word = head
    for _ in range(4):  # up from "Zeta" / "Acme" through "of" / "at" to the apposition's noun
        if word.dep_ == "appos" or word.dep_ not in {"pobj", "prep"}:
            break
        word = word.head
    described = b.mentions.get(word.head.i) if word.dep_ == "appos" and word.i != head.i else None
    if described is None:
        return None
    if any(c.lower_ == "who" for c in verb.children):
        inside = b.mentions.get(head.i)
        return described if described.label == "Person" and (inside is None or inside.label != "Person") else None
    cls = b.class_word(word)
    return described if cls in class_closure(described.label) and cls != "Person" else None  # "which": no person


def _clause_subjects(b: ClaimBuilder, subj: Token) -> list[Mention]:
    """"X partnered with Y ..., and Z adopted W": a subject whose misparsed own clause (X partnered)
    comes first leaves the later verb to the conjunct after that clause (Z)."""
    acl = next((c for c in subj.children if _finite_acl(b, c)), None)
    later = [c for c in subj.conjuncts if acl is not None and c.i > acl.i]
    if later:
        return [m for c in later for m in b.entities_of(c, coordinated=False)]
    return b.entities_of(subj) or _members_of(b, subj) or _part_of(b, subj)


def _part_of(b: ClaimBuilder, subj: Token) -> list[Mention]:
    """"its corporate treasury unit", "Acme's venture arm": the firm a part of it belongs to."""
    if subj.lemma_.lower() not in ORG_PARTS:
        return []
    owner = next((c for c in subj.children if c.dep_ == "poss"), None)
    found = b.refer(owner, frozenset({"Organization"})) if owner is not None else None
    return [found] if found is not None else []


def _members_of(b: ClaimBuilder, subj: Token) -> list[Mention]:
    """"delegates from Acme supported X", "engineers at Zeta backed it": people of an organisation
    act for it."""
    if subj.tag_ != "NNS" or subj.lower_ in b.markers:
        return []
    found = [m for c in subj.children if c.dep_ == "prep" and c.lower_ in {"from", "at"}
             for p in c.children if p.dep_ == "pobj" for m in b.entities_of(p)]
    return [m for m in found if "Organization" in class_closure(m.label)]


def _finite_acl(b: ClaimBuilder, verb: Token) -> bool:
    """"Acme partnered with X": a past tense right after a name, misparsed as a participle."""
    span = b.spans.get(verb.head.i)
    return verb.dep_ == "acl" and span is not None and span.end == verb.i and not verb.is_sent_start


def _possessor(b: ClaimBuilder, tok: Token) -> bool:
    """A name followed by a possessive mark owns the next noun phrase: not an object itself."""
    span = b.spans.get(tok.i)
    end = span.end if span is not None else tok.i + 1
    return end + 1 < len(b.doc) and b.doc[end].text in POSSESSIVE and b.doc[end + 1].pos_ in {"PROPN", "NOUN", "ADJ"}


def _own(b: ClaimBuilder, thing: Mention, owner: Mention) -> bool:
    entry = b.lex.entry(thing.canonical)
    return entry is not None and entry.parent == owner.canonical


def _emit(b: ClaimBuilder, trig: Trigger, subjects: list[Mention], objects: list[Mention], tok: Token,
          rule: str) -> Iterator[Claim]:
    if trig.direction in {"reverse", "passive"}:
        subjects, objects = objects, subjects
        sub_role, obj_role = "object", "subject"
    else:
        sub_role, obj_role = "subject", "object"
    for s in subjects:
        for o in objects:
            if trig.predicate == "adopts" and _own(b, o, s):
                continue  # "Acme pilots its ACM token": using one's own product is no adoption
            if trig.allows(sub_role, s.label) and trig.allows(obj_role, o.label):
                c = b.claim(s, trig.predicate, o, tok, rule, trig.confidence)
                if c:
                    yield c
                if c and c.predicate == "launches" and c.polarity == "positive" and _branded(s, o):
                    own = b.claim(o, "productOf", s, tok, f"{rule}+brand", trig.confidence, scoped=False)
                    yield from [own] if own else []


def _branded(maker: Mention, thing: Mention) -> bool:
    """"Acme launched Acme Perps", "Zeta Bank rolled out Zeta Settle": a product named after
    the firm that launches it (its first word) is its product."""
    words = thing.canonical.split()
    return "Product" in class_closure(thing.label) and len(words) > 1 and words[0] == maker.canonical.split()[0]


def verb_rule(b: ClaimBuilder, sent: Span) -> Iterator[Claim]:
    for tok in b.trigger_tokens(sent, "VERB"):
        if tok.pos_ not in {"VERB", "AUX"} and tok.tag_[:2] != "VB":
            continue
        for trig in _triggers(b, tok, "VERB"):
            if trig.predicate == "adopts" and trig.preps & {"to", "onto"} and _moves_goods(b, tok):
                continue  # "moved 10,000 QRX to Zeta": a transfer, not an adoption
            subjects, objects = verb_subjects(b, tok), verb_objects(b, tok, trig)
            if not subjects and trig.predicate == "includes":
                subjects = _topic(b, tok, trig)
            passive_agent = any(c.dep_ == "agent" for c in tok.children)
            if trig.direction == "passive" and not passive_agent:
                continue
            if tok.dep_ == "acl" and tok.tag_ == "VBN" and not passive_agent and tok.head.dep_ != "ROOT" \
                    and not _finite_acl(b, tok):
                continue
            if trig.predicate == "partnersWith" and not objects and len(subjects) >= 2 \
                    and not any(c.dep_ == "dobj" for c in tok.children):  # not "A and B joined the round"
                subjects, objects = subjects[:1], subjects[1:]
            claims = list(_emit(b, trig, subjects, objects, tok, f"verb:{trig.lemma}"))
            if claims:
                yield from claims
                break


def _topic(b: ClaimBuilder, tok: Token, trig: Trigger) -> list[Mention]:
    """"Notable features include X": the upgrade or product the passage is about."""
    subj = next((c for c in tok.children if c.dep_ in SUBJ_DEPS), None)
    if subj is None or subj.i in b.mentions or subj.pos_ != "NOUN":
        return []
    floor = b.doc[max(0, tok.sent.start - 1)].sent.start
    for i in range(tok.i - 1, floor - 1, -1):
        m = b.mentions.get(i)
        if m and trig.allows("subject", m.label) and m.label in {"Upgrade", "Product"}:
            return [m]
    return []


def noun_subjects(b: ClaimBuilder, noun: Token) -> list[Mention]:
    for child in noun.children:
        if child.dep_ == "poss" and child.pos_ != "PRON":
            return b.entities_of(child)
        if child.dep_ == "prep" and child.lower_ in {"by", "from"}:
            return [m for p in child.children if p.dep_ == "pobj" for m in b.entities_of(p)]
    head = noun.head
    own = any(c.dep_ == "poss" and c.pos_ == "PRON" for c in noun.children)  # "threw his support behind X"
    if noun.dep_ in {"dobj", "pobj"} and (head.lemma_.lower() in LIGHT_VERBS | {"of"} or own and noun.dep_ == "dobj"):
        verb = head if head.pos_ in {"VERB", "AUX"} else head.head
        return verb_subjects(b, verb)
    if noun.dep_ == "conj":  # "announced a partnership with X and the launch of Y": the announcer's
        verb = next((a for a in noun.ancestors if a.pos_ in {"VERB", "AUX"}), None)
        return verb_subjects(b, verb) if verb is not None and verb.lemma_.lower() in LIGHT_VERBS else []
    return []


def noun_rule(b: ClaimBuilder, sent: Span) -> Iterator[Claim]:
    for tok in b.trigger_tokens(sent, "NOUN"):
        if tok.pos_ not in {"NOUN", "PROPN"}:
            continue
        for trig in _triggers(b, tok, "NOUN"):
            between = [m for c in tok.children if c.dep_ == "prep" and c.lower_ == "between"
                       for p in c.children if p.dep_ == "pobj" for m in b.entities_of(p)]
            if len(between) >= 2 and trig.predicate == "partnersWith":
                claims = list(_emit(b, trig, between[:1], between[1:], tok, f"noun:{trig.lemma}"))
            else:
                objects, subjects = _noun_objects(b, tok, trig), noun_subjects(b, tok)
                if trig.predicate == "partnersWith" and not objects and len(subjects) >= 2:
                    subjects, objects = subjects[:1], subjects[1:]  # "A and B agreed a partnership"
                claims = list(_emit(b, trig, subjects, objects, tok, f"noun:{trig.lemma}"))
            if claims:
                yield from claims
                break


def _noun_objects(b: ClaimBuilder, noun: Token, trig: Trigger) -> list[Mention]:
    """"partnership with X"; or, when the parser hangs the preposition on the verb, "threw its
    support behind X"."""
    preps = [c for c in noun.children if c.dep_ == "prep" and c.lower_ in trig.preps]
    if not preps and noun.dep_ == "dobj":
        preps = [c for c in noun.head.children if c.dep_ == "prep" and c.lower_ in trig.preps and c.i > noun.i]
    return [m for c in preps for p in _prep_objects(b, c) for m in b.entities_of(p)]


def _prep_objects(b: ClaimBuilder, prep: Token) -> list[Token]:
    """The objects of a preposition; a lone name below it when the parse gave it no object
    ("a position in ether", "ether" misread as a modifier)."""
    found = [p for p in prep.children if p.dep_ == "pobj"]
    return found or [p for p in prep.children if p.i > prep.i and p.i in b.mentions][:1]


def is_headline(sent: Span) -> bool:
    return is_title_case(sent)


def headline_rule(b: ClaimBuilder, sent: Span) -> Iterator[Claim]:
    """NAME Verb [prep] NAME in a Title Case headline: "Stripe Acquires Bridge"."""
    if not is_headline(sent):
        return
    ents = sorted({b.spans[i] for i in range(sent.start, sent.end) if i in b.spans}, key=lambda s: s.start)
    for left, right in zip(ents, ents[1:]):
        gap = b.doc[left.end:right.start]
        if not 1 <= len(gap) <= 2 or (len(gap) == 2 and gap[1].lower_ not in HEADLINE_JOINERS):
            continue
        word = gap[0].lower_
        for lemma in (word, word[:-1], word[:-2], word[:-3] + "y" if word.endswith("ies") else word):
            trigs = [t for t in b.lex.triggers_for(lemma, "VERB") if t.predicate != "shipsOn"]
            claims = next((found for t in trigs if (found := list(_emit(
                b, t, [b.mentions[left.start]], [b.mentions[right.start]], gap[0], "headline")))), [])
            if claims:
                yield from claims
                break
