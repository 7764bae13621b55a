"""One canonical entity per real thing across all articles.

Keys, in order of trust: the lexicon (label, alias, ticker, "alias + marker" such as "Nova
upgrade"), then the cleaned surface form case-folded (no leading "the", no "'s", no "$"), then a
person's surname folded into the one full name that ends with it. Each merge is noted.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable

from .lexicon import Lexicon
from .model import ArticleResult, Entity, Mention

TOKEN_CLASSES = frozenset({"Token", "Stablecoin"})
#: A token not in the lexicon keeps a key of its own: "INK" the token is not "Ink" the network.
CLASS_RANK = {"lexicon": 3, "pattern": 2, "model": 1, "fallback": 0}


def clean_name(text: str) -> str:
    """A surface form without a leading article, a possessive, a "$" or stray punctuation."""
    t = text.replace("\u2019", "'").strip()
    t = re.sub(r"^(the|a|an)\s+", "", t, flags=re.IGNORECASE)
    t = re.sub(r"'s?$", "", t).lstrip("$")
    return " ".join(t.split()).strip(" .,:;\"'")


def fold(text: str) -> str:
    return re.sub(r"[\s\-_]+", " ", clean_name(text).casefold()).strip()


@dataclass
class _Acc:
    label_votes: Counter
    class_votes: Counter
    surfaces: Counter
    notes: set
    docs: set
    count: int = 0


class Resolver:
    """Maps mentions to entity keys and accumulates the entities."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.alias: dict[str, str] = {}
        for e in lex.entries:
            if "Concept" in e.classes:
                continue
            for name in (e.label, *e.aliases):
                self.alias.setdefault(fold(name), e.label)
            if e.ticker:
                self.alias.setdefault(fold(e.ticker), e.label)
        self.acc: dict[str, _Acc] = {}
        folds = Counter(fold(e.label) for e in lex.entries if "Concept" not in e.classes)
        #: Lexicon labels that differ only in case ("Zeta" the network, "ZETA" its token) keep apart.
        self.cased = {f"{fold(e.label)} {e.classes[0].casefold()}": e.label for e in lex.entries
                      if "Concept" not in e.classes and folds[fold(e.label)] > 1}

    def _lexicon_key(self, label: str) -> str:
        key = f"{fold(label)} {self.lex.entry(label).classes[0].casefold()}"
        return key if key in self.cased else fold(label)

    def _entry(self, key: str):  # noqa: ANN202 - LexEntry | None
        label = self.cased.get(key) or self.alias.get(key)
        return self.lex.entry(label) if label else None

    def key(self, m: Mention) -> tuple[str, str]:
        """(entity key, reason) of a mention."""
        if self.lex.entry(m.canonical):
            return self._lexicon_key(m.canonical), "lexicon"
        for form in (m.text, m.canonical):
            label = self.alias.get(fold(form))
            entry = self.lex.entry(label) if label else None
            if entry and (m.label not in TOKEN_CLASSES or TOKEN_CLASSES & set(entry.classes)):
                return fold(label), "lexicon alias"
        if m.label in TOKEN_CLASSES:
            return f"{fold(m.canonical)} token", "same token name"
        return fold(m.canonical), "same name"

    def add(self, result: ArticleResult) -> None:
        for m in result.mentions:
            key, reason = self.key(m)
            acc = self.acc.setdefault(key, _Acc(Counter(), Counter(), Counter(), set(), set()))
            entry = self._entry(key)
            acc.label_votes[entry.label if entry else clean_name(m.canonical)] += 1
            rank = CLASS_RANK.get(m.source.split(":")[0], 1)
            acc.class_votes[m.label] += rank * 10 + 1
            acc.surfaces[clean_name(m.text)] += 1
            acc.docs.add(result.document.doc_id)
            acc.count += 1
            if clean_name(m.text).casefold() != (fold(self.cased[key]) if key in self.cased else key):
                acc.notes.add(f"{clean_name(m.text)}: {reason}")

    def surname_merges(self) -> dict[str, str]:
        """Single-word person keys that are the surname of exactly one full name."""
        people = [k for k, a in self.acc.items() if a.class_votes.most_common(1)[0][0] == "Person"]
        full = defaultdict(list)
        for k in people:
            if " " in k:
                full[k.split()[-1]].append(k)
        return {k: full[k][0] for k in people if " " not in k and len(full.get(k, [])) == 1}

    def entities(self) -> tuple[dict[str, Entity], dict[str, str]]:
        """(entities by key, redirect of merged keys) once every article was added."""
        redirect = self.surname_merges()
        for short, long in redirect.items():
            a, b = self.acc[long], self.acc.pop(short)
            a.surfaces.update(b.surfaces)
            a.docs.update(b.docs)
            a.count += b.count
            a.notes.add(f"{short.title() if short.islower() else short}: surname of {long}")
            a.notes.update(b.notes)
            a.class_votes.update(b.class_votes)
        out = {}
        for key, a in self.acc.items():
            entry = self._entry(key)
            label = entry.label if entry else sorted(a.label_votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            classes = entry.classes if entry else (sorted(a.class_votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0],)
            alts = tuple(sorted(s for s in a.surfaces if s and s != label))
            out[key] = Entity(key, label, tuple(classes), alts, entry.ticker if entry else "",
                              a.count, tuple(sorted(a.notes)), tuple(sorted(a.docs)))
        return out, redirect


def resolve(results: Iterable[ArticleResult], lex: Lexicon) -> tuple[dict[str, Entity], Callable[[Mention], str]]:
    """Entities of a corpus, and a function from a mention to its entity key."""
    r = Resolver(lex)
    for res in results:
        r.add(res)
    entities, redirect = r.entities()

    def key_of(m: Mention) -> str:
        k = r.key(m)[0]
        return redirect.get(k, k)

    return entities, key_of

