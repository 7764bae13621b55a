"""Every error a user can cause, in one module (as spaCy keeps its Errors).

A `KgError` carries a one-line message for the terminal and the exit code the CLI uses;
anything else escaping to the CLI is a bug and is reported as such.
"""
from __future__ import annotations


class KgError(Exception):
    """A failure the user can act on: printed as one line, exit code 1."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(KgError):
    """The folder or file given to a command cannot be used."""


class ModelError(KgError):
    """No usable spaCy pipeline."""


class GraphMissingError(KgError):
    """A command needs a built graph that is not there."""


class QueryError(KgError):
    """A SPARQL query could not be parsed or run."""


class EngineError(KgError):
    """The engine that maps the per-article work cannot run (Dask missing, scheduler unreachable)."""


class UsageError(KgError):
    """Arguments that do not fit together: exit code 2, like a CLI usage error."""

    exit_code = 2


def one_line(exc: BaseException) -> str:
    """Collapse an exception's message to one line for the terminal."""
    text = " ".join(str(exc).split())
    return text or exc.__class__.__name__
