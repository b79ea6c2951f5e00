"""Simulated rollouts, to check that the dashboard's inference keeps its promises.

The design is the programme's: 40 offices observed for 52 weeks, two of them (chosen at random) enrolled as
pilots from week 27, an outcome with office and week effects and autocorrelated (AR(1)) noise. `validate`
simulates many such rollouts with no effect and with a known effect and counts how often the inference
raises a false alarm (an interval that excludes zero when nothing happened) and how often its interval
holds the true effect. `perjumpaan validate_impact` runs it; docs/impact.md records the results.
"""

from __future__ import annotations

import math
import time
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field, replace
from itertools import repeat
from typing import Any

import numpy as np

from perjumpaan.impact.analysis import estimate_impact
from perjumpaan.impact.estimation import Effect
from perjumpaan.impact.panel import NEVER, Panel


@dataclass(frozen=True)
class RolloutDesign:
    """A simulated programme. Outcome_it = level + office_i + week_t + noise_it, noise AR(1) in weeks."""

    offices: int = 40
    weeks: int = 52
    pilots: int = 2
    enrol_week: int = 27
    rho: float = 0.5
    noise_sd: float = 1.0
    office_sd: float = 3.0
    week_sd: float = 0.5
    level: float = 80.0


def simulate_panel(design: RolloutDesign, effect: float, rng: np.random.Generator) -> Panel:
    """One rollout: random pilots, a constant `effect` on their outcome from the enrolment week on."""
    shape = (design.offices, design.weeks)
    shocks = rng.normal(size=shape) * design.noise_sd
    noise = np.empty(shape)
    # Start from the stationary distribution so the first weeks are not quieter than the rest.
    noise[:, 0] = shocks[:, 0] / math.sqrt(1 - design.rho**2)
    for week in range(1, design.weeks):
        noise[:, week] = design.rho * noise[:, week - 1] + shocks[:, week]
    y = (
        design.level
        + rng.normal(size=(design.offices, 1)) * design.office_sd
        + rng.normal(size=(1, design.weeks)) * design.week_sd
        + noise
    )
    cohort = np.full(design.offices, NEVER, dtype=np.int64)
    pilots = rng.choice(design.offices, size=design.pilots, replace=False)
    cohort[pilots] = design.enrol_week - 1
    y[pilots, design.enrol_week - 1 :] += effect
    return Panel(
        units=tuple(f"OPD-{index + 1:02d}" for index in range(design.offices)),
        periods=np.arange(1, design.weeks + 1, dtype=float),
        y=y,
        cohort=cohort,
    )


@dataclass
class Tally:
    """How often intervals excluded zero and how often they held the true effect."""

    runs: int = 0
    excluded_zero: int = 0
    covered: int = 0

    def add(self, effect: Effect | None, truth: float) -> None:
        if effect is None or effect.ci_low is None or effect.ci_high is None:
            # An interval with an infinite end holds everything: it covers, and is no alarm.
            self.runs += 1
            self.covered += 1
            return
        self.runs += 1
        self.excluded_zero += int(effect.excludes_zero)
        self.covered += int(effect.ci_low <= truth <= effect.ci_high)

    @property
    def rejection_rate(self) -> float:
        return self.excluded_zero / self.runs if self.runs else math.nan

    @property
    def coverage(self) -> float:
        return self.covered / self.runs if self.runs else math.nan


@dataclass
class Scenario:
    """One design under one true effect, with the tallies of each inference checked."""

    name: str
    design: RolloutDesign
    effect: float
    tallies: dict[str, Tally] = field(default_factory=dict)
    seconds: float = 0.0

    def tally(self, key: str) -> Tally:
        return self.tallies.setdefault(key, Tally())


def simulate_run(design: RolloutDesign, effect: float, seed: Sequence[int]) -> dict[str, Effect | None]:
    """One simulated rollout, analysed as the dashboard would (and, with few offices, also analytically,
    for contrast). Keys are "<inference>:<estimator>"."""
    panel = simulate_panel(design, effect, np.random.default_rng(list(seed)))
    chosen = estimate_impact(panel, inference=None, placebo=False)
    results: dict[str, Effect | None] = {
        f"{chosen.inference}:callaway_santanna": chosen.overall,
        f"{chosen.inference}:imputation": chosen.imputation,
    }
    if chosen.inference != "analytic":
        analytic = estimate_impact(panel, inference="analytic", placebo=False)
        results["analytic:callaway_santanna"] = analytic.overall
        results["analytic:imputation"] = analytic.imputation
    return results


def run_scenario(
    scenario: Scenario,
    runs: int,
    seed: int,
    *,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> Scenario:
    """Simulates `runs` rollouts of the scenario and tallies each inference's intervals.

    Run r draws from the seed (seed, scenario, r), so results do not depend on `jobs` (worker processes).
    """
    start = time.perf_counter()
    if jobs > 1:
        # Imported once here, the library is inherited by every forked worker instead of loaded by each.
        import diff_diff  # noqa: F401
    seeds = [(seed, zlib.crc32(scenario.name.encode()), run) for run in range(runs)]
    arguments = (repeat(scenario.design), repeat(scenario.effect), seeds)
    with ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else nullcontext() as pool:
        outcomes = pool.map(simulate_run, *arguments) if pool else map(simulate_run, *arguments)
        for run, results in enumerate(outcomes, start=1):
            for key, effect in results.items():
                scenario.tally(key).add(effect, scenario.effect)
            if progress:
                progress(run)
    scenario.seconds = time.perf_counter() - start
    return scenario


PILOT = RolloutDesign()
DEFAULT_EFFECT = 2.0


def scenarios(effect: float = DEFAULT_EFFECT) -> list[Scenario]:
    """The validation: the pilot design without and with an effect, and ten enrolled offices without an
    effect (where the dashboard switches to analytic intervals)."""
    return [
        Scenario("pilot_null", PILOT, 0.0),
        Scenario("pilot_effect", PILOT, effect),
        Scenario("ten_offices_null", replace(PILOT, pilots=10), 0.0),
    ]


def time_estimate(seed: int = 0) -> dict[str, float]:
    """Seconds for one dashboard analysis of a pilot rollout (randomisation inference over all 780
    pairs, event study, imputation and placebo distribution), after a first call has loaded the libraries."""
    panel = simulate_panel(PILOT, 0.0, np.random.default_rng(seed))
    start = time.perf_counter()
    estimate_impact(panel)
    first = time.perf_counter() - start
    start = time.perf_counter()
    estimate_impact(panel)
    return {
        "first_call_seconds": round(first, 2),
        "estimate_impact_seconds": round(time.perf_counter() - start, 2),
    }


def report(scenarios_run: list[Scenario]) -> dict[str, Any]:
    """The validation's numbers, JSON-ready."""
    return {
        scenario.name: {
            "design": asdict(scenario.design),
            "effect": scenario.effect,
            "seconds": round(scenario.seconds, 1),
            "tallies": {
                key: {
                    "runs": tally.runs,
                    "interval_excludes_zero": round(tally.rejection_rate, 4),
                    "coverage": round(tally.coverage, 4),
                }
                for key, tally in sorted(scenario.tallies.items())
            },
        }
        for scenario in scenarios_run
    }
