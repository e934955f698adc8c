"""`cursus-codegen diff` against hostile sides and options: exit 2 with one located error line,
in bounded time, never exit 0 for a module that did not build, never exit 3. A module side is
built in a subprocess of its own, so its code can end, hang or print what it likes there.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import test_diff
from conftest import run_cli

project = test_diff.project  # a fixture: the xgboost example, copied

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]


def located(result, where, *fragments):
    """Exit 2, nothing on stdout, exactly one `<where>: error: ...` line on stderr."""
    code, out, err = result
    assert (code, out) == (2, ""), (code, out, err)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{where}: error: "), err
    assert "Traceback" not in err and "internal error" not in err, err
    for fragment in fragments:
        assert fragment in lines[0], err
    return lines[0]


def commit(folder):
    subprocess.run(GIT + ["init", "-q"], cwd=folder, check=True)
    subprocess.run(GIT + ["add", "-A"], cwd=folder, check=True)
    subprocess.run(GIT + ["commit", "-q", "-m", "reviewed"], cwd=folder, check=True)


# --- a module side is built in its own process: what its code does stays there ---------------


def test_a_module_ending_with_exit_code_0_at_import_is_not_a_pipeline(project):
    (project / "deployable.py").write_text("raise SystemExit(0)\n")
    result = run_cli(["diff", "pipeline_gen.py", "deployable.py"], cwd=project)
    located(
        result,
        "deployable.py",
        "building the module did not finish: it exited with code 0 "
        "before producing a pipeline",
    )


def test_a_module_calling_os_exit_0_at_import_is_not_a_pipeline(project):
    (project / "deployable.py").write_text("import os\nos._exit(0)\n")
    located(
        run_cli(["diff", "deployable.py", "pipeline_gen.py"], cwd=project),
        "deployable.py",
        "it exited with code 0 before producing a pipeline",
    )


def test_a_module_that_hangs_is_stopped_at_the_timeout(project):
    (project / "hangs.py").write_text("import time\ntime.sleep(3600)\n")
    started = time.monotonic()
    result = run_cli(
        ["diff", "hangs.py", "pipeline_gen.py", "--timeout", "5"], cwd=project
    )
    located(result, "hangs.py", "did not finish within 5 seconds")
    assert time.monotonic() - started < 60


def test_a_result_forged_on_stdout_is_not_a_pipeline(project):
    forged = {
        "definition": {"Version": "2020-12-01", "Parameters": [], "Steps": []},
        "step_configs": {},
        "code_sources": {},
        "nonce": "0" * 64,
    }
    source = f"print({json.dumps(json.dumps(forged))})\nraise SystemExit(0)\n"
    (project / "forged.py").write_text(source)
    located(
        run_cli(["diff", "forged.py", "pipeline_gen.py"], cwd=project),
        "forged.py",
        "it exited with code 0 before producing a pipeline",
    )


def test_a_flood_of_output_is_capped_and_the_error_is_one_short_line(project):
    (project / "noisy.py").write_text(
        "import sys\nsys.stdout.write('o' * 20_000_000)\nsys.stderr.write('e' * 20_000_000)\n"
        "raise SystemExit(3)\n"
    )
    line = located(
        run_cli(["diff", "noisy.py", "pipeline_gen.py"], cwd=project),
        "noisy.py",
        "it exited with code 3",
        "its last stderr line: eee",
    )
    assert len(line) < 400


def test_a_mods_package_beside_the_module_is_never_imported(project, tmp_path):
    marker = tmp_path / "imported"
    (project / "mods").mkdir()
    (project / "mods" / "__init__.py").write_text(
        f"open({str(marker)!r}, 'w').close()\n"
    )
    shutil.copy(project / "pipeline_gen.py", project / "old_pipeline_gen.py")
    code, out, err = run_cli(
        ["diff", "old_pipeline_gen.py", "pipeline_gen.py"], cwd=project
    )
    assert (code, err) == (0, ""), err
    assert (
        out
        == "No changes: old_pipeline_gen.py and pipeline_gen.py build the same pipeline.\n"
    )
    assert not marker.exists()


# --- bad options ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "region", ["us-east-1; rm -rf /", "US-EAST-1", "us-east-1/../x", ""]
)
def test_an_invalid_region_is_bad_input(project, region):
    args = ["diff", "pipeline_gen.py", "pipeline_gen.py", "--region", region]
    located(run_cli(args, cwd=project), "--region", "not an AWS region")


def test_an_invalid_default_region_is_bad_input(project, monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "../../etc")
    located(
        run_cli(["diff", "pipeline_gen.py", "pipeline_gen.py"], cwd=project),
        "--region",
        "from AWS_DEFAULT_REGION",
    )


@pytest.mark.parametrize("folder", ["no-such-folder", "cfg.json"])
def test_a_deploy_dir_that_is_not_a_folder_is_bad_input(project, folder):
    args = ["diff", "pipeline_gen.py", "pipeline_gen.py", "--deploy-dir", folder]
    located(run_cli(args, cwd=project), "--deploy-dir", "not a folder")


@pytest.mark.parametrize("seconds", ["0", "-1", "nan", "inf", "soon"])
def test_a_timeout_that_is_not_a_positive_number_is_bad_input(project, seconds):
    args = ["diff", "pipeline_gen.py", "pipeline_gen.py", f"--timeout={seconds}"]
    located(run_cli(args, cwd=project), "--timeout", "> 0")


# --- git revisions ---------------------------------------------------------------------------


@pytest.mark.parametrize("rev", ["-x", "--output=/tmp/pwned", "-"])
def test_a_revision_beginning_with_a_dash_is_bad_input(project, rev):
    commit(project)
    spec = f"git:{rev}:pipeline_gen.py"
    line = located(
        run_cli(["diff", spec, "pipeline_gen.py"], cwd=project), spec, "begin with '-'"
    )
    assert "usage" not in line


@pytest.mark.parametrize("target", ["/etc/passwd", "../../outside"])
def test_a_revision_holding_a_link_out_of_its_tree_builds_without_it(project, target):
    (project / "link").symlink_to(target)
    commit(project)
    code, out, err = run_cli(
        ["diff", "git:HEAD:pipeline_gen.py", "pipeline_gen.py"], cwd=project
    )
    assert (code, err) == (0, ""), err
    assert out.startswith("No changes")


def test_a_revision_whose_module_is_a_link_out_of_its_tree_is_bad_input(
    project, tmp_path
):
    shutil.copy(project / "pipeline_gen.py", tmp_path / "elsewhere.py")
    (project / "linked.py").symlink_to(tmp_path / "elsewhere.py")
    commit(project)
    located(
        run_cli(["diff", "git:HEAD:linked.py", "pipeline_gen.py"], cwd=project),
        "git:HEAD:linked.py",
        "not a regular file in that revision",
    )


# --- deployed pipelines ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "definition,fragment",
    [
        ("[]", "not a JSON object"),
        ("[" * 100_000 + "]" * 100_000, "nests too deep"),
        ('{"Steps": [' + "[" * 500 + "]" * 500 + "]}", "nests deeper than 100 levels"),
        ('{"Steps": {"A": 1}}', "Steps is not a list"),
        ('{"Parameters": [{"Name": ["P"]}]}', "is not a string"),
        ("not json", "not JSON"),
    ],
)
def test_a_deployed_definition_that_cannot_be_compared_is_bad_input(
    project, monkeypatch, definition, fragment
):
    import boto3

    class Client:
        def describe_pipeline(self, PipelineName):
            return {"PipelineName": PipelineName, "PipelineDefinition": definition}

    monkeypatch.setattr(boto3.Session, "client", lambda self, *args, **kwargs: Client())
    located(
        run_cli(["diff", "deployed:p", "pipeline_gen.py"], cwd=project),
        "deployed:p",
        fragment,
    )


def test_an_endpoint_that_never_answers_is_bad_input_in_bounded_time(
    project, monkeypatch
):
    from cursus_codegen.diff import sides

    assert (sides.CONNECT_TIMEOUT, sides.READ_TIMEOUT, sides.ATTEMPTS) == (5, 30, 2)
    monkeypatch.setattr(
        sides, "READ_TIMEOUT", 2
    )  # the test's patience, not the mechanism
    with (
        socket.socket() as silent
    ):  # accepts connections (the kernel's backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        monkeypatch.setenv(
            "AWS_ENDPOINT_URL", f"http://127.0.0.1:{silent.getsockname()[1]}"
        )
        started = time.monotonic()
        result = run_cli(["diff", "deployed:p", "pipeline_gen.py"], cwd=project)
    located(result, "deployed:p", "timeout")
    assert time.monotonic() - started < 30


# --- what a module starts ends with its build, whatever session it moved to ------------------

SPAWN = {  # a sleep in a session of its own, its pid written to PIDS
    "orphaned": "import subprocess\nsubprocess.run(['sh', '-c', "
    "'setsid sleep 777 >/dev/null 2>&1 & echo $! > PIDS'])\n",
    "child": "import subprocess\np = subprocess.Popen(['setsid', 'sleep', '777'], stdout=-3, "
    "stderr=-3)\nopen('PIDS', 'w').write(str(p.pid))\n",
}


@pytest.fixture()
def spawned(tmp_path):
    """spawned(kind) -> source starting a sleep as SPAWN[kind] does; spawned.ended(): whether it
    has ended (gone, or a zombie) within 5 seconds. The sleep is killed when the test ends.
    """
    pids = tmp_path / "pid"

    def ended():
        deadline, stat = time.monotonic() + 5, Path(
            f"/proc/{int(pids.read_text())}/stat"
        )
        while time.monotonic() < deadline:
            with contextlib.suppress(FileNotFoundError):  # gone
                if (
                    stat.read_bytes().rsplit(b")", 1)[1].split()[0] != b"Z"
                ):  # nor a zombie
                    time.sleep(0.1)
                    continue
            return True
        return False

    def source(kind="orphaned"):
        return SPAWN[kind].replace("PIDS", str(pids))

    source.ended = ended
    yield source
    with contextlib.suppress(OSError, ValueError):
        os.kill(int(pids.read_text()), signal.SIGKILL)


linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="/proc, prctl"
)


@linux_only
@pytest.mark.parametrize("kind", ["orphaned", "child"])
def test_what_a_hanging_module_started_ends_at_the_timeout(project, spawned, kind):
    (project / "hangs.py").write_text(spawned(kind) + "import time\ntime.sleep(3600)\n")
    # long enough for the child to import the SDK and moto, then the module, on a busy machine
    result = run_cli(
        ["diff", "hangs.py", "pipeline_gen.py", "--timeout", "15"], cwd=project
    )
    located(result, "hangs.py", "did not finish within 15 seconds")
    assert spawned.ended()


@linux_only
@pytest.mark.parametrize(
    "end,how",
    [
        ("raise SystemExit(4)", "it exited with code 4"),
        (
            "import os, signal\nos.kill(os.getpid(), signal.SIGTERM)",
            "it was killed by signal 15",
        ),
    ],
)
def test_what_a_module_started_ends_when_it_ends(project, spawned, end, how):
    (project / "ends.py").write_text(spawned() + end + "\n")
    located(
        run_cli(["diff", "ends.py", "pipeline_gen.py"], cwd=project), "ends.py", how
    )
    assert spawned.ended()


@linux_only
def test_what_a_module_that_builds_left_running_ends_with_its_build(tmp_path, spawned):
    from test_diff_fidelity import definition, stand_in

    old, new = (stand_in(tmp_path, name, definition()) for name in ("old.py", "new.py"))
    (tmp_path / new).write_text(spawned() + (tmp_path / new).read_text())
    code, out, err = run_cli(["diff", old, new], cwd=tmp_path)
    assert (code, err) == (0, "") and spawned.ended(), out


def test_diff_builds_offline_whatever_aws_settings_the_caller_has(project, monkeypatch):
    """No credentials, another default region, an endpoint and a profile in the environment:
    both sides are still built under moto, in the region asked for, and compare equal.
    """
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    code, out, err = run_cli(
        ["diff", "pipeline_gen.py", "pipeline_gen.py"], cwd=project
    )
    assert (code, err) == (0, ""), err
    assert out.startswith("No changes")


@pytest.mark.parametrize("levels", [100, 101])
def test_a_deployed_definition_may_nest_100_levels_and_no_more(
    project, monkeypatch, levels
):
    import boto3

    # the object is one level, each list one more
    definition = '{"Steps": [], "X": ' + "[" * (levels - 1) + "]" * (levels - 1) + "}"

    class Client:
        def describe_pipeline(self, PipelineName):
            return {"PipelineName": PipelineName, "PipelineDefinition": definition}

    monkeypatch.setattr(boto3.Session, "client", lambda self, *args, **kwargs: Client())
    code, out, err = run_cli(["diff", "deployed:p", "pipeline_gen.py"], cwd=project)
    if levels == 100:
        assert code == 1 and "nests deeper" not in err, (code, out, err)
    else:
        located((code, out, err), "deployed:p", "nests deeper than 100 levels")


REGION_PARAMETER = """

_generate = FraudDetectionXgboostPipeline.generate_pipeline


def _with_region(self):  # a hand-written addition: a parameter from the default AWS session
    import boto3
    from sagemaker.workflow.parameters import ParameterString

    pipeline = _generate(self)
    pipeline.parameters.append(ParameterString(name="Region", default_value={region}))
    return pipeline


FraudDetectionXgboostPipeline.generate_pipeline = _with_region
"""


def test_a_module_reading_the_default_aws_region_sees_the_region_diff_builds_in(
    project, monkeypatch
):
    """A hand-written module may make its own boto3 session: it gets diff's region and dummy
    credentials, never the caller's (here another region and no credentials at all)."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    source = (project / "pipeline_gen.py").read_text()
    (project / "read.py").write_text(
        source + REGION_PARAMETER.format(region="boto3.Session().region_name")
    )
    (project / "fixed.py").write_text(
        source + REGION_PARAMETER.format(region='"us-west-2"')
    )
    code, out, err = run_cli(
        ["diff", "read.py", "fixed.py", "--region", "us-west-2"], cwd=project
    )
    assert (code, err) == (0, ""), (out, err)
    assert out.startswith("No changes")
