"""The package's layers import in one direction: text -> corpus -> analyses -> views -> build -> cli.

Checked on the source (every import statement, including those inside functions), so a new import against
the flow fails here before it becomes a cycle.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "policybrief"
FOUNDATION = {
    "errors",
    "log",
    "paths",
    "options",
    "config",
    "workers",
    "engine",
    "memory",
    "topic",
    "__init__",
}
LAYERS = ["text", "corpus", "analyses", "views", "build", "top"]  # "top": cli, bench, __main__


def _layer(module: str) -> str:
    first = module.split(".")[0]
    if first in FOUNDATION:
        return "foundation"
    return first if first in LAYERS else "top"


def _imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "policybrief":
                found += [
                    alias.name
                    if (PACKAGE / alias.name).exists() or (PACKAGE / f"{alias.name}.py").exists()
                    else "__init__"
                    for alias in node.names
                ]
            elif node.module.startswith("policybrief."):
                found.append(node.module.removeprefix("policybrief."))
            else:
                found.append("external:" + node.module)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                name = alias.name
                found.append(
                    name.removeprefix("policybrief.")
                    if name.startswith("policybrief.")
                    else "external:" + name
                )
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_run_one_way(path):
    own = _layer(path.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", "."))
    for imported in _imports(path):
        if imported.startswith("external:"):
            external = imported.removeprefix("external:").split(".")[0]
            if own in ("text", "corpus", "analyses", "foundation"):
                assert external not in ("altair", "vl_convert", "IPython", "papermill", "nbconvert"), (
                    f"{path.name} ({own}) imports {external}: charts and notebooks belong to views and build"
                )
            if own == "text":
                assert external != "pandas", f"{path.name}: the text layer stays free of pandas"
            continue
        theirs = _layer(imported)
        if own == "foundation":
            assert theirs == "foundation", f"{path.name} (foundation) imports {imported}"
        elif theirs != "foundation":
            assert LAYERS.index(theirs) <= LAYERS.index(own), (
                f"{path.name} ({own}) imports {imported} ({theirs})"
            )


def test_no_module_is_longer_than_about_400_lines():
    long = {
        p.relative_to(PACKAGE).as_posix(): n for p in MODULES if (n := len(p.read_text().splitlines())) > 420
    }
    assert not long, long


def test_no_source_file_of_the_package_is_ignored_by_git():
    """A .gitignore pattern once hid policybrief/build/ from every clone; the tree here is what CI gets."""
    import shutil
    import subprocess

    if shutil.which("git") is None or not (PACKAGE.parent / ".git").exists():
        pytest.skip("not a git checkout")
    sources = [str(p) for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", *sources], cwd=PACKAGE.parent, capture_output=True, text=True
    )
    assert ignored.stdout.strip() == "", ignored.stdout
