"""The header's record of what shaped the module beyond the DAG and configuration.

The `--steps` folders and the `--templates` folder are each recorded with one hash over the
files the generator reads from them (relative POSIX paths and contents, in sorted path order,
so independent of the file system's listing order); every input's hash is kept only with
`--input-hashes`, and the generator version unless `--omit-version`. Files are read through the
recording read layer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from cursus_codegen import GENERATOR_NAME
from cursus_codegen.fs import reads
from cursus_codegen.plan import model as m


def folder_files(
    folder: Path, suffixes: tuple[str, ...], recursive: bool
) -> list[Path]:
    """The files the generator reads from a folder, in sorted relative-path order."""
    return [p for p in reads.walk_files(folder, recursive) if p.name.endswith(suffixes)]


def folder_sha256(folder: Path, suffixes: tuple[str, ...], recursive: bool) -> str:
    digest = hashlib.sha256()
    for path in folder_files(folder, suffixes, recursive):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(
            hashlib.sha256(reads.read_bytes(path)).hexdigest().encode("ascii") + b"\n"
        )
    return digest.hexdigest()


def with_provenance(
    plan: m.PipelinePlan,
    steps: Sequence[tuple[Path, str]],
    templates: tuple[Path, str] | None,
    step_suffixes: tuple[str, ...],
    omit_version: bool,
    input_hashes: bool,
) -> m.PipelinePlan:
    """`plan` with the folders' hashes among its header inputs; `steps` and `templates` are
    (folder, as the header shows it)."""
    extra = [
        m.HeaderInput("steps", header, folder_sha256(folder, step_suffixes, False))
        for folder, header in steps
    ]
    if templates is not None:
        folder, header = templates
        extra.append(
            m.HeaderInput("templates", header, folder_sha256(folder, (".j2",), True))
        )
    version = GENERATOR_NAME if omit_version else plan.generator_version
    inputs = plan.inputs + tuple(extra)
    # a hash per input makes every two configuration edits conflict
    if not input_hashes:
        inputs = tuple(replace(item, sha256="") for item in inputs)
    return replace(plan, inputs=inputs, generator_version=version)
