"""The generated class under MODS (a stand-in that wraps the class as MODS does) and without it."""

import shutil
import sys

import pytest
from conftest import (
    REPO,
    ROLE,
    build_definition,
    import_module_from,
    pipeline_class_of,
    run_cli,
)

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
    assert (
        cls._mods_description
        == "FraudDetection xgboost Model NA"
        == module.PIPELINE_DESCRIPTION
    )


def test_mods_receives_the_class_object_and_the_metadata(with_mods_standin, sm_session):
    module = import_module_from(EXAMPLE, "xgb_with_mods")
    [call] = with_mods_standin.calls
    assert isinstance(call["cls"], type)
    assert call["cls"].__name__ == "FraudDetectionXgboostPipeline"
    assert (call["author"], call["version"], call["description"]) == (
        "ml-platform",
        "2.0.0",
        "FraudDetection xgboost Model NA",
    )
    wrapped = module.FraudDetectionXgboostPipeline
    assert issubclass(
        wrapped, with_mods_standin.MODSTemplateInner
    )  # no metaclass conflict
    assert wrapped.extract_author() == "ml-platform"
    assert wrapped.extract_version() == "2.0.0"
    assert wrapped.extract_description() == "FraudDetection xgboost Model NA"
    assert with_mods_standin.extract_template_list() == [wrapped]
    definition = build_definition(module, sm_session)
    assert len(definition["Steps"]) == 9


def test_pipeline_parameters_argument_replaces_the_declared_list(sm_session):
    from sagemaker.workflow.parameters import ParameterString

    module = import_module_from(EXAMPLE, "xgb_custom_parameters")
    prefix = ParameterString(
        name="EXECUTION_S3_PREFIX", default_value="s3://bucket/run"
    )
    extra = ParameterString(name="MODEL_OWNER")
    definition = build_definition(
        module, sm_session, pipeline_parameters=[extra, prefix]
    )
    assert [p["Name"] for p in definition["Parameters"]] == [
        "MODEL_OWNER",
        "EXECUTION_S3_PREFIX",
    ]
    assert definition["Parameters"][1]["DefaultValue"] == "s3://bucket/run"


def test_pipeline_parameters_without_the_prefix_are_refused():
    from sagemaker.workflow.parameters import ParameterString

    module = import_module_from(EXAMPLE, "xgb_no_prefix")
    cls = pipeline_class_of(module)
    with pytest.raises(ValueError, match="EXECUTION_S3_PREFIX"):
        cls(
            sagemaker_session=object(),
            execution_role=ROLE,
            pipeline_parameters=[ParameterString(name="OTHER")],
        )


# --- the atoz pair (cursus projects/atoz_xgboost): Cradle and Registration included ----------

from conftest import CORPUS
from support.definitions import is_prefix_join, output_locations
from support.sandbox_sdk import sandbox_sdk_installed

needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="../shared/corpus is absent"
)


@pytest.fixture(scope="module")
def atoz_root(tmp_path_factory):
    from test_mods_atoz import make_atoz_project

    root = make_atoz_project(tmp_path_factory.mktemp("atoz_mods"))
    code, _, err = run_cli(
        [
            "dag.json",
            "config.json",
            "-o",
            "pipeline_gen.py",
            "--class-name",
            "XGBoostAtoZPipeline",
        ],
        cwd=root,
    )
    assert code == 0, err
    return root


@needs_corpus
def test_atoz_under_mods_extracts_the_configuration_metadata(
    atoz_root, with_mods_standin, sm_session
):
    module = import_module_from(atoz_root / "pipeline_gen.py", "atoz_with_mods")
    cls = module.XGBoostAtoZPipeline
    assert issubclass(cls, with_mods_standin.MODSTemplateInner)  # no metaclass conflict
    assert (cls.extract_author(), cls.extract_version(), cls.extract_description()) == (
        "lukexie",
        "1.3.1",
        "AtoZ xgboost Model NA",
    )
    assert cls.extract_name() == "XGBoostAtoZPipeline"
    with sandbox_sdk_installed():
        pipeline = cls(
            sagemaker_session=sm_session, execution_role=ROLE
        ).generate_pipeline()
        assert pipeline.name == "lukexie-AtoZ-xgboost-NA-1-3-1-pipeline"
        assert len(pipeline.steps) == 10


@needs_corpus
def test_atoz_class_used_directly_honours_pipeline_parameters(atoz_root, sm_session):
    import json

    from sagemaker.workflow.parameters import ParameterString

    module = import_module_from(atoz_root / "pipeline_gen.py", "atoz_direct")
    prefix = ParameterString(
        name="EXECUTION_S3_PREFIX", default_value="s3://team-bucket/runs"
    )
    owner = ParameterString(name="MODEL_OWNER", default_value="team")
    with sandbox_sdk_installed():
        template = module.XGBoostAtoZPipeline(
            sagemaker_session=sm_session,
            execution_role=ROLE,
            pipeline_parameters=[owner, prefix],
        )
        definition = json.loads(template.generate_pipeline().definition())
    assert [(p["Name"], p.get("DefaultValue")) for p in definition["Parameters"]] == [
        ("MODEL_OWNER", "team"),
        ("EXECUTION_S3_PREFIX", "s3://team-bucket/runs"),
    ]
    generated = [
        loc
        for step, _, loc in output_locations(definition)
        if not step.startswith(("CradleDataLoading", "Registration"))
    ]
    assert generated and all(is_prefix_join(loc) for loc in generated)


@needs_corpus
def test_atoz_metadata_flags_override_the_configuration(atoz_root, with_mods_standin):
    code, _, err = run_cli(
        [
            "dag.json",
            "config.json",
            "-o",
            "flags_gen.py",
            "--author",
            "ml-ops",
            "--version",
            "9.9.9",
            "--description",
            "AtoZ reviewed",
        ],
        cwd=atoz_root,
    )
    assert code == 0, err
    module = import_module_from(atoz_root / "flags_gen.py", "atoz_flags")
    cls = pipeline_class_of(module)
    assert (module.AUTHOR, module.PIPELINE_VERSION, module.PIPELINE_DESCRIPTION) == (
        "ml-ops",
        "9.9.9",
        "AtoZ reviewed",
    )
    assert (cls.extract_author(), cls.extract_version(), cls.extract_description()) == (
        "ml-ops",
        "9.9.9",
        "AtoZ reviewed",
    )


@needs_corpus
def test_atoz_without_author_is_a_located_error_at_generation(atoz_root, tmp_path):
    import json

    root = tmp_path / "no_author"
    shutil.copytree(atoz_root, root)
    config = json.loads((root / "config.json").read_text())
    del config["configuration"]["shared"]["author"]
    (root / "config.json").write_text(json.dumps(config, indent=1))
    code, out, err = run_cli(
        ["dag.json", "config.json", "-o", "pipeline_gen.py"], cwd=root
    )
    assert code == 2 and out == ""
    assert "required field 'author' of CradleDataLoadingConfig is missing" in err
    assert "config.json#/configuration/specific/CradleDataLoading_training" in err


def test_a_broken_mods_install_fails_the_import_instead_of_falling_back(tmp_path):
    """Only a missing `mods` gives the stand-in: a mods that cannot import its own
    dependencies must not silently build the pipeline without MODS."""
    broken = tmp_path / "broken" / "mods"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("")
    (broken / "mods_template.py").write_text(
        "import a_dependency_mods_lost  # noqa: F401\n"
    )
    sys.path.insert(0, str(broken.parent))
    try:
        with pytest.raises(ModuleNotFoundError, match="a_dependency_mods_lost"):
            import_module_from(EXAMPLE, "xgb_with_broken_mods")
    finally:
        sys.path.remove(str(broken.parent))
        for name in ("mods", "mods.mods_template", "xgb_with_broken_mods"):
            sys.modules.pop(name, None)
