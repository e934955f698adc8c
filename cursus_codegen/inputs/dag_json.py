"""dag.json: cursus's serialised DAG (`PipelineDAGReader`), read into declarations."""

from __future__ import annotations

import json
from pathlib import Path

from cursus_codegen.diagnostics import Diagnostic, Location, error, json_pointer
from cursus_codegen.inputs.declarations import (
    Declaration,
    EdgeDecl,
    NodeDecl,
    decode_error,
    read_bytes,
)
from cursus_codegen.inputs.json_locate import (
    JsonSyntaxError,
    Locator,
    ParsedJson,
    parse_json,
)


def json_declarations(
    path: Path, display_path: str
) -> tuple[list[Declaration] | None, list[Diagnostic]]:
    """cursus dag.json (`PipelineDAGReader` validation): version major 1, dag.nodes, dag.edges."""
    data, diags = read_bytes(path, display_path)
    if data is None:
        return None, diags
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [decode_error(exc, data, display_path, "UTF-8")]
    parsed = parse_json(text)
    if isinstance(parsed, JsonSyntaxError):
        return None, [
            error(
                f"malformed JSON: {parsed.message}",
                Location(display_path, parsed.line, parsed.col),
            )
        ]
    document = parsed.value
    where = _locator(parsed, display_path)
    diags = _json_shape_errors(document, where)
    if diags:
        return None, diags
    nodes = document["dag"]["nodes"]
    edges = document["dag"]["edges"]
    decls: list[Declaration] = [
        NodeDecl(n, where("dag", "nodes", i)) for i, n in enumerate(nodes)
    ]
    decls += [
        EdgeDecl(e[0], e[1], where("dag", "edges", i)) for i, e in enumerate(edges)
    ]
    return decls, []


def _json_shape_errors(document: object, where: Locator) -> list[Diagnostic]:
    if not isinstance(document, dict):
        return [error('a dag.json must be a JSON object with a "dag" key', where())]
    if "version" in document and str(document["version"]).split(".")[0] != "1":
        message = f"unsupported dag.json version {document['version']!r}: only major version 1 is read"
        return [error(message, where("version"))]
    dag = document.get("dag")
    if not isinstance(dag, dict):
        problem = (
            '"dag" must be an object' if "dag" in document else 'missing the "dag" key'
        )
        return [error(problem, where("dag") if "dag" in document else where())]
    diags = []
    for key in ("nodes", "edges"):
        if not isinstance(dag.get(key), list):
            problem = (
                f'"dag.{key}" must be a list'
                if key in dag
                else f'missing the "dag.{key}" key'
            )
            diags.append(
                error(problem, where("dag", key) if key in dag else where("dag"))
            )
    if diags:
        return diags
    for i, edge in enumerate(dag["edges"]):
        if not (isinstance(edge, list) and len(edge) == 2):
            message = (
                f"an edge must be a 2-element list [src, dst], got {json.dumps(edge)}"
            )
            diags.append(error(message, where("dag", "edges", i)))
    return diags


def _locator(parsed: ParsedJson, display_path: str) -> Locator:
    """Location (JSON pointer, plus line:col) of a value of the document."""

    def where(*parts: str | int) -> Location:
        pointer = json_pointer(*parts)
        position = parsed.position(pointer)
        line, col = position if position is not None else (None, None)
        return Location(display_path, line, col, pointer or None)

    return where
