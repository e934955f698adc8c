"""`cursus-codegen explain` (issue 5 §2): node -> configuration -> step type -> step name, every
wire with how it matched, weak wires flagged; table, JSON, and a Mermaid flowchart checked
both structurally against the DAG and by the real Mermaid parser (mermaidx, offline)."""

import json
import re
import shutil

import pytest
from conftest import REPO, run_cli

ALL_KINDS = REPO / "tests" / "data" / "all_kinds"
XGBOOST = REPO / "generated_examples" / "xgboost_e2e"
CUSTOM = REPO / "tests" / "data" / "custom_step"

NODE_LINE = re.compile(r'^    (?P<id>\S+)\["(?P<label>[^"]*)"\]$')
EDGE_LINE = re.compile(
    r'^    (?P<src>\S+) (?P<arrow>-->|-\.->)(?:\|"(?P<label>[^"]*)"\|)? (?P<dst>\S+)$'
)
MERMAID_KEYWORDS = {
    "end",
    "graph",
    "flowchart",
    "subgraph",
    "style",
    "class",
    "classDef",
    "click",
    "linkStyle",
    "direction",
    "default",
}


def _explain(folder, fmt, *extra):
    code, out, err = run_cli(
        ["explain", "dag.json", "cfg.json", "--format", fmt, *extra], cwd=folder
    )
    assert code == 0, err
    return out


def _dag(folder):
    dag = json.loads((folder / "dag.json").read_text())["dag"]
    return dag["nodes"], [tuple(e) for e in dag["edges"]]


def parse_mermaid(text):
    """(nodes {id: label}, edges [(src, arrow, label, dst)]); every line must be one of the two."""
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    nodes, edges = {}, []
    for line in lines[1:]:
        node, edge = NODE_LINE.match(line), EDGE_LINE.match(line)
        assert node or edge, f"not a node or an edge: {line!r}"
        if node:
            assert node["id"] not in nodes
            nodes[node["id"]] = node["label"]
        else:
            edges.append((edge["src"], edge["arrow"], edge["label"], edge["dst"]))
    return nodes, edges


@pytest.fixture(scope="module")
def all_kinds_json():
    return json.loads(_explain(ALL_KINDS, "json"))


def test_json_lists_every_node_with_configuration_type_and_step_name(all_kinds_json):
    nodes, edges = _dag(ALL_KINDS)
    steps = all_kinds_json["steps"]
    assert sorted(s["node"] for s in steps) == sorted(nodes)
    assert [s["index"] for s in steps] == list(range(1, len(nodes) + 1))
    by_node = {s["node"]: s for s in steps}
    assert (
        by_node["BatchTransform_calibration"]["step_name"]
        == "BatchTransform-Calibration"
    )
    assert by_node["BatchTransform_calibration"]["step_type"] == "BatchTransform"
    assert by_node["XGBoostModel"]["configuration"] == "XGBoostModel"
    upstream = sorted((p, s["node"]) for s in steps for p in s["upstream"])
    assert upstream == sorted(edges)
    position = {s["node"]: s["index"] for s in steps}
    assert all(
        position[a] < position[b] for a, b in edges
    )  # build order respects the DAG


def test_json_wires_name_producer_output_match_and_score(all_kinds_json):
    _, edges = _dag(ALL_KINDS)
    wires = all_kinds_json["wires"]
    rtm = [w for w in wires if w["consumer"] == "RiskTableMapping_calibration"]
    assert {
        "input": "model_artifacts_input",
        "producer": "RiskTableMapping_training",
        "output": "model_artifacts_output",
    }.items() <= next(w for w in rtm if w["input"] == "model_artifacts_input").items()
    for wire in wires:
        if wire["producer"] is None:
            assert wire["match"] == "configuration" and wire["score"] is None
        else:
            assert (
                wire["producer"],
                wire["consumer"],
            ) in edges  # only direct predecessors
            assert (
                wire["match"] in ("name", "alias", "score")
                and 0.5 < wire["score"] <= 1.0
            )
        assert wire["weak"] == (wire["caveat"] is not None)


def test_weak_wires_match_the_modules_docstring_marks(tmp_path):
    shutil.copytree(XGBOOST, tmp_path / "p")
    code, out, err = run_cli(
        ["explain", "dag.py", "cfg.json", "--format", "json"], cwd=tmp_path / "p"
    )
    assert code == 0, err
    weak = {(w["consumer"], w["input"]) for w in json.loads(out)["wires"] if w["weak"]}
    assert ("TabularPreprocessing_training", "DATA_SECONDARY") in weak
    assert (
        "XGBoostTraining",
        "model_artifacts_input",
    ) in weak  # the builder-level second pass
    docstring = (XGBOOST / "pipeline_gen.py").read_text().split('"""')[1]
    marked = [m[1] for m in re.finditer(r"^ +\(!\) (\S+) <- ", docstring, re.MULTILINE)]
    assert sorted(marked) == sorted(i for _, i in weak)


def test_table_shows_each_step_and_wire_and_flags_weak_ones(tmp_path):
    shutil.copytree(XGBOOST, tmp_path / "p")
    code, table, err = run_cli(["explain", "dag.py", "cfg.json"], cwd=tmp_path / "p")
    assert code == 0, err
    lines = table.splitlines()
    assert re.search(
        r"^  9\s+Package\s+Package\s+Package\s+Package$", table, re.MULTILINE
    )
    assert any(
        re.match(
            r"^  3\s+TabularPreprocessing_training\s+TabularPreprocessing_training\s+"
            r"TabularPreprocessing\s+TabularPreprocessing-Training$",
            line,
        )
        for line in lines
    )
    assert any(
        re.search(
            r"DATA_SECONDARY\s+<-\s+DummyDataLoading_training\.METADATA\s+match score\s+0\.843\s+\(!\)$",
            line,
        )
        for line in lines
    )
    assert any(
        re.search(
            r"input_path\s+<-\s+TabularPreprocessing_training\.processed_data\s+alias\s+0\.812$",
            line,
        )
        for line in lines
    )
    assert (
        "TabularPreprocessing-Training DATA_SECONDARY: cursus wires this optional input"
        in table
    )
    assert sum(line.rstrip().endswith("(!)") for line in lines) == 4


def test_mermaid_has_one_box_per_node_and_an_arrow_for_every_dag_edge():
    nodes, dag_edges = _dag(ALL_KINDS)
    boxes, arrows = parse_mermaid(_explain(ALL_KINDS, "mermaid"))
    assert len(boxes) == len(nodes)
    id_of = {}
    for box_id, label in boxes.items():
        assert re.fullmatch(r"[A-Za-z0-9_]+", box_id) and box_id not in MERMAID_KEYWORDS
        node = label.split("<br/>")[1].removeprefix("node ")
        id_of[node] = box_id
    assert sorted(id_of) == sorted(nodes)
    assert {(a, b) for a, _, _, b in arrows} == {
        (id_of[s], id_of[d]) for s, d in dag_edges
    }
    wires = json.loads(_explain(ALL_KINDS, "json"))["wires"]
    upstream_wires = [w for w in wires if w["producer"] is not None]
    labelled = [a for a in arrows if a[2] is not None]
    assert len(labelled) == len(upstream_wires)
    for (
        wire
    ) in upstream_wires:  # each wire is an arrow from its producer, dotted when weak
        arrow = "-.->" if wire["weak"] else "-->"
        assert any(
            src == id_of[wire["producer"]]
            and dst == id_of[wire["consumer"]]
            and kind == arrow
            and label.startswith(
                ("(!) " if wire["weak"] else "")
                + f"{wire['output']} → {wire['input']} "
            )
            for src, kind, label, dst in labelled
        ), wire


@pytest.fixture()
def hostile_project(tmp_path):
    """Node names a Mermaid label must survive: quotes, markup, pipes, '#', a keyword id."""
    folder = tmp_path / "hostile"
    shutil.copytree(CUSTOM, folder)
    first, second = 'Dummy "loader" <b>|end|</b> #1 `x` & é\nnext', "end"
    (folder / "dag.json").write_text(
        json.dumps({"dag": {"nodes": [first, second], "edges": [[first, second]]}})
    )
    config = json.loads((folder / "cfg.json").read_text())
    specific = config["configuration"]["specific"]
    specific[first] = specific.pop("DummyDataLoading_training")
    specific[second] = specific.pop("RowCounter_training")
    config["metadata"]["config_types"] = {
        first: "DummyDataLoadingConfig",
        second: "RowCounterConfig",
    }
    (folder / "cfg.json").write_text(json.dumps(config))
    return folder, first


def test_mermaid_ids_are_sanitised_and_labels_quoted_safely(hostile_project):
    folder, _first = hostile_project
    boxes, arrows = parse_mermaid(_explain(folder, "mermaid", "--steps", "team_steps"))
    assert all(
        re.fullmatch(r"[A-Za-z0-9_]+", i) and i not in MERMAID_KEYWORDS for i in boxes
    )
    label = boxes[next(i for i in boxes if i.startswith("n1_"))]
    assert (
        '"' not in label
        and "<b>" not in label
        and "|" not in label
        and "\n" not in label
    )
    assert (
        "#quot;loader#quot;" in label
        and "#lt;b#gt;" in label
        and "#124;end#124;" in label
    )
    assert "#35;1" in label and "#96;x#96;" in label and "#amp; é" in label
    assert len(arrows) == 1


def test_the_mermaid_parser_accepts_the_flowcharts(hostile_project):
    """mermaid-js itself (in mermaidx's embedded engine) must parse and lay out the output; a
    deliberately broken chart must be refused, so this check can fail."""
    import mermaidx  # in the test extra: this check never skips

    folder, _ = hostile_project
    for text in (
        _explain(ALL_KINDS, "mermaid"),
        _explain(folder, "mermaid", "--steps", "team_steps"),
    ):
        assert mermaidx.render(text).svg().lstrip().startswith("<svg")
    with pytest.raises(Exception, match="[Pp]arse error"):
        mermaidx.render('flowchart TD\n    a["x"] -->|"l| b\n').svg()


def test_explain_reports_bad_input_like_generation(tmp_path):
    shutil.copytree(CUSTOM, tmp_path / "p")
    code, out, err = run_cli(
        ["explain", "dag.json", "cfg.json"], cwd=tmp_path / "p"
    )  # no --steps
    assert code == 2 and out == ""
    assert "RowCounterConfig" in err and ": error: " in err


def test_unknown_format_is_a_usage_error(tmp_path):
    code, _, err = run_cli(
        ["explain", "dag.json", "cfg.json", "--format", "dot"], cwd=ALL_KINDS
    )
    assert code == 2 and "--format" in err


def test_module_docstring_lists_steps_in_build_order_with_their_wires(tmp_path):
    shutil.copytree(XGBOOST, tmp_path / "p")
    code, out, err = run_cli(
        ["explain", "dag.py", "cfg.json", "--format", "json"], cwd=tmp_path / "p"
    )
    assert code == 0, err
    explained = json.loads(out)
    docstring = (XGBOOST / "pipeline_gen.py").read_text().split('"""')[1]
    listed = re.findall(
        r"^  - (\S+) <- (\S+)$", docstring, re.MULTILINE
    )  # no running numbers
    assert listed == [(s["step_name"], s["node"]) for s in explained["steps"]]
    wired = re.findall(
        r"^       (?:\(!\) )?(\S+) <- ([^\s.]+)(?:\.(\S+))?", docstring, re.MULTILINE
    )
    expected = [
        (w["input"], w["producer"] or "configuration", w["output"] or "")
        for w in explained["wires"]
    ]
    assert wired == expected


def test_the_command_line_offers_every_explain_format():
    """cli/arguments.py keeps its own copy so that parsing imports nothing heavy; it must not
    drift."""
    from cursus_codegen.cli import arguments
    from cursus_codegen.output.explain import FORMATS

    assert arguments.EXPLAIN_FORMATS == FORMATS
