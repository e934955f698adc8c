"""The hostile-input corpus: one row per case, each with the one error it must produce and where.

Every case starts from a copy of the XGBoost example (a real, valid project) whose
`pipeline_gen.py` is replaced by a sentinel, then breaks exactly one thing: a file written
verbatim (`write`), an edit of the parsed configuration (`edit_cfg`), a text replacement in
`dag.py` (`edit_dag`, every occurrence), or a file removed (`remove`). `where` is the exact location printed
before `: error: `; `expect` are fragments the message must contain.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "generated_examples" / "xgboost_e2e"
SENTINEL = "# an existing module that must survive a failed run\n"
DEFAULT_ARGS = ("dag.py", "cfg.json", "-o", "pipeline_gen.py")
JSON_ARGS = ("dag.json", "cfg.json", "-o", "pipeline_gen.py")


@dataclass(frozen=True)
class Case:
    id: str
    where: str
    expect: tuple[str, ...]
    write: dict[str, str | bytes] = field(default_factory=dict)
    edit_cfg: Callable[[dict], None] | None = None
    edit_dag: tuple[str, str] | None = None
    remove: tuple[str, ...] = ()
    args: tuple[str, ...] = DEFAULT_ARGS
    setup: Callable[[Path], None] | None = (
        None  # anything else the case needs (links, FIFOs)
    )


def prepare(case: Case, tmp: Path) -> Path:
    """The broken project for `case`, in a fresh folder under `tmp`."""
    project = tmp / "project"
    shutil.copytree(EXAMPLE, project)
    (project / "pipeline_gen.py").write_text(SENTINEL)
    if case.edit_cfg is not None:
        data = json.loads((project / "cfg.json").read_text())
        case.edit_cfg(data)
        (project / "cfg.json").write_text(json.dumps(data, indent=2))
    if case.edit_dag is not None:
        old, new = case.edit_dag
        text = (project / "dag.py").read_text()
        assert old in text, f"{case.id}: {old!r} not in dag.py"
        (project / "dag.py").write_text(text.replace(old, new))
    for name, content in case.write.items():
        target = project / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    for name in case.remove:
        (project / name).unlink()
    if case.setup is not None:
        case.setup(project)
    return project


# --- helpers that build the inputs of a case -------------------------------------------------


def dag_json(nodes: list, edges: list, **extra) -> str:
    return json.dumps({**extra, "dag": {"nodes": nodes, "edges": edges}}, indent=2)


def _specific(data: dict) -> dict:
    return data["configuration"]["specific"]


def _set(path: tuple, value) -> Callable[[dict], None]:
    """An edit that sets data[path...] = value."""

    def edit(data: dict) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def _drop(*path) -> Callable[[dict], None]:
    def edit(data: dict) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return edit


def _both(*edits: Callable[[dict], None]) -> Callable[[dict], None]:
    def edit(data: dict) -> None:
        for one in edits:
            one(data)

    return edit


def _rename_class(key: str, class_name) -> Callable[[dict], None]:
    return _both(
        _set(("configuration", "specific", key, "__model_type__"), class_name),
        _set(("metadata", "config_types", key), class_name),
    )


def _package_field(value) -> Callable[[dict], None]:
    """Put `value` into a field of the Package configuration."""
    return _set(("configuration", "specific", "Package", "extra_field"), value)


NODES = [
    "DummyDataLoading_training",
    "TabularPreprocessing_training",
    "XGBoostTraining",
]
CHAIN = [[NODES[0], NODES[1]], [NODES[1], NODES[2]]]
DAG_FUNCTION = "def create_xgboost_e2e_dag() -> PipelineDAG:\n    dag = PipelineDAG()\n"
LOOP_END = "        dag.add_node(node)\n"
RETURN = "    return dag"


TRUNCATED = '{\n  "configuration": {\n    "shared": {\n      "author": "ml-pl'
CASES = [
    # --- the configuration file: JSON syntax ---------------------------------------------------
    Case("cfg-empty-file", "cfg.json:1:1", ("malformed JSON",), write={"cfg.json": ""}),
    Case(
        "cfg-truncated",
        "cfg.json:4:17",
        ("malformed JSON", "Unterminated string"),
        write={"cfg.json": TRUNCATED},
    ),
    Case(
        "cfg-truncated-after-value",
        "cfg.json:1:20",
        ("malformed JSON",),
        write={"cfg.json": '{"configuration": {'},
    ),
    Case(
        "cfg-trailing-comma",
        "cfg.json:1:38",
        ("malformed JSON",),
        write={"cfg.json": '{"configuration": {"shared": {"a": 1,}}}'},
    ),
    Case(
        "cfg-single-quotes",
        "cfg.json:1:2",
        ("malformed JSON",),
        write={"cfg.json": "{'configuration': {}}"},
    ),
    Case(
        "cfg-not-utf8",
        "cfg.json:3:30",
        ("UTF-8",),
        write={
            "cfg.json": b'{\n  "configuration": {\n    "shared": {"author": "caf\xe9"}}}'
        },
    ),
    Case(
        "cfg-deep-nesting",
        "cfg.json:1:1",
        ("too deep",),
        write={"cfg.json": "[" * 100_000 + "]" * 100_000},
    ),
    # --- the configuration file: shapes ----------------------------------------------------------
    Case(
        "cfg-top-level-array",
        "cfg.json:1:1",
        ("must hold a JSON object", "array"),
        write={"cfg.json": "[]"},
    ),
    Case(
        "cfg-top-level-string",
        "cfg.json:1:1",
        ("must hold a JSON object", "string"),
        write={"cfg.json": '"configuration"'},
    ),
    Case(
        "cfg-top-level-null",
        "cfg.json:1:1",
        ("must hold a JSON object",),
        write={"cfg.json": "null"},
    ),
    Case(
        "cfg-configuration-is-a-list",
        "cfg.json#/configuration:2:20",
        ("'configuration' must be an object", "array"),
        edit_cfg=_set(("configuration",), []),
    ),
    Case(
        "cfg-shared-is-a-string",
        "cfg.json#/configuration/shared:3:15",
        ("configuration.shared must be an object",),
        edit_cfg=_set(("configuration", "shared"), "x"),
    ),
    Case(
        "cfg-specific-is-a-number",
        "cfg.json#/configuration/specific:18:17",
        ("configuration.specific must be an object",),
        edit_cfg=_set(("configuration", "specific"), 3),
    ),
    Case(
        "cfg-no-metadata",
        "cfg.json:1:1",
        ("missing metadata.config_types",),
        edit_cfg=_drop("metadata"),
    ),
    Case(
        "cfg-metadata-is-a-list",
        "cfg.json#/metadata:152:15",
        ("'metadata' must be an object",),
        edit_cfg=_set(("metadata",), []),
    ),
    Case(
        "cfg-config-types-empty",
        "cfg.json#/metadata/config_types:153:21",
        ("metadata.config_types is empty",),
        edit_cfg=_set(("metadata", "config_types"), {}),
    ),
    Case(
        "cfg-config-types-a-list",
        "cfg.json#/metadata/config_types:153:21",
        ("metadata.config_types must be an object",),
        edit_cfg=_set(("metadata", "config_types"), []),
    ),
    # --- the configuration file: classes and __type_info__ --------------------------------------
    Case(
        "cfg-unknown-model-type",
        "cfg.json#/metadata/config_types/Payload:158:18",
        ("unknown configuration class 'PayloadConfigV9'",),
        edit_cfg=_rename_class("Payload", "PayloadConfigV9"),
    ),
    Case(
        "cfg-model-type-differs-from-metadata",
        "cfg.json#/configuration/specific/Payload/__model_type__:74:27",
        ("__model_type__ 'PackageConfig' differs",),
        edit_cfg=_set(
            ("configuration", "specific", "Payload", "__model_type__"), "PackageConfig"
        ),
    ),
    Case(
        "cfg-class-name-not-a-string",
        "cfg.json#/metadata/config_types/Payload:158:18",
        ("must be a class name", "number"),
        edit_cfg=_set(("metadata", "config_types", "Payload"), 7),
    ),
    Case(
        "cfg-nested-model-type-not-a-string",
        "cfg.json#/configuration/specific/Package/extra_field/__model_type__:73:29",
        ("__model_type__ must be a class name",),
        edit_cfg=_package_field({"__model_type__": None}),
    ),
    Case(
        "cfg-type-info-unknown-kind",
        "cfg.json#/configuration/specific/Package/extra_field/__type_info__:73:28",
        ("malformed __type_info__", "'bag'"),
        edit_cfg=_package_field({"__type_info__": "bag", "value": []}),
    ),
    Case(
        "cfg-type-info-without-value",
        "cfg.json#/configuration/specific/Package/extra_field:72:24",
        ("has no 'value'",),
        edit_cfg=_package_field({"__type_info__": "list"}),
    ),
    Case(
        "cfg-type-info-value-of-wrong-type",
        "cfg.json#/configuration/specific/Package/extra_field/value:74:20",
        ("'value' must be an array", "object"),
        edit_cfg=_package_field({"__type_info__": "set", "value": {"a": 1}}),
    ),
    Case(
        "cfg-type-info-bad-datetime",
        "cfg.json#/configuration/specific/Package/extra_field/value:74:20",
        ("not an ISO date-time",),
        edit_cfg=_package_field({"__type_info__": "datetime", "value": "yesterday"}),
    ),
    Case(
        "cfg-type-info-not-a-string",
        "cfg.json#/configuration/specific/Package/extra_field/__type_info__:73:28",
        ("malformed __type_info__",),
        edit_cfg=_package_field({"__type_info__": ["list"], "value": []}),
    ),
    # --- the configuration file: missing and extra configurations -------------------------------
    Case(
        "cfg-missing-configuration-for-a-node",
        "dag.py:19:9",
        ("Payload",),
        edit_cfg=_both(
            _drop("configuration", "specific", "Payload"),
            _drop("metadata", "config_types", "Payload"),
        ),
    ),
    Case(
        "cfg-declared-but-absent",
        "cfg.json#/metadata/config_types/Extra:163:16",
        ("'Extra'", "declared in metadata.config_types"),
        edit_cfg=_set(("metadata", "config_types", "Extra"), "PackageConfig"),
    ),
    Case(
        "cfg-specific-entry-not-an-object",
        "cfg.json#/configuration/specific/Payload:73:18",
        ("must be an object",),
        edit_cfg=_set(("configuration", "specific", "Payload"), "Payload"),
    ),
    Case(
        "cfg-missing-required-field",
        "cfg.json#/configuration/specific/Payload:73:18",
        ("expected_tps",),
        edit_cfg=_drop("configuration", "specific", "Payload", "expected_tps"),
    ),
]


def _two_payload_keys(data: dict) -> None:
    """`Payload` and `PAYLOAD`: a node `payload` matches both ignoring case."""
    _specific(data)["PAYLOAD"] = dict(_specific(data)["Payload"])
    data["metadata"]["config_types"]["PAYLOAD"] = "PayloadConfig"


CASES += [
    Case(
        "cfg-extra-configuration-makes-a-node-ambiguous",
        "dag.py:19:9",
        ("'payload'", "Payload", "PAYLOAD"),
        edit_cfg=_two_payload_keys,
        edit_dag=('"Payload"', '"payload"'),
    ),
    # --- dag.json ------------------------------------------------------------------------------
    Case(
        "dag-json-empty",
        "dag.json:1:1",
        ("malformed JSON",),
        write={"dag.json": ""},
        args=JSON_ARGS,
    ),
    Case(
        "dag-json-truncated",
        "dag.json:4:7",
        ("malformed JSON",),
        write={"dag.json": dag_json(NODES, CHAIN)[:60]},
        args=JSON_ARGS,
    ),
    Case(
        "dag-json-top-level-array",
        "dag.json:1:1",
        ("a dag.json must be a JSON object",),
        write={"dag.json": json.dumps([NODES])},
        args=JSON_ARGS,
    ),
    Case(
        "dag-json-no-dag-key",
        "dag.json:1:1",
        ('missing the "dag" key',),
        write={"dag.json": json.dumps({"nodes": NODES})},
        args=JSON_ARGS,
    ),
    Case(
        "dag-json-nodes-not-a-list",
        "dag.json#/dag/nodes:1:19",
        ('"dag.nodes" must be a list',),
        write={
            "dag.json": json.dumps({"dag": {"nodes": "XGBoostTraining", "edges": []}})
        },
        args=JSON_ARGS,
    ),
    Case(
        "dag-json-version-2",
        "dag.json#/version:1:13",
        ("unsupported dag.json version '2.0'",),
        write={
            "dag.json": json.dumps(
                {"version": "2.0", "dag": {"nodes": NODES, "edges": CHAIN}}
            )
        },
        args=JSON_ARGS,
    ),
    Case(
        "dag-json-edge-of-three",
        "dag.json#/dag/edges/0:9:7",
        ("2-element list",),
        write={"dag.json": dag_json(NODES, [NODES])},
        args=JSON_ARGS,
    ),
    Case(
        "dag-json-node-not-a-string",
        "dag.json#/dag/nodes/1:5:7",
        ("must be strings", "42"),
        write={"dag.json": dag_json([NODES[0], 42], [])},
        args=JSON_ARGS,
    ),
    Case(
        "dag-json-empty-node-name",
        "dag.json#/dag/nodes/1:5:7",
        ("non-empty",),
        write={"dag.json": dag_json([NODES[0], " "], [])},
        args=JSON_ARGS,
    ),
    Case(
        "dag-json-no-nodes",
        "dag.json",
        ("the DAG is empty",),
        write={"dag.json": dag_json([], [])},
        args=JSON_ARGS,
    ),
    Case(
        "dag-json-duplicate-node",
        "dag.json#/dag/nodes/3:7:7",
        ("declared twice", "(first at dag.json#/dag/nodes/0:4:7)"),
        write={"dag.json": dag_json(NODES + [NODES[0]], CHAIN)},
        args=JSON_ARGS,
    ),
    Case(
        "dag-json-self-loop",
        "dag.json#/dag/edges/2:17:7",
        ("self-loop", "XGBoostTraining -> XGBoostTraining"),
        write={"dag.json": dag_json(NODES, CHAIN + [[NODES[2], NODES[2]]])},
        args=JSON_ARGS,
    ),
    Case(
        "dag-json-cycle-of-three",
        "dag.json#/dag/edges/2:17:7",
        (
            (
                "cycle: DummyDataLoading_training -> TabularPreprocessing_training -> XGBoostTraining -> "
                "DummyDataLoading_training"
            ),
        ),
        write={"dag.json": dag_json(NODES, CHAIN + [[NODES[2], NODES[0]]])},
        args=JSON_ARGS,
    ),
    Case(
        "dag-json-dangling-edge",
        "dag.json#/dag/edges/1:13:7",
        ("'XGBoostTrainning' is not a declared node",),
        write={"dag.json": dag_json(NODES, [CHAIN[0], [NODES[1], "XGBoostTrainning"]])},
        args=JSON_ARGS,
    ),
    Case(
        "dag-json-not-utf8",
        "dag.json:3",
        ("not UTF-8", "0xff"),
        write={"dag.json": b'{"dag": {\n "nodes": [],\n "edges": ["\xff"]}}'},
        args=JSON_ARGS,
    ),
    Case(
        "dag-unsupported-suffix",
        "dag.yaml",
        ("unsupported DAG file type '.yaml'",),
        write={"dag.yaml": "dag: {}\n"},
        args=("dag.yaml", "cfg.json", "-o", "pipeline_gen.py"),
    ),
    # --- dag.py --------------------------------------------------------------------------------
    Case(
        "dag-py-syntax-error",
        "dag.py:9:22",
        ("syntax error",),
        edit_dag=("    dag = PipelineDAG()\n", "    dag = PipelineDAG(\n"),
    ),
    Case(
        "dag-py-truncated",
        "dag.py:22:5",
        ("syntax error",),
        edit_dag=("        dag.add_node(node)\n", ""),
    ),
    Case(
        "dag-py-dynamic-node-name",
        "dag.py:32:18",
        ("--exec-dag",),
        edit_dag=(RETURN, '    dag.add_node("Pay" + "load")\n' + RETURN),
    ),
    Case(
        "dag-py-computed-node-list",
        "dag.py:32:14",
        ("--exec-dag",),
        edit_dag=(
            RETURN,
            '    for n in sorted(["A"]):\n        dag.add_node(n)\n' + RETURN,
        ),
    ),
    Case(
        "dag-py-dag-passed-to-a-function",
        "dag.py:32:12",
        ("--exec-dag",),
        edit_dag=(RETURN, "    extend(dag)\n" + RETURN),
    ),
    Case(
        "dag-py-two-dags",
        "dag.py",
        ("found 2 PipelineDAG constructions", "--dag-function"),
        write={
            "dag.py": "from x import PipelineDAG\n\nA = PipelineDAG(nodes=['XGBoostTraining'])\n"
            "B = PipelineDAG(nodes=['Package'])\n"
        },
    ),
    Case(
        "dag-py-no-dag",
        "dag.py",
        ("no PipelineDAG construction was found", "--exec-dag"),
        write={"dag.py": '"""Nothing here."""\nVALUE = 1\n'},
    ),
    Case(
        "dag-py-unknown-dag-function",
        "dag.py",
        ("no PipelineDAG construction in 'create_other_dag'",),
        args=DEFAULT_ARGS + ("--dag-function", "create_other_dag"),
    ),
    Case(
        "dag-py-not-utf8",
        "dag.py:2",
        ("not UTF-8", "0xe9"),
        write={
            "dag.py": b'from x import PipelineDAG\n# caf\xe9\nD = PipelineDAG(nodes=["Package"])\n'
        },
    ),
    Case(
        "dag-py-nul-byte",
        "dag.py:2:29",
        ("null bytes",),
        write={
            "dag.py": b'from x import PipelineDAG\nD = PipelineDAG(nodes=["Pack\x00age"])\n'
        },
    ),
    Case(
        "dag-py-cycle",
        "dag.py:32:5",
        (
            "cycle: XGBoostTraining -> XGBoostModelEval_calibration -> ModelCalibration_calibration -> Package -> XGBoostTraining",
        ),
        edit_dag=(RETURN, '    dag.add_edge("Package", "XGBoostTraining")\n' + RETURN),
    ),
    Case(
        "dag-py-self-loop",
        "dag.py:32:5",
        ("self-loop",),
        edit_dag=(RETURN, '    dag.add_edge("Payload", "Payload")\n' + RETURN),
    ),
    Case(
        "dag-py-edge-before-its-node",
        "dag.py:5:1",
        ("'Payload' is not a declared node yet", "dag.py:6:1"),
        write={
            "dag.py": "from x import PipelineDAG\n\ndag = PipelineDAG()\ndag.add_node('XGBoostTraining')\n"
            "dag.add_edge('XGBoostTraining', 'Payload')\ndag.add_node('Payload')\n"
        },
    ),
    Case(
        "dag-py-duplicate-edge-under-strict",
        "dag.py:32:5",
        ("duplicate edge XGBoostTraining -> Payload",),
        edit_dag=(RETURN, '    dag.add_edge("XGBoostTraining", "Payload")\n' + RETURN),
        args=DEFAULT_ARGS + ("--strict",),
    ),
    Case(
        "dag-py-duplicate-node",
        "dag.py:32:5",
        ("'Package' is declared twice",),
        edit_dag=(RETURN, '    dag.add_node("Package")\n' + RETURN),
    ),
    # --- names ---------------------------------------------------------------------------------
    Case(
        "name-python-keyword-without-configuration",
        "dag.py:32:5",
        ("'class'",),
        edit_dag=(RETURN, '    dag.add_node("class")\n' + RETURN),
    ),
    Case(
        "name-very-long-without-configuration",
        "dag.py:32:5",
        ("X" * 5000,),
        edit_dag=(RETURN, f'    dag.add_node("{"X" * 5000}")\n' + RETURN),
    ),
    Case(
        "name-unicode-without-configuration",
        "dag.py:32:5",
        ("'Ünïcødé_名前'",),
        edit_dag=(RETURN, '    dag.add_node("Ünïcødé_名前")\n' + RETURN),
    ),
    # --- local files and the output path -------------------------------------------------------
    Case(
        "strict-missing-script",
        "cfg.json#/configuration/specific/Package/processing_entry_point:64:35",
        ("package.py",),
        remove=("scripts/package.py",),
        args=DEFAULT_ARGS + ("--strict",),
    ),
    Case(
        "missing-dag-file",
        "nope.py",
        ("no such file",),
        args=("nope.py", "cfg.json", "-o", "pipeline_gen.py"),
    ),
    Case(
        "missing-config-file",
        "nope.json",
        ("no such file",),
        args=("dag.py", "nope.json", "-o", "pipeline_gen.py"),
    ),
    Case(
        "output-is-a-directory",
        "scripts",
        ("the output path is a directory",),
        args=("dag.py", "cfg.json", "-o", "scripts"),
    ),
    Case(
        "output-folder-missing",
        "no/such/out.py",
        ("does not exist",),
        args=("dag.py", "cfg.json", "-o", "no/such/out.py"),
    ),
    Case(
        "output-overwrites-the-config",
        "./cfg.json",
        ("would overwrite an input file",),
        args=("dag.py", "cfg.json", "-o", "./cfg.json"),
    ),
    Case(
        "output-overwrites-the-dag",
        "dag.py",
        ("would overwrite an input file",),
        args=("dag.py", "cfg.json", "-o", "dag.py"),
    ),
]
