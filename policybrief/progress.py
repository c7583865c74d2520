"""Progress of a long step: a tqdm bar on a terminal, and a timestamped log line per tenth of the work when
the output goes to a file, CI or make (a bar there would be hundreds of carriage returns)."""

import logging
import sys
from collections.abc import Callable

from tqdm import tqdm

from policybrief.log import logger

SHOWN_FROM = 200  # steps over fewer documents finish before a bar is worth drawing


def reporter(verb: str) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback for a step over documents (``verb``: "cleaned", "scanned")."""
    bars: list[tqdm] = []
    reported: set[int] = set()
    on_terminal = sys.stderr.isatty()

    def report(done: int, total: int) -> None:
        if total < SHOWN_FROM or not logger.isEnabledFor(logging.INFO):
            return
        if on_terminal:
            if not bars:
                bars.append(tqdm(total=total, desc=f"policybrief: {verb}", unit=" documents", leave=False))
            bars[0].update(done - bars[0].n)
            if done >= total:
                bars[0].close()
            return
        tenth = 10 * done // total
        if tenth and tenth not in reported:
            reported.add(tenth)
            logger.info("  %s %s/%s documents", verb, f"{done:,}", f"{total:,}")

    return report
