"""Command line: argument parsing, exit codes, and I/O. Nothing else.

Exit codes: 0 ok; 1 `--check` found a difference; 2 bad input (every problem printed as
`path:line:col: error: message`, nothing written); 3 a bug in the generator.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from cursus_codegen import __version__
from cursus_codegen.diagnostics import Diagnostic, error, has_errors
from cursus_codegen.generate import GenerateRequest, generate

EXIT_OK, EXIT_DIFFERS, EXIT_BAD_INPUT, EXIT_BUG = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cursus-codegen",
        description="Generate a reviewable SageMaker pipeline module from a cursus DAG and configuration.",
    )
    parser.add_argument("dag", help="the DAG: a dag.json, or a .py read statically")
    parser.add_argument("config", help="the cursus configuration JSON")
    parser.add_argument("-o", "--output", help="the module to write; '-' for stdout")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 with a diff if OUT is stale")
    mode.add_argument("--diff", action="store_true", help="print the diff against OUT, write nothing")
    parser.add_argument("--class-name", help="name of the generated pipeline class")
    parser.add_argument("--author", help="MODS author (default: the configuration's author)")
    parser.add_argument("--version", dest="pipeline_version", help="MODS pipeline version")
    parser.add_argument("--description", help="MODS pipeline description")
    parser.add_argument("--dag-function", help="the function that builds the DAG, when there are several")
    parser.add_argument("--exec-dag", action="store_true", help="execute the DAG .py instead of reading it")
    parser.add_argument("--project-root", help="folder that source_dir and entry points are relative to")
    parser.add_argument("--steps", action="append", default=[], metavar="DIR", help="extra step-type files")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("-V", "--generator-version", action="version", version=f"cursus-codegen {__version__}")
    return parser


def _display(path: str) -> str:
    """The path for messages and the header: as given, made relative if it was absolute."""
    if os.path.isabs(path):
        try:
            return os.path.relpath(path)
        except ValueError:
            return path
    return path


def _from_module(path: str, base: Path) -> str:
    """A path as seen from the generated module's folder (POSIX), for the module's header.

    The header must not depend on where the command was run from, so the regenerate command it
    records is meant to be run from the module's own folder.
    """
    try:
        return Path(os.path.relpath(Path(path).resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive on Windows: nothing relative exists
        return Path(path).name


def _command(args: argparse.Namespace) -> str:
    to_stdout = args.output in (None, "-")
    base = Path.cwd() if to_stdout else Path(args.output).resolve().parent
    words = ["cursus-codegen", _from_module(args.dag, base), _from_module(args.config, base)]
    words += ["-o", "-" if to_stdout else Path(args.output).name]
    for flag, value in (("--class-name", args.class_name), ("--author", args.author),
                        ("--version", args.pipeline_version), ("--description", args.description),
                        ("--dag-function", args.dag_function), ("--project-root", args.project_root)):
        if value is not None:
            words += [flag, _from_module(value, base) if flag == "--project-root" else value]
    for folder in args.steps:
        words += ["--steps", _from_module(folder, base)]
    if args.exec_dag:
        words.append("--exec-dag")
    return shlex.join(words)


def _request(args: argparse.Namespace) -> GenerateRequest:
    to_stdout = args.output in (None, "-")
    base = Path.cwd() if to_stdout else Path(args.output).resolve().parent
    return GenerateRequest(
        dag_header=_from_module(args.dag, base), config_header=_from_module(args.config, base),
        dag_path=Path(args.dag), config_path=Path(args.config),
        dag_display=_display(args.dag), config_display=_display(args.config),
        output_path=None if to_stdout else Path(args.output),
        output_display="-" if to_stdout else _display(args.output),
        command=_command(args), class_name=args.class_name, author=args.author,
        version=args.pipeline_version, description=args.description,
        dag_function=args.dag_function, exec_dag=args.exec_dag,
        project_root=Path(args.project_root) if args.project_root else None,
        steps_dirs=tuple(Path(d) for d in args.steps), strict=args.strict,
        check=args.check, diff=args.diff,
    )


def _print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    validate_only = bool(argv) and argv[0] == "validate"
    if validate_only:
        argv = argv[1:]
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage
        return EXIT_OK if exc.code == 0 else EXIT_BAD_INPUT
    if args.class_name is not None and not args.class_name.isidentifier():
        _print_diagnostics([error(f"--class-name {args.class_name!r} is not a Python identifier")])
        return EXIT_BAD_INPUT
    if (args.check or args.diff) and args.output in (None, "-"):
        _print_diagnostics([error("--check and --diff need -o OUT: the file to compare with")])
        return EXIT_BAD_INPUT
    try:
        result = generate(_request(args), validate_only=validate_only)
    except Exception as exc:  # the boundary: a bug, reported as such, never as bad input
        print(f"cursus-codegen: internal error ({type(exc).__name__}: {exc}); "
              "please report it with the inputs that caused it", file=sys.stderr)
        return EXIT_BUG
    _print_diagnostics(result.diagnostics)
    if has_errors(result.diagnostics):
        return EXIT_BAD_INPUT
    if result.stdout:
        sys.stdout.write(result.stdout)
    return EXIT_DIFFERS if result.differs else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
