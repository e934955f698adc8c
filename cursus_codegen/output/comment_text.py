"""Free text in the generated module's comments and docstrings: escaped, wrapped, quoted.

The templates' `text`, `wrap_text` and `shell_lines` filters (render.py registers them). No
value can close a docstring or start a new line of code, no word is cut when a line wraps,
and the regenerate command in the header reads back, through a shell, as the command run.
"""

from __future__ import annotations

import os
import shlex


def text(value: object) -> str:
    """Free text safe inside a `#` comment or a triple-quoted docstring.

    repr() escapes newlines, backslashes and control characters; double quotes are escaped too,
    so no value can close a docstring or start a new line of code.
    """
    return repr(str(value))[1:-1].replace('"', '\\"')


def wrap_text(value: str, width: int, indent: str, first: str | None = None) -> str:
    """Already escaped text (`text`) as lines of at most `width` characters: the first line
    starts with `first` (default: `indent`), the others with `indent`. Words are never cut.
    """
    lines: list[str] = []
    line, fresh = (first if first is not None else indent), True
    for word in value.split(" "):
        if not fresh and len(line) + 1 + len(word) > width:
            lines.append(line)
            line, fresh = indent, True
        line += word if fresh else " " + word
        fresh = False
    lines.append(line)
    return "\n".join(piece.rstrip() for piece in lines)


def shell_lines(command: str, width: int, first: str, indent: str) -> str:
    """A shell command as comment lines of at most `width` characters, continued with " \\";
    an option stays on the line of its value. Each word is written so that a shell reads it back
    exactly: single-quoted when printable, else in bash's $'...' form (a newline in a file name
    cannot stand on a comment line)."""
    words = [_shell_word(word) for word in shlex.split(command)]
    groups: list[str] = []
    for word in words:
        if (
            groups
            and groups[-1].startswith("-")
            and " " not in groups[-1]
            and not word.startswith("-")
        ):
            groups[-1] += " " + word
        else:
            groups.append(word)
    lines, line = [], first + groups[0]
    for group in groups[1:]:
        if len(line) + 1 + len(group) + 2 > width:
            lines.append(line + " \\")
            line = indent + group
        else:
            line += " " + group
    lines.append(line)
    return "\n".join(lines)


def _shell_word(word: str) -> str:
    """A word a shell reads back as exactly `word`'s bytes: single-quoted when printable, else
    bash's $'...' with every byte outside printable ASCII as \\xHH (the file name's own bytes,
    whatever the locale; a non-UTF-8 name arrives as surrogate escapes)."""
    if word.isprintable():
        return shlex.quote(word)
    try:
        data = os.fsencode(word)
    except UnicodeEncodeError:  # a lone surrogate no file system name holds
        data = word.encode("utf-8", "surrogatepass")
    escaped = "".join(
        f"\\{chr(b)}" if chr(b) in "\\'" else chr(b) if 32 <= b < 127 else f"\\x{b:02x}"
        for b in data
    )
    return f"$'{escaped}'"
