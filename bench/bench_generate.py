"""Generation time and peak memory, and the generated module's own run time, in one command.

Run: python bench/bench_generate.py [--sizes 10 100 500 1000] [--skip-runtime]

Every case runs in a fresh interpreter, so times include nothing cached by an earlier case and
peak memory is the process's own peak RSS (the black worker processes that format big modules
in parallel are reported separately). Printed:
- the committed examples and synthetic DAGs of 10..1000 nodes: wall and CPU seconds (the
  generator's own and its formatting workers'), peak RSS, output lines, and the ratio of the largest size to 100 nodes (about linear growth expected);
- for the XGBoost example: `import` of the module, `generate_pipeline()` and `definition()`
  under moto, next to a bare `import sagemaker.workflow.pipeline` measured the same way.
The generator never imports sagemaker; each generation case checks it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "generated_examples"
RUNTIME_EXAMPLE = EXAMPLES / "xgboost_e2e"


def synthetic(folder: Path, nodes: int) -> tuple[Path, Path]:
    """`nodes` steps: pairs DummyDataLoading_jK -> TabularPreprocessing_jK, chained by data."""
    pairs = max(1, nodes // 2)
    names, edges, specific = [], [], {}
    for k in range(pairs):
        job = f"j{k:04d}"
        load, prep = f"DummyDataLoading_{job}", f"TabularPreprocessing_{job}"
        names += [load, prep]
        edges.append([load, prep])
        specific[load] = {
            "__model_type__": "DummyDataLoadingConfig",
            "job_type": job,
            "data_source": f"s3://bench-bucket/data/{job}",
        }
        specific[prep] = {
            "__model_type__": "TabularPreprocessingConfig",
            "job_type": job,
            "label_name": "label",
        }
    shared = {
        "author": "bench",
        "bucket": "bench-bucket",
        "role": "arn:aws:iam::1:role/r",
        "region": "NA",
        "service_name": "Bench",
        "pipeline_version": "1.0.0",
        "project_root_folder": "bench",
        "source_dir": "s3://bench-bucket/code",
    }
    config = {
        "configuration": {"shared": shared, "specific": specific},
        "metadata": {
            "config_types": {k: v["__model_type__"] for k, v in specific.items()}
        },
    }
    dag_path, cfg_path = folder / f"dag_{nodes}.json", folder / f"cfg_{nodes}.json"
    dag_path.write_text(json.dumps({"dag": {"nodes": names, "edges": edges}}))
    cfg_path.write_text(json.dumps(config))
    return dag_path, cfg_path


# --- measured in a child process -------------------------------------------------------------


def _peak_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def measure_generation(dag: Path, cfg: Path) -> dict:
    from cursus_codegen.options.input_file import InputFile
    from cursus_codegen.run import GenerateRequest, render_source

    out = dag.parent / "pipeline_gen.py"
    request = GenerateRequest(
        dag=InputFile(dag, dag.name, dag.name),
        configs=(InputFile(cfg, cfg.name, cfg.name),),
        output_path=out,
        output_display=out.name,
        command="bench",
    )
    start, cpu = time.perf_counter(), os.times()
    result = render_source(request)
    seconds, after = time.perf_counter() - start, os.times()
    if result.source is None:
        raise SystemExit(
            "generation failed: " + "; ".join(d.format() for d in result.diagnostics)
        )
    main_cpu = (after.user + after.system) - (cpu.user + cpu.system)
    workers_cpu = (after.children_user + after.children_system) - (
        cpu.children_user + cpu.children_system
    )
    return {
        "seconds": seconds,
        "cpu": main_cpu + workers_cpu,
        "cpu_main": main_cpu,
        "cpu_workers": workers_cpu,
        "peak_mib": _peak_mib(resource.RUSAGE_SELF),
        "workers_peak_mib": _peak_mib(resource.RUSAGE_CHILDREN),
        "lines": result.source.count("\n"),
        "sagemaker_imported": "sagemaker" in sys.modules,
    }


def measure_bare_import() -> dict:
    start = time.perf_counter()
    import sagemaker.workflow.pipeline  # noqa: F401

    return {"import_sagemaker": time.perf_counter() - start}


def measure_runtime(folder: Path) -> dict:
    """import + generate_pipeline() + definition() of a generated module, under moto."""
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_SESSION_TOKEN="testing",
        AWS_DEFAULT_REGION="us-east-1",
        SAGEMAKER_SUPPRESS_V2_WARNING="1",
    )
    import importlib.util

    import boto3
    from moto import mock_aws

    timings = {}
    start = time.perf_counter()
    spec = importlib.util.spec_from_file_location(
        "bench_example", folder / "pipeline_gen.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    timings["import_module"] = time.perf_counter() - start
    import sagemaker.telemetry.telemetry_logging as telemetry
    from sagemaker.workflow.pipeline_context import PipelineSession

    telemetry._send_telemetry_request = lambda *args, **kwargs: None
    with mock_aws():
        boto_session = boto3.Session(region_name="us-east-1")
        boto_session.client("s3").create_bucket(Bucket="bench-bucket")
        session = PipelineSession(
            boto_session=boto_session, default_bucket="bench-bucket"
        )
        cls = next(
            v
            for v in vars(module).values()
            if isinstance(v, type)
            and hasattr(v, "generate_pipeline")
            and v.__module__ == "bench_example"
        )
        template = cls(
            sagemaker_session=session, execution_role="arn:aws:iam::123456789012:role/R"
        )
        start = time.perf_counter()
        pipeline = template.generate_pipeline()
        timings["generate_pipeline"] = time.perf_counter() - start
        start = time.perf_counter()
        pipeline.definition()
        timings["definition"] = time.perf_counter() - start
    return timings


# --- the command -----------------------------------------------------------------------------


def _child(*args: str, cwd: Path | None = None) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench case {args} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _row(case: str, m: dict) -> str:
    return (
        f"{case:<26} {m['seconds']:8.2f} {m['cpu']:8.2f} {m['cpu_main']:8.2f} {m['cpu_workers']:8.2f} "
        f"{m['peak_mib']:9.1f} {m['workers_peak_mib']:11.1f} {m['lines']:7d}"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[10, 100, 500, 1000])
    parser.add_argument("--skip-runtime", action="store_true")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        result = {
            "generate": lambda: measure_generation(Path(rest[0]), Path(rest[1])),
            "bare-import": measure_bare_import,
            "runtime": lambda: measure_runtime(Path(rest[0])),
        }[kind]()
        print(json.dumps(result))
        return 0
    print(f"cpus: {os.cpu_count()}  python: {sys.version.split()[0]}")
    print(
        "cpu s = main + workers; with the CPUs to itself, wall is about max(main, workers)"
    )
    print(
        f"{'case':<26} {'wall s':>8} {'cpu s':>8} {'main':>8} {'workers':>8} {'peak MiB':>9} "
        f"{'workers MiB':>11} {'lines':>7}"
    )
    imported = False
    for example in sorted(p for p in EXAMPLES.iterdir() if (p / "cfg.json").exists()):
        m = _child(
            "--child", "generate", str(example / "dag.py"), str(example / "cfg.json")
        )
        imported |= m["sagemaker_imported"]
        print(_row(f"example/{example.name}", m), flush=True)
    timings = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            dag, cfg = synthetic(Path(tmp), size)
            m = _child("--child", "generate", str(dag), str(cfg))
            imported |= m["sagemaker_imported"]
            timings[size] = m
            print(_row(f"synthetic/{size} nodes", m), flush=True)
    if 100 in timings and max(timings) > 100:
        top = max(timings)
        wall, cpu = (timings[top][k] / timings[100][k] for k in ("seconds", "cpu"))
        print(
            f"ratio {top}/100 nodes: wall {wall:.1f}x, cpu {cpu:.1f}x, for {top / 100:.0f}x the nodes"
        )
    print(f"sagemaker imported by the generator: {imported}")
    if not args.skip_runtime:
        bare = _child("--child", "bare-import")
        run = _child("--child", "runtime", str(RUNTIME_EXAMPLE), cwd=RUNTIME_EXAMPLE)
        print(
            f"bare `import sagemaker.workflow.pipeline`: {bare['import_sagemaker']:.2f} s"
        )
        print(
            f"{RUNTIME_EXAMPLE.name}: import {run['import_module']:.2f} s, generate_pipeline() "
            f"{run['generate_pipeline']:.2f} s, definition() {run['definition']:.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
