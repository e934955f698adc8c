"""The command's exit codes, and the report of a crash: what the crash boundary (`main`)
answers for an exception nothing else handled.
"""

from __future__ import annotations

import os
import sys

EXIT_OK, EXIT_DIFFERS, EXIT_BAD_INPUT, EXIT_BUG = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT
EXIT_BROKEN_PIPE = 141  # stdout closed early, as shells report SIGPIPE


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
