"""Secure-sandbox SDK steps (CradleDataLoading, RedshiftDataLoading, DataUploading, Registration)
built end to end against the test doubles, without the corpus (tests/data/sdk_steps).

What cursus does is reference/cursus-steps.md §1.8: the SDK class gets step_name, role and
session; Cradle/Redshift switch caching off when the configuration does and get
add_depends_on(parents); DataUploading gets input_s3_location; Registration gets two ordered
ProcessingInputs, performance_metadata_location=None and depends_on in its constructor.
"""

import shutil

import pytest
from conftest import REPO, ROLE, import_module_from, pipeline_class_of, run_cli
from support.definitions import (
    is_prefix_join,
    output_locations,
    processing_inputs,
    processing_output_ref,
    steps_by_name,
)
from support.sandbox_sdk import PACKAGE, sandbox_sdk_installed, sdk_importable

DATA = REPO / "tests" / "data" / "sdk_steps"
SDK_STEPS = (
    "CradleDataLoading-Training",
    "RedshiftDataLoading-Calibration",
    "DataUploading-Calibration",
    "Registration-EU",
)


@pytest.fixture(scope="module")
def module(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sdk_steps") / "project"
    shutil.copytree(DATA, folder)
    code, _, err = run_cli(
        ["dag.json", "cfg.json", "-o", "pipeline_gen.py", "--strict"], cwd=folder
    )
    assert code == 0, err
    assert not sdk_importable()
    return import_module_from(
        folder / "pipeline_gen.py", "sdk_steps_gen"
    )  # imports without it


@pytest.fixture(scope="module")
def built(module, sm_session):
    """(pipeline definition, recorded SDK calls by step name) built with the doubles."""
    import json

    with sandbox_sdk_installed() as doubles:
        template = pipeline_class_of(module)(
            sagemaker_session=sm_session, execution_role=ROLE
        )
        definition = json.loads(template.generate_pipeline().definition())
        calls = list(doubles.calls)
    return definition, calls


def _constructed(calls, step_name):
    [call] = [
        c
        for c in calls
        if c["step_name"] == step_name and "class" in c and "add_depends_on" not in c
    ]
    return call


def test_without_the_sdk_generate_pipeline_names_the_package_and_the_step(
    module, sm_session
):
    template = pipeline_class_of(module)(
        sagemaker_session=sm_session, execution_role=ROLE
    )
    with pytest.raises(ImportError) as caught:
        template.generate_pipeline()
    message = str(caught.value)
    assert PACKAGE in message and "'CradleDataLoading-Training'" in message
    assert "CradleDataLoadingStep" in message


def test_steps_in_build_order_with_the_sdk_steps_as_processing_steps(built):
    definition, _ = built
    assert [(s["Name"], s["Type"]) for s in definition["Steps"]] == [
        ("CradleDataLoading-Training", "Processing"),
        ("RedshiftDataLoading-Calibration", "Processing"),
        ("TabularPreprocessing-Training", "Processing"),
        ("TabularPreprocessing-Calibration", "Processing"),
        ("XGBoostTraining", "Training"),
        ("DataUploading-Calibration", "Processing"),
        ("Package", "Processing"),
        ("Payload", "Processing"),
        ("Registration-EU", "Processing"),
    ]


def test_source_steps_get_only_name_role_and_session(built, sm_session):
    _, calls = built
    for name, cls in (
        ("CradleDataLoading-Training", "CradleDataLoadingStep"),
        ("RedshiftDataLoading-Calibration", "RedshiftDataLoadingStep"),
    ):
        call = _constructed(calls, name)
        assert call == {
            "class": cls,
            "step_name": name,
            "role": ROLE,
            "sagemaker_session": sm_session,
            "processing_input": None,
            "depends_on": None,
        }
        assert not [
            c for c in calls if c["step_name"] == name and "add_depends_on" in c
        ]


def test_caching_is_switched_off_only_where_the_configuration_disables_it(built):
    steps = steps_by_name(built[0])
    assert steps["CradleDataLoading-Training"]["CacheConfig"]["Enabled"] is False
    # enable_caching: true in its configuration: the SDK step's own cache config stays
    assert steps["RedshiftDataLoading-Calibration"]["CacheConfig"]["Enabled"] is True


def test_data_uploading_gets_the_upstream_output_and_its_parents(built):
    definition, calls = built
    call = _constructed(calls, "DataUploading-Calibration")
    assert set(call) == {
        "class",
        "step_name",
        "role",
        "sagemaker_session",
        "processing_input",
        "depends_on",
        "input_s3_location",
    }
    assert call["input_s3_location"].expr == processing_output_ref(
        "TabularPreprocessing-Calibration", "processed_data"
    )
    [added] = [
        c
        for c in calls
        if c["step_name"] == "DataUploading-Calibration" and "add_depends_on" in c
    ]
    assert [s.name for s in added["add_depends_on"]] == [
        "TabularPreprocessing-Calibration"
    ]
    assert steps_by_name(definition)["DataUploading-Calibration"]["DependsOn"] == [
        "TabularPreprocessing-Calibration"
    ]


def test_registration_gets_two_ordered_inputs_and_depends_on_in_its_constructor(
    built, sm_session
):
    definition, calls = built
    call = _constructed(calls, "Registration-EU")
    assert call["class"] == "MimsModelRegistrationProcessingStep"
    assert (call["role"], call["sagemaker_session"]) == (ROLE, sm_session)
    assert call["performance_metadata_location"] is None
    assert [s.name for s in call["depends_on"]] == ["Package", "Payload"]
    first, second = call["processing_input"]
    assert (first.input_name, first.destination) == (
        "PackagedModel",
        "/opt/ml/processing/input/model",
    )
    assert (second.input_name, second.destination) == (
        "GeneratedPayloadSamples",
        "/opt/ml/processing/mims_payload",
    )
    for item in (first, second):
        assert (item.s3_data_distribution_type, item.s3_input_mode) == (
            "FullyReplicated",
            "File",
        )
    assert first.source.expr == processing_output_ref("Package", "packaged_model")
    assert second.source.expr == processing_output_ref("Payload", "payload_sample")
    assert not [
        c
        for c in calls
        if c["step_name"] == "Registration-EU" and "add_depends_on" in c
    ]
    assert steps_by_name(definition)["Registration-EU"]["DependsOn"] == [
        "Package",
        "Payload",
    ]


def test_downstream_steps_read_the_sdk_steps_outputs(built):
    steps = steps_by_name(built[0])
    assert processing_inputs(steps["TabularPreprocessing-Training"])[
        "DATA"
    ] == processing_output_ref("CradleDataLoading-Training", "DATA")
    assert processing_inputs(steps["TabularPreprocessing-Calibration"])[
        "DATA"
    ] == processing_output_ref("RedshiftDataLoading-Calibration", "output")


def test_generated_outputs_sit_under_the_prefix_and_sdk_outputs_are_the_sdks(built):
    generated = [
        (s, o, loc) for s, o, loc in output_locations(built[0]) if s not in SDK_STEPS
    ]
    assert (
        len(generated) == 5
    )  # 2 x processed_data, training output, packaged_model, payload_sample
    assert all(is_prefix_join(loc) for _, _, loc in generated)
    sdk = [loc for s, _, loc in output_locations(built[0]) if s in SDK_STEPS]
    assert len(sdk) == 4 and not any(
        is_prefix_join(loc) for loc in sdk
    )  # chosen by the SDK


def test_a_pipeline_without_sdk_steps_has_no_sdk_helper():
    source = (
        REPO / "generated_examples" / "xgboost_e2e" / "pipeline_gen.py"
    ).read_text()
    assert "_sandbox_step_class" not in source and PACKAGE not in source
