"""Injection corpus: hostile text in configuration values, node names and metadata flags.

For each payload and each place it can enter, the module is generated twice, with the payload
and with a benign value. The payload is wrapped in markers so it cannot occur by chance. Proven:
- the payload survives intact as a string constant (where the input is a value);
- replacing the payload by the benign value inside every string constant of the hostile module
  (and, for a node name, its sanitised identifier by the benign one) gives exactly the AST of
  the benign module: the payload changed no name, import, call, statement or comment-to-code
  boundary; it exists only inside string constants.
"""

import ast
import json
import shutil

import pytest
from conftest import REPO, run_cli

from cursus_codegen.naming import py_identifier

EXAMPLE = REPO / "generated_examples" / "xgboost_e2e"
BENIGN = "benign_value"
PAYLOADS = {
    "quotes": "it's \"quoted\" '",
    "backslashes": "C:\\temp\\new\\ end\\",
    "triple-double-quotes": '"""; import os; """',
    "triple-single-quotes": "'''",
    "newline-code": 'x\nimport os\nos.system("id")\n',
    "carriage-return": "x\rimport os\r\n",
    "comment-breakout": "# \n    del self\n#",
    "jinja-expression": "{{ 7 * 7 }}{{ self.__init__ }}",
    "jinja-statement": "{% for x in range(3) %}{{ x }}{% endfor %}{# c #}{% raw %}",
    "python-call": "__import__('os').system('rm -rf /')",
    "string-breakout": "\"); __import__('os').system('id'); (\"",
    "nul-and-controls": "\x00\x01\x07\x1b[31m\x7f\t",
    "unicode-line-breaks": "\u2028\u2029\x85\x0c\x0b\x1c",
    "lone-surrogate": "\ud800",
    "format-braces": "{0}{__class__}%s%(x)s",
}
NODES = ["DummyDataLoading_training", "TabularPreprocessing_training"]


def _project(folder, node_name=NODES[1], label=BENIGN):
    """Two steps of the XGBoost example; the second node renamed, its label_name set."""
    shutil.copytree(EXAMPLE, folder)
    data = json.loads((folder / "cfg.json").read_text())
    specific, types = (
        data["configuration"]["specific"],
        data["metadata"]["config_types"],
    )
    entry = specific.pop(NODES[1])
    types.pop(NODES[1])
    specific[node_name], types[node_name] = {
        **entry,
        "label_name": label,
    }, "TabularPreprocessingConfig"
    (folder / "cfg.json").write_text(json.dumps(data, indent=2))
    (folder / "dag.json").write_text(
        json.dumps(
            {"dag": {"nodes": [NODES[0], node_name], "edges": [[NODES[0], node_name]]}}
        )
    )
    return folder


def _generate(folder, *flags) -> str:
    code, out, err = run_cli(["dag.json", "cfg.json", "-o", "-", *flags], cwd=folder)
    assert code == 0, err
    assert "Traceback" not in err
    return out


ENTRY_POINTS = {
    # where the payload enters -> (project arguments, CLI flags) for a given value
    "config-value": lambda v: ({"label": v}, ()),
    "node-name": lambda v: ({"node_name": v}, ()),
    "author-flag": lambda v: ({}, ("--author", v)),
    "description-flag": lambda v: ({}, ("--description", v)),
    "version-flag": lambda v: ({}, ("--version", v)),
}
IS_A_VALUE = {"config-value", "author-flag", "description-flag", "version-flag"}


class _Replace(ast.NodeTransformer):
    """Payload -> benign value inside string constants; the node's sanitised identifiers too."""

    def __init__(self, old, new):
        self.old, self.new = old, new
        old_var, new_var = py_identifier(old), py_identifier(new)
        self.identifiers = {old_var: new_var, f"build_{old_var}": f"build_{new_var}"}

    def visit_Constant(self, node):
        if isinstance(node.value, str):
            return ast.copy_location(
                ast.Constant(node.value.replace(self.old, self.new)), node
            )
        return node

    def visit_Name(self, node):
        node.id = self.identifiers.get(node.id, node.id)
        return node

    def visit_Attribute(self, node):
        node.attr = self.identifiers.get(node.attr, node.attr)
        return self.generic_visit(node)

    def visit_arg(self, node):
        node.arg = self.identifiers.get(node.arg, node.arg)
        return self.generic_visit(node)

    def visit_FunctionDef(self, node):
        node.name = self.identifiers.get(node.name, node.name)
        return self.generic_visit(node)


def _shape(tree) -> dict[str, set]:
    """The names, imports and calls of a module: what a payload must never change."""
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    imports = {
        ast.dump(n)
        for n in ast.walk(tree)
        if isinstance(n, (ast.Import, ast.ImportFrom))
    }
    calls = {ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return {"names": names, "imports": imports, "calls": calls}


@pytest.fixture(scope="module")
def benign_modules(tmp_path_factory):
    """The benign module of each entry point (generated once)."""
    modules = {}
    for entry, make in ENTRY_POINTS.items():
        project_args, flags = make(BENIGN)
        folder = _project(tmp_path_factory.mktemp("benign") / "p", **project_args)
        modules[entry] = ast.parse(_generate(folder, *flags))
    return modules


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_payload_stays_inside_string_constants(
    payload, entry, benign_modules, tmp_path
):
    value = f"ZQ{payload}QZ"
    project_args, flags = ENTRY_POINTS[entry](value)
    source = _generate(_project(tmp_path / "p", **project_args), *flags)
    assert source.isascii()  # every unusual character reaches the file as an escape
    tree = ast.parse(source)
    constants = [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]
    if entry in IS_A_VALUE:
        assert value in constants  # emitted intact, as a constant equal to the input
    benign = benign_modules[entry]
    restored = _Replace(value, BENIGN).visit(tree)
    assert _shape(restored) == _shape(benign)
    assert ast.dump(restored) == ast.dump(benign)
