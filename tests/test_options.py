"""One options contract: the CLI, the Makefile and the notebooks all speak ``Options``."""

import re
from pathlib import Path

import nbformat
import pytest

from policybrief.build.notebooks import check_parameters, declared_parameters, notebook_paths
from policybrief.cli import options_from, parser
from policybrief.errors import BriefingError
from policybrief.options import Options, flag, make_variable, option_fields
from policybrief.paths import NOTEBOOKS_DIR, PROJECT_DIR


def test_the_makefile_forwards_every_option_and_nothing_else():
    text = (PROJECT_DIR / "Makefile").read_text()
    listed = re.search(r"^OPTION_VARS := ((?:[^\n]*\\\n)*[^\n]*)$", text, re.M).group(1)
    assert listed.replace("\\", " ").split() == [make_variable(f) for f in option_fields()]


def test_each_flag_is_its_make_variable_in_kebab_case():
    assert flag(next(f for f in option_fields() if f.name == "themes_file")) == "--themes"
    assert flag(next(f for f in option_fields() if f.name == "split_date")) == "--split-date"


def test_a_command_line_becomes_typed_options():
    args = parser().parse_args(
        [
            "build",
            "--corpus",
            "elsewhere",
            "--split-date=2024-06-01",
            "--min-hits",
            "2",
            "--metonyms",
            "false",
            "--near-duplicate-threshold",
            "0.25",
            "--show-themes",
            "alliance, taiwan",
            "--pair",
            "a,b",
            "--start",
            "",
        ]
    )
    options = options_from(args)
    assert options == Options(
        corpus=Path("elsewhere"),
        split_date="2024-06-01",
        min_hits=2,
        metonyms=False,
        near_duplicate_threshold=0.25,
        show_themes=["alliance", "taiwan"],
        pair=["a", "b"],
    )


def test_a_value_of_the_wrong_type_is_one_line_naming_the_flag():
    with pytest.raises(BriefingError, match=r"--min-hits='two'"):
        options_from(parser().parse_args(["tables", "--min-hits", "two"]))


def test_the_tables_depend_only_on_the_table_options():
    base = Options()
    assert base.replace(title="Another", top_n=3).table_record() == base.table_record()
    assert base.replace(split_date="2024-01-01").table_record() != base.table_record()


@pytest.mark.parametrize("path", notebook_paths(NOTEBOOKS_DIR), ids=lambda p: p.name)
def test_notebook_parameters_are_options_with_their_defaults(path):
    """A notebook run alone in JupyterLab gets what the build would give it by default."""
    namespace: dict = {}
    parameters = next(
        c for c in nbformat.read(path, as_version=4).cells if "parameters" in c.metadata.get("tags", [])
    )
    exec(parameters.source, namespace)  # literal assignments only, from our own notebook
    declared = declared_parameters(path)
    assert declared and set(declared) <= set(Options.names())
    defaults = Options()
    for name in declared:
        value, default = namespace[name], getattr(defaults, name)
        if isinstance(
            default, Path
        ):  # the notebook's paths are relative to its folder, the defaults to the project
            assert (NOTEBOOKS_DIR / value).resolve() == (PROJECT_DIR / default).resolve(), name
        else:
            assert value == default, name


def test_a_notebook_parameter_that_is_not_an_option_is_an_error(tmp_path):
    kernel = {"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}}
    cell = nbformat.v4.new_code_cell(
        "corpus = None\nsplit_dat = '2025-01-20'", metadata={"tags": ["parameters"]}
    )
    notebook = nbformat.v4.new_notebook(cells=[cell], metadata=kernel)
    nbformat.write(notebook, tmp_path / "00_typo.ipynb")
    with pytest.raises(BriefingError, match="notebook 00_typo.ipynb: parameter 'split_dat' is not an option"):
        check_parameters([tmp_path / "00_typo.ipynb"])
