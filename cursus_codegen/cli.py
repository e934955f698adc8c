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
import sys
from typing import TYPE_CHECKING, Any

from cursus_codegen import __version__, options
from cursus_codegen.diagnostics import Diagnostic, Location, error, has_errors
from cursus_codegen.options import OPTIONS, path_problem

if TYPE_CHECKING:
    from cursus_codegen.run.request import GenerateRequest

# Only light modules at import time: `cursus-codegen check` of an unchanged repository answers
# from the cache without importing black, libcst or jinja2 (cursus_codegen/project/).
# output/explain.py FORMATS; a test keeps them equal
EXPLAIN_FORMATS = ("table", "mermaid", "json")

EXIT_OK, EXIT_DIFFERS, EXIT_BAD_INPUT, EXIT_BUG = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT
EXIT_BROKEN_PIPE = 141  # stdout closed early, as shells report SIGPIPE
# anything else first is the DAG of a generate run
SUBCOMMANDS = ("validate", "explain")
# every pipeline of the manifest (pyproject.toml)
MANIFEST_COMMANDS = ("generate", "check")


def _input_arguments(parser: argparse.ArgumentParser) -> None:
    """What every command reads: the inputs and what shapes the plan."""
    parser.add_argument(
        "dag", help="the DAG: a dag.json, or a .py or .ipynb read statically"
    )
    parser.add_argument(
        "config",
        nargs="+",
        help="the cursus configuration JSON; several: one per region, the first the default",
    )
    for name in (
        "class_name",
        "author",
        "version",
        "description",
        "dag_function",
        "exec_dag",
        "project_root",
        "steps",
        "strict",
    ):
        _option_argument(parser, name)
    parser.add_argument(
        "-V",
        "--generator-version",
        action="version",
        version=f"cursus-codegen {__version__}",
    )


def _option_argument(parser: argparse.ArgumentParser, name: str) -> None:
    """A long option as cursus_codegen/options.py defines it: flag, default, help, metavar.
    Its value is checked by `_usage_problems` (and `_line_length`), with the same check.
    """
    option = OPTIONS[name]
    by_kind: dict[type, dict[str, Any]] = {  # add_argument's keywords
        bool: {"action": "store_true"},
        list: {"action": "append", "default": [], "metavar": option.metavar},
        int: {  # line_length
            "type": _line_length,
            "default": option.default,
            "metavar": option.metavar,
        },
    }
    parser.add_argument(
        option.flag,
        help=option.help,
        **by_kind.get(option.kind, {"metavar": option.metavar}),
    )


def _templates_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--templates",
        metavar="DIR",
        help="templates that override the built-in ones by file name (less stable interface)",
    )


def _generate_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cursus-codegen",
        description="Generate a reviewable SageMaker pipeline module from a cursus DAG and configuration. "
        "Other commands: 'validate DAG CONFIG', 'explain DAG CONFIG'.",
    )
    _input_arguments(parser)
    parser.add_argument("-o", "--output", help="the module to write; '-' for stdout")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--check",
        action="store_true",
        help="exit 1 with a diff if OUT is stale or missing",
    )
    mode.add_argument(
        "--diff", action="store_true", help="print the diff against OUT, write nothing"
    )
    _templates_argument(parser)
    for name in ("omit_version", "vendor", "input_hashes", "line_length"):
        _option_argument(parser, name)
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="use no formatted piece from the user cache (a gate that trusts no cache)",
    )
    return parser


def _line_length(text: str) -> int:
    """A width black can format to (options.value_problem); else argparse's usage error (exit 2)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    problem = options.value_problem("line_length", value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
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
    parser.add_argument(
        "--format",
        choices=EXPLAIN_FORMATS,
        default="table",
        help="table (default), mermaid (a flowchart for a pull request) or json",
    )
    return parser


def _output(args: argparse.Namespace) -> str | None:
    out = getattr(args, "output", None)
    return None if out in (None, "-") else out


def _options(args: argparse.Namespace) -> dict[str, object]:
    """The parsed long options as the API's keywords (cursus_codegen/api.py)."""
    return {
        name: getattr(args, name)
        for name in (*OPTIONS, "check", "diff")
        if hasattr(args, name)
    }


def _request(args: argparse.Namespace) -> GenerateRequest:
    from cursus_codegen.api import request

    req, problems = request(
        args.dag, args.config, getattr(args, "output", None), _options(args)
    )
    # _usage_problems checked every value with the same checks
    assert req is not None, problems
    return req


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
    parser = {"validate": _validate_parser, "explain": _explain_parser}.get(
        command, _generate_parser
    )()
    try:
        return command, parser.parse_args(argv[1:] if command != "generate" else argv)
    except SystemExit as exc:  # argparse already printed usage (or --help / -V)
        return command, EXIT_OK if exc.code == 0 else EXIT_BAD_INPUT


def _usage_problems(command: str, args: argparse.Namespace) -> list[Diagnostic]:
    """Each long option's value checked as the API checks it (options.value_problem), located
    at the flag; the inputs must be paths; --check and --diff need a file to compare with.
    """
    problems = [
        error(problem, Location(OPTIONS[name].flag))
        for name, value in _options(args).items()
        if name in OPTIONS and (problem := options.value_problem(name, value))
    ]
    for name, value in [
        ("dag", args.dag),
        *(("config", c) for c in args.config),
        ("output", getattr(args, "output", None)),
    ]:
        if value not in (None, "-") and (problem := path_problem(name, value)):
            problems.append(error(problem))
    if command == "generate" and (args.check or args.diff) and _output(args) is None:
        problems.append(
            error("--check and --diff need -o OUT: the file to compare with")
        )
    return problems


def _run(command: str, args: argparse.Namespace) -> int:
    from cursus_codegen.output import explain
    from cursus_codegen.run import generate, plan_for

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
        assert req.output_path is not None  # only a module on disk differs
        state = "does not exist" if not req.output_path.is_file() else "is out of date"
        print(
            f"cursus-codegen: {req.output_display} {state}; run the same command without "
            "--check to regenerate it",
            file=sys.stderr,
        )
        return EXIT_DIFFERS
    return EXIT_OK


def _manifest_parser(command: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"cursus-codegen {command}",
        description=("Check" if command == "check" else "Generate")
        + " every pipeline of the "
        "[tool.cursus-codegen] manifest in the nearest pyproject.toml.",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="only this pipeline (repeatable)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="generate everything; ignore the cache"
    )
    parser.add_argument(
        "--manifest",
        metavar="PYPROJECT",
        help="the pyproject.toml (default: found upwards)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="worker processes for the pipelines the cache cannot answer (default: cores)",
    )
    return parser


def _run_manifest(command: str, argv: list[str]) -> int:
    from pathlib import Path

    from cursus_codegen.project.manifest import find_pyproject, read_manifest
    from cursus_codegen.project.runner import run

    try:
        args = _manifest_parser(command).parse_args(argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code == 0 else EXIT_BAD_INPUT
    path = Path(args.manifest) if args.manifest else find_pyproject(Path.cwd())
    if path is None:
        _print_diagnostics(
            [
                error(
                    "no pyproject.toml with a [tool.cursus-codegen] table here or above"
                )
            ]
        )
        return EXIT_BAD_INPUT
    if args.jobs is not None and args.jobs < 1:
        _print_diagnostics(
            [error(f"--jobs must be at least 1, not {args.jobs}", Location("--jobs"))]
        )
        return EXIT_BAD_INPUT
    manifest, problems = read_manifest(path, os.path.relpath(path))
    unknown = [
        n
        for n in args.only
        if manifest and n not in {p.name for p in manifest.pipelines}
    ]
    problems += [
        error(f"--only {name}: no pipeline of that name in the manifest")
        for name in unknown
    ]
    if manifest is None or problems:
        _print_diagnostics(problems)
        return EXIT_BAD_INPUT
    warn = lambda message: print(f"cursus-codegen: warning: {message}", file=sys.stderr)
    outcomes = run(
        manifest, command, args.only, not args.no_cache, warn, jobs=args.jobs
    )
    for outcome in outcomes:
        _write_stdout(
            f"{outcome.name}: {outcome.state}{' (cached)' if outcome.cached else ''}\n"
        )
        if outcome.details:
            stream = (
                sys.stderr
                if outcome.state in ("failed", "written", "unchanged", "current")
                else sys.stdout
            )
            print(outcome.details.rstrip("\n"), file=stream)
    if any(o.state == "failed" for o in outcomes):
        return EXIT_BAD_INPUT
    return (
        EXIT_DIFFERS
        if any(o.state in ("STALE", "MISSING") for o in outcomes)
        else EXIT_OK
    )


def _run_diff(argv: list[str]) -> int:
    from cursus_codegen.diff.run import diff_command

    code, out, err = diff_command(argv)
    if err:
        print(err, end="", file=sys.stderr)
    _write_stdout(out)
    return code


def main(argv: list[str] | None = None) -> int:
    """The one crash boundary: a bug is exit 3, reported as such, never as bad input."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        return _dispatch(argv)
    except KeyboardInterrupt:
        print("cursus-codegen: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the crash boundary: a bug is exit 3
        return _internal_error(exc)


def _dispatch(argv: list[str]) -> int:
    if argv and argv[0] == "diff":
        return _run_diff(argv[1:])
    if argv and argv[0] in MANIFEST_COMMANDS:
        return _run_manifest(argv[0], argv[1:])
    command, args = _parse(argv)
    if isinstance(args, int):
        return args
    problems = _usage_problems(command, args)
    if problems:
        _print_diagnostics(problems)
        return EXIT_BAD_INPUT
    from cursus_codegen.fs import store

    with store.disabled(getattr(args, "no_cache", False)):
        return _run(command, args)


def _internal_error(exc: Exception) -> int:
    # the reader went away (`| head`): not a bug of ours
    if isinstance(exc, BrokenPipeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    # for the bug report, on request only
    if os.environ.get("CURSUS_CODEGEN_TRACEBACK"):
        import traceback

        traceback.print_exc()
    print(
        f"cursus-codegen: internal error ({type(exc).__name__}: {exc}); "
        "please report it with the inputs that caused it",
        file=sys.stderr,
    )
    return EXIT_BUG


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
