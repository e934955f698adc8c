"""Source text -> formatted module: black on the whole module, computed in pieces.

Big modules are formatted in pieces, in parallel worker processes (`format_module`), with the
same bytes as black on the whole file; each piece goes through formatter.py (black with a fixed
mode, and the user cache of formatted pieces). A parse check guards every result.
"""

from __future__ import annotations

import ast
import difflib
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cursus_codegen.options.table import DEFAULT_LINE_LENGTH
from cursus_codegen.output.formatter import (
    EmitError,
    cached_piece,
    format_piece,
    numbered,
)
from cursus_codegen.output.render import ModuleParts


def format_source(source: str, line_length: int = DEFAULT_LINE_LENGTH) -> str:
    try:
        ast.parse(source)
    # reached only through a generator bug
    except SyntaxError as exc:  # pragma: no cover
        raise EmitError(
            f"generated source does not parse: {exc}\n{numbered(source)}"
        ) from exc
    formatted = format_piece(source, line_length)
    ast.parse(formatted)
    return formatted


# Step methods are formatted in batches, in parallel processes once a module has this many
# steps: black costs ~0.2 ms per line here, and a 1000-step module has ~90k lines. A batch
# stays small: black formats 30 methods of a class in 30 times the time of one, 120 in 7x more.
PARALLEL_MIN_STEPS = 48
BATCH_STEPS = 16
_CLASS_LINE = "class _Steps:\n"


def format_module(
    parts: ModuleParts,
    workers: int | None = None,
    line_length: int = DEFAULT_LINE_LENGTH,
) -> str:
    """black on the whole module, computed piecewise: the head, batches of step methods, the tail.

    black formats each method of a class body on its own (one blank line between methods,
    banner comments attached to the next `def`), so formatting the head and each batch of
    methods inside a stand-in class gives the same bytes as formatting the whole module; the
    tests compare both. Batches are small because black's time grows faster than the length
    of a class body; pieces already in the cache are not formatted again, and the others run
    in parallel worker processes when there are many. The result never depends on the split.
    """
    steps = parts.steps
    texts = [
        _CLASS_LINE + "".join(f"\n{s}\n" for s in steps[i : i + BATCH_STEPS])
        for i in range(0, len(steps), BATCH_STEPS)
    ]
    formatted: list[str | None] = [cached_piece(text, line_length) for text in texts]
    pending = [i for i, piece in enumerate(formatted) if piece is None]
    count = (
        workers if workers is not None else _worker_count(len(pending) * BATCH_STEPS)
    )
    groups = _batches(tuple(pending), count)
    # This process formats the head and the first group while one worker process per other
    # group formats the rest (each thread only waits for its process).
    with ThreadPoolExecutor(max(1, len(groups) - 1)) as pool:
        others = pool.map(
            lambda group: _format_in_subprocess([texts[i] for i in group], line_length),
            groups[1:],
        )
        head = format_piece(parts.head, line_length)
        for i in groups[0] if groups else ():
            formatted[i] = format_piece(texts[i], line_length)
        for group, pieces in zip(groups[1:], others, strict=True):
            for i, piece in zip(group, pieces, strict=True):
                formatted[i] = piece
    body = "".join(
        "\n" + str(piece)[len(_CLASS_LINE) :].lstrip("\n") for piece in formatted
    )
    module = head + body
    # module-level code after the class: black puts two blank lines before it
    if parts.tail:
        module += "\n\n" + format_piece(parts.tail, line_length)
    try:
        ast.parse(module)
    # reached only through a generator bug
    except SyntaxError as exc:  # pragma: no cover
        raise EmitError(
            f"formatted module does not parse: {exc}\n{numbered(module)}"
        ) from exc
    return module


def _format_in_subprocess(
    sources: list[str], line_length: int = DEFAULT_LINE_LENGTH
) -> list[str]:
    """black in a fresh interpreter (`python -m cursus_codegen.output.emit`): real parallelism, and
    unlike multiprocessing it never re-runs the caller's __main__ or forks a threaded process.
    The pieces travel NUL-separated: generated source never holds a NUL (repr escapes it).
    """
    # the folder holding cursus_codegen/
    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(
            filter(None, [package_root, os.environ.get("PYTHONPATH")])
        ),
    )
    done = subprocess.run(
        [sys.executable, "-m", "cursus_codegen.output.emit", str(line_length)],
        input="\0".join(sources).encode("utf-8"),
        capture_output=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:  # pragma: no cover - reached only through a generator bug
        raise EmitError(
            f"formatting worker failed: {done.stderr.decode('utf-8', 'replace')}"
        )
    return done.stdout.decode("utf-8").split("\0")


def _worker_count(steps: int) -> int:
    # embedded (no sys.executable): no interpreter to start
    if steps < PARALLEL_MIN_STEPS or not sys.executable:
        return 1
    return max(1, min(os.cpu_count() or 1, 8, steps // (PARALLEL_MIN_STEPS // 2)))


def _batches(steps: tuple[int, ...], count: int) -> list[tuple[int, ...]]:
    """`count` contiguous, near-equal batches of `steps` (the indexes of the pieces still to
    format; none when there are none)."""
    if not steps:
        return []
    count = max(1, min(count, len(steps)))
    size, extra = divmod(len(steps), count)
    batches: list[tuple[int, ...]] = []
    start = 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        batches.append(steps[start:end])
        start = end
    return batches


def unified_diff(old: str, new: str, path: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"{path} (on disk)",
        tofile=f"{path} (generated)",
    )
    return "".join(lines)


# the formatting worker: unformatted source on stdin, black's on stdout
if __name__ == "__main__":
    width = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_LINE_LENGTH
    pieces = sys.stdin.buffer.read().decode("utf-8").split("\0")
    sys.stdout.buffer.write(
        "\0".join(format_piece(p, width) for p in pieces).encode("utf-8")
    )
