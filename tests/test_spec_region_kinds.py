"""A multi-region module keeps each region's own value, whatever kind of field is the only one
that differs between the regions' configurations.

For each kind, three configurations (NA, EU, FE) are equal but for the region and that one
field; the module generated from all three is built once per region (a session of that
region's AWS region, `regional_alias=<region>`), and each definition must carry that region's
value where the pipeline uses it.
"""

import copy

import pytest
from test_spec_helpers import (
    CHAIN,
    definitions,
    example_configuration,
    generated,
    regional_sessions,
    step,
    write_json,
    write_project,
)

TEAM_STEP = """\
step_type: TeamStep
config_class: TeamStepConfig
sagemaker_step_type: Processing
config_base: processing
fields:
  job_type: {type: str, default: training}
  mode: {type: str, default: fast}
  hyperparameters: {type: dict, default: null}
  processing_entry_point: {type: str, default: payload.py}
compute: {kind: sklearn, framework_version_field: processing_framework_version,
          framework_version_default: 1.2-1, assembly: code}
entry_point_field: processing_entry_point
environment:
  collector: declared
  declared_optional: {LEARNING_RATE: '0.1'}
job_arguments:
  items:
    - {flag: --mode, field: mode}
inputs:
  data: {path: /opt/ml/processing/input/data, required: false, type: processing_output}
outputs:
  report:
    path: /opt/ml/processing/output/report
    property_path: properties.ProcessingOutputConfig.Outputs['report'].S3Output.S3Uri
"""
NODES = (*CHAIN, "TeamStep_training")
EDGES = [[CHAIN[0], CHAIN[1]], [CHAIN[1], CHAIN[2]], [CHAIN[1], "TeamStep_training"]]
REGIONS = ("NA", "EU", "FE")


def base_configuration():
    data = example_configuration(CHAIN)
    data["configuration"]["specific"]["TeamStep_training"] = {
        "__model_type__": "TeamStepConfig",
        "mode": "fast",
        "hyperparameters": {"learning_rate": 0.3},
        "processing_source_dir": "scripts",
        "processing_framework_version": "1.2-1",
    }
    data["metadata"]["config_types"]["TeamStep_training"] = "TeamStepConfig"
    return data


def in_specific(node, field):
    def edit(configuration, value):
        configuration["specific"][node][field] = value

    return edit


def in_shared(field):
    def edit(configuration, value):
        configuration["shared"][field] = value

    return edit


def learning_rate(configuration, value):
    configuration["specific"]["TeamStep_training"]["hyperparameters"][
        "learning_rate"
    ] = value


def arguments(prefix):
    return lambda d: step(d, prefix)["Arguments"]


# kind: (edit(configuration, value), {region: value}, read(definition) -> what the value became,
#        {region: expected reading})
KINDS = {
    "job-arguments": (
        in_specific("TeamStep_training", "mode"),
        {"NA": "fast", "EU": "thorough", "FE": "audit"},
        lambda d: arguments("TeamStep")(d)["AppSpecification"]["ContainerArguments"],
        {
            "NA": ["--mode", "fast"],
            "EU": ["--mode", "thorough"],
            "FE": ["--mode", "audit"],
        },
    ),
    "cache-flag": (
        in_shared("enable_caching"),
        {"NA": False, "EU": True, "FE": False},
        lambda d: {
            s["Name"]: s.get("CacheConfig", {}).get("Enabled", False)
            for s in d["Steps"]
        },
        {
            r: dict.fromkeys(
                [
                    "DummyDataLoading-Training",
                    "TabularPreprocessing-Training",
                    "XGBoostTraining",
                    "TeamStep-Training",
                ],
                r == "EU",
            )
            for r in REGIONS
        },
    ),
    "environment-variable": (
        in_specific(CHAIN[1], "label_name"),
        {"NA": "is_fraud", "EU": "is_abuse", "FE": "is_chargeback"},
        lambda d: arguments("TabularPreprocessing")(d)["Environment"]["LABEL_FIELD"],
        {"NA": "is_fraud", "EU": "is_abuse", "FE": "is_chargeback"},
    ),
    "instance-type": (
        in_specific(CHAIN[2], "training_instance_type"),
        {"NA": "ml.m5.4xlarge", "EU": "ml.m5.2xlarge", "FE": "ml.m5.xlarge"},
        lambda d: arguments("XGBoostTraining")(d)["ResourceConfig"]["InstanceType"],
        {"NA": "ml.m5.4xlarge", "EU": "ml.m5.2xlarge", "FE": "ml.m5.xlarge"},
    ),
    "framework-version": (
        in_specific(CHAIN[1], "processing_framework_version"),
        {"NA": "1.2-1", "EU": "1.0-1", "FE": "0.23-1"},
        lambda d: arguments("TabularPreprocessing")(d)["AppSpecification"][
            "ImageUri"
        ].rsplit(":", 1)[1],
        {"NA": "1.2-1-cpu-py3", "EU": "1.0-1-cpu-py3", "FE": "0.23-1-cpu-py3"},
    ),
    "hyperparameter": (
        learning_rate,
        {"NA": 0.3, "EU": 0.05, "FE": 0.01},
        lambda d: arguments("TeamStep")(d)["Environment"]["LEARNING_RATE"],
        {"NA": "0.3", "EU": "0.05", "FE": "0.01"},
    ),
    "s3-path": (
        in_specific(CHAIN[0], "data_source"),
        {
            "NA": "s3://bkt/na/training/",
            "EU": "s3://bkt/eu/training/",
            "FE": "s3://bkt/fe/training/",
        },
        lambda d: [
            i["S3Input"]["S3Uri"]
            for i in arguments("DummyDataLoading")(d)["ProcessingInputs"]
            if i["InputName"] == "INPUT_DATA"
        ],
        {
            "NA": ["s3://bkt/na/training/"],
            "EU": ["s3://bkt/eu/training/"],
            "FE": ["s3://bkt/fe/training/"],
        },
    ),
    "training-entry-point": (
        in_specific(CHAIN[2], "training_entry_point"),
        {"NA": "xgboost_training.py", "EU": "train_eu.py", "FE": "train_fe.py"},
        lambda d: arguments("XGBoostTraining")(d)["HyperParameters"][
            "sagemaker_program"
        ],
        {"NA": '"xgboost_training.py"', "EU": '"train_eu.py"', "FE": '"train_fe.py"'},
    ),
    "processing-entry-point": (
        in_specific(CHAIN[1], "processing_entry_point"),
        {"NA": "tabular_preprocessing.py", "EU": "prep_eu.py", "FE": "prep_fe.py"},
        lambda d: arguments("TabularPreprocessing")(d)["AppSpecification"][
            "ContainerEntrypoint"
        ][-1],
        {
            "NA": "/opt/ml/processing/input/code/tabular_preprocessing.py",
            "EU": "/opt/ml/processing/input/code/prep_eu.py",
            "FE": "/opt/ml/processing/input/code/prep_fe.py",
        },
    ),
}


@pytest.fixture(scope="module")
def sessions():
    with regional_sessions(REGIONS) as made:
        yield made


@pytest.mark.parametrize("kind", KINDS)
def test_each_region_keeps_its_own_value(tmp_path, sessions, kind):
    edit, values, read, expected = KINDS[kind]
    folder = write_project(tmp_path / "p", base_configuration(), NODES, EDGES)
    (folder / "steps").mkdir()
    (folder / "steps" / "team.yaml").write_text(TEAM_STEP)
    for script in ("train_eu.py", "train_fe.py", "prep_eu.py", "prep_fe.py"):
        (folder / "scripts" / script).write_text("print('ok')\n")
    configs = []
    for region in REGIONS:
        data = copy.deepcopy(base_configuration())
        data["configuration"]["shared"]["region"] = region
        edit(data["configuration"], values[region])
        write_json(folder / f"config_{region}.json", data)
        configs.append(f"config_{region}.json")
    source = generated(folder, "--steps", "steps", configs=configs)
    assert 'REGIONS = ("NA", "EU", "FE")' in source
    built = definitions(
        folder / "gen.py", f"spec_regions_{kind.replace('-', '_')}", sessions, REGIONS
    )
    assert {region: read(built[region]) for region in REGIONS} == expected
