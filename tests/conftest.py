"""Offline SageMaker (SPEC §7): moto's in-process mock_aws, dummy credentials, no telemetry.

The environment is set before anything imports sagemaker; the session is shared per test
module because `import sagemaker` and image-URI lookups are slow.
"""

import importlib.util
import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_SESSION_TOKEN", "testing")
os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
os.environ["SAGEMAKER_SUPPRESS_V2_WARNING"] = "1"

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
BUCKET = "sagemaker-us-east-1-123456789012"
ROLE = "arn:aws:iam::123456789012:role/TestRole"


def import_module_from(path: Path, name: str):
    """Import a generated module from its file, as a deploy repository would."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sm_session():
    """A PipelineSession whose AWS calls all land in moto, with telemetry patched out."""
    import boto3
    import sagemaker.telemetry.telemetry_logging as telemetry
    from moto import mock_aws
    from sagemaker.workflow.pipeline_context import PipelineSession

    original = telemetry._send_telemetry_request
    telemetry._send_telemetry_request = lambda *args, **kwargs: None
    with mock_aws():
        boto_session = boto3.Session(region_name="us-east-1")
        boto_session.client("s3").create_bucket(Bucket=BUCKET)
        yield PipelineSession(boto_session=boto_session, default_bucket=BUCKET)
    telemetry._send_telemetry_request = original


def build_definition(module, session, **kwargs) -> dict:
    """Instantiate the generated pipeline class and return its parsed definition."""
    import json

    pipeline_class = pipeline_class_of(module)
    template = pipeline_class(sagemaker_session=session, execution_role=ROLE, **kwargs)
    return json.loads(template.generate_pipeline().definition())


def pipeline_class_of(module):
    """The one class of a generated module that has generate_pipeline()."""
    found = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and "generate_pipeline" in dir(value)
        and not value.__module__.startswith("sagemaker")
    ]
    assert len(found) == 1, found
    return found[0]


def run_cli(args, cwd=None):
    """Run the command in-process: (exit code, stdout, stderr)."""
    import contextlib
    import io

    from cursus_codegen.cli import main

    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([str(a) for a in args])
    finally:
        os.chdir(previous)
    return code, out.getvalue(), err.getvalue()


def generate_in_copy(
    source: Path,
    target: Path,
    dag: str = "dag.json",
    cfg: str = "cfg.json",
    extra: tuple = ("--strict",),
) -> Path:
    """Copy an input folder, generate `pipeline_gen.py` in the copy, return the module path."""
    import shutil

    shutil.copytree(source, target)
    code, _, err = run_cli([dag, cfg, "-o", "pipeline_gen.py", *extra], cwd=target)
    assert code == 0, err
    return target / "pipeline_gen.py"
