"""The intervals against the values Newcombe published (Statistics in Medicine 17, 1998): Wilson's interval
from the single-proportion paper (pp. 857–872, method 3), the difference from its companion (pp. 873–890,
Table II, method 10), to the four decimals printed there."""

import math

import pytest

from policybrief.analyses.stats import newcombe_difference, wilson


@pytest.mark.parametrize(
    "successes, trials, low, high",
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_newcombe(successes, trials, low, high):
    assert wilson(successes, trials) == pytest.approx((low, high), abs=5e-5)


def test_wilson_interval_of_no_trials_is_undefined():
    assert all(math.isnan(x) for x in wilson(0, 0))


@pytest.mark.parametrize(
    "a, n_a, b, n_b, low, high",
    [
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (5, 56, 0, 29, -0.0381, 0.1926),
        (0, 10, 0, 20, -0.1611, 0.2775),
        (0, 10, 0, 10, -0.2775, 0.2775),
        (10, 10, 0, 20, 0.6791, 1.0),
        (10, 10, 0, 10, 0.6075, 1.0),
    ],
)
def test_difference_interval_matches_newcombe_method_10(a, n_a, b, n_b, low, high):
    assert newcombe_difference(a, n_a, b, n_b) == pytest.approx((low, high), abs=5e-5)


def test_wider_confidence_gives_a_wider_interval():
    low_95, high_95 = wilson(30, 100)
    low_99, high_99 = wilson(30, 100, confidence=0.99)
    assert low_99 < low_95 < 0.3 < high_95 < high_99
