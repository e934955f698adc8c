"""Where a DAG variable's statements are in the libcst tree: the plain variable a
`PipelineDAG(...)` is assigned to, and the statements that follow it in its block.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import libcst as cst

from cursus_codegen.inputs.static_source import SourceMetadata


def plain_variable(context: cst.CSTNode, call: cst.Call) -> cst.Name | None:
    """The variable of `name = PipelineDAG(...)` or `name: T = PipelineDAG(...)`."""
    if isinstance(context, cst.Assign) and len(context.targets) == 1:
        target = context.targets[0].target
    elif isinstance(context, cst.AnnAssign):
        target = context.target
    else:
        return None
    return target if isinstance(target, cst.Name) and context.value is call else None


def following(m: SourceMetadata, assignment: cst.CSTNode) -> list[cst.CSTNode]:
    """What runs after `dag = PipelineDAG(...)` in its block, flattened."""
    line = m.parents[assignment]
    # a small statement's parent: a line of its own, or the `if x: ...` suite it is in
    assert isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite))
    rest: list[cst.CSTNode] = list(line.body[_index(line.body, assignment) + 1 :])
    if isinstance(line, cst.SimpleStatementLine):
        owner = m.parents[line]  # a line's parent: Module or IndentedBlock
        assert isinstance(owner, (cst.Module, cst.IndentedBlock))
        rest += flatten(owner.body[_index(owner.body, line) + 1 :])
    return rest


def flatten(statements: Iterable[cst.CSTNode]) -> list[cst.CSTNode]:
    """Statements of a block as small statements (`a(); b()` is two) and compound statements."""
    flat: list[cst.CSTNode] = []
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            flat.extend(statement.body)
        else:
            flat.append(statement)
    return flat


def _index(sequence: Sequence[cst.CSTNode], item: cst.CSTNode) -> int:
    return next(i for i, candidate in enumerate(sequence) if candidate is item)
