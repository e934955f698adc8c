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
    from moto import mock_aws
    from sagemaker.workflow.pipeline_context import PipelineSession
    import sagemaker.telemetry.telemetry_logging as telemetry

    original = telemetry._send_telemetry_request
    telemetry._send_telemetry_request = lambda *args, **kwargs: None
    with mock_aws():
        boto_session = boto3.Session(region_name="us-east-1")
        boto_session.client("s3").create_bucket(Bucket=BUCKET)
        yield PipelineSession(boto_session=boto_session, default_bucket=BUCKET)
    telemetry._send_telemetry_request = original
