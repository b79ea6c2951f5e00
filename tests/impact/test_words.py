"""`explain`: the dashboard's sentences about an impact result, by the rules in docs/impact.md."""

from __future__ import annotations

from dataclasses import replace

from django.test import SimpleTestCase

from perjumpaan.impact.analysis import ImpactResult
from perjumpaan.impact.estimation import Effect
from perjumpaan.impact.panel import DROPPED_INCOMPLETE, Message
from perjumpaan.impact.randomization import PlaceboDistribution
from perjumpaan.impact.words import explain, number

PLACEBO = PlaceboDistribution(observed=2.3, estimates=(0.1,) * 779, offices=None, exact=True, assignments=780)


def result(**changes: object) -> ImpactResult:
    base = ImpactResult(
        overall=Effect(att=2.345, se=0.8, ci_low=0.61, ci_high=4.02, p_value=0.01),
        event_study=(),
        imputation=Effect(att=2.1, se=0.5, ci_low=1.02, ci_high=3.3, p_value=0.004),
        placebo=PLACEBO,
        pretrend_p_value=0.62,
        inference="randomization",
        inference_reason="",
        control="notyet",
        alpha=0.05,
        n_units=40,
        n_periods=52,
        n_treated=2,
        cohorts={27.0: 2},
        notes=(),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


class ExplainTests(SimpleTestCase):
    def test_an_interval_excluding_zero_is_evidence_told_in_the_outcomes_unit(self) -> None:
        text = explain(result(), "kepuasan masyarakat (IKM)", "poin")
        self.assertTrue(text.startswith("Ada bukti bahwa program mengubah kepuasan masyarakat (IKM)"))
        self.assertIn("naik rata-rata 2,35 poin", text)
        self.assertIn("(interval 95%: 0,61 sampai 4,02 poin)", text)
        self.assertIn("779 kelompok kantor plasebo", text)
        self.assertIn("metode imputasi", text)
        self.assertIn("Interval metode ini tidak mencakup nol.", text)
        self.assertIn("bergerak sejajar", text)

    def test_an_interval_including_zero_cannot_be_concluded_yet(self) -> None:
        effect = Effect(att=-1.2, se=0.9, ci_low=-3.1, ci_high=0.7, p_value=0.2)
        text = explain(result(overall=effect), "waktu tunggu", "menit")
        self.assertTrue(text.startswith("Belum dapat disimpulkan apakah program mengubah waktu tunggu."))
        self.assertIn("waktu tunggu turun 1,20 menit", text)
        self.assertIn("masih mencakup nol", text)
        self.assertNotIn("juga mencakup nol", text)  # the imputation interval excludes zero here

    def test_when_both_intervals_include_zero_both_are_said_to(self) -> None:
        effect = Effect(att=0.3, se=0.9, ci_low=-1.5, ci_high=2.1, p_value=0.7)
        imputed = Effect(att=0.2, se=0.5, ci_low=-0.8, ci_high=1.2, p_value=0.6)
        text = explain(result(overall=effect, imputation=imputed), "IKM", "poin")
        self.assertIn("Interval metode ini juga mencakup nol.", text)

    def test_an_unbounded_interval_cannot_be_concluded_either(self) -> None:
        effect = Effect(att=0.5, se=None, ci_low=None, ci_high=None, p_value=0.4)
        self.assertIn("belum cukup untuk membatasi", explain(result(overall=effect), "IKM", "poin"))

    def test_few_offices_diverging_pretrends_and_dropped_data_are_said(self) -> None:
        note = Message(DROPPED_INCOMPLETE, {"count": 1, "units": "PUPR"})
        text = explain(result(pretrend_p_value=0.03, notes=(note,)), "IKM", "poin")
        self.assertIn("baru 2 kantor yang ikut program", text)
        self.assertIn("sudah bergerak berbeda", text)
        self.assertIn("p = 0,03", text)
        self.assertIn("Catatan data: 1 kantor tidak diikutkan karena datanya tidak lengkap", text)

    def test_a_data_note_is_translated_through_django_s_gettext(self) -> None:
        # Django's gettext takes text only: a note handed over as it is would fail (it did, on the
        # impact page of any panel that dropped an office).
        from django.utils import translation
        from django.utils.translation import gettext

        note = Message(DROPPED_INCOMPLETE, {"count": 1, "units": "PUPR"})
        with translation.override("en"):
            text = explain(result(notes=(note,)), "IKM", "points", gettext)
        self.assertIn("PUPR", text)
        self.assertNotIn("Catatan data", text)

    def test_many_offices_and_analytic_intervals_need_no_few_offices_caveat(self) -> None:
        text = explain(
            result(n_treated=12, inference="analytic", placebo=None, pretrend_p_value=None), "IKM", "poin"
        )
        self.assertNotIn("baru 12 kantor", text)
        self.assertIn("secara analitik", text)

    def test_numbers_are_written_the_indonesian_way(self) -> None:
        self.assertEqual(number(-1234.5, 1), "−1.234,5")
        self.assertEqual(number(-0.0001, 2), "0,00")
        self.assertEqual(number(0.04, 4), "0,0400")
