"""What the command prints: text to stdout as UTF-8, diagnostics to stderr one a line."""

from __future__ import annotations

import sys

from cursus_codegen.diagnostics import Diagnostic


def write_stdout(text: str) -> None:
    """UTF-8 whatever the locale says: a module is UTF-8 source, and a terminal or pipe set to
    ASCII must not turn a non-ASCII configuration value into an internal error."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream (tests, embedding): it takes str
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)
