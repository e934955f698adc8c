"""Builders shared by the test_spec_* files (this file holds no tests).

The spec tests describe what a user sees: they write a small cursus project (DAG + one or
more configurations + scripts), run the command, and read the generated module or build its
pipeline offline. Nothing here depends on how the generator is organised inside.
"""

import ast
import contextlib
import itertools
import json
import shutil
from pathlib import Path

from conftest import REPO, ROLE, import_module_from, pipeline_class_of, run_cli

EXAMPLE = REPO / "generated_examples" / "xgboost_e2e"
CHAIN = (
    "DummyDataLoading_training",
    "TabularPreprocessing_training",
    "XGBoostTraining",
)
AWS_REGION = {"NA": "us-east-1", "EU": "eu-west-1", "FE": "us-west-2"}
BUCKET = "sagemaker-spec-123456789012"


def example_configuration(nodes=CHAIN) -> dict:
    """The XGBoost example's configuration, cut down to `nodes`."""
    data = json.loads((EXAMPLE / "cfg.json").read_text())
    specific = data["configuration"]["specific"]
    data["configuration"]["specific"] = {
        k: v for k, v in specific.items() if k in nodes
    }
    types = data["metadata"]["config_types"]
    data["metadata"]["config_types"] = {k: v for k, v in types.items() if k in nodes}
    return data


def write_project(
    folder: Path,
    configuration: dict | None = None,
    nodes=CHAIN,
    edges=None,
    config_name: str = "cfg.json",
) -> Path:
    """A project folder: the example's scripts and data, dag.json (a chain of `nodes` unless
    `edges` is given) and the configuration (the example's, cut down, unless given)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("scripts", "data"):
        if not (folder / name).exists():
            shutil.copytree(EXAMPLE / name, folder / name)
    if edges is None:
        edges = [[a, b] for a, b in itertools.pairwise(nodes)]
    (folder / "dag.json").write_text(
        json.dumps({"dag": {"nodes": list(nodes), "edges": edges}})
    )
    write_json(folder / config_name, configuration or example_configuration(nodes))
    return folder


def write_json(path: Path, document) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False))


def generate(folder: Path, *args: str, configs=("cfg.json",), output: str = "gen.py"):
    """(exit code, stdout, stderr) of `cursus-codegen dag.json <configs> -o <output> <args>`."""
    return run_cli(["dag.json", *configs, "-o", output, *args], cwd=folder)


def generated(
    folder: Path, *args: str, configs=("cfg.json",), output: str = "gen.py"
) -> str:
    """The module's text; the generation must succeed without a traceback."""
    code, _, err = generate(folder, *args, configs=configs, output=output)
    assert code == 0 and "Traceback" not in err, err
    return (folder / output).read_text(encoding="utf-8")


def string_constants(source: str) -> list[str]:
    """Every string the module holds as a value (adjacent literals are already one constant)."""
    tree = ast.parse(source)
    return [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def module_constants(source: str) -> dict[str, object]:
    """Module-level NAME = <literal> assignments."""
    found = {}
    for node in ast.parse(source).body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            with contextlib.suppress(ValueError):
                found[node.targets[0].id] = ast.literal_eval(node.value)
    return found


@contextlib.contextmanager
def regional_sessions(aliases=("NA",)):
    """{region: PipelineSession of that region's AWS region}, all AWS calls in one moto mock,
    telemetry patched out. Sessions are slow to make: a test module shares them."""
    import boto3
    import sagemaker.telemetry.telemetry_logging as telemetry
    from moto import mock_aws
    from sagemaker.workflow.pipeline_context import PipelineSession

    original = telemetry._send_telemetry_request
    telemetry._send_telemetry_request = lambda *args, **kwargs: None
    try:
        with mock_aws():
            sessions = {}
            for alias in aliases:
                aws_region = AWS_REGION[alias]
                boto_session = boto3.Session(region_name=aws_region)
                bucket = f"{BUCKET}-{aws_region}"
                location = (
                    {}
                    if aws_region == "us-east-1"
                    else {
                        "CreateBucketConfiguration": {"LocationConstraint": aws_region}
                    }
                )
                boto_session.client("s3").create_bucket(Bucket=bucket, **location)
                sessions[alias] = PipelineSession(
                    boto_session=boto_session, default_bucket=bucket
                )
            yield sessions
    finally:
        telemetry._send_telemetry_request = original


def definitions(module_path: Path, name: str, sessions: dict, aliases=(None,)) -> dict:
    """{alias: parsed pipeline definition} of a generated module, each region built with the
    session of its region (alias None: the module's default region, no regional_alias).
    """
    module = import_module_from(module_path, name)
    built = {}
    for alias in aliases:
        kwargs = {} if alias is None else {"regional_alias": alias}
        session = sessions[alias or getattr(module, "DEFAULT_REGION", "NA")]
        template = pipeline_class_of(module)(
            sagemaker_session=session, execution_role=ROLE, **kwargs
        )
        built[alias] = json.loads(template.generate_pipeline().definition())
    return built


def step(definition: dict, prefix: str) -> dict:
    """The one step whose SageMaker name starts with `prefix`."""
    found = [s for s in definition["Steps"] if s["Name"].startswith(prefix)]
    assert len(found) == 1, [s["Name"] for s in definition["Steps"]]
    return found[0]
