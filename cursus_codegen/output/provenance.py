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

from cursus_codegen.fs import reads
from cursus_codegen.options.input_file import InputFile
from cursus_codegen.options.table import Values
from cursus_codegen.plan import model as m
from cursus_codegen.version import GENERATOR_NAME


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
    steps: Sequence[InputFile],
    templates: InputFile | None,
    step_suffixes: tuple[str, ...],
    options: Values,
) -> m.PipelinePlan:
    """`plan` with the --steps and --templates folders' hashes among its header inputs, the
    generator's version unless `--omit-version`, and each input's hash only with
    `--input-hashes`."""
    extra = [
        m.HeaderInput(
            "steps", each.header, folder_sha256(each.path, step_suffixes, False)
        )
        for each in steps
    ]
    if templates is not None:
        extra.append(
            m.HeaderInput(
                "templates",
                templates.header,
                folder_sha256(templates.path, (".j2",), True),
            )
        )
    version = GENERATOR_NAME if options["omit_version"] else plan.generator_version
    inputs = plan.inputs + tuple(extra)
    # a hash per input makes every two configuration edits conflict
    if not options["input_hashes"]:
        inputs = tuple(replace(item, sha256="") for item in inputs)
    return replace(plan, inputs=inputs, generator_version=version)
