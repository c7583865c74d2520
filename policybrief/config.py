"""Loads the analyst-editable YAML files under ``config/`` safely and checks their keys."""

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
