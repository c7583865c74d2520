"""The quantity rules (``config/quantities.yaml``): counted things, currencies and scales, compiled into the
patterns that find stated quantities in a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from policybrief import paths
from policybrief.config import load_yaml
from policybrief.errors import BriefingError

QUANTITIES_FILE = paths.CONFIG_DIR / "quantities.yaml"

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


@dataclass(frozen=True)
class QuantityRules:
    percent: re.Pattern
    money: re.Pattern
    count: re.Pattern
    currencies: dict[str, str]  # as written, lower case -> currency code
    scales: dict[str, float]
    things: dict[str, str]  # a counted thing as written, lower case -> its plural as listed


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def load_rules(path: Path = QUANTITIES_FILE) -> QuantityRules:
    data = load_yaml(path, {"counted_things", "currencies", "scales"})
    things = data.get("counted_things") or []
    currencies = data.get("currencies") or {}
    scales = data.get("scales") or {}
    if not isinstance(things, list) or not all(isinstance(t, str) and t.strip() for t in things):
        raise BriefingError(f"{path}: 'counted_things' must be a list of nouns")
    if not isinstance(currencies, dict) or not isinstance(scales, dict):
        raise BriefingError(
            f"{path}: 'currencies' and 'scales' must map words to a currency code or a number"
        )
    singular = {t.lower().removesuffix("s"): t.lower() for t in things if t.lower().endswith("s")}
    forms = {t.lower(): t.lower() for t in things} | singular
    scale = _alternation(list(scales))
    symbols = [c for c in currencies if not c.isalpha()]
    words = [c for c in currencies if c.isalpha()]
    money = (
        rf"(?P<before>{_alternation(symbols)})\s?(?P<number>{_NUMBER})(?:\s?(?P<scale>{scale})\b)?"
        rf"|(?<![\w.$])(?P<number2>{_NUMBER})\s?(?:(?P<scale2>{scale})\s+)?(?P<after>{_alternation(words)})\b"
    )
    return QuantityRules(
        percent=re.compile(rf"(?<![\w.])(?P<number>{_NUMBER})\s?(?:%|percent\b|per\s+cent\b)", re.I),
        money=re.compile(money, re.I),
        # not after a hyphen ("Hwasong-11 missile" is a model); up to three words between ("400 U.S.-made
        # Tomahawk cruise missiles"); not a compound's first part ("submarine-launched")
        count=re.compile(
            rf"(?<![\w.$€£¥₩-])(?P<number>{_NUMBER})\s+(?P<between>(?:[A-Za-z][\w.-]*\s+){{0,3}}?)"
            rf"(?P<thing>{_alternation(list(forms))})\b(?!-)",
            re.I,
        ),
        currencies={c.lower(): str(code) for c, code in currencies.items()},
        scales={s.lower(): float(v) for s, v in scales.items()},
        things=forms,
    )
