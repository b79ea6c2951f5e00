"""The one chart mechanism: Indonesian numbers and dates, SVG for pages, PNG for pictures, the same bytes
twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from django.test import SimpleTestCase
from hypothesis import given
from hypothesis import strategies as st

from perjumpaan.core.charts import (
    Series,
    bar_chart,
    format_day,
    format_month,
    format_number,
    format_percent,
    line_chart,
)

DAYS = [dt.date(2026, 2, 23) + dt.timedelta(days=i) for i in range(21)]


class IndonesianNumbersTests(SimpleTestCase):
    def test_thousands_are_grouped_with_dots_and_decimals_follow_a_comma(self) -> None:
        self.assertEqual(format_number(1234567.891, 2), "1.234.567,89")
        self.assertEqual(format_number(350), "350")
        self.assertEqual(format_number(Decimal("88.305"), 2), "88,31")
        self.assertEqual(format_number(Fraction(1, 3), 3), "0,333")

    def test_halves_are_rounded_away_from_zero_not_to_even(self) -> None:
        self.assertEqual(format_number(2.25, 1), "2,3")
        self.assertEqual(format_number(0.5), "1")
        self.assertEqual(format_number(-2.5), "-3")

    def test_a_negative_number_that_rounds_to_zero_has_no_sign(self) -> None:
        self.assertEqual(format_number(-0.004, 2), "0,00")

    def test_shares_are_percentages_with_a_decimal_comma(self) -> None:
        self.assertEqual(format_percent(0.935, 1), "93,5%")
        self.assertEqual(format_percent(1), "100%")

    def test_missing_and_non_finite_values_are_a_dash(self) -> None:
        for value in (None, float("nan"), float("inf")):
            with self.subTest(value=value):
                self.assertEqual(format_number(value), "–")

    def test_dates_use_indonesian_month_names(self) -> None:
        self.assertEqual(format_day(dt.date(2026, 8, 17)), "17 Agu")
        self.assertEqual(format_day(dt.date(2026, 5, 1), year=True), "1 Mei 2026")
        self.assertEqual(format_month(dt.date(2026, 10, 1)), "Okt 2026")

    @given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(0, 4))
    def test_any_number_reads_back_to_itself_within_the_rounding(self, value: float, decimals: int) -> None:
        text = format_number(value, decimals)
        parsed = float(text.replace(".", "").replace(",", "."))
        self.assertLessEqual(abs(parsed - value), 0.5 * 10**-decimals * (1 + 1e-9) + abs(value) * 1e-15)


class ChartTests(SimpleTestCase):
    def chart(self) -> str:
        return line_chart(
            DAYS,
            [
                Series("Median", [20 + i % 5 for i in range(21)]),
                Series("P90", [40.5] * 20 + [None], dashed=True),
            ],
            title="Waktu tunggu",
            y_label="menit",
            markers=[(dt.date(2026, 3, 2), "Mulai program")],
        ).svg()

    def test_a_line_chart_is_inline_svg_that_scales_and_has_an_accessible_name(self) -> None:
        svg = self.chart()
        self.assertTrue(svg.startswith("<svg "))
        self.assertNotIn("<?xml", svg)
        self.assertIn('role="img"', svg)
        self.assertIn('aria-label="Waktu tunggu"', svg)
        self.assertIn("<title>Waktu tunggu</title>", svg)
        self.assertIn("viewBox=", svg)
        self.assertNotRegex(svg.split(">", 1)[0], r'\swidth="')

    def test_text_stays_text_with_indonesian_labels(self) -> None:
        svg = self.chart()
        # Dates with Indonesian month names, the marker and the legend, as selectable text.
        self.assertIn("Mar", svg)
        self.assertIn("Mulai program", svg)
        self.assertIn("P90", svg)

    def test_the_same_data_gives_the_same_svg(self) -> None:
        self.assertEqual(self.chart(), self.chart())

    def test_a_title_with_markup_is_escaped(self) -> None:
        svg = bar_chart(["a"], [Series("x", [1])], title='<script>"x"</script>').svg()
        self.assertNotIn("<script>", svg)
        self.assertIn("&lt;script&gt;", svg)

    def test_a_bar_chart_writes_values_the_indonesian_way_and_leaves_missing_ones_empty(self) -> None:
        svg = bar_chart(
            ["U1 Persyaratan", "U2 Prosedur", "U3 Waktu"],
            [Series("NRR", [3.2512, 3.0, None])],
            horizontal=True,
            value_labels=True,
            value_decimals=2,
            y_min=1,
            y_max=4,
        ).svg()
        self.assertIn("3,25", svg)
        self.assertIn("3,00", svg)
        self.assertIn("U1 Persyaratan", svg)

    def test_a_png_is_a_png(self) -> None:
        png = bar_chart(["Sen", "Sel"], [Series("n", [350, 1200])]).png(dpi=72)
        self.assertTrue(png.startswith(b"\x89PNG\r\n\x1a\n"))

    def test_text_can_be_outlines_for_a_pdf_renderer_without_our_fonts(self) -> None:
        svg = bar_chart(["Sen"], [Series("n", [350])], title="Jumlah").svg_paths()
        self.assertNotIn(">Jumlah<", svg)
        self.assertIn("<path", svg)

    def test_an_empty_chart_still_draws(self) -> None:
        self.assertIn("<svg", line_chart([], [Series("x", [])], title="Kosong").svg())
