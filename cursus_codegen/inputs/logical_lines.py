"""Where Python's logical lines start, line by line, without tokenizing: `LineState` follows
open brackets, open strings and `\\` continuations, which is what the notebook reader needs to
tell an IPython magic at the start of a statement from a `%` or `!` inside one.
"""

from __future__ import annotations

import re

# what can change the state between two lines
_SPECIAL = re.compile(r"[#\\\"'()\[\]{}]")
_STRING_STOP = {
    q: re.compile(r"\\.?|" + re.escape(q)) for q in ('"', "'", '"""', "'''")
}


class LineState:
    """Enough of Python's tokenizer to tell whether a line starts a logical line: open
    brackets, an open string, a `\\` continuation. A misjudged line only ever turns into a
    syntax error: neither `%` nor `!` can start a Python statement."""

    def __init__(self) -> None:
        self.depth, self.quote, self.continued = 0, "", False

    def at_statement_start(self) -> bool:
        return self.depth == 0 and not self.quote and not self.continued

    def feed(self, line: str) -> None:
        pos, self.continued = 0, False
        while True:
            if self.quote:
                stop = _STRING_STOP[self.quote].search(line, pos)
                while stop and stop.group().startswith("\\") and len(stop.group()) == 2:
                    stop = _STRING_STOP[self.quote].search(line, stop.end())
                # the string goes on (or is broken)
                if stop is None or stop.group() == "\\":
                    if len(self.quote) == 1 and stop is None:
                        self.quote = ""  # an unclosed '...': a syntax error either way
                    return
                pos, self.quote = stop.end(), ""
            found = _SPECIAL.search(line, pos)
            if found is None:
                return
            char, pos = found.group(), found.end()
            if char == "#":
                return
            if char == "\\":
                self.continued = pos == len(line)
                pos += 1
            elif char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(0, self.depth - 1)
            else:
                self.quote = (
                    char * 3 if line.startswith(char * 3, found.start()) else char
                )
                pos = found.start() + len(self.quote)
