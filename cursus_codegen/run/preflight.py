"""Checks before planning: the inputs are regular files of a bounded size in folders of a
bounded size, and the output is a file the run may replace (never an input, an uploaded file
or a link)."""

from __future__ import annotations

from pathlib import Path

from cursus_codegen.catalog import SUFFIXES as STEP_FILE_SUFFIXES
from cursus_codegen.diagnostics import Diagnostic, Location, error
from cursus_codegen.fs import reads
from cursus_codegen.inputs.files import input_file_problem
from cursus_codegen.output.protect import output_path_problems, overwrite_problems
from cursus_codegen.output.provenance import folder_files
from cursus_codegen.run.request import GenerateRequest


def output_problems(req: GenerateRequest) -> list[Diagnostic]:
    if req.output_path is None:
        return []
    problems = output_path_problems(
        req.output_path, req.output_display, create_folder=req.options["vendor"]
    )
    return problems or overwrite_problems(
        req.output_path, req.output_display, read_paths(req)
    )


def read_paths(req: GenerateRequest) -> list[tuple[Path, str]]:
    """The files and folders this run reads, which the output must never replace."""
    paths = [(each.path, "an input file") for each in (req.dag, *req.configs)]
    for folder in req.steps:
        paths += [
            (f, "a --steps file")
            for f in folder_files(folder.path, STEP_FILE_SUFFIXES, False)
        ]
    if req.templates is not None:
        paths += [
            (f, "a --templates file")
            for f in folder_files(req.templates.path, (".j2",), True)
        ]
    return paths


def input_problems(req: GenerateRequest) -> list[Diagnostic]:
    problems = []
    for each in (req.dag, *req.configs):
        problem = input_file_problem(each.path, each.display)
        if problem is not None:
            problems.append(problem)
    if req.project_root is not None and not reads.is_dir(req.project_root):
        problems.append(
            error("--project-root: not a directory", Location(str(req.project_root)))
        )
    for folder, what in [(d, "--steps") for d in req.steps] + [
        (req.templates, "--templates")
    ]:
        if folder is not None:
            problems += _folder_problems(folder.path, what)
    return problems


def _folder_problems(folder: Path, what: str) -> list[Diagnostic]:
    """A --steps or --templates folder: a folder of a bounded size whose files the generator
    reads are regular files (jinja2 would block on a FIFO, or read /dev/zero forever).
    """
    if not reads.is_dir(folder):
        return (
            [error(f"{what}: not a directory", Location(str(folder)))]
            if what == "--templates"
            else []
        )
    suffixes = (".j2",) if what == "--templates" else STEP_FILE_SUFFIXES
    try:
        files, others = reads.walk(folder, recursive=what == "--templates")
    except reads.TooManyFiles as exc:
        return [error(f"{what}: {exc}", Location(str(folder)))]
    problems = [
        error(
            f"{what[2:-1] if what == '--templates' else 'step-type file'}: is not a regular "
            "file (a FIFO, socket, device or dangling link)",
            Location(str(path)),
        )
        for path in others
        if path.name.endswith(suffixes)
    ]
    for path in (
        p for p in files if p.name.endswith(suffixes) and what == "--templates"
    ):
        problem = input_file_problem(path, str(path), "template")
        problems += [problem] if problem is not None else []
    return problems
