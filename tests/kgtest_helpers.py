"""Helpers shared by the test modules (plain functions, imported by name)."""
from __future__ import annotations

import re


def norm_name(s: str) -> str:
    """Name comparison as the shared scorer does it: case, curly quotes, 's, leading the, $."""
    s = s.replace("\u2019", "'").replace("\u2018", "'").casefold().strip()
    s = re.sub(r"'s$", "", s)
    s = re.sub(r"^(the|a|an)\s+", "", s)
    s = s.lstrip("$")
    s = re.sub(r"[\s\-_]+", " ", s)
    return s.strip(" .,:;\"'")


def names_of(mention) -> set[str]:  # noqa: ANN001
    """Every name a Mention answers to: its surface text and its canonical name."""
    return {norm_name(mention.text), norm_name(mention.canonical)}


def find_claims(result, subject: str | None, predicate: str, obj: str | None):  # noqa: ANN001, ANN201
    """Claims of `result` with that predicate whose subject/object answer to those names."""
    from kg.model import Mention

    out = []
    for c in result.claims:
        if c.predicate != predicate:
            continue
        if subject is not None and norm_name(subject) not in names_of(c.subject):
            continue
        if obj is not None:
            if isinstance(c.object, Mention):
                if norm_name(obj) not in names_of(c.object):
                    continue
            elif c.object.lexical != obj:
                continue
        out.append(c)
    return out


def heldout_report(folder, out):  # noqa: ANN001, ANN201
    """Build a held-out folder into `out` and score its graph against the folder's gold.jsonl."""
    from rdflib import Dataset

    from kg.api import build
    from kg.evalmatch import evaluate

    build(folder, out)
    ds = Dataset(default_union=True)
    ds.parse(out / "graph.trig", format="trig")
    return evaluate(folder / "gold.jsonl", ds)


def run_cli(*args: str):  # noqa: ANN201
    """`kg ARGS` through typer's runner; never a traceback, never an exception but SystemExit."""
    from typer.testing import CliRunner

    from kg.cli import app

    result = CliRunner().invoke(app, list(args))
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result
