"""Which corpus DAGs to build with which configuration, and which nodes to drop, and why.

A node is dropped only for a reason listed here, and the conformance test prints every drop:
  - its step type is not in our catalog yet;
  - it is built by the proprietary secure-sandbox SDK and tests/support/ has no test doubles;
  - the catalog DAG itself gives it no edge for a required input (DAG_DEFECTS: cursus rejects
    these DAGs too, "Required input ... not provided"; the test checks that we reject them alike);
  - it is downstream of a dropped node and lost a required input with it (a cascade the
    generator reports; accepted only for descendants of a dropped node).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from conformance.node_types import split_node

SDK_DOUBLES_PACKAGE = "secure_ai_sandbox_workflow_python_sdk"

# (DAG, configuration under corpus/configs/) pairs of real files, from corpus/README.md.
RNR = ("rnr_pytorch_bedrock/config.json", "rnr_pytorch_bedrock/config_full.json")
ATOZ = "atoz_xgboost/config.json"
REAL_PAIRS = (
    *(("pytorch/simple_training", c) for c in RNR),
    *(("pytorch/complete_e2e_dummy", c) for c in RNR),
    *(("bedrock/bedrock_batch_pytorch_with_label_ruleset_e2e", c) for c in RNR),
    *(("bedrock/bedrock_batch_pytorch_e2e", c) for c in RNR),
    *(("bedrock/bedrock_batch_simple_training", c) for c in RNR),
    ("dummy/e2e_basic", "rnr_pytorch_bedrock/config_dummy.json"),
    ("xgboost/simple", ATOZ),
    ("xgboost/complete_e2e", ATOZ),
    ("singleton/cradle_data_loading", ATOZ),
    (
        "xgboost/training_with_calibration",
        ATOZ,
    ),  # ModelCalibration_training: cursus's scored resolution
)

# Catalog DAGs with a node that has no edge for a required input (cursus rejects them), or a
# training node with no input at all (cursus: "No training inputs available").
DAG_DEFECTS = {
    "bedrock/bedrock_batch_sopa": "SOPAInstructionTuning",
    "bedrock/bedrock_batch_simple_training": "BedrockBatchProcessing_training",
    "bedrock/bedrock_simple_training": "BedrockProcessing_training",
    "xgboost/complete_e2e_with_wiki": "XGBoostModelInference_calibration",
}

# The generator's errors for a node that lost an input (plan_common.py, plan_sdk.py, training).
MISSING_INPUT = re.compile(
    r"node '(?P<node>[^']+)': (?:(?:required )?input '(?P<input>[^']+)' has no upstream step"
    r"|(?P<training>no training input is wired))"
)


# cursus `_raise_on_duplicate_step_names`, as the generator reports it (inputs/resolve.py).
SAME_STEP_NAME = re.compile(r"DAG nodes (?P<nodes>.+) would all be the SageMaker step")


@dataclass(frozen=True)
class Drop:
    node: str
    reason: str


def needs_sdk(step) -> bool:
    """Built by the secure-sandbox SDK (the catalog names its step class in extra.sdk_step)."""
    return "sdk_step" in dict(step.extra)


def primary_drops(nodes, catalog, have_sdk_doubles: bool) -> list[Drop]:
    drops = []
    for node in nodes:
        step_type, _ = split_node(node)
        step = catalog.get(step_type)
        if step is None:
            drops.append(Drop(node, f"step type {step_type} is not in the catalog yet"))
        elif needs_sdk(step) and not have_sdk_doubles:
            drops.append(
                Drop(
                    node,
                    f"built by the proprietary SDK; no test doubles in tests/support/{SDK_DOUBLES_PACKAGE}",
                )
            )
    return drops


def prune(nodes, edges, dropped) -> tuple[list[str], list[list[str]]]:
    """The DAG without the dropped nodes and their edges (order kept)."""
    gone = set(dropped)
    return (
        [n for n in nodes if n not in gone],
        [list(e) for e in edges if e[0] not in gone and e[1] not in gone],
    )


def descendants(edges, roots) -> set[str]:
    found, frontier = set(), list(roots)
    while frontier:
        node = frontier.pop()
        for src, dst in edges:
            if src == node and dst not in found:
                found.add(dst)
                frontier.append(dst)
    return found


def cascade_drops(
    stderr: str, dag_id: str, edges, dropped: list[Drop]
) -> list[Drop] | None:
    """Drops the generator's errors justify, or None when an error is anything else."""
    reported: dict[str, list[str]] = {}
    for line in stderr.strip().splitlines():
        if ": warning: " in line:
            continue  # the run failed on its errors; warnings justify nothing
        same_name = SAME_STEP_NAME.search(line)
        if same_name is not None and DAG_DEFECTS.get(dag_id) in same_name["nodes"]:
            return [
                Drop(
                    DAG_DEFECTS[dag_id],
                    "DAG defect: another node becomes the same SageMaker step "
                    "(cursus raises on the duplicate step name too)",
                )
            ]
        match = MISSING_INPUT.search(line)
        if match is None:
            return None
        reported.setdefault(match["node"], []).append(
            match["input"] or "(any training input)"
        )
    downstream = descendants(edges, [d.node for d in dropped])
    drops = []
    for node, inputs in reported.items():
        listed = ", ".join(repr(i) for i in inputs)
        if DAG_DEFECTS.get(dag_id) == node:
            drops.append(
                Drop(
                    node,
                    f"DAG defect: no edge provides input {listed} (cursus rejects it too)",
                )
            )
        elif node in downstream:
            drops.append(
                Drop(
                    node,
                    f"lost required input {listed} with the dropped upstream nodes",
                )
            )
        else:
            return None
    return drops


def kahn_order(nodes, edges) -> list[str]:
    """cursus PipelineDAG.topological_sort: Kahn, FIFO queue seeded in node order, successors
    visited in edge order (written here independently of cursus_codegen)."""
    indegree = {n: 0 for n in nodes}
    successors = {n: [] for n in nodes}
    for src, dst in edges:
        successors[src].append(dst)
        indegree[dst] += 1
    queue = [n for n in nodes if indegree[n] == 0]
    order = []
    while queue:
        node = queue.pop(0)
        order.append(node)
        for nxt in successors[node]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                queue.append(nxt)
    return order


def corpus_dag_ids(corpus) -> list[str]:
    """ "<framework>/<name>" of every DAG under corpus/dags (empty when the corpus is absent)."""
    if not corpus.is_dir():
        return []
    return sorted(
        f"{p.parent.name}/{p.name[: -len('.dag.json')]}"
        for p in (corpus / "dags").glob("*/*.dag.json")
    )


def conformance_cases(corpus) -> list[tuple[str, str | None]]:
    """(DAG, corpus configuration or None for ours): each DAG with ours, then the real pairs."""
    return [(dag, None) for dag in corpus_dag_ids(corpus)] + list(REAL_PAIRS)


def case_id(dag_id: str, config_name: str | None) -> str:
    return f"{dag_id}+{config_name or 'generated'}"
