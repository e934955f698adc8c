"""The package's layout as a checked rule: phases as folders, imports one way, small modules.

inputs -> catalog -> mods -> plan -> output -> run -> api -> project -> diff -> cli (PHASES): a
module imports only from its own phase or an earlier one (the foundation, phase 0: version,
outcome, diagnostics, naming, paths, expr, fs and options, comes before every phase), and no
import, at module level or inside a function, closes a circle. A sub-package counts as one
module of the top level.
"""

import ast
import statistics
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "cursus_codegen"

# Phase of each top-level module or sub-package of cursus_codegen; lower comes first.
PHASES = {
    "__init__": 0,
    "version": 0,
    "outcome": 0,
    "diagnostics": 0,
    "naming": 0,
    "paths": 0,
    "expr": 0,
    "fs": 0,
    "options": 0,
    "inputs": 1,
    "catalog": 2,
    "mods": 3,
    "plan": 4,
    "output": 5,
    "run": 6,
    "api": 7,
    "project": 8,
    "diff": 9,
    "cli": 10,
    "__main__": 11,
}
MAX_TOP_LEVEL_MODULES = 10
MAX_LINES = 250


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported_modules(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every cursus_codegen module this file imports, wherever the import statement stands."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            submodules = {
                f"{base}.{alias.name}" for alias in node.names
            } & modules.keys()
            found.update(submodules)
            if len(submodules) < len(node.names):  # names defined by `base` itself
                found.add(base)
    return {m for m in found if m in modules and m != name}


def phase_of(module: str) -> int:
    parts = module.split(".")
    return PHASES[parts[1] if len(parts) > 1 else "__init__"]


def import_graph() -> dict[str, set[str]]:
    modules = all_modules()
    return {name: imported_modules(path, modules) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a path that starts and ends at the same module, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = 2
        path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_every_module_belongs_to_a_phase():
    top_level = {
        name.split(".")[1] if "." in name else "__init__" for name in all_modules()
    }
    assert top_level <= set(
        PHASES
    ), f"give these a phase: {sorted(top_level - set(PHASES))}"


def test_no_import_circle():
    assert find_cycle(import_graph()) is None, " -> ".join(
        find_cycle(import_graph()) or []
    )


def test_imports_only_go_to_the_same_or_an_earlier_phase():
    backwards = [
        f"{module} (phase {phase_of(module)}) imports {target} (phase {phase_of(target)})"
        for module, targets in import_graph().items()
        for target in sorted(targets)
        if phase_of(target) > phase_of(module)
    ]
    assert backwards == []


def test_the_checks_can_fail():
    """The walker sees function-level and relative imports and finds a planted circle."""
    graph = import_graph()
    assert (
        "cursus_codegen.inputs.dag_static" in graph["cursus_codegen.inputs.dag"]
    )  # lazy import
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    # `from cursus_codegen.plan import model` is an import of the submodule, not of the package
    assert "cursus_codegen.plan.model" in graph["cursus_codegen.output.render"]
    assert "cursus_codegen.plan" not in graph["cursus_codegen.output.render"]
    assert phase_of("cursus_codegen.cli") > phase_of("cursus_codegen.plan.build")


def test_phases_are_folders_and_few_modules_stay_at_the_top():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        package = init.parent.name
        assert (
            docstring
        ), f"{package}/__init__.py must say what the phase takes and gives"


def test_modules_are_small():
    sizes = {
        name: len(p.read_text(encoding="utf-8").splitlines())
        for name, p in all_modules().items()
    }
    too_long = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert too_long == {}
    print(
        f"\n{len(sizes)} modules, median {statistics.median(sizes.values())} lines, "
        f"largest {max(sizes.values())}"
    )
    assert statistics.median(sizes.values()) <= 130


def test_every_sub_package_ships_in_the_wheel():
    """setuptools lists packages by hand here: a new phase folder missing from the list would
    install a generator that fails on import."""
    import tomllib

    pyproject = tomllib.loads(
        (PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8")
    )
    listed = set(pyproject["tool"]["setuptools"]["packages"])
    on_disk = {module_name(init) for init in PACKAGE.rglob("__init__.py")}
    assert on_disk <= listed, sorted(on_disk - listed)
