"""Read one `PipelineDAG(...)` candidate of a DAG .py into declarations, without running it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import ParamSpec, TypeGuard

import libcst as cst
from libcst.helpers import ensure_type
from libcst.metadata import Assignment

from cursus_codegen.diagnostics import Diagnostic, error, has_errors
from cursus_codegen.inputs.declarations import Declaration, EdgeDecl, NodeDecl
from cursus_codegen.inputs.static_literals import Lit, Unreadable, bind, evaluate, plain
from cursus_codegen.inputs.static_source import SourceMetadata
from cursus_codegen.inputs.static_uses import DAG_METHODS, use_problem

CONSTRUCTOR_PARAMETERS = ("nodes", "edges", "strict")
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
    handled: set[int] = field(
        default_factory=set
    )  # ids of add_* calls read (or reported)
    accesses: dict[int, cst.Name] = field(
        default_factory=dict
    )  # uses of the DAG variable

    def read(self) -> tuple[list[Declaration] | None, list[Diagnostic]]:
        self._guard(self.m.code(self.call), self._constructor)
        context = self.m.parents[self.call]
        variable = _plain_variable(context, self.call)
        if variable is not None:
            self._collect_accesses(variable)
            self._read_statements(self._following(context))
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
        bound: dict[str, cst.BaseExpression] = {}
        for index, arg in enumerate(self.call.args):
            if arg.star:
                raise Unreadable(
                    arg, f"`{arg.star}{self.m.code(arg.value)}` is not a literal"
                )
            positional = (
                CONSTRUCTOR_PARAMETERS[index]
                if index < len(CONSTRUCTOR_PARAMETERS)
                else ""
            )
            name = arg.keyword.value if arg.keyword else positional
            if name not in CONSTRUCTOR_PARAMETERS:
                raise Unreadable(
                    arg, "PipelineDAG takes nodes, edges and strict", hint=False
                )
            bound[name] = arg.value
        for item in self._sequence(bound.get("nodes")):
            self.decls.append(NodeDecl(plain(item), self.m.location(item.node)))
        for item in self._sequence(bound.get("edges")):
            if not (isinstance(item.value, tuple) and len(item.value) == 2):
                reason = (
                    f"an edge must be a (src, dst) pair, got `{self.m.code(item.node)}`"
                )
                raise Unreadable(item.node, reason, hint=False)
            src, dst = (plain(end) for end in item.value)
            self.decls.append(EdgeDecl(src, dst, self.m.location(item.node)))

    def _sequence(self, expr: cst.BaseExpression | None) -> tuple[Lit, ...]:
        if expr is None:
            return ()
        lit = evaluate(expr, {}, self.m.code)
        if lit.value is None:
            return ()
        if not isinstance(lit.value, tuple):
            raise Unreadable(
                expr, f"`{self.m.code(expr)}` is not a literal list", hint=False
            )
        return lit.value

    def _following(self, assignment: cst.CSTNode) -> list[cst.CSTNode]:
        """What runs after `dag = PipelineDAG(...)` in its block, flattened."""
        line = self.m.parents[assignment]
        # a small statement's parent: a line of its own, or the `if x: ...` suite it is in
        assert isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite))
        rest: list[cst.CSTNode] = list(line.body[_index(line.body, assignment) + 1 :])
        if isinstance(line, cst.SimpleStatementLine):
            owner = self.m.parents[line]  # a line's parent: Module or IndentedBlock
            assert isinstance(owner, (cst.Module, cst.IndentedBlock))
            rest += _flatten(owner.body[_index(owner.body, line) + 1 :])
        return rest

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
        body = _flatten(loop.body.body)
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
        values = self._arguments(call, DAG_METHODS[method], env)
        where = self.m.location(origin or call)
        if method == "add_node":
            self.decls.append(NodeDecl(plain(values[0]), where))
        else:
            self.decls.append(EdgeDecl(plain(values[0]), plain(values[1]), where))

    def _arguments(
        self, call: cst.Call, params: tuple[str, ...], env: dict[str, Lit]
    ) -> list[Lit]:
        values: list[Lit] = []
        named: dict[str, Lit] = {}
        for arg in call.args:
            if arg.star == "**":
                raise Unreadable(arg, f"`**{self.m.code(arg.value)}` is not read")
            lit = evaluate(arg.value, env, self.m.code)
            if arg.star == "*":
                if not isinstance(lit.value, tuple):
                    raise Unreadable(
                        arg.value, f"`{self.m.code(arg.value)}` is not a literal pair"
                    )
                values.extend(lit.value)
            elif arg.keyword:
                named[arg.keyword.value] = lit
            else:
                values.append(lit)
        values += [named.pop(p) for p in params[len(values) :] if p in named]
        if named or len(values) != len(params):
            method = ensure_type(call.func, cst.Attribute).attr.value
            raise Unreadable(call, f"{method} takes ({', '.join(params)})", hint=False)
        return values

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


def _flatten(statements: Iterable[cst.CSTNode]) -> list[cst.CSTNode]:
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


def _plain_variable(context: cst.CSTNode, call: cst.Call) -> cst.Name | None:
    """The variable of `name = PipelineDAG(...)` or `name: T = PipelineDAG(...)`."""
    if isinstance(context, cst.Assign) and len(context.targets) == 1:
        target = context.targets[0].target
    elif isinstance(context, cst.AnnAssign):
        target = context.target
    else:
        return None
    return target if isinstance(target, cst.Name) and context.value is call else None
