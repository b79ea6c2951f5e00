"""Staggered difference-in-differences: Callaway & Sant'Anna group-time effects and the imputation estimator.

The programme enrols offices in waves (cohorts): a pilot, then the next offices, and so on. For such a
*staggered* rollout the textbook two-way fixed-effects regression compares late offices with early ones
and can give the wrong sign; the estimators here do not.

- **Callaway & Sant'Anna (2021)**: for every cohort g and period t an effect ATT(g, t), the change in the
  cohort's outcome from the period before it enrolled (g - 1) to t, minus the same change among the
  comparison offices: those not yet enrolled by t ("notyet", the default) or those never enrolled
  ("never"). Before enrolment (t < g) the base is the previous period (R `did`'s "varying" base period), so
  those pre-enrolment effects are period-to-period placebo checks of parallel trends. They are aggregated
  to the overall (simple) ATT, the average of the post-enrolment ATT(g, t) weighted by cohort size, and to
  an event study by e = t - g, periods since enrolment.
- **Imputation** (Borusyak, Jaravel & Spiess 2024; the same point estimate as Gardner's two-stage did2s):
  office and period effects are fitted on every untreated office-period, the untreated outcome of each
  enrolled office-period is imputed from them, and the effect is the average gap. Each enrolled office's
  level comes from the average of *all* its pre-enrolment periods, not one base period.

The headline numbers and their analytic or bootstrap standard errors come from the `diff-diff` library
(`callaway_santanna`, `imputation`). `group_time_batch` and `imputation_batch` are this project's own
vectorised versions of the same point estimates, computed for thousands of treatment assignments at once;
randomisation inference (`perjumpaan.impact.randomization`) needs that, and the tests check that they equal
the library's numbers. Nothing here imports Django.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from perjumpaan.impact.panel import NEVER, Panel

CONTROLS = ("notyet", "never")
LIBRARY_CONTROLS = {"notyet": "not_yet_treated", "never": "never_treated"}
BOOTSTRAP_ITERATIONS = 999


@dataclass(frozen=True)
class Effect:
    """An estimate with its uncertainty. `se`, the interval and `p_value` are None when not available."""

    att: float
    se: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None

    @property
    def excludes_zero(self) -> bool:
        """Whether the interval lies wholly above or wholly below zero (the dashboard's "evidence")."""
        if self.ci_low is None or self.ci_high is None:
            return False
        return self.ci_low > 0 or self.ci_high < 0


@dataclass(frozen=True)
class EventEffect(Effect):
    """The effect `e` periods after enrolment (negative e: a pre-enrolment placebo check)."""

    e: int


@dataclass(frozen=True)
class Cell:
    """One group-time effect ATT(g, t): cohort index `group`, period index `time`, its `base` period, and
    the cohorts (`NEVER` included) whose offices serve as its comparison."""

    group: int
    time: int
    base: int
    controls: tuple[int, ...]

    @property
    def event(self) -> int:
        return self.time - self.group

    @property
    def post(self) -> bool:
        return self.time >= self.group


def group_time_cells(cohort: np.ndarray, n_periods: int, control: str) -> list[Cell]:
    """Every ATT(g, t) the design identifies, in cohort then period order (R `did`'s order).

    Cohort sizes do not change when treatment is permuted among offices, so the same cells serve every
    assignment of randomisation inference.
    """
    if control not in CONTROLS:
        raise ValueError(f"control must be one of {CONTROLS}, not {control!r}")
    present = sorted(set(cohort.tolist()))
    cells = []
    for group in (value for value in present if value != NEVER):
        for time in range(1, n_periods):
            base = group - 1 if time >= group else time - 1
            if control == "never":
                controls = tuple(value for value in present if value == NEVER)
            else:
                # Not yet treated in either compared period; an office enrolling exactly at t is treated at t.
                controls = tuple(
                    value for value in present if value == NEVER or (value > time and value != group)
                )
            if controls:
                cells.append(Cell(group, time, base, controls))
    return cells


def cohort_sizes(cohort: np.ndarray) -> dict[int, int]:
    values, counts = np.unique(cohort, return_counts=True)
    return {int(value): int(count) for value, count in zip(values, counts, strict=True)}


# Cohorts up to this size are summed by gathering their offices' rows; larger ones by a matrix product.
GATHER_LIMIT = 16


def cohort_members(assignments: np.ndarray) -> dict[int, np.ndarray]:
    """For each enrolled cohort, an array (assignments × cohort size) of the offices it holds.

    Computed once and passed to `group_time_batch` when the same assignments meet many outcomes."""
    assignments = np.atleast_2d(assignments)
    members = {}
    for cohort, size in cohort_sizes(assignments[0]).items():
        if cohort != NEVER:
            order = np.argsort(assignments != cohort, axis=1, kind="stable")
            members[cohort] = order[:, :size]
    return members


def group_time_batch(
    y: np.ndarray,
    assignments: np.ndarray,
    cells: Sequence[Cell],
    members: dict[int, np.ndarray] | None = None,
) -> np.ndarray:
    """ATT(g, t) for every cell under every assignment: an array of shape (assignments, cells).

    `y` is offices by periods; each row of `assignments` gives every office's cohort index, with the same
    cohort sizes as the cells were built for. Everything reduces to per-cohort sums of the periods the
    cells compare, for all assignments at once: enrolled cohorts are few offices each and are gathered
    (`members`, from `cohort_members`, saves finding them again for every outcome); the never-enrolled
    offices' sums are the total, which no assignment changes, minus the enrolled cohorts' sums.
    """
    assignments = np.atleast_2d(assignments)
    if members is None:
        members = cohort_members(assignments)
    columns = sorted({cell.time for cell in cells} | {cell.base for cell in cells})
    position = {column: index for index, column in enumerate(columns)}
    values = y[:, columns]
    sizes = cohort_sizes(assignments[0])
    sums: dict[int, np.ndarray] = {}
    for cohort, offices in members.items():
        if offices.shape[1] <= GATHER_LIMIT:
            sums[cohort] = values[offices].sum(axis=1)
        else:
            sums[cohort] = (assignments == cohort).astype(float) @ values
    if NEVER in sizes:
        sums[NEVER] = values.sum(axis=0)[None, :] - sum(sums.values(), np.zeros((1, len(columns))))
    result = np.empty((assignments.shape[0], len(cells)))
    for index, cell in enumerate(cells):
        t, b = position[cell.time], position[cell.base]
        treated = sums[cell.group][:, t] - sums[cell.group][:, b]
        controls = sum(sums[c][:, t] - sums[c][:, b] for c in cell.controls)
        n_controls = sum(sizes[c] for c in cell.controls)
        result[:, index] = treated / sizes[cell.group] - controls / n_controls
    return result


def simple_weights(cells: Sequence[Cell], sizes: dict[int, int]) -> np.ndarray:
    """R `aggte(type = "simple")`: post-enrolment cells weighted by their cohort's size."""
    weights = np.array([sizes[cell.group] if cell.post else 0.0 for cell in cells], dtype=float)
    return np.asarray(weights / weights.sum())


def event_weights(cells: Sequence[Cell], sizes: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """R `aggte(type = "dynamic")`: for each event time e, its cells weighted by cohort size.

    Returns the event times and a matrix (event times × cells) of weights.
    """
    events = np.array(sorted({cell.event for cell in cells}), dtype=int)
    matrix = np.zeros((len(events), len(cells)))
    row = {int(e): index for index, e in enumerate(events)}
    for index, cell in enumerate(cells):
        matrix[row[cell.event], index] = sizes[cell.group]
    matrix /= matrix.sum(axis=1, keepdims=True)
    return events, matrix


def group_weights(cells: Sequence[Cell], sizes: dict[int, int]) -> np.ndarray:
    """R `aggte(type = "group")` overall: each cohort's mean post effect, averaged by cohort size."""
    post = [cell for cell in cells if cell.post]
    groups = sorted({cell.group for cell in post})
    total = sum(sizes[g] for g in groups)
    per_group = {g: sum(1 for cell in post if cell.group == g) for g in groups}
    return np.array(
        [sizes[cell.group] / total / per_group[cell.group] if cell.post else 0.0 for cell in cells],
        dtype=float,
    )


def dynamic_overall_weights(cells: Sequence[Cell], sizes: dict[int, int]) -> np.ndarray:
    """R `aggte(type = "dynamic")` overall: the plain mean of the event-study effects for e >= 0."""
    events, matrix = event_weights(cells, sizes)
    post = events >= 0
    return np.asarray(matrix[post].mean(axis=0))


@dataclass(frozen=True)
class GroupTimeEstimates:
    """The point estimates of one panel: ATT(g, t) per cell and their aggregations."""

    cells: tuple[Cell, ...]
    group_time: np.ndarray
    simple: float
    events: np.ndarray
    event_study: np.ndarray
    group: float
    dynamic: float


def group_time_estimates(panel: Panel, control: str) -> GroupTimeEstimates:
    """Callaway & Sant'Anna point estimates by this module's own arithmetic (the libraries agree)."""
    cells = group_time_cells(panel.cohort, panel.n_periods, control)
    if not cells:
        raise ValueError("no identified group-time effect")
    sizes = cohort_sizes(panel.cohort)
    gt = group_time_batch(panel.y, panel.cohort[None, :], cells)[0]
    events, matrix = event_weights(cells, sizes)
    return GroupTimeEstimates(
        cells=tuple(cells),
        group_time=gt,
        simple=float(gt @ simple_weights(cells, sizes)),
        events=events,
        event_study=matrix @ gt,
        group=float(gt @ group_weights(cells, sizes)),
        dynamic=float(gt @ dynamic_overall_weights(cells, sizes)),
    )


def untreated_mask(assignments: np.ndarray, n_periods: int) -> np.ndarray:
    """(assignments, offices, periods): True where an office-period is untreated under the assignment."""
    index = np.arange(n_periods)
    return np.asarray((assignments[:, :, None] == NEVER) | (index[None, None, :] < assignments[:, :, None]))


def imputation_identified(cohort: np.ndarray, n_periods: int) -> bool:
    """Whether the imputation estimator's period effects are identified: every period has an untreated
    office (all offices are untreated in period 0, which links them). Permutations do not change this."""
    return bool(untreated_mask(cohort[None, :], n_periods)[0].any(axis=0).all())


def imputation_batch(
    outcomes: Sequence[np.ndarray], assignments: np.ndarray, members: dict[int, np.ndarray] | None = None
) -> np.ndarray:
    """The imputation estimate (mean over treated office-periods of Y - office effect - period effect,
    both fitted by least squares on the untreated office-periods) of each outcome matrix under every
    assignment: an array of shape (outcomes, assignments).

    With the office effects profiled out, the period effects solve A β = Σ_i r_i, where office i adds
    u_i u_iᵀ / n_i to A (u_i: its untreated periods, n_i their number) and r_i = u_i ⊙ (y_i - u_i·y_i / n_i)
    to the right-hand side. u_i depends only on the office's cohort, and permutations keep cohort sizes,
    so A is the same for every assignment: one solve serves them all, and each assignment only gathers
    the r_i (and treated sums) of its few enrolled offices. The assignments must satisfy
    `imputation_identified`.
    """
    assignments = np.atleast_2d(assignments)
    if members is None:
        members = cohort_members(assignments)
    sizes = cohort_sizes(assignments[0])
    n_periods = outcomes[0].shape[1]
    index = np.arange(n_periods)
    enrolled = [cohort for cohort in sizes if cohort != NEVER]
    untreated = {cohort: (index < cohort).astype(float) for cohort in enrolled}
    untreated[NEVER] = np.ones(n_periods)
    count = {cohort: float(cohort) for cohort in enrolled} | {NEVER: float(n_periods)}
    system = np.diag(sum(sizes.get(c, 0) * untreated[c] for c in untreated))
    for cohort, size in sizes.items():
        system -= size * np.outer(untreated[cohort], untreated[cohort]) / count[cohort]
    treated_cells = sum(size * (n_periods - cohort) for cohort, size in sizes.items() if cohort != NEVER)
    result = np.empty((len(outcomes), assignments.shape[0]))
    for k, y in enumerate(outcomes):
        r = {c: untreated[c][None, :] * (y - (y @ untreated[c])[:, None] / count[c]) for c in untreated}
        rhs = np.broadcast_to(r[NEVER].sum(axis=0), (assignments.shape[0], n_periods)).copy()
        office_part = np.zeros(assignments.shape[0])
        for cohort in enrolled:
            rhs += (r[cohort] - r[NEVER])[members[cohort]].sum(axis=1)
            ratio = (n_periods - cohort) / cohort
            gaps = y[:, cohort:].sum(axis=1) - ratio * y[:, :cohort].sum(axis=1)
            office_part += gaps[members[cohort]].sum(axis=1)
        period = np.zeros((assignments.shape[0], n_periods))
        period[:, 1:] = np.linalg.solve(system[1:, 1:], rhs[:, 1:].T).T
        period_part = sum(
            sizes[c] * (period[:, c:].sum(axis=1) - (n_periods - c) / c * period[:, :c].sum(axis=1))
            for c in enrolled
        )
        result[k] = (office_part - period_part) / treated_cells
    return result


# --- The library (headline estimates, analytic and bootstrap inference) --------------------------------


@dataclass(frozen=True)
class LibraryFit:
    """What `diff-diff` reports for one panel."""

    overall: Effect
    event_study: tuple[EventEffect, ...]
    group_time: dict[tuple[int, int], Effect]


def _number(value: object) -> float | None:
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None


def _effect(att: object, se: object, interval: Sequence[object], p_value: object) -> Effect:
    return Effect(
        att=float(att),  # type: ignore[arg-type]
        se=_number(se),
        ci_low=_number(interval[0]),
        ci_high=_number(interval[1]),
        p_value=_number(p_value),
    )


def callaway_santanna(
    panel: Panel, *, control: str = "notyet", bootstrap: bool = False, alpha: float = 0.05, seed: int = 0
) -> LibraryFit:
    """Callaway & Sant'Anna by `diff-diff`: simple ATT, event study and ATT(g, t), with analytic standard
    errors (influence function, clustered by office) or, with `bootstrap`, the multiplier bootstrap
    (999 draws, Mammen weights, as R `did`). Pointwise intervals, not simultaneous bands."""
    from diff_diff import CallawaySantAnna

    estimator = CallawaySantAnna(
        control_group=LIBRARY_CONTROLS[control],
        estimation_method="reg",
        base_period="varying",
        alpha=alpha,
        cband=False,
        n_bootstrap=BOOTSTRAP_ITERATIONS if bootstrap else 0,
        bootstrap_weights="mammen",
        seed=seed,
    )
    with warnings.catch_warnings():
        # The library warns about small cohorts; the dashboard says so in its own words (`words.explain`).
        warnings.simplefilter("ignore")
        fit = estimator.fit(
            panel.to_frame(), outcome="y", unit="unit", time="time", first_treat="first_treat"
        )
        table = fit.aggregate("event_study").to_dataframe()
    overall = _effect(fit.overall_att, fit.overall_se, fit.overall_conf_int, fit.overall_p_value)
    events = tuple(
        EventEffect(
            e=int(row.event_time),
            att=float(row.att),
            se=_number(row.se),
            ci_low=_number(row.conf_int_lower),
            ci_high=_number(row.conf_int_upper),
            p_value=_number(row.p_value),
        )
        for row in table.itertuples()
        if not bool(getattr(row, "is_reference", False))
    )
    group_time = {
        (int(g) - 1, int(t) - 1): _effect(value["effect"], value["se"], value["conf_int"], value["p_value"])
        for (g, t), value in fit.group_time_effects.items()
    }
    return LibraryFit(overall=overall, event_study=events, group_time=group_time)


def imputation(panel: Panel, *, bootstrap: bool = False, alpha: float = 0.05, seed: int = 0) -> Effect:
    """The imputation estimate (Borusyak, Jaravel & Spiess) by `diff-diff`, with its conservative analytic
    standard error clustered by office, or the multiplier bootstrap."""
    from diff_diff import ImputationDiD

    estimator = ImputationDiD(alpha=alpha, n_bootstrap=BOOTSTRAP_ITERATIONS if bootstrap else 0, seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = estimator.fit(
            panel.to_frame(), outcome="y", unit="unit", time="time", first_treat="first_treat"
        )
    return _effect(fit.overall_att, fit.overall_se, fit.overall_conf_int, fit.overall_p_value)
