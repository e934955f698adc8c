"""Which upstream output feeds each step input, exactly as cursus v2.9.32 decides it.

cursus wires inputs twice and the emitted pipeline carries the union (reference/cursus-inputs.md §5):
1. the assembler (`core/assembler/pipeline_assembler.py::_propagate_messages`) scores every
   (dependency, predecessor output) pair over the DAG edges and assigns greedily, required
   dependencies first, each dependency once and each producer output at most once per consumer;
2. each step builder (`core/base/builder_base.py::extract_inputs_from_dependencies`, called by
   `builder_templates.py::PatternHandler._merge_inputs`) resolves every dependency again,
   independently, against the same predecessors; then the assembler's inputs are laid over it.
Only direct DAG predecessors are ever considered. Unresolved inputs are not errors here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cursus_codegen.catalog.types import InputSpec, OutputSpec
from cursus_codegen.plan.compatibility import compatibility, match_kind

# both passes keep a candidate only when its score is strictly greater
VIABLE_ABOVE = 0.5


@dataclass(frozen=True)
class WireNode:
    name: str  # DAG node name
    step_type: str  # canonical step type (provider identity for compatible_sources)
    step_name: str  # the SageMaker step name (for messages only)
    # ALL spec dependencies (incl. skip/source_override), spec order
    inputs: tuple[InputSpec, ...]
    outputs: tuple[OutputSpec, ...]


@dataclass(frozen=True)
class Wire:
    consumer: str
    input: str
    producer: str
    output: str
    score: float
    phase: str  # "assembler" (authoritative) | "resolver" (builder pass fills what it left)
    match: str  # "name" | "alias" | "score"


@dataclass(frozen=True)
class _Candidate:
    producer: WireNode
    output: OutputSpec
    score: float


def _viable(dep: InputSpec, producers: Sequence[WireNode]) -> list[_Candidate]:
    """Candidates above the threshold, in producer order then output order."""
    found = []
    for producer in producers:
        for out in producer.outputs:
            score = compatibility(dep, out, producer.step_type)
            if score > VIABLE_ABOVE:
                found.append(_Candidate(producer, out, score))
    return found


def _wire(consumer: WireNode, dep: InputSpec, cand: _Candidate, phase: str) -> Wire:
    return Wire(
        consumer=consumer.name,
        input=dep.logical_name,
        producer=cand.producer.name,
        output=cand.output.logical_name,
        score=cand.score,
        phase=phase,
        match=match_kind(dep, cand.output),
    )


def assembler_pass(
    consumer: WireNode, predecessors: Sequence[WireNode]
) -> dict[str, Wire]:
    """`_propagate_messages` for one consumer: phase 1 collects, phase 2 assigns greedily."""
    # Phase 1 appends per dependency as edges are walked, so a dependency's place in the work
    # list is where it first received a candidate (edge order, then spec order).
    per_dep: dict[str, list[tuple[InputSpec, _Candidate]]] = {}
    for producer in predecessors:
        for dep in consumer.inputs:
            for cand in _viable(dep, (producer,)):
                per_dep.setdefault(dep.logical_name, []).append((dep, cand))
    work = [item for items in per_dep.values() for item in items]
    work.sort(key=lambda item: (0 if item[0].required else 1, -item[1].score))  # stable
    assigned: dict[str, Wire] = {}
    claimed: set[tuple[str, str]] = set()
    for dep, cand in work:
        output_key = (cand.producer.name, cand.output.logical_name)
        if dep.logical_name in assigned or output_key in claimed:
            continue  # one output per dependency; one dependency per producer output
        claimed.add(output_key)
        assigned[dep.logical_name] = _wire(consumer, dep, cand, "assembler")
    return assigned


def resolver_pass(
    consumer: WireNode, predecessors: Sequence[WireNode]
) -> dict[str, Wire]:
    """The builder's `resolve_step_dependencies` over the DAG predecessors.

    Follows the source (`dependency_resolver.py`): every spec dependency is resolved on its
    own (same `> 0.5` threshold, best score, ties to the earlier predecessor/output, no
    uniqueness guard), `required` is the spec flag (so a required input that the configuration
    supplies, e.g. DummyDataLoading.INPUT_DATA, still counts), and one unresolved required
    dependency raises inside the builder, which logs it and keeps nothing from this pass.
    """
    if not predecessors or any(not p.inputs and not p.outputs for p in predecessors):
        # cursus registers each predecessor's spec first; a spec with neither dependencies nor
        # outputs fails registry validation and the whole pass is dropped the same way.
        return {}
    resolved: dict[str, Wire] = {}
    for dep in consumer.inputs:
        candidates = _viable(dep, predecessors)
        if candidates:
            best = max(candidates, key=lambda cand: cand.score)  # first of the highest
            resolved[dep.logical_name] = _wire(consumer, dep, best, "resolver")
        elif dep.required:
            return {}
    return resolved


def compute_wiring(
    nodes: Sequence[WireNode], edges: Sequence[tuple[str, str]]
) -> dict[str, tuple[Wire, ...]]:
    """Every node's wires (empty when none), ordered by the node's input order.

    Edges whose endpoints are not among `nodes` are ignored (cursus skips them too).
    """
    by_name: dict[str, WireNode] = {}
    for node in nodes:
        by_name.setdefault(node.name, node)
    predecessors: dict[str, list[WireNode]] = {name: [] for name in by_name}
    for src, dst in edges:
        if src in by_name and dst in by_name:
            predecessors[dst].append(by_name[src])
    result: dict[str, tuple[Wire, ...]] = {}
    for name, consumer in by_name.items():
        merged = resolver_pass(consumer, predecessors[name])
        # the assembler wins
        merged.update(assembler_pass(consumer, predecessors[name]))
        result[name] = tuple(
            merged[dep.logical_name]
            for dep in consumer.inputs
            if dep.logical_name in merged
        )
    return result
