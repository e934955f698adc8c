"""The cursus configuration JSON: read, decode, and merge one configuration per declared key.

Mirrors cursus's loader (`steps/configs/utils.py::load_configs`, which calls
`core/config_fields/unified_config_manager.py::load` and `TypeAwareConfigSerializer.deserialize`):
- the configurations are the entries of `metadata.config_types`, in its key order (cursus
  iterates that dict; the writer sorts keys, so this is alphabetical in written files);
- a configuration is `{**configuration.shared, **configuration.specific[KEY]}` (specific wins),
  with top-level keys starting "_" dropped (this removes `__model_type__`/`__model_module__`);
- values are decoded as the serializer does: `__type_info__` wrappers unwrapped, nested models
  kept as dicts (with their `__model_type__`, without their "_" keys).
We do not build config classes, so derived keys stay in `values`; the planner reads only the
declared fields of the class, which is what cursus's `model_fields` filter achieves on load.
Where cursus silently builds something broken, we refuse with an error that names the place.
The sections the configurations come from are found and checked first (config_layout.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cursus_codegen.diagnostics import (
    Diagnostic,
    Location,
    error,
    has_errors,
    json_pointer,
)
from cursus_codegen.fs import reads
from cursus_codegen.inputs.config_decode import MODEL_TYPE, Decoder, kind_of
from cursus_codegen.inputs.config_layout import Document, read_layout
from cursus_codegen.inputs.json_locate import JsonSyntaxError, parse_json


@dataclass(frozen=True)
class NodeConfig:
    key: str  # the key in configuration.specific / metadata.config_types
    class_name: str  # from metadata.config_types, checked against __model_type__
    values: Mapping[str, Any]  # shared overlaid by specific, decoded, "_" keys dropped
    field_locations: Mapping[str, Location] = field(
        default_factory=dict, repr=False, compare=False
    )
    entry_location: Location | None = field(default=None, repr=False, compare=False)
    # the config_types entry
    class_location: Location | None = field(default=None, repr=False, compare=False)

    def location(self, field_name: str) -> Location:
        """Where `field_name`'s raw value is: in specific if there, else in shared, else the entry."""
        found = self.field_locations.get(field_name) or self.entry_location
        return found if found is not None else Location("<configuration>")


@dataclass(frozen=True)
class ConfigFile:
    display_path: str
    configs: tuple[NodeConfig, ...]  # metadata.config_types order (cursus load order)
    sha256: str  # of the raw bytes

    def get(self, key: str) -> NodeConfig | None:
        return next((c for c in self.configs if c.key == key), None)


def read_config(
    path: Path, display_path: str
) -> tuple[ConfigFile | None, list[Diagnostic]]:
    """Read and check the whole file; a ConfigFile is returned only when there is no error."""
    try:
        raw = reads.read_bytes(path)
    except OSError as exc:
        return None, [
            error(
                f"cannot read configuration file: {exc.strerror or exc}",
                Location(display_path),
            )
        ]
    try:
        # tolerate a BOM; cursus's json.load would reject it
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"configuration file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        return None, [error(message, Location(display_path, line, col))]
    parsed = parse_json(text)
    if isinstance(parsed, JsonSyntaxError):
        return None, [
            error(
                f"malformed JSON: {parsed.message}",
                Location(display_path, parsed.line, parsed.col),
            )
        ]
    doc = Document(display_path, parsed)
    try:
        configs = _read_configs(doc)
    except RecursionError:
        doc.error("configuration nesting too deep", "")
        configs = ()
    if has_errors(doc.diagnostics):
        return None, doc.diagnostics
    return (
        ConfigFile(display_path, configs, hashlib.sha256(raw).hexdigest()),
        doc.diagnostics,
    )


def _read_configs(doc: Document) -> tuple[NodeConfig, ...]:
    layout = read_layout(doc)
    if layout is None:
        return ()
    base, shared, specific = layout.base, layout.shared, layout.specific
    decoder = Decoder(doc)
    # nothing to build, but the values can still hold more problems
    if layout.config_types is None:
        _decode_fields(decoder, shared, base + "/shared")
        for key, entry in specific.items():
            if isinstance(entry, dict):
                _decode_fields(decoder, entry, base + json_pointer("specific", key))
        return ()
    common = _Shared(
        raw=shared,
        # decoded once: errors reported once
        values=_decode_fields(decoder, shared, base + "/shared"),
        locations={k: doc.locate(base + json_pointer("shared", k)) for k in shared},
    )
    configs = []
    for key, class_name in layout.config_types.items():
        node = _node_config(doc, decoder, key, class_name, specific, base, common)
        if node is not None:
            configs.append(node)
    # an object here; may hold invalid class names
    declared = doc.parsed.value["metadata"]["config_types"]
    for key in specific:
        # cursus iterates config_types only: such an entry is never loaded. An empty or
        # invalid declaration is already an error, so it is not repeated for each entry.
        if declared and key not in declared:
            doc.warning(
                f"configuration.specific entry {key!r} is not listed in metadata.config_types and is ignored",
                base + json_pointer("specific", key),
            )
    return tuple(configs)


@dataclass(frozen=True)
class _Shared:
    raw: dict[str, Any]
    values: dict[str, Any]
    locations: dict[str, Location]


def _node_config(
    doc: Document,
    decoder: Decoder,
    key: str,
    class_name: str,
    specific: dict[str, Any],
    base: str,
    common: _Shared,
) -> NodeConfig | None:
    types_pointer = json_pointer("metadata", "config_types", key)
    entry_pointer = base + json_pointer("specific", key)
    if key not in specific:
        doc.error(
            f"configuration {key!r} ({class_name}) is declared in metadata.config_types "
            f"but configuration.specific has no entry {key!r}",
            types_pointer,
        )
        return None
    entry = specific[key]
    if not isinstance(entry, dict):
        doc.error(
            f"configuration.specific[{key!r}] must be an object, found {kind_of(entry)}",
            entry_pointer,
        )
        return None
    locations = dict(common.locations)
    locations.update({k: doc.locate(entry_pointer + json_pointer(k)) for k in entry})
    # cursus picks the class from the merged dict's __model_type__ (else the declared class)
    model_type = entry.get(MODEL_TYPE, common.raw.get(MODEL_TYPE))
    ok = True
    if model_type is not None and model_type != class_name:
        # (the pointer is always set: the key was read from the file)
        doc.error(
            f"configuration {key!r}: __model_type__ {model_type!r} differs from "
            f"metadata.config_types ({class_name!r})",
            locations[MODEL_TYPE].pointer or "",
        )
        ok = False
    errors_before = len(doc.diagnostics)
    values = {**common.values, **_decode_fields(decoder, entry, entry_pointer)}
    if not ok or has_errors(doc.diagnostics[errors_before:]):
        return None
    return NodeConfig(
        key,
        class_name,
        values,
        locations,
        doc.locate(entry_pointer),
        doc.locate(types_pointer),
    )


def _decode_fields(
    decoder: Decoder, fields: dict[str, Any], pointer: str
) -> dict[str, Any]:
    """Top-level fields: keys starting "_" are dropped (cursus `_deserialize_model`), others decoded."""
    return {
        k: decoder.decode(v, pointer + json_pointer(k))
        for k, v in fields.items()
        if not k.startswith("_")
    }
