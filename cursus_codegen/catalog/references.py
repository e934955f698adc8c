"""Catalog-level checks of one step type: its base exists and every field it names is declared.

A rule naming an undeclared field would silently read None (cursus drops undeclared keys when it
loads a configuration), so a typo there must be an error, not an empty environment entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

from cursus_codegen.catalog.types import FieldSpec, StepType
from cursus_codegen.catalog.yaml_source import KeyPath, SourceFile
from cursus_codegen.diagnostics import Diagnostic, error


def check_references(
    step: StepType,
    src: SourceFile,
    bases: Mapping[str, tuple[FieldSpec, ...]],
    merge: Callable[[Sequence[FieldSpec], Sequence[FieldSpec]], tuple[FieldSpec, ...]],
) -> list[Diagnostic]:
    if step.config_base not in bases:
        known = ", ".join(sorted(bases)) or "none loaded"
        return [
            error(
                f"unknown config_base {step.config_base!r} (known: {known})",
                src.location(("config_base",)),
            )
        ]
    declared = {f.name for f in merge(bases[step.config_base], step.fields)}
    return [
        error(
            f"{what} names field {name!r}, which {step.config_class} does not declare "
            f"(add it under fields:)",
            src.location(kp),
        )
        for kp, what, name in _field_references(step)
        if name is not None and name not in declared
    ]


def _field_references(step: StepType) -> Iterator[tuple[KeyPath, str, str | None]]:
    yield ("entry_point_field",), "entry_point_field", step.entry_point_field
    if step.compute is not None:
        yield (
            "compute",
            "framework_version_field",
        ), "compute", step.compute.framework_version_field
        yield ("compute", "py_version_field"), "compute", step.compute.py_version_field
        yield ("compute", "image_uri_field"), "compute", step.compute.image_uri_field
        if step.compute.network_mode == "config":
            for key in (
                "subnets_field",
                "security_group_ids_field",
                "enable_network_isolation_field",
            ):
                yield ("compute", key), "compute", getattr(step.compute, key)
    for f in step.fields:
        yield ("fields", f.name, "default_from"), f"field {f.name}", f.default_from
    for i, rule in enumerate(step.environment.rules):
        for key in ("field", "each", "if_truthy", "if_falsy"):
            yield ("environment", "rules", i, key), f"env rule {rule.name}", getattr(
                rule, key
            )
    for i, item in enumerate(step.job_arguments.items):
        yield (
            "job_arguments",
            "items",
            i,
            "field",
        ), f"job argument {item.flag}", item.field
    yield (
        ("job_arguments", "passthrough_field"),
        "job_arguments",
        step.job_arguments.passthrough_field,
    )
    for port in step.inputs:
        for kind, name in port.source_override or ():
            if kind == "field":
                yield (
                    ("inputs", port.logical_name, "source_override", "field"),
                    f"input {port.logical_name}",
                    name,
                )
    for i, spec in enumerate(step.validators):
        for j, path in enumerate(spec.require_any):
            yield ("validators", i, "require_any", j), "validator", path.split(".")[0]
        if spec.when is not None:
            yield ("validators", i, "when"), "validator", spec.when.split(".")[0]
