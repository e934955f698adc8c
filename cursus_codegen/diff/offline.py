"""What the build subprocess does once it has its request (`diff/child.py`): build a module's
pipeline offline under moto (dummy credentials, no endpoint override, no telemetry, moto's
default account) in the working directory, and give its definition, execution-document
STEP_CONFIGs and code sources (S3 URI -> the local file or folder each upload came from, as
the SDK's uploads record it). A failure it can name (the module does not import, has no
pipeline class, fails to build) is a SideError.

sagemaker and moto are imported only to build, never when this module is imported.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from cursus_codegen.diff.sides import SideError

# moto's account: the default bucket is sagemaker-<region>-<account>
ACCOUNT = "123456789012"
DEFAULT_ROLE = f"arn:aws:iam::{ACCOUNT}:role/cursus-codegen-diff"

if TYPE_CHECKING:
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.pipeline_context import PipelineSession


class _Template(Protocol):
    """What is used of a module's pipeline class (found by its `generate_pipeline`); it may
    also have `step_names()`."""

    def generate_pipeline(self) -> Pipeline: ...

    def fill_execution_document(self, execution_document: dict[str, Any]) -> object: ...


@contextlib.contextmanager
def _offline(region: str) -> Iterator[None]:
    """moto in-process, dummy credentials, no endpoint override, no telemetry."""
    # no endpoint override, no profile, and moto's account its default: ACCOUNT
    for name in (
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_S3",
        "AWS_ENDPOINT_URL_SAGEMAKER",
        "AWS_PROFILE",
        "MOTO_ACCOUNT_ID",
    ):
        os.environ.pop(name, None)
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_SESSION_TOKEN="testing",
        AWS_DEFAULT_REGION=region,
        SAGEMAKER_SUPPRESS_V2_WARNING="1",
    )
    try:
        import sagemaker.telemetry.telemetry_logging as telemetry
        from moto import mock_aws
    except ImportError as exc:
        raise SideError(
            f"building a module needs sagemaker and moto ({exc.name} is missing): "
            'pip install "cursus-codegen[diff]"'
        ) from exc
    telemetry._send_telemetry_request = lambda *args, **kwargs: None
    with mock_aws():
        yield


def build(
    module: str, label: str, region: str, role: str | None, alias: str | None
) -> dict[str, object]:
    """The definition, execution-document STEP_CONFIGs and code uploads (S3 URI -> local path)
    of the module at `module`, built in the working directory."""
    uploads: dict[str, str] = {}
    for name in ("sagemaker", "sagemaker.config", "botocore"):  # the SDK's chatter
        logging.getLogger(name).setLevel(logging.ERROR)
    with _offline(region):
        import boto3  # type: ignore[import-untyped]  # boto3 ships no type hints
        from sagemaker.workflow.pipeline_context import PipelineSession

        boto_session = boto3.Session(region_name=region)
        bucket = f"sagemaker-{region}-{ACCOUNT}"
        location = (
            {}
            if region == "us-east-1"
            else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        )
        boto_session.client("s3").create_bucket(Bucket=bucket, **location)
        session = PipelineSession(boto_session=boto_session, default_bucket=bucket)
        try:
            with _recording(uploads), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                template = _template(
                    Path(module), label, session, role or DEFAULT_ROLE, alias
                )
                definition = json.loads(template.generate_pipeline().definition())
                configs = _step_configs(template)
        except SideError:
            raise
        # the module is not ours to trust: any failure is its own
        except Exception as exc:
            raise SideError(
                f"{label}: building the pipeline failed: {type(exc).__name__}: {exc}"
            ) from exc
    return {"definition": definition, "step_configs": configs, "code_sources": uploads}


def _template(
    path: Path, label: str, session: PipelineSession, role: str, alias: str | None
) -> _Template:
    name = f"_cursus_codegen_diff_{abs(hash(str(path)))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SideError(f"{label}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        raise SideError(
            f"{label}: cannot import the module: {type(exc).__name__}: {exc}"
        ) from exc
    # the class MODS decorated may be MODS's own subclass, defined in mods: match by name
    classes = [
        v
        for v in vars(module).values()
        if isinstance(v, type)
        and hasattr(v, "generate_pipeline")
        and not v.__module__.startswith("sagemaker")
    ]
    if len(classes) != 1:
        raise SideError(
            f"{label}: not a generated pipeline module (no single class with generate_pipeline)"
        )
    kwargs = {"regional_alias": alias} if alias else {}
    try:
        template: _Template = classes[0](
            sagemaker_session=session, execution_role=role, **kwargs
        )
        return template
    except ValueError as exc:  # an unknown regional alias
        raise SideError(f"{label}: {exc}") from exc


def _step_configs(template: _Template) -> dict[str, object]:
    names = template.step_names() if hasattr(template, "step_names") else []
    document: dict[str, dict[str, Any]] = {
        "PIPELINE_STEP_CONFIGS": {name: {} for name in names}
    }
    template.fill_execution_document(document)
    return {
        name: entry["STEP_CONFIG"]
        for name, entry in document["PIPELINE_STEP_CONFIGS"].items()
        if isinstance(entry, dict) and "STEP_CONFIG" in entry
    }


@contextlib.contextmanager
def _recording(uploads: dict[str, str]) -> Iterator[None]:
    """Record S3 URI -> local path of every code upload the SDK makes while building."""
    from unittest import mock

    import sagemaker.estimator as estimator_module
    import sagemaker.session as session_module

    # the SDK's own functions are untyped; tar_and_upload_dir is fw_utils', imported into
    # the estimator module (not re-exported: read from its namespace)
    original_upload: Callable[..., Any] = session_module.Session.upload_data
    original_tar: Callable[..., Any] = vars(estimator_module)["tar_and_upload_dir"]

    def upload_data(self: object, path: object, *args: object, **kwargs: object) -> Any:
        uri = original_upload(self, path, *args, **kwargs)
        uploads[str(uri)] = str(path)
        return uri

    def tar_and_upload_dir(*args: object, **kwargs: object) -> Any:
        result = original_tar(*args, **kwargs)
        # (session, bucket, s3_key_prefix, script, directory=None, ...)
        directory = kwargs.get("directory") or (args[4] if len(args) > 4 else None)
        script = kwargs.get("script") or (args[3] if len(args) > 3 else "")
        uploads[result.s3_prefix] = str(directory or script)
        return result

    # restored when the build ends, however it ends
    with (
        mock.patch.object(session_module.Session, "upload_data", upload_data),
        mock.patch.object(estimator_module, "tar_and_upload_dir", tar_and_upload_dir),
    ):
        yield
