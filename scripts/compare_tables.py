"""Compare two folders of tables: ``python scripts/compare_tables.py [--bytes] BEFORE/tables AFTER/tables``.

A refactoring or another engine must leave every table the same. By default the Parquet tables are compared
as sets of rows (row order does not count; numbers within a relative 1e-9), with one line per table that
differs; ``--bytes`` compares every file byte for byte instead, naming the first differing line of a
text file. The exit status is the number of differences.
"""

import sys
from pathlib import Path

from policybrief.build.differences import table_differences


def byte_differences(before: Path, after: Path) -> list[str]:
    names = sorted({p.name for p in before.iterdir()} | {p.name for p in after.iterdir()})
    found = []
    for name in names:
        old, new = before / name, after / name
        if not old.is_file() or not new.is_file():
            found.append(f"{name}: only in {'after' if new.is_file() else 'before'}")
            continue
        if old.read_bytes() == new.read_bytes():
            continue
        if name.endswith(".parquet"):
            found.append(f"{name}: different bytes")
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
    by_bytes = "--bytes" in argv
    folders = [arg for arg in argv if arg != "--bytes"]
    if len(folders) != 2:
        sys.stderr.write(__doc__)
        return 2
    before, after = Path(folders[0]), Path(folders[1])
    found = byte_differences(before, after) if by_bytes else table_differences(before, after)
    for line in found:
        sys.stderr.write(line + "\n")
    files = list(before.iterdir()) if by_bytes else list(before.glob("*.parquet"))
    kind = "files identical" if by_bytes else "tables the same"
    sys.stdout.write(f"{len(files) - len(found)} of {len(files)} {kind}\n")
    return len(found)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
