"""MODS metadata of the generated template class: author, version, description, names.

cursus reads them from the first configuration of the file (`extract_author` and friends of
its MODS template), with the seed's fallbacks; the command line may override each one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cursus_codegen.naming import class_identifier, pipeline_name


@dataclass(frozen=True)
class Metadata:
    class_name: str
    author: str
    version: str
    description: str
    pipeline_name: str
    regional_alias: str


def mods_metadata(
    first: Mapping[str, Any],
    *,
    class_name: str | None = None,
    author: str | None = None,
    version: str | None = None,
    description: str | None = None,
) -> Metadata:
    """The metadata of the configuration `first` (cursus: the file's first configuration)."""
    service, model_class, region = (
        first.get(k) for k in ("service_name", "model_class", "region")
    )
    default_description = (
        f"{service} {model_class or 'xgboost'} Model {region}"
        if service and region
        else "MODS Pipeline"
    )
    return Metadata(
        class_name=class_name
        or class_identifier(f"{service or ''}-{model_class or ''}"),
        author=str(author or first.get("author") or "Unknown"),
        version=str(version or first.get("pipeline_version") or "1.0.0"),
        description=str(description or default_description),
        pipeline_name=pipeline_name(
            str(first.get("author")),
            str(service),
            str(model_class or "xgboost"),
            str(region),
            str(first.get("pipeline_version")),
        ),
        regional_alias=str(region or "NA"),
    )
