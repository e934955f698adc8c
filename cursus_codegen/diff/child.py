"""What runs in the subprocess that builds one module side (started by `diff/build.py`).

It reads its request (one JSON line: the module, the side's label, region, role, alias, the
result file and a nonce) from stdin before anything imports the module. On Linux it then makes
itself a child subreaper and forks (`_supervise`): the fork builds, and this process, once the
fork has ended, kills every descendant still running (`diff/reap.py`: what the module started,
whatever session it moved to) and exits as the fork did. The build runs offline under moto
(dummy credentials, no endpoint override, no telemetry, moto's default account), writes the
result (definition, execution-document STEP_CONFIGs, code sources, the nonce) to the result
file and ends with `os._exit(0)`. A failure it can name (the module does not import, has no
pipeline class, fails to build) is written as `{"error": ..., "nonce": ...}`. Anything else,
including the module ending the process, leaves no result, which the parent reports.

The working directory is the folder the deploy job runs from (the parent starts this process
there), so `_local(...)` gives the same path strings on both sides of a diff and the
content-addressed code keys differ exactly when the uploaded content differs. The module's
folder is not put on sys.path (Python is started with -P). Which local file or folder each
code key came from is recorded from the SDK's uploads.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import signal
import sys
import warnings
from pathlib import Path

from cursus_codegen.diff.reap import end_descendants, subreaper
from cursus_codegen.diff.sides import SideError

ACCOUNT = "123456789012"  # moto's account: the default bucket is sagemaker-<region>-<account>
DEFAULT_ROLE = f"arn:aws:iam::{ACCOUNT}:role/cursus-codegen-diff"


def main() -> None:
    request = json.loads(sys.stdin.readline())  # before the module can run
    empty = os.open(os.devnull, os.O_RDONLY)  # the module reads nothing more from stdin
    os.dup2(empty, 0)
    os.close(empty)
    if subreaper():
        _supervise()  # returns in the forked process that builds; this one ends in it
    nonce, result, label = request.pop("nonce"), request.pop("result"), request["label"]
    try:
        document = build(**request)
    except SideError as exc:
        document = {"error": str(exc)}
    try:
        text = json.dumps({**document, "nonce": nonce}, default=str)
    except (TypeError, ValueError, RecursionError) as exc:
        text = json.dumps({"error": f"{label}: the pipeline cannot be written as JSON: {exc}",
                           "nonce": nonce})
    with open(result, "x", encoding="utf-8") as handle:
        handle.write(text)
    # not waiting for threads or exit handlers the module may have left; what it printed is
    # shown only when the build fails, so nothing is flushed
    os._exit(0)


def _supervise() -> None:
    """Fork. The new process returns, to build the module. This one (a subreaper: whatever the
    module starts stays in its tree) waits for it, ends every descendant still running (what
    the module left behind, in any session), and exits as it did: with its code, or killed by
    its signal."""
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        pid = os.fork()
    except OSError:
        return  # built in this process, without the cleanup
    if pid == 0:
        return
    _, status = os.waitpid(pid, 0)
    end_descendants(os.getpid())
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        import resource

        with contextlib.suppress(ValueError, OSError):  # its core, if any, is dumped already
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        with contextlib.suppress(ValueError, OSError):
            signal.signal(-code, signal.SIG_DFL)
            os.kill(os.getpid(), -code)
    os._exit(code if code >= 0 else 128 - code)


@contextlib.contextmanager
def _offline(region: str):
    """moto in-process, dummy credentials, no endpoint override, no telemetry."""
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_SAGEMAKER", "AWS_PROFILE",
                 "MOTO_ACCOUNT_ID"):  # moto's account is ACCOUNT
        os.environ.pop(name, None)
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                      AWS_SESSION_TOKEN="testing", AWS_DEFAULT_REGION=region,
                      SAGEMAKER_SUPPRESS_V2_WARNING="1")
    try:
        import sagemaker.telemetry.telemetry_logging as telemetry
        from moto import mock_aws
    except ImportError as exc:
        raise SideError(f'building a module needs sagemaker and moto ({exc.name} is missing): '
                        'pip install "cursus-codegen[diff]"') from exc
    telemetry._send_telemetry_request = lambda *args, **kwargs: None
    with mock_aws():
        yield


def build(module: str, label: str, region: str, role: str | None, alias: str | None) -> dict:
    """The definition, execution-document STEP_CONFIGs and code uploads (S3 URI -> local path)
    of the module at `module`, built in the working directory."""
    uploads: dict[str, str] = {}
    for name in ("sagemaker", "sagemaker.config", "botocore"):  # the SDK's chatter
        logging.getLogger(name).setLevel(logging.ERROR)
    with _offline(region):
        import boto3
        from sagemaker.workflow.pipeline_context import PipelineSession

        boto_session = boto3.Session(region_name=region)
        bucket = f"sagemaker-{region}-{ACCOUNT}"
        location = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        boto_session.client("s3").create_bucket(Bucket=bucket, **location)
        session = PipelineSession(boto_session=boto_session, default_bucket=bucket)
        try:
            with _recording(uploads), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                template = _template(Path(module), label, session, role or DEFAULT_ROLE, alias)
                definition = json.loads(template.generate_pipeline().definition())
                configs = _step_configs(template)
        except SideError:
            raise
        except Exception as exc:  # the module is not ours to trust: any failure is its own
            raise SideError(f"{label}: building the pipeline failed: {type(exc).__name__}: {exc}") from exc
    return {"definition": definition, "step_configs": configs, "code_sources": uploads}


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
    """Record S3 URI -> local path of every code upload the SDK makes while building."""
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
