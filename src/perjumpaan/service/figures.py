"""The service pages' charts and the SKM infographic, drawn with `perjumpaan.core.charts`."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _

from perjumpaan.core import charts
from perjumpaan.core.charts import Chart, Series, bar_chart, format_number, line_chart
from perjumpaan.service.ikm import IkmResult
from perjumpaan.service.periods import Period
from perjumpaan.service.selectors import IkmSummary, ServiceMetrics

# Colours of the mutu letters (A best), used on the elements chart and the infographic.
MUTU_COLOURS = {"A": "#15803d", "B": charts.BRAND, "C": charts.ACCENT, "D": "#b91c1c"}

WEIGHT_LABELS = {
    "exact": "1/9",
    "0.111": "0,111",
    "0.11": "0,11",
}


def _x(metrics: ServiceMetrics) -> list[Any]:
    if metrics.bucket_kind == "day":
        return [bucket.start for bucket in metrics.buckets]
    return [bucket.label for bucket in metrics.buckets]


def volume_chart(metrics: ServiceMetrics) -> Chart:
    labels = [bucket.label for bucket in metrics.buckets]
    if metrics.bucket_kind == "day":
        values = [bucket.volume for bucket in metrics.buckets]
        title, unit = _("Jumlah layanan per hari"), _("warga dilayani")
    else:
        values = [bucket.volume_per_day for bucket in metrics.buckets]  # type: ignore[misc]
        title, unit = _("Rata-rata layanan per hari kerja"), _("warga per hari")
    return bar_chart(labels, [Series(unit, values)], title=title, y_label=unit)


def waiting_chart(metrics: ServiceMetrics, *, markers: list[tuple[Any, str]] | None = None) -> Chart:
    return line_chart(
        _x(metrics),
        [
            Series(_("Median"), [b.wait.median_minutes for b in metrics.buckets]),
            Series(_("Persentil ke-90"), [b.wait.p90_minutes for b in metrics.buckets], dashed=True),
        ],
        title=_("Waktu tunggu (dipanggil − datang)"),
        y_label=_("menit"),
        markers=markers or [],
    )


def service_time_chart(metrics: ServiceMetrics) -> Chart:
    return line_chart(
        _x(metrics),
        [
            Series(_("Median"), [b.service.median_minutes for b in metrics.buckets], color=charts.PALETTE[2]),
            Series(
                _("Persentil ke-90"),
                [b.service.p90_minutes for b in metrics.buckets],
                color=charts.PALETTE[3],
                dashed=True,
            ),
        ],
        title=_("Waktu layanan (selesai − dipanggil)"),
        y_label=_("menit"),
    )


def same_day_chart(metrics: ServiceMetrics) -> Chart:
    return line_chart(
        _x(metrics),
        [Series(_("Selesai hari itu"), [b.same_day_share for b in metrics.buckets], color=charts.PALETTE[4])],
        title=_("Selesai pada hari yang sama"),
        y_percent=True,
        y_min=0,
        y_max=1,
    )


def element_label(code: str, name: str) -> str:
    return f"{code} {name}"


def elements_chart(result: IkmResult, *, size: tuple[float, float] = (6.4, 4.4)) -> Chart:
    """The nine elements' NRR on the 1–4 scale, each bar in the colour of its mutu."""
    labels = [element_label(e.code, e.name) for e in result.elements]
    values = [None if e.nrr is None else float(e.nrr) for e in result.elements]
    chart = bar_chart(
        labels,
        [Series(_("NRR"), values)],
        title=_("Nilai rata-rata per unsur (skala 1–4)"),
        horizontal=True,
        value_labels=True,
        value_decimals=2,
        y_min=1,
        y_max=4,
        y_decimals=0,
        size=size,
    )
    axes = chart.figure.axes[0]
    for patch, element in zip(axes.patches, result.elements, strict=False):
        mutu = element.mutu
        if mutu is not None:
            patch.set_facecolor(MUTU_COLOURS[mutu.code])
    return chart


def ikm_trend_chart(trend: list[tuple[Period, IkmResult]]) -> Chart:
    return line_chart(
        [period.start for period, _result in trend],
        [Series(_("IKM"), [None if r.ikm is None else float(r.ikm) for _p, r in trend])],
        title=_("IKM per bulan"),
        y_label=_("IKM (25–100)"),
        y_min=None,
        y_decimals=0,
    )


# --- The infographic --------------------------------------------------------------------------------


def infographic_png(summary: IkmSummary, *, url: str) -> bytes:
    """A shareable 1080 × 1350 picture of an office's SKM result: IKM, mutu, n, the nine elements."""
    result = summary.result
    office = summary.office
    with charts.style():
        fig = charts.figure(10.8, 13.5)
        fig.set_layout_engine("none")
        fig.patches.append(_rect(fig, 0, 0.86, 1, 0.14, charts.BRAND))
        fig.text(
            0.05,
            0.955,
            _("SURVEI KEPUASAN MASYARAKAT"),
            color="white",
            fontsize=22,
            fontweight="bold",
            va="top",
        )
        fig.text(0.05, 0.915, office.name, color="white", fontsize=17, va="top", wrap=True)
        fig.text(
            0.05,
            0.878,
            f"{office.government.name} · {summary.period.label}",
            color="#ccfbf1",
            fontsize=14,
            va="top",
        )

        mutu = result.mutu
        if result.ikm is not None and mutu is not None:
            colour = MUTU_COLOURS[mutu.code]
            fig.text(0.05, 0.83, _("Indeks Kepuasan Masyarakat"), fontsize=16, color=charts.MUTED, va="top")
            fig.text(
                0.05,
                0.80,
                format_number(result.ikm, 2),
                fontsize=72,
                fontweight="bold",
                color=colour,
                va="top",
            )
            fig.text(0.62, 0.80, mutu.code, fontsize=72, fontweight="bold", color=colour, va="top")
            fig.text(0.72, 0.77, _("Mutu pelayanan"), fontsize=13, color=charts.MUTED, va="top")
            fig.text(0.72, 0.745, mutu.label, fontsize=20, fontweight="bold", color=colour, va="top")
        else:
            fig.text(
                0.05, 0.80, _("Belum ada hasil untuk periode ini."), fontsize=26, color=charts.MUTED, va="top"
            )

        facts = _("{n} responden · bobot per unsur {weight}").format(
            n=format_number(result.n), weight=WEIGHT_LABELS.get(result.weight, result.weight)
        )
        if result.minimum_sample is not None:
            facts += " · " + _("sampel minimum {m}").format(m=format_number(result.minimum_sample))
        fig.text(0.05, 0.675, facts, fontsize=14, color=charts.INK, va="top")

        fig.text(
            0.05,
            0.615,
            _("Nilai rata-rata per unsur (1–4)"),
            fontsize=16,
            fontweight="bold",
            color=charts.INK,
        )
        axes = fig.add_axes((0.42, 0.12, 0.52, 0.47))
        values = [0.0 if e.nrr is None else float(e.nrr) for e in result.elements]
        colours = [MUTU_COLOURS[e.mutu.code] if e.mutu else charts.GRID for e in result.elements]
        bars = axes.barh(range(9), values, color=colours, height=0.7)
        axes.set_yticks(range(9), [element_label(e.code, e.name) for e in result.elements], fontsize=13)
        axes.invert_yaxis()
        axes.set_xlim(1, 4)
        axes.grid(axis="y", visible=False)
        axes.grid(axis="x")
        axes.set_xticks([1, 2, 3, 4], ["1", "2", "3", "4"], fontsize=12)
        axes.bar_label(
            bars,
            labels=["–" if e.nrr is None else format_number(e.nrr, 2) for e in result.elements],
            padding=4,
            fontsize=13,
        )

        fig.text(
            0.05,
            0.06,
            _("Dihitung sesuai Peraturan Menteri PANRB No. 14 Tahun 2017."),
            fontsize=12,
            color=charts.MUTED,
        )
        fig.text(0.05, 0.035, _("Isi survei: {url}").format(url=url), fontsize=12, color=charts.BRAND_DARK)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    return buffer.getvalue()


def _rect(fig: Any, x: float, y: float, width: float, height: float, colour: str) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle(
        (x, y), width, height, transform=fig.transFigure, facecolor=colour, edgecolor="none", zorder=-1
    )
