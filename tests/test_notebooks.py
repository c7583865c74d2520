"""Committed notebooks carry no outputs, start with a title, and have a parameters cell."""

import json

import pytest

from policybrief.config import PROJECT_DIR

NOTEBOOKS = sorted((PROJECT_DIR / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOKS][:1] == ["00_corpus.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_committed_clean(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, f"{path.name}: strip outputs"
    first = notebook["cells"][0]
    assert first["cell_type"] == "markdown" and "".join(first["source"]).startswith("# ")
    parameters = [c for c in notebook["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(parameters) == 1
    source = "".join(parameters[0]["source"])
    for name in ("corpus", "out", "start", "end"):
        assert f"\n{name} = " in "\n" + source
