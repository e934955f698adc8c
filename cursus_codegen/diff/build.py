"""A generated module's pipeline, built the way the tests build it: offline, in-process, under
moto, whatever AWS_ENDPOINT_URL says, so no code is uploaded anywhere and no AWS call is made.

The module is built from the folder its deploy job runs from (the working directory, or the
same folder in a checkout of a git revision), so `_local(...)` gives the same path strings on
both sides of a diff: the content-addressed code keys then differ exactly when the uploaded
content differs. Which local file or folder
each code key came from is recorded from the SDK's uploads.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import sys
import warnings
from pathlib import Path

from cursus_codegen.diff.normalise import normalise
from cursus_codegen.diff.sides import Side, SideError

ACCOUNT = "123456789012"  # moto's account: the default bucket is sagemaker-<region>-<account>
DEFAULT_ROLE = f"arn:aws:iam::{ACCOUNT}:role/cursus-codegen-diff"


@contextlib.contextmanager
def _offline(region: str):
    """moto in-process, dummy credentials, no endpoint override, no telemetry."""
    saved = dict(os.environ)
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_SAGEMAKER", "AWS_PROFILE"):
        os.environ.pop(name, None)
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                      AWS_SESSION_TOKEN="testing", AWS_DEFAULT_REGION=region,
                      SAGEMAKER_SUPPRESS_V2_WARNING="1")
    try:
        try:
            import sagemaker.telemetry.telemetry_logging as telemetry
            from moto import mock_aws
        except ImportError as exc:
            raise SideError(f'building a module needs sagemaker and moto ({exc.name} is missing): '
                            'pip install "cursus-codegen[diff]"') from exc
        original = telemetry._send_telemetry_request
        telemetry._send_telemetry_request = lambda *args, **kwargs: None
        try:
            with mock_aws():
                yield
        finally:
            telemetry._send_telemetry_request = original
    finally:  # the caller's environment, whatever happened
        os.environ.clear()
        os.environ.update(saved)


def built(path: Path, run_dir: Path, label: str, region: str, role: str | None,
          alias: str | None) -> Side:
    """The definition and execution-document STEP_CONFIGs of the module at `path`, built with
    `run_dir` as the working directory (where its deploy job runs)."""
    path = path.resolve()
    folder = path.parent
    previous, uploads = os.getcwd(), {}
    quiet = [logging.getLogger(name) for name in ("sagemaker", "sagemaker.config", "botocore")]
    levels = [logger.level for logger in quiet]
    for logger in quiet:  # the SDK's chatter about defaults, uploads and popped job names
        logger.setLevel(logging.ERROR)
    with _offline(region):
        import boto3
        from sagemaker.workflow.pipeline_context import PipelineSession

        boto_session = boto3.Session(region_name=region)
        bucket = f"sagemaker-{region}-{ACCOUNT}"
        location = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        boto_session.client("s3").create_bucket(Bucket=bucket, **location)
        session = PipelineSession(boto_session=boto_session, default_bucket=bucket)
        os.chdir(run_dir)
        sys.path.insert(0, str(folder))
        try:
            with _recording(uploads), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                template = _template(path, label, session, role or DEFAULT_ROLE, alias)
                definition = json.loads(template.generate_pipeline().definition())
                configs = _step_configs(template)
        except SideError:
            raise
        except Exception as exc:  # the module is not ours to trust: any failure is its own
            raise SideError(f"{label}: building the pipeline failed: {type(exc).__name__}: {exc}") from exc
        finally:
            os.chdir(previous)
            sys.path.remove(str(folder))
            for logger, level in zip(quiet, levels):
                logger.setLevel(level)
    sources = {normalise(uri): local for uri, local in uploads.items()}
    return Side(label, normalise(definition), normalise(configs), sources)


def _template(path: Path, label: str, session, role: str, alias: str | None):
    name = f"_cursus_codegen_diff_{abs(hash(str(path)))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SideError(f"{label}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        raise SideError(f"{label}: cannot import the module: {type(exc).__name__}: {exc}") from exc
    # the class MODS decorated may be MODS's own subclass, defined in mods: match by name
    classes = [v for v in vars(module).values()
               if isinstance(v, type) and hasattr(v, "generate_pipeline")
               and not v.__module__.startswith("sagemaker")]
    if len(classes) != 1:
        raise SideError(f"{label}: not a generated pipeline module (no single class with generate_pipeline)")
    kwargs = {"regional_alias": alias} if alias else {}
    try:
        return classes[0](sagemaker_session=session, execution_role=role, **kwargs)
    except ValueError as exc:  # an unknown regional alias
        raise SideError(f"{label}: {exc}") from exc


def _step_configs(template) -> dict[str, object]:
    names = template.step_names() if hasattr(template, "step_names") else []
    document = {"PIPELINE_STEP_CONFIGS": {name: {} for name in names}}
    template.fill_execution_document(document)
    return {name: entry["STEP_CONFIG"] for name, entry in document["PIPELINE_STEP_CONFIGS"].items()
            if isinstance(entry, dict) and "STEP_CONFIG" in entry}


@contextlib.contextmanager
def _recording(uploads: dict[str, str]):
    """Record local path -> S3 URI of every code upload the SDK makes while building."""
    import sagemaker.estimator as estimator_module
    import sagemaker.session as session_module

    original_upload = session_module.Session.upload_data
    original_tar = estimator_module.tar_and_upload_dir

    def upload_data(self, path, *args, **kwargs):
        uri = original_upload(self, path, *args, **kwargs)
        uploads[str(uri)] = str(path)
        return uri

    def tar_and_upload_dir(*args, **kwargs):
        result = original_tar(*args, **kwargs)
        # (session, bucket, s3_key_prefix, script, directory=None, ...)
        directory = kwargs.get("directory") or (args[4] if len(args) > 4 else None)
        script = kwargs.get("script") or (args[3] if len(args) > 3 else "")
        uploads[result.s3_prefix] = str(directory or script)
        return result

    session_module.Session.upload_data = upload_data
    estimator_module.tar_and_upload_dir = tar_and_upload_dir
    try:
        yield
    finally:
        session_module.Session.upload_data = original_upload
        estimator_module.tar_and_upload_dir = original_tar
