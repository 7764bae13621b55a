"""Extra `kg` sub-commands, one module each; every module here is imported by kg.cli.

A module registers its commands with `@app.command()` on `kg.cli.app` and wraps its body in
`kg.cli.guarded`, so exit codes and messages stay uniform.
"""
from __future__ import annotations

import importlib
import pkgutil


def load_all() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        importlib.import_module(f"{__name__}.{info.name}")
