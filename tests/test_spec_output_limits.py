"""The layout thresholds of the generated module, each tested at the threshold and on both
sides of it, through what a reviewer reads in the module:

- a string value used in more than one place is written once, as a module constant, when it
  has at least 200 characters (a single line) or at least 80 (several lines); used once, or
  shorter, it stays where it is used;
- a single-line string of more than 88 characters with ", " separators is cut after each;
- no line is longer than 100 characters, except a string literal alone on its line;
- the pipeline name is cut to 255 characters (cursus `sanitize_pipeline_name`);
- a module of many steps is exactly what black makes of it, and the same when its pieces
  come from the cache (steps are formatted in batches of 16, in worker processes once the
  pending batches hold 48 steps: 32/33 steps is where that switches, 47/48/49 the constant).
"""

import ast
import json

import black
import pytest
from test_spec_helpers import (
    example_configuration,
    generated,
    module_constants,
    string_constants,
    write_project,
)

PAIRS = (
    "DummyDataLoading_training",
    "TabularPreprocessing_training",
    "DummyDataLoading_calibration",
    "TabularPreprocessing_calibration",
)
EDGES = [[PAIRS[0], PAIRS[1]], [PAIRS[2], PAIRS[3]]]
INDENT = " " * 12  # an environment entry inside a step method


def module_with_labels(tmp_path, training, calibration, **shared):
    """The two preprocessing steps of a training + calibration project, each with its
    label_name (it reaches the module as the LABEL_FIELD environment variable)."""
    data = example_configuration(PAIRS)
    data["configuration"]["specific"][PAIRS[1]]["label_name"] = training
    data["configuration"]["specific"][PAIRS[3]]["label_name"] = calibration
    data["configuration"]["shared"].update(shared)
    return generated(write_project(tmp_path / "p", data, PAIRS, EDGES))


def shared_as_constant(source, value):
    constants = module_constants(source)
    if constants.get("LABEL_FIELD") == value:
        assert (
            source.count('"LABEL_FIELD": LABEL_FIELD,') == 2
        )  # both uses read the name
        assert string_constants(source).count(value) == 1
        return True
    assert value not in constants.values()
    assert string_constants(source).count(value) == 2  # written where used, twice
    return False


@pytest.mark.parametrize("length, shared", [(199, False), (200, True), (201, True)])
def test_a_single_line_string_used_twice_is_shared_from_200_characters(
    tmp_path, length, shared
):
    value = "L" * length
    assert (
        shared_as_constant(module_with_labels(tmp_path, value, value), value) is shared
    )


@pytest.mark.parametrize("length, shared", [(79, False), (80, True), (81, True)])
def test_a_multi_line_string_used_twice_is_shared_from_80_characters(
    tmp_path, length, shared
):
    value = "select *\n" + "x" * (length - 9)
    assert len(value) == length
    assert (
        shared_as_constant(module_with_labels(tmp_path, value, value), value) is shared
    )


@pytest.mark.parametrize("length", [200, 400])
def test_a_long_string_used_once_is_never_a_constant(tmp_path, length):
    training, calibration = "T" * length, "C" * length
    source = module_with_labels(tmp_path, training, calibration)
    assert "LABEL_FIELD" not in module_constants(source)
    assert (
        string_constants(source).count(training)
        == string_constants(source).count(calibration)
        == 1
    )


@pytest.mark.parametrize("length, cut", [(87, False), (88, False), (89, True)])
def test_a_single_line_string_is_cut_at_its_separators_beyond_88_characters(
    tmp_path, length, cut
):
    value = "a, " + "b" * (length - 3)
    source = module_with_labels(tmp_path, value, "short")
    assert value in string_constants(source)  # the same value either way
    assert (f'"{value}"' in source) is not cut  # written whole, or not
    if cut:
        assert '"a, "' in source and f'"{"b" * (length - 3)}"' in source


@pytest.mark.parametrize("line_length", [99, 100, 101])
def test_only_a_line_longer_than_100_characters_moves_its_string_to_a_line_of_its_own(
    tmp_path, line_length
):
    entry = f'{INDENT}"LABEL_FIELD": "'
    value = "v" * (line_length - len(entry) - len('",'))
    source = module_with_labels(tmp_path, value, "short")
    lines = source.splitlines()
    assert (f'{entry}{value}",' in lines) is (line_length <= 100)
    if line_length > 100:
        assert any(line.strip() == f'"{value}"' for line in lines)
    for line in lines:
        assert len(line) <= 100 or line.strip().startswith(('"', "'")), line


@pytest.mark.parametrize("length", [254, 255, 256])
def test_the_pipeline_name_is_cut_to_255_characters(tmp_path, length):
    suffix = "-FraudDetection-xgboost-NA-2-0-0-pipeline"
    author = "a" * (length - len(suffix))
    name = module_constants(module_with_labels(tmp_path, "y", "y", author=author))[
        "PIPELINE_NAME"
    ]
    assert name == (author + suffix)[:255]
    assert len(name) == min(length, 255)


def many_steps_project(folder, steps):
    """`steps` steps: DummyDataLoading_jK -> TabularPreprocessing_jK pairs (one loader alone
    when `steps` is odd), data read from S3."""
    names, edges, specific = [], [], {}
    for k in range((steps + 1) // 2):
        load, prep = f"DummyDataLoading_j{k:03d}", f"TabularPreprocessing_j{k:03d}"
        specific[load] = {
            "__model_type__": "DummyDataLoadingConfig",
            "job_type": f"j{k:03d}",
            "data_source": f"s3://bucket/data/j{k:03d}",
        }
        names.append(load)
        if len(names) < steps:
            specific[prep] = {
                "__model_type__": "TabularPreprocessingConfig",
                "job_type": f"j{k:03d}",
                "label_name": "label",
            }
            names.append(prep)
            edges.append([load, prep])
    shared = {
        "author": "spec",
        "bucket": "bucket",
        "role": "arn:aws:iam::1:role/r",
        "region": "NA",
        "service_name": "Many",
        "pipeline_version": "1.0.0",
        "project_root_folder": "many",
        "source_dir": "s3://bucket/code",
    }
    config = {
        "configuration": {"shared": shared, "specific": specific},
        "metadata": {
            "config_types": {k: v["__model_type__"] for k, v in specific.items()}
        },
    }
    folder.mkdir(parents=True)
    (folder / "cfg.json").write_text(json.dumps(config))
    (folder / "dag.json").write_text(
        json.dumps({"dag": {"nodes": names, "edges": edges}})
    )
    return folder


@pytest.mark.parametrize("steps", [32, 33, 47, 48, 49])
def test_a_module_of_many_steps_is_exactly_what_black_makes_of_it(
    tmp_path, monkeypatch, steps
):
    monkeypatch.setenv(
        "CURSUS_CODEGEN_CACHE_DIR", str(tmp_path / "cache")
    )  # nothing cached yet
    folder = many_steps_project(tmp_path / "p", steps)
    source = generated(folder)
    tree = ast.parse(source)
    methods = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef) and n.name.startswith("build_")
    ]
    assert len(methods) == steps
    assert black.format_str(source, mode=black.Mode()) == source
    (folder / "gen.py").unlink()
    assert generated(folder) == source  # its pieces now come from the cache
