"""Fallbacks that the committed examples never reach.

- MODS metadata without `model_class` in the configuration: cursus's BasePipelineConfig
  defaults it to "xgboost", so the description is "<service_name> xgboost Model <region>" and
  the pipeline name carries "xgboost".
- --vendor copies every file of a vendored source folder, whatever its kind (a
  requirements.txt, a Dockerfile without suffix, a YAML file in a sub-folder), --check compares
  each copy, and the pipeline built from the vendored folder uploads them.
"""

import io
import json
import shutil
import tarfile

import pytest
from conftest import REPO, ROLE, import_module_from, pipeline_class_of, run_cli
from test_spec_helpers import module_constants, regional_sessions

EXAMPLE = REPO / "generated_examples" / "xgboost_e2e"


@pytest.fixture()
def project(tmp_path):
    folder = tmp_path / "project"
    shutil.copytree(EXAMPLE, folder)
    (folder / "pipeline_gen.py").unlink()
    return folder


def set_model_class(folder, value):
    data = json.loads((folder / "cfg.json").read_text())
    if value is None:
        del data["configuration"]["shared"]["model_class"]
    else:
        data["configuration"]["shared"]["model_class"] = value
    (folder / "cfg.json").write_text(json.dumps(data, indent=2))


@pytest.mark.parametrize(
    "model_class, shown", [(None, "xgboost"), ("pytorch", "pytorch")]
)
def test_mods_metadata_falls_back_to_xgboost_without_a_model_class(
    project, model_class, shown
):
    set_model_class(project, model_class)
    code, _, err = run_cli(["dag.py", "cfg.json", "-o", "gen.py"], cwd=project)
    assert code == 0, err
    source = (project / "gen.py").read_text()
    constants = module_constants(source)
    assert constants["PIPELINE_DESCRIPTION"] == f"FraudDetection {shown} Model NA"
    assert (
        constants["PIPELINE_NAME"]
        == f"ml-platform-FraudDetection-{shown}-NA-2-0-0-pipeline"
    )
    template = pipeline_class_of(
        import_module_from(project / "gen.py", f"spec_fallback_{shown}")
    )
    assert (
        template._mods_description == f"FraudDetection {shown} Model NA"
    )  # what MODS is given
    assert template.__doc__ == f"FraudDetection {shown} Model NA"


EXTRA_FILES = {  # other kinds of file inside the vendored scripts/ folder
    "scripts/requirements.txt": b"pandas==2.2.2\nscikit-learn>=1.3,<2\n",
    "scripts/Dockerfile": b"FROM python:3.11-slim\nCOPY . /opt/ml/code\n",
    "scripts/conf/settings.yaml": b"threshold: 0.5\nlabels: [a, b]\n",
}
ARGS = [
    "project/dag.py",
    "project/cfg.json",
    "-o",
    "deploy/pipeline_gen.py",
    "--vendor",
]


@pytest.fixture()
def vendored(project):
    for relative, data in EXTRA_FILES.items():
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_bytes(data)
    (project.parent / "deploy").mkdir()
    code, _, err = run_cli(ARGS, cwd=project.parent)
    assert code == 0, err
    return project.parent


def test_every_kind_of_file_of_a_vendored_folder_is_copied(vendored):
    for relative, data in EXTRA_FILES.items():
        assert (vendored / "deploy" / relative).read_bytes() == data, relative
    assert run_cli([*ARGS, "--check"], cwd=vendored)[:2] == (0, "")


@pytest.mark.parametrize("relative", EXTRA_FILES)
def test_check_compares_every_kind_of_vendored_file(vendored, relative):
    source = vendored / "project" / relative
    source.write_bytes(source.read_bytes() + b"# edited\n")
    code, out, _ = run_cli([*ARGS, "--check"], cwd=vendored)
    assert (code, out) == (
        1,
        f"deploy/{relative}: vendored file differs from its source\n",
    )
    assert run_cli(ARGS, cwd=vendored)[0] == 0
    assert (vendored / "deploy" / relative).read_bytes() == source.read_bytes()
    (vendored / "deploy" / relative).unlink()
    code, out, _ = run_cli([*ARGS, "--check"], cwd=vendored)
    assert code == 1 and f"deploy/{relative}: vendored file missing" in out


def test_the_pipeline_built_from_the_vendored_folder_uploads_them(
    vendored, monkeypatch
):
    shutil.move(
        vendored / "project", vendored / "gone"
    )  # the deploy folder stands alone
    monkeypatch.chdir(vendored / "deploy")
    module = import_module_from(
        vendored / "deploy" / "pipeline_gen.py", "spec_fallback_vendored"
    )
    with regional_sessions() as sessions:
        session = sessions["NA"]
        template = pipeline_class_of(module)(
            sagemaker_session=session, execution_role=ROLE
        )
        definition = json.loads(template.generate_pipeline().definition())
        training = next(
            s for s in definition["Steps"] if s["Name"] == "XGBoostTraining"
        )
        uri = json.loads(
            training["Arguments"]["HyperParameters"]["sagemaker_submit_directory"]
        )
        bucket, key = uri[len("s3://") :].split("/", 1)
        body = (
            session.boto_session.client("s3")
            .get_object(Bucket=bucket, Key=key)["Body"]
            .read()
        )
    with tarfile.open(fileobj=io.BytesIO(body)) as archive:
        for relative, data in EXTRA_FILES.items():
            member = relative[len("scripts/") :]
            assert archive.extractfile(member).read() == data, member
