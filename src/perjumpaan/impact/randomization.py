"""Randomisation inference: is the pilots' effect larger than that of offices that did not take part?

With two pilot offices out of forty, standard errors computed from the data (analytic, multiplier
bootstrap) rest on two offices' noise and are far too small: in simulation about 28 % of rollouts with no
effect at all look "significant". Randomisation inference asks instead how unusual the estimate is among
the estimates the same estimator gives when *other* offices are pretended to be the pilots ("placebo
offices"):

- **Assignments.** The offices' cohorts are permuted among offices, keeping how many offices enrolled in
  each period: with two pilots enrolled together and 38 others, every pair of offices, C(40, 2) = 780
  assignments. When there are at most `MAX_ASSIGNMENTS` distinct assignments all are used (exact); past
  that, `MAX_ASSIGNMENTS - 1` uniformly random permutations drawn with a fixed seed, plus the real one.
- **p-value.** The share of assignments (the real one included) whose estimate is at least as far from
  zero as the real estimate: two-sided, exact under the sharp null of no effect on any office when the
  pilots could as well have been any offices.
- **Interval.** The set of effects δ that the same test does not reject when δ is subtracted from the
  enrolled offices' outcomes after enrolment (a constant effect δ). The estimators are linear in the
  outcomes, so each assignment's estimate under δ is a - δ·b, with a its estimate on the outcomes and b its
  estimate on the treatment indicator; the p-value changes only where |a_k - δ b_k| = |a_0 - δ b_0|, and
  the interval is found exactly from those points (no grid).
- **Event study.** The same test and interval for the effect e periods after (or before) enrolment, with
  δ subtracted in that period only. For a single cohort every test is exact; with several cohorts and a
  real effect the permuted comparisons mix event times, and the test is an approximation.
- **Pre-trends.** A joint test of the pre-enrolment event-study effects (the mean of their squares
  against the same statistic for every assignment).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from perjumpaan.impact.estimation import (
    Cell,
    Effect,
    EventEffect,
    cohort_members,
    cohort_sizes,
    event_weights,
    group_time_batch,
    group_time_cells,
    imputation_batch,
    imputation_identified,
    simple_weights,
)
from perjumpaan.impact.panel import NEVER, Panel

MAX_ASSIGNMENTS = 10_000
"""Enumerate every assignment up to this many; past it, draw this many at random."""

# Estimates closer than this (relative to the largest) count as ties: a tie must not turn on rounding.
RELATIVE_TOLERANCE = 1e-9


def assignment_count(cohort: np.ndarray) -> int:
    """How many distinct ways the cohorts can be spread over the offices (a multinomial coefficient)."""
    count, remaining = 1, len(cohort)
    for size in cohort_sizes(cohort).values():
        count *= math.comb(remaining, size)
        remaining -= size
    return count


def _enumerate(cohort: np.ndarray) -> np.ndarray:
    groups = [(value, size) for value, size in cohort_sizes(cohort).items() if value != NEVER]
    rows: list[list[int]] = []
    current = [NEVER] * len(cohort)

    def place(available: tuple[int, ...], level: int) -> None:
        if level == len(groups):
            rows.append(current.copy())
            return
        value, size = groups[level]
        for chosen in combinations(available, size):
            for office in chosen:
                current[office] = value
            taken = set(chosen)
            place(tuple(office for office in available if office not in taken), level + 1)
            for office in chosen:
                current[office] = NEVER

    place(tuple(range(len(cohort))), 0)
    return np.array(rows, dtype=np.int64)


def assignments(
    cohort: np.ndarray, *, limit: int = MAX_ASSIGNMENTS, seed: int = 0
) -> tuple[np.ndarray, bool]:
    """The assignments to compare, the real one first, and whether they are all of them (exact)."""
    cohort = np.asarray(cohort, dtype=np.int64)
    if assignment_count(cohort) <= limit:
        rows = _enumerate(cohort)
        real = int(np.flatnonzero((rows == cohort).all(axis=1))[0])
        order = np.r_[real, np.delete(np.arange(len(rows)), real)]
        return rows[order], True
    rng = np.random.default_rng(seed)
    shuffled = np.argsort(rng.random((limit - 1, len(cohort))), axis=1)
    return np.vstack([cohort[None, :], cohort[shuffled]]), False


def _tolerance(values: np.ndarray) -> float:
    finite = np.abs(values[np.isfinite(values)])
    return RELATIVE_TOLERANCE * (float(finite.max()) if finite.size else 1.0) + 1e-300


def p_value(a: np.ndarray, b: np.ndarray, delta: float = 0.0) -> float:
    """Two-sided randomisation p-value of "the effect is δ": row 0 is the real assignment."""
    statistic = np.abs(a - delta * b)
    return float(np.mean(statistic >= statistic[0] - _tolerance(statistic)))


def p_values(a: np.ndarray, b: np.ndarray, deltas: np.ndarray) -> np.ndarray:
    """`p_value` for many δ at once (brute force; the tests compare `interval` with it)."""
    statistic = np.abs(a[None, :] - deltas[:, None] * b[None, :])
    return np.asarray(np.mean(statistic >= statistic[:, :1] - _tolerance(statistic), axis=1))


def interval(a: np.ndarray, b: np.ndarray, alpha: float = 0.05) -> tuple[float, float]:
    """The effects δ the randomisation test does not reject at level α: the smallest interval holding them.

    Assignment k counts against δ when |a_k - δ b_k| >= |a_0 - δ b_0|, i.e. where the product
    ((a_k - a_0) - δ (b_k - b_0)) ((a_k + a_0) - δ (b_k + b_0)) is not negative: its sign changes only at
    the roots of the two factors. A sweep over all roots gives the p-value on every stretch between them.
    An end may be infinite (when placebo estimates respond to δ as strongly as the real one).
    """
    a0, b0 = a[0], b[0]
    tol_a, tol_b = _tolerance(a), _tolerance(b)
    roots = np.full((len(a), 2), np.nan)
    for column, (da, db) in enumerate(((a - a0, b - b0), (a + a0, b + b0))):
        slope = np.abs(db) > tol_b
        roots[slope, column] = da[slope] / db[slope]
    low = np.fmin(roots[:, 0], roots[:, 1])
    high = np.fmax(roots[:, 0], roots[:, 1])
    two = ~np.isnan(low) & (high > low)
    one = ~np.isnan(low) & ~two

    def counted(delta: np.ndarray) -> np.ndarray:
        statistic_k = np.abs(a - delta * b)
        statistic_0 = np.abs(a0 - delta * b0)
        return np.asarray(statistic_k >= statistic_0 - tol_a * (1 + np.abs(delta))).astype(int)

    # Each assignment's verdict left of, between and right of its roots (constant on each stretch).
    anchor = np.where(np.isnan(low), 0.0, low)
    v_left = counted(anchor - 1.0 - np.abs(anchor))
    v_right = counted(np.where(np.isnan(high), 0.0, high + 1.0 + np.abs(high)))
    v_middle = counted(np.where(two, (low + high) / 2, 0.0))
    positions = np.r_[low[two], high[two], low[one]]
    changes = np.r_[(v_middle - v_left)[two], (v_right - v_middle)[two], (v_right - v_left)[one]]
    order = np.argsort(positions, kind="stable")
    edges, starts = np.unique(positions[order], return_index=True)
    step = np.add.reduceat(changes[order], starts) if len(order) else np.array([], dtype=int)
    # The count on (-inf, e0), (e0, e1), …, (e_last, inf).
    level = int(v_left.sum()) + np.r_[0, np.cumsum(step)]
    accepted = level / len(a) > alpha
    if not accepted.any():
        return (float(a0 / b0), float(a0 / b0)) if abs(b0) > tol_b else (math.nan, math.nan)
    stretches = np.flatnonzero(accepted)
    lower = -math.inf if stretches[0] == 0 else float(edges[stretches[0] - 1])
    upper = math.inf if stretches[-1] == len(edges) else float(edges[stretches[-1]])
    return lower, upper


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _effect(a: np.ndarray, b: np.ndarray, alpha: float) -> Effect:
    estimate = float(a[0])
    lower, upper = interval(a, b, alpha)
    # The spread of the estimator over assignments once the estimate is taken out: the randomisation
    # counterpart of a standard error (shown, never used for the interval).
    spread = float(np.std(a - (estimate / b[0] if b[0] else 0.0) * b, ddof=1)) if len(a) > 1 else math.nan
    return Effect(
        att=estimate,
        se=_finite(spread),
        ci_low=_finite(lower),
        ci_high=_finite(upper),
        p_value=p_value(a, b),
    )


@dataclass(frozen=True)
class PlaceboDistribution:
    """The estimates of every placebo assignment (the real one left out), for a chart of how unusual the
    real estimate is. `offices` names the placebo pilots when there are few of them (None otherwise)."""

    observed: float
    estimates: tuple[float, ...]
    offices: tuple[tuple[str, ...], ...] | None
    exact: bool
    assignments: int


@dataclass(frozen=True)
class RandomizationResult:
    overall: Effect
    event_study: tuple[EventEffect, ...]
    imputation: Effect | None
    placebo: PlaceboDistribution
    pretrend_p_value: float | None
    exact: bool
    assignments: int


# Placebo pilots are named in the distribution only when there are this few of them per assignment.
MAX_NAMED_PLACEBO_OFFICES = 5


def _event_treatment(panel: Panel, event: int) -> np.ndarray:
    """1 in the period `event` periods from each enrolled office's enrolment, 0 elsewhere."""
    matrix = np.zeros_like(panel.y)
    treated = np.flatnonzero(panel.treated)
    periods = panel.cohort[treated] + event
    inside = (periods >= 0) & (periods < panel.n_periods)
    matrix[treated[inside], periods[inside]] = 1.0
    return matrix


def randomization_inference(
    panel: Panel,
    *,
    control: str = "notyet",
    alpha: float = 0.05,
    limit: int = MAX_ASSIGNMENTS,
    seed: int = 0,
    imputation: bool = True,
    progress: Callable[[str], None] | None = None,
) -> RandomizationResult:
    """Randomisation tests and intervals for the simple ATT, the event study and the imputation estimate."""
    rows, exact = assignments(panel.cohort, limit=limit, seed=seed)
    cells: Sequence[Cell] = group_time_cells(panel.cohort, panel.n_periods, control)
    sizes = cohort_sizes(panel.cohort)
    members = cohort_members(rows)
    on_outcome = group_time_batch(panel.y, rows, cells, members)
    on_treatment = group_time_batch(panel.treatment(), rows, cells, members)
    weights = simple_weights(cells, sizes)
    a, b = on_outcome @ weights, on_treatment @ weights
    overall = _effect(a, b, alpha)
    if progress:
        progress("overall")

    events, matrix = event_weights(cells, sizes)
    event_effects = []
    pre_estimates = []
    for event, row in zip(events, matrix, strict=True):
        used = np.flatnonzero(row)
        subset = [cells[int(index)] for index in used]
        a_e = on_outcome[:, used] @ row[used]
        b_e = group_time_batch(_event_treatment(panel, int(event)), rows, subset, members) @ row[used]
        effect = _effect(a_e, b_e, alpha)
        event_effects.append(EventEffect(e=int(event), **vars(effect)))
        if event < 0:
            pre_estimates.append(a_e)
    pretrend = None
    if pre_estimates:
        statistic = np.mean(np.square(pre_estimates), axis=0)
        pretrend = float(np.mean(statistic >= statistic[0] - _tolerance(statistic)))
    if progress:
        progress("event_study")

    imputed = None
    if imputation and imputation_identified(panel.cohort, panel.n_periods):
        a_i, b_i = imputation_batch([panel.y, panel.treatment()], rows, members)
        imputed = _effect(a_i, b_i, alpha)
    if progress:
        progress("imputation")

    named = panel.n_treated <= MAX_NAMED_PLACEBO_OFFICES
    units = np.asarray(panel.units, dtype=object)
    placebo = PlaceboDistribution(
        observed=float(a[0]),
        estimates=tuple(float(value) for value in a[1:]),
        offices=tuple(tuple(units[row != NEVER]) for row in rows[1:]) if named else None,
        exact=exact,
        assignments=len(rows),
    )
    return RandomizationResult(
        overall=overall,
        event_study=tuple(event_effects),
        imputation=imputed,
        placebo=placebo,
        pretrend_p_value=pretrend,
        exact=exact,
        assignments=len(rows),
    )
