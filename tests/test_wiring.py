"""Dependency wiring against the facts verified with cursus v2.9.32 (reference/cursus-inputs.md §5).

The specs below are transcribed from `src/cursus/steps/interfaces/*.step.yaml` (dependency and
output logical names, types, data types (all S3Uri), aliases, dependency semantic_keywords,
compatible_sources, required flags). Output semantic_keywords and property paths never enter the
score, so they are left out. CradleDataLoading's training/calibration variants only change output
keywords; the deep merge keeps the base aliases.
"""

from dataclasses import replace

from cursus_codegen.catalog.types import InputSpec, OutputSpec
from cursus_codegen.plan.compatibility import compatibility, provider_in_sources
from cursus_codegen.plan.wiring import (
    Wire,
    WireNode,
    assembler_pass,
    compute_wiring,
    resolver_pass,
)

# fmt: off
PO, MA, TD = "processing_output", "model_artifacts", "training_data"
HP, PS, CP = "hyperparameters", "payload_samples", "custom_property"


def dep(name, type_=PO, required=True, sources="", keywords=""):
    """A dependency; `sources` and `keywords` are space-separated lists, in YAML order."""
    path = "/opt/ml/processing/input/" + name
    return InputSpec(name, path, required, type_, "S3Uri", tuple(sources.split()), tuple(keywords.split()))


def out(name, type_=PO, aliases=""):
    path = "/opt/ml/processing/output/" + name
    return OutputSpec(name, path, type_, "S3Uri", "", tuple(aliases.split()))


def node(name, step_type, inputs=(), outputs=()):
    return WireNode(name, step_type, name.replace("_", "-"), tuple(inputs), tuple(outputs))


LOADERS = "CradleDataLoading DummyDataLoading RedshiftDataLoading DataLoad ProcessingStep BedrockProcessing StratifiedSampling"
TRAINING_SOURCES = "TabularPreprocessing BedrockProcessing StratifiedSampling RiskTableMapping MissingValueImputation LabelRulesetExecution ProcessingStep DataLoad"
MODEL_KEYWORDS = "model artifacts trained output ModelArtifacts"

CRADLE_OUTPUTS = (
    out("DATA", aliases="input_data training_data processed_data"),
    out("METADATA"),
    out("SIGNATURE", aliases="schema"),
)
TABULAR_INPUTS = (
    dep("DATA", PO, True, LOADERS, "data input raw dataset source tabular training validation testing calibration"),
    dep("DATA_SECONDARY", PO, False, LOADERS, "data secondary additional supplementary"),
    dep("SIGNATURE", PO, False, "CradleDataLoading DummyDataLoading", "signature schema columns column_names metadata header"),
)
TABULAR_OUTPUTS = (
    out("processed_data", aliases="input_path training_data model_input_data input_data validation_data testing_data calibration_data processed_training_data processed_validation_data processed_testing_data processed_calibration_data"),
)
HYPERPARAMETERS_DEP = dep("hyperparameters_s3_uri", HP, False, "HyperparameterPrep ProcessingStep", "config params hyperparameters settings hyperparams")
XGB_TRAINING_INPUTS = (
    dep("input_path", TD, True, TRAINING_SOURCES + " PyTorchModelInference", "data input training dataset processed train tabular embedding"),
    HYPERPARAMETERS_DEP,
    dep("model_artifacts_input", PO, False, "XGBoostTraining MissingValueImputation RiskTableMapping FeatureSelection", "artifacts model_artifacts preprocessing imputation risk_tables pretrained"),
)
XGB_TRAINING_OUTPUTS = (
    out("model_output", MA, "ModelOutputPath ModelArtifacts model_data output_path model_input model_artifacts_input"),
    out("evaluation_output", PO, "evaluation_data eval_data validation_output test_output prediction_results"),
)
PYTORCH_TRAINING_INPUTS = (
    dep("input_path", TD, True, TRAINING_SOURCES, "data input training dataset processed train pytorch"),
    HYPERPARAMETERS_DEP,
    dep("model_artifacts_input", PO, False, "PyTorchTraining TokenizerTraining MissingValueImputation RiskTableMapping FeatureSelection", "artifacts model_artifacts preprocessing pretrained tokenizer"),
)
EVAL_INPUTS = (
    dep("model_input", MA, True, "XGBoostTraining PyTorchTraining DummyTraining XGBoostModel PyTorchModel", MODEL_KEYWORDS),
    dep("processed_data", PO, True, "TabularPreprocessing CradleDataLoading RiskTableMapping CurrencyConversion", "data evaluation calibration validation test processed"),
)
EVAL_OUTPUTS = (
    out("eval_output", aliases="inference_output predictions model_predictions inference_results prediction_data evaluation_data"),
    out("metrics_output"),
)
CALIBRATION_INPUTS = (
    dep("evaluation_data", PO, True, "XGBoostTraining XGBoostModelEval XGBoostModelInference LightGBMTraining LightGBMModelEval LightGBMModelInference LightGBMMTTraining LightGBMMTModelEval PyTorchTraining PyTorchModelEval PyTorchModelInference ModelEvaluation TrainingEvaluation CrossValidation XgboostMtModelEval", "evaluation predictions scores results model_output performance inference output_data prediction_results"),
)
CALIBRATION_OUTPUTS = (
    out("calibration_output", aliases="calibration_model calibration_artifacts probability_calibration calibrator"),
    out("metrics_output", aliases="calibration_metrics reliability_metrics calibration_performance"),
    out("calibrated_data", aliases="calibrated_predictions calibrated_probabilities probability_scores"),
)
PACKAGE_INPUTS = (
    dep("model_input", MA, True, "XGBoostTraining TrainingStep ModelStep PyTorchTraining XgboostMtTraining LightGBMMTTraining", MODEL_KEYWORDS),
    dep("inference_scripts_input", CP, False, "ProcessingStep ScriptStep", "inference scripts code InferenceScripts"),
    dep("calibration_model", PO, False, "ModelCalibration PercentileModelCalibration", "calibration calibration_model calibrator probability calibrated"),
)
PACKAGE_OUTPUTS = (out("packaged_model", MA, "PackagedModel model_data"),)
PAYLOAD_INPUTS = (
    dep("model_input", MA, True, "XGBoostTraining LightGBMTraining LightGBMMTTraining PyTorchTraining DummyTraining TrainingStep ModelStep XgboostMtTraining", MODEL_KEYWORDS),
    dep("custom_payload_input", PO, False, "ProcessingStep S3Source UserProvided", "payload sample custom user_provided inference_sample"),
)
PAYLOAD_OUTPUTS = (out("payload_sample", aliases="GeneratedPayloadSamples"),)
REGISTRATION_INPUTS = (
    dep("PackagedModel", MA, True, "PackagingStep Package ProcessingStep", "model package packaged artifacts tar"),
    dep("GeneratedPayloadSamples", PS, True, "Payload PayloadTestStep PayloadStep ProcessingStep", "payload samples test generated inference"),
)

# xgboost/complete_e2e.dag.json: nodes and edges in file order.
E2E_NODES = (
    node("CradleDataLoading_training", "CradleDataLoading", (), CRADLE_OUTPUTS),
    node("TabularPreprocessing_training", "TabularPreprocessing", TABULAR_INPUTS, TABULAR_OUTPUTS),
    node("XGBoostTraining", "XGBoostTraining", XGB_TRAINING_INPUTS, XGB_TRAINING_OUTPUTS),
    node("ModelCalibration_calibration", "ModelCalibration", CALIBRATION_INPUTS, CALIBRATION_OUTPUTS),
    node("Package", "Package", PACKAGE_INPUTS, PACKAGE_OUTPUTS),
    node("Registration", "Registration", REGISTRATION_INPUTS, ()),
    node("Payload", "Payload", PAYLOAD_INPUTS, PAYLOAD_OUTPUTS),
    node("CradleDataLoading_calibration", "CradleDataLoading", (), CRADLE_OUTPUTS),
    node("TabularPreprocessing_calibration", "TabularPreprocessing", TABULAR_INPUTS, TABULAR_OUTPUTS),
    node("XGBoostModelEval_calibration", "XGBoostModelEval", EVAL_INPUTS, EVAL_OUTPUTS),
)
# fmt: on

E2E_EDGES = (
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
BY_NAME = {n.name: n for n in E2E_NODES}


def spec_of(node_name, kind, logical_name):
    specs = BY_NAME[node_name].inputs if kind == "in" else BY_NAME[node_name].outputs
    return next(s for s in specs if s.logical_name == logical_name)


def score(consumer, dep_name, producer, out_name):
    return compatibility(
        spec_of(consumer, "in", dep_name),
        spec_of(producer, "out", out_name),
        BY_NAME[producer].step_type,
    )


def summary(wires):
    return [
        (w.input, w.producer, w.output, round(w.score, 3), w.phase, w.match)
        for w in wires
    ]


def test_e2e_wiring_reproduces_the_verified_table():
    wiring = compute_wiring(E2E_NODES, E2E_EDGES)
    assert list(wiring) == [n.name for n in E2E_NODES]
    assert wiring["CradleDataLoading_training"] == ()
    tp, cradle = "TabularPreprocessing_training", "CradleDataLoading_training"
    assert summary(wiring[tp]) == [
        ("DATA", cradle, "DATA", 1.0, "assembler", "name"),
        ("DATA_SECONDARY", cradle, "METADATA", 0.765, "assembler", "score"),
        ("SIGNATURE", cradle, "SIGNATURE", 1.0, "assembler", "name"),
    ]
    assert summary(wiring["XGBoostTraining"]) == [
        ("input_path", tp, "processed_data", 0.812, "assembler", "alias"),
        ("model_artifacts_input", tp, "processed_data", 0.645, "resolver", "score"),
    ]
    assert summary(wiring["XGBoostModelEval_calibration"]) == [
        ("model_input", "XGBoostTraining", "model_output", 1.0, "assembler", "alias"),
        (
            "processed_data",
            "TabularPreprocessing_calibration",
            "processed_data",
            1.0,
            "assembler",
            "name",
        ),
    ]
    assert summary(wiring["ModelCalibration_calibration"]) == [
        (
            "evaluation_data",
            "XGBoostModelEval_calibration",
            "eval_output",
            1.0,
            "assembler",
            "alias",
        ),
    ]
    assert summary(wiring["Package"]) == [
        ("model_input", "XGBoostTraining", "model_output", 1.0, "assembler", "alias"),
        (
            "calibration_model",
            "ModelCalibration_calibration",
            "calibration_output",
            1.0,
            "assembler",
            "alias",
        ),
    ]
    assert summary(wiring["Payload"]) == [
        ("model_input", "XGBoostTraining", "model_output", 1.0, "assembler", "alias"),
        (
            "custom_payload_input",
            "XGBoostTraining",
            "evaluation_output",
            0.537,
            "assembler",
            "score",
        ),
    ]
    assert summary(wiring["Registration"]) == [
        ("PackagedModel", "Package", "packaged_model", 1.0, "assembler", "alias"),
        (
            "GeneratedPayloadSamples",
            "Payload",
            "payload_sample",
            0.81,
            "assembler",
            "alias",
        ),
    ]


def test_runner_up_scores_from_the_table():
    cradle, tp = "CradleDataLoading_training", "TabularPreprocessing_training"
    assert (
        round(score(tp, "DATA_SECONDARY", cradle, "DATA"), 3) == 0.836
    )  # claimed by DATA
    assert round(score(tp, "DATA_SECONDARY", cradle, "METADATA"), 3) == 0.765
    evaluator = "XGBoostModelEval_calibration"
    assert (
        round(
            score(evaluator, "processed_data", "XGBoostTraining", "evaluation_output"),
            3,
        )
        == 0.638
    )
    calibration = "ModelCalibration_calibration"
    assert (
        round(score(calibration, "evaluation_data", evaluator, "metrics_output"), 3)
        == 0.721
    )


def test_score_terms_for_training_input_path():
    # 0.2 (training_data accepts processing_output) + 0.2 (S3Uri) + 0.25 (alias input_path is
    # identical) + 0.05 (exact alias) + 0.1 (listed source) + 0.05 * 2/8 keywords in the name.
    expected = 0.0 + 0.2 + 0.2 + 1.0 * 0.25 + 0.05 + 0.1 + (2 / 8) * 0.05
    assert (
        score(
            "XGBoostTraining",
            "input_path",
            "TabularPreprocessing_training",
            "processed_data",
        )
        == expected
    )


def test_incompatible_types_score_zero_and_cap_at_one():
    model_dep = spec_of("Package", "in", "model_input")
    assert (
        compatibility(
            model_dep,
            spec_of("XGBoostTraining", "out", "evaluation_output"),
            "XGBoostTraining",
        )
        == 0.0
    )
    exact = compatibility(
        model_dep, spec_of("XGBoostTraining", "out", "model_output"), "XGBoostTraining"
    )
    assert exact == 1.0  # 0.4 + 0.2 + 0.25 + 0.05 + 0.1 + keywords would exceed 1


def test_off_list_provider_is_penalised_not_rejected():
    evaluation = spec_of("ModelCalibration_calibration", "in", "evaluation_data")
    eval_output = spec_of("XGBoostModelEval_calibration", "out", "eval_output")
    assert compatibility(evaluation, eval_output, "XGBoostModelEval") == 1.0  # capped
    # 0.4 + 0.2 + 0.25 + 0.05 - 0.1, no keyword inside "eval_output": still viable.
    assert (
        compatibility(evaluation, eval_output, "SomeOtherStep")
        == 0.0 + 0.4 + 0.2 + 0.25 + 0.05 - 0.1
    )


def test_provider_identity_matches_legacy_and_step_suffixed_names():
    assert provider_in_sources("Payload", ("PayloadStep",))
    assert provider_in_sources("Package", ("MIMSPackaging",))
    assert provider_in_sources("Registration", ("ModelRegistration",))
    assert provider_in_sources("PyTorchTraining", ("PytorchTraining",))
    assert not provider_in_sources(
        "Package", ("PackagingStep",)
    )  # "Packaging" != "Package"
    assert not provider_in_sources("Payload", ("PayloadTestStep",))
    assert score("Registration", "PackagedModel", "Package", "packaged_model") == 1.0


def test_assembler_gives_each_output_to_one_input_only():
    # One producer with a single output: DATA (required) takes it; the optional
    # DATA_SECONDARY, which scores well against the same output, stays unwired.
    loader = node("Loader", "DummyDataLoading", (), (out("DATA"),))
    consumer = node("TP", "TabularPreprocessing", TABULAR_INPUTS, ())
    assigned = assembler_pass(consumer, (loader,))
    assert list(assigned) == ["DATA"] and assigned["DATA"].output == "DATA"
    assert score_without_guard(consumer, loader) == {
        "DATA": "DATA",
        "DATA_SECONDARY": "DATA",
        "SIGNATURE": "DATA",
    }


def test_assembler_serves_required_inputs_first():
    # The optional input matches the output by name (0.9) but the required one (0.6 + name
    # similarity) is assigned first and keeps the contested output.
    producer = node("P", "SomeProcessing", (), (out("processed_data"),))
    consumer = node(
        "C", "SomeConsumer", (dep("features"), dep("processed_data", PO, False))
    )
    optional_score = compatibility(
        consumer.inputs[1], producer.outputs[0], "SomeProcessing"
    )
    required_score = compatibility(
        consumer.inputs[0], producer.outputs[0], "SomeProcessing"
    )
    assert optional_score > required_score > 0.5
    assert list(assembler_pass(consumer, (producer,))) == ["features"]


def score_without_guard(consumer, producer):
    return {
        name: wire.output for name, wire in resolver_pass(consumer, (producer,)).items()
    }


def test_resolver_pass_contributes_nothing_when_a_required_input_is_unresolved():
    # PyTorchTraining after TabularPreprocessing: the builder pass adds model_artifacts_input
    # (input_path: 0.2 + 0.2 + 0.25 + 0.05 + 0.1 + 0.05 * 2/7 keywords = 0.814).
    tp = node("TP", "TabularPreprocessing", TABULAR_INPUTS, TABULAR_OUTPUTS)
    training = node("Train", "PyTorchTraining", PYTORCH_TRAINING_INPUTS, ())
    wires = compute_wiring((tp, training), (("TP", "Train"),))["Train"]
    assert summary(wires) == [
        ("input_path", "TP", "processed_data", 0.814, "assembler", "alias"),
        ("model_artifacts_input", "TP", "processed_data", 0.645, "resolver", "score"),
    ]
    # Add a required input nothing upstream can feed: the builder pass now raises inside
    # cursus and adds nothing, so only the assembler's wire is left.
    needs_more = PYTORCH_TRAINING_INPUTS + (
        dep("tokenizer", MA, True, "TokenizerTraining"),
    )
    training = node("Train", "PyTorchTraining", needs_more, ())
    assert resolver_pass(training, (tp,)) == {}
    wires = compute_wiring((tp, training), (("TP", "Train"),))["Train"]
    assert summary(wires) == [
        ("input_path", "TP", "processed_data", 0.814, "assembler", "alias")
    ]


def test_required_input_supplied_by_config_still_blocks_the_resolver_pass():
    # DummyDataLoading.INPUT_DATA is required in the spec although the configuration supplies
    # it; the builder pass judges `required` from the spec alone, so an optional input that the
    # upstream step could feed gets nothing from that pass either.
    input_data = dep(
        "INPUT_DATA", PO, True, "DataUploadStep S3DataStep", "data dataset input"
    )
    optional = dep("extra", CP, False)
    upstream = node("Up", "Unrelated", (), (out("extra", CP),))
    dummy = node("Dummy", "DummyDataLoading", (input_data, optional), (out("DATA"),))
    assert resolver_pass(dummy, (upstream,)) == {}
    relaxed = node(
        "Dummy", "DummyDataLoading", (replace(input_data, required=False), optional)
    )
    assert [w.output for w in resolver_pass(relaxed, (upstream,)).values()] == ["extra"]


def test_only_direct_predecessors_feed_a_step():
    # Cradle -> TP -> XGBoostTraining: Cradle.DATA (alias training_data) is never offered to
    # the trainer because no edge joins them.
    cradle = node("Cradle", "CradleDataLoading", (), CRADLE_OUTPUTS)
    tp = node("TP", "TabularPreprocessing", TABULAR_INPUTS, TABULAR_OUTPUTS)
    trainer = node(
        "Train", "XGBoostTraining", XGB_TRAINING_INPUTS, XGB_TRAINING_OUTPUTS
    )
    wiring = compute_wiring((cradle, tp, trainer), (("Cradle", "TP"), ("TP", "Train")))
    assert {w.producer for w in wiring["Train"]} == {"TP"}
    alone = compute_wiring((cradle, trainer), ())
    assert alone["Train"] == ()
    unknown_endpoint = compute_wiring(
        (cradle, trainer), (("Cradle", "Missing"), ("TP", "Train"))
    )
    assert unknown_endpoint["Train"] == ()


def test_ties_go_to_the_earlier_predecessor():
    first = node("First", "TabularPreprocessing", (), TABULAR_OUTPUTS)
    second = node("Second", "TabularPreprocessing", (), TABULAR_OUTPUTS)
    trainer = node("Train", "XGBoostTraining", XGB_TRAINING_INPUTS[:1], ())
    for edges, winner in (
        ((("First", "Train"), ("Second", "Train")), "First"),
        ((("Second", "Train"), ("First", "Train")), "Second"),
    ):
        wires = compute_wiring((first, second, trainer), edges)["Train"]
        assert [(w.producer, w.phase) for w in wires] == [(winner, "assembler")]
        predecessors = (first, second) if winner == "First" else (second, first)
        assert resolver_pass(trainer, predecessors)["input_path"].producer == winner


def test_assembler_wins_over_the_resolver_on_the_same_input():
    # Two producers: the resolver pass would pick the best output for each dependency without
    # the uniqueness guard; the assembler's choice is the one kept.
    a = node("A", "CradleDataLoading", (), (out("DATA"),))
    b = node("B", "CradleDataLoading", (), (out("METADATA"),))
    tp = node("TP", "TabularPreprocessing", TABULAR_INPUTS, ())
    resolver = resolver_pass(tp, (a, b))
    assert resolver["DATA_SECONDARY"].producer == "A"
    wires = {
        w.input: w for w in compute_wiring((a, b, tp), (("A", "TP"), ("B", "TP")))["TP"]
    }
    assert (wires["DATA"].producer, wires["DATA"].phase) == ("A", "assembler")
    assert (wires["DATA_SECONDARY"].producer, wires["DATA_SECONDARY"].output) == (
        "B",
        "METADATA",
    )
    assert wires["DATA_SECONDARY"].phase == "assembler"
    assert isinstance(wires["DATA"], Wire)
