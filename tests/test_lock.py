"""The lock (requirements.txt) holds every dependency the project needs on Python 3.11, 3.12 and 3.13.

What is checked, without network or installs:

* The walk starts from pyproject.toml: ``[project] dependencies``, every optional extra and every
  ``[dependency-groups]`` entry. From there it follows ``Requires-Dist`` of the distributions installed in
  the running interpreter (``importlib.metadata``), evaluating each marker for a Linux x86_64 CPython of
  the target version and for the extras requested. Every name reached must be in the lock with a marker
  that is true for that Python, at a version that satisfies the requirement's specifier.
* pip's ``--python-version`` only picks wheels and still evaluates markers for the running interpreter,
  so a dry run on 3.11 proves nothing for 3.12; this walk does.

What is not checked (be aware):

* A distribution that is not installed here (its marker is false for the running Python, e.g. aiohttp,
  which papermill needs on 3.12 only) is checked for presence in the lock, but its own Requires-Dist
  cannot be read, so its dependencies are not walked. ``check_lock`` reports such names in ``unwalked``.
* The metadata read is the running interpreter's wheel metadata; a package whose Requires-Dist differs
  between the wheels for different Python versions would be misjudged (rare; markers are the norm).
* Installed versions must match the lock (else the metadata walked is not the locked one): that is
  checked and reported as a problem; ``make setup`` brings the venv in line.
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.txt"
PYPROJECT = ROOT / "pyproject.toml"
PYTHONS = ("3.11", "3.12", "3.13")
RUNNING = f"{sys.version_info.major}.{sys.version_info.minor}"


def marker_env(python: str) -> dict[str, str]:
    """Marker environment of CPython ``python`` (e.g. "3.12") on Linux x86_64."""
    full = f"{python}.0"
    return {
        "implementation_name": "cpython",
        "implementation_version": full,
        "os_name": "posix",
        "platform_machine": "x86_64",
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_system": "Linux",
        "platform_version": "",
        "python_full_version": full,
        "python_version": python,
        "sys_platform": "linux",
        "extra": "",
    }


def parse_lock(text: str) -> dict[str, list[tuple[Version, Marker | None]]]:
    """Locked entries by canonical name: [(version, marker)], hashes and comments dropped."""
    entries: dict[str, list[tuple[Version, Marker | None]]] = {}
    for line in text.replace("\\\n", " ").splitlines():
        line = line.split(" --hash=")[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        req = Requirement(line)
        (spec,) = req.specifier  # a lock pins exactly: name==version
        assert spec.operator == "==", line
        entries.setdefault(canonicalize_name(req.name), []).append((Version(spec.version), req.marker))
    return entries


def drop_from_lock(text: str, name: str) -> str:
    """The lock text without ``name``'s entry (its line, hash lines and annotations)."""
    pattern = rf"^{re.escape(name)}==[^\n]*(?:\n[ \t][^\n]*)*\n"
    new, count = re.subn(pattern, "", text, flags=re.MULTILINE | re.IGNORECASE)
    assert count, f"{name} is not in the lock text"
    return new


def project_roots() -> list[Requirement]:
    """The project's own requirements: dependencies, all extras, all dependency groups."""
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    reqs = list(data["project"].get("dependencies", []))
    for extra in data["project"].get("optional-dependencies", {}).values():
        reqs += extra
    for group in data.get("dependency-groups", {}).values():
        reqs += [r for r in group if isinstance(r, str)]  # {include-group = ...} entries add no names
    return [Requirement(r) for r in reqs]


@dataclass
class Result:
    problems: list[str] = field(default_factory=list)
    reached: set[str] = field(default_factory=set)
    unwalked: set[str] = field(default_factory=set)  # in the lock, not installed here: deps unread


def check_lock(lock_text: str, python: str) -> Result:
    """Walk the project's dependency tree for ``python`` and compare each name reached with the lock."""
    lock = parse_lock(lock_text)
    env = marker_env(python)
    result = Result()
    # (requirement, who needs it); each (name, extra) is expanded once.
    queue: list[tuple[Requirement, str]] = [(r, "pyproject.toml") for r in project_roots()]
    seen: set[tuple[str, str]] = set()
    while queue:
        req, parent = queue.pop()
        name = canonicalize_name(req.name)
        extras = sorted(canonicalize_name(e) for e in req.extras)
        todo = [(name, e) for e in ["", *extras] if (name, e) not in seen]
        if not todo:
            continue
        seen.update(todo)
        if name == "policybrief":  # a self-reference (policybrief[dev] style) adds nothing new here
            continue
        result.reached.add(name)
        locked = [v for v, m in lock.get(name, []) if m is None or m.evaluate(env)]
        if not locked:
            result.problems.append(f"{name} (needed by {parent}) is not locked for Python {python}")
            continue
        if not any(req.specifier.contains(v, prereleases=True) for v in locked):
            result.problems.append(f"{name}: locked {locked} does not satisfy {req} (from {parent})")
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            result.unwalked.add(name)
            continue
        # What is installed is this interpreter's. A package may be locked at one version for 3.11 and another
        # for 3.12 and later (bokeh): the installed one is checked against this Python's lock only, and its
        # requirements are read for another Python only when the lock gives that Python the same version.
        if Version(dist.version) not in locked:
            if python == RUNNING:
                result.problems.append(f"{name}: installed {dist.version}, locked {locked}: run make setup")
            else:
                result.unwalked.add(name)
            continue
        label = name + (f"[{','.join(extras)}]" if extras else "")
        for line in dist.requires or []:
            sub = Requirement(line)
            if sub.marker is None or any(sub.marker.evaluate({**env, "extra": e}) for _, e in todo):
                queue.append((sub, label))
    return result


@pytest.fixture(scope="module")
def lock_text() -> str:
    return LOCK.read_text(encoding="utf-8")


@pytest.mark.parametrize("python", PYTHONS)
def test_lock_holds_every_dependency(lock_text: str, python: str) -> None:
    result = check_lock(lock_text, python)
    assert not result.problems, "\n".join(result.problems)
    assert {"papermill", "pandas", "setuptools", "pytest", "jupyterlab"} <= result.reached


def test_aiohttp_is_locked_for_312_only_as_papermill_needs(lock_text: str) -> None:
    """papermill requires aiohttp on Python 3.12; dropping it from the lock is caught there, not on 3.11."""
    without = drop_from_lock(lock_text, "aiohttp")
    assert "aiohttp" not in parse_lock(without)
    problems = check_lock(without, "3.12").problems
    assert any(p.startswith("aiohttp ") for p in problems), problems
    assert not check_lock(without, "3.11").problems


def test_lock_parses_markers(lock_text: str) -> None:
    lock = parse_lock(lock_text)
    assert len(lock) > 100
    ((_, marker),) = lock["aiohttp"]
    assert marker is not None and marker.evaluate(marker_env("3.12"))
    assert not marker.evaluate(marker_env("3.11")) and not marker.evaluate(marker_env("3.13"))
