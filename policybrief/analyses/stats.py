"""Small-sample intervals the briefing relies on, from statsmodels: Wilson's score interval for one share,
and Newcombe's hybrid score interval (his method 10) for the difference of two.

tests/test_stats.py checks both against the values Newcombe (1998) published.
"""

import math


def wilson(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a share (Wilson 1927; Brown, Cai & DasGupta 2001); NaN when trials = 0."""
    if trials == 0:
        return math.nan, math.nan
    from statsmodels.stats.proportion import proportion_confint  # imported when used: 0.6 s, not in workers

    low, high = proportion_confint(successes, trials, alpha=1 - confidence, method="wilson")
    return float(low), float(high)


def newcombe_difference(
    successes_a: int, trials_a: int, successes_b: int, trials_b: int, confidence: float = 0.95
) -> tuple[float, float]:
    """Interval for share a − share b from the two Wilson intervals: unlike the Wald interval it stays inside
    [−1, 1] and keeps its coverage when a share is 0 or 1 or the counts are small."""
    from statsmodels.stats.proportion import confint_proportions_2indep

    low, high = confint_proportions_2indep(
        successes_a, trials_a, successes_b, trials_b, method="newcomb", compare="diff", alpha=1 - confidence
    )
    return float(low), float(high)
