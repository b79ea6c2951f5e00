"""The impact analysis the dashboard and the `did` command run: estimates, the inference chosen, and why.

`estimate_impact(panel)` returns an `ImpactResult`: the overall (simple) Callaway & Sant'Anna ATT, its
event study by periods since enrolment (pre-enrolment periods included), the imputation estimate beside it,
the placebo-office distribution, a pre-trend test, and which inference gave the intervals. `inference=None`
lets `choose_inference` decide from the number of enrolled offices.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from perjumpaan.impact.estimation import (
    CONTROLS,
    Effect,
    EventEffect,
    callaway_santanna,
    group_time_estimates,
    imputation,
)
from perjumpaan.impact.panel import Message, Panel, gettext_noop, panel_from_frame, require_controls
from perjumpaan.impact.randomization import (
    MAX_ASSIGNMENTS,
    PlaceboDistribution,
    RandomizationResult,
    randomization_inference,
)

INFERENCE_METHODS = ("analytic", "bootstrap", "randomization")

MIN_TREATED_FOR_ANALYTIC = 10
"""From this many enrolled offices on, cluster-robust analytic intervals are trusted (docs/impact.md)."""

REASON_FEW_OFFICES = gettext_noop(
    "Baru {count} kantor yang ikut program (kurang dari {minimum}). Dengan kantor peserta sesedikit ini, "
    "galat baku analitik terlalu kecil: dalam simulasi 40 kantor dengan 2 kantor percontohan, lebih dari "
    "seperempat hasil tampak 'nyata' padahal program tidak berpengaruh. Karena itu dipakai uji acak "
    "(randomization inference): hasil kantor peserta dibandingkan dengan hasil setiap kelompok kantor lain "
    "yang seolah-olah ikut program (kantor plasebo)."
)
REASON_MANY_OFFICES = gettext_noop(
    "Sudah {count} kantor yang ikut program (paling sedikit {minimum}), cukup untuk interval analitik "
    "dengan galat baku klaster per kantor."
)
REASON_REQUESTED = gettext_noop("Metode inferensi dipilih oleh pengguna: {method}.")


def choose_inference(n_treated_units: int) -> tuple[str, str]:
    """The inference to use with this many enrolled offices, and the reason in Indonesian.

    Below `MIN_TREATED_FOR_ANALYTIC` offices analytic and bootstrap standard errors give far too many false
    alarms (docs/impact.md has the simulation), so randomisation inference; from there on, analytic.
    """
    if n_treated_units < 1:
        raise ValueError("at least one enrolled office is needed")
    if n_treated_units < MIN_TREATED_FOR_ANALYTIC:
        reason = REASON_FEW_OFFICES
        method = "randomization"
    else:
        reason = REASON_MANY_OFFICES
        method = "analytic"
    return method, reason.format(count=n_treated_units, minimum=MIN_TREATED_FOR_ANALYTIC)


@dataclass(frozen=True)
class ImpactResult:
    """Everything the dashboard shows about one outcome's impact analysis."""

    overall: Effect
    event_study: tuple[EventEffect, ...]
    imputation: Effect | None
    placebo: PlaceboDistribution | None
    pretrend_p_value: float | None
    inference: str
    inference_reason: str
    control: str
    alpha: float
    n_units: int
    n_periods: int
    n_treated: int
    cohorts: dict[float, int]
    notes: tuple[Message, ...]

    @property
    def att(self) -> float:
        return self.overall.att

    @property
    def se(self) -> float | None:
        return self.overall.se

    @property
    def ci(self) -> tuple[float | None, float | None]:
        return self.overall.ci_low, self.overall.ci_high

    def as_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready (infinite or missing numbers are None)."""

        def clean(value: Any) -> Any:
            if isinstance(value, float) and not math.isfinite(value):
                return None
            if isinstance(value, dict):
                return {str(key): clean(item) for key, item in value.items()}
            if isinstance(value, list | tuple):
                return [clean(item) for item in value]
            return value

        data = asdict(self)
        data["notes"] = [str(note) for note in self.notes]
        data["cohorts"] = {f"{period:g}": count for period, count in self.cohorts.items()}
        return dict(clean(data))


def _library_event_study(events: tuple[EventEffect, ...]) -> tuple[EventEffect, ...]:
    return tuple(sorted(events, key=lambda effect: effect.e))


def estimate_impact(
    panel: Panel,
    *,
    control: str = "notyet",
    inference: str | None = None,
    alpha: float = 0.05,
    placebo: bool = True,
    with_imputation: bool = True,
    max_assignments: int = MAX_ASSIGNMENTS,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> ImpactResult:
    """The impact analysis of one panel. `inference=None` lets `choose_inference` pick.

    With randomisation inference the intervals, p-values and (spread) standard errors come from the
    placebo assignments; the point estimates are the library's either way. `placebo=False` skips the
    randomisation work when another inference was chosen (no placebo distribution, no pre-trend test).
    Raises `PanelError` when there is no office to compare with.
    """
    if control not in CONTROLS:
        raise ValueError(f"control must be one of {CONTROLS}")
    require_controls(panel, control)
    if inference is None:
        inference, reason = choose_inference(panel.n_treated)
    elif inference in INFERENCE_METHODS:
        reason = REASON_REQUESTED.format(method=inference)
    else:
        raise ValueError(f"inference must be one of {INFERENCE_METHODS}")

    library = callaway_santanna(
        panel, control=control, bootstrap=inference == "bootstrap", alpha=alpha, seed=seed
    )
    if progress:
        progress("callaway_santanna")
    own = group_time_estimates(panel, control)
    if not math.isclose(own.simple, library.overall.att, rel_tol=1e-7, abs_tol=1e-9 * (1 + abs(own.simple))):
        # The permutation arithmetic must be the library's estimator, or the placebo comparison is void.
        raise RuntimeError(f"estimates disagree: library {library.overall.att!r}, own {own.simple!r}")

    randomized: RandomizationResult | None = None
    if placebo or inference == "randomization":
        randomized = randomization_inference(
            panel,
            control=control,
            alpha=alpha,
            limit=max_assignments,
            seed=seed,
            imputation=with_imputation and inference == "randomization",
            progress=progress,
        )

    imputed: Effect | None = None
    if with_imputation:
        if inference == "randomization" and randomized is not None and randomized.imputation is not None:
            imputed = randomized.imputation
        elif inference != "randomization":
            imputed = imputation(panel, bootstrap=inference == "bootstrap", alpha=alpha, seed=seed)
        if progress:
            progress("imputation")

    if inference == "randomization" and randomized is not None:
        overall, events = randomized.overall, randomized.event_study
    else:
        overall, events = library.overall, _library_event_study(library.event_study)

    sizes = panel.cohort_sizes()
    return ImpactResult(
        overall=overall,
        event_study=events,
        imputation=imputed,
        placebo=randomized.placebo if randomized else None,
        pretrend_p_value=randomized.pretrend_p_value if randomized else None,
        inference=inference,
        inference_reason=reason,
        control=control,
        alpha=alpha,
        n_units=panel.n_units,
        n_periods=panel.n_periods,
        n_treated=panel.n_treated,
        cohorts={float(panel.periods[index]): count for index, count in sizes.items() if index >= 0},
        notes=panel.notes,
    )


def estimate_impact_frame(
    frame: pd.DataFrame, *, unit: str, time: str, cohort: str, outcome: str, **options: Any
) -> ImpactResult:
    """`estimate_impact` on a long table (one row per office and period); raises `PanelError`."""
    panel = panel_from_frame(frame, unit=unit, time=time, cohort=cohort, outcome=outcome)
    return estimate_impact(panel, **options)
