"""A DAG in a Jupyter notebook: its code cells read statically, exactly as a .py is, never run;
every problem located at the cell (its position among all cells) and the line within it.
"""

import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from cursus_codegen.diagnostics import Level
from cursus_codegen.inputs.dag import read_dag
from cursus_codegen.inputs.notebook_source import _without_magics

EXAMPLE = REPO / "generated_examples" / "xgboost_e2e"
ARGS = ("demo.ipynb", "cfg.json", "-o", "pipeline_gen.py")
HEADER_LINES = (
    "#   DAG: ",
    "#   cursus-codegen ",
)  # the input path and the regenerate command


def code(source, split=True):
    """A code cell; `source` as a list of lines (nbformat's usual form) unless split=False."""
    if split and isinstance(source, str):
        source = source.splitlines(keepends=True)
    return {
        "cell_type": "code",
        "metadata": {},
        "execution_count": None,
        "outputs": [],
        "source": source,
    }


def markdown(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def notebook(*cells) -> dict:
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": list(cells)}


def write_notebook(folder: Path, document, name="demo.ipynb") -> Path:
    path = folder / name
    path.write_text(
        document if isinstance(document, str) else json.dumps(document, indent=1)
    )
    return path


def example_notebook(marker: Path | None = None) -> dict:
    """The example's dag.py as a notebook: markdown between cells, IPython magics and shell
    escapes, a `%%bash` cell, and the DAG function split over two cells."""
    lines = (EXAMPLE / "dag.py").read_text().splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("def "))
    middle = next(i for i, line in enumerate(lines) if "dag.add_edge" in line)
    touch = f"!touch {marker}\n" if marker else "!pip install x\n"
    return notebook(
        markdown("# XGBoost end to end\n\nThe DAG of the demo pipeline."),
        code(["%matplotlib inline\n", touch, "!pip install x\n", *lines[:start]]),
        code(f"%%bash\ntouch {marker or '/dev/null'}\n"),
        code("".join(lines[start:middle]), split=False),
        markdown(["## The edges\n"]),
        code(lines[middle:]),
    )


@pytest.fixture
def project(tmp_path) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(EXAMPLE, folder)
    (folder / "pipeline_gen.py").unlink()
    return folder


def fails_cleanly(folder: Path, args=ARGS) -> str:
    """Exit 2, no traceback, nothing written, exactly one error: that error's line."""
    code_, out, err = run_cli(args, cwd=folder)
    assert code_ == 2, err
    assert out == "" and "Traceback" not in err and "internal error" not in err
    assert not (folder / "pipeline_gen.py").exists()
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert len(errors) == 1, err
    return errors[0]


def without_header_paths(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith(HEADER_LINES)]


# -- the notebook reads as its .py does


def test_notebook_generates_the_module_its_py_does(project):
    """Before: the DAG in dag.py. After: the same DAG in a notebook. Same module."""
    code_, _, err = run_cli(
        ["dag.py", "cfg.json", "-o", "pipeline_gen.py"], cwd=project
    )
    assert code_ == 0, err
    from_py = (project / "pipeline_gen.py").read_text()
    (project / "pipeline_gen.py").unlink()

    write_notebook(project, example_notebook())
    code_, _, err = run_cli(ARGS, cwd=project)
    assert code_ == 0, err
    from_notebook = (project / "pipeline_gen.py").read_text()

    assert from_notebook != from_py  # the header names the notebook ...
    assert "#   DAG: demo.ipynb" in from_notebook
    assert "#   cursus-codegen demo.ipynb cfg.json -o pipeline_gen.py" in from_notebook
    assert without_header_paths(from_notebook) == without_header_paths(
        from_py
    )  # ... only


def test_reading_is_deterministic(project):
    path = write_notebook(project, example_notebook())
    first, second = read_dag(path, "demo.ipynb"), read_dag(path, "demo.ipynb")
    assert first == second and first[0] is not None


def test_shell_escapes_and_magics_never_run(project, tmp_path):
    marker = tmp_path / "should_not_exist_marker"
    document = example_notebook(marker)
    document["cells"].insert(1, code(f"%system touch {marker}\nx = !touch {marker}\n"))
    write_notebook(project, document)
    code_, _, err = run_cli(ARGS, cwd=project)
    assert code_ == 0, err
    assert not marker.exists()


def test_exec_dag_refuses_a_notebook(project, tmp_path):
    marker = tmp_path / "marker"
    write_notebook(project, example_notebook(marker))
    error = fails_cleanly(project, (*ARGS, "--exec-dag"))
    assert error.startswith("demo.ipynb: error: ") and "read statically only" in error
    assert not marker.exists()


# -- locations: the cell (its position among all cells) and the line within it


def test_syntax_error_is_located_at_its_cell_and_line(project):
    """Before: a valid notebook. After: line 2 of cell 4 is broken; the error says so."""
    document = example_notebook()
    write_notebook(project, document)
    assert run_cli(ARGS, cwd=project)[0] == 0
    (project / "pipeline_gen.py").unlink()

    assert document["cells"][3]["cell_type"] == "code"
    source = document["cells"][3]["source"].splitlines(keepends=True)
    source[1] = (
        "    dag = PipelineDAG(\n"  # an unclosed call on line 2 of the fourth cell
    )
    document["cells"][3]["source"] = "".join(source)
    write_notebook(project, document)
    error = fails_cleanly(project)
    assert error.startswith("demo.ipynb (cell 4):2:"), error
    assert "syntax error" in error


def test_lines_named_in_a_syntax_error_are_cell_lines(project):
    document = notebook(
        code("a = 1\nb = 2\n"), markdown("m"), code("x = (1,\n     2]\n")
    )
    write_notebook(project, document)
    error = fails_cleanly(project)
    assert error.startswith("demo.ipynb (cell 3):2:7: error: syntax error: "), error
    assert error.endswith(
        "does not match opening parenthesis '(' in cell 3, line 1"
    ), error


def test_read_errors_point_into_the_cell(project):
    document = notebook(
        markdown("intro"),
        code("from cursus.api.dag.base_dag import PipelineDAG\n"),
        markdown("the DAG"),
        code(
            "%load_ext autoreload\n\ndef build():\n    dag = PipelineDAG()\n"
            "    dag.add_node(make_name())\n    return dag\n"
        ),
    )
    write_notebook(project, document)
    error = fails_cleanly(project)
    assert error.startswith("demo.ipynb (cell 4):5:18: error: "), error
    assert "cannot be read statically" in error and ".py" in error


def test_duplicate_node_names_both_cells(project):
    document = notebook(
        code(
            "from cursus.api.dag.base_dag import PipelineDAG\ndag = PipelineDAG()\n"
            "dag.add_node('A')\n"
        ),
        markdown("more"),
        code("dag.add_node('A')\n"),
    )
    path = write_notebook(project, document)
    dag, diags = read_dag(path, "demo.ipynb")
    assert dag is None and len(diags) == 1
    assert str(diags[0].location) == "demo.ipynb (cell 3):1:1"
    assert "first at demo.ipynb (cell 1):3:1" in diags[0].message


# -- --dag-function between cells


def two_dag_functions() -> dict:
    return notebook(
        code("from cursus.api.dag.base_dag import PipelineDAG\n"),
        markdown("training"),
        code(
            "def create_training_dag():\n    dag = PipelineDAG()\n    dag.add_node('Train')\n"
            "    return dag\n"
        ),
        markdown("inference"),
        code(
            "\ndef create_inference_dag():\n    return PipelineDAG(nodes=['Infer'])\n"
        ),
    )


def test_dag_function_chooses_between_cells(project):
    """Before: two DAG functions, none chosen, an error naming both. After: each chosen."""
    path = write_notebook(project, two_dag_functions())
    dag, diags = read_dag(path, "demo.ipynb")
    assert dag is None and len(diags) == 1
    message = diags[0].message
    assert "create_training_dag (cell 3, line 2)" in message
    assert "create_inference_dag (cell 5, line 3)" in message
    assert "--dag-function" in message

    dag, diags = read_dag(path, "demo.ipynb", dag_function="create_training_dag")
    assert diags == [] and dag.node_names() == ("Train",)
    assert str(dag.nodes[0].location) == "demo.ipynb (cell 3):3:5"
    dag, diags = read_dag(path, "demo.ipynb", dag_function="create_inference_dag")
    assert diags == [] and dag.node_names() == ("Infer",)


def test_dag_function_on_the_command_line(project):
    write_notebook(project, two_dag_functions())
    assert "--dag-function" in fails_cleanly(project)
    document = example_notebook()
    document["cells"] += two_dag_functions()["cells"][2:]
    write_notebook(project, document)
    assert "--dag-function" in fails_cleanly(project)
    code_, _, err = run_cli(
        (*ARGS, "--dag-function", "create_xgboost_e2e_dag"), cwd=project
    )
    assert code_ == 0, err


# -- bad notebooks: one located error, exit 2, no traceback, nothing written

GOOD = example_notebook()


def with_cell(cell) -> dict:
    return notebook(*GOOD["cells"][:2], cell, *GOOD["cells"][2:])


BAD_NOTEBOOKS = [
    ("not-json", "{ not json", "demo.ipynb:1:3", "not valid JSON"),
    ("empty-file", "", "demo.ipynb:1:1", "not valid JSON"),
    ("not-utf8", b"\xff\xfe{}", "demo.ipynb:1", "not UTF-8"),
    ("json-array", [1, 2], "demo.ipynb:1:1", "JSON object"),
    ("json-string", '"cells"', "demo.ipynb:1:1", "JSON object"),
    ("no-nbformat", {"cells": []}, "demo.ipynb:1:1", '"nbformat"'),
    ("nbformat-3", {**GOOD, "nbformat": 3}, "demo.ipynb#/nbformat", "nbformat 3"),
    (
        "nbformat-text",
        {**GOOD, "nbformat": "4"},
        "demo.ipynb#/nbformat",
        "nbformat '4'",
    ),
    (
        "nbformat-true",
        {**GOOD, "nbformat": True},
        "demo.ipynb#/nbformat",
        "nbformat True",
    ),
    ("cells-missing", {"nbformat": 4, "metadata": {}}, "demo.ipynb:1:1", '"cells"'),
    (
        "cells-not-list",
        {**GOOD, "cells": {"0": {}}},
        "demo.ipynb#/cells",
        "must be a list",
    ),
    (
        "cell-not-object",
        with_cell(["x = 1"]),
        "demo.ipynb#/cells/2",
        "cell 3 must be a JSON",
    ),
    (
        "cell-type-missing",
        with_cell({"source": "x"}),
        "demo.ipynb#/cells/2",
        '"cell_type"',
    ),
    (
        "source-missing",
        with_cell({"cell_type": "code"}),
        "demo.ipynb#/cells/2",
        '"source"',
    ),
    ("source-number", with_cell(code(7)), "demo.ipynb#/cells/2/source", "cell 3"),
    (
        "source-list-of-numbers",
        with_cell(code(["x = 1\n", 2])),
        "demo.ipynb#/cells/2/source/1",
        "list of strings",
    ),
    (
        "markdown-source-null",
        with_cell(markdown(None)),
        "demo.ipynb#/cells/2/source",
        "cell 3",
    ),
    (
        "syntax-error",
        with_cell(code("x = 1\ndef (:\n")),
        "demo.ipynb (cell 3):2:5",
        "syntax error",
    ),
    (
        "no-dag-function",
        notebook(markdown("# nothing"), code("x = 1\n")),
        "demo.ipynb",
        "no PipelineDAG construction",
    ),
    ("no-code-cells", notebook(markdown("# nothing")), "demo.ipynb", "no PipelineDAG"),
    ("no-cells", notebook(), "demo.ipynb", "no PipelineDAG"),
    (
        "too-many-lines",
        with_cell(code("pass\n" * 20_001)),
        "demo.ipynb",
        "20,000 lines",
    ),
]


@pytest.mark.parametrize(
    "name, document, where, fragment",
    BAD_NOTEBOOKS,
    ids=[case[0] for case in BAD_NOTEBOOKS],
)
def test_bad_notebook_fails_cleanly(project, name, document, where, fragment):
    if isinstance(document, bytes):
        (project / "demo.ipynb").write_bytes(document)
    else:
        write_notebook(project, document)
    error = fails_cleanly(project)
    location, message = error.split(": error: ", 1)
    assert location == where or location.startswith(where + ":"), error
    assert fragment in message, error


def test_a_notebook_of_exactly_the_line_bound_is_read(project):
    lines = sum(
        len(c["source"]) if isinstance(c["source"], list) else c["source"].count("\n")
        for c in GOOD["cells"]
        if c["cell_type"] == "code"
    )
    document = with_cell(code("pass\n" * (20_000 - lines)))
    write_notebook(project, document)
    code_, _, err = run_cli(ARGS, cwd=project)
    assert code_ == 0, err


def test_an_enormous_notebook_is_refused_before_it_is_read(project):
    path = project / "demo.ipynb"
    with path.open("wb") as handle:
        handle.write(b'{"nbformat": 4, "cells": [], "metadata": {"x": "')
        handle.truncate(
            33 * 1024 * 1024
        )  # sparse: 33 MiB of NUL bytes, nothing in memory
    error = fails_cleanly(project)
    assert error.startswith("demo.ipynb: error: ") and "bytes" in error
    dag, diags = read_dag(path, "demo.ipynb")  # the reader itself bounds it too
    assert dag is None and [d.level for d in diags] == [Level.ERROR]
    assert "larger than" in diags[0].message


# -- which lines are IPython syntax


@pytest.mark.parametrize(
    "lines, expected",
    [
        (["%matplotlib inline", "x = 1"], ["pass", "x = 1"]),
        (
            ["  !pip install x", "def f():", "    %time g()"],
            ["  pass", "def f():", "    pass"],
        ),
        (["files = !ls", "a, b = %sx echo"], ["pass", "pass"]),
        (["!pip install \\", "   cursus", "x = 1"], ["pass", "", "x = 1"]),
        (
            ["x = (10", "     % 3)"],
            ["x = (10", "     % 3)"],
        ),  # a continuation line, not a magic
        (["y = 10 \\", "  % 3"], ["y = 10 \\", "  % 3"]),
        (
            ['"""Notes:', "!not a shell escape", '"""'],
            ['"""Notes:', "!not a shell escape", '"""'],
        ),
        (["s = '(' # ) [", "%who"], ["s = '(' # ) [", "pass"]),
        (["s = 'a\\'b[' + \"\\\"\"", "%who"], ["s = 'a\\'b[' + \"\\\"\"", "pass"]),
        (["x = 1 != 2", "print(x % 2)"], ["x = 1 != 2", "print(x % 2)"]),
    ],
)
def test_magics_become_pass_line_for_line(lines, expected):
    assert _without_magics(lines) == expected


def test_magic_inside_a_function_keeps_it_readable(project):
    document = notebook(
        code("from cursus.api.dag.base_dag import PipelineDAG\n"),
        code(
            "def build():\n    %time x = 1\n    dag = PipelineDAG()\n    !echo hi\n"
            "    dag.add_node('A')\n    return dag\n"
        ),
    )
    path = write_notebook(project, document)
    dag, diags = read_dag(path, "demo.ipynb")
    assert diags == [] and dag.node_names() == ("A",)
    assert str(dag.nodes[0].location) == "demo.ipynb (cell 2):5:5"


def test_string_and_crlf_sources(project):
    document = notebook(
        code(
            "from cursus.api.dag.base_dag import PipelineDAG\r\n"
            "dag = PipelineDAG(nodes=['A', 'B'], edges=[('A', 'B')])\r\n"
            "dag.add_node('A')",
            split=False,
        )
    )
    path = write_notebook(project, document)
    dag, diags = read_dag(path, "demo.ipynb")
    assert dag is None and str(diags[0].location) == "demo.ipynb (cell 1):3:1"


def test_dense_code_beyond_the_character_bound_is_refused_quickly(tmp_path):
    """libcst's cost grows with tokens: 1.9 MB of dense literals took minutes, so the static
    reader (for .py and notebooks alike) refuses more than 256 KiB of code before parsing it.
    """
    shutil.copytree(EXAMPLE, tmp_path / "p")
    dense = "X = [" + ", ".join(["1"] * 100_000) + "]\n"  # ~300 KB on one line
    (tmp_path / "p" / "dense.py").write_text(dense + (EXAMPLE / "dag.py").read_text())
    code, _, err = run_cli(["dense.py", "cfg.json", "-o", "out.py"], cwd=tmp_path / "p")
    assert code == 2 and "characters of code" in err and "Traceback" not in err
    assert not (tmp_path / "p" / "out.py").exists()
