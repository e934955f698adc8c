"""Golden wiring tables: what feeds each step and where each step writes, read from the BUILT
pipeline definition (never from the generator's plan), one JSON file per conformance case under
tests/data/wiring/.

A table maps every step name to
  - "inputs": each place in the step's Arguments that takes a value from an upstream step,
    labelled by its path (list items by their InputName / ChannelName / ... when they have one),
    e.g. "ProcessingInputs[DATA].S3Input.S3Uri" or "InputDataConfig[train].DataSource.S3DataSource.S3Uri",
    with the value it gets: "{Steps.<upstream step>.<property path>}", or the list of Join
    segments when a folder below the upstream output is read (["{Steps....S3Uri}", "train/"]);
  - "outputs": each output location (output name -> its Join segments in order, the parameter
    shown as "{EXECUTION_S3_PREFIX}");
  - "paths": every other Join in the Arguments (an environment variable naming an output
    location, the debugger and profiler locations), labelled by its path like an input.
Inputs that take nothing from another step (uploaded code, literal S3 URIs) are not wiring and
are left out. The files change only when tests/conformance/regenerate_wiring.py rewrites them.
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

from support.definitions import output_locations, step_references

WIRING = Path(__file__).resolve().parents[1] / "data" / "wiring"
REGENERATE = "python tests/conformance/regenerate_wiring.py"
ITEM_KEYS = ("InputName", "ChannelName", "OutputName", "Name", "Key")


def golden_path(dag_id: str, config_name: str | None) -> Path:
    """xgboost/complete_e2e + ours -> xgboost.complete_e2e+generated.json;
    + atoz_xgboost/config.json -> xgboost.complete_e2e+atoz_xgboost.config.json."""
    config = (config_name or "generated").removesuffix(".json")
    return WIRING / (f"{dag_id}+{config}".replace("/", ".") + ".json")


def render(value: object) -> object:
    """A definition value as the table shows it: a Get as "{...}" ("{EXECUTION_S3_PREFIX}" for a
    parameter), a "/" Join as its list of segments, anything else as it is."""
    if isinstance(value, dict):
        if set(value) == {"Get"}:
            return "{" + value["Get"].removeprefix("Parameters.") + "}"
        if set(value) == {"Std:Join"}:
            join = value["Std:Join"]
            segments = [render(v) for v in join["Values"]]
            return (
                segments
                if join["On"] == "/"
                else {"on": join["On"], "values": segments}
            )
        return {key: render(item) for key, item in value.items()}
    if isinstance(value, list):
        return [render(item) for item in value]
    return value


def _from_a_step(value: object) -> bool:
    return any(ref.startswith("Steps.") for ref in step_references(value))


def dynamic_values(arguments: dict, outputs: list) -> tuple[dict, dict]:
    """(inputs, paths) of a step's Arguments, each label -> rendered value: inputs are the Gets
    and Joins that read an upstream step; paths are the other Joins (environment variables,
    debugger and profiler locations), except the output locations (`outputs`, listed apart).
    """
    inputs: dict[str, object] = {}
    paths: dict[str, object] = {}
    skip = {id(location) for location in outputs}

    def walk(value: object, label: str) -> None:
        if isinstance(value, dict):
            found = (
                inputs
                if set(value) in ({"Get"}, {"Std:Join"}) and _from_a_step(value)
                else (
                    paths
                    if set(value) == {"Std:Join"} and id(value) not in skip
                    else None
                )
            )
            if found is not None:
                assert label not in found, f"two values labelled {label}"
                found[label] = render(value)
                return
            for key, item in value.items():
                walk(item, f"{label}.{key}" if label else key)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                named = [
                    item[k]
                    for k in ITEM_KEYS
                    if isinstance(item, dict) and isinstance(item.get(k), str)
                ]
                walk(item, f"{label}[{named[0] if named else index}]")

    walk(arguments, "")
    return inputs, paths


def wiring_table(definition: dict | None) -> dict:
    """step name -> {"inputs", "outputs", "paths"} for every step of a built definition."""
    if definition is None:
        return {}  # every node of the case was dropped
    outputs: dict[str, dict[str, object]] = {}
    for step, output, location in output_locations(definition):
        assert output not in outputs.setdefault(
            step, {}
        ), f"{step}: two outputs named {output}"
        outputs[step][output] = location
    table = {}
    for step in definition["Steps"]:
        own = outputs.get(step["Name"], {})
        arguments = step.get("Arguments", {})
        inputs, paths = dynamic_values(arguments, list(own.values()))
        table[step["Name"]] = {
            "inputs": inputs,
            "paths": paths,
            "outputs": {name: render(location) for name, location in own.items()},
        }
        every_step_ref = [r for r in step_references(step) if r.startswith("Steps.")]
        assert every_step_ref == [
            r for r in step_references(arguments) if r.startswith("Steps.")
        ], f"{step['Name']}: a step reference outside Arguments, which the table does not read"
    return table


def dump(table: dict) -> str:
    """JSON with sorted keys, one key per line (indent 1), each list on one line: a wire or an
    output path is one line of the file, so a diff shows exactly the wires that changed.
    """

    def text(value: object, depth: int) -> str:
        if isinstance(value, dict) and value:
            lines = [
                f"{' ' * (depth + 1)}{json.dumps(key)}: {text(item, depth + 1)}"
                for key, item in sorted(value.items())
            ]
            return "{\n" + ",\n".join(lines) + "\n" + " " * depth + "}"
        return json.dumps(value, sort_keys=True)

    return text(table, 0) + "\n"


def golden_mismatch(dag_id: str, config_name: str | None, table: dict) -> str | None:
    """None when the golden file holds exactly `table`; otherwise what a reviewer needs to see."""
    path = golden_path(dag_id, config_name)
    case = f"{dag_id}+{config_name or 'generated'}"
    if not path.is_file():
        return (
            f"no golden wiring table {path.relative_to(WIRING.parents[2])} for {case}; "
            f"write it on purpose with `{REGENERATE} {case}` and review it"
        )
    expected = path.read_text()
    actual = dump(table)
    if expected == actual:
        return None
    diff = difflib.unified_diff(
        expected.splitlines(),
        actual.splitlines(),
        "golden " + path.name,
        "built definition",
        n=3,
        lineterm="",
    )
    return (
        f"{case}: the built pipeline's wiring differs from its golden table "
        f"(- golden, + built):\n" + "\n".join(diff) + "\n\nIf the change is intended, "
        f"regenerate with `{REGENERATE} {case}` and review the file's diff."
    )


def module_name(case_key: str) -> str:
    return "conformance_" + re.sub(r"\W", "_", case_key)
