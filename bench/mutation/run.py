"""Mutation testing of the core, on demand (too slow for every CI run).

    pip install -e ".[test,mutation]"
    python bench/mutation/run.py [--packages plan output mods project diff] [--sample 40]
                                 [--seed 1] [--jobs 2] [--work /tmp/cursus-mutation]

1. The repository's tracked files are copied to the work folder (the checkout is never touched).
2. The whole suite runs once under coverage, each line recorded with the tests that ran it
   (bench/mutation/context_plugin.py), and each test's duration (kept in the work folder, reused
   while the commit is the same).
3. The mutants of each package (bench/mutation/mutants.py) are sampled: `--sample` per package,
   seeded, so a run is reproducible; `--sample 0` takes every mutant.
4. Each mutant is written into a worker's copy and the tests that ran its lines are run, in
   rounds over their test files, each file's fastest first (`--extra-tests`, newer than the
   map, before them), stopping at the first failure
   (`pytest -x`); a survivor is run again with up to MAX_CONFIRM of them. A failing test (pytest
   exit 1) or tests hung past ten times their own time kill the mutant; any other pytest exit is
   an error, left out of the score; a mutant whose lines no test runs, or that every selected
   test passes, survives.
5. The score per package is killed / (mutants - equivalent ones); bench/mutation/equivalent.json
   lists the equivalent mutants (id -> why no test can tell them apart). Results are written to
   <work>/results.json and every survivor is printed with its diff line.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutants import Mutant, mutants_of, mutated_source

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PACKAGES = {  # what the score covers: the core, and the check / diff paths
    "plan": ["cursus_codegen/plan"],
    "output": ["cursus_codegen/output"],
    "mods": ["cursus_codegen/mods"],
    "project": ["cursus_codegen/project"],
    "check-diff": ["cursus_codegen/diff", "cursus_codegen/run", "cursus_codegen/fs"],
}


def copy_repository(target: Path) -> Path:
    """A copy of the tracked files, with the shared folder beside it as the checkout has it."""
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout
    main = target / "main"
    for name in filter(None, files.decode().split("\0")):
        destination = main / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, destination)
    if (REPO.parent / "shared").exists() and not (target / "shared").exists():
        os.symlink(REPO.parent / "shared", target / "shared")
    return main


def environment(copy: Path, work: Path) -> dict[str, str]:
    path = os.pathsep.join([str(copy), str(HERE)])
    return dict(
        os.environ,
        PYTHONPATH=path,
        CURSUS_CODEGEN_CACHE_DIR=str(work / "cache"),
        PYTHONDONTWRITEBYTECODE="1",
    )


def coverage_map(
    work: Path, commit: str | None = None
) -> tuple[dict[str, dict[int, list[str]]], dict[str, float]]:
    """(file -> line -> test ids, test id -> seconds), from one suite run under coverage (kept
    per commit; `commit` reuses the map of an earlier one)."""
    head = (
        commit
        or subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,  # only stdout is read, as before
        ).stdout.strip()
    )
    saved = work / f"coverage-{head}.json"
    if saved.exists():
        data = json.loads(saved.read_text())
        return {
            f: {int(k): v for k, v in lines.items()}
            for f, lines in data["lines"].items()
        }, data["durations"]
    base = copy_repository(work / "coverage")
    env = environment(base, work)
    env["MUTATION_DURATIONS"] = str(work / "durations.json")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "coverage",
            "run",
            "--source=cursus_codegen",
            f"--data-file={work / '.coverage'}",
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "context_plugin",
        ],
        cwd=base,
        env=env,
        check=False,
    )
    import coverage

    data = coverage.CoverageData(basename=str(work / ".coverage"))
    data.read()
    lines: dict[str, dict[int, list[str]]] = {}
    for measured in data.measured_files():
        relative = os.path.relpath(measured, base)
        contexts = data.contexts_by_lineno(measured)
        lines[relative] = {
            n: sorted(c for c in ctx if c) for n, ctx in contexts.items()
        }
    durations = json.loads((work / "durations.json").read_text())
    saved.write_text(json.dumps({"lines": lines, "durations": durations}))
    return lines, durations


def sample(packages: list[str], size: int, seed: int) -> dict[str, list[Mutant]]:
    chosen: dict[str, list[Mutant]] = {}
    for package in packages:
        found: list[Mutant] = []
        for root in PACKAGES[package]:
            paths = (
                sorted((REPO / root).rglob("*.py"))
                if (REPO / root).is_dir()
                else [REPO / root]
            )
            for path in paths:
                relative = path.relative_to(REPO).as_posix()
                found += mutants_of(path.read_text(encoding="utf-8"), relative)
        chosen[package] = (
            random.Random(seed).sample(found, min(size, len(found))) if size else found
        )
    return chosen


# Files that run only in a child process, which coverage does not follow: the tests that ran the
# file starting that child stand for them (diff/child.py and diff/offline.py build a module for diff/build.py).
CHILD_PROCESS_FILES = {
    "cursus_codegen/diff/child.py": "cursus_codegen/diff/build.py",
    "cursus_codegen/diff/offline.py": "cursus_codegen/diff/build.py",
}
# A mutant's first MAX_TESTS tests run first; a survivor is run again with up to MAX_CONFIRM
# of them before it counts as one (a line every test runs would be the whole suite).
MAX_TESTS = 40
MAX_CONFIRM = 150


def selected_tests(
    mutant: Mutant, lines: dict, durations: dict, moved: dict[str, str]
) -> list[str]:
    """The tests that ran the mutant's line, spread over their files; for a file changed since the
    coverage run (`moved`: path -> the path it had then), every test that ran that file; for a
    file that runs in a child process, every test that ran the file starting the child.
    """
    tests: set[str] = set()
    if mutant.path in CHILD_PROCESS_FILES:
        for line_tests in lines.get(CHILD_PROCESS_FILES[mutant.path], {}).values():
            tests.update(line_tests)
    elif mutant.path not in moved:
        # the node's line and its continuation
        for line in range(mutant.line, mutant.line + 3):
            tests.update(lines.get(mutant.path, {}).get(line, []))
            if tests:
                break
    if not tests:  # a changed file, or a line run only at import or in a subprocess
        for line_tests in lines.get(moved.get(mutant.path, mutant.path), {}).values():
            tests.update(line_tests)
    return _spread_over_files(tests, durations)


def _spread_over_files(tests: set[str], durations: dict) -> list[str]:
    """The tests in rounds: each test file's fastest test first (files in the order of those),
    then each file's second fastest, ... A capped selection thus reaches every file that runs
    the line, not only the fastest tests of one family (a slow fixture can hold the one test
    that checks the value)."""
    by_file: dict[str, list[str]] = {}
    for test in sorted(tests, key=lambda t: (durations.get(t, 60.0), t)):
        by_file.setdefault(test.split("::")[0], []).append(test)
    files = list(by_file.values())
    return [
        group[depth]
        for depth in range(max(map(len, files), default=0))
        for group in files
        if depth < len(group)
    ]


def changed_since(commit: str, paths: list[str]) -> dict[str, str]:
    """path -> the path whose coverage stands for it: files that differ from `commit` (a file
    of the run/ package stands for run.py, which it was split from)."""
    moved = {}
    for path in paths:
        before = (
            path
            if not path.startswith("cursus_codegen/run/")
            else "cursus_codegen/run.py"
        )
        old = subprocess.run(
            ["git", "show", f"{commit}:{path}"],
            cwd=REPO,
            capture_output=True,
            check=False,  # a file new since `commit` fails here: it counts as moved
        )
        if old.returncode != 0 or old.stdout != (REPO / path).read_bytes():
            moved[path] = before
    return moved


def run_mutant(
    mutant: Mutant, copy: Path, work: Path, tests: list[str], durations: dict
) -> str:
    if not tests:
        return "uncovered"
    target = copy / mutant.path
    original = target.read_text(encoding="utf-8")
    try:
        target.write_text(mutated_source(original, mutant), encoding="utf-8")
    except (SyntaxError, ValueError):
        return "invalid"
    bound = 180 + 10 * sum(
        durations.get(t, 10.0) for t in tests
    )  # generous: a slow machine is no kill
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-x",
                "-q",
                "-p",
                "no:cacheprovider",
                *tests,
            ],
            cwd=copy,
            env=environment(copy, work),
            capture_output=True,
            timeout=bound,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "timeout"  # past a generous bound (10x the tests' own time): the change hangs them
    finally:
        target.write_text(original, encoding="utf-8")
    if done.returncode == 0:
        return "survived"
    # pytest's 1: a test failed (the kill); anything else (usage, internal, collection error) is
    # reported as an error to look at, never counted as a kill
    return "killed" if done.returncode == 1 else f"error{done.returncode}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--packages", nargs="+", default=list(PACKAGES), choices=list(PACKAGES)
    )
    parser.add_argument(
        "--sample", type=int, default=40, help="mutants per package (0: all)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/cursus-mutation"))
    parser.add_argument("--ids", type=Path, help="a file of mutant ids: run only those")
    parser.add_argument(
        "--extra-tests",
        type=Path,
        nargs="*",
        default=[],
        help="test files run for every mutant too (tests newer than the coverage map)",
    )
    parser.add_argument(
        "--coverage-of",
        metavar="COMMIT",
        help="reuse the coverage map of an earlier commit (files changed since use "
        "every test that ran them)",
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    lines, durations = coverage_map(args.work, args.coverage_of)
    current = set(
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "--collect-only",
                "-q",
                "-p",
                "no:cacheprovider",
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,  # the collected ids are read even if collection reports errors
        ).stdout.split("\n")
    )
    lines = {
        f: {n: [t for t in ts if t in current] for n, ts in ls.items()}
        for f, ls in lines.items()
    }
    chosen = sample(args.packages, args.sample, args.seed)
    if (
        args.ids
    ):  # run again only these mutants (one id a line), e.g. the survivors of a run
        wanted = set(args.ids.read_text().split())
        chosen = {p: [m for m in ms if m.id in wanted] for p, ms in chosen.items()}
    moved = (
        changed_since(
            args.coverage_of, sorted({m.path for ms in chosen.values() for m in ms})
        )
        if args.coverage_of
        else {}
    )
    pending: queue.Queue = queue.Queue()
    for package, mutants in chosen.items():
        for mutant in mutants:
            pending.put((package, mutant))
    results: list[dict] = []
    lock = threading.Lock()

    def worker(number: int) -> None:
        copy = copy_repository(args.work / f"worker{number}")
        while True:
            try:
                package, mutant = pending.get_nowait()
            except queue.Empty:
                return
            started = time.monotonic()
            extra = [
                str(t) for t in args.extra_tests if t.exists()
            ]  # newer than the map: first
            tests = extra + [
                t
                for t in selected_tests(mutant, lines, durations, moved)
                if t not in extra
            ]
            state = run_mutant(mutant, copy, args.work, tests[:MAX_TESTS], durations)
            if (
                state == "survived" and len(tests) > MAX_TESTS
            ):  # confirm with more of them
                state = run_mutant(
                    mutant, copy, args.work, tests[:MAX_CONFIRM], durations
                )
            with lock:
                results.append(
                    {
                        "package": package,
                        "id": mutant.id,
                        "state": state,
                        "tests": len(tests),
                        "seconds": round(time.monotonic() - started, 1),
                    }
                )
                print(f"{len(results):4d} {state:9s} {mutant.id}", flush=True)

    threads = [
        threading.Thread(target=worker, args=(n,)) for n in range(max(1, args.jobs))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report(results, args.work)


def report(results: list[dict], work: Path) -> None:
    equivalent = json.loads((HERE / "equivalent.json").read_text())
    (work / "results.json").write_text(json.dumps(results, indent=1))
    print(
        "\npackage      mutants  killed  survived  equivalent  score  (killed: a test failed, or"
    )
    print(
        "                                   the tests hung past 10x their time; errors left out)"
    )
    for package in PACKAGES:
        mine = [r for r in results if r["package"] == package]
        if not mine:
            continue
        killed = sum(r["state"] in ("killed", "timeout") for r in mine)
        same = sum(r["id"] in equivalent and r["state"] != "killed" for r in mine)
        invalid = sum(
            r["state"] == "invalid" or r["state"].startswith("error") for r in mine
        )
        counted = len(mine) - same - invalid
        score = killed / counted if counted else 1.0
        print(
            f"{package:12s} {len(mine):7d} {killed:7d} {counted - killed:9d} {same:11d}  {score:6.1%}"
        )
    print("\nsurvivors (not listed as equivalent):")
    for r in sorted(results, key=lambda r: r["id"]):
        if (
            r["state"] not in ("killed", "timeout", "invalid")
            and r["id"] not in equivalent
        ):
            print(f"  {r['state']:9s} {r['id']}")


if __name__ == "__main__":
    main()
