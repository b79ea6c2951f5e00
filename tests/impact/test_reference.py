"""The published reference analysis: Callaway & Sant'Anna's minimum-wage example (`mpdta`).

Source: the README of the R package `did` (bcallaway11/did, devel version 2.5.0), section "A short
example": `att_gt(yname = "lemp", gname = "first.treat", idname = "countyreal", tname = "year",
xformla = ~1, data = mpdta, est_method = "reg")` — never-treated controls, varying base period — then
`aggte(out, type = "dynamic")` and `aggte(out, type = "group")`. It prints the twelve ATT(g, t), the event
study for e = -3…3 with its overall -0.0772, and the group aggregation's overall -0.031. Without
covariates "reg", "ipw" and "dr" give the same estimates.

Its standard errors come from the multiplier bootstrap (`bstrap = TRUE`, the default), so they are random
draws: ours are analytic and agree within the bootstrap's Monte-Carlo error (1.5 thousandths). The simple
aggregation (-0.0400) is not printed in the README; R `did` gives it, and so does moderndid, the
MIT-licensed Python port of `did` whose packaged copy of `mpdta` these tests read (the data file is not
copied into this repository: the R package is GPL-2).
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import numpy as np
from django.core.management import call_command
from django.test import SimpleTestCase

from perjumpaan.impact import estimation
from perjumpaan.impact.panel import panel_from_frame

# README, "Group-Time Average Treatment Effects" (group, time) → ATT(g,t).
GROUP_TIME = {
    (2004, 2004): -0.0105,
    (2004, 2005): -0.0704,
    (2004, 2006): -0.1373,
    (2004, 2007): -0.1008,
    (2006, 2004): 0.0065,
    (2006, 2005): -0.0028,
    (2006, 2006): -0.0046,
    (2006, 2007): -0.0412,
    (2007, 2004): 0.0305,
    (2007, 2005): -0.0027,
    (2007, 2006): -0.0311,
    (2007, 2007): -0.0261,
}
# README, "Dynamic Effects": event time → (estimate, bootstrap standard error).
EVENT_STUDY = {
    -3: (0.0305, 0.0153),
    -2: (-0.0006, 0.0136),
    -1: (-0.0245, 0.0138),
    0: (-0.0199, 0.0115),
    1: (-0.0510, 0.0174),
    2: (-0.1373, 0.0356),
    3: (-0.1008, 0.0354),
}
DYNAMIC_OVERALL = -0.0772
GROUP_OVERALL = -0.031
SIMPLE = -0.0400
BOOTSTRAP_TOLERANCE = 0.0015


def mpdta_csv(directory: Path) -> Path:
    import moderndid
    import polars as pl

    frame = moderndid.load_mpdta()
    if not isinstance(frame, pl.DataFrame):
        frame = pl.from_pandas(frame)
    path = directory / "mpdta.csv"
    frame.write_csv(path)
    return path


class MinimumWageReferenceTests(SimpleTestCase):
    path: Path

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        directory = tempfile.TemporaryDirectory()
        cls.addClassCleanup(directory.cleanup)
        cls.path = mpdta_csv(Path(directory.name))

    def run_did(self, *args: str) -> dict[str, object]:
        out = io.StringIO()
        call_command(
            "did",
            str(self.path),
            "--unit",
            "countyreal",
            "--time",
            "year",
            "--cohort",
            "first.treat",
            "--outcome",
            "lemp",
            "--json",
            *args,
            stdout=out,
            stderr=io.StringIO(),
        )
        data: dict[str, object] = json.loads(out.getvalue())
        return data

    def test_the_command_reproduces_the_published_event_study_and_overall_effect(self) -> None:
        data = self.run_did("--control", "never")
        self.assertEqual(data["n_units"], 500)
        self.assertEqual(data["n_periods"], 5)
        self.assertEqual(round(float(data["att"]), 4), SIMPLE)  # type: ignore[arg-type]
        events = {row["e"]: row for row in data["event_study"]}  # type: ignore[attr-defined]
        self.assertEqual(sorted(events), sorted(EVENT_STUDY))
        for event, (estimate, bootstrap_se) in EVENT_STUDY.items():
            self.assertEqual(round(events[event]["att"], 4), estimate)
            self.assertAlmostEqual(events[event]["se"], bootstrap_se, delta=BOOTSTRAP_TOLERANCE)

    def test_the_group_time_effects_and_other_aggregations_match_the_readme(self) -> None:
        import pandas as pd

        panel = panel_from_frame(
            pd.read_csv(self.path), unit="countyreal", time="year", cohort="first.treat", outcome="lemp"
        )
        own = estimation.group_time_estimates(panel, "never")
        for cell, value in zip(own.cells, own.group_time, strict=True):
            key = (int(panel.periods[cell.group]), int(panel.periods[cell.time]))
            self.assertEqual(round(float(value), 4), GROUP_TIME[key])
        self.assertEqual(round(own.dynamic, 4), DYNAMIC_OVERALL)
        self.assertEqual(round(own.group, 3), GROUP_OVERALL)
        library = estimation.callaway_santanna(panel, control="never")
        self.assertTrue(np.isclose(library.overall.att, own.simple))

    def test_not_yet_treated_controls_give_the_r_ports_numbers(self) -> None:
        # moderndid's att_gt(..., control_group="notyettreated"), which follows R `did`.
        data = self.run_did("--control", "notyet")
        self.assertEqual(round(float(data["att"]), 4), -0.0398)  # type: ignore[arg-type]
        events = {row["e"]: round(row["att"], 4) for row in data["event_study"]}  # type: ignore[attr-defined]
        self.assertEqual(
            events, {-3: 0.0298, -2: -0.0024, -1: -0.0243, 0: -0.0189, 1: -0.0536, 2: -0.1363, 3: -0.1008}
        )
