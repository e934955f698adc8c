"""Planned steps -> the PipelinePlan: MODS metadata, shared values, features, imports, header.

For several configurations (one per region) the steps are merged first (plan/regions.py):
the regions must agree on the MODS author and version and give one configuration each.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, replace
from pathlib import Path

from cursus_codegen.diagnostics import Diagnostic, Location, error, has_errors
from cursus_codegen.expr import local_files
from cursus_codegen.fs import reads
from cursus_codegen.inputs import ConfigFile
from cursus_codegen.mods import Metadata, mods_metadata
from cursus_codegen.paths import default_project_root
from cursus_codegen.plan import model as m
from cursus_codegen.plan.features import module_features
from cursus_codegen.plan.imports import imports_for
from cursus_codegen.plan.options import Options
from cursus_codegen.plan.region_values import RegionsDiffer
from cursus_codegen.plan.regions import RegionPlan, merge_steps
from cursus_codegen.plan.shared_values import share_repeated_values
from cursus_codegen.version import GENERATOR_NAME, __version__

# One configuration file planned: the file and its steps in build order (plan/build.py).
Planned = tuple[ConfigFile, tuple[m.StepPlan, ...]]


def pipeline_plan(
    opts: Options,
    config: ConfigFile,
    steps: tuple[m.StepPlan, ...],
    regions: tuple[tuple[str, str], ...] = (),
    more_inputs: tuple[m.HeaderInput, ...] = (),
) -> m.PipelinePlan:
    meta = metadata(opts, config)
    steps, constants = share_repeated_values(steps)
    features = module_features(steps, constants)
    vendored: tuple[tuple[str, tuple[str, ...]], ...] = ()
    source = ""
    if opts.values["vendor"]:
        vendored = vendored_paths(steps)
        source = str(
            reads.resolve(
                opts.project_root or default_project_root(opts.configs[0].path)
            )
        )
    return m.PipelinePlan(
        vendored=vendored,
        vendor_source=source,
        **asdict(meta),
        steps=steps,
        constants=constants,
        features=features,
        regions=regions,
        imports=imports_for(steps, features),
        inputs=(
            m.HeaderInput("DAG", opts.dag.header, _sha256(opts.dag.path)),
            m.HeaderInput("config", opts.configs[0].header, config.sha256),
            *more_inputs,
        ),
        command=opts.command,
        generator_version=f"{GENERATOR_NAME} {__version__}",
    )


def vendored_paths(
    steps: Iterable[m.StepPlan],
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every local file or folder the steps upload or read, with the steps using it, by path."""
    users: dict[str, list[str]] = {}
    for step in steps:
        for local in local_files(step):
            names = users.setdefault(local.relative, [])
            if step.step_name not in names:
                names.append(step.step_name)
    return tuple((path, tuple(names)) for path, names in sorted(users.items()))


def metadata(opts: Options, config: ConfigFile) -> Metadata:
    return mods_metadata(
        config.configs[0].values,
        class_name=opts.values["class_name"],
        author=opts.values["author"],
        version=opts.values["version"],
        description=opts.values["description"],
    )


def regional_pipeline(
    opts: Options, planned: Sequence[Planned], diags: list[Diagnostic]
) -> tuple[m.PipelinePlan | None, list[Diagnostic]]:
    """One plan for several configurations, one per region, the first the default region."""
    displays = [config_file.display for config_file in opts.configs]
    metas = [metadata(opts, config) for config, _ in planned]
    first_of: dict[str, str] = {}
    for meta, display, (config, _) in zip(metas, displays, planned, strict=True):
        entry = config.configs[0]
        if meta.regional_alias in first_of:
            diags.append(
                error(
                    f"{first_of[meta.regional_alias]} and {display} are both for region "
                    f"{meta.regional_alias!r}: give one configuration per region",
                    entry.location("region"),
                )
            )
        first_of.setdefault(meta.regional_alias, display)
        for field_name, attr in (("author", "author"), ("pipeline_version", "version")):
            if getattr(meta, attr) != getattr(metas[0], attr):
                diags.append(
                    error(
                        f"MODS {attr} {getattr(meta, attr)!r} differs from "
                        f"{getattr(metas[0], attr)!r} in {displays[0]}: one template "
                        "has one author and version",
                        entry.location(field_name),
                    )
                )
    if has_errors(diags):
        return None, diags
    try:
        steps = merge_steps(
            [
                RegionPlan(meta.regional_alias, steps)
                for meta, (_, steps) in zip(metas, planned, strict=True)
            ]
        )
    except RegionsDiffer as exc:
        return None, diags + [
            error(
                f"{exc}: the regions' configurations must build the same "
                "pipeline shape",
                Location(", ".join(displays)),
            )
        ]
    regions = tuple((meta.regional_alias, meta.pipeline_name) for meta in metas)
    descriptions = tuple((meta.regional_alias, meta.description) for meta in metas)
    if len({d for _, d in descriptions}) == 1:
        descriptions = ()
    more = tuple(
        m.HeaderInput("config", config_file.header, config.sha256)
        for (config, _), config_file in zip(planned[1:], opts.configs[1:], strict=True)
    )
    plan = pipeline_plan(opts, planned[0][0], steps, regions, more)
    return replace(plan, region_descriptions=descriptions), diags


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(reads.read_bytes(path)).hexdigest()
