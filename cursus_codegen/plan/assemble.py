"""Planned steps -> the PipelinePlan: MODS metadata, shared values, features, imports, header.

For several configurations (one per region) the steps are merged first (plan/regions.py):
the regions must agree on the MODS author and version and give one configuration each.
"""

from __future__ import annotations

from dataclasses import asdict, replace

from cursus_codegen import GENERATOR_NAME, __version__
from cursus_codegen.diagnostics import Diagnostic, Location, error, has_errors
from cursus_codegen.expr import local_files
from cursus_codegen.inputs import ConfigFile
from cursus_codegen.mods import mods_metadata
from cursus_codegen.paths import default_project_root
from cursus_codegen.plan import model as m
from cursus_codegen.plan.features import module_features
from cursus_codegen.plan.imports import imports_for
from cursus_codegen.fs import reads
from cursus_codegen.plan.regions import RegionPlan, RegionsDiffer, merge_steps
from cursus_codegen.plan.shared_values import share_repeated_values


def pipeline_plan(opts, config: ConfigFile, steps, regions=(), more_inputs=()) -> m.PipelinePlan:
    meta = metadata(opts, config)
    steps, constants = share_repeated_values(steps)
    features = module_features(steps, constants)
    vendored, source = (), ""
    if opts.vendor:
        vendored = vendored_paths(steps)
        source = str(reads.resolve(opts.project_root or default_project_root(opts.config_path)))
    return m.PipelinePlan(
        vendored=vendored, vendor_source=source,
        **asdict(meta), steps=steps, constants=constants, features=features, regions=regions,
        imports=imports_for(steps, features),
        inputs=(m.HeaderInput("DAG", opts.dag_header or opts.dag_display, _sha256(opts.dag_path)),
                m.HeaderInput("config", opts.config_header or opts.config_display, config.sha256),
                *more_inputs),
        command=opts.command, generator_version=f"{GENERATOR_NAME} {__version__}",
    )


def vendored_paths(steps) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every local file or folder the steps upload or read, with the steps using it, by path."""
    users: dict[str, list[str]] = {}
    for step in steps:
        for local in local_files(step):
            names = users.setdefault(local.relative, [])
            if step.step_name not in names:
                names.append(step.step_name)
    return tuple((path, tuple(names)) for path, names in sorted(users.items()))


def metadata(opts, config: ConfigFile):
    return mods_metadata(config.configs[0].values, class_name=opts.class_name, author=opts.author,
                         version=opts.version, description=opts.description)


def regional_pipeline(opts, planned, diags) -> tuple[m.PipelinePlan | None, list[Diagnostic]]:
    """One plan for several configurations, one per region, the first the default region."""
    displays = [opts.config_display] + [display for _, display, _ in opts.more_configs]
    metas = [metadata(opts, config) for config, _ in planned]
    first_of: dict[str, str] = {}
    for meta, display, (config, _) in zip(metas, displays, planned):
        entry = config.configs[0]
        if meta.regional_alias in first_of:
            diags.append(error(f"{first_of[meta.regional_alias]} and {display} are both for region "
                               f"{meta.regional_alias!r}: give one configuration per region",
                               entry.location("region")))
        first_of.setdefault(meta.regional_alias, display)
        for field_name, attr in (("author", "author"), ("pipeline_version", "version")):
            if getattr(meta, attr) != getattr(metas[0], attr):
                diags.append(error(f"MODS {attr} {getattr(meta, attr)!r} differs from "
                                   f"{getattr(metas[0], attr)!r} in {displays[0]}: one template "
                                   "has one author and version", entry.location(field_name)))
    if has_errors(diags):
        return None, diags
    try:
        steps = merge_steps([RegionPlan(meta.regional_alias, steps)
                             for meta, (_, steps) in zip(metas, planned)])
    except RegionsDiffer as exc:
        return None, diags + [error(f"{exc}: the regions' configurations must build the same "
                                    "pipeline shape", Location(", ".join(displays)))]
    regions = tuple((meta.regional_alias, meta.pipeline_name) for meta in metas)
    descriptions = tuple((meta.regional_alias, meta.description) for meta in metas)
    if len({d for _, d in descriptions}) == 1:
        descriptions = ()
    more = tuple(m.HeaderInput("config", header or display, config.sha256)
                 for (config, _), (_, display, header) in zip(planned[1:], opts.more_configs))
    plan = pipeline_plan(opts, planned[0][0], steps, regions, more)
    return replace(plan, region_descriptions=descriptions), diags


def _sha256(path) -> str:
    import hashlib

    return hashlib.sha256(reads.read_bytes(path)).hexdigest()
