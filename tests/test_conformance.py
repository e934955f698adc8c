"""Conformance over the 46 cursus catalog DAGs (../shared/corpus/dags), built offline under moto.

Each DAG is generated with a configuration written by conformance/configs.py (and, for the pairs
corpus/README.md lists, with the real corpus configuration too), imported, built, and its
definition checked: the four parameters, every output location a Join on EXECUTION_S3_PREFIX and
unique, step names in cursus build order, every property reference pointing at an earlier step,
and DependsOn = the DAG predecessors in edge order. Then its wiring, read from the built
definition, must equal the case's golden table in tests/data/wiring/ exactly: which upstream
step output feeds each input, and each output path's segments in order (conformance/wiring.py).
A reviewer sees a unified diff on a mismatch; a missing golden file fails. Golden files are
written only on purpose, by `python tests/conformance/regenerate_wiring.py`.
Nodes are dropped only for the reasons in conformance/plan.py, and test_drop_summary prints
every drop. Skips when the corpus is absent.
"""

import json
import sys

import pytest
from conformance.plan import (
    SDK_DOUBLES_PACKAGE,
    case_id,
    conformance_cases,
    corpus_dag_ids,
    kahn_order,
    needs_sdk,
)
from conformance.project import generate_case
from conformance.wiring import (
    WIRING,
    golden_mismatch,
    golden_path,
    module_name,
    wiring_table,
)
from conftest import CORPUS, REPO, build_definition, import_module_from, run_cli
from support.definitions import is_prefix_join, output_locations, step_references

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="../shared/corpus is absent"
)

SUPPORT = REPO / "tests" / "support"
HAVE_SDK_DOUBLES = (SUPPORT / SDK_DOUBLES_PACKAGE).is_dir()
PARAMETERS = [
    "EXECUTION_S3_PREFIX",
    "KMS_ENCRYPTION_KEY_PARAM",
    "SECURITY_GROUP_ID",
    "VPC_SUBNET",
]
DAG_IDS = corpus_dag_ids(CORPUS)
CASES = conformance_cases(CORPUS)
SUMMARY: dict[str, object] = {}  # case id -> Case, filled as the cases run


@pytest.fixture(scope="module")
def catalog():
    from cursus_codegen.catalog.loader import load_catalog

    loaded, _ = load_catalog()
    return loaded


@pytest.fixture(scope="module", autouse=True)
def cached_endpoint_data():
    """sagemaker re-reads botocore's endpoints.json on every image-URI lookup (~0.2 s each);
    the data cannot change while the tests run, so this module reads it once."""
    import functools

    import sagemaker.utils

    original = sagemaker.utils._botocore_resolver
    sagemaker.utils._botocore_resolver = functools.lru_cache(maxsize=1)(original)
    yield
    sagemaker.utils._botocore_resolver = original


@pytest.fixture(scope="module")
def sdk_doubles():
    """tests/support on sys.path while this module builds, when the SDK test doubles exist.

    Removed afterwards, with every module imported from there, because another test checks
    how generated modules behave without the `mods` package."""
    if not HAVE_SDK_DOUBLES:
        yield
        return
    before = set(sys.modules)
    sys.path.insert(0, str(SUPPORT))
    try:
        yield
    finally:
        sys.path.remove(str(SUPPORT))
        for name in set(sys.modules) - before:
            if name.split(".")[0] in (SDK_DOUBLES_PACKAGE, "mods"):
                del sys.modules[name]


def test_the_corpus_has_46_dags():
    assert len(DAG_IDS) == 46


@pytest.mark.parametrize(
    ("dag_id", "config_name"), CASES, ids=[case_id(*c) for c in CASES]
)
def test_corpus_dag_builds(
    dag_id, config_name, catalog, sdk_doubles, sm_session, tmp_path
):
    """The case generates, builds, passes the structural checks, and is wired exactly as its
    golden table says (a mismatch shows the unified diff of the two tables)."""
    case = generate_case(
        tmp_path, CORPUS, dag_id, config_name, catalog, HAVE_SDK_DOUBLES, run_cli
    )
    SUMMARY[case_id(dag_id, config_name)] = case
    definition = None  # every node dropped, each for a reason test_drop_summary prints
    if case.nodes:
        module = import_module_from(
            tmp_path / "pipeline_gen.py", module_name(case_id(dag_id, config_name))
        )
        definition = build_definition(module, sm_session)
        check_definition(definition, case, catalog)
    mismatch = golden_mismatch(dag_id, config_name, wiring_table(definition))
    if mismatch:
        pytest.fail(mismatch, pytrace=False)


def test_every_golden_wiring_table_belongs_to_a_case():
    """tests/data/wiring/ holds one table per conformance case and nothing else (a case that
    no longer exists leaves no stale file behind; the regeneration script removes those).
    """
    assert (
        HAVE_SDK_DOUBLES
    ), "the golden tables are built with the SDK test doubles in tests/support/"
    expected = {golden_path(*case).name for case in CASES}
    assert len(expected) == len(CASES)
    assert {p.name for p in WIRING.glob("*.json")} == expected


def check_definition(definition: dict, case, catalog) -> None:
    assert [p["Name"] for p in definition["Parameters"]] == PARAMETERS
    name_of = {node: cfg.step_name() for node, cfg in case.configs.items()}
    order = kahn_order(case.nodes, case.edges)
    assert [s["Name"] for s in definition["Steps"]] == [name_of[n] for n in order]
    sdk_steps = {
        name_of[n]
        for n, cfg in case.configs.items()
        if needs_sdk(catalog.get(cfg.step_type))
    }
    locations = [
        (step, out, loc)
        for step, out, loc in output_locations(definition)
        if step not in sdk_steps
    ]
    assert all(is_prefix_join(loc) for _, _, loc in locations), locations
    # A training output path is a prefix SageMaker extends with the job name, so two training
    # steps of one type may share it (cursus: [prefix, canonical_to_snake(step type)], no
    # job_type: xgboost/ssl_training's pretrain and finetune). Every other location is unique.
    unique = [
        json.dumps(loc, sort_keys=True)
        for _, out, loc in locations
        if out != "S3OutputPath"
    ]
    assert len(set(unique)) == len(unique), unique
    seen: set[str] = set()
    for node, step in zip(order, definition["Steps"], strict=True):
        for ref in step_references(step.get("Arguments", {})):
            if ref.startswith("Steps."):
                assert (
                    ref.split(".")[1] in seen
                ), f"{step['Name']} refers to a later or unknown step: {ref}"
        predecessors = [name_of[src] for src, dst in case.edges if dst == node]
        assert step.get("DependsOn", []) == predecessors, step["Name"]
        seen.add(step["Name"])


ALLOWED_REASONS = (
    "step type ",
    "built by the proprietary SDK",
    "DAG defect: ",
    "lost required input ",
)


def test_drop_summary(capsys):
    """Print what each case built and dropped (always shown); every drop has a listed reason."""
    lines = ["", "conformance: corpus DAGs built offline (dropped nodes and why)"]
    for key in sorted(SUMMARY):
        case = SUMMARY[key]
        status = (
            "built fully"
            if not case.drops
            else f"built {len(case.nodes)} nodes" if case.nodes else "nothing left"
        )
        lines.append(f"  {key}: {status}")
        lines += [f"      - {d.node}: {d.reason}" for d in case.drops]
        assert all(d.reason.startswith(ALLOWED_REASONS) for d in case.drops)
    with capsys.disabled():
        print("\n".join(lines))
