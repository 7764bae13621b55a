"""crypto-kg: crypto-ecosystem news to an RDF knowledge graph you can query and explore."""
from __future__ import annotations

__version__ = "0.1.0"


def build(*args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - re-exported lazily: spaCy is slow to import
    from .api import build as _build

    return _build(*args, **kwargs)


def query(*args, **kwargs):  # noqa: ANN002, ANN003, ANN201
    from .api import query as _query

    return _query(*args, **kwargs)


__all__ = ["build", "query", "__version__"]
