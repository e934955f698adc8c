"""The build's result file, as the parent reads it: only a JSON object of bounded size that
carries the nonce is a result (`read_result`); it describes the side, or holds the error the
child reported for it (`side_of`).
"""

from __future__ import annotations

import hmac
import json
from pathlib import Path
from typing import Any

from cursus_codegen.diff.normalise import normalise
from cursus_codegen.diff.offline import ACCOUNT
from cursus_codegen.diff.shape import problem
from cursus_codegen.diff.sides import Side, SideError

MAX_RESULT = 256 * 1024 * 1024  # bytes: a larger result file is not read


def read_result(path: Path, nonce: str) -> dict[str, Any] | None:
    """The result file, when it holds a JSON object carrying the nonce."""
    try:
        if path.stat().st_size > MAX_RESULT:
            return None
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(document, dict):
        return None
    found = document.get("nonce")
    if not isinstance(found, str):
        return None
    same = hmac.compare_digest(found.encode("utf-8", "replace"), nonce.encode())
    return document if same else None


def side_of(label: str, document: dict[str, Any]) -> Side:
    """The side a verified result describes, or the error the child reported for it."""
    if "error" in document:
        raise SideError(str(document["error"]))
    definition, configs = document.get("definition"), document.get("step_configs")
    sources = document.get("code_sources")
    if not (
        isinstance(configs, dict)
        and isinstance(sources, dict)
        and all(isinstance(v, str) for v in sources.values())
    ):
        raise SideError(
            f"{label}: building the module did not finish: "
            "its result is not a pipeline"
        )
    found = problem(definition, configs)
    if found:
        raise SideError(f"{label}: {found}")
    assert isinstance(definition, dict)  # problem() refuses any other
    return Side(
        label,
        normalise(definition, ACCOUNT),
        normalise(configs, ACCOUNT),
        {normalise(uri, ACCOUNT): local for uri, local in sources.items()},
    )
