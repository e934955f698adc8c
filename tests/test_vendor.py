"""--vendor: the module and every file it uploads, as one folder a deploy repository commits.
The copies keep their project-relative paths below the module's folder, the header lists them,
and --check compares each copy with its source."""

import json
import re
import shutil

import pytest
from conftest import REPO, build_definition, import_module_from, run_cli

EXAMPLE = REPO / "generated_examples" / "xgboost_e2e"
MODULE = "deploy/pipelines/xgb/pipeline_gen.py"
ARGS = [
    "project/dag.py",
    "project/pipeline_config/config.json",
    "-o",
    MODULE,
    "--vendor",
]


@pytest.fixture()
def workspace(tmp_path):
    """A cursus project, and a deploy repository folder that is not inside it."""
    project = tmp_path / "project"
    (project / "pipeline_config").mkdir(parents=True)
    for name in ("dag.py", "scripts", "data"):
        (shutil.copytree if (EXAMPLE / name).is_dir() else shutil.copy)(
            EXAMPLE / name, project / name
        )
    shutil.copy(EXAMPLE / "cfg.json", project / "pipeline_config" / "config.json")
    (project / "scripts" / "__pycache__").mkdir()
    (project / "scripts" / "__pycache__" / "junk.cpython-311.pyc").write_bytes(b"\0")
    (project / "notes.txt").write_text("not used by the pipeline\n")
    (tmp_path / "deploy" / "pipelines" / "xgb").mkdir(parents=True)
    return tmp_path


def code_keys_blanked(definition):
    return json.loads(
        re.sub(r"/code/[0-9a-f]{16,}/", "/code/<sha256>/", json.dumps(definition))
    )


def test_the_vendored_folder_alone_builds_the_same_pipeline(
    workspace, sm_session, monkeypatch
):
    assert run_cli(ARGS, cwd=workspace)[0] == 0
    plain = workspace / "deploy" / "plain"
    plain.mkdir()
    assert (
        run_cli(
            [
                "project/dag.py",
                "project/pipeline_config/config.json",
                "-o",
                "deploy/plain/pipeline_gen.py",
            ],
            cwd=workspace,
        )[0]
        == 0
    )
    folder = workspace / "deploy" / "pipelines" / "xgb"
    copied = sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()
    )
    assert "notes.txt" not in copied and not any("__pycache__" in p for p in copied)
    assert (
        "scripts/hyperparams/hyperparameters.json" in copied
        and "data/training/sample.csv" in copied
    )
    header = (folder / "pipeline_gen.py").read_text().split('"""')[0]
    assert "#   scripts/payload.py (Payload)\n" in header and "--vendor" in header
    monkeypatch.chdir(plain)
    expected = build_definition(
        import_module_from(plain / "pipeline_gen.py", "plain_xgb"), sm_session
    )
    shutil.move(
        workspace / "project", workspace / "moved_away"
    )  # the source project is gone
    monkeypatch.chdir(folder)
    vendored = build_definition(
        import_module_from(folder / "pipeline_gen.py", "vendored_xgb"), sm_session
    )
    assert code_keys_blanked(vendored) == code_keys_blanked(expected)


def test_check_compares_every_copy_with_its_source(workspace):
    assert run_cli(ARGS, cwd=workspace)[0] == 0
    assert run_cli([*ARGS, "--check"], cwd=workspace)[:2] == (0, "")
    script = workspace / "project" / "scripts" / "payload.py"
    script.write_text(script.read_text() + "# edited\n")
    code, out, _ = run_cli([*ARGS, "--check"], cwd=workspace)
    assert (
        code == 1
        and out
        == "deploy/pipelines/xgb/scripts/payload.py: vendored file differs from its source\n"
    )
    assert run_cli(ARGS, cwd=workspace)[0] == 0  # regenerating copies it again
    assert run_cli([*ARGS, "--check"], cwd=workspace)[:2] == (0, "")
    extra = workspace / "deploy" / "pipelines" / "xgb" / "scripts" / "added_by_hand.py"
    extra.write_text("print('hi')\n")
    code, out, _ = run_cli([*ARGS, "--check"], cwd=workspace)
    assert (
        code == 1 and "scripts/added_by_hand.py: extra file in a vendored folder" in out
    )
    (workspace / "deploy" / "pipelines" / "xgb" / "scripts" / "package.py").unlink()
    code, out, _ = run_cli([*ARGS, "--diff"], cwd=workspace)
    assert (
        code == 0
        and "scripts/package.py: vendored file missing (would be copied)" in out
    )
    assert run_cli(ARGS, cwd=workspace)[0] == 0
    assert not extra.exists()  # the copy mirrors its source
    assert run_cli([*ARGS, "--check"], cwd=workspace)[:2] == (0, "")


def test_vendoring_is_byte_identical_across_runs_and_locations(workspace, tmp_path):
    assert run_cli(ARGS, cwd=workspace)[0] == 0
    first = {
        p.relative_to(workspace / "deploy").as_posix(): p.read_bytes()
        for p in (workspace / "deploy").rglob("*")
        if p.is_file()
    }
    elsewhere = tmp_path.parent / (tmp_path.name + "_elsewhere")
    shutil.copytree(workspace, elsewhere)
    shutil.rmtree(elsewhere / "deploy" / "pipelines")
    (elsewhere / "deploy" / "pipelines" / "xgb").mkdir(parents=True)
    assert run_cli(ARGS, cwd=elsewhere)[0] == 0
    second = {
        p.relative_to(elsewhere / "deploy").as_posix(): p.read_bytes()
        for p in (elsewhere / "deploy").rglob("*")
        if p.is_file()
    }
    assert first == second


def test_a_missing_source_is_an_error_and_nothing_is_written(workspace):
    (workspace / "project" / "scripts" / "payload.py").unlink()
    code, _, err = run_cli(ARGS, cwd=workspace)
    assert (
        code == 2
        and "--vendor: 'scripts/payload.py' does not exist" in err
        and "Traceback" not in err
    )
    assert not list((workspace / "deploy").rglob("*.*"))


def test_vendor_in_the_manifest(workspace, monkeypatch):
    monkeypatch.setenv("CURSUS_CODEGEN_CACHE_DIR", str(workspace / "cache"))
    (workspace / "pyproject.toml").write_text(
        '[tool.cursus-codegen]\nvendor = true\n\n[[tool.cursus-codegen.pipelines]]\nname = "xgb"\n'
        f'dag = "project/dag.py"\nconfig = "project/pipeline_config/config.json"\noutput = "{MODULE}"\n'
    )
    assert run_cli(["generate"], cwd=workspace)[:2] == (0, "xgb: written\n")
    module = workspace / "deploy" / "pipelines" / "xgb" / "pipeline_gen.py"
    stamp = module.stat().st_mtime_ns
    assert run_cli(["generate"], cwd=workspace)[:2] == (
        0,
        "xgb: unchanged\n",
    )  # nothing rewritten
    assert module.stat().st_mtime_ns == stamp
    assert (
        workspace / "deploy" / "pipelines" / "xgb" / "scripts" / "payload.py"
    ).is_file()
    assert (
        run_cli(ARGS + ["--check"], cwd=workspace)[0] == 0
    )  # the manifest's module is the command's
    script = workspace / "project" / "scripts" / "payload.py"
    script.write_text(script.read_text() + "# edited\n")
    code, out, _ = run_cli(
        ["check"], cwd=workspace
    )  # never answered from the cache with vendor
    assert (
        code == 1
        and "xgb: STALE" in out
        and "scripts/payload.py: vendored file differs" in out
    )


def test_a_source_folder_holding_the_module_copies_no_copy_and_deletes_nothing(
    tmp_path,
):
    """A configuration whose source_dir is the project root itself, with the module inside it."""
    from cursus_codegen.output import outputs
    from cursus_codegen.output.vendor import vendored_copies

    class Plan:
        vendor_source = str(tmp_path / "project")
        vendored = ((".", ("Step",)),)

    project = tmp_path / "project"
    (project / "deploy").mkdir(parents=True)
    (project / "train.py").write_text("print(1)\n")
    (project / "deploy" / "keep.txt").write_text("the deploy repository's own file\n")
    module_dir = project / "deploy"
    copies, folders, problems = vendored_copies(Plan, module_dir)
    assert problems == [] and folders == []  # the module's own folder is never mirrored
    assert copies == [
        ("train.py", project / "train.py")
    ]  # the copies' folder is not copied into itself
    written = outputs.Outputs(
        module_dir, "", "pipeline_gen.py", "# module\n", tuple(copies), tuple(folders)
    )
    assert outputs.problems(written) == []
    outputs.apply(written)
    assert (module_dir / "keep.txt").is_file() and (module_dir / "train.py").is_file()
