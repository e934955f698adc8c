"""Read the DAG out of a .py file statically, with libcst: nothing is imported or executed.

cursus projects keep the DAG next to imports (cursus, MODS, sagemaker) that are not installed
where the generator runs, so the file is parsed, never run. A *candidate* is one
`PipelineDAG(...)` call: assigned to a plain variable (then the `add_node`/`add_edge` calls on
that variable in the same block are read) or returned directly. Exactly one candidate is used;
every use of its variable that could change the DAG in a way we do not read is an error that
points to `--exec-dag`, so a DAG is never silently read wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper

from cursus_codegen.diagnostics import Diagnostic, Location, error
from cursus_codegen.inputs.declarations import Declaration
from cursus_codegen.inputs.static_reader import CandidateReader
from cursus_codegen.inputs.static_source import (
    EXEC_HINT,
    TOO_DEEP,
    SourceMetadata,
    python_lines,
    source_text,
)


@dataclass(frozen=True)
class Candidate:
    scope: str  # "<module>" or the qualified name of the enclosing function
    call: cst.Call  # the PipelineDAG(...) call
    line: int


def static_declarations(
    path: Path, display_path: str, dag_function: str | None
) -> tuple[list[Declaration] | None, list[Diagnostic]]:
    text, diags = source_text(path, display_path)
    if text is None:
        return None, diags
    return text_declarations(text, display_path, dag_function)


def text_declarations(
    text: str,
    display_path: str,
    dag_function: str | None,
    hint: str = EXEC_HINT,
    lines: Callable[[Sequence[int]], str] = python_lines,
) -> tuple[list[Declaration] | None, list[Diagnostic]]:
    """The declarations of Python source that already parses (see `source_text`); `hint` and
    `lines` say how messages name the alternative to static reading and lines of the source.
    """
    try:
        return _read(text, display_path, dag_function, hint, lines)
    except cst.ParserSyntaxError as exc:
        where = Location(display_path, exc.raw_line, exc.raw_column + 1)
        return None, [error(f"syntax error: {exc.message}", where)]
    # libcst and its visitors recurse per nesting level
    except (MemoryError, RecursionError):
        return None, [error(TOO_DEEP, Location(display_path))]


def _read(
    text: str,
    display_path: str,
    dag_function: str | None,
    hint: str,
    lines: Callable[[Sequence[int]], str],
) -> tuple[list[Declaration] | None, list[Diagnostic]]:
    wrapper = MetadataWrapper(cst.parse_module(text))
    metadata = SourceMetadata(wrapper, display_path, hint, lines)
    candidates = _find_candidates(metadata.module, metadata)
    chosen, diags = _choose(candidates, dag_function, metadata)
    if chosen is None:
        return None, diags
    return CandidateReader(metadata, chosen.call).read()


def _is_pipeline_dag_call(node: cst.CSTNode, names: set[str]) -> bool:
    """`PipelineDAG(...)` or `<anything>.PipelineDAG(...)`, whatever it was imported from."""
    if not isinstance(node, cst.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, cst.Attribute) else func
    return isinstance(name, cst.Name) and name.value in names


def _find_candidates(module: cst.Module, metadata: SourceMetadata) -> list[Candidate]:
    calls: list[cst.Call] = []
    names = {"PipelineDAG"}  # plus `import ... PipelineDAG as X` aliases, found first

    class Aliases(cst.CSTVisitor):
        def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
            imported = (
                node.name.attr if isinstance(node.name, cst.Attribute) else node.name
            )
            if imported.value == "PipelineDAG" and node.asname is not None:
                names.add(metadata.code(node.asname.name))

    class Collector(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if _is_pipeline_dag_call(node, names):
                calls.append(node)

    module.visit(Aliases())
    module.visit(Collector())
    return [
        Candidate(metadata.scope_name(c), c, metadata.location(c).line or 0)
        for c in calls
    ]


def _choose(
    candidates: list[Candidate], dag_function: str | None, metadata: SourceMetadata
) -> tuple[Candidate | None, list[Diagnostic]]:
    where = Location(metadata.display_path)
    listing = ", ".join(f"{c.scope} ({metadata.lines([c.line])})" for c in candidates)
    if not candidates:
        message = (
            f"no PipelineDAG construction was found (looked for `PipelineDAG(...)` calls); "
            f"if the DAG is built another way, {metadata.hint}"
        )
        return None, [error(message, where)]
    chosen = candidates
    if dag_function is not None:
        chosen = [
            c
            for c in candidates
            if dag_function in (c.scope, c.scope.rsplit(".", 1)[-1])
        ]
        if not chosen:
            message = f"no PipelineDAG construction in {dag_function!r}; the file has: {listing}"
            return None, [error(message, where)]
    if len(chosen) == 1:
        return chosen[0], []
    found = ", ".join(f"{c.scope} ({metadata.lines([c.line])})" for c in chosen)
    if dag_function is None:
        message = f"found {len(chosen)} PipelineDAG constructions: {found}; pass --dag-function NAME to pick one"
    else:
        message = f"{dag_function!r} holds {len(chosen)} PipelineDAG constructions: {found}; keep one"
    return None, [error(message, where)]
