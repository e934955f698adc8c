"""A deploy repository's figures: the import floor, our own work per pipeline, and a
20-pipeline manifest generated serially and in parallel and checked cold and warm.

Run: python bench/bench_project.py [--pipelines 20] [--repeat 3]

Every figure is the median wall time of whole processes (`python -m cursus_codegen ...`), as a
deploy job or pre-commit runs them. Printed with the issue's targets:
- warm `check` of the repository < 1/3 of one cold single generation;
- our own work for a 16-node pipeline (its generation minus the import floor of black, libcst
  and jinja2) <= 0.3 s; the 1000-node DAG <= 10 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_generate import synthetic

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "generated_examples" / "xgboost_e2e"


def timed(
    args: list[str], cwd: Path, env: dict[str, str], repeat: int, cold: bool = False
) -> float:
    """Median wall time; `cold`: every run with an empty cache (no formatted piece reused)."""
    times = []
    for _run in range(repeat):
        if cold:
            env = dict(
                env, CURSUS_CODEGEN_CACHE_DIR=tempfile.mkdtemp(prefix="bench-cache-")
            )
        start = time.perf_counter()
        done = subprocess.run(
            args, cwd=cwd, env=env, capture_output=True, text=True, check=False
        )
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(
                f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}"
            )
    return statistics.median(times)


def deploy_repository(root: Path, count: int) -> None:
    """`count` pipelines: the XGBoost example with its own service name and bucket each."""
    import json

    lines = ["[tool.cursus-codegen]", ""]
    for i in range(count):
        shutil.copytree(
            EXAMPLE,
            root / f"p{i:02d}",
            ignore=shutil.ignore_patterns("pipeline_gen.py"),
        )
        config = root / f"p{i:02d}" / "cfg.json"
        data = json.loads(config.read_text())
        data["configuration"]["shared"].update(
            service_name=f"Service{i:02d}", bucket=f"bucket-{i:02d}"
        )
        config.write_text(json.dumps(data, indent=2))
        lines += [
            "[[tool.cursus-codegen.pipelines]]",
            f'name = "p{i:02d}"',
            f'dag = "p{i:02d}/dag.py"',
            f'config = "p{i:02d}/cfg.json"',
            f'output = "p{i:02d}/pipeline_gen.py"',
            "",
        ]
    (root / "pyproject.toml").write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pipelines", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    opts = parser.parse_args()
    py = [sys.executable]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = dict(os.environ, CURSUS_CODEGEN_CACHE_DIR=str(work / "cache"))
        floor = timed(
            py + ["-c", "import black, libcst, jinja2"], work, env, opts.repeat
        )
        bare = timed(py + ["-c", "pass"], work, env, opts.repeat)
        figures = {
            "python startup": bare,
            "import floor (black, libcst, jinja2)": floor,
        }
        for nodes in (16, 1000):
            dag, cfg = synthetic(work, nodes)
            args = py + [
                "-m",
                "cursus_codegen",
                str(dag),
                str(cfg),
                "-o",
                str(work / f"m{nodes}.py"),
            ]
            figures[f"generate {nodes}-node DAG (cold, whole process)"] = timed(
                args, work, env, 1 if nodes > 100 else opts.repeat, cold=True
            )
            timed(args, work, env, 1)  # fill the cache
            figures[f"regenerate {nodes}-node DAG, unchanged (warm cache)"] = timed(
                args, work, env, 1 if nodes > 100 else opts.repeat
            )
        single = py + ["-m", "cursus_codegen", "dag.py", "cfg.json", "-o", "single.py"]
        cold_single = timed(
            single, EXAMPLE.parent / EXAMPLE.name, env, opts.repeat, cold=True
        )
        (EXAMPLE / "single.py").unlink(missing_ok=True)
        figures["generate the xgboost example (cold single generation)"] = cold_single
        repo = work / "deploy"
        deploy_repository(repo, opts.pipelines)
        n = opts.pipelines
        cli = py + ["-m", "cursus_codegen"]
        figures[f"generate {n} pipelines serially (--jobs 1, cold)"] = timed(
            cli + ["generate", "--jobs", "1"], repo, env, 1, cold=True
        )
        figures[
            f"generate {n} pipelines in parallel ({os.cpu_count()} cores, cold)"
        ] = timed(cli + ["generate"], repo, env, 1, cold=True)
        figures[f"check {n} pipelines, cold cache"] = timed(
            cli + ["check"], repo, env, 1, cold=True
        )
        timed(cli + ["check"], repo, env, 1)  # fill the cache
        figures[f"check {n} pipelines, warm cache"] = timed(
            cli + ["check"], repo, env, opts.repeat
        )
    width = max(len(k) for k in figures)
    for name, seconds in figures.items():
        print(f"{name:<{width}}  {seconds:7.3f} s")
    warm = figures[f"check {n} pipelines, warm cache"]
    own16 = figures["generate 16-node DAG (cold, whole process)"] - floor
    own16_warm = figures["regenerate 16-node DAG, unchanged (warm cache)"] - floor
    print()
    print(
        f"warm check / cold single generation: {warm / cold_single:.2f} (target < 0.33)"
    )
    print(
        f"our own work, 16 nodes (generation - import floor): cold {own16:.3f} s, "
        f"warm cache {own16_warm:.3f} s (target <= 0.3 s)"
    )
    print(
        f"1000-node DAG: cold {figures['generate 1000-node DAG (cold, whole process)']:.2f} s, warm "
        f"{figures['regenerate 1000-node DAG, unchanged (warm cache)']:.2f} s (target <= 10 s)"
    )
    serial = figures[f"generate {n} pipelines serially (--jobs 1, cold)"]
    parallel = figures[
        f"generate {n} pipelines in parallel ({os.cpu_count()} cores, cold)"
    ]
    print(f"parallel speed-up over serial: {serial / parallel:.2f}x")


if __name__ == "__main__":
    main()
