"""One MODS template for every region: several configurations, one class, `regional_alias`
picks the region. For each region the definition (and the filled execution document) equals
what the single-region module of that configuration builds, in a session of that region.
"""

import contextlib
import copy
import json
import shutil

import pytest
from conftest import CORPUS, REPO, ROLE, import_module_from, pipeline_class_of, run_cli
from support.sandbox_sdk import sandbox_sdk_installed

from cursus_codegen.plan import model as m
from cursus_codegen.plan.region_values import RegionsDiffer, merge_expr, merge_values

EXAMPLE = REPO / "generated_examples" / "multi_region"
CONFIGS = [
    "pipeline_config/config_NA.json",
    "pipeline_config/config_EU.json",
    "pipeline_config/config_FE.json",
]
AWS_REGION = {"NA": "us-east-1", "EU": "eu-west-1", "FE": "us-west-2"}
BUCKET = "sagemaker-regions-123456789012"


@contextlib.contextmanager
def session_in(aws_region):
    """A PipelineSession of `aws_region`, every AWS call in moto, telemetry patched out."""
    import boto3
    import sagemaker.telemetry.telemetry_logging as telemetry
    from moto import mock_aws
    from sagemaker.workflow.pipeline_context import PipelineSession

    original = telemetry._send_telemetry_request
    telemetry._send_telemetry_request = lambda *args, **kwargs: None
    try:
        with mock_aws():
            boto_session = boto3.Session(region_name=aws_region)
            location = (
                {}
                if aws_region == "us-east-1"
                else {"CreateBucketConfiguration": {"LocationConstraint": aws_region}}
            )
            boto_session.client("s3").create_bucket(Bucket=BUCKET, **location)
            yield PipelineSession(boto_session=boto_session, default_bucket=BUCKET)
    finally:
        telemetry._send_telemetry_request = original


def built(module_path, name, alias=None, document=None):
    """(definition, filled execution document) of a module's pipeline for one region."""
    module = import_module_from(module_path, name)
    kwargs = {} if alias is None else {"regional_alias": alias}
    region = alias or module.DEFAULT_REGION
    with session_in(AWS_REGION[region]) as session, sandbox_sdk_installed():
        template = pipeline_class_of(module)(
            sagemaker_session=session, execution_role=ROLE, **kwargs
        )
        definition = json.loads(template.generate_pipeline().definition())
        filled = (
            template.fill_execution_document(copy.deepcopy(document))
            if document
            else None
        )
    return definition, filled


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """A copy of the example with the multi-region module and one module per configuration."""
    root = tmp_path_factory.mktemp("regions") / "multi_region"
    shutil.copytree(EXAMPLE, root)
    for config in CONFIGS:
        alias = config[-7:-5]
        code, _, err = run_cli(["dag.py", config, "-o", f"single_{alias}.py"], cwd=root)
        assert code == 0, err
    return root


@pytest.mark.parametrize("alias", ["NA", "EU", "FE"])
def test_each_region_builds_what_its_configuration_alone_builds(example, alias):
    multi, _ = built(example / "pipeline_gen.py", f"regions_multi_{alias}", alias)
    single, _ = built(example / f"single_{alias}.py", f"regions_single_{alias}")
    assert multi == single
    assert multi["Steps"] and {p["Name"] for p in multi["Parameters"]} >= {
        "EXECUTION_S3_PREFIX"
    }


def test_the_regions_really_differ_and_the_default_is_the_first(example):
    definitions = {
        a: built(example / "pipeline_gen.py", f"regions_diff_{a}", a)[0]
        for a in AWS_REGION
    }
    training = {
        a: next(s for s in d["Steps"] if s["Name"] == "XGBoostTraining")
        for a, d in definitions.items()
    }
    types = {
        a: s["Arguments"]["ResourceConfig"]["InstanceType"] for a, s in training.items()
    }
    assert types == {
        "NA": "ml.m5.4xlarge",
        "EU": "ml.m5.4xlarge",
        "FE": "ml.m5.2xlarge",
    }
    assert built(example / "pipeline_gen.py", "regions_default")[0] == definitions["NA"]


def test_an_unknown_alias_raises_before_anything_is_built(example):
    module = import_module_from(example / "pipeline_gen.py", "regions_unknown")

    class Untouchable:
        def __getattr__(self, name):
            raise AssertionError(
                f"the session was used ({name}) before the alias was checked"
            )

    with pytest.raises(
        ValueError,
        match=r"'JP' is not a region of this pipeline: known regions are NA, EU, FE",
    ):
        pipeline_class_of(module)(
            sagemaker_session=Untouchable(), execution_role=ROLE, regional_alias="JP"
        )


def test_values_that_differ_are_shown_side_by_side_once(example):
    source = (example / "pipeline_gen.py").read_text()
    assert (
        'instance_type=self._regional(\n                {"NA": "ml.m5.4xlarge", "EU": "ml.m5.4xlarge", "FE": "ml.m5.2xlarge"}\n'
        in source
    )
    assert (
        'instance_type="ml.m5.12xlarge"' in source
    )  # the same in every region: a plain literal
    assert source.count("\nclass ") == 1 and 'REGIONS = ("NA", "EU", "FE")' in source


def test_explain_lists_what_differs_per_region(example):
    code, out, err = run_cli(
        ["explain", "dag.py", *CONFIGS, "--format", "json"], cwd=example
    )
    assert code == 0, err
    document = json.loads(out)
    assert document["regions"] == ["NA", "EU", "FE"]
    rows = {(r["node"], r["field"]): r["values"] for r in document["regional_values"]}
    assert rows[("XGBoostTraining", "instance_type")] == {
        "NA": "'ml.m5.4xlarge'",
        "EU": "'ml.m5.4xlarge'",
        "FE": "'ml.m5.2xlarge'",
    }
    assert ("TabularPreprocessing_training", "instance_type") not in rows


def test_check_and_the_header_take_every_configuration(example):
    source = (example / "pipeline_gen.py").read_text()
    assert all(f"#   config: {c}\n" in source for c in CONFIGS)
    assert (
        run_cli(["dag.py", *CONFIGS, "-o", "pipeline_gen.py", "--check"], cwd=example)[
            0
        ]
        == 0
    )
    assert (
        run_cli(
            ["dag.py", *CONFIGS[:2], "-o", "pipeline_gen.py", "--check"], cwd=example
        )[0]
        == 1
    )


# --- bad input --------------------------------------------------------------------------------


def _edited(example, tmp_path, name, edit):
    project = tmp_path / "project"
    shutil.copytree(example, project)
    path = project / "pipeline_config" / name
    data = json.loads(path.read_text())
    edit(data["configuration"])
    path.write_text(json.dumps(data, indent=2))
    return project


def _fails(project, configs):
    before = (project / "pipeline_gen.py").read_bytes()
    code, out, err = run_cli(["dag.py", *configs, "-o", "pipeline_gen.py"], cwd=project)
    assert code == 2 and "Traceback" not in err and out == ""
    assert (project / "pipeline_gen.py").read_bytes() == before  # nothing written
    return err


def test_two_configurations_of_one_region_are_an_error_naming_both(example, tmp_path):
    project = _edited(
        example, tmp_path, "config_EU.json", lambda c: c["shared"].update(region="NA")
    )
    err = _fails(project, CONFIGS)
    assert (
        "pipeline_config/config_NA.json and pipeline_config/config_EU.json are both for region 'NA'"
        in err
    )
    assert err.startswith(
        "pipeline_config/config_EU.json#/configuration/shared/region:"
    )


def test_mods_author_must_agree(example, tmp_path):
    project = _edited(
        example,
        tmp_path,
        "config_FE.json",
        lambda c: c["shared"].update(author="someone"),
    )
    err = _fails(project, CONFIGS)
    assert err.startswith(
        "pipeline_config/config_FE.json#/configuration/shared/author:"
    )
    assert "MODS author 'someone' differs" in err


def test_a_node_without_configuration_in_one_region_names_that_file(example, tmp_path):
    def drop(configuration):
        del configuration["specific"]["Payload"]

    err = _fails(_edited(example, tmp_path, "config_EU.json", drop), CONFIGS)
    assert "pipeline_config/config_EU.json" in err and "Payload" in err


def test_wiring_that_differs_between_regions_is_refused():
    na = m.Upstream("a", ("ProcessingOutputConfig",), (False,))
    eu = m.Upstream("b", ("ProcessingOutputConfig",), (False,))
    with pytest.raises(RegionsDiffer, match="wire it differently"):
        merge_expr([("NA", na), ("EU", eu)], "DAG node 'X' input data")


def test_nested_values_differ_only_where_they_differ():
    merged = merge_values(
        [("NA", {"a": 1, "b": [1, 2]}), ("EU", {"a": 1, "b": [1, 3]})]
    )
    assert merged == m.DictOf(
        (
            ("a", m.Literal(1)),
            (
                "b",
                m.ListOf(
                    (
                        m.Literal(1),
                        m.Regional((("NA", m.Literal(2)), ("EU", m.Literal(3)))),
                    )
                ),
            ),
        )
    )
    assert merge_values([("NA", 1), ("EU", True)]) == m.Regional(
        (("NA", m.Literal(1)), ("EU", m.Literal(True)))
    )


# --- a real pair: Cradle and Registration, whose names and STEP_CONFIGs are per region --------


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_the_atoz_pair_in_two_regions_builds_and_fills_each_as_alone(tmp_path):
    from test_mods_atoz import CONFIGS as ATOZ
    from test_mods_atoz import make_atoz_project

    root = make_atoz_project(tmp_path / "atoz")
    data = json.loads((root / "config.json").read_text())
    data["configuration"]["shared"]["region"] = "EU"
    for section in data["configuration"]["specific"].values():
        if "aws_region" in section:
            section["aws_region"] = "eu-west-1"
    (root / "config_EU.json").write_text(json.dumps(data, indent=2))
    for args in (
        ["config.json", "config_EU.json", "-o", "multi.py"],
        ["config.json", "-o", "na.py"],
        ["config_EU.json", "-o", "eu.py"],
    ):
        code, _, err = run_cli(["dag.json", *args], cwd=root)
        assert code == 0, err
    document = json.loads((ATOZ / "execute_doc.json").read_text())
    for alias, single in (("NA", "na.py"), ("EU", "eu.py")):
        doc = copy.deepcopy(document)
        doc["PIPELINE_STEP_CONFIGS"][f"Registration-{alias}"] = doc[
            "PIPELINE_STEP_CONFIGS"
        ].pop("Registration-NA")
        multi = built(root / "multi.py", f"atoz_multi_{alias}", alias, doc)
        alone = built(root / single, f"atoz_single_{alias}", None, doc)
        assert multi == alone
        assert f"Registration-{alias}" in [s["Name"] for s in multi[0]["Steps"]]
        assert multi[1]["PIPELINE_STEP_CONFIGS"][f"Registration-{alias}"]["STEP_CONFIG"]
