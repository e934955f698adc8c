"""How a request names its inputs: for messages (`display`), for the module's header
(`from_module`: relative to the module's folder), and the header's regenerate command, which
carries every option that changes the module's bytes (the API builds each into the request).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from cursus_codegen.inputs.files import safe_resolve
from cursus_codegen.options.input_file import InputFile
from cursus_codegen.options.table import OPTIONS, Option


def regenerate_command(
    dag: str,
    configs: list[str],
    out: str | None,
    opts: Mapping[str, object],
    base: Path,
) -> str:
    """The regenerate command for the header, run from the module's folder. It carries every
    option that changes the module's bytes, so `--check` with it reproduces the file. A path
    that starts with "-" is written `./-name` and another such value `--flag=-value`, so the
    command reads each as what it is, never as an option."""
    import shlex

    words = [
        "cursus-codegen",
        _path_word(from_module(dag, base)),
        *(_path_word(from_module(c, base)) for c in configs),
    ]
    words += ["-o", _path_word(Path(out).name) if out else "-"]
    for option in OPTIONS.values():
        if option.header:
            words += _option_words(option, opts[option.name], base)
    return shlex.join(words)


def _option_words(option: Option, value: object, base: Path) -> list[str]:
    """The option's words in the regenerate command; none when it has its default."""
    if option.kind is bool:
        return [option.flag] if value else []
    if option.kind is list:
        return [word for entry in value for word in _valued(option, entry, base)]  # type: ignore[attr-defined]  # a tuple (_normal)
    if value is None or value == option.default:
        return []
    return _valued(option, value, base)


def _valued(option: Option, value: object, base: Path) -> list[str]:
    text = _path_word(from_module(str(value), base)) if option.path else str(value)
    return [f"{option.flag}={text}"] if text.startswith("-") else [option.flag, text]


def _path_word(path: str) -> str:
    """A relative path that starts with "-" as `./-name`: the command must not read an option."""
    return "./" + path if path.startswith("-") else path


def input_file(path: str, base: Path) -> InputFile:
    """An input named as given (`path`), for messages, and from the module's folder `base`."""
    return InputFile(Path(path), display(path), from_module(path, base))


def display(path: str) -> str:
    """The path for messages: as given, made relative if it was absolute."""
    if os.path.isabs(path):
        try:
            return os.path.relpath(path)
        except ValueError:
            return path
    return path


def from_module(path: str, base: Path) -> str:
    """A path as seen from the generated module's folder (POSIX), for the module's header:
    the regenerate command it records is run from the module's own folder."""
    resolved = safe_resolve(Path(path))
    if resolved is None:  # a symlink loop: the input check reports it
        return Path(path).as_posix()
    try:
        return Path(os.path.relpath(resolved, base)).as_posix()
    except ValueError:  # another drive on Windows: nothing relative exists
        return Path(path).name
