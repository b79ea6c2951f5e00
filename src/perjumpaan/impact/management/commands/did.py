"""`perjumpaan did FILE.csv --unit COL --time COL --cohort COL --outcome COL [--control notyet|never]
[--inference analytic|bootstrap|randomization] [--json]`: staggered difference-in-differences for analysts."""

from __future__ import annotations

import json
import math
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from pandas.errors import EmptyDataError, ParserError

from perjumpaan.impact.analysis import ImpactResult, choose_inference, estimate_impact
from perjumpaan.impact.estimation import CONTROLS, Effect
from perjumpaan.impact.panel import PanelError, panel_from_frame, read_csv_table

FILE_NOT_FOUND = gettext_noop("Berkas {path} tidak ditemukan.")
FILE_UNREADABLE = gettext_noop("Berkas {path} tidak dapat dibaca: {reason}")
NOT_A_TABLE = gettext_noop("Berkas {path} bukan tabel CSV yang dapat dibaca: {reason}")
CONTROL_NAMES = {
    "notyet": gettext_noop("kantor yang belum ikut program pada periode itu (not-yet-treated)"),
    "never": gettext_noop("kantor yang tidak pernah ikut program (never-treated)"),
}
INFERENCE_NAMES = {
    "analytic": gettext_noop("analitik (galat baku klaster per kantor)"),
    "bootstrap": gettext_noop("bootstrap pengali (999 ulangan)"),
    "randomization": gettext_noop("uji acak dengan kantor plasebo (randomization inference)"),
}
FEW_OFFICES_WARNING = gettext_noop("Peringatan: {reason} Jalankan dengan --inference randomization.")


def _number(value: float | None, places: int = 4) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return number_format(round(value, places), decimal_pos=places)


def _json_number(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


class Command(BaseCommand):
    help = gettext_noop(
        "Menghitung dampak program dengan difference-in-differences bertahap (Callaway & Sant'Anna) dari "
        "berkas CSV: satu baris per kantor dan periode; kolom kohor berisi periode pertama kantor ikut "
        "program (0 = belum pernah)."
    )
    # Reads one file and touches no model: a system-check problem elsewhere must not stop a calculation.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "file", metavar="FILE.csv", help=_("Berkas CSV panel (pemisah koma atau titik koma).")
        )
        parser.add_argument("--unit", required=True, metavar="COL", help=_("Kolom kantor (unit)."))
        parser.add_argument("--time", required=True, metavar="COL", help=_("Kolom periode (angka)."))
        parser.add_argument(
            "--cohort",
            required=True,
            metavar="COL",
            help=_("Kolom periode pertama ikut program (0 = belum)."),
        )
        parser.add_argument("--outcome", required=True, metavar="COL", help=_("Kolom hasil yang diukur."))
        parser.add_argument(
            "--control",
            choices=CONTROLS,
            default="notyet",
            help=_("Pembanding: notyet (belum ikut, bawaan) atau never (tidak pernah ikut)."),
        )
        parser.add_argument(
            "--inference",
            choices=("analytic", "bootstrap", "randomization"),
            default="analytic",
            help=_("Cara menghitung ketidakpastian: analytic (bawaan), bootstrap, atau randomization."),
        )
        parser.add_argument("--json", action="store_true", help=_("Tulis hasil sebagai JSON."))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            frame, decimal_comma = read_csv_table(path)
        except FileNotFoundError:
            raise CommandError(_(FILE_NOT_FOUND).format(path=path)) from None
        except OSError as error:
            raise CommandError(_(FILE_UNREADABLE).format(path=path, reason=error.strerror or error)) from None
        except (ParserError, EmptyDataError) as error:
            raise CommandError(_(NOT_A_TABLE).format(path=path, reason=error)) from None
        try:
            panel = panel_from_frame(
                frame,
                unit=options["unit"],
                time=options["time"],
                cohort=options["cohort"],
                outcome=options["outcome"],
                decimal_comma=decimal_comma,
            )
            result = estimate_impact(
                panel, control=options["control"], inference=options["inference"], placebo=False
            )
        except PanelError as error:
            raise CommandError(error.translated(_)) from None

        if options["json"]:
            self.stdout.write(json.dumps(self.as_json(result), ensure_ascii=False, indent=2))
        else:
            self.write_report(result)

    @staticmethod
    def as_json(result: ImpactResult) -> dict[str, Any]:
        return {
            "att": result.att,
            "se": _json_number(result.se),
            "ci": [_json_number(result.overall.ci_low), _json_number(result.overall.ci_high)],
            "event_study": [
                {"e": effect.e, "att": effect.att, "se": _json_number(effect.se)}
                for effect in result.event_study
            ],
            "n_units": result.n_units,
            "n_periods": result.n_periods,
        }

    def write_effect(self, label: str, effect: Effect, level: int) -> None:
        self.stdout.write(f"{label}: {_number(effect.att)}")
        self.stdout.write(_("  Galat baku: {se}").format(se=_number(effect.se)))
        self.stdout.write(
            _("  Interval {level}%: {low} sampai {high}").format(
                level=level, low=_number(effect.ci_low), high=_number(effect.ci_high)
            )
        )
        if effect.p_value is not None:
            self.stdout.write(_("  Nilai p: {p}").format(p=_number(effect.p_value)))

    def write_report(self, result: ImpactResult) -> None:
        level = round(100 * (1 - result.alpha))
        self.stdout.write(_("Dampak program: difference-in-differences bertahap (Callaway & Sant'Anna)"))
        self.stdout.write(_("Pembanding: {control}").format(control=_(CONTROL_NAMES[result.control])))
        self.stdout.write(
            _("Kantor: {units} ({treated} ikut program), periode: {periods}").format(
                units=result.n_units, treated=result.n_treated, periods=result.n_periods
            )
        )
        self.stdout.write(_("Inferensi: {method}").format(method=_(INFERENCE_NAMES[result.inference])))
        recommended, reason = choose_inference(result.n_treated)
        if recommended == "randomization" and result.inference != "randomization":
            self.stdout.write(self.style.WARNING(_(FEW_OFFICES_WARNING).format(reason=reason)))
        for note in result.notes:
            self.stdout.write(self.style.WARNING(_("Catatan: {note}").format(note=note.translated(_))))
        self.stdout.write("")
        self.write_effect(_("ATT keseluruhan (simple)"), result.overall, level)
        self.stdout.write("")
        self.stdout.write(_("Studi peristiwa (e = periode sejak ikut program; e < 0 sebelum ikut):"))
        self.stdout.write(
            "  {e:>5}  {att:>10}  {se:>10}  {interval}".format(
                e="e", att=_("ATT"), se=_("galat baku"), interval=_("interval {level}%").format(level=level)
            )
        )
        for effect in result.event_study:
            interval = f"{_number(effect.ci_low)} … {_number(effect.ci_high)}"
            self.stdout.write(
                f"  {effect.e:>5}  {_number(effect.att):>10}  {_number(effect.se):>10}  {interval}"
            )
        if result.imputation is not None:
            self.stdout.write("")
            self.write_effect(
                _("Estimasi imputasi (Borusyak, Jaravel & Spiess; rata-rata semua periode sebelum ikut)"),
                result.imputation,
                level,
            )
