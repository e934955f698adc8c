"""One side of a diff: `PATH` (a generated module), `git:REV:PATH` (the module as committed at a
revision, built in a checkout of that revision), or `deployed:NAME` (DescribePipeline).

A revision is checked out with `git archive` (REV never read as an option) and extracted with
tarfile's data filter, skipping what it refuses (links to absolute paths or out of the tree,
devices). DescribePipeline is made with bounded connect and read timeouts and one retry, and
the whole call (every try, however slowly the peer answers) is given up after a total bound.
"""

from __future__ import annotations

import json
import re
import subprocess
import tarfile
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

# seconds, seconds, tries of DescribePipeline
CONNECT_TIMEOUT, READ_TIMEOUT, ATTEMPTS = 5, 30, 2
# seconds: the most a whole DescribePipeline call (all tries) may take
DESCRIBE_BOUND = 60.0
_ARN_ACCOUNT = re.compile(r"arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):")
_Result = TypeVar("_Result")


class SideError(Exception):
    """Bad input naming one side: reported as `<side>: error: ...`, exit 2."""


@dataclass
class Side:
    label: str  # as given on the command line
    definition: dict[str, Any]  # parsed JSON
    # None: not known (a deployed pipeline)
    step_configs: dict[str, object] | None = None
    # normalised code URI -> local path
    code_sources: dict[str, str] = field(default_factory=dict)


def module_path(spec: str, workdir: Path, deploy_dir: Path | None) -> tuple[Path, Path]:
    """(the module file a side names, the folder to build it from).

    The SDK hashes the path string of each uploaded file into its code key, so a side is built
    from the folder its deploy job runs from: `deploy_dir` (for a git revision, the same folder
    inside a checkout of that revision, in `workdir`), by default the module's own folder.
    """
    if not spec.startswith("git:"):
        path = Path(spec)
        if not path.is_file():
            raise SideError(f"{spec}: no such module")
        return path.resolve(), (
            deploy_dir.resolve() if deploy_dir else path.resolve().parent
        )
    parts = spec.split(":", 2)
    rev, inner = (parts[1], parts[2]) if len(parts) == 3 else ("", "")
    if not rev or not inner:
        raise SideError(f"{spec}: expected git:REV:PATH")
    if rev.startswith("-"):
        raise SideError(f"{spec}: a revision cannot begin with '-'")
    top = Path(
        _git(["rev-parse", "--show-toplevel"], Path.cwd(), spec).strip()
    ).resolve()
    wanted = (Path.cwd() / inner).resolve()
    relative = (
        wanted.relative_to(top).as_posix() if wanted.is_relative_to(top) else inner
    )
    _git(["cat-file", "-e", "--end-of-options", f"{rev}:{relative}"], top, spec)
    workdir.mkdir(parents=True, exist_ok=True)
    archive = workdir / "revision.tar"
    with archive.open("wb") as handle:
        done = subprocess.run(
            ["git", "archive", "--format=tar", "--end-of-options", rev],
            cwd=top,
            stdout=handle,
            stderr=subprocess.PIPE,
            check=False,
        )
    if done.returncode != 0:
        raise SideError(f"{spec}: {done.stderr.decode('utf-8', 'replace').strip()}")
    checkout = workdir / "checkout"
    try:
        with tarfile.open(archive) as tar:
            tar.extractall(checkout, filter=_safe)
    except (tarfile.TarError, OSError) as exc:
        raise SideError(f"{spec}: cannot extract the revision: {exc}") from exc
    module = checkout / relative
    if not module.is_file():
        raise SideError(f"{spec}: the module is not a regular file in that revision")
    if deploy_dir is None:
        return module, module.parent
    here = deploy_dir.resolve()
    return module, (
        checkout / here.relative_to(top) if here.is_relative_to(top) else checkout
    )


def _safe(member: tarfile.TarInfo, destination: str) -> tarfile.TarInfo | None:
    """The data filter's member, or None (skipped) for one it refuses."""
    try:
        return tarfile.data_filter(member, destination)
    except tarfile.FilterError:
        return None


def _git(args: list[str], cwd: Path, spec: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise SideError(f"{spec}: cannot run git ({exc})") from exc
    if done.returncode != 0:
        raise SideError(f"{spec}: {done.stderr.strip() or 'git failed'}")
    return done.stdout


def deployed(spec: str, region: str | None, bound: float = DESCRIBE_BOUND) -> Side:
    """The definition SageMaker holds for the pipeline (read-only: DescribePipeline, given up
    after `bound` seconds in all), the account of its own default bucket masked."""
    from cursus_codegen.diff.normalise import normalise
    from cursus_codegen.diff.shape import problem

    name = spec[len("deployed:") :]
    if not name:
        raise SideError(f"{spec}: expected deployed:PIPELINE_NAME")
    found = _bounded(spec, lambda: _describe(spec, name, region), bound)
    try:
        definition = json.loads(found["PipelineDefinition"])
    except RecursionError:
        raise SideError(
            f"{spec}: the pipeline's definition nests too deep to read"
        ) from None
    except (KeyError, TypeError, ValueError) as exc:
        raise SideError(
            f"{spec}: the pipeline's definition is not JSON ({exc})"
        ) from exc
    wrong = problem(definition)
    if wrong:
        raise SideError(f"{spec}: {wrong}")
    return Side(spec, normalise(definition, account_of(found)))


def account_of(found: dict[str, object]) -> str | None:
    """The account a DescribePipeline answer says the pipeline is in (its PipelineArn, else its
    RoleArn), or None."""
    for key in ("PipelineArn", "RoleArn"):
        match = _ARN_ACCOUNT.match(str(found.get(key, "")))
        if match:
            return match.group(1)
    return None


def _describe(spec: str, name: str, region: str | None) -> dict[str, Any]:
    # boto3 and botocore ship no type hints: their calls give Any
    import boto3  # type: ignore[import-untyped]
    from botocore.config import Config  # type: ignore[import-untyped]
    from botocore.exceptions import (  # type: ignore[import-untyped]
        BotoCoreError,
        ClientError,
    )

    config = Config(
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
        retries={"total_max_attempts": ATTEMPTS, "mode": "standard"},
    )
    try:
        client = boto3.Session(region_name=region).client("sagemaker", config=config)
        found: dict[str, Any] = client.describe_pipeline(PipelineName=name)
        return found
    except ClientError as exc:
        raise SideError(
            f"{spec}: {exc.response.get('Error', {}).get('Message', exc)}"
        ) from exc
    except BotoCoreError as exc:
        raise SideError(f"{spec}: {exc}") from exc


def _bounded(spec: str, call: Callable[[], _Result], bound: float) -> _Result:
    """call(), on a daemon thread, given up (SideError) when it has not returned within `bound`
    seconds: the socket timeouts bound each read, not a peer that drips bytes. A call given up
    on is left to end on its own (the thread holds nothing the diff needs)."""
    returned: list[_Result] = []
    raised: list[BaseException] = []  # the thread appends to one of the two, once

    def run() -> None:
        try:
            returned.append(call())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            raised.append(exc)

    thread = threading.Thread(
        target=run, name=f"cursus-codegen-diff {spec}", daemon=True
    )
    thread.start()
    thread.join(bound)
    if not (returned or raised):
        raise SideError(
            f"{spec}: DescribePipeline did not answer within {bound:g} seconds "
            "(see --timeout): gave up"
        )
    if raised:
        raise raised[0]
    return returned[0]


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="cursus-codegen-diff-")
