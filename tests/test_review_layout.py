"""How a module reads in review, as before/after pairs: long values as per-line pieces, a value
used twice written once, methods in DAG declaration order, and an execution document that
says what it could not fill."""

import ast
import copy
import difflib
import json
import logging
import shutil

import pytest
from conftest import REPO, import_module_from, pipeline_class_of, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from cursus_codegen.output.literals import literal, string_pieces
from cursus_codegen.output.long_strings import wrap_long_strings
from cursus_codegen.plan import model as m
from cursus_codegen.plan.shared_values import share_repeated_values

EXAMPLE = REPO / "generated_examples" / "xgboost_e2e"


# --- literals ---------------------------------------------------------------------------------


def test_a_multi_line_string_is_one_piece_per_line():
    sql = "\nSELECT a,\n    b\nFROM t\nWHERE x = 'it''s'\n"
    assert literal(sql) == (
        "('\\n' 'SELECT a,\\n' '    b\\n' 'FROM t\\n' \"WHERE x = 'it''s'\\n\")"
    )


def test_a_long_single_line_string_is_cut_after_each_comma_space():
    value = json.dumps({f"field_{i}": f"default value {i}" for i in range(6)})
    pieces = string_pieces(value)
    assert len(pieces) == 6 and all(p.endswith(", ") for p in pieces[:-1])
    assert "".join(pieces) == value


def test_short_strings_stay_one_literal():
    assert literal("ml.m5.large") == "'ml.m5.large'"
    assert literal("a\n") == "'a\\n'"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_every_string_reads_back_as_itself(value):
    assert ast.literal_eval(literal(value)) == value


def test_a_string_too_long_for_its_line_gets_a_line_of_its_own():
    name = "Abuse." + "x" * 110
    source = f'CONFIG = {{"fieldName": "{name}", "fieldType": "STRING"}}\n'
    import black

    def fmt(text):
        return black.format_str(text, mode=black.Mode())

    wrapped = wrap_long_strings(fmt(source), 100, fmt)
    assert f'        "{name}"\n' in wrapped
    assert all(len(line) <= 100 for line in wrapped.splitlines() if name not in line)
    assert ast.literal_eval(wrapped.split("=", 1)[1].strip())["fieldName"] == name


def test_docstrings_and_concatenation_pieces_are_never_wrapped():
    long = "y" * 120
    source = f'def f():\n    """{long}"""\n    return ("a" "{long}")\n'
    assert (
        wrap_long_strings(source, 100, lambda text: pytest.fail("nothing to wrap"))
        == source
    )


# --- values used twice ------------------------------------------------------------------------


def _step(var, **fields):
    base = {
        "index": 1,
        "node": var,
        "config_key": var,
        "step_type": "T",
        "step_name": var,
        "kind": "sdk",
        "method": f"build_{var}",
        "var": var,
        "params": (),
        "compute_class": "C",
        "compute_kwargs": (),
        "inputs": (),
        "outputs": (),
        "environment": (),
        "job_arguments": None,
        "code": None,
        "source_dir": None,
        "assembly": "",
        "depends_on": (),
        "cache_enabled": None,
    }
    base.update(fields)
    return m.StepPlan(**base)


SQL = "SELECT\n" + "".join(f"    column_{i},\n" for i in range(20)) + "FROM t\n"


def test_a_large_value_in_two_steps_becomes_one_constant_named_after_its_field():
    config = {"transformSpecification": {"transformSQL": SQL}, "outputPath": "s3://a"}
    other = {"transformSpecification": {"transformSQL": SQL}, "outputPath": "s3://b"}
    steps = (
        _step("a", extra=(("step_config", m.Literal(config)),)),
        _step("b", extra=(("step_config", m.Literal(other)),)),
    )
    new_steps, constants = share_repeated_values(steps)
    assert constants == (("TRANSFORM_SPECIFICATION", m.Literal({"transformSQL": SQL})),)
    assert dict(new_steps[0].extra)["step_config"] == m.DictOf(
        (
            ("transformSpecification", m.Name("TRANSFORM_SPECIFICATION")),
            ("outputPath", m.Literal("s3://a")),
        )
    )


def test_a_value_used_once_or_small_stays_where_it_is():
    env = (("SQL", m.Literal(SQL)), ("LABEL", m.Literal("is_abuse")))
    steps = (
        _step("a", environment=env),
        _step("b", environment=(("LABEL", m.Literal("is_abuse")),)),
    )
    assert share_repeated_values(steps) == (steps, ())


def test_a_shared_value_inside_a_shared_value_is_written_once_too():
    schema = [{"fieldName": f"field_{i}", "fieldType": "STRING"} for i in range(10)]
    steps = (
        _step(
            "a",
            environment=(
                ("SCHEMA", m.Literal(schema)),
                ("ALL", m.Literal([schema, 1])),
            ),
        ),
        _step("b", environment=(("ALL", m.Literal([schema, 1])),)),
    )
    _, constants = share_repeated_values(steps)
    assert [name for name, _ in constants] == [
        "SCHEMA",
        "ALL",
    ]  # defined before it is used
    assert constants[1][1] == m.ListOf((m.Name("SCHEMA"), m.Literal(1)))


def test_a_constant_never_takes_a_name_the_module_defines():
    steps = tuple(
        _step(v, environment=(("PIPELINE_NAME", m.Literal(SQL)),)) for v in "ab"
    )
    _, constants = share_repeated_values(steps)
    assert [name for name, _ in constants] == ["PIPELINE_NAME_2"]


# --- method order -----------------------------------------------------------------------------

NODES = [
    "DummyDataLoading_training",
    "DummyDataLoading_calibration",
    "TabularPreprocessing_training",
    "TabularPreprocessing_calibration",
    "XGBoostTraining",
    "XGBoostModelEval_calibration",
    "ModelCalibration_calibration",
    "Package",
]
EDGES = [
    ["DummyDataLoading_training", "TabularPreprocessing_training"],
    ["DummyDataLoading_calibration", "TabularPreprocessing_calibration"],
    ["TabularPreprocessing_training", "XGBoostTraining"],
    ["XGBoostTraining", "XGBoostModelEval_calibration"],
    ["TabularPreprocessing_calibration", "XGBoostModelEval_calibration"],
    ["XGBoostModelEval_calibration", "ModelCalibration_calibration"],
    ["ModelCalibration_calibration", "Package"],
    ["XGBoostTraining", "Package"],
]


def _generate_with(project, nodes, edges):
    (project / "dag.json").write_text(
        json.dumps({"dag": {"nodes": nodes, "edges": edges}})
    )
    code, _, err = run_cli(
        ["dag.json", "cfg.json", "-o", "pipeline_gen.py"], cwd=project
    )
    assert code == 0, err
    return (project / "pipeline_gen.py").read_text()


def _methods(source):
    cls = next(n for n in ast.parse(source).body if isinstance(n, ast.ClassDef))
    return [
        (f.name, ast.get_source_segment(source, f))
        for f in cls.body
        if isinstance(f, ast.FunctionDef)
    ]


def test_adding_a_node_in_the_middle_moves_and_renumbers_nothing_else(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project)
    before = _generate_with(project, NODES, EDGES)
    nodes = NODES[:5] + ["Payload"] + NODES[5:]
    after = _generate_with(project, nodes, EDGES + [["XGBoostTraining", "Payload"]])
    old, new = _methods(before), _methods(after)
    unchanged = [m for m in old if m[0] not in ("generate_pipeline", "step_names")]
    assert [m for m in new if m[0] != "build_payload" and m in unchanged] == unchanged
    assert [name for name, _ in new].index("build_payload") == [
        name for name, _ in old
    ].index(
        "build_xgboost_model_eval_calibration"
    )  # declared after XGBoostTraining
    diff = list(
        difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
    )
    removed = [
        line for line in diff if line.startswith("-") and not line.startswith("---")
    ]
    added = [
        line for line in diff if line.startswith("+") and not line.startswith("+++")
    ]
    payload_method = dict(new)["build_payload"]
    banner = (
        "    # ----",
        "    # Payload",
        "    #    DAG node: Payload",
        "    #    configuration: Payload",
    )
    outside = [
        line
        for line in added
        if line[1:].strip()
        and line[1:].strip() not in payload_method
        and not line[1:].startswith(banner)
    ]
    assert removed == []
    # at most the docstring's two lines, generate_pipeline's two and step_names' one
    assert 4 <= len(outside) <= 5, outside


# --- the execution document -------------------------------------------------------------------


@pytest.fixture(scope="module")
def atoz(tmp_path_factory):
    from test_mods_atoz import make_atoz_project

    root = make_atoz_project(tmp_path_factory.mktemp("atoz_doc"))
    code, _, err = run_cli(
        ["dag.json", "config.json", "-o", "pipeline_gen.py"], cwd=root
    )
    assert code == 0, err
    from test_mods_atoz import CONFIGS

    document = json.loads((CONFIGS / "execute_doc.json").read_text())
    for entry in document["PIPELINE_STEP_CONFIGS"].values():
        entry.pop("STEP_CONFIG", None)
    template = pipeline_class_of(
        import_module_from(root / "pipeline_gen.py", "atoz_doc")
    )
    return (
        template(sagemaker_session=object(), execution_role="arn:aws:iam::1:role/r"),
        document,
    )


def test_a_document_that_fits_fills_without_a_warning(atoz, caplog):
    template, document = atoz
    with caplog.at_level(logging.WARNING):
        template.fill_execution_document(copy.deepcopy(document))
    assert caplog.records == []


def test_steps_the_document_lacks_or_does_not_know_are_named(atoz, caplog):
    template, document = atoz
    document = copy.deepcopy(document)
    steps = document["PIPELINE_STEP_CONFIGS"]
    steps["CradleDataLoading-Train"] = steps.pop(
        "CradleDataLoading-Training"
    )  # misnamed
    with caplog.at_level(logging.WARNING):
        filled = template.fill_execution_document(document)
    message = caplog.records[0].getMessage()
    assert "no entry for CradleDataLoading-Training" in message
    assert "pipeline lacks: CradleDataLoading-Train" in message
    assert (
        "STEP_CONFIG"
        in filled["PIPELINE_STEP_CONFIGS"]["CradleDataLoading-Calibration"]
    )
    with pytest.raises(ValueError, match="no entry for CradleDataLoading-Training"):
        template.fill_execution_document(copy.deepcopy(document), strict=True)
