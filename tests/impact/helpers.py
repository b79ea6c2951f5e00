"""Small panels for the impact tests, built by hand or by `perjumpaan.impact.simulate`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from perjumpaan.impact.panel import NEVER, Panel
from perjumpaan.impact.simulate import RolloutDesign, simulate_panel

# A small pilot design: the tests' randomisation inference runs over C(12, 2) = 66 assignments.
SMALL = RolloutDesign(offices=12, weeks=16, pilots=2, enrol_week=9)


def small_panel(effect: float = 0.0, seed: int = 0, design: RolloutDesign = SMALL) -> Panel:
    return simulate_panel(design, effect, np.random.default_rng(seed))


def staggered_panel(seed: int = 0) -> Panel:
    """Three cohorts and never-enrolled offices, with effects that grow with exposure."""
    rng = np.random.default_rng(seed)
    offices, periods = 30, 10
    cohort = np.full(offices, NEVER, dtype=np.int64)
    cohort[:4], cohort[4:9], cohort[9:12] = 3, 5, 8
    y = (
        rng.normal(size=(offices, 1)) * 2
        + rng.normal(size=(1, periods))
        + rng.normal(size=(offices, periods))
    )
    index = np.arange(periods)
    exposure = np.where(cohort[:, None] != NEVER, index[None, :] - cohort[:, None], -1)
    y = y + np.where(exposure >= 0, 0.5 + 0.2 * exposure, 0.0)
    return Panel(tuple(f"K{i:02d}" for i in range(offices)), np.arange(1.0, periods + 1), y, cohort)


def long_frame(panel: Panel) -> pd.DataFrame:
    """The panel as the long table the command reads: office, week, enrolment week (0 = never), outcome."""
    cohorts = panel.cohort_periods()
    return pd.DataFrame(
        {
            "office": np.repeat(np.asarray(panel.units, dtype=object), panel.n_periods),
            "week": np.tile(panel.periods, panel.n_units).astype(int),
            "enrolled": np.repeat(cohorts, panel.n_periods).astype(int),
            "score": panel.y.ravel(),
        }
    )
