"""`cursus-codegen diff`: what runs is what was reviewed. A moto server on 127.0.0.1 holds a
pipeline the module itself deployed (`generate_pipeline()` + `Pipeline.upsert()`); the diff
reads it with DescribePipeline and builds the module side offline, in a subprocess."""

import json
import os
import shutil
import subprocess
import time

import pytest
from conftest import CORPUS, REPO, import_module_from, pipeline_class_of, run_cli
from support.sandbox_sdk import SUPPORT

EXAMPLE = REPO / "generated_examples" / "xgboost_e2e"
ROLE = "arn:aws:iam::123456789012:role/DeployRole"
NAME = "ml-platform-FraudDetection-xgboost-NA-2-0-0-pipeline"


@pytest.fixture()
def server(monkeypatch):
    """A ThreadedMotoServer on 127.0.0.1, in a process of its own: in this process, the diff's
    own in-process moto would share (and, when it stops, reset) the server's state."""
    import socket
    import sys
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = (
        "import time; from moto.server import ThreadedMotoServer; "
        f"ThreadedMotoServer(ip_address='127.0.0.1', port={port}).start(); time.sleep(3600)"
    )
    process = subprocess.Popen([sys.executable, "-c", script])
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    # the SDK passes STS an explicit regional endpoint, which beats AWS_ENDPOINT_URL; no telemetry
    import sagemaker.session
    import sagemaker.telemetry.telemetry_logging as telemetry

    monkeypatch.setattr(sagemaker.session, "sts_regional_endpoint", lambda region: url)
    monkeypatch.setattr(
        telemetry, "_send_telemetry_request", lambda *args, **kwargs: None
    )
    yield url
    process.terminate()
    process.wait(timeout=10)


def deploy(project):
    """What a deploy job does, against the moto server: build and upsert, from the module's folder."""
    import boto3
    from sagemaker.workflow.pipeline_context import PipelineSession

    previous = os.getcwd()
    os.chdir(project)
    try:
        boto_session = boto3.Session(region_name="us-east-1")
        boto_session.client("s3").create_bucket(
            Bucket="sagemaker-us-east-1-123456789012"
        )
        session = PipelineSession(boto_session=boto_session)
        module = import_module_from(
            project / "pipeline_gen.py", f"deployed_{abs(hash(str(project)))}"
        )
        pipeline = pipeline_class_of(module)(
            sagemaker_session=session, execution_role=ROLE
        ).generate_pipeline()
        pipeline.upsert(role_arn=ROLE)
    finally:
        os.chdir(previous)


def edit_config(project, step, field, value):
    path = project / "cfg.json"
    data = json.loads(path.read_text())
    data["configuration"]["specific"][step][field] = value
    path.write_text(json.dumps(data, indent=2))
    code, _, err = run_cli(["dag.py", "cfg.json", "-o", "pipeline_gen.py"], cwd=project)
    assert code == 0, err


@pytest.fixture()
def project(tmp_path):
    shutil.copytree(EXAMPLE, tmp_path / "project")
    return tmp_path / "project"


def test_the_deployed_pipeline_and_its_module_agree_then_one_instance_type_is_reported(
    server, project, tmp_path
):
    deploy(project)
    code, out, err = run_cli(
        ["diff", f"deployed:{NAME}", "pipeline_gen.py", "--role", ROLE], cwd=project
    )
    assert (code, err) == (0, ""), out
    assert out.startswith("No changes")
    shutil.copy(project / "pipeline_gen.py", tmp_path / "old_pipeline_gen.py")
    edit_config(project, "XGBoostTraining", "training_instance_type", "ml.m5.2xlarge")
    code, out, err = run_cli(
        [
            "diff",
            f"deployed:{NAME}",
            "pipeline_gen.py",
            "--role",
            ROLE,
            "--format",
            "json",
        ],
        cwd=project,
    )
    assert code == 1, err
    report = json.loads(out)
    assert report["steps"] == {
        "added": [],
        "removed": [],
        "changed": {
            "XGBoostTraining": [
                {
                    "path": "Arguments.ResourceConfig.InstanceType",
                    "kind": "value",
                    "old": "ml.m5.4xlarge",
                    "new": "ml.m5.2xlarge",
                    "local": None,
                }
            ]
        },
    }
    assert report["parameters"] == {"added": [], "removed": [], "changed": {}}
    # module against module: the old module beside the new one, in the same folder
    shutil.copy(tmp_path / "old_pipeline_gen.py", project / "old_pipeline_gen.py")
    code, out, _ = run_cli(
        ["diff", "old_pipeline_gen.py", "pipeline_gen.py"], cwd=project
    )
    assert code == 1
    changed = [line for line in out.splitlines() if line.startswith(("~", "+", "-"))]
    assert changed == ["~ step XGBoostTraining"]
    assert (
        '    Arguments.ResourceConfig.InstanceType: "ml.m5.4xlarge" -> "ml.m5.2xlarge"'
        in out.splitlines()
    )


def test_an_edited_hyperparameter_file_is_a_changed_code_upload_of_the_training_step(
    project,
):
    shutil.copy(project / "pipeline_gen.py", project / "old_pipeline_gen.py")
    code, _, _ = run_cli(
        ["diff", "old_pipeline_gen.py", "pipeline_gen.py"], cwd=project
    )
    assert code == 0
    hyperparameters = project / "scripts" / "hyperparams" / "hyperparameters.json"
    hyperparameters.write_text(
        hyperparameters.read_text().replace("}", ', "eta_note": 1}', 1)
    )
    old = project.parent / "old"
    shutil.copytree(EXAMPLE, old)  # the old scripts, beside the old module
    code, out, _ = run_cli(
        ["diff", str(old / "pipeline_gen.py"), "pipeline_gen.py", "--format", "json"],
        cwd=project,
    )
    assert code == 1, out
    changed = json.loads(out)["steps"]["changed"]
    assert list(changed) == ["XGBoostTraining"]
    [change] = changed["XGBoostTraining"]
    assert change["kind"] == "code" and change["local"] == "scripts"
    assert change["path"] == "Arguments.HyperParameters.sagemaker_submit_directory"


def test_a_revision_side_is_the_module_as_committed(project):
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(git + ["init", "-q"], cwd=project, check=True)
    subprocess.run(git + ["add", "-A"], cwd=project, check=True)
    subprocess.run(git + ["commit", "-q", "-m", "reviewed"], cwd=project, check=True)
    assert (
        run_cli(["diff", "git:HEAD:pipeline_gen.py", "pipeline_gen.py"], cwd=project)[0]
        == 0
    )
    edit_config(project, "XGBoostTraining", "training_volume_size", 250)
    code, out, _ = run_cli(
        ["diff", "git:HEAD:pipeline_gen.py", "pipeline_gen.py"], cwd=project
    )
    assert code == 1 and "Arguments.ResourceConfig.VolumeSizeInGB: 100 -> 250" in out


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_a_one_line_sql_edit_is_that_one_sql_line(tmp_path, monkeypatch):
    from test_mods_atoz import make_atoz_project

    root = make_atoz_project(tmp_path / "atoz")
    assert (
        run_cli(["dag.json", "config.json", "-o", "old_pipeline_gen.py"], cwd=root)[0]
        == 0
    )
    data = json.loads((root / "config.json").read_text())
    for node in ("CradleDataLoading_training", "CradleDataLoading_calibration"):
        spec = data["configuration"]["specific"][node]["transform_spec"]
        spec["transform_sql"] = spec["transform_sql"].replace(
            "WHERE row_num = 1", "WHERE row_num = 2"
        )
    (root / "config.json").write_text(json.dumps(data, indent=2))
    assert (
        run_cli(["dag.json", "config.json", "-o", "pipeline_gen.py"], cwd=root)[0] == 0
    )
    # the SDK doubles (and the mods double beside them), installed where the build's own Python
    # finds them: it keeps the environment, not this process's sys.path
    paths = [str(SUPPORT), *filter(None, [os.environ.get("PYTHONPATH")])]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))
    code, out, err = run_cli(
        ["diff", "old_pipeline_gen.py", "pipeline_gen.py"], cwd=root
    )
    assert code == 1, err
    changed = [
        line.strip()
        for line in out.splitlines()
        if line.strip().startswith(("-", "+", "~"))
    ]
    assert changed == [
        "~ execution-document STEP_CONFIG of CradleDataLoading-Training",
        "-WHERE row_num = 1",
        "+WHERE row_num = 2",
        "~ execution-document STEP_CONFIG of CradleDataLoading-Calibration",
        "-WHERE row_num = 1",
        "+WHERE row_num = 2",
    ], out


@pytest.mark.parametrize(
    "old,needle",
    [
        ("deployed:no-such-pipeline", "deployed:no-such-pipeline: error:"),
        ("missing_module.py", "missing_module.py: error: no such module"),
        (
            "git:no-such-revision:pipeline_gen.py",
            "git:no-such-revision:pipeline_gen.py: error:",
        ),
        ("cfg.json", "cfg.json: error: not a Python module"),
        ("dag.py", "dag.py: error: cannot import the module"),
    ],
)
def test_bad_input_is_a_located_error(server, project, old, needle):
    if old.startswith("git:"):
        subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    code, out, err = run_cli(["diff", old, "pipeline_gen.py"], cwd=project)
    assert code == 2 and out == "" and needle in err and "Traceback" not in err, err


def test_a_multi_region_module_is_compared_in_the_region_asked_for(tmp_path):
    project = tmp_path / "regions"
    shutil.copytree(REPO / "generated_examples" / "multi_region", project)
    shutil.copy(project / "pipeline_gen.py", project / "same.py")
    assert (
        run_cli(
            ["diff", "same.py", "pipeline_gen.py", "--regional-alias", "FE"],
            cwd=project,
        )[0]
        == 0
    )
    code, _, err = run_cli(
        ["diff", "same.py", "pipeline_gen.py", "--regional-alias", "JP"], cwd=project
    )
    assert code == 2 and "'JP' is not a region of this pipeline" in err


@pytest.fixture()
def dripping(monkeypatch):
    """AWS_ENDPOINT_URL: a server on 127.0.0.1 answering each connection one byte every 2 s (no
    socket read ever times out), 17 bytes at most, until the test ends."""
    import contextlib
    import socket
    import threading

    stop, listener = threading.Event(), socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)

    def drip(connection):
        with connection, contextlib.suppress(OSError):
            for byte in b"HTTP/1.1 200 OK\r\n":
                if stop.wait(2):
                    return
                connection.sendall(bytes([byte]))

    def serve():
        while not stop.is_set():
            with contextlib.suppress(OSError):
                threading.Thread(
                    target=drip, args=(listener.accept()[0],), daemon=True
                ).start()

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    monkeypatch.setenv(
        "AWS_ENDPOINT_URL", f"http://127.0.0.1:{listener.getsockname()[1]}"
    )
    yield
    stop.set()
    server.join(5)
    listener.close()


def test_an_endpoint_that_drips_bytes_is_given_up_on_at_the_timeout(project, dripping):
    started = time.monotonic()
    code, out, err = run_cli(
        ["diff", "deployed:p", "pipeline_gen.py", "--timeout", "3"], cwd=project
    )
    assert (code, out) == (2, "") and time.monotonic() - started < 15, err
    assert err.startswith(
        "deployed:p: error: DescribePipeline did not answer within 3 seconds"
    )


# --- the comparison itself, as before/after pairs ----------------------------------------------


def test_wiring_and_depends_on_are_named_as_such():
    from cursus_codegen.diff.compare import compare

    def step(source, depends):
        return {
            "Name": "B",
            "Type": "Processing",
            "DependsOn": depends,
            "Arguments": {
                "ProcessingInputs": [
                    {"S3Input": {"S3Uri": {"Get": f"Steps.{source}.Outputs"}}}
                ]
            },
        }

    old = {"Parameters": [{"Name": "P", "Type": "String"}], "Steps": [step("A", ["A"])]}
    new = {
        "Parameters": [
            {"Name": "P", "Type": "String", "DefaultValue": "x"},
            {"Name": "Q", "Type": "String"},
        ],
        "Steps": [step("C", ["C"]), {"Name": "C", "Type": "Processing"}],
    }
    plan = compare(old, new, None, None)
    assert plan.steps.added == ["C"] and plan.steps.removed == []
    assert [(c.path, c.kind) for c in plan.steps.changed["B"]] == [
        ("DependsOn", "depends_on"),
        ("Arguments.ProcessingInputs[0].S3Input.S3Uri", "wiring"),
    ]
    assert plan.parameters.added == ["Q"]
    assert [(c.path, c.old, c.new) for c in plan.parameters.changed["P"]] == [
        ("DefaultValue", "<absent>", "x")
    ]
    assert plan.step_configs is None and not plan.same
