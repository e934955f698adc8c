"""What each manifest pipeline writes, reads and uploads, and the pipelines that collide.

Paths are compared once links and `..` are resolved. A pipeline is refused (a located error at
its table in pyproject.toml, decided before any pipeline writes) when a file it writes is a
file another pipeline writes, or lies inside (or is) a file or folder another pipeline reads,
uploads or mirrors as a vendored folder: both would "succeed" and `check` would then fail
forever, or one would overwrite what the other uploads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cursus_codegen.diagnostics import Location, error

if TYPE_CHECKING:
    from cursus_codegen.project.manifest import Manifest
    from cursus_codegen.project.pipelines import Pipeline
    from cursus_codegen.run.request import GenerateRequest, GenerateResult


@dataclass(frozen=True)
class Claims:
    # every file the pipeline writes (the module, vendored copies)
    writes: tuple[str, ...]
    mirrors: tuple[str, ...]  # vendored folders whose other files it deletes
    # its DAG, configurations, --steps and --templates folders, the sources of its vendored
    # copies: a file written inside is read
    reads: tuple[str, ...]
    uploads: tuple[str, ...]  # the local files and folders its pipeline uploads


CLAIM_PARTS = ("writes", "mirrors", "reads", "uploads")


def static_claims(pipeline: Pipeline) -> Claims:
    """What the manifest alone says of a pipeline that could not be generated."""
    reads = tuple(_real(p) for p in (pipeline.dag, *pipeline.configs))
    return Claims((_real(pipeline.output),), (), reads, ())


def _real(path: str | os.PathLike[str]) -> str:
    return os.path.realpath(path)


def claims_of(
    pipeline: Pipeline, req: GenerateRequest, result: GenerateResult
) -> Claims:
    """A pipeline's claims, from its request and generation result (in the worker)."""
    from cursus_codegen.fs import writer
    from cursus_codegen.output.protect import uploaded_paths
    from cursus_codegen.run import read_paths

    outputs = result.outputs
    writes: tuple[str, ...] = (_real(pipeline.output),)
    mirrors: tuple[str, ...] = ()
    if outputs is not None:
        writes = tuple(
            str(writer.real_target(outputs.root, t)) for t in outputs.targets()
        )
        mirrors = tuple(
            str(writer.real_target(outputs.root, outputs.below_root(f)))
            for f in outputs.mirrored
        )
    module_dir = Path(_real(pipeline.output)).parent
    uploads = (
        tuple(_real(p) for p, _ in uploaded_paths(result.plan, module_dir))
        if result.plan
        else ()
    )
    folders = [*req.steps, *([req.templates] if req.templates is not None else [])]
    reads = [p for p, _ in read_paths(req)] + [folder.path for folder in folders]
    if req.options["vendor"] and result.plan is not None:
        reads += [
            Path(result.plan.vendor_source) / rel for rel, _ in result.plan.vendored
        ]
    return Claims(writes, mirrors, tuple(sorted({_real(p) for p in reads})), uploads)


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def collisions(claims: dict[str, Claims], manifest: Manifest) -> dict[str, str]:
    """Pipeline name -> the error that refuses it (every collision, both sides)."""
    lines = {p.name: p.line for p in manifest.pipelines}
    display = os.path.relpath(manifest.path)
    found: dict[str, list[str]] = {}
    for name, mine in claims.items():
        for other, theirs in claims.items():
            for path in mine.writes:
                what = _collision(path, theirs) if other != name else None
                if what is not None:
                    found.setdefault(name, []).append(
                        f"writes {os.path.relpath(path)}, which pipeline {other!r} {what}"
                    )
    return {
        name: "\n".join(
            error(message, Location(display, lines.get(name), 1)).format()
            for message in messages[:5]
        )
        for name, messages in found.items()
    }


def _collision(path: str, theirs: Claims) -> str | None:
    if path in theirs.writes:
        return "writes too"
    if any(_within(path, f) for f in theirs.mirrors):
        return "mirrors as a vendored folder (it would delete it)"
    if any(_within(path, f) for f in theirs.uploads):
        return "uploads"
    if any(_within(path, f) for f in theirs.reads):
        return "reads"
    return None
