"""Where the configurations are in a cursus configuration JSON, checked before any is merged:
the optional `configuration` wrapper, the `shared` and `specific` sections, and
`metadata.config_types` (which configurations the file holds, by key and class name).

`Document` carries the parsed file and the diagnostics found so far, and turns JSON pointers
into Locations for everything that reads the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cursus_codegen.diagnostics import (
    Diagnostic,
    Location,
    error,
    json_pointer,
    warning,
)
from cursus_codegen.inputs.config_decode import kind_of
from cursus_codegen.inputs.json_locate import ParsedJson


class Document:
    """The parsed file plus its diagnostics; turns JSON pointers into Locations."""

    def __init__(self, display_path: str, parsed: ParsedJson) -> None:
        self.display_path = display_path
        self.parsed = parsed
        self.diagnostics: list[Diagnostic] = []

    def locate(self, pointer: str) -> Location:
        line, col = self.parsed.position(pointer) or (None, None)
        # the root has no pointer: no "#"
        return Location(self.display_path, line, col, pointer or None)

    def error(self, message: str, pointer: str) -> None:
        self.diagnostics.append(error(message, self.locate(pointer)))

    def warning(self, message: str, pointer: str) -> None:
        self.diagnostics.append(warning(message, self.locate(pointer)))


@dataclass(frozen=True)
class Layout:
    """The sections of a file whose shape allows merging; `config_types` is None when
    metadata.config_types is missing or not an object (nothing can be built then)."""

    base: str  # JSON pointer of the object holding shared/specific ("" or "/configuration")
    shared: dict[str, Any]
    specific: dict[str, Any]
    config_types: dict[str, str] | None


def read_layout(doc: Document) -> Layout | None:
    """The file's sections, or None (with errors in `doc`) when they cannot be merged."""
    top = doc.parsed.value
    if not isinstance(top, dict):
        doc.error(
            f"the configuration file must hold a JSON object, found {kind_of(top)}", ""
        )
        return None
    if "configuration" in top:
        base = "/configuration"
        if not isinstance(top["configuration"], dict):
            doc.error(
                f"'configuration' must be an object, found {kind_of(top['configuration'])}",
                base,
            )
            return None
        sections = top["configuration"]
    else:  # cursus `load`: a file without the wrapper holds shared/specific at the top level
        base, sections = "", top
    shared = _section(doc, sections, base, "shared")
    specific = _section(doc, sections, base, "specific")
    config_types = _config_types(doc, top)
    if shared is None or specific is None:
        return None
    return Layout(base, shared, specific, config_types)


def _section(
    doc: Document, sections: dict[str, Any], base: str, name: str
) -> dict[str, Any] | None:
    value = sections.get(name, {})  # cursus reads each section only "if present"
    if not isinstance(value, dict):
        doc.error(
            f"configuration.{name} must be an object, found {kind_of(value)}",
            base + json_pointer(name),
        )
        return None
    return value


def _config_types(doc: Document, top: dict[str, Any]) -> dict[str, str] | None:
    """metadata.config_types; without it cursus returns the raw {shared, specific} (a broken load)."""
    metadata = top.get("metadata")
    if "metadata" not in top or (
        isinstance(metadata, dict) and "config_types" not in metadata
    ):
        doc.error(
            "missing metadata.config_types: the file does not say which configuration classes it holds",
            "/metadata" if "metadata" in top else "",
        )
        return None
    if not isinstance(metadata, dict):
        doc.error(
            f"'metadata' must be an object, found {kind_of(metadata)}", "/metadata"
        )
        return None
    types = metadata["config_types"]
    if not isinstance(types, dict):
        doc.error(
            f"metadata.config_types must be an object, found {kind_of(types)}",
            "/metadata/config_types",
        )
        return None
    if not types:
        doc.error(
            "metadata.config_types is empty: the file declares no configuration",
            "/metadata/config_types",
        )
    valid: dict[str, str] = {}
    for key, class_name in types.items():
        if isinstance(class_name, str) and class_name:
            valid[key] = class_name
        else:
            doc.error(
                f"metadata.config_types[{key!r}] must be a class name, found {kind_of(class_name)}",
                json_pointer("metadata", "config_types", key),
            )
    return valid
