"""Compare the generator with cursus itself and record cursus's answers for the test suite.

Run (maintainers only; CI never has cursus):

    python bench/compare_with_cursus.py /path/to/cursus [--corpus ../shared/corpus] [--check]

The cursus path is a checkout (a folder with src/cursus) or a bare git repository (its HEAD is
read with git). Three comparisons, each also written to tests/data/cursus_reference/ so the
suite checks the generator against cursus's recorded answers without cursus:

- atoz_xgboost_dag.json: the DAG of projects/atoz_xgboost/atoz_xgboost_pipeline.py as cursus's
  own PipelineDAG builds it (the DAG function run with cursus), against the generator's static
  reading of that file;
- corpus_dag_order.json: for every corpus DAG (<corpus>/dags/*/*.dag.json), cursus's
  topological_sort() and get_dependencies(), against the generator's build order and
  predecessors;
- lgbm_tsa_builders.json: the environment and job arguments cursus's step builders give for
  each case of tests/test_catalog_family_lgbm_tsa.py, against the generator's catalog.

Exit 0 when the generator agrees with cursus everywhere, 1 otherwise (mismatches printed).
--check writes nothing and also fails when a recorded file differs from what cursus says now.
"""

from __future__ import annotations

import argparse
import ast
import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TESTS = REPO / "tests"
OUT = TESTS / "data" / "cursus_reference"
ATOZ = "projects/atoz_xgboost/atoz_xgboost_pipeline.py"
ATOZ_FUNCTION = "create_xgboost_complete_e2e_dag"
BUILDER_RUNNER = """
import importlib, inspect, json, logging, os, sys
os.environ["SAGEMAKER_SUPPRESS_V2_WARNING"] = "1"
sys.path.insert(0, sys.argv[1])
logging.disable(logging.CRITICAL)
from cursus.core.base.config_base import BasePipelineConfig
from cursus.step_catalog.step_catalog import StepCatalog
classes = {}
for path in sorted(os.listdir(os.path.join(sys.argv[1], "cursus/steps/configs"))):
    if path.startswith("config_") and path.endswith(".py"):
        module = importlib.import_module("cursus.steps.configs." + path[:-3])
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, BasePipelineConfig):
                classes.setdefault(name, value)
catalog, result = StepCatalog(), {}
for case, (config_class, fields) in json.load(open(sys.argv[2])).items():
    config = classes[config_class](**fields)
    builder = catalog.get_builder_for_config(config)(config=config, role="arn:aws:iam::1:role/R")
    args = builder._get_job_arguments()
    env = builder._get_environment_variables()
    result[case] = [[[k, v] for k, v in env.items()], list(args) if args else None]
print(json.dumps(result))
"""


class Cursus:
    """The cursus sources: a checkout, or HEAD of a bare repository unpacked in `scratch`."""

    def __init__(self, path: Path, scratch: Path):
        self.commit = None
        if (path / "src" / "cursus").is_dir():
            self.root = path
        else:
            self.root = scratch / "cursus"
            self.root.mkdir()
            archive = subprocess.run(
                ["git", "-C", str(path), "archive", "HEAD", "src/cursus", ATOZ],
                capture_output=True,
                check=True,
            ).stdout
            subprocess.run(
                ["tar", "-x", "-C", str(self.root)], input=archive, check=True
            )
        found = subprocess.run(
            ["git", "-C", str(path), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        )
        self.commit = found.stdout.strip() if found.returncode == 0 else None
        self.src = self.root / "src"

    def pipeline_dag_class(self):
        """cursus's PipelineDAG, loaded alone from base_dag.py (it imports only the stdlib)."""
        path = self.src / "cursus" / "api" / "dag" / "base_dag.py"
        namespace: dict = {"__name__": "cursus_base_dag"}
        # S102: loading cursus's own DAG class from its checkout is the point
        exec(compile(path.read_text(), str(path), "exec"), namespace)  # noqa: S102
        return namespace["PipelineDAG"]


def about(cursus: Cursus, what: str) -> dict:
    return {
        "recorded_by": "bench/compare_with_cursus.py",
        "cursus_commit": cursus.commit,
        "what": what,
    }


def dag_answer(dag) -> dict:
    return {
        "nodes": list(dag.nodes),
        "edges": [list(e) for e in dag.edges],
        "topological_sort": list(dag.topological_sort()),
        "dependencies": {n: list(dag.get_dependencies(n)) for n in dag.nodes},
    }


def generator_answer(dag) -> dict:
    return {
        "nodes": list(dag.node_names()),
        "edges": [[e.src, e.dst] for e in dag.edges],
        "topological_sort": list(dag.build_order()),
        "dependencies": {n: list(dag.predecessors(n)) for n in dag.node_names()},
    }


def compare_atoz(cursus: Cursus, problems: list[str]) -> dict:
    from cursus_codegen.inputs.dag import read_dag

    path = cursus.root / ATOZ
    tree = ast.parse(path.read_text())
    function = next(
        n
        for n in tree.body
        if isinstance(n, ast.FunctionDef) and n.name == ATOZ_FUNCTION
    )
    namespace = {
        "PipelineDAG": cursus.pipeline_dag_class(),
        "logger": logging.getLogger("atoz"),
    }
    # S102: running cursus's own DAG function gives the answer to compare against
    exec(  # noqa: S102
        compile(ast.Module([function], []), str(path), "exec"), namespace
    )
    truth = dag_answer(namespace[ATOZ_FUNCTION]())
    dag, diags = read_dag(path, ATOZ)
    if diags or dag is None:
        problems.append(f"{ATOZ}: the generator reports {[d.format() for d in diags]}")
    elif generator_answer(dag) != truth:
        problems.append(f"{ATOZ}: generator {generator_answer(dag)} != cursus {truth}")
    return {
        "_about": about(
            cursus, f"{ATOZ} {ATOZ_FUNCTION}() run with cursus's PipelineDAG"
        ),
        "source": ATOZ,
        **truth,
    }


def compare_corpus(cursus: Cursus, corpus: Path, problems: list[str]) -> dict:
    from cursus_codegen.inputs.dag import read_dag

    reference_class = cursus.pipeline_dag_class()
    files = sorted((corpus / "dags").glob("*/*.dag.json"))
    if not files:
        problems.append(f"no corpus DAG under {corpus / 'dags'}")
    recorded = {}
    for file in files:
        name = file.relative_to(corpus).as_posix()
        document = json.loads(file.read_text())["dag"]
        truth = dag_answer(
            reference_class(document["nodes"], [tuple(e) for e in document["edges"]])
        )
        dag, diags = read_dag(file, name)
        if diags or dag is None:
            problems.append(
                f"{name}: the generator reports {[d.format() for d in diags]}"
            )
        elif generator_answer(dag) != truth:
            problems.append(
                f"{name}: generator build order or predecessors differ from cursus"
            )
        recorded[name] = truth
    return {
        "_about": about(
            cursus,
            "PipelineDAG(nodes, edges) of each corpus DAG: "
            "topological_sort() and get_dependencies()",
        ),
        "dags": recorded,
    }


def compare_builders(cursus: Cursus, scratch: Path, problems: list[str]) -> dict:
    sys.path[:0] = [str(TESTS), str(REPO)]
    import test_catalog_family_lgbm_tsa as family

    from cursus_codegen.catalog.loader import load_catalog

    catalog = load_catalog()[0]
    scripts = scratch / "scripts"
    scripts.mkdir()
    (scripts / "inference.py").write_text("")
    inputs, given = {}, {}
    for case, (config_class, fields, _, _) in family.CASES.items():
        step = catalog.get(catalog.step_type_of_class(config_class))
        extra = (
            {"source_dir": str(scripts)}
            if config_class == "PyTorchModelStepConfig"
            else {}
        )
        if step.config_base == "processing":
            entry = next(
                f.default
                for f in catalog.fields_of(step)
                if f.name == "processing_entry_point"
            )
            (scripts / entry).write_text("")
            extra = {"processing_source_dir": str(scripts)}
        inputs[case] = [config_class, {**family.BASE, **extra, **fields}]
        given[case] = {"config_class": config_class, "fields": fields}
    (scratch / "cases.json").write_text(json.dumps(inputs))
    (scratch / "runner.py").write_text(BUILDER_RUNNER)
    run = subprocess.run(
        [
            sys.executable,
            str(scratch / "runner.py"),
            str(cursus.src),
            str(scratch / "cases.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise SystemExit(f"cursus's builders failed:\n{run.stderr[-3000:]}")
    truth = json.loads(run.stdout.strip().splitlines()[-1])
    cases = {}
    for case, (config_class, fields, _, _) in family.CASES.items():
        ours = list(family.evaluate(catalog, config_class, fields))
        if ours != truth[case]:
            problems.append(f"{case}: generator {ours} != cursus {truth[case]}")
        cases[case] = {
            **given[case],
            "cursus_environment": truth[case][0],
            "cursus_job_arguments": truth[case][1],
        }
    return {
        "_about": about(
            cursus,
            "builder._get_environment_variables() and _get_job_arguments() "
            "of each config: base fields + the case's fields (plus a scratch "
            "source folder, not recorded)",
        ),
        "base": family.BASE,
        "cases": cases,
    }


def dumps(document) -> str:
    """JSON with every innermost list or short object on one line: small diffs, easy review."""

    def render(value, indent):
        flat = json.dumps(value, ensure_ascii=False)
        if (
            not isinstance(value, dict | list)
            or len(flat) + indent <= 100
            or (
                isinstance(value, list)
                and all(not isinstance(v, dict | list) for v in value)
            )
        ):
            return flat
        pad, inner = " " * indent, " " * (indent + 2)
        if isinstance(value, list):
            return (
                "[\n"
                + ",\n".join(inner + render(v, indent + 2) for v in value)
                + f"\n{pad}]"
            )
        items = (
            f"{inner}{json.dumps(k)}: {render(v, indent + 2)}" for k, v in value.items()
        )
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"

    return render(document, 0) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "cursus", type=Path, help="a cursus checkout or bare git repository"
    )
    parser.add_argument(
        "--corpus", type=Path, default=REPO.parent / "shared" / "corpus"
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; fail on stale data"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
    sys.path.insert(0, str(REPO))
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        cursus = Cursus(args.cursus.resolve(), Path(scratch))
        documents = {
            "atoz_xgboost_dag.json": compare_atoz(cursus, problems),
            "corpus_dag_order.json": compare_corpus(
                cursus, args.corpus.resolve(), problems
            ),
            "lgbm_tsa_builders.json": compare_builders(cursus, Path(scratch), problems),
        }
    OUT.mkdir(parents=True, exist_ok=True)
    for name, document in documents.items():
        path, text = OUT / name, dumps(document)
        if args.check:
            old = json.loads(path.read_text()) if path.exists() else None
            if old is None or {**old, "_about": None} != {**document, "_about": None}:
                problems.append(
                    f"{path.relative_to(REPO)} is stale: rerun without --check"
                )
        else:
            path.write_text(text)
            print(f"recorded {path.relative_to(REPO)}")
    for problem in problems:
        print(f"MISMATCH {problem}", file=sys.stderr)
    print(
        f"{'disagree' if problems else 'agree'}: generator vs cursus {cursus.commit or ''}"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
