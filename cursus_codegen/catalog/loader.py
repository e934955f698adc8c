"""Load the step-type catalog: built-in data files plus `--steps DIR` folders.

Built-ins are package data (`cursus_codegen.catalog` folders `bases/` and `steps/`, read in file
name order). A `--steps DIR` file with the step_type of an earlier one replaces it; otherwise it
adds a type. Every problem becomes a Diagnostic with the file, key path and line; nothing raises.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from cursus_codegen.catalog.derive import DERIVATIONS
from cursus_codegen.catalog.parse_step import BaseFile, parse_base, parse_step
from cursus_codegen.catalog.references import check_references
from cursus_codegen.catalog.types import FieldSpec, StepType
from cursus_codegen.catalog.yaml_source import SourceFile, read_yaml
from cursus_codegen.diagnostics import Diagnostic, Location, error
from cursus_codegen.fs import reads
from cursus_codegen.inputs.files import input_file_problem

PACKAGE = "cursus_codegen.catalog"
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Catalog:
    by_step_type: Mapping[str, StepType]
    by_config_class: Mapping[str, StepType]
    # base name -> all its fields, ancestors first
    bases: Mapping[str, tuple[FieldSpec, ...]]

    def get(self, step_type: str) -> StepType | None:
        return self.by_step_type.get(step_type)

    def step_type_of_class(self, class_name: str) -> str | None:
        step = self.by_config_class.get(class_name)
        return step.step_type if step else None

    def fields_of(self, step: StepType) -> tuple[FieldSpec, ...]:
        """Base fields then the class's own; a class field replaces a base field in place."""
        return merge_fields(self.bases.get(step.config_base, ()), step.fields)


def merge_fields(
    base: Sequence[FieldSpec], own: Sequence[FieldSpec]
) -> tuple[FieldSpec, ...]:
    merged = {f.name: f for f in base}
    for f in own:
        merged[f.name] = f
    return tuple(merged.values())


def load_catalog(
    extra_dirs: Sequence[Path] = (),
) -> tuple[Catalog | None, list[Diagnostic]]:
    """The catalog of every step type that loaded, and the problems found (never raises).

    A file with an error defines nothing; callers stop on `has_errors(diagnostics)`.
    """
    builtin_steps, bases, builtin_diags = _builtins()
    diags = list(builtin_diags)
    steps: dict[str, tuple[StepType, SourceFile]] = dict(builtin_steps)
    for folder in extra_dirs:
        found, folder_diags = _read_steps_dir(Path(folder))
        diags += folder_diags
        steps.update(found)
    by_class: dict[str, StepType] = {}
    for step, src in steps.values():
        diags += check_references(step, src, bases, merge_fields)
        other = by_class.get(step.config_class)
        if other is not None:
            diags.append(
                error(
                    f"config_class {step.config_class} is claimed by step types "
                    f"{other.step_type} and {step.step_type}",
                    Location(src.path),
                )
            )
        by_class[step.config_class] = step
    catalog = Catalog(
        by_step_type={name: step for name, (step, _) in steps.items()},
        by_config_class=by_class,
        bases=bases,
    )
    return catalog, diags


# (step type -> (step, its file)) in load order, base name -> fields, problems
_Builtins = tuple[
    tuple[tuple[str, tuple[StepType, SourceFile]], ...],
    Mapping[str, tuple[FieldSpec, ...]],
    tuple[Diagnostic, ...],
]


# no arguments: computed once per process
@functools.cache
def _builtins() -> _Builtins:
    """The packaged catalog, parsed once per process (~0.09 s). It is not kept on disk: a
    stored parse would be slower to load than to redo, and an entry that rebuilds objects is
    one more thing a forged cache could abuse."""
    return _parse_builtins(_package_files("bases"), _package_files("steps"))


def _parse_builtins(
    bases_files: Iterable[tuple[str, str]], steps_files: Iterable[tuple[str, str]]
) -> _Builtins:
    diags: list[Diagnostic] = []
    base_files = []
    for display, text in bases_files:
        src = read_yaml(text, display)
        parsed = parse_base(src) if not src.diagnostics else None
        diags += src.diagnostics
        if parsed is not None:
            base_files.append(parsed)
    bases = _resolve_bases(base_files, diags)
    steps: dict[str, tuple[StepType, SourceFile]] = {}
    for display, text in steps_files:
        _add_step(read_yaml(text, display), steps, diags)
    return tuple(steps.items()), bases, tuple(diags)


def _package_files(folder: str) -> list[tuple[str, str]]:
    root = resources.files(PACKAGE) / folder
    if not root.is_dir():
        return []
    entries = sorted(
        (e for e in root.iterdir() if e.name.endswith(SUFFIXES)), key=lambda e: e.name
    )
    return [
        (
            f"{PACKAGE.replace('.', '/')}/{folder}/{e.name}",
            e.read_text(encoding="utf-8"),
        )
        for e in entries
    ]


def _read_steps_dir(
    folder: Path,
) -> tuple[dict[str, tuple[StepType, SourceFile]], list[Diagnostic]]:
    diags: list[Diagnostic] = []
    if not reads.is_dir(folder):
        return {}, [error("--steps: not a directory", Location(str(folder)))]
    steps: dict[str, tuple[StepType, SourceFile]] = {}
    for path in (
        folder / name for name in reads.list_names(folder) if name.endswith(SUFFIXES)
    ):
        # no FIFO, no /dev/zero
        problem = input_file_problem(path, str(path), "step-type file")
        if problem is not None:
            diags.append(problem)
            continue
        try:
            text = reads.read_bytes(path).decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            diags.append(
                error(f"cannot read step-type file: {exc}", Location(str(path)))
            )
            continue
        _add_step(read_yaml(text, str(path)), steps, diags)
    return steps, diags


def _add_step(
    src: SourceFile,
    steps: dict[str, tuple[StepType, SourceFile]],
    diags: list[Diagnostic],
) -> None:
    if src.data is None and not src.diagnostics:
        src.fail((), "the file is empty")
    # Parse even after a YAML-level problem (a duplicate key) so one run reports them all.
    step = parse_step(src, DERIVATIONS) if src.data is not None else None
    diags += src.diagnostics
    if step is None or src.diagnostics:
        return  # a file with errors defines nothing (it must not replace a working type)
    if step.step_type in steps:
        diags.append(
            error(
                f"step_type {step.step_type} is already defined in "
                f"{steps[step.step_type][1].path}",
                src.location(("step_type",)),
            )
        )
        return
    steps[step.step_type] = (step, src)


def _resolve_bases(
    files: list[BaseFile], diags: list[Diagnostic]
) -> dict[str, tuple[FieldSpec, ...]]:
    by_name = {f.name: f for f in files}
    resolved: dict[str, tuple[FieldSpec, ...]] = {}

    def resolve(name: str, chain: tuple[str, ...]) -> tuple[FieldSpec, ...]:
        if name in resolved:
            return resolved[name]
        base = by_name[name]
        parent: tuple[FieldSpec, ...] = ()
        if base.extends is not None:
            if base.extends in chain or base.extends not in by_name:
                why = "a cycle" if base.extends in chain else "an unknown base"
                diags.append(
                    error(
                        f"base {name} extends {why}: {base.extends}",
                        Location(base.source_file),
                    )
                )
            else:
                parent = resolve(base.extends, chain + (name,))
        resolved[name] = merge_fields(parent, base.fields)
        return resolved[name]

    for f in files:
        resolve(f.name, ())
    return resolved
