"""The mutants of a module: one small, realistic change each, found on the AST.

Operators (each a regression a one-line edit could make): a comparison flipped at its boundary
or negated (`<` / `<=`, `==` / `!=`, `in` / `not in`, `is` / `is not`), `and` / `or` swapped,
a `not` dropped, an integer constant moved by one, `True` / `False` swapped, `+` / `-`
swapped, a returned value replaced by None, an `if` condition negated, and a statement that
only calls something (or updates a value) removed. Docstrings, type annotations and
`if __name__ == "__main__":` blocks are never mutated. A mutant's id is stable while its line
is: `path:line:col:operator`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

COMPARE_SWAPS = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}


@dataclass(frozen=True)
class Mutant:
    path: str  # relative to the repository
    line: int
    col: int
    operator: str
    index: int  # which node of the walk (the same node may carry several operators)

    @property
    def id(self) -> str:
        return f"{self.path}:{self.line}:{self.col}:{self.operator}"


def _skipped_nodes(tree: ast.Module) -> set[int]:
    """ids of nodes never mutated: docstrings, annotations, `if __name__ == "__main__"` blocks."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            skipped.update(id(n) for n in ast.walk(body[0]))
        for annotation in (
            getattr(node, "annotation", None),
            getattr(node, "returns", None),
        ):
            if isinstance(annotation, ast.AST):
                skipped.update(id(n) for n in ast.walk(annotation))
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
            skipped.update(id(n) for n in ast.walk(node))
    return skipped


def _operators(node: ast.AST) -> list[str]:
    found: list[str] = []
    if (
        isinstance(node, ast.Compare)
        and len(node.ops) == 1
        and type(node.ops[0]) in COMPARE_SWAPS
    ):
        found.append("compare")
    if isinstance(node, ast.BoolOp):
        found.append("boolop")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        found.append("drop-not")
    if isinstance(node, ast.Constant) and type(node.value) is int:
        found.append("int+1")
    if isinstance(node, ast.Constant) and type(node.value) is bool:
        found.append("bool")
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        found.append("addsub")
    if (
        isinstance(node, ast.Return)
        and node.value is not None
        and not (isinstance(node.value, ast.Constant) and node.value.value is None)
    ):
        found.append("return-none")
    if isinstance(node, (ast.If, ast.While)):
        found.append("negate-if")
    if isinstance(node, ast.AugAssign) or (
        isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
    ):
        found.append("drop-statement")
    return found


def mutants_of(source: str, path: str) -> Iterator[Mutant]:
    tree = ast.parse(source)
    skipped = _skipped_nodes(tree)
    for index, node in enumerate(ast.walk(tree)):
        if id(node) in skipped or not hasattr(node, "lineno"):
            continue
        for operator in _operators(node):
            yield Mutant(path, node.lineno, node.col_offset, operator, index)


def _apply(node: ast.AST, operator: str) -> ast.AST:
    if operator == "compare":
        node.ops = [COMPARE_SWAPS[type(node.ops[0])]()]
    elif operator == "boolop":
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif operator == "drop-not":
        return node.operand
    elif operator == "int+1":
        node.value += 1
    elif operator == "bool":
        node.value = not node.value
    elif operator == "addsub":
        node.op = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
    elif operator == "return-none":
        node.value = ast.Constant(None)
    elif operator == "negate-if":
        node.test = ast.UnaryOp(ast.Not(), node.test)
    elif operator == "drop-statement":
        return ast.Pass()
    return node


class _Replace(ast.NodeTransformer):
    def __init__(self, target: ast.AST, operator: str):
        self.target, self.operator = target, operator

    def visit(self, node: ast.AST) -> ast.AST:
        if node is self.target:
            return _apply(node, self.operator)
        return self.generic_visit(node)


def mutated_source(source: str, mutant: Mutant) -> str:
    """The module with the one change of `mutant` (formatting is not kept; meaning is)."""
    tree = ast.parse(source)
    target = list(ast.walk(tree))[mutant.index]
    mutated = _Replace(target, mutant.operator).visit(tree)
    return ast.unparse(ast.fix_missing_locations(mutated))
