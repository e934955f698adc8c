"""Read the DAG out of a .py file statically, with libcst: nothing is imported or executed.

cursus projects keep the DAG next to imports (cursus, MODS, sagemaker) that are not installed
where the generator runs, so the file is parsed, never run. A *candidate* is one
`PipelineDAG(...)` call: assigned to a plain variable (then the `add_node`/`add_edge` calls on
that variable in the same block are read) or returned directly. Exactly one candidate is used;
every use of its variable that could change the DAG in a way we do not read is an error that
points to `--exec-dag`, so a DAG is never silently read wrong.
"""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider, ScopeProvider

from cursus_codegen.diagnostics import Diagnostic, Location, error, has_errors
from cursus_codegen.inputs.dag import Declaration, EdgeDecl, NodeDecl, decode_error, read_bytes

EXEC_HINT = "pass --exec-dag to execute the file instead"
MODULE_SCOPE = "<module>"


@dataclass(frozen=True)
class Candidate:
    scope: str  # "<module>" or the qualified name of the enclosing function
    call: cst.Call  # the PipelineDAG(...) call
    line: int


def static_declarations(
    path: Path, display_path: str, dag_function: str | None
) -> tuple[list[Declaration] | None, list[Diagnostic]]:
    text, diags = _source_text(path, display_path)
    if text is None:
        return None, diags
    try:
        wrapper = MetadataWrapper(cst.parse_module(text))
    except cst.ParserSyntaxError as exc:
        where = Location(display_path, exc.raw_line, exc.raw_column + 1)
        return None, [error(f"syntax error: {exc.message}", where)]
    metadata = _Metadata(wrapper, display_path)
    candidates = _find_candidates(wrapper.module, metadata)
    chosen, diags = _choose(candidates, dag_function, display_path)
    if chosen is None:
        return None, diags
    return _CandidateReader(metadata, chosen.call).read()


def _source_text(path: Path, display_path: str) -> tuple[str | None, list[Diagnostic]]:
    """Decode as Python would (coding cookie, else UTF-8) and reject what Python cannot parse."""
    data, diags = read_bytes(path, display_path)
    if data is None:
        return None, diags
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        return None, [decode_error(exc, data, display_path, "UTF-8")]
    except SyntaxError as exc:  # a bad coding cookie
        return None, [error(f"syntax error: {exc.msg}", Location(display_path, exc.lineno))]
    try:
        # Only parses (PyCF_ONLY_AST); CPython's message and position are the familiar ones.
        compile(text, display_path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:
        line, col = exc.lineno, exc.offset
        if line is None and "\0" in text:  # CPython gives no position for a NUL byte
            nul = text.index("\0")
            line, col = text.count("\n", 0, nul) + 1, nul - text.rfind("\n", 0, nul)
        return None, [error(f"syntax error: {exc.msg}", Location(display_path, line, col))]
    except ValueError as exc:  # e.g. NUL bytes
        return None, [error(f"cannot parse the DAG file: {exc}", Location(display_path))]
    return text, []


class _Metadata:
    """Positions, parents and scopes of one parsed module, plus how to point at a node."""

    def __init__(self, wrapper: MetadataWrapper, display_path: str):
        self.positions = wrapper.resolve(PositionProvider)
        self.parents = wrapper.resolve(ParentNodeProvider)
        self.scopes = wrapper.resolve(ScopeProvider)
        self.module = wrapper.module
        self.display_path = display_path

    def location(self, node: cst.CSTNode) -> Location:
        start = self.positions[node].start
        return Location(self.display_path, start.line, start.column + 1)

    def code(self, node: cst.CSTNode, limit: int = 60) -> str:
        text = " ".join(self.module.code_for_node(node).split())
        return text if len(text) <= limit else text[: limit - 3] + "..."

    def scope_name(self, node: cst.CSTNode) -> str:
        names = []
        current = self.parents.get(node)
        while current is not None:
            if isinstance(current, (cst.FunctionDef, cst.ClassDef)):
                names.append(current.name.value)
            current = self.parents.get(current)
        return ".".join(reversed(names)) or MODULE_SCOPE


def _is_pipeline_dag_call(node: cst.CSTNode, names: set[str]) -> bool:
    """`PipelineDAG(...)` or `<anything>.PipelineDAG(...)`, whatever it was imported from."""
    if not isinstance(node, cst.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, cst.Attribute) else func
    return isinstance(name, cst.Name) and name.value in names


def _find_candidates(module: cst.Module, metadata: _Metadata) -> list[Candidate]:
    calls: list[cst.Call] = []
    names = {"PipelineDAG"}  # plus `import ... PipelineDAG as X` aliases, found first

    class Aliases(cst.CSTVisitor):
        def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
            imported = node.name.attr if isinstance(node.name, cst.Attribute) else node.name
            if imported.value == "PipelineDAG" and node.asname is not None:
                names.add(metadata.code(node.asname.name))

    class Collector(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if _is_pipeline_dag_call(node, names):
                calls.append(node)

    module.visit(Aliases())
    module.visit(Collector())
    return [Candidate(metadata.scope_name(c), c, metadata.location(c).line or 0) for c in calls]


def _choose(
    candidates: list[Candidate], dag_function: str | None, display_path: str
) -> tuple[Candidate | None, list[Diagnostic]]:
    where = Location(display_path)
    listing = ", ".join(f"{c.scope} (line {c.line})" for c in candidates)
    if not candidates:
        message = (
            f"no PipelineDAG construction was found (looked for `PipelineDAG(...)` calls); "
            f"if the DAG is built another way, {EXEC_HINT}"
        )
        return None, [error(message, where)]
    chosen = candidates
    if dag_function is not None:
        chosen = [c for c in candidates if dag_function in (c.scope, c.scope.rsplit(".", 1)[-1])]
        if not chosen:
            message = f"no PipelineDAG construction in {dag_function!r}; the file has: {listing}"
            return None, [error(message, where)]
    if len(chosen) == 1:
        return chosen[0], []
    found = ", ".join(f"{c.scope} (line {c.line})" for c in chosen)
    if dag_function is None:
        message = f"found {len(chosen)} PipelineDAG constructions: {found}; pass --dag-function NAME to pick one"
    else:
        message = (
            f"{dag_function!r} holds {len(chosen)} PipelineDAG constructions: {found}; keep one"
        )
    return None, [error(message, where)]


# --- reading one candidate ------------------------------------------------------------------

DAG_METHODS = {"add_node": ("node",), "add_edge": ("src", "dst")}
CONSTRUCTOR_PARAMETERS = ("nodes", "edges", "strict")
# Uses of the DAG variable that cannot change it.
READ_ONLY_METHODS = frozenset(
    {"get_dependencies", "topological_sort", "validate_node_declarations"}
)
READ_ONLY_LIST_METHODS = frozenset({"index", "count", "copy", "get", "keys", "values", "items"})
HARMLESS_CALLS = frozenset({"print", "len", "repr", "str", "isinstance", "type", "id"})
LOGGER_METHODS = frozenset({"debug", "info", "warning", "error", "exception", "critical"})


class _Unreadable(Exception):
    """A construct we cannot evaluate; `hint` is False when running the file would fail too."""

    def __init__(self, node: cst.CSTNode, reason: str, hint: bool = True):
        super().__init__(reason)
        self.node, self.reason, self.hint = node, reason, hint


@dataclass(frozen=True)
class _Lit:
    value: object  # a Python literal, or a tuple of _Lit for a literal list/tuple
    node: cst.CSTNode  # where it is written


def _plain(lit: _Lit) -> object:
    return tuple(_plain(v) for v in lit.value) if isinstance(lit.value, tuple) else lit.value


def _flatten(statements) -> list[cst.CSTNode]:
    """Statements of a block as small statements (`a(); b()` is two) and compound statements."""
    flat: list[cst.CSTNode] = []
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            flat.extend(statement.body)
        else:
            flat.append(statement)
    return flat


@dataclass
class _CandidateReader:
    m: _Metadata
    call: cst.Call
    decls: list[Declaration] = field(default_factory=list)
    diags: list[Diagnostic] = field(default_factory=list)
    handled: set[int] = field(default_factory=set)  # ids of add_* calls read (or reported)
    accesses: dict[int, cst.Name] = field(default_factory=dict)  # uses of the DAG variable

    def read(self) -> tuple[list[Declaration] | None, list[Diagnostic]]:
        self._guard(self.m.code(self.call), self._constructor)
        context = self.m.parents[self.call]
        variable = _plain_variable(context, self.call)
        if variable is not None:
            self._collect_accesses(variable)
            self._read_statements(self._following(context))
            for name in sorted(self.accesses.values(), key=self._position):
                self._check_use(name)
        elif not isinstance(context, cst.Return):
            reason = "its result is neither assigned to a plain variable nor returned"
            self._unreadable(self.m.code(self.call), _Unreadable(self.call, reason))
        if has_errors(self.diags):
            return None, self.diags
        return self.decls, self.diags

    # -- the construction and the statements after it

    def _constructor(self) -> None:
        bound: dict[str, cst.BaseExpression] = {}
        for index, arg in enumerate(self.call.args):
            if arg.star:
                raise _Unreadable(arg, f"`{arg.star}{self.m.code(arg.value)}` is not a literal")
            positional = (
                CONSTRUCTOR_PARAMETERS[index] if index < len(CONSTRUCTOR_PARAMETERS) else ""
            )
            name = arg.keyword.value if arg.keyword else positional
            if name not in CONSTRUCTOR_PARAMETERS:
                raise _Unreadable(arg, "PipelineDAG takes nodes, edges and strict", hint=False)
            bound[name] = arg.value
        for item in self._sequence(bound.get("nodes")):
            self.decls.append(NodeDecl(_plain(item), self.m.location(item.node)))
        for item in self._sequence(bound.get("edges")):
            if not (isinstance(item.value, tuple) and len(item.value) == 2):
                reason = f"an edge must be a (src, dst) pair, got `{self.m.code(item.node)}`"
                raise _Unreadable(item.node, reason, hint=False)
            src, dst = (_plain(end) for end in item.value)
            self.decls.append(EdgeDecl(src, dst, self.m.location(item.node)))

    def _sequence(self, expr: cst.BaseExpression | None) -> tuple[_Lit, ...]:
        lit = self._evaluate(expr, {}) if expr is not None else None
        if lit is None or lit.value is None:
            return ()
        if not isinstance(lit.value, tuple):
            raise _Unreadable(expr, f"`{self.m.code(expr)}` is not a literal list", hint=False)
        return lit.value

    def _following(self, assignment: cst.CSTNode) -> list[cst.CSTNode]:
        """What runs after `dag = PipelineDAG(...)` in its block, flattened."""
        line = self.m.parents[assignment]
        rest = list(line.body[_index(line.body, assignment) + 1 :])
        if isinstance(line, cst.SimpleStatementLine):
            owner = self.m.parents[line]  # Module or IndentedBlock
            rest += _flatten(owner.body[_index(owner.body, line) + 1 :])
        return rest

    def _read_statements(self, statements: list[cst.CSTNode]) -> None:
        for statement in statements:
            if isinstance(statement, (cst.Return, cst.Raise)):
                return  # what follows never runs
            if isinstance(statement, cst.Expr) and self._is_dag_call(statement.value):
                self.handled.add(id(statement.value))
                self._guard(self.m.code(statement.value), self._dag_call, statement.value, {}, None)
            elif isinstance(statement, cst.For):
                self._read_loop(statement)

    def _read_loop(self, loop: cst.For) -> None:
        calls = self._dag_calls_in(loop)
        if not calls:
            return  # a loop that does not build the DAG is none of our business
        self.handled.update(id(c) for c in calls)
        header = f"for {self.m.code(loop.target)} in {self.m.code(loop.iter)}: ..."
        self._guard(header, self._unroll, loop, {})

    def _unroll(self, loop: cst.For, env: dict[str, _Lit]) -> None:
        if loop.asynchronous or loop.orelse:
            raise _Unreadable(loop, "`async for` and `for ... else` are not read")
        items = self._evaluate(loop.iter, env)
        if not isinstance(items.value, tuple):
            raise _Unreadable(loop.iter, f"`{self.m.code(loop.iter)}` is not a literal list")
        body = _flatten(loop.body.body)
        for item in items.value:
            inner = {**env, **self._bind(loop.target, item)}
            for statement in body:
                if isinstance(statement, cst.Expr) and self._is_dag_call(statement.value):
                    self._dag_call(statement.value, inner, item.node)
                elif isinstance(statement, cst.For):
                    self._unroll(statement, inner)
                elif not isinstance(statement, cst.Pass):
                    reason = "a loop that builds the DAG may hold only add_node/add_edge calls"
                    raise _Unreadable(statement, reason)

    def _bind(self, target: cst.BaseExpression, item: _Lit) -> dict[str, _Lit]:
        if isinstance(target, cst.Name):
            return {target.value: item}
        if isinstance(target, (cst.Tuple, cst.List)) and isinstance(item.value, tuple):
            names = [e.value for e in target.elements]
            if len(names) == len(item.value) and all(isinstance(n, cst.Name) for n in names):
                return {n.value: v for n, v in zip(names, item.value)}
        reason = f"`{self.m.code(target)}` does not unpack `{self.m.code(item.node)}`"
        raise _Unreadable(item.node, reason)

    def _dag_call(self, call: cst.Call, env: dict[str, _Lit], origin: cst.CSTNode | None) -> None:
        method = call.func.attr.value
        values = self._arguments(call, DAG_METHODS[method], env)
        where = self.m.location(origin or call)
        if method == "add_node":
            self.decls.append(NodeDecl(_plain(values[0]), where))
        else:
            self.decls.append(EdgeDecl(_plain(values[0]), _plain(values[1]), where))

    def _arguments(
        self, call: cst.Call, params: tuple[str, ...], env: dict[str, _Lit]
    ) -> list[_Lit]:
        values: list[_Lit] = []
        named: dict[str, _Lit] = {}
        for arg in call.args:
            if arg.star == "**":
                raise _Unreadable(arg, f"`**{self.m.code(arg.value)}` is not read")
            lit = self._evaluate(arg.value, env)
            if arg.star == "*" and not isinstance(lit.value, tuple):
                raise _Unreadable(arg.value, f"`{self.m.code(arg.value)}` is not a literal pair")
            if arg.star == "*":
                values.extend(lit.value)
            elif arg.keyword:
                named[arg.keyword.value] = lit
            else:
                values.append(lit)
        values += [named.pop(p) for p in params[len(values) :] if p in named]
        if named or len(values) != len(params):
            method = call.func.attr.value
            raise _Unreadable(call, f"{method} takes ({', '.join(params)})", hint=False)
        return values

    def _evaluate(self, expr: cst.BaseExpression, env: dict[str, _Lit]) -> _Lit:
        """The value of a literal (strings, numbers, lists/tuples, loop variables, `x[0]`)."""
        if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
            if expr.evaluated_value is not None:  # None: an f-string inside
                return _Lit(expr.evaluated_value, expr)
        elif isinstance(expr, (cst.Integer, cst.Float)):
            return _Lit(expr.evaluated_value, expr)
        elif isinstance(expr, cst.Name) and expr.value in env:
            return env[expr.value]
        elif isinstance(expr, cst.Name) and expr.value in ("None", "True", "False"):
            return _Lit({"None": None, "True": True, "False": False}[expr.value], expr)
        elif isinstance(expr, (cst.List, cst.Tuple)):
            if not any(isinstance(e, cst.StarredElement) for e in expr.elements):
                return _Lit(tuple(self._evaluate(e.value, env) for e in expr.elements), expr)
        elif isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
            index = expr.slice[0].slice
            base = self._evaluate(expr.value, env)
            if isinstance(index, cst.Index) and isinstance(index.value, cst.Integer):
                position = index.value.evaluated_value
                if isinstance(base.value, tuple) and position < len(base.value):
                    return base.value[position]
        raise _Unreadable(expr, f"`{self.m.code(expr)}` is not a literal")

    # -- every other use of the DAG variable

    def _collect_accesses(self, variable: cst.Name) -> None:
        scope = self.m.scopes[variable]
        assignments = sorted(
            scope.assignments[variable.value], key=lambda a: self._position(a.node)
        )
        if len(assignments) > 1:
            lines = ", ".join(str(self._position(a.node)[0]) for a in assignments)
            reason = f"it is assigned more than once, on lines {lines}"
            self._unreadable(variable.value, _Unreadable(assignments[1].node, reason))
        for assignment in assignments:
            for access in assignment.references:
                if isinstance(access.node, cst.Name):
                    self.accesses[id(access.node)] = access.node

    def _is_dag_call(self, node: cst.CSTNode) -> bool:
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

    def _check_use(self, name: cst.Name) -> None:
        """Report a use of the DAG variable that may change the DAG and was not read."""
        top, context, depth = name, self.m.parents[name], 0
        while isinstance(context, (cst.Attribute, cst.Subscript)) and context.value is top:
            top, context, depth = context, self.m.parents[context], depth + 1
        method = top.attr.value if isinstance(top, cst.Attribute) else None
        if isinstance(context, cst.Call) and context.func is top:
            if depth == 1 and method in DAG_METHODS:
                if id(context) in self.handled:
                    return
                reason = (
                    "add_node/add_edge calls are read only as plain statements or literal "
                    "for-loops after the PipelineDAG(...) assignment, in the same block"
                )
            elif (depth == 1 and method in READ_ONLY_METHODS) or (
                depth > 1 and method in READ_ONLY_LIST_METHODS
            ):
                return
            else:
                reason = "it may change the DAG"
                if depth == 1:
                    reason = "only add_node and add_edge calls are read"
            construct = context
        elif _is_target(top, context):
            statement = context if isinstance(context, cst.AugAssign) else self.m.parents[context]
            construct, reason = statement, "it changes the DAG"
        elif depth > 0 or isinstance(context, (cst.Return, cst.FormattedStringExpression)):
            return  # reading an attribute, returning or formatting it
        elif isinstance(context, cst.Arg) and _harmless_call(self.m.parents[context]):
            return
        else:
            construct = self.m.parents[context] if isinstance(context, cst.Arg) else context
            reason = f"`{name.value}` is used as a value here, which may change it"
        self._unreadable(self.m.code(construct), _Unreadable(name, reason))

    # -- helpers

    def _guard(self, construct: str, action, *args) -> None:
        try:
            action(*args)
        except _Unreadable as exc:
            self._unreadable(construct, exc)

    def _unreadable(self, construct: str, exc: _Unreadable) -> None:
        if exc.hint:
            message = f"`{construct}` ({exc.reason}) cannot be read statically; {EXEC_HINT}"
        else:
            message = f"`{construct}`: {exc.reason}"
        self.diags.append(error(message, self.m.location(exc.node)))

    def _position(self, node: cst.CSTNode) -> tuple[int, int]:
        start = self.m.positions[node].start
        return start.line, start.column


def _index(sequence, item) -> int:
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


def _is_target(node: cst.CSTNode, context: cst.CSTNode) -> bool:
    if isinstance(context, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.Del, cst.For)):
        return context.target is node
    return isinstance(context, cst.AsName) and context.name is node


def _harmless_call(call: cst.CSTNode) -> bool:
    """print(dag), len(dag), logger.info("%s", dag): calls that only look at the DAG."""
    if not isinstance(call, cst.Call):
        return False
    func = call.func
    if isinstance(func, cst.Name):
        return func.value in HARMLESS_CALLS
    return isinstance(func, cst.Attribute) and func.attr.value in LOGGER_METHODS
