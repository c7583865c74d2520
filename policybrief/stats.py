"""Small-sample statistics the briefing relies on, from statsmodels where it has them."""

import math

from statsmodels.stats.proportion import proportion_confint


def wilson(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a share (Wilson 1927; Brown, Cai & DasGupta 2001); NaN when trials = 0."""
    if trials == 0:
        return math.nan, math.nan
    low, high = proportion_confint(successes, trials, alpha=1 - confidence, method="wilson")
    return float(low), float(high)
