"""What the per-kind step planners need about one node, gathered once by
plan/node_contexts.py."""

from __future__ import annotations

import keyword
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cursus_codegen.catalog.types import LocalPath, OutputSpec, StepType
from cursus_codegen.diagnostics import Diagnostic, Location, error, warning
from cursus_codegen.paths import LocalLayout, is_absolute, is_s3, local_path_problem
from cursus_codegen.plan import model as m
from cursus_codegen.plan.wiring import Wire

# How a planner gets the expression of a wired input: planners.py's `upstream_of` (the
# producer's output as an `Upstream`, or `Literal(None)` after reporting an unreadable
# property path).
UpstreamOf = Callable[[Wire], m.Expr]

_PATH_TOKEN = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\['([^'\\]*)'\]|\[(\d+)\]")


@dataclass
class NodeContext:
    node: str
    config_key: str
    step: StepType  # variant already applied
    # effective config values (defaults applied, declared fields only)
    values: Mapping[str, Any]
    step_name: str
    var: str
    wires: tuple[Wire, ...]
    # where a config field is (None: the entry)
    locate: Callable[[str | None], Location]
    layout: LocalLayout
    strict: bool
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # (class name, effective values) of every configuration of the file, in file order
    # (plan_sdk.share_related_configs: cursus's Registration execution document reads them)
    related_configs: tuple[tuple[str, Mapping[str, Any]], ...] = ()

    # -- values ---------------------------------------------------------------------------

    def value(self, name: str, default: Any = None) -> Any:
        found = self.values.get(name)
        return default if found is None else found

    def fail(self, message: str, field_name: str | None = None) -> None:
        self.diagnostics.append(error(message, self.locate(field_name)))

    # -- local files ----------------------------------------------------------------------

    def entry_point(self) -> m.Literal:
        """The step's entry point (a file name inside its source folder), as a literal; a name
        no uploaded file can have is an error located at the field."""
        field_name = self.step.entry_point_field
        value = self.value(field_name) if field_name else None
        problem = local_path_problem(value) if isinstance(value, str) else None
        if problem is not None:
            self.fail(f"{field_name}: {problem}", field_name)
        return m.Literal(value)

    def local(self, relative: str, field_name: str) -> m.Expr:
        """An S3 URI stays a literal; a local path becomes a module-relative `_local(...)`."""
        if is_s3(relative):
            return m.Literal(relative)
        problem = local_path_problem(relative)
        if problem is not None:
            self.fail(f"{field_name}: {problem}", field_name)
            return m.Literal(relative)
        if is_absolute(relative):
            self.fail(
                f"{field_name} must be relative to the project root, not an absolute path "
                f"({relative!r}): the generated module must not depend on this machine",
                field_name,
            )
            return m.Literal(relative)
        # as an absolute path would, it names a file outside the project
        if _leaves_root(relative):
            self.fail(
                f"{field_name} must stay inside the project root ({relative!r} leaves it): the "
                f"generated module would upload a file of this machine from outside the project",
                field_name,
            )
            return m.Literal(relative)
        if not self.layout.exists(relative):
            message = (
                f"{field_name}: {relative!r} does not exist under the project root "
                f"{self.layout.project_root.name}/ (use --project-root to point elsewhere)"
            )
            make = error if self.strict else warning
            self.diagnostics.append(make(message, self.locate(field_name)))
        return m.LocalFile(self.layout.module_relative(relative))

    def local_value(
        self, value: str | LocalPath | None, field_name: str
    ) -> m.Expr | None:
        if value is None:
            return None
        if isinstance(value, LocalPath):
            return self.local(value.relative, field_name)
        return self.local(value, field_name)


def _leaves_root(relative: str) -> bool:
    normal = posixpath.normpath(relative.replace("\\", "/"))
    return normal == ".." or normal.startswith("../")


def upstream(step_var: str, output: OutputSpec) -> m.Upstream | None:
    """Parse `properties.A.B['key'].C` into an `Upstream` expression (None if malformed)."""
    path = output.property_path
    if not path.startswith("properties."):
        return None
    rest = path[len("properties") :]
    segments: list[str | int] = []
    keys: list[bool] = []
    pos = 0
    while pos < len(rest):
        match = _PATH_TOKEN.match(rest, pos)
        if not match:
            return None
        attr, key, index = match.groups()
        if (attr is not None and keyword.iskeyword(attr)) or (
            index is not None and len(index) > 18
        ):
            return None  # `.class` is no attribute Python can write; a huge index no list has
        if attr is not None:
            segments.append(attr)
            keys.append(False)
        else:
            segments.append(key if key is not None else int(index))
            keys.append(True)
        pos = match.end()
    return m.Upstream(step_var, tuple(segments), tuple(keys))


def describe_wire(wire: Wire) -> str:
    how = {"name": "exact name", "alias": "alias", "score": "match score"}.get(
        wire.match, wire.match
    )
    return f"{wire.input} <- {wire.producer}.{wire.output} ({how}, {wire.score:.3f})"


def wire_caveat(wire: Wire, required: bool) -> str:
    """SPEC §4: where cursus's wiring looks accidental, keep it and say so."""
    if wire.phase == "resolver":
        return "only cursus's second, builder-level wiring pass adds this input; kept for fidelity"
    if not required and wire.match == "score":
        return "cursus wires this optional input by name similarity alone; kept for fidelity"
    return ""


def source_location(path: str) -> Location:
    return Location(path)
