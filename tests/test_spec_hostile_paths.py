"""Hostile text in PATH fields, and non-finite numbers in float fields.

A path field (a source folder, an entry point, a data folder) reaches the module as a
string. For each payload the named file or folder is created on disk, so the path is real;
then the generation either succeeds, and the module parses, holds the path as one string
constant equal to what the configuration says, and builds its pipeline, or it refuses with
exit 2 and an error located in the configuration, writing nothing.

NaN and infinite numbers are not JSON: a configuration holding one is refused at the value.
"""

import ast
import shutil

import pytest
from test_spec_helpers import (
    CHAIN,
    definitions,
    example_configuration,
    generate,
    regional_sessions,
    string_constants,
    write_project,
)

PAYLOADS = {
    "quotes": 'it\'s "quoted"',
    "backslashes": "C\\temp\\new\\",
    "newline": "x\nimport os\n",
    "triple-quotes": '"""; import os; """',
    "template-braces": "{{ 7 * 7 }}{% raw %}",
    "python-call": "__import__('os').system('id')",
    "unicode-line-separators": "a\u2028b\u2029c\x85",
    "nul": "a\x00b",
    "url-delimiters": "a;b?c#d",
}


def _copy(source, target):
    shutil.copytree(source, target)


def _touch(target):
    target.write_text("print('ok')\n")


# field: (DAG nodes, where in the configuration, the value for a payload, what to create on
#         disk for it (None: nothing), the string the module must hold)
FIELDS = {
    "source_dir": (
        CHAIN,
        ("shared", "source_dir"),
        lambda p: f"scripts{p}",
        lambda root, v: _copy(root / "scripts", root / v),
        lambda v: v,
    ),
    "processing_source_dir": (
        CHAIN[:2],
        (CHAIN[1], "processing_source_dir"),
        lambda p: f"scripts{p}",
        lambda root, v: _copy(root / "scripts", root / v),
        lambda v: f"{v}/tabular_preprocessing.py",
    ),
    "processing_entry_point": (
        CHAIN[:2],
        (CHAIN[1], "processing_entry_point"),
        lambda p: f"prep{p}.py",
        lambda root, v: _touch(root / "scripts" / v),
        lambda v: f"scripts/{v}",
    ),
    "training_entry_point": (
        CHAIN,
        (CHAIN[2], "training_entry_point"),
        lambda p: f"train{p}.py",
        lambda root, v: _touch(root / "scripts" / v),
        lambda v: v,
    ),
    "data_source": (
        CHAIN[:1],
        (CHAIN[0], "data_source"),
        lambda p: f"data/training{p}",
        lambda root, v: _copy(root / "data" / "training", root / v),
        lambda v: v,
    ),
}
# Where the SDK could not build what the module names, the generator refuses at the field: a
# NUL names no real file, and sagemaker reads a processing step's code path as a URL
# (`urlparse`), which drops a newline and cuts the path at ";", "?" or "#".
REFUSED = {
    ("source_dir", "nul"),
    ("processing_entry_point", "nul"),
    ("training_entry_point", "nul"),
    ("data_source", "nul"),
    ("processing_source_dir", "newline"),
    ("processing_entry_point", "newline"),
    ("processing_entry_point", "triple-quotes"),  # the ";" of the file name
    ("processing_source_dir", "url-delimiters"),
    ("processing_entry_point", "url-delimiters"),
}
# A processing source folder that does not exist falls back to source_dir (cursus's
# effective_source_dir: the first of processing_source_dir / source_dir that exists); a
# folder name with NUL never exists.
FALLBACK = {("processing_source_dir", "nul"): "scripts/tabular_preprocessing.py"}


def _cases():
    for field in FIELDS:
        for name in PAYLOADS:
            yield pytest.param(field, name, id=f"{field}-{name}")


@pytest.fixture(scope="module")
def sessions():
    with regional_sessions() as made:
        yield made


@pytest.mark.parametrize("field, payload", list(_cases()))
def test_a_hostile_path_is_a_literal_or_a_located_refusal(
    tmp_path, sessions, field, payload
):
    nodes, (where, key), make_value, create, expected = FIELDS[field]
    value = make_value(PAYLOADS[payload])
    configuration = example_configuration(nodes)
    section = configuration["configuration"]
    (section["shared"] if where == "shared" else section["specific"][where])[
        key
    ] = value
    folder = write_project(tmp_path / "p", configuration, nodes)
    if "\x00" not in value:
        create(folder, value)
    code, _, err = generate(folder)
    assert "Traceback" not in err
    assert code == 2 or (field, payload) not in REFUSED, err
    if code == 2:
        assert err.startswith("cfg.json"), err  # located in the configuration
        assert not (folder / "gen.py").exists()
        return
    assert code == 0, err
    source = (folder / "gen.py").read_text(encoding="utf-8")
    assert FALLBACK.get((field, payload), expected(value)) in string_constants(source)
    tree = ast.parse(source)
    calls = {ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    assert not any("__import__" in call or call.endswith(".system") for call in calls)
    imports_of_os = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Import) and n.names[0].name == "os"
    ]
    assert len(imports_of_os) == 1  # the module's own
    built = definitions(
        folder / "gen.py", f"spec_hostile_{field}_{payload.replace('-', '_')}", sessions
    )
    assert built[None]["Steps"]


NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e999", "-1e999"]
FLOAT_FIELDS = {  # field: (node, JSON text of the field as the example writes it)
    "train_ratio": (CHAIN[1], '"train_ratio": 0.7'),
    "test_val_ratio": (CHAIN[1], '"test_val_ratio": 0.5'),
}


@pytest.mark.parametrize("number", NON_FINITE)
@pytest.mark.parametrize("field", FLOAT_FIELDS)
def test_a_non_finite_float_is_refused_at_its_place(tmp_path, field, number):
    folder = write_project(tmp_path / "p", nodes=CHAIN[:2])
    text = (folder / "cfg.json").read_text()
    node, written = FLOAT_FIELDS[field]
    at = text.index(written, text.index(f'"{node}": {{'))
    text = text[:at] + written.split(":")[0] + ": " + number + text[at + len(written) :]
    (folder / "cfg.json").write_text(text)
    line = text.count("\n", 0, at) + 1
    col = at - text.rfind("\n", 0, at) + len(written.split(":")[0]) + 2
    code, out, err = generate(folder)
    assert (code, out) == (2, "") and "Traceback" not in err
    assert err.startswith(f"cfg.json:{line}:{col}: error: ")
    assert "NaN and infinite numbers are not JSON numbers" in err
    assert not (folder / "gen.py").exists()


@pytest.mark.parametrize(
    "number, written",
    [
        (
            "1.7976931348623157e308",
            "1.7976931348623157e+308",
        ),  # the largest finite float
        ("-1.7976931348623157e308", "-1.7976931348623157e+308"),
        ("5e-324", "5e-324"),  # the smallest positive one
    ],
)
def test_the_largest_and_smallest_finite_floats_pass_through(tmp_path, number, written):
    folder = write_project(tmp_path / "p", nodes=CHAIN[:2])
    text = (
        (folder / "cfg.json")
        .read_text()
        .replace('"train_ratio": 0.7', f'"train_ratio": {number}', 1)
    )
    (folder / "cfg.json").write_text(text)
    code, _, err = generate(folder)
    assert code == 0, err
    assert f'"TRAIN_RATIO": "{written}",' in (folder / "gen.py").read_text()
