"""The corpus pair xgboost/complete_e2e + atoz_xgboost/config.json (cursus's
projects/atoz_xgboost), built end to end with the SDK doubles, and its execution document.

Expected values are cursus v2.9.32's (reference/cursus-steps.md §1.8, §3.2, §3.4, §5). Skips
when ../shared/corpus is absent.
"""

import copy
import json
import shutil

import pytest
from conftest import CORPUS, ROLE, import_module_from, pipeline_class_of, run_cli
from support.definitions import (
    is_prefix_join,
    output_locations,
    processing_inputs,
    processing_output_ref,
    steps_by_name,
)
from support.sandbox_sdk import PACKAGE, sandbox_sdk_installed, sdk_importable

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="../shared/corpus is absent"
)

CONFIGS = CORPUS / "configs" / "atoz_xgboost"
SCRIPTS = [
    "tabular_preprocessing.py",
    "xgboost_model_eval.py",
    "model_calibration.py",
    "package.py",
    "payload.py",
]
SDK_STEPS = {
    "CradleDataLoading-Training",
    "CradleDataLoading-Calibration",
    "Registration-NA",
}


def make_atoz_project(root):
    """cursus's project layout: config and DAG, placeholder scripts where the config points."""
    scripts = root / "dockers" / "xgboost_atoz" / "scripts"
    scripts.mkdir(parents=True)
    for name in SCRIPTS:
        (scripts / name).write_text('"""placeholder"""\n')
    (root / "dockers" / "xgboost_atoz" / "xgboost_training.py").write_text(
        '"""placeholder"""\n'
    )
    shutil.copy(CONFIGS / "config.json", root / "config.json")
    shutil.copy(
        CORPUS / "dags" / "xgboost" / "complete_e2e.dag.json", root / "dag.json"
    )
    return root


@pytest.fixture(scope="module")
def module(tmp_path_factory):
    root = make_atoz_project(tmp_path_factory.mktemp("atoz"))
    code, _, err = run_cli(
        ["dag.json", "config.json", "-o", "pipeline_gen.py", "--strict"], cwd=root
    )
    assert code == 0, err
    assert not sdk_importable()
    return import_module_from(root / "pipeline_gen.py", "atoz_gen")


@pytest.fixture(scope="module")
def built(module, sm_session):
    with sandbox_sdk_installed() as doubles:
        template = pipeline_class_of(module)(
            sagemaker_session=sm_session, execution_role=ROLE
        )
        definition = json.loads(template.generate_pipeline().definition())
        calls = list(doubles.calls)
    return definition, calls


def test_missing_sdk_fails_at_generate_pipeline_naming_package_and_step(
    module, sm_session
):
    template = pipeline_class_of(module)(
        sagemaker_session=sm_session, execution_role=ROLE
    )
    with pytest.raises(ImportError, match=PACKAGE) as caught:
        template.generate_pipeline()
    assert "'CradleDataLoading-Training'" in str(caught.value)


def test_step_order_types_and_depends_on(built):
    definition, _ = built
    assert [s["Name"] for s in definition["Steps"]] == [
        "CradleDataLoading-Training",
        "CradleDataLoading-Calibration",
        "TabularPreprocessing-Training",
        "TabularPreprocessing-Calibration",
        "XGBoostTraining",
        "XGBoostModelEval-Calibration",
        "Payload",
        "ModelCalibration-Calibration",
        "Package",
        "Registration-NA",
    ]
    steps = steps_by_name(definition)
    assert steps["XGBoostTraining"]["Type"] == "Training"
    assert {s["Type"] for n, s in steps.items() if n != "XGBoostTraining"} == {
        "Processing"
    }
    assert steps["Package"]["DependsOn"] == [
        "ModelCalibration-Calibration",
        "XGBoostTraining",
    ]
    assert steps["Registration-NA"]["DependsOn"] == ["Package", "Payload"]
    assert "DependsOn" not in steps["CradleDataLoading-Training"]


def test_recorded_sdk_constructor_arguments(built, sm_session):
    _, calls = built
    constructed = [c for c in calls if "add_depends_on" not in c]
    assert [(c["class"], c["step_name"]) for c in constructed] == [
        ("CradleDataLoadingStep", "CradleDataLoading-Training"),
        ("CradleDataLoadingStep", "CradleDataLoading-Calibration"),
        ("MimsModelRegistrationProcessingStep", "Registration-NA"),
    ]
    assert len(calls) == len(constructed)  # no add_depends_on: Cradles are sources
    for cradle in constructed[:2]:
        assert cradle["role"] == ROLE and cradle["sagemaker_session"] is sm_session
        assert set(cradle) == {
            "class",
            "step_name",
            "role",
            "sagemaker_session",
            "processing_input",
            "depends_on",
        }
        assert cradle["processing_input"] is None and cradle["depends_on"] is None
    registration = constructed[2]
    assert registration["performance_metadata_location"] is None
    assert [s.name for s in registration["depends_on"]] == ["Package", "Payload"]
    assert [
        (i.input_name, i.destination, i.s3_data_distribution_type, i.s3_input_mode)
        for i in registration["processing_input"]
    ] == [
        ("PackagedModel", "/opt/ml/processing/input/model", "FullyReplicated", "File"),
        (
            "GeneratedPayloadSamples",
            "/opt/ml/processing/mims_payload",
            "FullyReplicated",
            "File",
        ),
    ]


def test_cradle_caching_off_and_outputs_wired_downstream(built):
    steps = steps_by_name(built[0])
    assert steps["CradleDataLoading-Training"]["CacheConfig"] == {
        "Enabled": False,
        "ExpireAfter": "P30D",
    }
    tp = processing_inputs(steps["TabularPreprocessing-Training"])
    assert tp["DATA"] == processing_output_ref("CradleDataLoading-Training", "DATA")
    assert tp["DATA_SECONDARY"] == processing_output_ref(
        "CradleDataLoading-Training", "METADATA"
    )
    assert tp["SIGNATURE"] == processing_output_ref(
        "CradleDataLoading-Training", "SIGNATURE"
    )


def test_processing_and_training_outputs_are_all_under_the_prefix(built):
    locations = output_locations(built[0])
    generated = [loc for step, _, loc in locations if step not in SDK_STEPS]
    # TP x2, XGBoostTraining, XGBoostModelEval (2), Payload, ModelCalibration (3), Package
    assert len(generated) >= 9
    assert all(is_prefix_join(loc) for loc in generated)
    # the Cradle output locations are the SDK's: the generated code (like cursus) sets none
    cradle = [loc for step, _, loc in locations if step.startswith("CradleDataLoading")]
    assert len(cradle) == 6 and not any(is_prefix_join(loc) for loc in cradle)


def test_filling_the_default_document_reproduces_cursus_step_configs(module):
    expected = json.loads((CONFIGS / "execute_doc.json").read_text())
    document = copy.deepcopy(expected)
    for entry in document["PIPELINE_STEP_CONFIGS"].values():
        entry["STEP_CONFIG"] = {}
    template = pipeline_class_of(module)(
        sagemaker_session=object(), execution_role=ROLE
    )
    filled = template.fill_execution_document(document)
    for name in ("CradleDataLoading-Training", "CradleDataLoading-Calibration"):
        got, want = (
            filled["PIPELINE_STEP_CONFIGS"][name],
            expected["PIPELINE_STEP_CONFIGS"][name],
        )
        assert got == want
        assert json.dumps(got) == json.dumps(want)  # key for key, in the same order
    assert (
        filled == expected
    )  # Registration-NA (with its image URI) and the rest as well
