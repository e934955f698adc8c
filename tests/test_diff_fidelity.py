"""`cursus-codegen diff` never says "No changes" for pipelines whose definitions differ: JSON values
compare with their types, every top-level key of the definition is compared, and only each
side's own default bucket has its account masked. Module sides here are small stand-ins whose
pipeline class returns a fixed definition (built in the diff's subprocess all the same), or the
xgboost example, edited."""

import json
import shutil

import pytest
import test_diff
from conftest import run_cli

project = test_diff.project  # a fixture: the xgboost example, copied

MOTO = "123456789012"  # the account a module side is built in


def definition(
    uri="s3://sagemaker-us-east-1-123456789012/train/", volume=30, count=1, **top
):
    step = {
        "Name": "Train",
        "Type": "Training",
        "Arguments": {
            "ResourceConfig": {"InstanceCount": count, "VolumeSizeInGB": volume},
            "InputDataConfig": [{"DataSource": {"S3DataSource": {"S3Uri": uri}}}],
        },
    }
    return {
        "Version": "2020-12-01",
        "Metadata": {},
        "Parameters": [],
        **top,
        "Steps": [step],
    }


def stand_in(folder, name, document):
    """A module whose pipeline class builds `document` as its definition."""
    source = (
        f"import json\nDEFINITION = json.loads({json.dumps(json.dumps(document))})\n\n\n"
        "class StandIn:\n"
        "    def __init__(self, sagemaker_session, execution_role, **kwargs):\n"
        "        pass\n\n"
        "    def generate_pipeline(self):\n        return self\n\n"
        "    def definition(self):\n        return json.dumps(DEFINITION)\n\n"
        "    def fill_execution_document(self, document):\n        return document\n"
    )
    (folder / name).write_text(source)
    return name


@pytest.fixture()
def deployed(monkeypatch):
    """deployed:NAME reads pipelines[NAME] = (account, definition) through a stand-in client."""
    import boto3

    pipelines = {}

    class Client:
        def describe_pipeline(self, PipelineName):
            account, document = pipelines[PipelineName]
            return {
                "PipelineName": PipelineName,
                "PipelineDefinition": json.dumps(document),
                "PipelineArn": f"arn:aws:sagemaker:us-east-1:{account}:pipeline/{PipelineName}",
                "RoleArn": f"arn:aws:iam::{account}:role/Deploy",
            }

    monkeypatch.setattr(boto3.Session, "client", lambda self, *args, **kwargs: Client())
    return pipelines


# --- values compare with their types -----------------------------------------------------------


@pytest.mark.parametrize(
    "old,new,shown",
    [
        (
            {"volume": 500},
            {"volume": 500.0},
            "Arguments.ResourceConfig.VolumeSizeInGB: 500 -> 500.0",
        ),
        (
            {"count": 1},
            {"count": True},
            "Arguments.ResourceConfig.InstanceCount: 1 -> true",
        ),
        (
            {"count": 0},
            {"count": False},
            "Arguments.ResourceConfig.InstanceCount: 0 -> false",
        ),
    ],
)
def test_values_equal_in_python_but_not_in_json_are_a_change(tmp_path, old, new, shown):
    a = stand_in(tmp_path, "a.py", definition(**old))
    b = stand_in(tmp_path, "b.py", definition(**new))
    code, out, err = run_cli(["diff", a, b], cwd=tmp_path)
    assert (code, err) == (1, ""), out
    assert f"    {shown}" in out.splitlines(), out


def test_types_are_compared_inside_lists_parameters_and_step_configs():
    from cursus_codegen.diff.compare import compare

    old = {
        "Parameters": [{"Name": "P", "Type": "Integer", "DefaultValue": 1}],
        "Steps": [{"Name": "S", "Arguments": {"L": [1, 2.5, None]}}],
    }
    new = {
        "Parameters": [{"Name": "P", "Type": "Integer", "DefaultValue": 1.0}],
        "Steps": [{"Name": "S", "Arguments": {"L": [True, 2.5, None]}}],
    }
    plan = compare(old, new, {"S": {"n": 0}}, {"S": {"n": False}})
    assert not plan.same
    assert [(c.path, c.old, c.new) for c in plan.parameters.changed["P"]] == [
        ("DefaultValue", 1, 1.0)
    ]
    assert [(c.path, c.old, c.new) for c in plan.steps.changed["S"]] == [
        ("Arguments.L[0]", 1, True)
    ]
    assert [(c.path, c.old, c.new) for c in plan.step_configs.changed["S"]] == [
        ("n", 0, False)
    ]
    assert compare(old, json.loads(json.dumps(old)), {"S": [1.5]}, {"S": [1.5]}).same


def test_the_example_edited_to_float_volume_bool_count_and_no_experiment_config(
    project,
):
    """The edits of the review, in a generated module: each one is reported."""
    shutil.copy(project / "pipeline_gen.py", project / "old_pipeline_gen.py")
    source = (project / "pipeline_gen.py").read_text()
    source = source.replace("volume_size_in_gb=500,", "volume_size_in_gb=500.0,", 1)
    source = source.replace("instance_count=1,", "instance_count=True,", 2).replace(
        "instance_count=True,", "instance_count=1,", 1
    )  # the second step's count only
    source = source.replace(
        "            sagemaker_session=self.sagemaker_session,\n        )\n",
        "            sagemaker_session=self.sagemaker_session,\n"
        "            pipeline_experiment_config=None,\n        )\n",
        1,
    )
    assert source.count("pipeline_experiment_config=None") == 1
    (project / "pipeline_gen.py").write_text(source)
    code, out, err = run_cli(
        ["diff", "old_pipeline_gen.py", "pipeline_gen.py", "--format", "json"],
        cwd=project,
    )
    assert (code, err) == (1, ""), out
    report = json.loads(out)
    changes = {
        name: [(c["path"], c["old"], c["new"]) for c in found]
        for name, found in report["steps"]["changed"].items()
    }
    assert changes == {
        "DummyDataLoading-Training": [
            ("Arguments.ProcessingResources.ClusterConfig.VolumeSizeInGB", 500, 500.0)
        ],
        "DummyDataLoading-Calibration": [
            ("Arguments.ProcessingResources.ClusterConfig.InstanceCount", 1, True)
        ],
    }
    assert [(c["path"], c["new"]) for c in report["pipeline"]] == [
        ("PipelineExperimentConfig", None)
    ]
    code, out, _ = run_cli(
        ["diff", "old_pipeline_gen.py", "pipeline_gen.py"], cwd=project
    )
    assert (
        code == 1
        and "~ pipeline (top-level keys of the definition)" in out.splitlines()
    ), out


# --- every top-level key -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "old,new,path",
    [
        (
            {"PipelineExperimentConfig": {"ExperimentName": "e"}},
            {"PipelineExperimentConfig": None},
            "PipelineExperimentConfig",
        ),
        (
            {"PipelineExperimentConfig": {"ExperimentName": "e"}},
            {},
            "PipelineExperimentConfig",
        ),
        ({"Version": "2020-12-01"}, {"Version": "2021-01-01"}, "Version"),
        ({}, {"Metadata": {"Owner": "x"}}, "Metadata.Owner"),
        ({}, {"Elsewhere": 1}, "Elsewhere"),
    ],
)
def test_a_change_of_a_top_level_key_is_reported(tmp_path, old, new, path):
    a = stand_in(tmp_path, "a.py", definition(**old))
    b = stand_in(tmp_path, "b.py", definition(**new))
    code, out, err = run_cli(["diff", a, b, "--format", "json"], cwd=tmp_path)
    assert (code, err) == (1, ""), out
    report = json.loads(out)
    assert [c["path"] for c in report["pipeline"]] == [path]
    assert report["steps"]["changed"] == {} and report["parameters"]["changed"] == {}


def test_parameters_or_steps_present_on_one_side_only_are_a_top_level_change():
    from cursus_codegen.diff.compare import compare

    plan = compare({"Steps": []}, {"Steps": [], "Parameters": []}, None, None)
    assert [(c.path, c.new) for c in plan.pipeline] == [
        ("Parameters", [])
    ] and not plan.same


# --- only a side's own default bucket has its account masked ---------------------------------


def test_an_input_moved_to_another_accounts_bucket_is_a_change(tmp_path):
    old = "s3://sagemaker-us-east-1-111111111111/train/"
    a = stand_in(tmp_path, "a.py", definition(uri=old))
    b = stand_in(tmp_path, "b.py", definition(uri=old.replace("1" * 12, "9" * 12)))
    code, out, err = run_cli(["diff", a, b], cwd=tmp_path)
    assert (code, err) == (1, ""), out
    assert "111111111111" in out and "999999999999" in out


def test_deployed_pipelines_mask_their_own_account_only(tmp_path, deployed):
    own = definition(uri="s3://sagemaker-us-east-1-444455556666/train/")
    deployed["own"] = ("444455556666", own)
    deployed["same-elsewhere"] = (
        "777788889999",
        definition(uri="s3://sagemaker-us-east-1-777788889999/train/"),
    )
    deployed["foreign"] = (
        "777788889999",
        own,
    )  # another account's pipeline reading 4444's bucket
    module = stand_in(tmp_path, "m.py", definition())  # moto's own default bucket
    assert run_cli(["diff", "deployed:own", module], cwd=tmp_path)[:2] == (
        0,
        ("No changes: deployed:own and m.py build the same pipeline.\n"),
    )
    assert (
        run_cli(["diff", "deployed:own", "deployed:same-elsewhere"], cwd=tmp_path)[0]
        == 0
    )
    code, out, _ = run_cli(["diff", "deployed:own", "deployed:foreign"], cwd=tmp_path)
    assert code == 1 and "444455556666" in out, out
    code, out, _ = run_cli(["diff", "deployed:foreign", module], cwd=tmp_path)
    assert code == 1 and "444455556666" in out, out


def test_a_deployed_pipeline_whose_account_is_unknown_masks_nothing(
    tmp_path, monkeypatch
):
    import boto3

    document = json.dumps(definition())

    class Client:
        def describe_pipeline(self, PipelineName):
            return {"PipelineName": PipelineName, "PipelineDefinition": document}

    monkeypatch.setattr(boto3.Session, "client", lambda self, *args, **kwargs: Client())
    module = stand_in(tmp_path, "m.py", definition())
    code, out, _ = run_cli(["diff", "deployed:p", module], cwd=tmp_path)
    assert code == 1 and MOTO in out, out


@pytest.mark.parametrize(
    "steps,fragment",
    [
        (
            [{"Name": "A", "Type": "Training"}, {"Name": "A", "Type": "Processing"}],
            "Steps hold two items named 'A'",
        ),
        ([{"Name": "A"}, "B"], "an item of the pipeline's Steps is not a JSON object"),
    ],
)
def test_steps_that_cannot_be_matched_by_name_are_bad_input(
    tmp_path, deployed, steps, fragment
):
    deployed["p"] = (MOTO, {"Parameters": [], "Steps": steps})
    code, out, err = run_cli(["diff", "deployed:p", "deployed:p"], cwd=tmp_path)
    assert (
        (code, out) == (2, "")
        and err.startswith("deployed:p: error: ")
        and fragment in err
    ), err
