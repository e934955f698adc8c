"""The files a run writes, decided before anything is written, then compared (`--check`,
`--diff`) or written through the one writer."""

from __future__ import annotations

import os
from pathlib import Path

from cursus_codegen.diagnostics import Diagnostic, Location, error, has_errors
from cursus_codegen.fs import reads
from cursus_codegen.outcome import Outcome
from cursus_codegen.output import outputs, unified_diff
from cursus_codegen.output.vendor import vendored_copies
from cursus_codegen.run.preflight import read_paths
from cursus_codegen.run.request import GenerateRequest, GenerateResult, module_dir


def _write_root(output_path: Path) -> tuple[Path, str, str | None]:
    """(an existing folder every target is below, the path from it to the module's folder, why
    the module's folder may not be written). The module's folder is the output path's folder as
    given: it must not itself be a symbolic link, nor be reached through `..` across a link.
    """
    folder = Path(os.path.abspath(output_path)).parent
    root = folder
    # --vendor creates the folder
    while not os.path.lexists(root) and root != root.parent:
        root = root.parent
    if os.path.islink(root):
        return root, "", f"{root} is a symbolic link; refusing to write through it"
    if root == folder and os.path.realpath(output_path.parent) != os.path.realpath(
        folder
    ):
        return root, "", "the output path crosses a symbolic link with '..'"
    return root, "" if root == folder else folder.relative_to(root).as_posix(), None


def _inside_sources(
    written: outputs.Outputs, sources: list[Path]
) -> list[tuple[str, str]]:
    """Targets that are, or lie inside, a file or folder the vendored copies come from; a source
    folder that holds the module's folder below it is no such source (its walk skips the
    module's folder, so the copies are never copied again)."""
    found = []
    module = os.path.realpath(written.module_dir)
    for target in written.targets():
        real = os.path.realpath(written.root / target)
        for source in sources:
            folder = os.path.realpath(source)
            if module.startswith(folder.rstrip(os.sep) + os.sep):
                continue
            if real == folder or real.startswith(folder.rstrip(os.sep) + os.sep):
                found.append(
                    (
                        os.path.relpath(written.root / target),
                        (
                            f"it would be written inside {source.name!r}, which the "
                            "pipeline uploads (a source of the vendored copies)"
                        ),
                    )
                )
                break
    return found


def planned_outputs(
    req: GenerateRequest, result: GenerateResult
) -> outputs.Outputs | None:
    """The files a write would write (the module and its vendored copies); every problem with
    them is a diagnostic, decided before anything is written."""
    out, source, plan = req.output_path, result.source, result.plan
    # generate() asks only for a rendered module (so planned) with an output path
    assert out is not None and source is not None and plan is not None
    root, prefix, why = _write_root(out)
    where = Location(req.output_display)
    if why is not None:
        result.diagnostics.append(error(f"cannot write the module: {why}", where))
        return None
    copies: list[outputs.Copy] = []
    mirrored: list[str] = []
    sources: list[Path] = []
    if req.options["vendor"]:
        folder = module_dir(req)
        copies, mirrored, problems = vendored_copies(plan, folder)
        inputs = {reads.resolve(path) for path, _ in read_paths(req)}
        problems += [
            error(
                f"--vendor: the copy {target} would overwrite an input file",
                Location(target),
            )
            for target, source in copies
            if reads.resolve(folder / target) in inputs
        ]
        result.diagnostics += problems
        sources = [Path(plan.vendor_source) / rel for rel, _ in plan.vendored]
    written = outputs.Outputs(
        root,
        prefix,
        out.name,
        source,
        tuple(copies),
        tuple(mirrored),
    )
    found = outputs.problems(written) + _inside_sources(written, sources)
    result.diagnostics += [
        error(f"cannot write {shown}: {why}", where) for shown, why in found[:5]
    ]
    return None if has_errors(result.diagnostics) else written


def compare(req: GenerateRequest, result: GenerateResult) -> GenerateResult:
    """--check / --diff: the diff on stdout, with the output path exactly as given, and the
    outcome: for --check the module is MISSING, STALE (it or a vendored copy) or CURRENT.
    """
    out, source = req.output_path, result.source
    # generate() compares only a rendered module with an output path
    assert out is not None and source is not None
    exists = reads.kind(out) == "file"
    try:
        data = reads.read_bytes(out, limit=1 << 30) if exists else b""
    except OSError as exc:
        result.diagnostics.append(
            error(
                f"cannot read the module to compare: {exc.strerror or exc}",
                Location(req.output_display),
            )
        )
        return result
    # A module that is not UTF-8 simply differs; the diff shows it with replacement characters.
    on_disk = data.decode("utf-8", errors="replace")
    if not exists:
        result.stdout = f"{req.output_display}: missing (would be generated)\n"
    result.stdout += unified_diff(on_disk, source, req.output_display)
    stale = data != source.encode("utf-8")
    if req.options["vendor"] and result.outputs is not None:
        lines = outputs.differences(result.outputs)
        result.stdout += "".join(f"{line}\n" for line in lines)
        stale = stale or bool(lines)
    if not req.check:  # --diff: the diff is the answer, whatever it shows
        result.outcome = Outcome.PRINTED
    else:
        result.outcome = (
            Outcome.MISSING
            if not exists
            else Outcome.STALE if stale else Outcome.CURRENT
        )
    return result


def write_outputs(written: outputs.Outputs, display: str) -> list[Diagnostic]:
    """Write a run's files; a full disk or a read-only folder is a diagnostic (the old module is
    intact: every file is replaced atomically, the module after its copies)."""
    try:
        outputs.apply(written)
    except OSError as exc:
        return [
            error(f"cannot write the module: {exc.strerror or exc}", Location(display))
        ]
    return []
