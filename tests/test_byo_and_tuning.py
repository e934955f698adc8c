"""Bring-your-own-container, script and tuning step kinds, built offline (moto).

tests/data/family_byo/graph: GraphSubgraphExtraction -> GraphFeatureProcessing -> GraphConstruction
-> GraphStormGNNTraining -> GraphStormGNNInferenceEval, plus GraphStormGNNTuning, and a team step
type (steps/, loaded with --steps) that publishes the training YAML: no cursus step type produces
the `hyperparameters` output their required `training_config` input needs.
tests/data/family_byo/edx: DummyDataLoading -> TabularPreprocessing -> EdxUploading.
Facts: reference/cursus-steps.md §1.6, §1.7 (TuningHandler), §1.11, §2.3, §3.4.
"""

import json
import shutil

import pytest
from conftest import (
    REPO,
    ROLE,
    build_definition,
    import_module_from,
    pipeline_class_of,
    run_cli,
)
from support.definitions import (
    PREFIX,
    processing_output_ref,
    steps_by_name,
    training_channels,
)

DATA = REPO / "tests" / "data" / "family_byo"
IMAGE = "111122223333.dkr.ecr.us-east-1.amazonaws.com/graphstorm-gnn:sagemaker-gpu"
CODE = "/opt/ml/processing/input/code"
STEPS_ARGS = ["--steps", "steps"]


def _generate(tmp_path_factory, name, extra=()):
    folder = tmp_path_factory.mktemp(name) / "project"
    shutil.copytree(DATA / name, folder)
    code, _, err = run_cli(
        ["dag.json", "cfg.json", "-o", "pipeline_gen.py", "--strict", *extra],
        cwd=folder,
    )
    assert code == 0, err
    return folder / "pipeline_gen.py"


@pytest.fixture(scope="module")
def graph_module(tmp_path_factory):
    return _generate(tmp_path_factory, "graph", STEPS_ARGS)


@pytest.fixture(scope="module")
def graph(graph_module, sm_session):
    return steps_by_name(
        build_definition(import_module_from(graph_module, "byo_graph_gen"), sm_session)
    )


@pytest.fixture(scope="module")
def edx_module(tmp_path_factory):
    return _generate(tmp_path_factory, "edx")


@pytest.fixture(scope="module")
def edx_definition(edx_module, sm_session):
    return build_definition(import_module_from(edx_module, "byo_edx_gen"), sm_session)


def _join(*segments):
    return {"Std:Join": {"On": "/", "Values": [PREFIX, *segments]}}


# --- byo_container processing: ScriptProcessor on the configured image -----------------------


@pytest.mark.parametrize(
    "step_name, script",
    [
        ("GraphSubgraphExtraction", "graph_subgraph_extraction.py"),
        ("GraphFeatureProcessing", "graph_feature_processing.py"),
        ("GraphConstruction", "run_gconstruct.py"),
        ("GraphStormGNNInferenceEval", "graphstorm_gnn_inference_eval.py"),
    ],
)
def test_byo_processing_runs_the_configured_image_through_its_entrypoint(
    graph, step_name, script
):
    args = graph[step_name]["Arguments"]
    assert graph[step_name]["Type"] == "Processing"
    assert args["AppSpecification"] == {
        "ImageUri": IMAGE,
        # the SDK appends the code path to the command (cursus-steps.md §1.6, verified)
        "ContainerEntrypoint": ["bash", f"{CODE}/entrypoint.sh", f"{CODE}/{script}"],
    }
    # the interfaces list job arguments, but no config class returns any
    assert "ContainerArguments" not in args["AppSpecification"]


def test_network_config_comes_from_the_configuration_only_where_declared(graph):
    assert graph["GraphSubgraphExtraction"]["Arguments"]["NetworkConfig"] == {
        "EnableNetworkIsolation": False,
        "VpcConfig": {
            "SecurityGroupIds": ["sg-0123456789abcdef0"],
            "Subnets": ["subnet-0a1b2c3d", "subnet-4e5f6a7b"],
        },
    }
    for name in (
        "GraphFeatureProcessing",
        "GraphConstruction",
        "GraphStormGNNInferenceEval",
    ):
        assert "NetworkConfig" not in graph[name]["Arguments"], name
        assert (
            "VolumeKmsKeyId"
            not in graph[name]["Arguments"]["ProcessingResources"]["ClusterConfig"]
        )


def test_byo_processing_resources_and_environment(graph):
    cluster = graph["GraphConstruction"]["Arguments"]["ProcessingResources"][
        "ClusterConfig"
    ]
    # GraphConstructionConfig defaults: use_large_processing_instance True, volume 125
    assert cluster == {
        "InstanceType": "ml.r5.24xlarge",
        "InstanceCount": 1,
        "VolumeSizeInGB": 125,
    }
    assert graph["GraphConstruction"]["Arguments"]["Environment"] == {
        "SKIP_NONEXIST_EDGES": "true",
        "RUN_SANITY_CHECK": "true",
        "SANITY_CHECK_FULL": "false",
    }
    assert (
        graph["GraphFeatureProcessing"]["Arguments"]["Environment"]["TRAIN_FRAC"]
        == "0.7"
    )
    assert (
        graph["GraphFeatureProcessing"]["Arguments"]["Environment"]["SKIP_SANITY_CHECK"]
        == "false"
    )
    assert (
        graph["GraphSubgraphExtraction"]["Arguments"]["Environment"]["MAX_WORKERS"]
        == "64"
    )
    assert graph["GraphStormGNNInferenceEval"]["Arguments"]["Environment"] == {
        "ID_FIELD": "order_id",
        "LABEL_FIELDS": "is_abuse,e90_label",
        "QUERY_TYPE": "baseline",
        "MAX_WORKERS_PER_GPU": "8",
        "MAX_RUNTIME_SECONDS": "86400",
        "AUTO_TUNE": "true",
    }


def test_inference_eval_reads_the_trained_model(graph):
    inputs = {
        i["InputName"]: i["S3Input"]["S3Uri"]
        for i in graph["GraphStormGNNInferenceEval"]["Arguments"]["ProcessingInputs"]
    }
    assert inputs["model_input"] == {
        "Get": "Steps.GraphStormGNNTraining.ModelArtifacts.S3ModelArtifacts"
    }
    assert inputs["eval_seeds"] == processing_output_ref(
        "GraphSubgraphExtraction", "subgraphs"
    )
    assert graph["GraphStormGNNInferenceEval"]["DependsOn"] == [
        "GraphStormGNNTraining",
        "GraphSubgraphExtraction",
    ]


# --- byo_container training: the generic Estimator ------------------------------------------


def test_byo_training_is_a_generic_estimator_without_entrypoint(graph):
    args = graph["GraphStormGNNTraining"]["Arguments"]
    # container_entrypoint set: no entry_point/source_dir, and the entrypoint is not forwarded
    assert args["AlgorithmSpecification"] == {
        "TrainingInputMode": "File",
        "TrainingImage": IMAGE,
    }
    assert "sagemaker_program" not in json.dumps(args.get("HyperParameters", {}))
    assert args["OutputDataConfig"]["S3OutputPath"] == _join("graph_storm_gnn_training")
    assert args["ResourceConfig"] == {
        "VolumeSizeInGB": 125,
        "InstanceCount": 1,
        "InstanceType": "ml.g5.12xlarge",
    }
    assert args["Environment"] == {
        "TRAINING_MODE": "multi_task",
        "NUM_SERVERS": "1",
        "BATCH_SIZE_OVERRIDE": "",
    }
    assert "VpcConfig" not in args


def test_declared_channels_fan_out_below_their_source(graph):
    channels = training_channels(graph["GraphStormGNNTraining"])
    dgl = processing_output_ref("GraphConstruction", "dgl_graph")
    config = processing_output_ref("GraphTrainingConfig", "training_config")
    assert channels["graph"] == {"Std:Join": {"On": "/", "Values": [dgl, "graph/"]}}
    assert channels["config"] == {
        "Std:Join": {"On": "/", "Values": [config, "config/"]}
    }


# --- Tuning: HyperparameterTuner + TuningStep -------------------------------------------------


def test_tuning_job_config(graph):
    step = graph["GraphStormGNNTuning"]
    assert step["Type"] == "Tuning"
    job = step["Arguments"]["HyperParameterTuningJobConfig"]
    assert job["Strategy"] == "Bayesian"
    assert job["ResourceLimits"] == {
        "MaxNumberOfTrainingJobs": 20,
        "MaxParallelTrainingJobs": 1,
    }
    assert job["TrainingJobEarlyStoppingType"] == "Off"
    assert job["HyperParameterTuningJobObjective"] == {
        "Type": "Maximize",
        "MetricName": "val:is_abuse:roc_auc",
    }
    assert job["ParameterRanges"] == {
        "ContinuousParameterRanges": [
            {
                "Name": "gsf.hyperparam.lr",
                "MinValue": "0.0001",
                "MaxValue": "0.01",
                "ScalingType": "Logarithmic",
            }
        ],
        "IntegerParameterRanges": [
            {
                "Name": "gsf.hyperparam.num_layers",
                "MinValue": "1",
                "MaxValue": "3",
                "ScalingType": "Auto",
            }
        ],
        "CategoricalParameterRanges": [
            {"Name": "gsf.hyperparam.aggregator", "Values": ["mean", "pool"]}
        ],
    }
    assert step["CacheConfig"] == {"Enabled": False, "ExpireAfter": "P30D"}
    assert step["DependsOn"] == ["GraphConstruction", "GraphTrainingConfig"]


def test_tuning_training_job_definition(graph):
    definition = graph["GraphStormGNNTuning"]["Arguments"]["TrainingJobDefinition"]
    assert definition["StaticHyperParameters"] == {}
    assert definition["AlgorithmSpecification"]["TrainingImage"] == IMAGE
    assert definition["AlgorithmSpecification"]["MetricDefinitions"] == [
        {"Name": "val:is_abuse:roc_auc", "Regex": "roc_auc: ([0-9\\.]+)"}
    ]
    assert definition["OutputDataConfig"]["S3OutputPath"] == _join(
        "graph_storm_gnn_tuning"
    )
    assert definition["HyperParameterTuningResourceConfig"] == {
        "InstanceCount": 1,
        "InstanceType": "ml.g4dn.12xlarge",
        "VolumeSizeInGB": 125,
    }
    channels = [c["ChannelName"] for c in definition["InputDataConfig"]]
    assert channels[:2] == ["graph", "config"]
    # 16 GB GPU, hidden_size 256: the heuristic lowers batch_size 1024 to 512 / 2.56
    assert definition["Environment"]["BATCH_SIZE_OVERRIDE"] == "200"


def test_tuning_module_imports_only_the_range_classes_it_uses(graph_module):
    text = graph_module.read_text()
    for name in (
        "HyperparameterTuner",
        "ContinuousParameter",
        "IntegerParameter",
        "CategoricalParameter",
        "TuningStep",
        "Estimator",
        "ScriptProcessor",
    ):
        assert f" {name}" in text.split("try:")[0], name


def test_a_search_space_without_categorical_ranges_imports_no_categorical(tmp_path):
    folder = _copy(tmp_path, "graph")
    _edit_config(
        folder,
        "GraphStormGNNTuning",
        search_space={"continuous": [{"name": "lr", "min": 0.001, "max": 0.1}]},
    )
    code, _, err = run_cli(
        ["dag.json", "cfg.json", "-o", "out.py", *STEPS_ARGS], cwd=folder
    )
    assert code == 0, err
    text = (folder / "out.py").read_text()
    assert "ContinuousParameter(" in text and "CategoricalParameter" not in text


# --- script kind: EdxUploading ----------------------------------------------------------------


def test_edx_uploading_script_processor(edx_definition):
    step = steps_by_name(edx_definition)["EdxUploading-Tagging"]
    args = step["Arguments"]
    assert args["ProcessingResources"]["ClusterConfig"]["VolumeKmsKeyId"] == {
        "Get": "Parameters.KMS_ENCRYPTION_KEY_PARAM"
    }
    assert args["NetworkConfig"] == {
        "EnableNetworkIsolation": False,
        "EnableInterContainerTrafficEncryption": True,
        "VpcConfig": {
            "SecurityGroupIds": [{"Get": "Parameters.SECURITY_GROUP_ID"}],
            "Subnets": [{"Get": "Parameters.VPC_SUBNET"}],
        },
    }
    account = ROLE.split(":")[4]
    assert args["AppSpecification"] == {
        "ImageUri": f"{account}.dkr.ecr.eu-west-1.amazonaws.com/sais_python_lib_docker_image",
        "ContainerEntrypoint": ["python3", f"{CODE}/edx_uploading.py"],
    }
    assert "ProcessingOutputConfig" not in args  # a sink: no outputs
    assert [i["InputName"] for i in args["ProcessingInputs"]] == ["input_data", "code"]
    assert [p["Name"] for p in edx_definition["Parameters"]] == [
        "EXECUTION_S3_PREFIX",
        "KMS_ENCRYPTION_KEY_PARAM",
        "SECURITY_GROUP_ID",
        "VPC_SUBNET",
    ]


def test_edx_environment_parses_the_arn(edx_definition):
    env = steps_by_name(edx_definition)["EdxUploading-Tagging"]["Arguments"][
        "Environment"
    ]
    assert env == {
        "AWS_STS_REGIONAL_ENDPOINTS": "regional",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "EDX_DATASET_ARN": "arn:amazon:edx:iad::manifest/trms-abuse-analytics/munged-address/"
        "munged-address-tags",
        "EDX_MANIFEST_KEY": "munged_na",
        "EDX_OUTPUT_COLUMNS": '["saddr", "marketplaceId", "llm_status"]',
        "EDX_MANIFEST_KEY_PARTS": "{}",
    }


def test_edx_image_account_is_read_from_the_role_at_build_time(edx_module, sm_session):
    module = import_module_from(edx_module, "byo_edx_gen_other_role")
    template = pipeline_class_of(module)(
        sagemaker_session=sm_session,
        execution_role="arn:aws:iam::999988887777:role/Other",
    )
    definition = json.loads(template.generate_pipeline().definition())
    image = steps_by_name(definition)["EdxUploading-Tagging"]["Arguments"][
        "AppSpecification"
    ]["ImageUri"]
    assert image.startswith("999988887777.dkr.ecr.eu-west-1.amazonaws.com/")


# --- errors as diagnostics ----------------------------------------------------------------------


def _copy(tmp_path, name):
    folder = tmp_path / name
    shutil.copytree(DATA / name, folder)
    return folder


def _edit_config(folder, key, drop=(), **values):
    path = folder / "cfg.json"
    cfg = json.loads(path.read_text())
    entry = cfg["configuration"]["specific"][key]
    for name in drop:
        entry.pop(name, None)
    entry.update(values)
    path.write_text(json.dumps(cfg, indent=2))


@pytest.mark.parametrize(
    "key, drop, values, expected",
    [
        ("GraphConstruction", ["image_uri"], {}, "needs image_uri"),
        (
            "GraphSubgraphExtraction",
            ["subnets"],
            {},
            "network_mode config needs subnets",
        ),
        (
            "GraphStormGNNTuning",
            ["metric_definitions"],
            {},
            "metric_definitions is required",
        ),
        (
            "GraphStormGNNTuning",
            [],
            {"search_space": {"continuous": [{"name": "lr", "min": 1}]}},
            "missing required key(s) ['max']",
        ),
        (
            "GraphStormGNNTuning",
            [],
            {"search_space": {"bogus": []}},
            "unknown range kinds ['bogus']",
        ),
        (
            "GraphStormGNNTuning",
            [],
            {"search_space": {"integer": []}},
            "at least one tunable range",
        ),
    ],
)
def test_configuration_problems_are_reported_not_raised(
    tmp_path, key, drop, values, expected
):
    folder = _copy(tmp_path, "graph")
    _edit_config(folder, key, drop, **values)
    code, _out, err = run_cli(
        ["dag.json", "cfg.json", "-o", "out.py", *STEPS_ARGS], cwd=folder
    )
    assert code == 2, err
    assert expected in err and "cfg.json" in err and "Traceback" not in err
    assert not (folder / "out.py").exists()


@pytest.mark.parametrize(
    "compute, expected",
    [
        ("{kind: byo_container}", "needs image_uri_field"),
        ("{kind: byo_container, image_uri_field: no_such_field}", "no_such_field"),
        ("{kind: sklearn, kms_network: true}", "kms_network is only valid"),
        (
            "{kind: byo_container, image_uri_field: image_uri, network_mode: shared}",
            "network_mode",
        ),
        (
            "{kind: sklearn, container_entrypoint: [bash]}",
            "only valid for byo_container",
        ),
        (
            (
                "{kind: byo_container, image_uri_field: image_uri, network_mode: config, "
                "subnets_field: vpc_subnets}"
            ),
            "vpc_subnets",
        ),
    ],
)
def test_compute_knobs_are_checked_by_the_loader(tmp_path, compute, expected):
    from cursus_codegen.catalog.loader import load_catalog

    (tmp_path / "team.yaml").write_text(
        "step_type: TeamStep\nconfig_class: TeamStepConfig\nsagemaker_step_type: Processing\n"
        f"config_base: processing\ncompute: {compute}\n"
    )
    _, diagnostics = load_catalog([tmp_path])
    messages = [
        d.message for d in diagnostics if str(d.location.path).endswith("team.yaml")
    ]
    assert any(expected in m for m in messages), messages


# --- derivations ------------------------------------------------------------------------------


def test_batch_size_override_only_when_lower_than_the_configured_batch():
    from cursus_codegen.catalog.derive_graph_edx import (
        graphstorm_batch_size_override as override,
    )

    base = {
        "training_instance_type": "ml.g5.12xlarge",
        "batch_size": 1024,
        "hidden_size": 100,
        "num_layers": 3,
        "fanout": "30,30,30",
    }
    assert override(base) is None
    assert override({**base, "training_instance_type": "ml.g4dn.xlarge"}) == "512"
    assert override({**base, "hidden_size": 400, "fanout": "120,10"}) == "128"
    assert override({**base, "hidden_size": 10000, "batch_size": 4096}) == "64"  # floor


def test_edx_components_parse_from_the_arn_unless_given():
    from cursus_codegen.catalog.derive_graph_edx import edx_arn_base, edx_manifest_key

    full = {"edx_arn": 'arn:amazon:edx:iad::manifest/p/s/d/["k1"]'}
    assert edx_arn_base(full) == "arn:amazon:edx:iad::manifest/p/s/d"
    assert edx_manifest_key(full) == "k1"
    split = {"edx_arn": "arn:amazon:edx:iad::manifest/p/s/d/k2"}
    assert edx_manifest_key(split) == "k2"
    assert edx_manifest_key({"edx_arn": "arn:amazon:edx:iad::manifest/p/s/d"}) is None
    explicit = {**full, "edx_subject": "mine", "edx_manifest_key": "own"}
    assert edx_arn_base(explicit) == "arn:amazon:edx:iad::manifest/p/mine/d"
    assert edx_manifest_key(explicit) == "own"
    components = {"edx_provider": "a", "edx_subject": "b", "edx_dataset": "c"}
    assert edx_arn_base(components) == "arn:amazon:edx:iad::manifest/a/b/c"


# --- byo_container training with a script of its own and a VPC (a team's override) -------------


def test_byo_training_without_entrypoint_passes_the_script_and_the_vpc(
    tmp_path, sm_session
):
    folder = _copy(tmp_path, "graph")
    builtin = (
        REPO / "cursus_codegen" / "catalog" / "steps" / "graphstorm_gnn_training.yaml"
    ).read_text()
    entrypoint = "  container_entrypoint: [python3, /opt/ml/input/data/code/train.py]\n"
    assert entrypoint in builtin
    code_input = builtin[builtin.index("  code:\n") : builtin.index("outputs:")]
    # same step type in --steps: replaces the built-in one. Without the `code` input: the SDK's
    # generic Estimator mounts the uploaded script folder as a channel named `code` itself.
    (folder / "steps" / "graphstorm_gnn_training.yaml").write_text(
        builtin.replace(
            entrypoint,
            "  network_mode: config\n  enable_network_isolation_field: enable_network_isolation\n",
        ).replace(code_input, "\n")
    )
    _edit_config(
        folder,
        "GraphStormGNNTraining",
        subnets=["subnet-1"],
        security_group_ids=["sg-1"],
        enable_network_isolation=True,
    )
    code, _, err = run_cli(
        ["dag.json", "cfg.json", "-o", "out.py", "--strict", *STEPS_ARGS], cwd=folder
    )
    assert code == 0, err
    steps = steps_by_name(
        build_definition(
            import_module_from(folder / "out.py", "byo_vpc_gen"), sm_session
        )
    )
    args = steps["GraphStormGNNTraining"]["Arguments"]
    assert args["HyperParameters"]["sagemaker_program"] == '"train.py"'
    assert args["HyperParameters"]["sagemaker_submit_directory"].endswith(
        'sourcedir.tar.gz"'
    )
    assert args["VpcConfig"] == {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}
    assert args["EnableInterContainerTrafficEncryption"] is True
    assert args["EnableNetworkIsolation"] is True
    assert args["AlgorithmSpecification"]["TrainingImage"] == IMAGE
