"""A large value used in several places is written once, as a module-level constant.

Two Cradle data loads of one pipeline carry the same SQL, schema and data source; two
processing steps the same JSON environment value. Written out at every use, a reviewer reads
the same 300 lines twice and cannot tell the copies are equal. Here such a value becomes one
constant, named after the field that holds it (`TRANSFORM_SPECIFICATION`), and each use reads
the name. Values are compared by their literal form, order included; a value stays a value
(the constant is a literal, the use a `Name`).

The pass works on the values as a graph of distinct sub-values (equal sub-values are one
node), so it is linear in the size of the values however deeply they nest.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from cursus_codegen.naming import py_identifier
from cursus_codegen.plan import model as m

# characters of a single-line string: shorter ones read fine where used
MIN_STRING = 200
MIN_MULTILINE = 80  # characters of a multi-line string (SQL, a script)
MIN_CONTAINER = 200  # characters of the literal form of a list or dict


@dataclass
class _Graph:
    """Distinct sub-values: node ids are assigned children first, so parents have larger ids."""

    ids: dict[tuple[object, ...], int] = field(default_factory=dict)
    values: list[object] = field(default_factory=list)
    children: list[list[int]] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    # the field that holds the first use
    labels: list[str] = field(default_factory=list)
    root_uses: list[int] = field(default_factory=list)

    def node(self, value: object, label: str) -> int:
        if isinstance(value, dict) and all(isinstance(k, str) for k in value):
            kids = [self.node(v, k) for k, v in value.items()]
            key: tuple[object, ...] = ("d", tuple(value), tuple(kids))
            size = (
                sum(
                    self.sizes[k] + len(name) + 4
                    for k, name in zip(kids, value, strict=True)
                )
                + 2
            )
        elif isinstance(value, (list, tuple)):
            kids = [self.node(v, _item_label(label, v)) for v in value]
            key, size = ("l", tuple(kids)), sum(self.sizes[k] + 2 for k in kids) + 2
        elif isinstance(value, str):
            kids, key, size = [], ("s", value), len(value) + 2
        else:  # numbers, booleans, None (and anything opaque): never shared
            kids, key, size = [], ("v", type(value).__name__, repr(value)), 0
        found = self.ids.get(key)
        if found is not None:
            return found
        self.ids[key] = len(self.values)
        self.values.append(value)
        self.children.append(kids)
        self.sizes.append(size)
        self.labels.append(label)
        self.root_uses.append(0)
        return len(self.values) - 1


def _item_label(label: str, item: object) -> str:
    singular = label[:-1] if label.endswith("s") and not label.endswith("ss") else label
    if isinstance(item, dict):
        for key, value in item.items():
            if (
                isinstance(key, str)
                and key.lower().endswith("name")
                and isinstance(value, str)
                and 0 < len(value) <= 40
            ):
                return f"{singular}_{value}"
    return f"{singular}_item"


def _worth_sharing(graph: _Graph, node: int) -> bool:
    value = graph.values[node]
    if isinstance(value, str):
        return len(value) >= (MIN_MULTILINE if "\n" in value else MIN_STRING)
    return isinstance(value, (list, tuple, dict)) and graph.sizes[node] >= MIN_CONTAINER


def _shared_nodes(graph: _Graph) -> set[int]:
    """Nodes written more than once in the module after sharing their shared ancestors."""
    uses = list(graph.root_uses)
    shared: set[int] = set()
    for node in range(len(graph.values) - 1, -1, -1):  # parents before children
        if uses[node] >= 2 and _worth_sharing(graph, node):
            shared.add(node)
        written = 1 if node in shared else uses[node]
        for kid in graph.children[node]:
            uses[kid] += written
    return shared


# Names the module template defines itself; a constant never takes one.
RESERVED_NAMES = frozenset(
    {
        "AUTHOR",
        "PIPELINE_VERSION",
        "PIPELINE_DESCRIPTION",
        "PIPELINE_NAME",
        "DEFAULT_REGION",
        "PIPELINE_EXECUTION_TEMP_DIR",
        "KMS_ENCRYPTION_KEY_PARAM",
        "SECURITY_GROUP_ID",
        "VPC_SUBNET",
        "PROCESSING_JOB_SHARED_NETWORK_CONFIG",
        "PIPELINE_PARAMETERS",
        "SANDBOX_SDK_PACKAGE",
        "REGIONS",
        "PIPELINE_NAMES",
    }
)
# StepPlan fields whose values templates print whole through `py` (others are read apart):
# compute_kwargs and environment (`_roots`, `_Rebuilder.step`), and these extras.
_VALUE_EXTRAS = ("step_config",)


def share_repeated_values(
    steps: tuple[m.StepPlan, ...],
) -> tuple[tuple[m.StepPlan, ...], tuple[tuple[str, m.Expr], ...]]:
    """The steps with each repeated large value replaced by a constant's name, and the
    constants (name, value) in definition order (a constant only uses earlier ones)."""
    graph = _Graph()
    for step in steps:
        for label, expr in _roots(step):
            _register(graph, expr, label)
    shared = _shared_nodes(graph)
    if not shared:
        return steps, ()
    names = _constant_names(graph, sorted(shared))
    rebuild = _Rebuilder(graph, names)
    new_steps = tuple(rebuild.step(step) for step in steps)
    constants = tuple(
        (names[node], rebuild.value(graph.values[node], top=True)[1])
        for node in sorted(shared)
    )
    return new_steps, constants


def _roots(step: m.StepPlan) -> Iterator[tuple[str, m.Expr]]:
    yield from step.compute_kwargs
    yield from step.environment
    for key, expr in step.extra:
        if key in _VALUE_EXTRAS:
            yield key, expr


def _register(graph: _Graph, expr: m.Expr, label: str) -> None:
    if isinstance(expr, m.Literal):
        graph.root_uses[graph.node(expr.value, label)] += 1
    elif isinstance(expr, m.DictOf):
        for key, item in expr.items:
            _register(graph, item, key)
    elif isinstance(expr, m.ListOf):
        for item in expr.items:
            _register(graph, item, label)
    elif isinstance(expr, m.Call):
        for key, item in expr.kwargs:
            _register(graph, item, key)
    elif isinstance(expr, m.Regional):
        for _, item in expr.values:
            _register(graph, item, label)


def _constant_names(graph: _Graph, nodes: list[int]) -> dict[int, str]:
    taken = set(RESERVED_NAMES)
    names: dict[int, str] = {}
    for node in nodes:
        base = py_identifier(graph.labels[node], fallback="value").upper()
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}_{n}"
        taken.add(name)
        names[node] = name
    return names


class _Rebuilder:
    """Values back into expressions, with each shared sub-value replaced by its name."""

    def __init__(self, graph: _Graph, names: dict[int, str]) -> None:
        self.graph, self.names = graph, names

    def step(self, step: m.StepPlan) -> m.StepPlan:
        extra = tuple(
            (k, self.expr(e) if k in _VALUE_EXTRAS else e) for k, e in step.extra
        )
        return replace(
            step,
            compute_kwargs=tuple((k, self.expr(e)) for k, e in step.compute_kwargs),
            environment=tuple((k, self.expr(e)) for k, e in step.environment),
            extra=extra,
        )

    def expr(self, expr: m.Expr) -> m.Expr:
        if isinstance(expr, m.Literal):
            return self.value(expr.value)[1]
        if isinstance(expr, m.DictOf):
            return m.DictOf(tuple((k, self.expr(e)) for k, e in expr.items))
        if isinstance(expr, m.ListOf):
            return m.ListOf(tuple(self.expr(e) for e in expr.items))
        if isinstance(expr, m.Call):
            return m.Call(expr.func, tuple((k, self.expr(e)) for k, e in expr.kwargs))
        if isinstance(expr, m.Regional):
            return m.Regional(tuple((alias, self.expr(e)) for alias, e in expr.values))
        return expr

    def value(self, value: object, top: bool = False) -> tuple[int, m.Expr]:
        """(node id, expression) of a value, computed bottom-up in one walk."""
        graph = self.graph
        if isinstance(value, dict) and all(isinstance(k, str) for k in value):
            kids = [self.value(v) for v in value.values()]
            node = graph.ids[("d", tuple(value), tuple(k for k, _ in kids))]
            if any(not isinstance(e, m.Literal) for _, e in kids):
                built: m.Expr = m.DictOf(
                    tuple(zip(value, (e for _, e in kids), strict=True))
                )
            else:
                built = m.Literal(value)
        elif isinstance(value, (list, tuple)):
            kids = [self.value(v) for v in value]
            node = graph.ids[("l", tuple(k for k, _ in kids))]
            if any(not isinstance(e, m.Literal) for _, e in kids):
                built = m.ListOf(tuple(e for _, e in kids))
            else:
                built = m.Literal(value)
        elif isinstance(value, str):
            node, built = graph.ids[("s", value)], m.Literal(value)
        else:
            node, built = graph.ids[
                ("v", type(value).__name__, repr(value))
            ], m.Literal(value)
        if not top and node in self.names:
            return node, m.Name(self.names[node])
        return node, built
