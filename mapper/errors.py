"""One exception hierarchy for the package; the CLI turns these into messages and exit codes."""

from __future__ import annotations


class DerbyRdfError(Exception):
    """Base of every error the library raises on purpose."""


class InputError(DerbyRdfError):
    """A file that cannot be used at all (missing, empty, binary, not UTF-8, wrong kind)."""


class ParseError(InputError):
    """A document that cannot be read: names the file, the line number and the line."""

    def __init__(self, source: str, line: int, problem: str, text: str | None = None) -> None:
        self.source = source
        self.line = line
        self.problem = problem
        self.text = text
        where = f"{source}:{line}" if line else source
        message = f"{where}: {problem}"
        if text is not None:
            message += f"\n    {line} | {text}"
        super().__init__(message)

    def __reduce__(self):
        # Rebuilt from its parts when a worker process sends it back (see stream.py).
        return type(self), (self.source, self.line, self.problem, self.text)


class OutputError(DerbyRdfError):
    """An output file that cannot be written (its directory missing or read-only, a full disk)."""


class ValidationError(DerbyRdfError):
    """Shapes, ontology or an RDF input could not be loaded for validation."""
