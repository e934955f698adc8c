"""Generation time and peak memory: the committed examples and synthetic DAGs.

Run: python bench/bench_generate.py [--sizes 10 100 500]
Prints one line per case. The generator never imports sagemaker, so nothing here does either.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from cursus_codegen.generate import GenerateRequest, render_source

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "generated_examples"


def _request(dag: Path, cfg: Path, out: Path) -> GenerateRequest:
    return GenerateRequest(
        dag_path=dag, config_path=cfg, dag_display=dag.name, config_display=cfg.name,
        output_path=out, output_display=out.name, command="bench",
    )


def measure(req: GenerateRequest) -> tuple[float, float, int]:
    """(seconds, peak MiB, output lines) for one in-process generation.

    Time and memory come from two separate runs: tracemalloc slows Python code down severalfold.
    """
    start = time.perf_counter()
    result = render_source(req)
    seconds = time.perf_counter() - start
    if result.source is None:
        problems = "; ".join(d.format() for d in result.diagnostics)
        raise SystemExit(f"generation failed: {problems}")
    tracemalloc.start()
    render_source(req)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20, result.source.count("\n")


def synthetic(folder: Path, nodes: int) -> tuple[Path, Path]:
    """`nodes` steps: pairs DummyDataLoading_jK -> TabularPreprocessing_jK, chained by data."""
    pairs = max(1, nodes // 2)
    names, edges, specific = [], [], {}
    for k in range(pairs):
        job = f"j{k:04d}"
        load, prep = f"DummyDataLoading_{job}", f"TabularPreprocessing_{job}"
        names += [load, prep]
        edges.append([load, prep])
        specific[load] = {"__model_type__": "DummyDataLoadingConfig", "job_type": job,
                          "data_source": f"s3://bench-bucket/data/{job}"}
        specific[prep] = {"__model_type__": "TabularPreprocessingConfig", "job_type": job,
                          "label_name": "label"}
    shared = {"author": "bench", "bucket": "bench-bucket", "role": "arn:aws:iam::1:role/r",
              "region": "NA", "service_name": "Bench", "pipeline_version": "1.0.0",
              "project_root_folder": "bench", "source_dir": "s3://bench-bucket/code"}
    config = {"configuration": {"shared": shared, "specific": specific},
              "metadata": {"config_types": {k: v["__model_type__"] for k, v in specific.items()}}}
    dag_path, cfg_path = folder / f"dag_{nodes}.json", folder / f"cfg_{nodes}.json"
    dag_path.write_text(json.dumps({"dag": {"nodes": names, "edges": edges}}))
    cfg_path.write_text(json.dumps(config))
    return dag_path, cfg_path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[10, 100, 500])
    args = parser.parse_args(argv)
    print(f"{'case':<32} {'seconds':>8} {'peak MiB':>9} {'lines':>7}")
    for example in sorted(p for p in EXAMPLES.iterdir() if (p / "cfg.json").exists()):
        out = example / "pipeline_gen.py"
        seconds, peak, lines = measure(_request(example / "dag.py", example / "cfg.json", out))
        print(f"{'example/' + example.name:<32} {seconds:8.3f} {peak:9.1f} {lines:7d}")
    timings = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            dag, cfg = synthetic(Path(tmp), size)
            seconds, peak, lines = measure(_request(dag, cfg, Path(tmp) / "out.py"))
            timings[size] = seconds
            print(f"{f'synthetic/{size} nodes':<32} {seconds:8.3f} {peak:9.1f} {lines:7d}")
    if 100 in timings and max(timings) > 100:
        top = max(timings)
        print(f"ratio {top}/100 nodes: {timings[top] / timings[100]:.1f}x for {top / 100:.0f}x the nodes")
    print(f"sagemaker imported by the generator: {'sagemaker' in sys.modules}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
