"""Command line: argument parsing, exit codes, and I/O. Nothing else.

    cursus-codegen DAG CONFIG -o OUT [--check | --diff]   generate (or compare)
    cursus-codegen validate DAG CONFIG                    every check, no output
    cursus-codegen explain DAG CONFIG [--format F]        nodes, step names and wiring

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
from cursus_codegen.diagnostics import Diagnostic, Location, error, has_errors
from cursus_codegen.generate import GenerateRequest, generate, plan_for
from cursus_codegen.inputs.files import safe_resolve
from cursus_codegen.naming import is_identifier
from cursus_codegen.output import FORMATS, explain
from cursus_codegen.output.emit import DEFAULT_LINE_LENGTH

EXIT_OK, EXIT_DIFFERS, EXIT_BAD_INPUT, EXIT_BUG = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT
MIN_LINE_LENGTH, MAX_LINE_LENGTH = 40, 400
SUBCOMMANDS = ("validate", "explain")  # anything else first is the DAG of a generate run


def _input_arguments(parser: argparse.ArgumentParser) -> None:
    """What every command reads: the inputs and what shapes the plan."""
    parser.add_argument("dag", help="the DAG: a dag.json, or a .py read statically")
    parser.add_argument("config", nargs="+",
                        help="the cursus configuration JSON; several: one per region, the first the default")
    parser.add_argument("--class-name", help="name of the generated pipeline class")
    parser.add_argument("--author", help="MODS author (default: the configuration's author)")
    parser.add_argument("--version", dest="pipeline_version", help="MODS pipeline version")
    parser.add_argument("--description", help="MODS pipeline description")
    parser.add_argument("--dag-function", help="the function that builds the DAG, when there are several")
    parser.add_argument("--exec-dag", action="store_true", help="execute the DAG .py instead of reading it")
    parser.add_argument("--project-root", help="folder that source_dir and entry points are relative to")
    parser.add_argument("--steps", action="append", default=[], metavar="DIR",
                        help="a folder of extra step-type files (repeatable)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("-V", "--generator-version", action="version", version=f"cursus-codegen {__version__}")


def _templates_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--templates", metavar="DIR",
                        help="templates that override the built-in ones by file name (less stable interface)")


def _generate_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cursus-codegen",
        description="Generate a reviewable SageMaker pipeline module from a cursus DAG and configuration. "
                    "Other commands: 'validate DAG CONFIG', 'explain DAG CONFIG'.",
    )
    _input_arguments(parser)
    parser.add_argument("-o", "--output", help="the module to write; '-' for stdout")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 with a diff if OUT is stale or missing")
    mode.add_argument("--diff", action="store_true", help="print the diff against OUT, write nothing")
    _templates_argument(parser)
    parser.add_argument("--omit-version", action="store_true",
                        help="keep the generator version out of the header")
    parser.add_argument("--input-hashes", action="store_true",
                        help="record each input's sha256 in the header (provenance; every input edit "
                             "then changes the header)")
    parser.add_argument("--line-length", type=_line_length, default=DEFAULT_LINE_LENGTH, metavar="N",
                        help=f"black's line length for the module (default {DEFAULT_LINE_LENGTH}, black's own)")
    return parser


def _line_length(text: str) -> int:
    """A width black can format to; argparse reports anything else as a usage error (exit 2)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not MIN_LINE_LENGTH <= value <= MAX_LINE_LENGTH:
        raise argparse.ArgumentTypeError(f"{value} is outside {MIN_LINE_LENGTH}..{MAX_LINE_LENGTH}")
    return value


def _validate_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cursus-codegen validate",
        description="Run every check of generation and report all problems; write nothing. Exit 0 or 2.",
    )
    _input_arguments(parser)
    _templates_argument(parser)
    return parser


def _explain_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cursus-codegen explain",
        description="Show each node's configuration, step type and SageMaker step name, and every wire.",
    )
    _input_arguments(parser)
    parser.add_argument("--format", choices=FORMATS, default="table",
                        help="table (default), mermaid (a flowchart for a pull request) or json")
    return parser


def _display(path: str) -> str:
    """The path for messages: as given, made relative if it was absolute."""
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
    resolved = safe_resolve(Path(path))
    if resolved is None:  # a symlink loop: the input check reports it
        return Path(path).as_posix()
    try:
        return Path(os.path.relpath(resolved, base)).as_posix()
    except ValueError:  # another drive on Windows: nothing relative exists
        return Path(path).name


def _output(args: argparse.Namespace) -> str | None:
    out = getattr(args, "output", None)
    return None if out in (None, "-") else out


def _module_dir(args: argparse.Namespace) -> Path:
    out = _output(args)
    if not out:
        return Path.cwd()
    return (safe_resolve(Path(out)) or Path(out).absolute()).parent  # a loop: reported later


def _command(args: argparse.Namespace) -> str:
    """The regenerate command for the header, run from the module's folder. It carries every
    flag that changes the module's bytes, so `--check` with it reproduces the file."""
    base, out = _module_dir(args), _output(args)
    words = ["cursus-codegen", _from_module(args.dag, base), *(_from_module(c, base) for c in args.config)]
    words += ["-o", Path(out).name if out else "-"]
    for flag, value in (("--class-name", args.class_name), ("--author", args.author),
                        ("--version", args.pipeline_version), ("--description", args.description),
                        ("--dag-function", args.dag_function), ("--project-root", args.project_root)):
        if value is not None:
            words += [flag, _from_module(value, base) if flag == "--project-root" else value]
    for folder in args.steps:
        words += ["--steps", _from_module(folder, base)]
    if getattr(args, "templates", None):
        words += ["--templates", _from_module(args.templates, base)]
    if args.exec_dag:
        words.append("--exec-dag")
    if getattr(args, "omit_version", False):
        words.append("--omit-version")
    if getattr(args, "input_hashes", False):
        words.append("--input-hashes")
    if getattr(args, "line_length", DEFAULT_LINE_LENGTH) != DEFAULT_LINE_LENGTH:
        words += ["--line-length", str(args.line_length)]
    return shlex.join(words)


def _request(args: argparse.Namespace) -> GenerateRequest:
    base, out = _module_dir(args), _output(args)
    templates = getattr(args, "templates", None)
    return GenerateRequest(
        dag_header=_from_module(args.dag, base), config_header=_from_module(args.config[0], base),
        dag_path=Path(args.dag), config_path=Path(args.config[0]),
        dag_display=_display(args.dag), config_display=_display(args.config[0]),
        more_configs=tuple((Path(c), _display(c), _from_module(c, base)) for c in args.config[1:]),
        output_path=Path(out) if out else None,
        output_display=out if out else "-",  # as given: CI logs name the file the user named
        command=_command(args), class_name=args.class_name, author=args.author,
        version=args.pipeline_version, description=args.description,
        dag_function=args.dag_function, exec_dag=args.exec_dag,
        project_root=Path(args.project_root) if args.project_root else None,
        steps_dirs=tuple(Path(d) for d in args.steps),
        steps_headers=tuple(_from_module(d, base) for d in args.steps),
        templates_dir=Path(templates) if templates else None,
        templates_header=_from_module(templates, base) if templates else None,
        omit_version=getattr(args, "omit_version", False), strict=args.strict,
        line_length=getattr(args, "line_length", DEFAULT_LINE_LENGTH),
        input_hashes=getattr(args, "input_hashes", False),
        check=getattr(args, "check", False), diff=getattr(args, "diff", False),
    )


def _write_stdout(text: str) -> None:
    """UTF-8 whatever the locale says: a module is UTF-8 source, and a terminal or pipe set to
    ASCII must not turn a non-ASCII configuration value into an internal error."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream (tests, embedding): it takes str
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def _print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)


def _parse(argv: list[str]) -> tuple[str, argparse.Namespace | int]:
    command = argv[0] if argv and argv[0] in SUBCOMMANDS else "generate"
    parser = {"validate": _validate_parser, "explain": _explain_parser}.get(command, _generate_parser)()
    try:
        return command, parser.parse_args(argv[1:] if command != "generate" else argv)
    except SystemExit as exc:  # argparse already printed usage (or --help / -V)
        return command, EXIT_OK if exc.code == 0 else EXIT_BAD_INPUT


def _usage_problems(command: str, args: argparse.Namespace) -> list[Diagnostic]:
    problems = []
    if args.class_name is not None and not is_identifier(args.class_name):
        problems.append(error(f"{args.class_name!r} is not a Python identifier", Location("--class-name")))
    if command == "generate" and (args.check or args.diff) and _output(args) is None:
        problems.append(error("--check and --diff need -o OUT: the file to compare with"))
    return problems


def _run(command: str, args: argparse.Namespace) -> int:
    req = _request(args)
    if command == "explain":
        plan, diagnostics = plan_for(req)
        _print_diagnostics(diagnostics)
        if plan is None or has_errors(diagnostics):
            return EXIT_BAD_INPUT
        _write_stdout(explain(plan, args.format))
        return EXIT_OK
    result = generate(req, validate_only=command == "validate")
    _print_diagnostics(result.diagnostics)
    if has_errors(result.diagnostics):
        return EXIT_BAD_INPUT
    if result.stdout:
        _write_stdout(result.stdout)
    if result.differs:
        state = "does not exist" if not req.output_path.is_file() else "is out of date"
        print(f"cursus-codegen: {req.output_display} {state}; run the same command without "
              "--check to regenerate it", file=sys.stderr)
        return EXIT_DIFFERS
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command, args = _parse(argv)
    if isinstance(args, int):
        return args
    problems = _usage_problems(command, args)
    if problems:
        _print_diagnostics(problems)
        return EXIT_BAD_INPUT
    try:
        return _run(command, args)
    except KeyboardInterrupt:
        print("cursus-codegen: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # the boundary: a bug, reported as such, never as bad input
        if os.environ.get("CURSUS_CODEGEN_TRACEBACK"):  # for the bug report, on request only
            import traceback

            traceback.print_exc()
        print(f"cursus-codegen: internal error ({type(exc).__name__}: {exc}); "
              "please report it with the inputs that caused it", file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
