"""Loads the analyst-editable YAML files under ``config/`` safely and checks their keys."""

import datetime as dt
import json
from pathlib import Path

import yaml

from policybrief.errors import BriefingError


def load_yaml(path: Path, allowed_keys: set[str]) -> dict:
    """Read a mapping from ``path`` with ``yaml.safe_load`` (no Python objects are ever built).

    Unknown top-level keys are an error, so a typo never silently disables a rule.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BriefingError(f"{path}: config file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BriefingError(f"{path}:{where} not valid YAML: {problem}") from None
    return check_mapping(data, allowed_keys, str(path), "a mapping of settings at the top level")


def check_mapping(entry, allowed_keys: set[str], where: str, expected: str) -> dict:
    """``entry`` if it is a mapping whose keys are all allowed; else one line naming ``where``."""
    if not isinstance(entry, dict):
        raise BriefingError(f"{where}: expected {expected}")
    unknown = sorted(set(entry) - allowed_keys, key=str)
    if unknown:
        raise BriefingError(
            f"{where}: unknown key '{unknown[0]}' (allowed: {', '.join(sorted(allowed_keys))})"
        )
    return entry


def _lines(node: yaml.Node, path: tuple = (), found: dict | None = None) -> dict[tuple, int]:
    """The line (from 1) of every key and item of a composed YAML document, by its path."""
    found = {} if found is None else found
    found.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            found[(*path, key.value)] = key.start_mark.line + 1
            _lines(value, (*path, key.value), found)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _lines(item, (*path, index), found)
    return found


def _plain(value):
    """YAML's dates (``split_date: 2025-01-20``) as the ISO text the schemas and options expect."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


_KINDS = {
    "string": "text",
    "integer": "a whole number",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "empty",
}


def _wanted(schema: dict) -> str:
    """What a schema asks for, in words: "a list of strings", "text", "one of A4, Letter"."""
    if "enum" in schema:
        return "one of " + ", ".join(map(str, schema["enum"]))
    kinds = schema.get("type", "object")
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if kinds == ["array"] and schema.get("items", {}).get("type") == "string":
        return "a list of strings"
    return " or ".join(_KINDS.get(kind, kind) for kind in kinds)


def _valid(schema: dict, data) -> bool:
    """Whether ``data`` matches ``schema``, by fastjsonschema (installed with nbformat).

    Every build and notebook checks the lexicons, and importing jsonschema costs 2.7 s (a format checker it
    loads compiles 38 grammars); fastjsonschema says whether a file is valid in a few milliseconds, and
    jsonschema then runs only for a file that is not, to say every way and where. Our schemas use only
    keywords both read alike (tests/test_config_schema.py checks that they agree on broken files).
    """
    import fastjsonschema

    try:
        fastjsonschema.validate(schema, data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def schema_problems(path: Path, schema_file: Path, shown: str | None = None) -> list[str]:
    """Every way the YAML file at ``path`` differs from its JSON schema, each as one line naming the file (as
    ``shown``, default its path), the line and what to write instead; an empty list when it matches."""
    shown = str(path) if shown is None else shown
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = _plain(yaml.safe_load(text))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return [f"{shown} line {mark.line + 1 if mark else 1}: not valid YAML: {problem}"]
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    if _valid(schema, data if data is not None else {}):
        return []
    import jsonschema  # only an invalid file needs it: see _valid

    lines = _lines(node) if node is not None else {}
    resolved = jsonschema.Draft202012Validator(schema)
    problems: list[tuple[int, str]] = []
    for error in sorted(
        resolved.iter_errors(data if data is not None else {}), key=lambda e: list(map(str, e.path))
    ):
        where = tuple(error.absolute_path)
        name = str(where[-1]) if where and isinstance(where[-1], str) else "the file"
        if error.validator == "additionalProperties":
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))[0]
            where, message = (
                (*where, extra),
                (f"unknown key '{extra}' (allowed: {', '.join(error.schema.get('properties', {}))})"),
            )
        elif error.validator == "required":
            message = f"'{name}' needs {error.message.split(' is a required')[0]}"
        elif error.validator in ("type", "enum"):
            message = f"'{name}' must be {_wanted(error.schema)}"
        elif error.validator in ("minItems", "minLength", "minProperties"):
            message = f"'{name}' must not be empty"
        elif error.validator == "pattern" and error.schema.get("pattern", "").startswith("^\\d{4}"):
            message = f"'{name}' must be a date written YYYY-MM-DD"
        elif error.validator in ("propertyNames", "pattern"):
            if "propertyNames" in error.schema_path:  # the key itself: its own line
                where = (*where, error.instance)
            message = f"id {error.instance!r} must be lower-case letters, digits and _ (e.g. 'trade_policy')"
        else:
            message = error.message
        line = next((lines[where[:n]] for n in range(len(where), -1, -1) if where[:n] in lines), 1)
        problems.append((line, f"{shown} line {line}: {message}"))
    return [problem for _, problem in sorted(problems)]  # in the order of the file


def load_checked(path: Path, schema_file: Path) -> dict:
    """A YAML mapping that matches its schema (dates as ISO text); otherwise one error listing every problem
    with its line."""
    problems = schema_problems(path, schema_file)
    if problems:
        raise BriefingError(f"{path}: " + "; ".join(problems))
    return _plain(yaml.safe_load(path.read_text(encoding="utf-8"))) or {}
