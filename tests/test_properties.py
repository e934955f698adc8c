"""Property-based: random DAGs of 1-200 nodes over the core processing step types, with generated
configurations. For each: the module compiles, imports and builds offline; the steps, named as
cursus names them, come in a topological order; every output is a unique Join on
EXECUTION_S3_PREFIX; and regenerating gives the same bytes.

No expectation here is computed with the generator's own functions: step names follow the rule
written in `expected_step_name` (with literal examples in test_step_names_a_user_sees), and the
formatting is compared with black's defaults, which the README promises the module passes.

The strategy only draws valid pipelines: a step that needs data gets an edge from a data
loading step drawn before it (random extra edges may add more wires). Example counts are small
so the suite stays fast (a 200-node example takes ~15 s of CPU); the DAG size is drawn over the
whole range.
"""

import json
import re
import shutil
from pathlib import Path

from conftest import REPO, build_definition, import_module_from, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.definitions import is_prefix_join, output_locations

DATA = REPO / "tests" / "data" / "all_kinds"
SOURCE_KINDS = ("DummyDataLoading",)
NEEDS_DATA = (
    "TabularPreprocessing",
    "StratifiedSampling",
    "RiskTableMapping",
    "MissingValueImputation",
)
KINDS = SOURCE_KINDS + NEEDS_DATA
TEMPLATE = json.loads((DATA / "cfg.json").read_text())
SPECIFIC = TEMPLATE["configuration"]["specific"]


@st.composite
def pipelines(draw):
    """(nodes [(name, kind, job_type)], edges [(src, dst)], per-node configuration overrides)."""
    # half small, half up to 200: every size is reachable, and the suite stays fast
    count = draw(
        st.one_of(
            st.integers(min_value=1, max_value=30),
            st.integers(min_value=31, max_value=200),
        )
    )
    nodes, edges, overrides, loaders = [], [], {}, []
    for i in range(count):
        kind = draw(st.sampled_from(KINDS)) if loaders else SOURCE_KINDS[0]
        job_type = f"j{i}"
        name = f"{kind}_{job_type}"
        if kind in NEEDS_DATA:
            edges.append((nodes[draw(st.sampled_from(loaders))][0], name))
        else:
            loaders.append(i)
        nodes.append((name, kind, job_type))
        overrides[name] = draw(_config_overrides())
    extra = draw(
        st.lists(
            st.tuples(st.integers(0, count - 1), st.integers(0, count - 1)),
            max_size=count // 4,
        )
    )
    for a, b in extra:
        if a < b and (nodes[a][0], nodes[b][0]) not in edges:
            edges.append((nodes[a][0], nodes[b][0]))
    return nodes, edges, overrides


def _config_overrides():
    return st.fixed_dictionaries(
        {
            "processing_instance_count": st.integers(1, 5),
            "processing_volume_size": st.integers(10, 1000),
            "use_large_processing_instance": st.booleans(),
        }
    )


def _template_key(kind: str) -> str:
    return next(
        key
        for key, entry in SPECIFIC.items()
        if entry["__model_type__"].startswith(kind)
    )


def _write_project(folder: Path, nodes, edges, overrides) -> None:
    shutil.copytree(DATA, folder)
    specific, types = {}, {}
    for name, kind, job_type in nodes:
        entry = {
            **SPECIFIC[_template_key(kind)],
            "job_type": job_type,
            **overrides[name],
        }
        specific[name], types[name] = entry, entry["__model_type__"]
    config = {
        "configuration": {
            "shared": TEMPLATE["configuration"]["shared"],
            "specific": specific,
        },
        "metadata": {"config_types": types},
    }
    (folder / "cfg.json").write_text(json.dumps(config, indent=2))
    dag = {
        "dag": {"nodes": [n for n, _, _ in nodes], "edges": [list(e) for e in edges]}
    }
    (folder / "dag.json").write_text(json.dumps(dag, indent=2))


def expected_step_name(kind: str, job_type: str) -> str:
    """cursus's documented step naming (`_get_step_name`): the step type, then "-" and the job
    type with its first letter upper-case and the others lower-case. This file's random job
    types are j<i>: DummyDataLoading_j0 is the step "DummyDataLoading-J0"."""
    assert re.fullmatch(r"j[0-9]+", job_type), job_type
    return f"{kind}-J{job_type[1:]}"


COUNTER = iter(range(10**9))


@settings(
    max_examples=6,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pipeline=pipelines())
def test_random_pipelines_generate_build_and_regenerate(
    pipeline, sm_session, tmp_path_factory
):
    nodes, edges, overrides = pipeline
    run = next(COUNTER)
    folder = tmp_path_factory.mktemp("prop") / "project"
    _write_project(folder, nodes, edges, overrides)
    code, _, err = run_cli(
        ["dag.json", "cfg.json", "-o", "pipeline_gen.py", "--strict"], cwd=folder
    )
    assert code == 0, err
    source = (folder / "pipeline_gen.py").read_bytes()
    compile(source, "pipeline_gen.py", "exec")

    # regeneration is byte-identical, from another working directory too
    code, out, err = run_cli(
        [
            folder / "dag.json",
            folder / "cfg.json",
            "-o",
            folder / "pipeline_gen.py",
            "--check",
        ],
        cwd=folder.parent,
    )
    assert (code, out) == (0, ""), err

    definition = build_definition(
        import_module_from(folder / "pipeline_gen.py", f"prop_gen_{run}"), sm_session
    )
    names = {name: expected_step_name(kind, job_type) for name, kind, job_type in nodes}
    order = [step["Name"] for step in definition["Steps"]]
    assert sorted(order) == sorted(names.values())
    position = {name: i for i, name in enumerate(order)}
    for src, dst in edges:
        assert position[names[src]] < position[names[dst]], (src, dst)

    locations = output_locations(definition)
    assert len(locations) >= len(nodes)
    for step, output, location in locations:
        assert is_prefix_join(location), (step, output, location)
    rendered = [json.dumps(location, sort_keys=True) for _, _, location in locations]
    assert len(rendered) == len(set(rendered))


def _parts_of(folder: Path, dag_name: str):
    from cursus_codegen.options.input_file import InputFile
    from cursus_codegen.output.render import render_parts
    from cursus_codegen.plan.build import build_plan
    from cursus_codegen.run import GenerateRequest
    from cursus_codegen.run import plan_options as _options

    request = GenerateRequest(
        dag=InputFile(folder / dag_name, dag_name, dag_name),
        configs=(InputFile(folder / "cfg.json", "cfg.json", "cfg.json"),),
        output_path=folder / "pipeline_gen.py",
        output_display="pipeline_gen.py",
        command="test",
    )
    plan, diagnostics = build_plan(_options(request))
    assert plan is not None, diagnostics
    return render_parts(plan)


def test_step_names_a_user_sees(sm_session, tmp_path):
    """The SageMaker step names of a small pipeline, written out: the step type, "-", and the
    job type capitalised (first letter upper-case, the rest lower-case), in build order.
    """
    nodes = [
        ("DummyDataLoading_training", "DummyDataLoading", "training"),
        ("TabularPreprocessing_calibration", "TabularPreprocessing", "calibration"),
        ("StratifiedSampling_TEST", "StratifiedSampling", "TEST"),
        ("RiskTableMapping_j12", "RiskTableMapping", "j12"),
        ("MissingValueImputation_holdOut", "MissingValueImputation", "holdOut"),
    ]
    edges = [(nodes[0][0], name) for name, _, _ in nodes[1:]]
    overrides = {name: {} for name, _, _ in nodes}
    _write_project(tmp_path / "project", nodes, edges, overrides)
    code, _, err = run_cli(
        ["dag.json", "cfg.json", "-o", "pipeline_gen.py", "--strict"],
        cwd=tmp_path / "project",
    )
    assert code == 0, err
    definition = build_definition(
        import_module_from(tmp_path / "project" / "pipeline_gen.py", "prop_names"),
        sm_session,
    )
    assert [step["Name"] for step in definition["Steps"]] == [
        "DummyDataLoading-Training",
        "TabularPreprocessing-Calibration",
        "StratifiedSampling-Test",
        "RiskTableMapping-J12",
        "MissingValueImputation-Holdout",
    ]


def test_formatting_in_pieces_equals_black_on_the_whole_module(tmp_path):
    """emit.format_module (head + batches of step methods, in worker processes) gives exactly
    the bytes black with its defaults gives for the whole module (the README: a repository that
    runs black with its defaults leaves the module unchanged), however the steps are split; with
    --line-length 120, black's bytes at line length 120."""
    import black

    from cursus_codegen.output.emit import format_module

    defaults = (
        black.Mode()
    )  # black's own defaults: line length 88, as `black` runs unconfigured

    nodes = [(f"DummyDataLoading_j{i}", "DummyDataLoading", f"j{i}") for i in range(3)]
    nodes += [
        (f"{kind}_j{i}", kind, f"j{i}") for i, kind in enumerate(NEEDS_DATA, start=3)
    ]
    edges = [(nodes[0][0], name) for name, _, _ in nodes[3:]] + [
        (nodes[3][0], nodes[4][0])
    ]
    overrides = {
        name: {
            "processing_instance_count": 2,
            "processing_volume_size": 30,
            "use_large_processing_instance": True,
        }
        for name, _, _ in nodes
    }
    _write_project(tmp_path / "synthetic", nodes, edges, overrides)
    cases = [
        (REPO / "generated_examples" / "xgboost_e2e", "dag.py"),
        (DATA, "dag.json"),
        (tmp_path / "synthetic", "dag.json"),
    ]
    for folder, dag_name in cases:
        parts = _parts_of(folder, dag_name)
        whole = black.format_str(parts.join(), mode=defaults)
        assert format_module(parts, workers=1) == whole, folder
        assert format_module(parts, workers=3) == whole, folder
        assert black.format_str(whole, mode=defaults) == whole
    # another width reaches the worker processes too
    wide = black.format_str(parts.join(), mode=black.Mode(line_length=120))
    assert format_module(parts, workers=3, line_length=120) == wide != whole
