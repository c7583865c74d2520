"""The lexicon schemas are checked by two validators: fastjsonschema says whether a file is valid (fast), and
jsonschema, only for an invalid file, says every way and where. These tests hold the two to the same verdict.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import fastjsonschema
import jsonschema
import pytest
import yaml

from policybrief.config import schema_problems
from policybrief.paths import CONFIG_DIR

SCHEMAS = CONFIG_DIR / "schema"
VALIDATION_KEYWORDS = {"type", "items", "minItems", "minLength", "pattern", "enum", "properties", "required"}


def _fast_valid(schema: dict, data) -> bool:
    try:
        fastjsonschema.validate(schema, data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _full_valid(schema: dict, data) -> bool:
    return not list(jsonschema.Draft202012Validator(schema).iter_errors(data))


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


@pytest.mark.parametrize("name", ["themes", "actors", "briefing"])
def test_no_ref_carries_rules_of_its_own(name):
    """Draft 7 validators (fastjsonschema) ignore a rule beside a $ref, which 2020-12 applies."""
    for node in _walk(_schema(name)):
        if "$ref" in node:
            assert not (set(node) & VALIDATION_KEYWORDS), node


def _themes() -> dict:
    return yaml.safe_load((CONFIG_DIR / "themes.yaml").read_text(encoding="utf-8"))


def _actors() -> dict:
    return yaml.safe_load((CONFIG_DIR / "actors.yaml").read_text(encoding="utf-8"))


def _broken_themes() -> list[dict]:
    base = _themes()
    first = next(iter(base["themes"]))
    cases = []
    for change in (
        lambda d: d["themes"][first].update(terms=[]),
        lambda d: d["themes"][first].update(terms="alliance"),
        lambda d: d["themes"][first].update(terms=["alliance", ""]),
        lambda d: d["themes"][first].update(terms=["alliance", 3]),
        lambda d: d["themes"][first].pop("label"),
        lambda d: d["themes"][first].update(label=""),
        lambda d: d["themes"][first].update(colour="red"),
        lambda d: d["themes"].update({"Trade Policy": {"label": "Trade", "terms": ["tariff"]}}),
        lambda d: d.update(themes={}),
        lambda d: d.update(extra=1),
        lambda d: d.update(absent_after="no mention of"),
        lambda d: d.pop("themes"),
    ):
        case = copy.deepcopy(base)
        change(case)
        cases.append(case)
    return cases


def _broken_actors() -> list[dict]:
    base = _actors()
    first = next(iter(base["actors"]))
    cases = []
    for change in (
        lambda d: d["actors"][first].pop("name"),
        lambda d: d["actors"][first].update(type="planet"),
        lambda d: d["actors"][first].update(aliases="Trump"),
        lambda d: d.update(titles=[""]),
        lambda d: d.update(unknown=[]),
        lambda d: d.pop("actors"),
    ):
        case = copy.deepcopy(base)
        change(case)
        cases.append(case)
    return cases


def test_the_two_validators_agree_on_the_shipped_files_and_on_broken_ones():
    themes, actors = _schema("themes"), _schema("actors")
    assert _fast_valid(themes, _themes()) and _full_valid(themes, _themes())
    assert _fast_valid(actors, _actors()) and _full_valid(actors, _actors())
    for case in _broken_themes():
        assert not _full_valid(themes, case), case
        assert not _fast_valid(themes, case), case
    for case in _broken_actors():
        assert not _full_valid(actors, case), case
        assert not _fast_valid(actors, case), case


def test_an_empty_term_list_is_named_with_its_line(tmp_path):
    file = tmp_path / "themes.yaml"
    file.write_text("themes:\n  trade:\n    label: Trade\n    terms: []\n", encoding="utf-8")
    assert schema_problems(file, SCHEMAS / "themes.schema.json", "themes.yaml") == [
        "themes.yaml line 4: 'terms' must not be empty"
    ]


def test_a_valid_file_is_checked_without_importing_jsonschema():
    """jsonschema's import costs seconds in every build and notebook; a valid lexicon never needs it."""
    code = (
        "import sys\n"
        "from policybrief.config import schema_problems\n"
        "from policybrief.paths import CONFIG_DIR\n"
        "schema = CONFIG_DIR / 'schema' / 'themes.schema.json'\n"
        "assert schema_problems(CONFIG_DIR / 'themes.yaml', schema) == []\n"
        "print('jsonschema' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_the_check_still_lists_every_problem_of_an_invalid_file(tmp_path):
    file = tmp_path / "themes.yaml"
    file.write_text(
        "themes:\n  trade:\n    label: Trade\n    terms: tariff\n  Bad:\n    label: X\n    terms: [a]\n",
        encoding="utf-8",
    )
    problems = schema_problems(file, SCHEMAS / "themes.schema.json", "themes.yaml")
    assert len(problems) == 2
    assert problems[0] == "themes.yaml line 4: 'terms' must be a list of strings"
    assert problems[1].startswith("themes.yaml line 5: id 'Bad' must be lower-case")
