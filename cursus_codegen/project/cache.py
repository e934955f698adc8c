"""The cache of `cursus-codegen check` / `generate`, as black's: an unchanged pipeline is
answered without generating it.

An entry says: these inputs, options and generator build generate a module with this sha256.
The key covers the generator's own build (its version, a hash of its code, catalog and
templates, and the versions of the libraries that shape the module), the content of every
input (the DAG, each configuration, each --steps and --templates file), the options and the
output's path; the module on disk is then compared by its hash. So a hand edit, a deleted
module, an edited input, another generator and a changed --steps folder are all misses. A
corrupt or unwritable cache is ignored with a warning, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from cursus_codegen import __version__
from cursus_codegen.paths import user_cache_dir

SHAPING_LIBRARIES = ("black", "jinja2", "libcst", "PyYAML")
MAX_HASHED_FILE = 64 * 1024 * 1024  # larger inputs are refused by generation anyway


def cache_dir() -> Path:
    return user_cache_dir() / "manifest"


@lru_cache(maxsize=1)
def build_id() -> str:
    """The generator's build: version, its code, catalog and templates, and library versions."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parents[1]
    templates = Path(str(resources.files("cursus_codegen.templates")))
    for root in (package, templates):
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".yaml", ".yml", ".j2") \
                    and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    for name in SHAPING_LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=absent".encode())
    return digest.hexdigest()


def file_sha256(path: Path) -> str | None:
    try:
        if path.stat().st_size > MAX_HASHED_FILE:
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _folder(folder: Path, recursive: bool) -> list[tuple[str, str | None]]:
    if not folder.is_dir():
        return [("(not a folder)", None)]
    files = folder.rglob("*") if recursive else folder.glob("*")
    return [(p.relative_to(folder).as_posix(), file_sha256(p)) for p in sorted(files) if p.is_file()]


def key_for(pipeline, root: Path) -> str | None:
    """The cache key of a manifest pipeline, or None when it cannot be cached: an input that
    cannot be read, --exec-dag, or --strict (a missing script or source folder is an error
    there, and the key does not cover the files the configuration points at)."""
    options = pipeline.options
    if options.get("exec_dag") or options.get("strict") or options.get("vendor"):
        # an executed DAG may read anything; --strict fails on, and --vendor copies, files the
        # key does not cover (the scripts the configuration points at)
        return None
    inputs = [file_sha256(pipeline.dag)] + [file_sha256(c) for c in pipeline.configs]
    if any(h is None for h in inputs):
        return None
    folders = [_folder(Path(d), False) for d in options.get("steps", [])]
    if options.get("templates"):
        folders.append(_folder(Path(str(options["templates"])), True))
    relative = [os.path.relpath(p, root) for p in (pipeline.dag, *pipeline.configs, pipeline.output)]
    material = {"build": build_id(), "inputs": inputs, "folders": folders, "paths": relative,
                "options": {k: options[k] for k in sorted(options)}}
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()


class Cache:
    def __init__(self, folder: Path, warn):
        self.folder, self.warn, self._warned_write = folder, warn, False

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def module_sha256(self, key: str) -> str | None:
        path = self._entry(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            self.warn(f"cache entry {path} is unreadable ({exc}); ignored")
            return None
        value = data.get("module_sha256") if isinstance(data, dict) else None
        if not isinstance(value, str):
            self.warn(f"cache entry {path} is not a cache entry; ignored")
            return None
        return value

    def store(self, key: str, module_sha256: str) -> None:
        path = self._entry(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".entry.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"module_sha256": module_sha256}, handle)
            os.replace(tmp, path)
        except OSError as exc:
            if not self._warned_write:
                self.warn(f"cannot write the cache in {self.folder} ({exc.strerror or exc}); "
                          "continuing without it")
                self._warned_write = True
