"""Matching of gold facts and extracted claims for `kg eval` (see kg/eval.py)."""
from __future__ import annotations

import re
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDF

from .eval import PARENT_PROPERTY, EvalReport, GraphIndex, load_gold
from .namespace import KG


def _metric_spec(spec: str) -> tuple[str, float | None]:
    m = re.match(r"\s*([A-Za-z0-9 ]+?)\s*(>=|<=|=)\s*([+-]?[\d.]+)", spec)
    return (m.group(1).replace(" ", "").casefold(), float(m.group(3))) if m else (spec.casefold(), None)


def _obs_matches(ix: GraphIndex, obs: URIRef, spec: str) -> bool:
    name, value = _metric_spec(spec)
    metrics = [str(m).rsplit("#", 1)[-1].casefold() for m in ix.ds.objects(obs, KG.metric)]
    if not any(name.startswith(m) or m.startswith(name) for m in metrics):
        return False
    return value is None or any(abs(float(v) - value) <= max(1e-9, abs(value) * 0.01)
                                for v in ix.ds.objects(obs, KG.value))


def fact_matches(ix: GraphIndex, fact: dict, s: URIRef, p: str, o) -> bool:  # noqa: ANN001
    """Does the extracted (s, p, o) state this gold fact?"""
    if PARENT_PROPERTY.get(p, p) != fact["predicate"] or s not in ix.nodes(fact["subject"]):
        return False
    if p == "hasObservation":
        return _obs_matches(ix, o, fact["object"])
    if isinstance(o, Literal):
        want = fact["object"] if isinstance(fact["object"], str) else fact["object"][0]
        return str(o).startswith(want)
    return isinstance(fact["object"], list) and o in ix.nodes(fact["object"])


def _claims(ix: GraphIndex) -> list[tuple[str, URIRef, str, object, bool, str]]:
    """(doc, s, p, o, positive, evidence) of every statement."""
    docs = ix.article_docs()
    out = []
    for st in ix.ds.subjects(RDF.type, RDF.Statement):
        s, p, o = ix.ds.value(st, RDF.subject), ix.ds.value(st, RDF.predicate), ix.ds.value(st, RDF.object)
        art = ix.ds.value(st, PROV.wasDerivedFrom)
        positive = ix.ds.value(st, KG.polarity) == KG.Positive
        out.append((docs.get(art, ""), s, str(p).rsplit("#", 1)[-1], o, positive, str(ix.ds.value(st, KG.evidence))))
    return sorted(out, key=lambda c: (c[0], str(c[1]), c[2], str(c[3])))


def _label(ix: GraphIndex, node) -> str:  # noqa: ANN001
    if isinstance(node, Literal):
        return str(node)
    lab = ix.ds.value(node, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    if lab is None and (node, KG.metric, None) in ix.ds:
        return f"{str(ix.ds.value(node, KG.metric)).rsplit('#', 1)[-1]}={ix.ds.value(node, KG.value)}"
    return str(lab or node)


def evaluate(gold_path: Path, ds: Dataset, show_extra: bool = True) -> EvalReport:
    ix, rep = GraphIndex(ds), EvalReport()
    gold = load_gold(gold_path)
    relations = [f for f in gold if f.get("kind", "relation") == "relation"]
    claims = [c for c in _claims(ix) if c[4]]
    for f in relations:
        found = any(fact_matches(ix, f, s, p, o) for _, s, p, o, _, _ in claims)
        subj = f["subject"][0] if isinstance(f["subject"], list) else f["subject"]
        obj = f["object"][0] if isinstance(f["object"], list) else f["object"]
        if f["polarity"] == "negated":
            rep.negated_all += 1
            objs = ix.nodes(f["object"]) if isinstance(f["object"], list) else set()
            bad = any((s, KG[f["predicate"]], o) in ds for s in ix.nodes(f["subject"]) for o in objs)
            rep.negated_asserted += bad
            rep.lines.append(f"{'VIOLATION' if bad else 'ok':9} {f['doc'][:24]:24} {subj} {f['predicate']} {obj} [negated]")
            continue
        rep.per_property[f["predicate"]].tp += found
        rep.per_property[f["predicate"]].fn += not found
        rep.lines.append(f"{'hit' if found else 'MISS':9} {f['doc'][:24]:24} {subj} {f['predicate']} {obj} [{f['polarity']}]")
    seen = set()
    for doc, s, p, o, _, ev in claims:
        key = (doc, s, PARENT_PROPERTY.get(p, p), o)
        if key in seen:
            continue
        seen.add(key)
        doc_gold = [f for f in relations if f["doc"] == doc and f["polarity"] != "negated"]
        if not any(fact_matches(ix, f, s, p, o) for f in doc_gold):
            rep.per_property[PARENT_PROPERTY.get(p, p)].fp += 1
            if show_extra:
                rep.lines.append(f"{'EXTRA':9} {doc[:24]:24} {_label(ix, s)} {p} {_label(ix, o)} | {ev[:100]}")
    _entities(ix, rep, gold)
    return rep


def _entities(ix: GraphIndex, rep: EvalReport, gold: list[dict]) -> None:
    for f in gold:
        kind = f.get("kind")
        types = f["type"] if isinstance(f.get("type"), list) else [f.get("type")]
        if kind == "entity":
            rep.entity_all += 1
            ok = any(t in ix.classes(n) for n in ix.nodes(f["names"]) for t in types)
            rep.entity_hit += ok
            rep.lines.append(f"{'hit' if ok else 'MISS':9} {f['doc'][:24]:24} entity {f['names'][0]} a {'|'.join(types)}")
        elif kind == "not_entity":
            rep.noise_all += 1
            bad = any(t in ix.classes(n) for n in ix.nodes(f["names"]) for t in types)
            rep.noise += bad
            if bad:
                rep.lines.append(f"{'VIOLATION':9} {f['doc'][:24]:24} {f['names']} typed {'|'.join(types)}")
