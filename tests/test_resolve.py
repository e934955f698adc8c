"""DAG node -> configuration: exact, case-insensitive, by step type, by job type; and refusals."""

import json
from pathlib import Path

import pytest

from cursus_codegen.catalog.loader import load_catalog
from cursus_codegen.diagnostics import Level, Location
from cursus_codegen.inputs.config import ConfigFile, NodeConfig, read_config
from cursus_codegen.inputs.resolve import resolve_nodes
from cursus_codegen.inputs.resolve_naming import split_job_type_suffix

DATA = Path(__file__).parent / "data" / "configs"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"

CLASSES = ["FooConfig", "BarStepConfig", "BazConfig", "QuxConfig"]


def step_types_for(classes):
    """A stand-in for the catalog: known classes map to their name without "StepConfig"/"Config"."""
    table = {}
    for name in classes:
        for suffix in ("StepConfig", "Config"):
            if name.endswith(suffix):
                table[name] = name[: -len(suffix)]
                break
    return table.get


step_type_of_class = step_types_for(CLASSES)


def fixture():
    config, diagnostics = read_config(DATA / "resolve.json", "resolve.json")
    assert diagnostics == []
    return config


def resolve(nodes, config=None, **kwargs):
    mapping, diagnostics = resolve_nodes(
        nodes, config or fixture(), step_type_of_class, **kwargs
    )
    return {node: cfg.key for node, cfg in mapping.items()}, diagnostics


def messages(diagnostics):
    assert all(d.level is Level.ERROR for d in diagnostics)
    return [d.message for d in diagnostics]


def built(*entries):
    """A ConfigFile made in code: (key, class, job_type or None)."""
    configs = tuple(
        NodeConfig(key, cls, {"job_type": job} if job else {})
        for key, cls, job in entries
    )
    return ConfigFile("built.json", configs, "0" * 64)


AVAILABLE = (
    "Bar, Baz_calibration, FooAgain, Foo_calibration, Foo_training, QuxCustomKey"
)


def test_exact_keys():
    assert resolve(["Foo_training", "Bar", "Foo_calibration"]) == (
        {
            "Foo_training": "Foo_training",
            "Bar": "Bar",
            "Foo_calibration": "Foo_calibration",
        },
        [],
    )


def test_keys_ignoring_case():
    assert resolve(["foo_CALIBRATION", "bar"]) == (
        {"foo_CALIBRATION": "Foo_calibration", "bar": "Bar"},
        [],
    )


def test_keys_ignoring_case_must_be_unique():
    config = built(("Bar", "BarStepConfig", None), ("BAR", "BarStepConfig", "x"))
    mapping, diagnostics = resolve(["bar"], config)
    assert mapping == {}
    assert messages(diagnostics) == [
        (
            "DAG node 'bar' matches several configurations (keys equal to it ignoring case): 'Bar', 'BAR'; "
            "rename the node to the configuration key it means"
        )
    ]


def test_a_node_without_suffix_takes_the_only_configuration_of_its_step_type():
    assert resolve(["Baz"]) == ({"Baz": "Baz_calibration"}, [])


def test_a_node_without_suffix_and_several_configurations_of_its_step_type_is_ambiguous():
    mapping, diagnostics = resolve(["Foo"])
    assert mapping == {}
    assert messages(diagnostics) == [
        (
            "DAG node 'Foo' matches several configurations (configurations of step type 'Foo'): "
            "'FooAgain', 'Foo_calibration', 'Foo_training'; rename the node to the configuration key it means"
        )
    ]


def test_step_type_comes_from_the_class_not_the_key():
    # key "QuxCustomKey" says nothing; its class QuxConfig and job_type training do
    assert resolve(
        ["Qux_training", "Qux_TRAINING"],
        built(("QuxCustomKey", "QuxConfig", "training")),
    )[0] == {"Qux_training": "QuxCustomKey", "Qux_TRAINING": "QuxCustomKey"}
    assert resolve(["Qux"]) == ({"Qux": "QuxCustomKey"}, [])


def test_a_suffixed_node_takes_the_configuration_with_that_job_type():
    config = built(
        ("A", "QuxConfig", "calibration"),
        ("B", "QuxConfig", "training"),
        ("C", "FooConfig", "training"),
    )
    assert resolve(["Qux_training", "Qux_calibration"], config) == (
        {"Qux_training": "B", "Qux_calibration": "A"},
        [],
    )


def test_a_job_type_with_an_underscore_is_one_suffix():
    # cursus's builder lookup splits "ssl_selection" wrongly; resolution by class does not
    config = built(
        (
            "ActiveSampleSelection_ssl_selection_x",
            "ActiveSampleSelectionConfig",
            "ssl_selection",
        )
    )
    mapping, diagnostics = resolve_nodes(
        ["ActiveSampleSelection_ssl_selection"],
        config,
        step_types_for(["ActiveSampleSelectionConfig"]),
    )
    assert diagnostics == []
    assert (
        mapping["ActiveSampleSelection_ssl_selection"].key
        == "ActiveSampleSelection_ssl_selection_x"
    )


def test_several_configurations_with_the_job_type_resolve_as_cursus_scores_them():
    """cursus's job_type strategy: the first of the best-scored configurations, with a warning."""
    config = built(("QuxA", "QuxConfig", "training"), ("QuxB", "QuxConfig", "training"))
    mapping, diagnostics = resolve(["Qux_training"], config)
    assert mapping == {"Qux_training": "QuxA"}
    assert [(d.level, d.message) for d in diagnostics] == [
        (
            Level.WARNING,
            (
                "no configuration is named after DAG node 'Qux_training'; as cursus does, it is resolved by "
                "job_type matching to 'QuxA' (QuxConfig) with confidence 0.94; name a configuration "
                "'Qux_training' to make this explicit (an error under --strict)"
            ),
        )
    ]


def test_missing_configurations_list_the_available_keys():
    mapping, diagnostics = resolve(["Qux_testing", "Nope", "Nope_calibration", "Bar"])
    assert mapping == {"Bar": "Bar"}
    assert messages(diagnostics) == [
        (
            f"no configuration for DAG node 'Qux_testing': no key 'Qux_testing' and no Qux configuration with "
            f"job_type 'testing' (available configuration keys: {AVAILABLE})"
        ),
        (
            f"no configuration for DAG node 'Nope': no key 'Nope' and no configuration of step type 'Nope' "
            f"(available configuration keys: {AVAILABLE})"
        ),
        (
            f"no configuration for DAG node 'Nope_calibration': no key 'Nope_calibration' and no Nope configuration "
            f"with job_type 'calibration' (available configuration keys: {AVAILABLE})"
        ),
    ]


def test_the_scored_fallback_binds_what_cursus_binds_and_says_so():
    # a node of no known step type: cursus's job_type strategy picks FooAgain (job_type TRAINING)
    mapping, diagnostics = resolve(["Quux_calibration", "BazTraining"])
    assert mapping == {"BazTraining": "FooAgain"}
    assert [d.level for d in diagnostics] == [Level.ERROR, Level.WARNING]
    assert (
        "'Quux_calibration'" in diagnostics[0].message
    )  # no strategy proposes anything
    assert "'FooAgain' (FooConfig) with confidence 0.70" in diagnostics[1].message


def test_errors_point_at_the_dag_node_when_it_can_be_located():
    dag_location = Location("dag.py", 12, 5)
    _, diagnostics = resolve(["Nope"], locate_node={"Nope": dag_location}.get)
    assert diagnostics[0].location == dag_location
    _, diagnostics = resolve(["Nope"])
    assert diagnostics[0].location == Location("resolve.json")
    _, diagnostics = resolve(
        ["Nope"], locate_node={}.get
    )  # a locator that does not know the node
    assert diagnostics[0].location == Location("resolve.json")


def test_two_nodes_with_the_same_sagemaker_step_name_are_refused():
    where = {
        "Foo_training": Location("dag.json", 3, 9),
        "FooAgain": Location("dag.json", 4, 9),
    }
    mapping, diagnostics = resolve(
        ["Foo_training", "FooAgain", "Foo_calibration"], locate_node=where.get
    )
    assert mapping == {
        "Foo_training": "Foo_training",
        "FooAgain": "FooAgain",
        "Foo_calibration": "Foo_calibration",
    }
    # job_type "TRAINING".capitalize() == "Training": the same name as job_type "training"
    assert messages(diagnostics) == [
        (
            "DAG nodes 'Foo_training' (configuration 'Foo_training'), 'FooAgain' (configuration 'FooAgain') would all "
            "be the SageMaker step 'Foo-Training'; each node needs a configuration of its own"
        )
    ]
    assert diagnostics[0].location == where["FooAgain"]


def test_two_nodes_bound_to_one_configuration_are_refused():
    _, diagnostics = resolve(["Bar", "BAR", "Baz", "Baz_calibration"])
    assert messages(diagnostics) == [
        (
            "DAG nodes 'Bar' (configuration 'Bar'), 'BAR' (configuration 'Bar') would all be the SageMaker step "
            "'Bar'; each node needs a configuration of its own"
        ),
        (
            "DAG nodes 'Baz' (configuration 'Baz_calibration'), 'Baz_calibration' (configuration 'Baz_calibration') "
            "would all be the SageMaker step 'Baz-Calibration'; each node needs a configuration of its own"
        ),
    ]


def test_an_unknown_class_no_node_uses_is_a_warning_at_its_declaration():
    config, _ = read_config(DATA / "unknown_class.json", "unknown_class.json")
    mapping, diagnostics = resolve_nodes(["Bar"], config, step_type_of_class)
    assert {n: c.key for n, c in mapping.items()} == {"Bar": "Bar"}
    assert [(d.level.value, d.message, d.location) for d in diagnostics] == [
        (
            "warning",
            (
                "unknown configuration class 'MysteryConfig' (no step type defines it); "
                "no DAG node uses it, so it is ignored"
            ),
            Location("unknown_class.json", 12, 18, "/metadata/config_types/Mystery"),
        )
    ]


def test_an_unknown_class_a_node_uses_is_an_error_at_its_declaration():
    config, _ = read_config(DATA / "unknown_class.json", "unknown_class.json")
    _, diagnostics = resolve_nodes(["Bar", "Mystery"], config, step_type_of_class)
    assert [(d.level.value, d.message, d.location) for d in diagnostics] == [
        (
            "error",
            "unknown configuration class 'MysteryConfig' (no step type defines it)",
            Location("unknown_class.json", 12, 18, "/metadata/config_types/Mystery"),
        )
    ]


@pytest.mark.parametrize(
    "node, expected",
    [
        ("TabularPreprocessing_training", ("TabularPreprocessing", "training")),
        ("TabularPreprocessing", ("TabularPreprocessing", None)),
        ("tabular_preprocessing", ("TabularPreprocessing", None)),
        ("xgboost_training_calibration", ("XGBoostTraining", "calibration")),
        ("XGBoostTraining_pretrain_v2", ("XGBoostTraining", "pretrain_v2")),
        ("LightGBMTraining", ("LightGBMTraining", None)),
        ("LightGBMModelEval_calibration", ("LightGBMModelEval_calibration", None)),
    ],
)
def test_split_job_type_suffix_uses_the_longest_known_prefix(node, expected):
    assert (
        split_job_type_suffix(
            node, ["TabularPreprocessing", "XGBoostTraining", "XGBoost"]
        )
        == expected
    )


# --- the real cursus files (extras: skipped when the corpus is absent) --------------------------

CORPUS_CLASSES = [
    "CradleDataLoadingConfig",
    "TabularPreprocessingConfig",
    "XGBoostTrainingConfig",
    "XGBoostModelEvalConfig",
    "ModelCalibrationConfig",
    "PackageConfig",
    "PayloadConfig",
    "RegistrationConfig",
    "DummyDataLoadingConfig",
    "BedrockPromptTemplateGenerationConfig",
    "BedrockBatchProcessingConfig",
    "LabelRulesetGenerationConfig",
    "LabelRulesetExecutionConfig",
    "PyTorchTrainingConfig",
    "PyTorchModelEvalConfig",
    "DummyTrainingConfig",
]
needs_corpus = pytest.mark.skipif(
    not (CORPUS / "configs").exists(), reason="shared corpus not present"
)


def corpus_resolve(config_name, nodes):
    config, diagnostics = read_config(CORPUS / "configs" / config_name, config_name)
    assert diagnostics == []
    catalog, _ = (
        load_catalog()
    )  # every step type cursus knows, as the generator passes them
    mapping, diagnostics = resolve_nodes(
        nodes,
        config,
        step_types_for(CORPUS_CLASSES),
        known_step_types=tuple(catalog.by_step_type),
    )
    return {n: c.key for n, c in mapping.items()}, diagnostics


def dag_nodes(name):
    return json.loads((CORPUS / "dags" / name).read_text())["dag"]["nodes"]


@needs_corpus
@pytest.mark.parametrize(
    "dag, config",
    [
        ("xgboost/complete_e2e.dag.json", "atoz_xgboost/config.json"),
        (
            "bedrock/bedrock_batch_pytorch_with_label_ruleset_e2e.dag.json",
            "rnr_pytorch_bedrock/config.json",
        ),
        ("dummy/e2e_basic.dag.json", "rnr_pytorch_bedrock/config_dummy.json"),
    ],
)
def test_corpus_pairs_resolve_every_node_to_its_own_key(dag, config):
    nodes = dag_nodes(dag)
    mapping, diagnostics = corpus_resolve(config, nodes)
    assert diagnostics == []
    assert mapping == {n: n for n in nodes}


@needs_corpus
def test_corpus_suffixless_eval_node_takes_the_calibration_config():
    assert corpus_resolve("atoz_xgboost/config.json", ["XGBoostModelEval"]) == (
        {"XGBoostModelEval": "XGBoostModelEval_calibration"},
        [],
    )


@needs_corpus
def test_corpus_lightgbm_nodes_are_not_bound_to_xgboost_or_cradle_configs():
    # ab_lightgbm: cursus binds these to CradleDataLoading_training / ModelCalibration_calibration
    # (bound as cursus binds them, these would build steps of another type than the DAG names)
    mapping, diagnostics = corpus_resolve(
        "atoz_xgboost/config.json",
        ["LightGBMTraining", "LightGBMModelEval_calibration"],
    )
    assert mapping == {}
    assert [d.message.split(":")[0] for d in diagnostics] == [
        "no configuration for DAG node 'LightGBMTraining'",
        "no configuration for DAG node 'LightGBMModelEval_calibration'",
    ]
    assert "would bind it to 'CradleDataLoading_training'" in diagnostics[0].message
    assert "would bind it to 'ModelCalibration_calibration'" in diagnostics[1].message


@needs_corpus
def test_corpus_training_with_calibration_resolves_as_cursus_does():
    """xgboost/training_with_calibration names ModelCalibration_training; atoz has only the
    calibration one: cursus's pattern strategy picks it at 0.80 and builds ModelCalibration-Calibration.
    """
    mapping, diagnostics = corpus_resolve(
        "atoz_xgboost/config.json", ["ModelCalibration_training"]
    )
    assert mapping == {"ModelCalibration_training": "ModelCalibration_calibration"}
    assert [d.level for d in diagnostics] == [Level.WARNING]
    assert (
        "pattern matching to 'ModelCalibration_calibration'" in diagnostics[0].message
    )
    assert "confidence 0.80" in diagnostics[0].message
