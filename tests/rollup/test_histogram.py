"""Quantiles from the fixed histograms: the exact value always lies in the interval the estimate gives."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from perjumpaan.rollup.histogram import (
    COMPLAINT_EDGES,
    SERVICE_EDGES,
    bucket_of,
    estimate,
    histogram_of,
)
from perjumpaan.service.selectors import percentile

seconds = st.integers(min_value=0, max_value=10 * 3600)


def test_the_edges_are_whole_minutes_and_increase() -> None:
    for edges in (SERVICE_EDGES, COMPLAINT_EDGES):
        assert edges[0] == 0
        assert all(a < b for a, b in itertools.pairwise(edges))
        assert all(edge % 60 == 0 for edge in edges)


def test_above_ten_minutes_no_bucket_is_wider_than_a_fifth_of_its_lower_edge() -> None:
    for low, high in itertools.pairwise(SERVICE_EDGES):
        if low < 600:
            assert high - low == 60
        else:
            assert (high - low) / low <= 0.2 + 1e-9


def test_a_value_on_an_edge_belongs_to_the_bucket_that_starts_there() -> None:
    assert bucket_of(0, SERVICE_EDGES) == 0
    assert bucket_of(59, SERVICE_EDGES) == 0
    assert bucket_of(60, SERVICE_EDGES) == 1
    assert bucket_of(8 * 3600, SERVICE_EDGES) == len(SERVICE_EDGES) - 1
    assert bucket_of(30 * 3600, SERVICE_EDGES) == len(SERVICE_EDGES) - 1


def test_nothing_has_no_quantile() -> None:
    assert estimate([0] * len(SERVICE_EDGES), SERVICE_EDGES, 0.5) is None


@settings(max_examples=400)
@given(st.lists(seconds, min_size=1, max_size=300), st.sampled_from([0.0, 0.1, 0.5, 0.9, 1.0]))
def test_the_exact_quantile_lies_in_the_estimates_interval(values: list[int], q: float) -> None:
    exact = percentile(sorted(values), q)
    assert exact is not None
    found = estimate(histogram_of(values, SERVICE_EDGES), SERVICE_EDGES, q)
    assert found is not None
    assert found.low <= exact
    assert found.high is None or exact < found.high
    assert found.low <= found.estimate
    assert found.high is None or found.estimate <= found.high


@settings(max_examples=200)
@given(st.lists(st.integers(min_value=600, max_value=8 * 3600 - 1), min_size=51, max_size=301))
def test_on_a_whole_rank_the_interval_is_one_bucket_at_most_a_fifth_wide(values: list[int]) -> None:
    if len(values) % 2 == 0:
        values = values[:-1]  # an odd count: the median is a whole rank
    exact = percentile(sorted(values), 0.5)
    found = estimate(histogram_of(values, SERVICE_EDGES), SERVICE_EDGES, 0.5)
    assert exact is not None and found is not None and found.high is not None
    assert found.low <= exact < found.high
    assert abs(found.estimate - exact) < found.high - found.low <= 0.2 * found.low + 1e-9
