"""The values a generated module holds: the only things a template may print as code.

Shared by every phase that decides a value of the generated code (the planners, the MODS
execution documents) and by the renderer, which turns each into source through `pyexpr`.
Nothing here is text of code: a configuration value stays a value (`Literal`), and a name is
one the generator built itself and already sanitised.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeAlias


@dataclass(frozen=True)
class Literal:
    """A configuration value, emitted as a Python literal (repr), never as pasted text."""

    value: Any


@dataclass(frozen=True)
class LocalFile:
    """A file or folder shipped beside the generated module, relative to the module's folder."""

    relative: str


@dataclass(frozen=True)
class Upstream:
    """`<step var>.properties.<path>` of an upstream step (path segments already parsed)."""

    step_var: str
    path: tuple[
        str | int, ...
    ]  # attribute names (str) and subscripts ("['x']" kept as key strings)
    keys: tuple[bool, ...]  # True where the segment is a ['key'] subscript


@dataclass(frozen=True)
class OutputJoin:
    """`Join(on="/", values=[<EXECUTION_S3_PREFIX parameter>, *segments])`."""

    segments: tuple[str, ...]


@dataclass(frozen=True)
class SuffixJoin:
    """`Join(on="/", values=[<source>, suffix])`: a training channel below an upstream folder."""

    source: Expr
    suffix: str


@dataclass(frozen=True)
class Name:
    """A module-level or local name the generator itself defines (already a valid identifier)."""

    identifier: str


@dataclass(frozen=True)
class Call:
    """`func(kwarg=value, ...)`; func is a name the generator imports (already sanitised)."""

    func: str
    kwargs: tuple[tuple[str, Expr], ...]


@dataclass(frozen=True)
class ListOf:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class DictOf:
    items: tuple[tuple[str, Expr], ...]


@dataclass(frozen=True)
class RoleAccountImage:
    """`<account id of the execution role ARN> + suffix`: an image in the role's own account,
    known only at run time (cursus `script` kind: `f"{role.split(':')[4]}.dkr.ecr...."`).
    """

    suffix: str


@dataclass(frozen=True)
class Regional:
    """A value the regions' configurations set differently: (regional alias, value) in the
    order of the configurations, written as `self._regional({"NA": ..., "EU": ...})`."""

    values: tuple[tuple[str, Expr], ...]


Expr: TypeAlias = (
    Literal
    | LocalFile
    | Upstream
    | OutputJoin
    | SuffixJoin
    | Name
    | Call
    | ListOf
    | DictOf
    | RoleAccountImage
    | Regional
)


def local_files(value: object) -> Iterator[LocalFile]:
    """Every LocalFile inside a plan value (dataclasses, tuples and lists, at any depth)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, LocalFile):
            yield item
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            stack.extend(getattr(item, f.name) for f in dataclasses.fields(item))
        elif isinstance(item, (tuple, list)):
            stack.extend(item)
