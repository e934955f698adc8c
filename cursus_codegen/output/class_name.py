"""The template class's name must be one the module can hold.

A class named after something the module uses (`Pipeline`, `Join`, `os`, `_local`, a builtin
the steps call) replaces that name for the whole module, which then imports but fails when
the pipeline is built. Python compares identifiers after NFKC normalisation, so a look-alike
such as `Ｐipeline` is the same name.
"""

from __future__ import annotations

import ast
import builtins
import unicodedata

from cursus_codegen.naming import is_identifier


def class_name_problem(class_name: str, module_source: str) -> str | None:
    """Why `class_name` cannot name the class of this module, or None when it can."""
    if not is_identifier(class_name):
        return f"{class_name!r} is not a Python identifier that can name a class"
    name = unicodedata.normalize("NFKC", class_name)
    if name in _names_used(module_source, name):
        return f"{class_name!r} is a name the generated module already uses"
    return None


def _names_used(source: str, class_name: str) -> set[str]:
    """Every name the module binds or reads, apart from the definition of the class itself."""
    used = {name for name in dir(builtins) if not name.startswith("__")}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            or isinstance(node, ast.ClassDef)
            and node.name != class_name
        ):
            used.add(node.name)
        elif isinstance(node, ast.alias):
            used.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.arg):
            used.add(node.arg)
    return used
