"""Which cursus step type a DAG node names, independent of our catalog.

The names are cursus v2.9.32's registered step types (its `steps/interfaces/*.step.yaml`,
reference/cursus-inputs.md §4.1). A node is `<StepType>` or `<StepType>_<job_type>`; the step
type is the longest `_`-separated prefix that is a registered name, so a node of a type our
catalog does not define yet is still recognised (and can be dropped by name).
"""

CURSUS_STEP_TYPES = (
    "ActiveSampleSelection",
    "BatchTransform",
    "BedrockBatchProcessing",
    "BedrockProcessing",
    "BedrockPromptTemplateGeneration",
    "CradleDataLoading",
    "CurrencyConversion",
    "DataUploading",
    "DummyDataLoading",
    "DummyTraining",
    "EdxUploading",
    "FeatureSelection",
    "GraphConstruction",
    "GraphFeatureProcessing",
    "GraphStormGNNInferenceEval",
    "GraphStormGNNTraining",
    "GraphStormGNNTuning",
    "GraphSubgraphExtraction",
    "LabelRulesetExecution",
    "LabelRulesetGeneration",
    "LightGBMMTModelEval",
    "LightGBMMTModelInference",
    "LightGBMMTTraining",
    "LightGBMModelEval",
    "LightGBMModelInference",
    "LightGBMTraining",
    "MissingValueImputation",
    "ModelCalibration",
    "ModelMetricsComputation",
    "ModelWikiGenerator",
    "Package",
    "Payload",
    "PercentileModelCalibration",
    "PiperMetricGeneration",
    "PseudoLabelMerge",
    "PyTorchModel",
    "PyTorchModelEval",
    "PyTorchModelInference",
    "PyTorchTraining",
    "RedshiftDataLoading",
    "Registration",
    "RiskTableMapping",
    "SlipboxKnowledgeRouting",
    "SOPAInstructionTuning",
    "StratifiedSampling",
    "TabularPreprocessing",
    "TemporalFeatureEngineering",
    "TemporalSequenceNormalization",
    "TemporalSplitPreprocessing",
    "TokenizerTraining",
    "TSAModelCalibration",
    "TSAModelEval",
    "TSAPreprocessing",
    "TSATabularPreprocessing",
    "TSATraining",
    "XGBoostModel",
    "XGBoostModelEval",
    "XGBoostModelInference",
    "XgboostMtModelEval",
    "XgboostMtTraining",
    "XGBoostTraining",
)


def split_node(node: str) -> tuple[str, str | None]:
    """(step type, job-type suffix or None); raises for a node naming no cursus step type."""
    parts = node.split("_")
    for cut in range(len(parts), 0, -1):
        head = "_".join(parts[:cut])
        if head in CURSUS_STEP_TYPES:
            return head, "_".join(parts[cut:]) or None
    raise ValueError(f"DAG node {node!r} names no cursus step type")
