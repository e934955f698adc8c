"""The cache of `cursus-codegen check` / `generate`, as black's: an unchanged pipeline is
answered without generating it, and a cached answer is the answer a fresh run would give.

The key covers what is not a file: the generator's build (its version, a hash of its code,
catalog and templates, the versions of the libraries that shape the module), the Python
version, the repository's folder, the pipeline's paths and its options. The entry holds the
module's sha256 and every fact generation observed through the recording read layer
(cursus_codegen/fs/reads.py): each file it read with its hash, each existence, kind, listing
and resolution probe with its answer. An entry answers only while every fact still holds, so an
edited input or `--steps` file, a created or removed script or source folder, a replaced link
all make a miss; the module on disk is then compared by its hash. Pipelines with an option the
options table marks `uncached` (running the DAG's code, copying files) are never cached. A damaged, forged or unreadable entry
is a miss with a warning; entries are JSON data in the user cache (cursus_codegen/fs/store.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING

from cursus_codegen.fs import reads, store
from cursus_codegen.options.table import OPTIONS
from cursus_codegen.project.claims import CLAIM_PARTS, Claims
from cursus_codegen.version import __version__

if TYPE_CHECKING:
    from cursus_codegen.project.pipelines import Pipeline

SHAPING_LIBRARIES = ("black", "jinja2", "libcst", "PyYAML")
KIND = "manifest"
MAX_FACTS = 1_000_000


# no arguments: computed once per process
@cache
def build_id() -> str:
    """The generator's build: version, its code, catalog and templates, and library versions."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version_info[:3]}".encode())
    package = Path(__file__).resolve().parents[1]
    templates = Path(str(resources.files("cursus_codegen.templates")))
    for root in (package, templates):
        for path in sorted(root.rglob("*")):
            if (
                path.is_file()
                and path.suffix in (".py", ".yaml", ".yml", ".j2")
                and "__pycache__" not in path.parts
            ):
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    for name in SHAPING_LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=absent".encode())
    return digest.hexdigest()


def module_sha256(path: Path) -> str | None:
    """The sha256 of a module on disk; None when it is missing or not a regular file (a FIFO
    is never opened for reading, a device never read)."""
    try:
        return hashlib.sha256(reads.read_bytes(path, limit=1 << 30)).hexdigest()
    except OSError:
        return None


def key_for(pipeline: Pipeline, root: Path) -> str | None:
    """The cache key of a manifest pipeline; None when it is never cached."""
    options = {
        name: pipeline.options.get(name, option.default)
        for name, option in OPTIONS.items()
    }
    if any(options[name] for name, option in OPTIONS.items() if option.uncached):
        return None
    material = {
        "build": build_id(),
        "root": os.path.abspath(root),
        "paths": [
            os.path.relpath(p, root)
            for p in (pipeline.dag, *pipeline.configs, pipeline.output)
        ],
        "options": options,
    }
    return hashlib.sha256(
        json.dumps(material, sort_keys=True, default=str).encode()
    ).hexdigest()


@dataclass(frozen=True)
class Answer:
    module_sha: str
    claims: Claims
    messages: str  # the diagnostics (warnings) of the run that stored it


def _strings(value: object) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _entry(payload: bytes) -> tuple[Answer, list[reads.Fact]] | None:
    """(the answer, the facts it rests on) from an entry's payload, or None when it is not one."""
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("module_sha256"), str)
        or not isinstance(data.get("messages"), str)
        or not isinstance(data.get("claims"), dict)
    ):
        return None
    parts = [_strings(data["claims"].get(name)) for name in CLAIM_PARTS]
    present = [p for p in parts if p is not None]
    facts = data.get("facts")
    if (
        len(present) < len(parts)
        or not isinstance(facts, list)
        or len(facts) > MAX_FACTS
        or not all(
            isinstance(f, list)
            and len(f) == 3
            and all(isinstance(x, str) for x in f)
            and f[0] in reads.PROBES
            for f in facts
        )
    ):
        return None
    claims = Claims(*present)
    return Answer(data["module_sha256"], claims, data["messages"]), [
        (f[0], f[1], f[2]) for f in facts
    ]


class Cache:
    """Lookups and stores in the user cache; problems are warnings, never errors."""

    def __init__(self, warn: Callable[[str], None]) -> None:
        self.warn, self._warned = warn, False
        problem = store.untrusted(store.cache_root())
        if problem is not None:
            self._once(
                f"the cache folder {store.cache_root()} {problem}; not used "
                "(every pipeline is generated)"
            )

    def _once(self, message: str) -> None:
        if not self._warned:
            self.warn(message)
            self._warned = True

    def answer(self, key: str, pipeline: Pipeline) -> Answer | None:
        """The stored answer for the key's pipeline, when every recorded fact still holds. An
        entry that does not record reading the pipeline's DAG and configurations is no answer.
        """
        found = store.read(KIND, key)
        if found.problem is not None:
            self.warn(f"{found.problem}; ignored")
        if found.payload is None:
            return None
        entry = _entry(found.payload)
        if entry is None:
            self.warn(f"cache entry {key} is not a cache entry; ignored")
            return None
        answer, facts = entry
        witnessed = {path for probe, path, _ in facts if probe == "read"}
        inputs = {os.path.abspath(p) for p in (pipeline.dag, *pipeline.configs)}
        if not inputs <= witnessed:
            self.warn(f"cache entry {key} does not record its inputs; ignored")
            return None
        return answer if all(reads.holds(fact) for fact in facts) else None

    def store(
        self,
        key: str,
        module_sha: str,
        facts: list[reads.Fact],
        claims: Claims,
        messages: str,
    ) -> None:
        payload = json.dumps(
            {
                "module_sha256": module_sha,
                "facts": facts,
                "messages": messages,
                "claims": {name: list(getattr(claims, name)) for name in CLAIM_PARTS},
            }
        )
        problem = store.write(KIND, key, payload.encode("utf-8"))
        if problem is not None:
            self._once(f"{problem}; continuing without it")
