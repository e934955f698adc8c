"""Source text -> formatted module -> file: black with a fixed mode, a parse check, atomic writes.

black is pinned exactly in pyproject.toml and called with an explicit Mode, so the consumer's
own pyproject settings never change our bytes. Big modules are formatted in pieces, in parallel
worker processes (`format_module`), with the same bytes as black on the whole file.
"""

from __future__ import annotations

import ast
import difflib
import functools
import hashlib
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import black

from cursus_codegen import DEFAULT_LINE_LENGTH

from cursus_codegen.output import long_strings
from cursus_codegen.output.long_strings import wrap_long_strings
from cursus_codegen.output.render import ModuleParts
from cursus_codegen.fs import store

# black's own default width (cursus_codegen.DEFAULT_LINE_LENGTH): a deploy repository that
# runs black with its defaults leaves the module as generated, so the two checks never fight.


def black_mode(line_length: int = DEFAULT_LINE_LENGTH) -> black.Mode:
    return black.Mode(
        target_versions={black.TargetVersion.PY39},
        line_length=line_length,
        string_normalization=True,
        magic_trailing_comma=True,
    )


BLACK_MODE = black_mode()


class EmitError(Exception):
    """The generator produced source that is not valid Python: a bug, never bad input."""


def format_source(source: str, line_length: int = DEFAULT_LINE_LENGTH) -> str:
    try:
        ast.parse(source)
    except SyntaxError as exc:  # pragma: no cover - reached only through a generator bug
        raise EmitError(f"generated source does not parse: {exc}\n{_numbered(source)}") from exc
    formatted = _format_piece(source, line_length)
    ast.parse(formatted)
    return formatted


# Step methods are formatted in batches, in parallel processes once a module has this many
# steps: black costs ~0.2 ms per line here, and a 1000-step module has ~90k lines. A batch
# stays small: black formats 30 methods of a class in 30 times the time of one, 120 in 7x more.
PARALLEL_MIN_STEPS = 48
BATCH_STEPS = 16
_CLASS_LINE = "class _Steps:\n"


def format_module(parts: ModuleParts, workers: int | None = None,
                  line_length: int = DEFAULT_LINE_LENGTH) -> str:
    """black on the whole module, computed piecewise: the head, batches of step methods, the tail.

    black formats each method of a class body on its own (one blank line between methods,
    banner comments attached to the next `def`), so formatting the head and each batch of
    methods inside a stand-in class gives the same bytes as formatting the whole module; the
    tests compare both. Batches are small because black's time grows faster than the length
    of a class body; pieces already in the cache are not formatted again, and the others run
    in parallel worker processes when there are many. The result never depends on the split.
    """
    steps = parts.steps
    texts = [_CLASS_LINE + "".join(f"\n{s}\n" for s in steps[i:i + BATCH_STEPS])
             for i in range(0, len(steps), BATCH_STEPS)]
    formatted: list[str | None] = [_cached_piece(text, line_length) for text in texts]
    pending = [i for i, piece in enumerate(formatted) if piece is None]
    count = workers if workers is not None else _worker_count(len(pending) * BATCH_STEPS)
    groups = _batches(tuple(pending), count)
    # This process formats the head and the first group while one worker process per other
    # group formats the rest (each thread only waits for its process).
    with ThreadPoolExecutor(max(1, len(groups) - 1)) as pool:
        others = pool.map(lambda group: _format_in_subprocess([texts[i] for i in group], line_length),
                          groups[1:])
        head = _format_piece(parts.head, line_length)
        for i in groups[0] if groups else ():
            formatted[i] = _format_piece(texts[i], line_length)
        for group, pieces in zip(groups[1:], others):
            for i, piece in zip(group, pieces):
                formatted[i] = piece
    body = "".join("\n" + str(piece)[len(_CLASS_LINE):].lstrip("\n") for piece in formatted)
    module = head + body
    if parts.tail:  # module-level code after the class: black puts two blank lines before it
        module += "\n\n" + _format_piece(parts.tail, line_length)
    try:
        ast.parse(module)
    except SyntaxError as exc:  # pragma: no cover - reached only through a generator bug
        raise EmitError(f"formatted module does not parse: {exc}\n{_numbered(module)}") from exc
    return module


# No line of a module is longer than this, except a string literal alone on its line.
LONG_LINE_LIMIT = 100


def _format_piece(source: str, line_length: int = DEFAULT_LINE_LENGTH) -> str:
    """black, then a line of its own for each string too long for any (long_strings.py).

    The result depends only on the source, the width and this code, so it is kept in the user
    cache under a key of all three: regenerating after a one-step edit formats one step."""
    cached = _cached_piece(source, line_length)
    if cached is not None:
        return cached
    key = _piece_key(source, line_length)
    mode = black_mode(line_length)
    try:
        formatted = black.format_str(source, mode=mode)
        formatted = wrap_long_strings(formatted, max(LONG_LINE_LIMIT, line_length),
                                      lambda text: black.format_str(text, mode=mode))
    except black.InvalidInput as exc:  # pragma: no cover - reached only through a generator bug
        raise EmitError(f"generated source does not parse: {exc}\n{_numbered(source)}") from exc
    store.write("formatted", key, formatted.encode("utf-8"))  # a cache that cannot be written: no error
    return formatted


@functools.cache  # no arguments: computed once per process
def _formatter_id() -> str:
    """black's version and this formatting code: a change of either is a new cache key."""
    digest = hashlib.sha256(black.__version__.encode())
    for module in (__file__, long_strings.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()


def _cached_piece(source: str, line_length: int) -> str | None:
    cached = store.read("formatted", _piece_key(source, line_length)).payload
    if cached is None:
        return None
    try:  # the entry must be this very code, formatted: a damaged or forged piece is a miss
        piece = cached.decode("utf-8")
        same = _same_code(ast.parse(piece), ast.parse(source))
    except (UnicodeDecodeError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return piece if same else None


def _same_code(first: ast.AST, second: ast.AST) -> bool:
    """Whether two trees are the same code: node types and fields, positions aside (a walk, about
    three times faster than comparing `ast.dump` texts)."""
    pending: list[tuple[object, object]] = [(first, second)]
    while pending:
        a, b = pending.pop()
        if type(a) is not type(b):
            return False
        if isinstance(a, ast.AST):
            pending += [(getattr(a, name, None), getattr(b, name, None)) for name in a._fields]
        elif isinstance(a, list):
            if len(a) != len(b):  # type: ignore[arg-type]
                return False
            pending += zip(a, b)  # type: ignore[arg-type]
        elif a != b:
            return False
    return True


def _piece_key(source: str, line_length: int) -> str:
    return hashlib.sha256(f"{_formatter_id()}\0{line_length}\0{source}".encode("utf-8")).hexdigest()


def _format_in_subprocess(sources: list[str], line_length: int = DEFAULT_LINE_LENGTH) -> list[str]:
    """black in a fresh interpreter (`python -m cursus_codegen.output.emit`): real parallelism, and
    unlike multiprocessing it never re-runs the caller's __main__ or forks a threaded process.
    The pieces travel NUL-separated: generated source never holds a NUL (repr escapes it)."""
    package_root = str(Path(__file__).resolve().parents[2])  # the folder holding cursus_codegen/
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-m", "cursus_codegen.output.emit", str(line_length)],
                          input="\0".join(sources).encode("utf-8"),
                          capture_output=True, env=env, check=False)
    if done.returncode != 0:  # pragma: no cover - reached only through a generator bug
        raise EmitError(f"formatting worker failed: {done.stderr.decode('utf-8', 'replace')}")
    return done.stdout.decode("utf-8").split("\0")


def _worker_count(steps: int) -> int:
    if steps < PARALLEL_MIN_STEPS or not sys.executable:  # embedded: no interpreter to start
        return 1
    return max(1, min(os.cpu_count() or 1, 8, steps // (PARALLEL_MIN_STEPS // 2)))


def _batches(steps: tuple[str, ...], count: int) -> list[tuple[str, ...]]:
    """`count` contiguous, near-equal batches (none when there are no steps)."""
    if not steps:
        return []
    count = max(1, min(count, len(steps)))
    size, extra = divmod(len(steps), count)
    batches, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        batches.append(steps[start:end])
        start = end
    return batches


def _numbered(source: str) -> str:
    return "\n".join(f"{i:5d}  {line}" for i, line in enumerate(source.splitlines(), 1))


def unified_diff(old: str, new: str, path: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"{path} (on disk)",
        tofile=f"{path} (generated)",
    )
    return "".join(lines)


if __name__ == "__main__":  # the formatting worker: unformatted source on stdin, black's on stdout
    width = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_LINE_LENGTH
    pieces = sys.stdin.buffer.read().decode("utf-8").split("\0")
    sys.stdout.buffer.write("\0".join(_format_piece(p, width) for p in pieces).encode("utf-8"))
