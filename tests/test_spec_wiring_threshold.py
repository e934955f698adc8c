"""Wiring keeps an upstream output only when its compatibility score is STRICTLY above 0.5
(cursus v2.9.32 `_calculate_compatibility` and the `> 0.5` of both wiring passes).

Three producer steps each offer one output to the same optional input `event_table` of a
consumer step. The team step types are written so that the score lands exactly on, just
below and just above the threshold (the arithmetic is cursus's; the numbers are written out):

    producer    output          output type / data type          score
    MakerAt     zoom            processing_output / String       0.4 + 0.1 + 0.25 * 0     = 0.5
    MakerBelow  events_labels   training_data / S3Uri            0.2 + 0.2 + 0.25 * 0.392 = 0.4979
    MakerAbove  events_label    training_data / S3Uri            0.2 + 0.2 + 0.25 * 0.401 = 0.5004

(input: type processing_output, data type S3Uri, no keywords, no compatible sources; "zoom"
shares no letter with "event table"). Only the consumer fed by MakerAbove gets the input.
"""

import json

import pytest
from test_spec_helpers import definitions, generated, regional_sessions, step

PRODUCER = """\
step_type: {name}
config_class: {name}Config
sagemaker_step_type: Processing
config_base: processing
fields:
  processing_entry_point: {{type: str, default: make.py}}
compute: {{kind: sklearn, framework_version_field: processing_framework_version,
          framework_version_default: 1.2-1, assembly: code}}
entry_point_field: processing_entry_point
outputs:
  {output}:
    path: /opt/ml/processing/output/{output}
    type: {type}
    data_type: {data_type}
    property_path: properties.ProcessingOutputConfig.Outputs['{output}'].S3Output.S3Uri
"""
CONSUMER = """\
step_type: Taker
config_class: TakerConfig
sagemaker_step_type: Processing
config_base: processing
fields:
  job_type: {type: str, required: true}
  processing_entry_point: {type: str, default: take.py}
compute: {kind: sklearn, framework_version_field: processing_framework_version,
          framework_version_default: 1.2-1, assembly: code}
entry_point_field: processing_entry_point
job_arguments:
  items:
    - {flag: --job_type, field: job_type}
inputs:
  event_table:
    path: /opt/ml/processing/input/event_table
    required: false
    type: processing_output
    data_type: S3Uri
outputs:
  summary:
    path: /opt/ml/processing/output/summary
    property_path: properties.ProcessingOutputConfig.Outputs['summary'].S3Output.S3Uri
"""
CASES = {  # case: (producer, output, type, data type)
    "at": ("MakerAt", "zoom", "processing_output", "String"),
    "below": ("MakerBelow", "events_labels", "training_data", "S3Uri"),
    "above": ("MakerAbove", "events_label", "training_data", "S3Uri"),
}


def write_threshold_project(folder):
    (folder / "steps").mkdir(parents=True)
    (folder / "scripts").mkdir()
    for script in ("make.py", "take.py"):
        (folder / "scripts" / script).write_text("print('ok')\n")
    (folder / "steps" / "taker.yaml").write_text(CONSUMER)
    specific, edges = {}, []
    for case, (name, output, kind, data_type) in CASES.items():
        (folder / "steps" / f"{name.lower()}.yaml").write_text(
            PRODUCER.format(name=name, output=output, type=kind, data_type=data_type)
        )
        specific[name] = {"__model_type__": f"{name}Config"}
        specific[f"Taker_{case}"] = {"__model_type__": "TakerConfig", "job_type": case}
        edges.append([name, f"Taker_{case}"])
    shared = {
        "author": "wiring",
        "bucket": "bkt",
        "pipeline_version": "1.0.0",
        "region": "NA",
        "project_root_folder": "wiring",
        "role": "arn:aws:iam::111122223333:role/R",
        "service_name": "Threshold",
        "source_dir": "scripts",
        "processing_source_dir": "scripts",
    }
    config = {
        "configuration": {"shared": shared, "specific": specific},
        "metadata": {
            "config_types": {k: v["__model_type__"] for k, v in specific.items()}
        },
    }
    (folder / "cfg.json").write_text(json.dumps(config, indent=2))
    (folder / "dag.json").write_text(
        json.dumps({"dag": {"nodes": list(specific), "edges": edges}})
    )
    return folder


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = write_threshold_project(tmp_path_factory.mktemp("wiring") / "p")
    source = generated(folder, "--steps", "steps")
    return folder, source


@pytest.fixture(scope="module")
def definition(project):
    with regional_sessions() as sessions:
        return definitions(project[0] / "gen.py", "spec_wiring_threshold", sessions)[
            None
        ]


def input_names(definition, step_prefix):
    inputs = step(definition, step_prefix)["Arguments"].get("ProcessingInputs", [])
    return {i["InputName"]: i["S3Input"]["S3Uri"] for i in inputs}


def test_a_score_just_above_one_half_is_wired(definition):
    inputs = input_names(definition, "Taker-Above")
    assert inputs["event_table"] == {
        "Get": "Steps.MakerAbove.ProcessingOutputConfig.Outputs['events_label'].S3Output.S3Uri"
    }


@pytest.mark.parametrize("case", ["At", "Below"])
def test_a_score_of_exactly_or_just_below_one_half_is_not_wired(definition, case):
    assert "event_table" not in input_names(definition, f"Taker-{case}")


def test_the_module_says_which_input_is_wired_and_how(project):
    _, source = project
    docstring = source.split('"""')[1]
    assert "event_table <- MakerAbove.events_label (match score, 0.500)" in docstring
    assert "MakerAt.zoom" not in source and "MakerBelow.events_labels" not in source


def test_compatible_sources_and_data_types_move_the_score_across_the_threshold(
    tmp_path,
):
    """The same three producers, the input now listing MakerAt as a compatible source: MakerAt's
    String output scores 0.4 + 0.1 (String is compatible with S3Uri) + 0 + 0.1 (a listed
    source) = 0.6 and is wired; the others lose 0.1 for not being listed (0.4004, 0.3979).
    """
    folder = write_threshold_project(tmp_path / "p")
    taker = folder / "steps" / "taker.yaml"
    taker.write_text(
        taker.read_text().replace(
            "    data_type: S3Uri\n",
            "    data_type: S3Uri\n    compatible_sources: [MakerAt]\n",
            1,
        )
    )
    source = generated(folder, "--steps", "steps")
    docstring = source.split('"""')[1]
    assert "event_table <- MakerAt.zoom (match score, 0.600)" in docstring
    assert (
        "MakerAbove.events_label" not in source
        and "MakerBelow.events_labels" not in source
    )
