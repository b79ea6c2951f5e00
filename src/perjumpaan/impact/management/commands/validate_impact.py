"""`perjumpaan validate_impact [--runs N] [--seed S] [--json]`: simulate rollouts and check the inference."""

from __future__ import annotations

import json
import os
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.impact.simulate import Scenario, report, run_scenario, scenarios, time_estimate

# What the dashboard's inference must achieve in the pilot design (docs/impact.md).
MAX_FALSE_ALARM = 0.07
COVERAGE_RANGE = (0.93, 0.97)
MIN_RUNS = 1

TOO_FEW_RUNS = gettext_noop("Jumlah simulasi (--runs) harus paling sedikit {minimum}.")
TARGETS_MISSED = gettext_noop("Sasaran validasi tidak tercapai: {failures}.")
FALSE_ALARM_LINE = gettext_noop("{name}: alarm palsu {rate} (sasaran ≤ {target})")
COVERAGE_LINE = gettext_noop("{name}: cakupan interval {rate} (sasaran {low}–{high})")
SCENARIO_LINE = gettext_noop(
    "Skenario {name}: {offices} kantor, {weeks} minggu, {pilots} kantor ikut, efek sebenarnya {effect}, "
    "{seconds} detik"
)
TALLY_LINE = gettext_noop(
    "  {key}: interval tidak memuat nol {rejection}, interval memuat efek sebenarnya {coverage} "
    "({runs} simulasi)"
)

TIMING_LINE = gettext_noop(
    "Satu analisis dasbor (uji acak 780 pasangan kantor, studi peristiwa, imputasi): {seconds} detik"
)


def _decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _percent(value: float) -> str:
    return f"{100 * value:.1f} %".replace(".", ",")


class Command(BaseCommand):
    help = gettext_noop(
        "Mensimulasikan peluncuran program (40 kantor, 52 minggu, 2 kantor percontohan, derau AR(1)) dan "
        "melaporkan tingkat alarm palsu serta cakupan interval dari inferensi yang dipakai dasbor."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--runs", type=int, default=200, help=_("Jumlah simulasi per skenario (bawaan 200).")
        )
        parser.add_argument("--seed", type=int, default=20240601, help=_("Benih bilangan acak."))
        parser.add_argument("--json", action="store_true", help=_("Tulis hasil sebagai JSON."))
        parser.add_argument(
            "--jobs",
            type=int,
            default=min(2, os.cpu_count() or 1),
            help=_("Jumlah proses paralel (hasil tidak bergantung padanya)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        runs = options["runs"]
        if runs < MIN_RUNS:
            raise CommandError(_(TOO_FEW_RUNS).format(minimum=MIN_RUNS))
        done: list[Scenario] = []
        step = max(1, runs // 10)
        for scenario in scenarios():

            def progress(run: int, name: str = scenario.name) -> None:
                if run % step == 0 or run == runs:
                    self.stderr.write(f"{name}: {run}/{runs}")

            done.append(
                run_scenario(scenario, runs, options["seed"], jobs=max(1, options["jobs"]), progress=progress)
            )
        results = report(done)
        results["timing"] = time_estimate()
        failures = self.missed_targets(results)
        results["targets"] = {
            "max_false_alarm": MAX_FALSE_ALARM,
            "coverage": list(COVERAGE_RANGE),
            "met": not failures,
        }
        if options["json"]:
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        else:
            self.write_report(results)
        if not options["json"]:
            self.stdout.write(
                _(TIMING_LINE).format(seconds=_decimal(results["timing"]["estimate_impact_seconds"]))
            )
        if failures:
            raise CommandError(_(TARGETS_MISSED).format(failures="; ".join(failures)))
        if not options["json"]:
            self.stdout.write(self.style.SUCCESS(_("Semua sasaran validasi tercapai.")))

    def missed_targets(self, results: dict[str, Any]) -> list[str]:
        failures = []
        for key, tally in results["pilot_null"]["tallies"].items():
            if key.startswith("randomization:") and tally["interval_excludes_zero"] > MAX_FALSE_ALARM:
                failures.append(
                    _(FALSE_ALARM_LINE).format(
                        name=key,
                        rate=_percent(tally["interval_excludes_zero"]),
                        target=_percent(MAX_FALSE_ALARM),
                    )
                )
        for key, tally in results["pilot_effect"]["tallies"].items():
            low, high = COVERAGE_RANGE
            if key.startswith("randomization:") and not low <= tally["coverage"] <= high:
                failures.append(
                    _(COVERAGE_LINE).format(
                        name=key, rate=_percent(tally["coverage"]), low=_percent(low), high=_percent(high)
                    )
                )
        return failures

    def write_report(self, results: dict[str, Any]) -> None:
        for name, scenario in results.items():
            if name in ("targets", "timing"):
                continue
            design = scenario["design"]
            self.stdout.write(
                _(SCENARIO_LINE).format(
                    name=name,
                    offices=design["offices"],
                    weeks=design["weeks"],
                    pilots=design["pilots"],
                    effect=scenario["effect"],
                    seconds=scenario["seconds"],
                )
            )
            for key, tally in scenario["tallies"].items():
                self.stdout.write(
                    _(TALLY_LINE).format(
                        key=key,
                        rejection=_percent(tally["interval_excludes_zero"]),
                        coverage=_percent(tally["coverage"]),
                        runs=tally["runs"],
                    )
                )
