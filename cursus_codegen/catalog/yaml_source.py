"""Read one YAML data file into plain data plus the line/column of every key.

The catalog's validator reports problems by key path (`environment/rules/2/when`); this module
keeps the PyYAML marks so each problem also points at a line. Bad YAML never raises: it becomes
a Diagnostic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# PyYAML ships no type hints; without its stubs (types-PyYAML) it is untyped. The module type
# checks with or without them, hence `unused-ignore` for when they are installed.
import yaml  # type: ignore[import-untyped, unused-ignore]

from cursus_codegen.diagnostics import Diagnostic, Location, error, json_pointer

KeyPath = tuple[str | int, ...]
# libyaml's parser when PyYAML has it: the same nodes and marks, ~10x faster on the catalog.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Step files are plain data: an alias would make one key stand for another's value, and a
# few nested aliases expand into billions of nodes ("billion laughs").
ALIASES_REFUSED = (
    "YAML aliases (*name) are not allowed in step-type files: write the value out"
)


@dataclass
class SourceFile:
    """A parsed file and where its keys are; collects the problems found in it."""

    path: str
    data: Any = None
    marks: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def location(self, keypath: KeyPath) -> Location:
        """The nearest known position of `keypath` (its key, else its closest parent)."""
        for end in range(len(keypath), -1, -1):
            found = self.marks.get(tuple(keypath[:end]))
            if found is not None:
                line, col = found
                return Location(
                    self.path, line, col, json_pointer(*keypath) if keypath else None
                )
        return Location(self.path, pointer=json_pointer(*keypath) if keypath else None)

    def fail(self, keypath: KeyPath, message: str) -> None:
        self.diagnostics.append(error(message, self.location(keypath)))


def read_yaml(text: str, path: str) -> SourceFile:
    source = SourceFile(path)
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            alias = _first_alias(node)
            if alias is not None:
                line, col = alias.start_mark.line + 1, alias.start_mark.column + 1
                source.diagnostics.append(
                    error(ALIASES_REFUSED, Location(path, line, col))
                )
                return source
            _record_marks(node, (), source)
            source.data = loader.construct_document(node)
    except RecursionError:
        source.diagnostics.append(
            error("the YAML nests too deeply to be read", Location(path))
        )
        source.data = None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        location = (
            Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        )
        source.diagnostics.append(error(f"invalid YAML: {problem}", location))
        source.data = None
    finally:
        loader.dispose()
    return source


def _first_alias(root: yaml.Node) -> yaml.Node | None:
    """The first node reached twice: an alias (`*name`). Walked once per node, without
    recursion, so an alias bomb is found in time linear in the file, before anything expands.
    """
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return node
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack += [value, key]
        elif isinstance(node, yaml.SequenceNode):
            stack += reversed(node.value)
    return None


def _record_marks(node: yaml.Node, keypath: KeyPath, source: SourceFile) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = keypath + (key,)
            source.marks[child] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            if key in seen:
                # PyYAML keeps the last duplicate silently; a data file must not.
                source.fail(child, f"duplicate key {key!r}")
            seen.add(key)
            _record_marks(value_node, child, source)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = keypath + (index,)
            source.marks[child] = (item.start_mark.line + 1, item.start_mark.column + 1)
            _record_marks(item, child, source)
