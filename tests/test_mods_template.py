"""The generated class under MODS (a stand-in that wraps the class as MODS does) and without it."""

import sys

import pytest

from conftest import REPO, ROLE, build_definition, import_module_from, pipeline_class_of

EXAMPLE = REPO / "generated_examples" / "xgboost_e2e" / "pipeline_gen.py"
SUPPORT = REPO / "tests" / "support"


@pytest.fixture()
def with_mods_standin():
    sys.path.insert(0, str(SUPPORT))
    for name in ("mods", "mods.mods_template"):
        sys.modules.pop(name, None)
    try:
        import mods.mods_template as standin

        standin.calls.clear()
        yield standin
    finally:
        sys.path.remove(str(SUPPORT))
        for name in ("mods", "mods.mods_template"):
            sys.modules.pop(name, None)


def test_without_mods_the_fallback_records_the_metadata_on_the_class():
    assert "mods" not in sys.modules
    module = import_module_from(EXAMPLE, "xgb_without_mods")
    cls = pipeline_class_of(module)
    assert cls._mods_author == "ml-platform" == module.AUTHOR
    assert cls._mods_version == "2.0.0" == module.PIPELINE_VERSION
    assert cls._mods_description == "FraudDetection xgboost Model NA" == module.PIPELINE_DESCRIPTION


def test_mods_receives_the_class_object_and_the_metadata(with_mods_standin, sm_session):
    module = import_module_from(EXAMPLE, "xgb_with_mods")
    [call] = with_mods_standin.calls
    assert isinstance(call["cls"], type)
    assert call["cls"].__name__ == "FraudDetectionXgboostPipeline"
    assert (call["author"], call["version"], call["description"]) == (
        "ml-platform", "2.0.0", "FraudDetection xgboost Model NA")
    wrapped = module.FraudDetectionXgboostPipeline
    assert issubclass(wrapped, with_mods_standin.MODSTemplateInner)  # no metaclass conflict
    assert wrapped.extract_author() == "ml-platform"
    assert wrapped.extract_version() == "2.0.0"
    assert wrapped.extract_description() == "FraudDetection xgboost Model NA"
    assert with_mods_standin.extract_template_list() == [wrapped]
    definition = build_definition(module, sm_session)
    assert len(definition["Steps"]) == 9


def test_pipeline_parameters_argument_replaces_the_declared_list(sm_session):
    from sagemaker.workflow.parameters import ParameterString

    module = import_module_from(EXAMPLE, "xgb_custom_parameters")
    prefix = ParameterString(name="EXECUTION_S3_PREFIX", default_value="s3://bucket/run")
    extra = ParameterString(name="MODEL_OWNER")
    definition = build_definition(module, sm_session, pipeline_parameters=[extra, prefix])
    assert [p["Name"] for p in definition["Parameters"]] == ["MODEL_OWNER", "EXECUTION_S3_PREFIX"]
    assert definition["Parameters"][1]["DefaultValue"] == "s3://bucket/run"


def test_pipeline_parameters_without_the_prefix_are_refused():
    from sagemaker.workflow.parameters import ParameterString

    module = import_module_from(EXAMPLE, "xgb_no_prefix")
    cls = pipeline_class_of(module)
    with pytest.raises(ValueError, match="EXECUTION_S3_PREFIX"):
        cls(sagemaker_session=object(), execution_role=ROLE,
            pipeline_parameters=[ParameterString(name="OTHER")])
