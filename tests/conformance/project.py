"""Write a corpus case (a DAG, maybe pruned, and its configuration) into a project folder and
generate its module, dropping nodes as conformance/plan.py allows."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from conformance.configs import (
    NodeConfig,
    create_placeholders,
    node_configs_from_document,
    placeholder_files,
    write_project,
)
from conformance.plan import DAG_DEFECTS, Drop, cascade_drops, primary_drops, prune


@dataclass
class Case:
    dag_id: str  # "xgboost/complete_e2e"
    config_name: (
        str | None
    )  # a corpus configuration, or None: ours (conformance/configs.py)
    nodes: list[str]
    edges: list[list[str]]
    configs: dict[str, NodeConfig]  # node -> its configuration
    drops: list[Drop]


def generate_case(
    root: Path,
    corpus: Path,
    dag_id: str,
    config_name: str | None,
    catalog,
    have_sdk_doubles: bool,
    run_cli,
) -> Case:
    """Generate `root/pipeline_gen.py`; the case as built (nodes left, and every drop)."""
    dag = json.loads((corpus / "dags" / f"{dag_id}.dag.json").read_text())["dag"]
    drops = primary_drops(dag["nodes"], catalog, have_sdk_doubles)
    while True:
        nodes, edges = prune(dag["nodes"], dag["edges"], [d.node for d in drops])
        if not nodes:
            return Case(dag_id, config_name, [], [], {}, drops)
        configs = _write(root, corpus, config_name, nodes, edges, catalog)
        code, _, err = run_cli(
            ["dag.json", "config.json", "-o", "pipeline_gen.py"], cwd=root
        )
        if code == 0:
            break
        more = cascade_drops(err, dag_id, dag["edges"], drops)
        assert (
            more
        ), f"{dag_id} ({config_name or 'our configuration'}) does not generate:\n{err}"
        drops = drops + more
    defect = DAG_DEFECTS.get(dag_id)
    if defect in dag["nodes"] and not descendant_of_drop(defect, dag["edges"], drops):
        assert defect in [
            d.node for d in drops
        ], f"{dag_id}: {defect} should be rejected as cursus rejects it"
    return Case(dag_id, config_name, nodes, edges, {c.node: c for c in configs}, drops)


def descendant_of_drop(node, edges, drops) -> bool:
    from conformance.plan import descendants

    primary = [d.node for d in drops if not d.reason.startswith("DAG defect")]
    return node in primary or node in descendants(edges, primary)


def _write(
    root: Path, corpus: Path, config_name, nodes, edges, catalog
) -> list[NodeConfig]:
    if config_name is None:
        return write_project(root, nodes, edges, catalog)
    root.mkdir(parents=True, exist_ok=True)
    (root / "dag.json").write_text(
        json.dumps({"dag": {"nodes": nodes, "edges": edges}}, indent=1)
    )
    shutil.copy(corpus / "configs" / config_name, root / "config.json")
    document = json.loads((root / "config.json").read_text())
    create_placeholders(root, placeholder_files(document, catalog))
    return node_configs_from_document(nodes, document, catalog)
