"""The report of a crash: what the crash boundary (`main`) answers for an exception nothing
else handled. The exit codes are cursus_codegen/outcome.py's.
"""

from __future__ import annotations

import os
import sys

from cursus_codegen.outcome import EXIT_BROKEN_PIPE, EXIT_BUG


def internal_error(exc: Exception) -> int:
    """The exit code for an exception that reached the crash boundary, reported: a closed
    stdout is not a bug of ours; anything else is exit 3, never bad input."""
    # the reader went away (`| head`): not a bug of ours
    if isinstance(exc, BrokenPipeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    # for the bug report, on request only
    if os.environ.get("CURSUS_CODEGEN_TRACEBACK"):
        import traceback

        traceback.print_exc()
    print(
        f"cursus-codegen: internal error ({type(exc).__name__}: {exc}); "
        "please report it with the inputs that caused it",
        file=sys.stderr,
    )
    return EXIT_BUG
