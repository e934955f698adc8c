"""What one run found for one module, as a value: its label, the exit code it means and the
stream its details (a diff, the diagnostics) go to. The command line's exit codes live here,
so every command and the manifest's summary answer with the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

EXIT_OK, EXIT_DIFFERS, EXIT_BAD_INPUT, EXIT_BUG = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT
EXIT_BROKEN_PIPE = 141  # stdout closed early, as shells report SIGPIPE


class Outcome(Enum):
    """One module's outcome. STALE and MISSING are what `--check` and `check` exist to find,
    so their details (the diff) go to stdout; every other outcome's details are messages.
    """

    WRITTEN = ("written", EXIT_OK, "stderr")
    UNCHANGED = (
        "unchanged",
        EXIT_OK,
        "stderr",
    )  # a write that found every byte in place
    PRINTED = (
        "printed",
        EXIT_OK,
        "stderr",
    )  # the module, or `--diff`'s diff, on stdout
    VALID = ("valid", EXIT_OK, "stderr")  # `validate`: every check passed
    CURRENT = ("current", EXIT_OK, "stderr")
    STALE = ("STALE", EXIT_DIFFERS, "stdout")
    MISSING = ("MISSING", EXIT_DIFFERS, "stdout")
    FAILED = ("failed", EXIT_BAD_INPUT, "stderr")

    def __init__(self, label: str, exit_code: int, stream: str) -> None:
        self.label = label
        self.exit_code = exit_code
        self.stream = stream

    @property
    def differs(self) -> bool:
        return self.exit_code == EXIT_DIFFERS


def exit_code(outcomes: Iterable[Outcome]) -> int:
    """The exit code of several modules: the worst outcome's (failed, then differs, then ok)."""
    return max((outcome.exit_code for outcome in outcomes), default=EXIT_OK)
