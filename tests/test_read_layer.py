"""Generation looks at the file system only through the recording read layer
(cursus_codegen/fs/reads.py), so the manifest cache can replay every fact a module depends on.
A direct `open`, `Path.exists`, `os.stat`... in a phase that shapes the module would be a fact
the cache cannot see: a cached `check` could then answer differently from a fresh run.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "cursus_codegen"
SHAPING = [
    "inputs",
    "catalog",
    "mods",
    "plan",
    "output/render.py",
    "output/provenance.py",
    "paths.py",
]
PROBES = {
    "exists",
    "is_file",
    "is_dir",
    "is_symlink",
    "iterdir",
    "glob",
    "rglob",
    "read_bytes",
    "read_text",
    "stat",
    "lstat",
    "resolve",
    "open",
    "listdir",
    "scandir",
    "walk",
    "realpath",
    "isfile",
    "isdir",
    "islink",
    "getsize",
    "samefile",
    "readlink",
}
# Allowed, with the reason: an executed DAG is never cached (it may read anything); the
# packaged catalog is part of the generator's build, which the cache key covers; libcst's
# metadata `resolve` is not the file system.
ALLOWED = {
    ("inputs/dag_exec.py", "resolve"),
    ("catalog/loader.py", "is_dir"),
    ("catalog/loader.py", "iterdir"),
    ("catalog/loader.py", "read_text"),
    ("inputs/static_source.py", "resolve"),
}


def direct_probes(path: Path) -> set[tuple[str, str]]:
    found = set()
    relative = path.relative_to(PACKAGE).as_posix()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "open":
            found.add((relative, "open"))
        elif isinstance(func, ast.Attribute) and func.attr in PROBES:
            receiver = ast.unparse(func.value)
            if receiver != "reads" and not receiver.endswith(
                "layout"
            ):  # the read layer, LocalLayout
                found.add((relative, func.attr))
    return found


def shaping_files() -> list[Path]:
    files = []
    for entry in SHAPING:
        path = PACKAGE / entry
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def test_phases_that_shape_the_module_read_only_through_the_read_layer():
    found = set().union(*(direct_probes(p) for p in shaping_files()))
    assert found - ALLOWED == set()


def test_the_check_sees_a_direct_probe(tmp_path):
    planted = PACKAGE / "plan" / "_planted_probe_for_test.py"
    planted.write_text(
        "from pathlib import Path\n\ndef f(p):\n    return Path(p).exists()\n"
    )
    try:
        assert ("plan/_planted_probe_for_test.py", "exists") in direct_probes(planted)
    finally:
        planted.unlink()
