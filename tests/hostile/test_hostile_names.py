"""Node names that are no Python identifiers are not errors: they are sanitised, de-duplicated
(`naming.unique_identifiers`), and the module must still build exactly the same pipeline.

The XGBoost example is generated twice: as committed, and with every node and configuration key
renamed to something hostile. Step names come from the configuration class and job_type, never
from the node name, so the two pipeline definitions must be identical.
"""

import ast
import json
import os
import shutil

import pytest
from conftest import build_definition, import_module_from, run_cli

from hostile.cases import EXAMPLE

HOSTILE_NAMES = {
    "DummyDataLoading_training": "class",  # a keyword
    "DummyDataLoading_calibration": "list",  # a builtin the module itself calls
    "TabularPreprocessing_training": "Tabular-Preprocessing training",  # not an identifier
    "TabularPreprocessing_calibration": "tabular_preprocessing_training",  # collides after sanitising
    "XGBoostTraining": "Ünïcødé_名前",  # unicode
    "XGBoostModelEval_calibration": "X" * 300,  # very long
    "ModelCalibration_calibration": "self",  # the methods' own first parameter
    "Package": "123 package",  # starts with a digit
    "Payload": "import",  # another keyword
}


def _renamed_project(folder):
    shutil.copytree(EXAMPLE, folder)
    dag = (folder / "dag.py").read_text()
    data = json.loads((folder / "cfg.json").read_text())
    specific, types = (
        data["configuration"]["specific"],
        data["metadata"]["config_types"],
    )
    for old, new in HOSTILE_NAMES.items():
        dag = dag.replace(f'"{old}"', json.dumps(new, ensure_ascii=False))
        specific[new], types[new] = specific.pop(old), types.pop(old)
    (folder / "dag.py").write_text(dag, encoding="utf-8")
    (folder / "cfg.json").write_text(
        json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    return folder


def _definition_from(folder, module_name, session):
    previous = os.getcwd()
    os.chdir(folder)  # _local() paths are relative to the working directory
    try:
        return build_definition(
            import_module_from(folder / "pipeline_gen.py", module_name), session
        )
    finally:
        os.chdir(previous)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("names")
    plain, hostile = root / "a" / "project", _renamed_project(root / "b" / "project")
    shutil.copytree(EXAMPLE, plain)
    code, _, err = run_cli(
        ["dag.py", "cfg.json", "-o", "pipeline_gen.py", "--strict"], cwd=hostile
    )
    assert code == 0, err
    return plain, hostile


def test_hostile_names_become_distinct_valid_identifiers(generated):
    _, hostile = generated
    tree = ast.parse((hostile / "pipeline_gen.py").read_text(encoding="utf-8"))
    cls = next(node for node in tree.body if isinstance(node, ast.ClassDef))
    methods = [node for node in cls.body if isinstance(node, ast.FunctionDef)]
    builders = [m.name for m in methods if m.name.startswith("build_")]
    assert len(builders) == len(set(builders)) == len(HOSTILE_NAMES)
    for method in methods:
        params = [a.arg for a in method.args.args]
        assert params[0] == "self" and "self" not in params[1:], method.name
        assert len(params) == len(set(params)), method.name
        assert "list" not in params and all(
            p.isidentifier() and p.isascii() for p in params
        )
    generate = next(m for m in methods if m.name == "generate_pipeline")
    stored = [
        t.id
        for n in ast.walk(generate)
        if isinstance(n, ast.Assign)
        for t in n.targets
        if isinstance(t, ast.Name)
    ]
    assert len(stored) == len(set(stored)) and not {
        "self",
        "list",
        "class",
        "import",
    } & set(stored)
    assert "tabular_preprocessing_training_2" in stored  # the collision got a suffix
    assert "list_2" in stored and "self_2" in stored  # so did the reserved names


def test_hostile_names_build_the_same_pipeline(generated, sm_session):
    plain, hostile = generated
    expected = _definition_from(plain, "names_plain", sm_session)
    assert _definition_from(hostile, "names_hostile", sm_session) == expected


def _extra_configuration(data):
    """A configuration no DAG node uses, of a known class: cursus loads it and ignores it."""
    data["configuration"]["specific"]["Unused"] = dict(
        data["configuration"]["specific"]["Package"]
    )
    data["metadata"]["config_types"]["Unused"] = "PackageConfig"


def test_tolerated_input_is_not_an_error_and_gives_the_same_module(tmp_path):
    """An extra configuration and a duplicate edge change nothing (a warning for the edge)."""
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project)
    data = json.loads((project / "cfg.json").read_text())
    _extra_configuration(data)
    (project / "cfg.json").write_text(json.dumps(data, indent=2))
    dag = (project / "dag.py").read_text()
    (project / "dag.py").write_text(
        dag.replace(
            "    return dag",
            '    dag.add_edge("XGBoostTraining", "Payload")\n    return dag',
        )
    )
    code, out, err = run_cli(["dag.py", "cfg.json", "-o", "-"], cwd=project)
    assert code == 0, err
    assert (
        "error" not in err
        and "duplicate edge XGBoostTraining -> Payload dropped" in err
    )
    body = out.split("\n\n", 1)[1]  # the header differs only by the inputs' sha256
    assert body == (EXAMPLE / "pipeline_gen.py").read_text().split("\n\n", 1)[1]
