"""Compare two folders of tables byte for byte: \
``python scripts/compare_tables.py BEFORE/tables AFTER/tables``.

A refactoring must leave every table identical. For each table that differs, this names the first differing
line; the exit status is the number of tables that differ or are missing on one side.
"""

import sys
from pathlib import Path


def differences(before: Path, after: Path) -> list[str]:
    names = sorted({p.name for p in before.iterdir()} | {p.name for p in after.iterdir()})
    found = []
    for name in names:
        old, new = before / name, after / name
        if not old.is_file() or not new.is_file():
            found.append(f"{name}: only in {'after' if new.is_file() else 'before'}")
            continue
        if old.read_bytes() == new.read_bytes():
            continue
        old_lines, new_lines = old.read_text().splitlines(), new.read_text().splitlines()
        line = next(
            (i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=False)) if a != b),
            min(len(old_lines), len(new_lines)),
        )
        found.append(
            f"{name}: differs from line {line + 1} ({len(old_lines)} lines before, {len(new_lines)} after)"
        )
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    before, after = Path(argv[0]), Path(argv[1])
    found = differences(before, after)
    for line in found:
        sys.stderr.write(line + "\n")
    tables = len(list(before.iterdir()))
    sys.stdout.write(f"{tables - len(found)} of {tables} tables identical\n")
    return len(found)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
