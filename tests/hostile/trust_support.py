"""Shared pieces of the trust suites: a deploy repository, a snapshot of every file below a
folder (links recorded as links, never followed), and the clean-failure assertion."""

import os
import shutil
from pathlib import Path

from conftest import REPO, run_cli

EXAMPLE = REPO / "generated_examples" / "xgboost_e2e"


def pipeline_table(name, folder, output=None, extra=""):
    return (
        f'[[tool.cursus-codegen.pipelines]]\nname = "{name}"\ndag = "{folder}/dag.py"\n'
        f'config = "{folder}/cfg.json"\noutput = "{output or folder + "/pipeline_gen.py"}"\n{extra}\n'
    )


def deploy_repo(root: Path, *tables: str, head: str = "") -> Path:
    """A repository with the XGBoost example in `xgb/` and a manifest of `tables`."""
    shutil.copytree(EXAMPLE, root / "xgb")
    (root / "xgb" / "pipeline_gen.py").unlink()
    (root / "pyproject.toml").write_text(
        f"[tool.cursus-codegen]\n{head}\n" + "".join(tables)
    )
    return root


def snapshot(folder: Path) -> dict[str, object]:
    """Every entry below `folder`: a file's bytes, a link's target, a folder's marker."""
    found: dict[str, object] = {}
    for base, dirs, names in os.walk(folder, followlinks=False):
        for name in dirs + names:
            path = Path(base, name)
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[key] = ("link", os.readlink(path))
            elif path.is_file():
                found[key] = path.read_bytes()
            elif path.is_dir():
                found[key] = "dir"
    return found


def fails_cleanly(args, cwd, *fragments, untouched=()):
    """Exit 2, one or more `error:` lines holding every fragment, no traceback, and every
    folder of `untouched` exactly as it was."""
    before = [snapshot(Path(f)) for f in untouched]
    code, out, err = run_cli(args, cwd=cwd)
    assert code == 2, (code, out, err)
    assert "Traceback" not in err and "internal error" not in err, err
    assert ": error: " in err or "error:" in err, err
    for fragment in fragments:
        assert fragment in err, err
    assert [snapshot(Path(f)) for f in untouched] == before
    return err
