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
@given(st.lists(st.integers(min_value=600, max_value=8 * 3600 - 1), min_size=50, max_size=300))
def test_above_ten_minutes_the_median_is_off_by_at_most_two_buckets_width(values: list[int]) -> None:
    exact = percentile(sorted(values), 0.5)
    found = estimate(histogram_of(values, SERVICE_EDGES), SERVICE_EDGES, 0.5)
    assert exact is not None and found is not None and found.high is not None
    assert abs(found.estimate - exact) <= found.high - found.low
    assert (found.high - found.low) <= 0.45 * found.low
