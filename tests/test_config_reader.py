"""Reading the cursus configuration JSON: positions, decoding, merging, and every refusal."""

import hashlib
import json
from pathlib import Path

import pytest

from cursus_codegen.diagnostics import Level, Location
from cursus_codegen.inputs.config import read_config
from cursus_codegen.inputs.json_locate import JsonSyntaxError, parse_json

DATA = Path(__file__).parent / "data" / "configs"
CORPUS_CONFIGS = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "configs"
)


def read(name):
    return read_config(DATA / name, name)


def where(diagnostic):
    loc = diagnostic.location
    return loc.pointer, loc.line, loc.col


def only_errors(diagnostics):
    return [d for d in diagnostics if d.level is Level.ERROR]


# --- json_locate -------------------------------------------------------------------------------


def test_positions_follow_escapes_unicode_and_pointer_escaping():
    text = '{"a": [1, {"b/c": "x\\u00e9\\"}"}, [], {}],\n "é~": {"n": null, "t": true}, "": -1.5e3}'
    parsed = parse_json(text)
    assert parsed.value == {
        "a": [1, {"b/c": 'xé"}'}, [], {}],
        "é~": {"n": None, "t": True},
        "": -1500.0,
    }
    assert parsed.position("") == (1, 1)
    assert parsed.position("/a") == (1, 7)
    assert parsed.position("/a/1") == (1, 11)
    assert parsed.position("/a/1/b~1c") == (1, 19)
    assert parsed.position("/a/2") == (1, 34)
    assert parsed.position("/a/3") == (1, 38)
    assert parsed.position("/é~0") == (2, 8)  # columns count characters, not bytes
    assert parsed.position("/é~0/t") == (2, 25)
    assert parsed.position("/") == (2, 36)  # the empty key
    assert parsed.position("/missing") is None


def test_every_value_of_a_document_is_located_at_its_first_character():
    text = json.dumps(
        {"x": [{"y": "z\n", "w": [1.5, None]}], "v": {"u": False}}, indent=3
    )
    parsed = parse_json(text)
    lines = text.split("\n")
    expected_first = {
        "": "{",
        "/x": "[",
        "/x/0": "{",
        "/x/0/y": '"',
        "/x/0/w": "[",
        "/x/0/w/0": "1",
        "/x/0/w/1": "n",
        "/v": "{",
        "/v/u": "f",
    }
    assert set(parsed.positions) == set(expected_first)
    for pointer, first in expected_first.items():
        line, col = parsed.position(pointer)
        assert lines[line - 1][col - 1] == first, pointer


def test_duplicate_keys_locate_the_value_json_keeps():
    parsed = parse_json('{"a": 1,\n "a": 2}')
    assert parsed.value == {"a": 2}
    assert parsed.position("/a") == (2, 7)


def test_syntax_errors_and_deep_nesting_are_values():
    assert parse_json('{\n  "a": }') == JsonSyntaxError("Expecting value", 2, 8)
    assert isinstance(parse_json("[" * 100_000), JsonSyntaxError)
    deep = parse_json(
        "[" * 400 + "]" * 400
    )  # valid, deeper than a recursive scan would like
    assert deep.position("/0" * 399) == (1, 400)


# --- a good file -------------------------------------------------------------------------------


def test_configs_follow_config_types_order_and_merge_specific_over_shared():
    config, diagnostics = read("small.json")
    assert [c.key for c in config.configs] == ["Foo_training", "Bar", "Foo_calibration"]
    assert [c.class_name for c in config.configs] == [
        "FooConfig",
        "BarStepConfig",
        "FooConfig",
    ]
    bar = config.get("Bar")
    assert bar.values["region"] == "EU"  # specific wins
    assert config.get("Foo_training").values["region"] == "NA"  # shared
    assert "__model_type__" not in bar.values and "_private" not in bar.values
    assert "__model_module__" not in bar.values
    assert config.get("Orphan") is None
    assert (
        config.sha256 == hashlib.sha256((DATA / "small.json").read_bytes()).hexdigest()
    )
    assert config.display_path == "small.json"
    # the entry missing from config_types is reported, not loaded
    assert [(d.level, d.message, where(d)) for d in diagnostics] == [
        (
            Level.WARNING,
            "configuration.specific entry 'Orphan' is not listed in metadata.config_types and is ignored",
            ("/configuration/specific/Orphan", 35, 17),
        )
    ]


def test_type_info_wrappers_are_unwrapped():
    config, _ = read("small.json")
    bar = config.get("Bar").values
    assert bar["tags"] == ["a", "b"]  # set: deduplicated and sorted
    assert bar["mixed"] == [3, "x"]  # frozenset that cannot be sorted: file order
    assert bar["mode"] == "fast"
    assert bar["pair"] == [1, 2]
    assert bar["when"] == "2025-11-02T20:15:08"
    assert bar["where"] == "dockers/scripts"
    options = config.get("Foo_training").values["options"]
    assert options == {
        "k": [1, 2],
        "_kept": True,
    }  # dict wrapper: items decoded, keys kept


def test_nested_models_keep_their_class_and_lose_private_keys():
    spec = read("small.json")[0].get("Foo_calibration").values["spec"]
    assert spec == {
        "__model_type__": "SpecConfig",
        "items": [{"__model_type__": "ItemConfig", "name": 'café "q"'}],
    }


def test_field_locations_prefer_specific_then_shared_then_the_entry():
    config, _ = read("small.json")
    bar = config.get("Bar")
    assert bar.location("region") == Location(
        "small.json", 16, 19, "/configuration/specific/Bar/region"
    )
    assert bar.location("author") == Location(
        "small.json", 5, 17, "/configuration/shared/author"
    )
    assert bar.location("not_there") == Location(
        "small.json", 10, 14, "/configuration/specific/Bar"
    )
    assert (
        bar.location("__model_type__").pointer
        == "/configuration/specific/Bar/__model_type__"
    )
    assert bar.class_location == Location(
        "small.json", 43, 14, "/metadata/config_types/Bar"
    )


def test_a_file_without_the_configuration_wrapper_is_read_like_cursus_does():
    config, diagnostics = read("no_wrapper.json")
    assert diagnostics == []
    assert config.get("Bar").values == {"author": "bo"}
    assert config.get("Bar").location("author").pointer == "/specific/Bar/author"


# --- refusals ----------------------------------------------------------------------------------


def test_unreadable_file(tmp_path):
    config, diagnostics = read_config(tmp_path / "absent.json", "absent.json")
    assert config is None
    assert len(diagnostics) == 1
    assert diagnostics[0].message.startswith("cannot read configuration file: ")
    assert diagnostics[0].location == Location("absent.json")
    config, diagnostics = read_config(tmp_path, "a-directory")
    assert config is None and diagnostics[0].message.startswith(
        "cannot read configuration file"
    )


def test_non_utf8_file(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{\n  "author": "Jos\xe9"\n}\n')
    config, diagnostics = read_config(path, "latin1.json")
    assert config is None
    assert [(d.message, d.location) for d in diagnostics] == [
        (
            "configuration file is not valid UTF-8 (byte 0xe9 at offset 18)",
            Location("latin1.json", 2, 17),
        )
    ]


def test_a_byte_order_mark_is_tolerated(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + (DATA / "no_wrapper.json").read_bytes())
    config, diagnostics = read_config(path, "bom.json")
    assert diagnostics == [] and config.get("Bar") is not None


def test_malformed_json_gives_the_decoder_line_and_column():
    config, diagnostics = read("malformed.json")
    assert config is None
    assert [(d.message, d.location) for d in diagnostics] == [
        (
            "malformed JSON: Expecting property name enclosed in double quotes",
            Location("malformed.json", 3, 32),
        )
    ]


@pytest.mark.parametrize(
    "name, message, pointer, line, col",
    [
        (
            "top_not_object.json",
            "the configuration file must hold a JSON object, found an array",
            None,
            1,
            1,
        ),
        (
            "configuration_not_object.json",
            "'configuration' must be an object, found an array",
            "/configuration",
            2,
            20,
        ),
        (
            "no_config_types.json",
            "missing metadata.config_types: the file does not say which configuration classes it holds",
            "/metadata",
            6,
            15,
        ),
        (
            "no_metadata.json",
            "missing metadata.config_types: the file does not say which configuration classes it holds",
            None,
            1,
            1,
        ),
    ],
)
def test_structural_refusals(name, message, pointer, line, col):
    config, diagnostics = read(name)
    assert config is None
    assert [(d.level, d.message, where(d)) for d in diagnostics] == [
        (Level.ERROR, message, (pointer, line, col))
    ]


def test_values_are_still_checked_when_config_types_is_unusable(tmp_path):
    path = tmp_path / "both.json"
    path.write_text(
        '{"configuration": {"shared": {"a": {"__type_info__": "bag", "value": 1}},\n'
        ' "specific": {"B": {"c": {"__type_info__": "list"}}}},\n "metadata": null}'
    )
    config, diagnostics = read_config(path, "both.json")
    assert config is None
    assert [(d.message, where(d)) for d in diagnostics] == [
        ("'metadata' must be an object, found null", ("/metadata", 3, 14)),
        (
            "malformed __type_info__: unknown kind 'bag' (known: list, tuple, set, frozenset, dict, datetime, path, enum)",
            ("/configuration/shared/a/__type_info__", 1, 54),
        ),
        (
            "malformed __type_info__ 'list' wrapper: it has no 'value'",
            ("/configuration/specific/B/c", 2, 26),
        ),
    ]


def test_an_empty_config_types_is_refused(tmp_path):
    path = tmp_path / "empty.json"
    path.write_text(
        '{"configuration": {"shared": {}, "specific": {}},\n "metadata": {"config_types": {}}}'
    )
    config, diagnostics = read_config(path, "empty.json")
    assert config is None
    assert [(d.message, where(d)) for d in diagnostics] == [
        (
            "metadata.config_types is empty: the file declares no configuration",
            ("/metadata/config_types", 2, 31),
        )
    ]


def test_shared_and_specific_must_be_objects_and_both_are_reported():
    config, diagnostics = read("sections_not_objects.json")
    assert config is None
    assert [(d.message, where(d)) for d in diagnostics] == [
        (
            "configuration.shared must be an object, found an array",
            ("/configuration/shared", 3, 15),
        ),
        (
            "configuration.specific must be an object, found a string",
            ("/configuration/specific", 4, 17),
        ),
    ]


def test_every_entry_problem_is_reported_at_once():
    config, diagnostics = read("entry_problems.json")
    assert config is None
    assert [(d.message, where(d)) for d in only_errors(diagnostics)] == [
        (
            "metadata.config_types['Zed'] must be a class name, found a number",
            ("/metadata/config_types/Zed", 16, 14),
        ),
        (
            "configuration 'Bar': __model_type__ 'BazConfig' differs from metadata.config_types ('BarStepConfig')",
            ("/configuration/specific/Bar/__model_type__", 5, 33),
        ),
        (
            (
                "configuration 'Foo_calibration' (FooConfig) is declared in metadata.config_types but "
                "configuration.specific has no entry 'Foo_calibration'"
            ),
            ("/metadata/config_types/Foo_calibration", 13, 26),
        ),
        (
            "configuration.specific['Qux'] must be an object, found a number",
            ("/configuration/specific/Qux", 7, 14),
        ),
    ]


def test_malformed_type_info_is_reported_where_it_is():
    config, diagnostics = read("bad_type_info.json")
    assert config is None
    assert [(d.message, where(d)) for d in diagnostics] == [
        (
            "malformed __type_info__: unknown kind 'bag' (known: list, tuple, set, frozenset, dict, datetime, path, enum)",
            ("/configuration/shared/tags/__type_info__", 3, 42),
        ),  # shared: reported once, not per configuration
        (
            "malformed __type_info__ 'list' wrapper: it has no 'value'",
            ("/configuration/specific/Bar/a", 7, 14),
        ),
        (
            "malformed __type_info__ 'dict' wrapper: 'value' must be an object, found an array",
            ("/configuration/specific/Bar/b/value", 8, 49),
        ),
        (
            "malformed __type_info__ 'datetime' wrapper: 'yesterday' is not an ISO date-time",
            ("/configuration/specific/Bar/c/value", 9, 53),
        ),
        (
            "malformed __type_info__ 'set' wrapper: 'value' must be an array, found an object",
            ("/configuration/specific/Bar/d/value", 10, 48),
        ),
        (
            "malformed __type_info__ 'enum' wrapper: 'value' must be a scalar, found an array",
            ("/configuration/specific/Bar/e/value", 11, 49),
        ),
        (
            "__model_type__ must be a class name, found a number",
            ("/configuration/specific/Bar/f/__model_type__", 12, 33),
        ),
    ]


def test_the_writers_failure_markers_are_a_warning(tmp_path):
    path = tmp_path / "marker.json"
    path.write_text(
        json.dumps(
            {
                "configuration": {
                    "shared": {},
                    "specific": {
                        "Bar": {
                            "__model_type__": "BarStepConfig",
                            "spec": {
                                "__model_type__": "SpecConfig",
                                "_error": "boom",
                                "_serialization_error": True,
                            },
                        }
                    },
                },
                "metadata": {"config_types": {"Bar": "BarStepConfig"}},
            }
        )
    )
    config, diagnostics = read_config(path, "marker.json")
    assert config.get("Bar").values["spec"] == {"__model_type__": "SpecConfig"}
    assert [(d.level, d.message, d.location.pointer) for d in diagnostics] == [
        (
            Level.WARNING,
            "the writer could not serialise this SpecConfig value (boom)",
            "/configuration/specific/Bar/spec",
        )
    ]


# --- the real cursus files (extras: skipped when the corpus is absent) --------------------------

ATOZ = CORPUS_CONFIGS / "atoz_xgboost" / "config.json"
needs_corpus = pytest.mark.skipif(not ATOZ.exists(), reason="shared corpus not present")


@needs_corpus
def test_atoz_config_reads_ten_configurations_with_their_classes():
    config, diagnostics = read_config(ATOZ, "config.json")
    assert diagnostics == []
    assert {c.key: c.class_name for c in config.configs} == {
        "CradleDataLoading_calibration": "CradleDataLoadingConfig",
        "CradleDataLoading_training": "CradleDataLoadingConfig",
        "ModelCalibration_calibration": "ModelCalibrationConfig",
        "Package": "PackageConfig",
        "Payload": "PayloadConfig",
        "Registration": "RegistrationConfig",
        "TabularPreprocessing_calibration": "TabularPreprocessingConfig",
        "TabularPreprocessing_training": "TabularPreprocessingConfig",
        "XGBoostModelEval_calibration": "XGBoostModelEvalConfig",
        "XGBoostTraining": "XGBoostTrainingConfig",
    }
    assert [c.key for c in config.configs] == sorted(
        c.key for c in config.configs
    )  # writer sorts keys


@needs_corpus
def test_atoz_values_merge_shared_and_specific():
    config, _ = read_config(ATOZ, "config.json")
    tabular = config.get("TabularPreprocessing_training")
    assert tabular.values["processing_instance_type_large"] == "ml.m5.12xlarge"
    assert tabular.values["use_large_processing_instance"] is True
    assert tabular.values["job_type"] == "training"
    assert tabular.values["author"] == "lukexie"  # from shared
    assert tabular.location("author").pointer == "/configuration/shared/author"
    assert (
        tabular.location("job_type").pointer
        == "/configuration/specific/TabularPreprocessing_training/job_type"
    )


@needs_corpus
def test_atoz_cradle_nested_models_are_kept_and_lists_unwrapped():
    cradle = (
        read_config(ATOZ, "config.json")[0].get("CradleDataLoading_training").values
    )
    assert cradle["cradle_job_spec"]["__model_type__"] == "CradleJobSpecificationConfig"
    assert cradle["cradle_job_spec"]["cluster_type"] == "MEDIUM"
    sources = cradle["data_sources_spec"]["data_sources"]
    assert isinstance(sources, list) and sources
    assert sources[0]["__model_type__"] == "DataSourceConfig"
    assert (
        sources[0]["mds_data_source_properties"]["__model_type__"]
        == "MdsDataSourceConfig"
    )
    assert "__type_info__" not in json.dumps(cradle)


@needs_corpus
@pytest.mark.parametrize(
    "name", ["config.json", "config_full.json", "config_dummy.json"]
)
def test_rnr_configs_read_cleanly(name):
    path = CORPUS_CONFIGS / "rnr_pytorch_bedrock" / name
    config, diagnostics = read_config(path, name)
    raw = json.loads(path.read_text())
    assert diagnostics == []
    assert [c.key for c in config.configs] == list(raw["metadata"]["config_types"])
    assert "__type_info__" not in json.dumps([dict(c.values) for c in config.configs])


@needs_corpus
def test_rnr_dict_wrappers_are_unwrapped():
    path = CORPUS_CONFIGS / "rnr_pytorch_bedrock" / "config.json"
    rules = (
        read_config(path, "config.json")[0]
        .get("LabelRulesetGeneration")
        .values["rule_definitions"]
    )
    assert rules["__model_type__"] == "RulesetDefinitionList"
    assert rules["rules"][0]["conditions"]["field"] == "llm_category"
    assert rules["rules"][0]["conditions"]["operator"] == "in"
