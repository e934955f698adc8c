"""Step-type catalog: built-in files, strict validation of bad files, variants, config values."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cursus_codegen.catalog.loader import load_catalog
from cursus_codegen.catalog.types import LocalPath
from cursus_codegen.catalog.values import config_values
from cursus_codegen.catalog.variants import for_job_type
from cursus_codegen.diagnostics import Level

MY_TYPES = {
    "TabularPreprocessing": "TabularPreprocessingConfig",
    "DummyDataLoading": "DummyDataLoadingConfig",
    "StratifiedSampling": "StratifiedSamplingConfig",
    "MissingValueImputation": "MissingValueImputationConfig",
    "ModelCalibration": "ModelCalibrationConfig",
    "Package": "PackageConfig",
    "Payload": "PayloadConfig",
}

MINIMAL = """\
step_type: TeamStep
config_class: TeamStepConfig
sagemaker_step_type: Processing
config_base: processing
fields:
  job_type: {type: str, default: training}
compute: {kind: sklearn, framework_version_field: processing_framework_version}
entry_point_field: processing_entry_point
environment:
  collector: bespoke
  rules:
    - {name: JOB, field: job_type}
inputs:
  input_data: {path: /opt/ml/processing/input/data}
outputs:
  out:
    path: /opt/ml/processing/output
    property_path: properties.ProcessingOutputConfig.Outputs['out'].S3Output.S3Uri
"""

BASE_VALUES = {
    "author": "ann",
    "bucket": "bkt",
    "role": "arn:aws:iam::1:role/R",
    "region": "NA",
    "service_name": "Svc",
    "pipeline_version": "1.0",
    "project_root_folder": "proj",
}


def _load_with(tmp_path: Path, text: str, name: str = "team.yaml"):
    (tmp_path / name).write_text(textwrap.dedent(text))
    return load_catalog([tmp_path])


def _errors(diags):
    return [d for d in diags if d.level is Level.ERROR]


# --- built-ins ---------------------------------------------------------------------------------


def test_builtin_files_load_without_diagnostics():
    catalog, diags = load_catalog()
    assert diags == []
    for step_type, config_class in MY_TYPES.items():
        step = catalog.get(step_type)
        assert step is not None and step.config_class == config_class
        assert catalog.step_type_of_class(config_class) == step_type
        assert step.source_file.endswith(".yaml")
    assert [f.name for f in catalog.bases["processing"]][:2] == ["author", "bucket"]
    assert catalog.step_type_of_class("NoSuchConfig") is None


def test_builtin_ports_keep_interface_order_and_paths():
    catalog, _ = load_catalog()
    dummy = catalog.get("DummyDataLoading")
    # spec.outputs order (DATA, METADATA, SIGNATURE), not the contract's
    assert [o.logical_name for o in dummy.outputs] == ["DATA", "METADATA", "SIGNATURE"]
    assert dummy.outputs[2].path == "/opt/ml/processing/output/signature"
    assert dummy.inputs[0].source_override == (("derive", "data_source_uri"),)
    package = catalog.get("Package")
    assert [(i.logical_name, i.required) for i in package.inputs] == [
        ("model_input", True),
        ("inference_scripts_input", False),
        ("calibration_model", False),
    ]
    assert package.outputs[0].aliases == ("PackagedModel", "model_data")


# --- bad files ---------------------------------------------------------------------------------


def test_unknown_key_is_located_by_file_key_path_and_line(tmp_path):
    text = MINIMAL.replace(
        "    - {name: JOB, field: job_type}", "    - {name: JOB, feild: job_type}"
    )
    _, diags = _load_with(tmp_path, text)
    errors = _errors(diags)
    unknown = [d for d in errors if "unknown key 'feild'" in d.message]
    assert len(unknown) == 1
    loc = unknown[0].location
    assert loc.path == str(tmp_path / "team.yaml")
    assert loc.pointer == "/environment/rules/0/feild"
    assert loc.line == 12
    assert "environment/rules/0" in unknown[0].message


def test_wrong_types_and_enumerations_are_errors(tmp_path):
    text = MINIMAL.replace("collector: bespoke", "collector: magic") + "sink: 'yes'\n"
    text = text.replace("field: job_type}", "field: job_type, when: sometimes}")
    _, diags = _load_with(tmp_path, text)
    messages = {d.location.pointer: d.message for d in _errors(diags)}
    assert (
        "'magic' is not one of bespoke, declared" in messages["/environment/collector"]
    )
    assert "sink must be true or false" in messages["/sink"]
    assert "'sometimes' is not one of" in messages["/environment/rules/0/when"]


def test_reference_to_undeclared_field_is_an_error(tmp_path):
    _, diags = _load_with(
        tmp_path, MINIMAL.replace("field: job_type}", "field: jobtype}")
    )
    (err,) = _errors(diags)
    assert "names field 'jobtype'" in err.message
    assert err.location.pointer == "/environment/rules/0/field"


def test_unknown_derivation_duplicate_key_and_unquoted_default(tmp_path):
    text = MINIMAL.replace(
        "{name: JOB, field: job_type}", "{name: JOB, derive: no_such_fn}"
    )
    text = text.replace("environment:\n", "environment:\n  declared_optional: {X: 0}\n")
    text += "sink: false\nsink: true\n"
    _, diags = _load_with(tmp_path, text)
    messages = " | ".join(d.message for d in _errors(diags))
    assert "unknown derivation 'no_such_fn'" in messages
    assert "duplicate key 'sink'" in messages
    assert "default of X must be a quoted string" in messages


def test_invalid_yaml_is_a_located_error_not_an_exception(tmp_path):
    _, diags = _load_with(tmp_path, "step_type: [unclosed\nconfig_class: X\n")
    (err,) = _errors(diags)
    assert err.message.startswith("invalid YAML")
    assert err.location.path.endswith("team.yaml") and err.location.line is not None


def test_missing_required_keys_and_unknown_base(tmp_path):
    _, diags = _load_with(tmp_path, "step_type: X\n")
    assert any("missing the required key 'config_class'" in d.message for d in diags)
    _, diags = _load_with(
        tmp_path, MINIMAL.replace("config_base: processing", "config_base: nope")
    )
    assert any("unknown config_base 'nope'" in d.message for d in _errors(diags))


def test_bad_variant_port_is_reported_at_the_variant(tmp_path):
    text = (
        MINIMAL
        + "variants:\n  calibration:\n    inputs: {input_data: {requird: true}}\n"
    )
    _, diags = _load_with(tmp_path, text)
    (err,) = _errors(diags)
    assert err.location.pointer == "/variants/calibration/inputs/input_data/requird"


def test_steps_dir_adds_and_overrides_and_missing_dir_is_an_error(tmp_path):
    catalog, diags = _load_with(tmp_path, MINIMAL)
    assert diags == [] and catalog.step_type_of_class("TeamStepConfig") == "TeamStep"
    override = MINIMAL.replace("step_type: TeamStep", "step_type: Payload").replace(
        "TeamStepConfig", "PayloadConfig"
    )
    catalog, diags = _load_with(tmp_path, override, "payload.yaml")
    assert diags == [] and catalog.get("Payload").fields[0].name == "job_type"
    _, diags = load_catalog([tmp_path / "absent"])
    assert _errors(diags) and "not a directory" in diags[0].message


# --- variants ----------------------------------------------------------------------------------


def test_variant_deep_merges_over_ports():
    catalog, _ = load_catalog()
    base = catalog.get("MissingValueImputation")
    calib = for_job_type(base, "calibration")
    by_name = {i.logical_name: i for i in calib.inputs}
    assert by_name["model_artifacts_input"].required is True  # base: optional
    assert by_name["input_data"].semantic_keywords[:2] == ("calibration", "calib")
    # keys the variant does not restate are kept
    assert by_name["input_data"].path == "/opt/ml/processing/input/data"
    assert by_name["input_data"].compatible_sources == base.inputs[0].compatible_sources
    assert "calib_data" in calib.outputs[0].aliases
    assert for_job_type(base, "munged") is base
    assert for_job_type(base, None) is base


# --- values ------------------------------------------------------------------------------------


def test_config_values_defaults_coercions_and_dropped_keys():
    catalog, _ = load_catalog()
    step = catalog.get("StratifiedSampling")
    raw = {
        **BASE_VALUES,
        "strata_column": "y",
        "sampling_multiplier": 2,
        "allow_replacement": "True",
        "target_sample_size": 10.0,
        "sampling_strategy": "OPTIMAL",
        "pipeline_name": "derived-and-dropped",
        "__model_type__": "StratifiedSamplingConfig",
    }
    values, missing = config_values(step, catalog, raw)
    assert missing == []
    assert "pipeline_name" not in values and "__model_type__" not in values
    assert values["sampling_multiplier"] == 2.0 and isinstance(
        values["sampling_multiplier"], float
    )
    assert values["allow_replacement"] is True
    assert values["target_sample_size"] == 10 and isinstance(
        values["target_sample_size"], int
    )
    assert values["sampling_strategy"] == "optimal"
    assert (
        values["processing_instance_count"] == 1 and values["id_column"] == "order_id"
    )


def test_config_values_missing_required_strip_and_type_info():
    catalog, _ = load_catalog()
    step = catalog.get("MissingValueImputation")
    values, missing = config_values(
        step,
        catalog,
        {
            "label_field": " t ",
            "exclude_columns": {"__type_info__": "list", "value": [" a", "b "]},
        },
    )
    assert missing == [
        "author",
        "bucket",
        "role",
        "region",
        "service_name",
        "pipeline_version",
        "project_root_folder",
    ]
    assert values["label_field"] == "t" and values["exclude_columns"] == ["a", "b"]


def test_default_from_copies_another_field(tmp_path):
    text = MINIMAL.replace(
        "  job_type: {type: str, default: training}\n",
        "  job_type: {type: str, default: training}\n"
        "  run_type: {type: str, default_from: job_type}\n",
    )
    catalog, diags = _load_with(tmp_path, text)
    assert diags == []
    step = catalog.get("TeamStep")
    values, _ = config_values(step, catalog, {**BASE_VALUES, "job_type": "calibration"})
    assert values["run_type"] == "calibration"
    values, _ = config_values(step, catalog, {**BASE_VALUES, "run_type": "x"})
    assert values["run_type"] == "x"


def test_default_lists_are_not_shared_between_configs():
    catalog, _ = load_catalog()
    step = catalog.get("Payload")
    raw = {**BASE_VALUES, "expected_tps": 1, "max_latency_in_millisecond": 100}
    first, _ = config_values(step, catalog, raw)
    first["source_model_inference_content_types"].append("mutated")
    second, _ = config_values(step, catalog, raw)
    assert second["source_model_inference_content_types"] == ["text/csv"]


@pytest.mark.parametrize(
    "values, expected",
    [
        ({"data_source": "s3://b/raw"}, "s3://b/raw"),
        ({"data_source": "data/training"}, LocalPath("data/training")),
    ],
)
def test_dummy_data_source_override(values, expected):
    from cursus_codegen.catalog.derive import DERIVATIONS

    assert DERIVATIONS["data_source_uri"](values) == expected
