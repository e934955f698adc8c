"""Read one `PipelineDAG(...)` candidate of a DAG .py into declarations, without running it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ParamSpec, TypeGuard

import libcst as cst
from libcst.helpers import ensure_type
from libcst.metadata import Assignment

from cursus_codegen.diagnostics import Diagnostic, error, has_errors
from cursus_codegen.inputs.declarations import Declaration, EdgeDecl, NodeDecl
from cursus_codegen.inputs.static_arguments import (
    call_arguments,
    constructor_declarations,
)
from cursus_codegen.inputs.static_blocks import flatten, following, plain_variable
from cursus_codegen.inputs.static_literals import Lit, Unreadable, bind, evaluate, plain
from cursus_codegen.inputs.static_source import SourceMetadata
from cursus_codegen.inputs.static_uses import DAG_METHODS, use_problem

_P = ParamSpec("_P")


@dataclass
class CandidateReader:
    """The declarations of one `PipelineDAG(...)` candidate: its constructor arguments, then
    the add_node/add_edge statements and literal for-loops that follow it in its block.
    """

    m: SourceMetadata
    call: cst.Call
    decls: list[Declaration] = field(default_factory=list)
    diags: list[Diagnostic] = field(default_factory=list)
    # ids of add_* calls read (or reported)
    handled: set[int] = field(default_factory=set)
    # uses of the DAG variable
    accesses: dict[int, cst.Name] = field(default_factory=dict)

    def read(self) -> tuple[list[Declaration] | None, list[Diagnostic]]:
        self._guard(self.m.code(self.call), self._constructor)
        context = self.m.parents[self.call]
        variable = plain_variable(context, self.call)
        if variable is not None:
            self._collect_accesses(variable)
            self._read_statements(following(self.m, context))
            for name in sorted(self.accesses.values(), key=self._position):
                problem = use_problem(name, self.m.parents, self.handled)
                if problem is not None:
                    construct, reason = problem
                    self._unreadable(self.m.code(construct), Unreadable(name, reason))
        elif not isinstance(context, cst.Return):
            reason = "its result is neither assigned to a plain variable nor returned"
            self._unreadable(self.m.code(self.call), Unreadable(self.call, reason))
        if has_errors(self.diags):
            return None, self.diags
        return self.decls, self.diags

    # -- the construction and the statements after it

    def _constructor(self) -> None:
        self.decls.extend(constructor_declarations(self.m, self.call))

    def _read_statements(self, statements: list[cst.CSTNode]) -> None:
        for statement in statements:
            if isinstance(statement, (cst.Return, cst.Raise)):
                return  # what follows never runs
            if isinstance(statement, cst.Expr) and self._is_dag_call(statement.value):
                self.handled.add(id(statement.value))
                self._guard(
                    self.m.code(statement.value),
                    self._dag_call,
                    statement.value,
                    {},
                    None,
                )
            elif isinstance(statement, cst.For):
                self._read_loop(statement)

    def _read_loop(self, loop: cst.For) -> None:
        calls = self._dag_calls_in(loop)
        if not calls:
            return  # a loop that does not build the DAG is none of our business
        self.handled.update(id(c) for c in calls)
        header = f"for {self.m.code(loop.target)} in {self.m.code(loop.iter)}: ..."
        self._guard(header, self._unroll, loop, {})

    def _unroll(self, loop: cst.For, env: dict[str, Lit]) -> None:
        if loop.asynchronous or loop.orelse:
            raise Unreadable(loop, "`async for` and `for ... else` are not read")
        items = evaluate(loop.iter, env, self.m.code)
        if not isinstance(items.value, tuple):
            raise Unreadable(
                loop.iter, f"`{self.m.code(loop.iter)}` is not a literal list"
            )
        body = flatten(loop.body.body)
        for item in items.value:
            inner = {**env, **bind(loop.target, item, self.m.code)}
            for statement in body:
                if isinstance(statement, cst.Expr) and self._is_dag_call(
                    statement.value
                ):
                    self._dag_call(statement.value, inner, item.node)
                elif isinstance(statement, cst.For):
                    self._unroll(statement, inner)
                elif not isinstance(statement, cst.Pass):
                    reason = "a loop that builds the DAG may hold only add_node/add_edge calls"
                    raise Unreadable(statement, reason)

    def _dag_call(
        self, call: cst.Call, env: dict[str, Lit], origin: cst.CSTNode | None
    ) -> None:
        method = ensure_type(call.func, cst.Attribute).attr.value  # see _is_dag_call
        values = call_arguments(self.m, call, DAG_METHODS[method], env)
        where = self.m.location(origin or call)
        if method == "add_node":
            self.decls.append(NodeDecl(plain(values[0]), where))
        else:
            self.decls.append(EdgeDecl(plain(values[0]), plain(values[1]), where))

    # -- every use of the DAG variable

    def _collect_accesses(self, variable: cst.Name) -> None:
        scope = self.m.scopes[variable]
        assert scope is not None  # every node of a module is in a scope
        # Assignment (with a node) is every assignment outside the builtins' own scope
        assignments = sorted(
            (a for a in scope.assignments[variable.value] if isinstance(a, Assignment)),
            key=lambda a: self._position(a.node),
        )
        if len(assignments) > 1:
            lines = self.m.lines([self._position(a.node)[0] for a in assignments])
            reason = f"it is assigned more than once, on {lines}"
            self._unreadable(variable.value, Unreadable(assignments[1].node, reason))
        for assignment in assignments:
            for access in assignment.references:
                if isinstance(access.node, cst.Name):
                    self.accesses[id(access.node)] = access.node

    def _is_dag_call(self, node: cst.CSTNode) -> TypeGuard[cst.Call]:
        """`dag.add_node(...)` / `dag.add_edge(...)` on the DAG variable (`func` an Attribute)."""
        return (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value in DAG_METHODS
            and id(node.func.value) in self.accesses
        )

    def _dag_calls_in(self, node: cst.CSTNode) -> list[cst.Call]:
        found: list[cst.Call] = []
        is_dag_call = self._is_dag_call

        class Finder(cst.CSTVisitor):
            def visit_Call(self, call: cst.Call) -> None:
                if is_dag_call(call):
                    found.append(call)

        node.visit(Finder())
        return found

    # -- helpers

    def _guard(
        self,
        construct: str,
        action: Callable[_P, None],
        *args: _P.args,
        **kwargs: _P.kwargs,
    ) -> None:
        try:
            action(*args, **kwargs)
        except Unreadable as exc:
            self._unreadable(construct, exc)

    def _unreadable(self, construct: str, exc: Unreadable) -> None:
        if exc.hint:
            message = (
                f"`{construct}` ({exc.reason}) cannot be read statically; {self.m.hint}"
            )
        else:
            message = f"`{construct}`: {exc.reason}"
        self.diags.append(error(message, self.m.location(exc.node)))

    def _position(self, node: cst.CSTNode) -> tuple[int, int]:
        start = self.m.positions[node].start
        return start.line, start.column
