"""Fixed histograms of durations, and quantiles estimated from them with a guaranteed interval.

The maintained aggregates cannot keep every waiting time of a day, but dashboards want medians and 90th
percentiles over any stretch of days. So each day keeps, besides the count and the sum, how many durations
fell in each bucket of a fixed set of edges; buckets of several days add up, and a quantile is estimated
from the summed buckets.

Durations are whole seconds: each timestamp is truncated to its second before subtracting (the queue
machines record seconds; truncating the same way in Python and in SQL keeps the incremental path and the
rebuild identical).

The estimate (`estimate`) follows the same definition as the exact figures of the service pages
(`perjumpaan.service.selectors.percentile`: linear between the closest ranks, Excel's PERCENTILE.INC). For
a quantile q of n values at position p = (n−1)q it finds the bucket holding rank ⌊p⌋ (and, when p is not a
whole rank, the bucket holding the next rank), and places each rank inside its bucket as if the bucket's
values were spread evenly. Whatever the data, the exact quantile lies in [`low`, `high`): from the lower
edge of the first of those buckets to the upper edge of the second (`high` is None for the open last
bucket). On a whole rank, or when the two ranks share a bucket, that is one bucket: at most one minute
wide under ten minutes, at most a fifth of its lower edge above. When the two ranks fall in different
buckets the interval spans both (and any empty buckets between them), which happens only where the
durations are sparse. docs/scale.md gives the errors measured on the synthetic data.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

# Waiting and service times at a counter, in minutes: one-minute buckets to 10 minutes, then buckets at
# most 20 % wider than their lower edge, up to 8 hours; the last bucket is open.
SERVICE_EDGES_MINUTES: tuple[int, ...] = (
    *range(0, 11),
    12, 14, 16, 18, 20, 23, 26, 30, 35, 40, 45, 50, 55, 60, 70, 80, 90, 100, 110, 120,
    135, 150, 165, 180, 210, 240, 270, 300, 360, 420, 480,
)  # fmt: skip
SERVICE_EDGES: tuple[int, ...] = tuple(minutes * 60 for minutes in SERVICE_EDGES_MINUTES)

# Complaints: hours to the first response and to closing, up to a month; the last bucket is open.
COMPLAINT_EDGES_HOURS: tuple[int, ...] = (
    0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 36, 48, 72, 96, 120, 168, 240, 336, 504, 720,
)  # fmt: skip
COMPLAINT_EDGES: tuple[int, ...] = tuple(hours * 3600 for hours in COMPLAINT_EDGES_HOURS)


def bucket_of(seconds: int, edges: Sequence[int]) -> int:
    """The index of the bucket [edges[i], edges[i+1]) holding `seconds` (the last bucket is open)."""
    if seconds < 0:
        raise ValueError(f"a duration cannot be negative ({seconds} s)")
    return bisect.bisect_right(edges, seconds) - 1


def histogram_of(values: Sequence[int], edges: Sequence[int]) -> tuple[int, ...]:
    counts = [0] * len(edges)
    for value in values:
        counts[bucket_of(value, edges)] += 1
    return tuple(counts)


@dataclass(frozen=True)
class Quantile:
    """A quantile estimated from a histogram: the estimate, and the interval [low, high) the exact value
    is guaranteed to lie in (`high` None: the open last bucket). Seconds."""

    estimate: float
    low: int
    high: int | None

    @property
    def minutes(self) -> float:
        return self.estimate / 60

    @property
    def hours(self) -> float:
        return self.estimate / 3600

    @property
    def width(self) -> int | None:
        return None if self.high is None else self.high - self.low


def estimate(counts: Sequence[int], edges: Sequence[int], q: float) -> Quantile | None:
    """The q-quantile (0–1) of the durations counted in `counts` (one count per bucket of `edges`);
    None when there are none."""
    if len(counts) != len(edges):
        raise ValueError(f"{len(counts)} counts for {len(edges)} buckets")
    if not 0 <= q <= 1:
        raise ValueError(f"a quantile is between 0 and 1, not {q}")
    n = sum(counts)
    if n == 0:
        return None
    position = (n - 1) * q
    low_rank = int(position)
    # On a whole rank the next one has no weight, and need not widen the interval.
    high_rank = low_rank if position == low_rank else min(low_rank + 1, n - 1)
    cumulative = []
    running = 0
    for count in counts:
        running += count
        cumulative.append(running)

    def bucket_of_rank(rank: int) -> int:
        return bisect.bisect_right(cumulative, rank)

    def value_at(rank: int) -> float:
        bucket = bucket_of_rank(rank)
        lower = edges[bucket]
        if bucket == len(edges) - 1:
            return float(lower)
        before = cumulative[bucket] - counts[bucket]
        width = edges[bucket + 1] - lower
        return lower + width * (rank - before + 0.5) / counts[bucket]

    low_value, high_value = value_at(low_rank), value_at(high_rank)
    value = low_value + (high_value - low_value) * (position - low_rank)
    last = bucket_of_rank(high_rank)
    return Quantile(
        estimate=value,
        low=edges[bucket_of_rank(low_rank)],
        high=edges[last + 1] if last + 1 < len(edges) else None,
    )
