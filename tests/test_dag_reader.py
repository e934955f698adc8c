"""The DAG reader: dag.json, a .py read statically, --exec-dag, and cursus strict semantics."""

import json
import sys
import textwrap
from pathlib import Path

import pytest

from cursus_codegen.diagnostics import Level, Location
from cursus_codegen.inputs.dag import read_dag
from cursus_codegen.inputs.declarations import Dag, DagEdge, DagNode

DATA = Path(__file__).parent / "data" / "dags"
# cursus's own answers, recorded by bench/compare_with_cursus.py (rerun it when cursus changes).
REFERENCE = Path(__file__).parent / "data" / "cursus_reference"
EXEC_HINT = "cannot be read statically; pass --exec-dag to execute the file instead"

ATOZ_NODES = (
    "CradleDataLoading_training",
    "TabularPreprocessing_training",
    "XGBoostTraining",
    "ModelCalibration_calibration",
    "Package",
    "Registration",
    "Payload",
    "CradleDataLoading_calibration",
    "TabularPreprocessing_calibration",
    "XGBoostModelEval_calibration",
)
ATOZ_EDGES = (
    ("CradleDataLoading_training", "TabularPreprocessing_training"),
    ("TabularPreprocessing_training", "XGBoostTraining"),
    ("CradleDataLoading_calibration", "TabularPreprocessing_calibration"),
    ("XGBoostTraining", "XGBoostModelEval_calibration"),
    ("TabularPreprocessing_calibration", "XGBoostModelEval_calibration"),
    ("XGBoostModelEval_calibration", "ModelCalibration_calibration"),
    ("ModelCalibration_calibration", "Package"),
    ("XGBoostTraining", "Package"),
    ("XGBoostTraining", "Payload"),
    ("Package", "Registration"),
    ("Payload", "Registration"),
)
# Kahn as cursus runs it: both loaders first (node order), successors in edge order.
ATOZ_BUILD_ORDER = (
    "CradleDataLoading_training",
    "CradleDataLoading_calibration",
    "TabularPreprocessing_training",
    "TabularPreprocessing_calibration",
    "XGBoostTraining",
    "XGBoostModelEval_calibration",
    "Payload",
    "ModelCalibration_calibration",
    "Package",
    "Registration",
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


def write_json(tmp_path: Path, document: object, name: str = "dag.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, indent=2))
    return path


def read(path: Path, **kwargs):
    return read_dag(path, path.name, **kwargs)


def errors(diags):
    return [d for d in diags if d.level is Level.ERROR]


def edges_of(dag: Dag):
    return tuple((e.src, e.dst) for e in dag.edges)


def only_error(diags):
    found = errors(diags)
    assert len(found) == 1, [d.format() for d in diags]
    return found[0]


# --- Dag value type -------------------------------------------------------------------------


def make_dag(names, pairs) -> Dag:
    where = Location("x")
    return Dag(
        tuple(DagNode(n, where) for n in names),
        tuple(DagEdge(s, d, where) for s, d in pairs),
    )


def test_build_order_seeds_fifo_in_node_order_not_alphabetically():
    dag = make_dag(["Z", "A", "M"], [("Z", "M")])
    assert dag.build_order() == ("Z", "A", "M")


def test_build_order_visits_successors_in_edge_order():
    dag = make_dag(["S", "X", "Y"], [("S", "Y"), ("S", "X")])
    assert dag.build_order() == ("S", "Y", "X")


def test_predecessors_follow_edge_order():
    dag = make_dag(["A", "B", "C"], [("B", "C"), ("A", "C")])
    assert dag.predecessors("C") == ("B", "A")
    assert dag.predecessors("A") == ()


# --- dag.json -------------------------------------------------------------------------------


def small_document(**dag_overrides):
    dag = {
        "nodes": ["Load", "Prep", "Train"],
        "edges": [["Load", "Prep"], ["Prep", "Train"]],
    }
    dag.update(dag_overrides)
    return {"version": "1.0.0", "dag": dag, "metadata": {"anything": [1, 2]}}


def test_json_happy_path_with_locations(tmp_path):
    dag, diags = read(write_json(tmp_path, small_document()))
    assert diags == []
    assert dag.node_names() == ("Load", "Prep", "Train")
    assert edges_of(dag) == (("Load", "Prep"), ("Prep", "Train"))
    assert dag.build_order() == ("Load", "Prep", "Train")
    second_edge = dag.edges[1].location
    assert second_edge.pointer == "/dag/edges/1"
    text_lines = (tmp_path / "dag.json").read_text().splitlines()
    assert text_lines[second_edge.line - 1][second_edge.col - 1] == "["
    node = dag.nodes[2].location
    assert node.pointer == "/dag/nodes/2"
    assert text_lines[node.line - 1][node.col - 1 :].startswith('"Train"')


def recorded(name: str) -> dict:
    return json.loads((REFERENCE / name).read_text())


def test_json_catalog_dag(tmp_path):
    """The corpus's xgboost/complete_e2e DAG, as recorded with cursus's answers."""
    reference = recorded("corpus_dag_order.json")["dags"][
        "dags/xgboost/complete_e2e.dag.json"
    ]
    document = {"dag": {"nodes": reference["nodes"], "edges": reference["edges"]}}
    dag, diags = read(write_json(tmp_path, document))
    assert diags == []
    assert set(dag.node_names()) == set(ATOZ_NODES)
    assert set(edges_of(dag)) == set(ATOZ_EDGES)
    assert dag.predecessors("Registration") == ("Package", "Payload")
    assert len(dag.build_order()) == 10


@pytest.mark.parametrize("version", ["1.0.0", "1", 1, 1.5])
def test_json_major_version_one_is_read(tmp_path, version):
    document = small_document()
    document["version"] = version
    dag, diags = read(write_json(tmp_path, document))
    assert dag is not None and diags == []


def test_json_other_major_version_is_an_error(tmp_path):
    document = small_document()
    document["version"] = "2.0.0"
    dag, diags = read(write_json(tmp_path, document))
    assert dag is None
    problem = only_error(diags)
    assert "version" in problem.message and "'2.0.0'" in problem.message
    assert problem.location.pointer == "/version"


def test_json_version_is_optional(tmp_path):
    document = small_document()
    del document["version"]
    dag, _diags = read(write_json(tmp_path, document))
    assert dag.node_names() == ("Load", "Prep", "Train")


def test_malformed_json_reports_line_and_column(tmp_path):
    path = tmp_path / "dag.json"
    path.write_text('{\n  "dag": {\n    "nodes": ["A",]\n  }\n}\n')
    dag, diags = read(path)
    assert dag is None
    problem = only_error(diags)
    assert problem.message.startswith("malformed JSON")
    assert (problem.location.line, problem.location.col) == (3, 19)
    assert "dag.json:3:19" in problem.format()


def test_non_utf8_json_is_a_clear_error(tmp_path):
    path = tmp_path / "dag.json"
    path.write_bytes(b'{"dag": {"nodes": ["Caf\xe9"], "edges": []}}')
    dag, diags = read(path)
    assert dag is None
    assert "not UTF-8" in only_error(diags).message


def test_missing_file_is_an_error(tmp_path):
    dag, diags = read(tmp_path / "absent.json")
    assert dag is None and "cannot read" in only_error(diags).message


@pytest.mark.parametrize(
    "document, pointer",
    [
        ({"nodes": []}, None),
        (["A", "B"], None),
        ({"dag": []}, "/dag"),
        ({"dag": {"edges": []}}, "/dag"),
        ({"dag": {"nodes": "A", "edges": []}}, "/dag/nodes"),
        ({"dag": {"nodes": ["A", "B"], "edges": [["A", "B", "C"]]}}, "/dag/edges/0"),
        ({"dag": {"nodes": ["A", "B"], "edges": [{"A": "B"}]}}, "/dag/edges/0"),
        ({"dag": {"nodes": ["A", 3], "edges": []}}, "/dag/nodes/1"),
        ({"dag": {"nodes": ["A", ""], "edges": []}}, "/dag/nodes/1"),
    ],
)
def test_json_shape_errors_point_at_the_value(tmp_path, document, pointer):
    dag, diags = read(write_json(tmp_path, document))
    assert dag is None
    assert only_error(diags).location.pointer == pointer


def test_edge_to_undeclared_node_is_an_error_at_the_edge(tmp_path):
    document = small_document(edges=[["Load", "Prep"], ["Prep", "Trian"]])
    dag, diags = read(write_json(tmp_path, document))
    assert dag is None
    problem = only_error(diags)
    assert problem.message == "edge Prep -> Trian: 'Trian' is not a declared node"
    assert problem.location.pointer == "/dag/edges/1"
    assert problem.location.line is not None


def test_duplicate_edge_is_dropped_with_a_warning(tmp_path):
    document = small_document(
        edges=[["Load", "Prep"], ["Prep", "Train"], ["Load", "Prep"]]
    )
    dag, diags = read(write_json(tmp_path, document))
    assert edges_of(dag) == (("Load", "Prep"), ("Prep", "Train"))
    assert [d.level for d in diags] == [Level.WARNING]
    assert "duplicate edge Load -> Prep" in diags[0].message
    assert diags[0].location.pointer == "/dag/edges/2"


def test_duplicate_node_is_an_error(tmp_path):
    dag, diags = read(
        write_json(tmp_path, small_document(nodes=["Load", "Prep", "Train", "Prep"]))
    )
    assert dag is None
    problem = only_error(diags)
    assert "'Prep' is declared twice" in problem.message
    assert problem.location.pointer == "/dag/nodes/3"


def test_self_loop_is_an_error(tmp_path):
    document = small_document(edges=[["Load", "Prep"], ["Train", "Train"]])
    dag, diags = read(write_json(tmp_path, document))
    assert dag is None
    problem = only_error(diags)
    assert "edge Train -> Train" in problem.message and "self-loop" in problem.message


def test_cycle_is_named_in_order_from_its_first_declared_node(tmp_path):
    document = {
        "dag": {
            "nodes": ["Start", "C", "A", "B", "End"],
            "edges": [["Start", "A"], ["A", "B"], ["B", "C"], ["C", "A"], ["C", "End"]],
        }
    }
    dag, diags = read(write_json(tmp_path, document))
    assert dag is None
    problem = only_error(diags)
    assert problem.message == "cycle: C -> A -> B -> C"
    assert (
        problem.location.pointer == "/dag/edges/2"
    )  # B -> C closes the cycle as named


def test_two_cycles_are_both_reported(tmp_path):
    document = {
        "dag": {
            "nodes": ["A", "B", "X", "Y"],
            "edges": [["A", "B"], ["B", "A"], ["X", "Y"], ["Y", "X"]],
        }
    }
    _dag, diags = read(write_json(tmp_path, document))
    assert sorted(d.message for d in errors(diags)) == [
        "cycle: A -> B -> A",
        "cycle: X -> Y -> X",
    ]


def test_empty_dag_is_an_error(tmp_path):
    dag, diags = read(write_json(tmp_path, {"dag": {"nodes": [], "edges": []}}))
    assert dag is None and "empty" in only_error(diags).message


def test_unknown_suffix_is_an_error(tmp_path):
    dag, diags = read(write(tmp_path, "dag.yaml", "nodes: []\n"))
    assert dag is None and "unsupported" in only_error(diags).message


# --- .py read statically --------------------------------------------------------------------

HEADER = """
from cursus.api.dag.base_dag import PipelineDAG
from mods.mods_template import MODSTemplate
"""


def read_py(tmp_path, body: str, **kwargs):
    path = write(tmp_path, "pipeline.py", HEADER + textwrap.dedent(body))
    return read(path, **kwargs)


def test_atoz_style_fixture_reads_statically():
    dag, diags = read(DATA / "atoz_style_pipeline.py")
    assert diags == []
    assert dag.node_names() == ATOZ_NODES
    assert edges_of(dag) == ATOZ_EDGES
    assert dag.build_order() == ATOZ_BUILD_ORDER
    source = (DATA / "atoz_style_pipeline.py").read_text().splitlines()
    first_edge = dag.edges[0].location
    assert source[first_edge.line - 1][first_edge.col - 1 :].startswith(
        'dag.add_edge("CradleDataLoading_training"'
    )


def test_atoz_style_fixture_reads_as_cursus_builds_the_real_pipeline_dag():
    """cursus's PipelineDAG of projects/atoz_xgboost/atoz_xgboost_pipeline.py, as recorded (the
    bench script also reads that real file statically and compares)."""
    reference = recorded("atoz_xgboost_dag.json")
    assert (ATOZ_NODES, ATOZ_EDGES, ATOZ_BUILD_ORDER) == (
        tuple(reference["nodes"]),
        tuple(map(tuple, reference["edges"])),
        tuple(reference["topological_sort"]),
    )
    dag, diags = read(DATA / "atoz_style_pipeline.py")
    assert diags == []
    assert {n: list(dag.predecessors(n)) for n in dag.node_names()} == reference[
        "dependencies"
    ]


def test_module_level_calls(tmp_path):
    dag, diags = read_py(
        tmp_path,
        """
        dag = PipelineDAG()
        dag.add_node("A"); dag.add_node(node="B")
        dag.add_edge("A", dst="B")
    """,
    )
    assert diags == []
    assert dag.node_names() == ("A", "B") and edges_of(dag) == (("A", "B"),)
    assert (dag.nodes[0].location.line, dag.nodes[0].location.col) == (5, 1)
    assert (dag.nodes[1].location.line, dag.nodes[1].location.col) == (5, 20)


def test_constructor_with_keywords_inside_a_function(tmp_path):
    dag, diags = read_py(
        tmp_path,
        """
        def create_dag() -> PipelineDAG:
            dag = PipelineDAG(
                nodes=["A", "B", "C"],
                edges=[("A", "B"), ["B", "C"]],
                strict=True,
            )
            dag.add_node("D")
            dag.add_edge("C", "D")
            return dag
    """,
    )
    assert diags == []
    assert dag.node_names() == ("A", "B", "C", "D")
    assert edges_of(dag) == (("A", "B"), ("B", "C"), ("C", "D"))
    assert (dag.nodes[1].location.line, dag.nodes[1].location.col) == (6, 21)


def test_positional_constructor_returned_directly(tmp_path):
    dag, diags = read_py(
        tmp_path,
        """
        def build_dag():
            return PipelineDAG(("A", "B"), [("A", "B")])
    """,
    )
    assert diags == []
    assert dag.node_names() == ("A", "B") and edges_of(dag) == (("A", "B"),)


def test_for_loops_over_literals(tmp_path):
    dag, diags = read_py(
        tmp_path,
        """
        def create_dag():
            dag: PipelineDAG = PipelineDAG()
            for name in ["A", "B", "C", "D", "E"]:
                dag.add_node(name)
            for src, dst in [("A", "B"), ("B", "C")]:
                dag.add_edge(src, dst)
            for edge in (("C", "D"),):
                dag.add_edge(*edge)
            for edge in [["D", "E"]]:
                dag.add_edge(edge[0], edge[1])
            return dag
    """,
    )
    assert diags == []
    assert dag.node_names() == ("A", "B", "C", "D", "E")
    assert edges_of(dag) == (("A", "B"), ("B", "C"), ("C", "D"), ("D", "E"))
    assert dag.nodes[2].location.line == 6  # the literal in the loop's list


def test_nested_literal_loops(tmp_path):
    dag, diags = read_py(
        tmp_path,
        """
        dag = PipelineDAG()
        for group in [("A", "B"), ("C",)]:
            for name in group:
                dag.add_node(name)
    """,
    )
    assert diags == []
    assert dag.node_names() == ("A", "B", "C")


def test_read_only_uses_of_the_dag_are_fine(tmp_path):
    dag, diags = read_py(
        tmp_path,
        """
        import logging
        logger = logging.getLogger(__name__)

        def create_dag():
            dag = PipelineDAG()
            dag.add_node("A")
            logger.info(f"{len(dag.nodes)} nodes, {len(dag.edges)} edges")
            print(dag)
            order = dag.topological_sort()
            return dag
    """,
    )
    assert diags == [] and dag.node_names() == ("A",)


def test_edge_before_its_node_is_declared_is_an_error(tmp_path):
    dag, diags = read_py(
        tmp_path,
        """
        dag = PipelineDAG()
        dag.add_node("A")
        dag.add_edge("A", "B")
        dag.add_node("B")
    """,
    )
    assert dag is None
    problem = only_error(diags)
    assert "edge A -> B: 'B' is not a declared node yet" in problem.message
    assert problem.location.line == 6


def test_two_dags_need_dag_function(tmp_path):
    body = """
        def create_training_dag():
            dag = PipelineDAG()
            dag.add_node("Train")
            return dag

        def create_inference_dag():
            dag = PipelineDAG(nodes=["Infer"])
            return dag
    """
    dag, diags = read_py(tmp_path, body)
    assert dag is None
    message = only_error(diags).message
    assert (
        "create_training_dag (line 5)" in message
        and "create_inference_dag (line 10)" in message
    )
    assert "--dag-function" in message
    dag, diags = read_py(tmp_path, body, dag_function="create_inference_dag")
    assert diags == [] and dag.node_names() == ("Infer",)
    dag, diags = read_py(tmp_path, body, dag_function="nope")
    assert dag is None and "create_training_dag (line 5)" in only_error(diags).message


def test_module_level_dag_picked_with_module_marker(tmp_path):
    body = """
        dag = PipelineDAG(nodes=["Top"])

        def create_other_dag():
            return PipelineDAG(nodes=["Inner"])
    """
    dag, diags = read_py(tmp_path, body, dag_function="<module>")
    assert diags == [] and dag.node_names() == ("Top",)


def test_no_dag_points_to_exec_dag(tmp_path):
    dag, diags = read_py(
        tmp_path,
        """
        from cursus.api.dag.dag_io import import_dag_from_json
        dag = import_dag_from_json("dag.json")
    """,
    )
    assert dag is None
    message = only_error(diags).message
    assert (
        "no PipelineDAG construction was found" in message and "--exec-dag" in message
    )


@pytest.mark.parametrize(
    "body, line, col, construct",
    [
        (
            '\ndag = PipelineDAG()\nname = "A"\ndag.add_node(name)\n',
            6,
            14,
            "`dag.add_node(name)`",
        ),
        (
            '\nNODES = ["A"]\ndag = PipelineDAG(nodes=NODES)\n',
            5,
            25,
            "`PipelineDAG(nodes=NODES)`",
        ),
        (
            '\ndag = PipelineDAG(nodes=[n for n in "AB"])\n',
            4,
            25,
            '`PipelineDAG(nodes=[n for n in "AB"])`',
        ),
        (
            "\ndag = PipelineDAG()\nfor n in NODES:\n    dag.add_node(n)\n",
            5,
            10,
            "`for n in NODES: ...`",
        ),
        (
            '\ndag = PipelineDAG()\npairs = [("A", "B")]\ndag.add_edge(*pairs[0])\n',
            6,
            15,
            "`dag.add_edge(*pairs[0])`",
        ),
        (
            '\ndag = PipelineDAG()\nif True:\n    dag.add_node("A")\n',
            6,
            5,
            '`dag.add_node("A")`',
        ),
        (
            '\ndag = PipelineDAG()\ndag.remove_node("A")\n',
            5,
            1,
            '`dag.remove_node("A")`',
        ),
        (
            '\ndag = PipelineDAG()\ndag.nodes.append("A")\n',
            5,
            1,
            '`dag.nodes.append("A")`',
        ),
        (
            "\ndag = PipelineDAG()\nadd_common_steps(dag)\n",
            5,
            18,
            "`add_common_steps(dag)`",
        ),
        (
            '\ndag = PipelineDAG()\ndag.add_node(f"{x}_training")\n',
            5,
            14,
            '`dag.add_node(f"{x}_training")`',
        ),
        ("\ndag = PipelineDAG()\ndag = load_other_dag()\n", 5, 1, "`dag`"),
        ("\nself.dag = PipelineDAG()\n", 4, 12, "`PipelineDAG()`"),
    ],
)
def test_dynamic_constructs_are_errors_pointing_to_exec_dag(
    tmp_path, body, line, col, construct
):
    dag, diags = read_py(tmp_path, body)
    assert dag is None
    problem = only_error(diags)
    assert problem.message.startswith(construct), problem.message
    assert EXEC_HINT in problem.message
    assert (problem.location.line, problem.location.col) == (line, col)


def test_other_candidate_problems_do_not_matter_once_one_is_picked(tmp_path):
    body = """
        def create_dynamic_dag(names):
            dag = PipelineDAG()
            for n in names:
                dag.add_node(n)
            return dag

        def create_static_dag():
            return PipelineDAG(nodes=["A"])
    """
    dag, diags = read_py(tmp_path, body, dag_function="create_static_dag")
    assert diags == [] and dag.node_names() == ("A",)


def test_syntax_error_has_line_and_column(tmp_path):
    dag, diags = read_py(
        tmp_path,
        """
        def create_dag(:
            pass
    """,
    )
    assert dag is None
    problem = only_error(diags)
    assert problem.message.startswith("syntax error")
    assert (problem.location.line, problem.location.col) == (4, 16)
    assert "Traceback" not in problem.message


def test_semantic_errors_point_into_the_py(tmp_path):
    dag, diags = read_py(
        tmp_path,
        """
        dag = PipelineDAG(nodes=["A", "B"])
        dag.add_edge("A", "B")
        dag.add_edge("B", "A")
    """,
    )
    assert dag is None
    problem = only_error(diags)
    assert problem.message == "cycle: A -> B -> A"
    assert problem.location.line == 6


def test_import_alias_of_pipeline_dag_is_recognised(tmp_path):
    path = write(
        tmp_path,
        "aliased.py",
        """
        from cursus.api.dag.base_dag import PipelineDAG as DAG

        def make_dag():
            dag = DAG(nodes=["A"])
            return dag
    """,
    )
    dag, diags = read(path)
    assert diags == [] and dag.node_names() == ("A",)


def test_nested_function_changing_the_dag_is_an_error(tmp_path):
    dag, diags = read_py(
        tmp_path,
        """
        dag = PipelineDAG(nodes=["A"])

        def extend():
            dag.add_node("B")
    """,
    )
    assert dag is None
    problem = only_error(diags)
    assert (
        problem.message.startswith('`dag.add_node("B")`')
        and EXEC_HINT in problem.message
    )
    assert problem.location.line == 7


# --- --exec-dag -----------------------------------------------------------------------------

DYNAMIC = """
from cursus.api.dag.base_dag import PipelineDAG
from cursus.api import PipelineDAG as SameDAG

STEPS = ["Load", "Prep", "Train"]


def create_dynamic_dag() -> PipelineDAG:
    dag = PipelineDAG()
    for step in STEPS:
        dag.add_node(step)
    for src, dst in zip(STEPS, STEPS[1:]):
        dag.add_edge(src, dst)
    print("built", len(dag.nodes))
    return dag
"""


def test_exec_dag_runs_what_static_reading_refuses(tmp_path, capsys):
    path = write(tmp_path, "dynamic.py", DYNAMIC)
    dag, diags = read(path)
    assert dag is None and [d.location.line for d in errors(diags)] == [9, 11]
    assert all(EXEC_HINT in d.message for d in diags)
    path_before, modules_before = list(sys.path), set(sys.modules)
    dag, diags = read(path, exec_dag=True)
    assert diags == []
    assert dag.node_names() == ("Load", "Prep", "Train")
    assert edges_of(dag) == (("Load", "Prep"), ("Prep", "Train"))
    assert [n.location.line for n in dag.nodes] == [10, 10, 10]
    assert dag.edges[0].location == Location("dynamic.py", 12)
    assert sys.path == path_before
    assert not any(
        name == "cursus" or name.startswith("cursus.") for name in sys.modules
    )
    assert set(sys.modules) - modules_before == set()
    assert (
        "built 3" not in capsys.readouterr().out
    )  # the file's prints do not mix with our output


def test_exec_dag_uses_a_module_level_instance(tmp_path):
    path = write(
        tmp_path,
        "module_level.py",
        """
        from cursus.api.dag.base_dag import PipelineDAG

        dag = PipelineDAG(nodes=["A", "B"], edges=[("A", "B")])
        dag.add_node("C")
    """,
    )
    dag, diags = read(path, exec_dag=True)
    assert diags == []
    assert dag.node_names() == ("A", "B", "C")
    assert [n.location.line for n in dag.nodes] == [3, 3, 4]


def test_exec_dag_function_choice(tmp_path):
    path = write(
        tmp_path,
        "two.py",
        """
        from cursus.api.dag.base_dag import PipelineDAG

        def training_dag():
            return PipelineDAG(nodes=["Train"])

        def inference_dag():
            return PipelineDAG(nodes=["Infer"])
    """,
    )
    dag, diags = read(path, exec_dag=True)
    assert dag is None
    message = only_error(diags).message
    assert "training_dag (line 3)" in message and "inference_dag (line 6)" in message
    dag, diags = read(path, exec_dag=True, dag_function="inference_dag")
    assert diags == [] and dag.node_names() == ("Infer",)


def test_exec_dag_reports_the_users_exception_at_its_line(tmp_path):
    path = write(
        tmp_path,
        "raising.py",
        """
        from cursus.api.dag.base_dag import PipelineDAG

        def check(name):
            raise ValueError(f"unknown step {name}")

        def create_dag():
            dag = PipelineDAG()
            check("Nope")
            return dag
    """,
    )
    dag, diags = read(path, exec_dag=True)
    assert dag is None
    problem = only_error(diags)
    assert (
        problem.message == "executing the DAG file raised ValueError: unknown step Nope"
    )
    assert problem.location == Location("raising.py", 4)
    assert "Traceback" not in problem.format()


def test_exec_dag_names_a_missing_module(tmp_path):
    path = write(
        tmp_path,
        "needs_mods.py",
        """
        from cursus.api.dag.base_dag import PipelineDAG
        from mods_workflow_core.utils.constants import VPC_SUBNET
    """,
    )
    dag, diags = read(path, exec_dag=True)
    assert dag is None
    problem = only_error(diags)
    assert (
        "'mods_workflow_core'" in problem.message and "not installed" in problem.message
    )
    assert problem.location.line == 2


def test_exec_dag_imports_siblings_and_forgets_them(tmp_path):
    write(tmp_path, "step_names.py", 'STEPS = ["A", "B"]\n')
    path = write(
        tmp_path,
        "uses_sibling.py",
        """
        from cursus.api.dag.base_dag import PipelineDAG
        from step_names import STEPS

        def build_dag():
            return PipelineDAG(nodes=list(STEPS), edges=[tuple(STEPS)])
    """,
    )
    dag, diags = read(path, exec_dag=True)
    assert diags == [] and edges_of(dag) == (("A", "B"),)
    assert "step_names" not in sys.modules


def test_exec_dag_applies_strict_semantics(tmp_path):
    path = write(
        tmp_path,
        "lenient.py",
        """
        from cursus.api.dag.base_dag import PipelineDAG

        def build_dag():
            dag = PipelineDAG()
            dag.add_node("A")
            dag.add_edge("A", "B")
            return dag
    """,
    )
    dag, diags = read(path, exec_dag=True)
    assert dag is None
    problem = only_error(diags)
    assert problem.message == "edge A -> B: 'B' is not a declared node"
    assert problem.location.line == 6


def test_exec_dag_syntax_error(tmp_path):
    path = write(tmp_path, "broken.py", "x = (1,\n")
    dag, diags = read(path, exec_dag=True)
    assert dag is None
    problem = only_error(diags)
    assert problem.message.startswith("syntax error") and problem.location.line == 1


def test_exec_dag_uses_an_importable_cursus(tmp_path):
    """With a cursus on the path, it is used as is (here a tiny one next to the DAG file)."""
    package = tmp_path / "cursus" / "api" / "dag"
    package.mkdir(parents=True)
    for folder in (tmp_path / "cursus", tmp_path / "cursus" / "api", package):
        (folder / "__init__.py").write_text("")
    (package / "base_dag.py").write_text(textwrap.dedent("""
        class PipelineDAG:
            def __init__(self):
                self.nodes, self.edges, self._declared_nodes = [], [], set()

            def add_node(self, node):
                self.nodes.append(node)
                self._declared_nodes.add(node)

            def add_edge(self, src, dst):
                self.nodes += [n for n in (src, dst) if n not in self.nodes]
                self.edges.append((src, dst))
    """))
    path = write(
        tmp_path,
        "real.py",
        """
        from cursus.api.dag.base_dag import PipelineDAG

        def build_dag():
            dag = PipelineDAG()
            dag.add_node("A")
            dag.add_node("B")
            dag.add_edge("A", "B")
            dag.add_edge("B", "Typo")
            return dag
    """,
    )
    dag, diags = read(path, exec_dag=True)
    assert dag is None
    assert only_error(diags).message == "edge B -> Typo: 'Typo' is not a declared node"
    assert "cursus.api.dag.base_dag" not in sys.modules


# --- against cursus's recorded answers ------------------------------------------------------


def test_build_order_matches_cursus_topological_sort(tmp_path):
    """Every corpus DAG: build order and predecessors as cursus's PipelineDAG gave them."""
    dags = recorded("corpus_dag_order.json")["dags"]
    assert len(dags) >= 40
    for name, reference in dags.items():
        document = {"dag": {"nodes": reference["nodes"], "edges": reference["edges"]}}
        dag, diags = read(write_json(tmp_path, document))
        assert diags == [], name
        assert dag.build_order() == tuple(reference["topological_sort"]), name
        predecessors = {n: list(dag.predecessors(n)) for n in dag.node_names()}
        assert predecessors == reference["dependencies"], name


def test_exec_dag_stand_in_supports_topological_sort(tmp_path):
    path = write(
        tmp_path,
        "sorted.py",
        """
        from cursus.api.dag.base_dag import PipelineDAG

        def build_dag():
            dag = PipelineDAG(nodes=["B", "A"], edges=[("B", "A")])
            assert dag.topological_sort() == ["B", "A"]
            assert dag.get_dependencies("A") == ["B"]
            return dag
    """,
    )
    dag, diags = read(path, exec_dag=True)
    assert diags == [] and dag.build_order() == ("B", "A")
