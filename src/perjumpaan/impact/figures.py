"""The impact charts that `core.charts` has no builder for: the event study (effects by weeks since
enrolment, with their intervals) and the placebo offices (where the real estimate falls among the
estimates with other offices as pretend pilots). Same look as every other chart (`charts.style()`)."""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

from perjumpaan.core.charts import ACCENT, BRAND, INK, MUTED, Chart, _number_axis, figure, style
from perjumpaan.impact.analysis import ImpactResult


def event_study_chart(
    result: ImpactResult, *, unit: str, title: str = "", size: tuple[float, float] = (6.4, 3.2)
) -> Chart:
    """Each event time's effect as a dot with its interval; before enrolment in grey (placebo checks),
    from enrolment on in the brand colour. An interval with an infinite end is drawn to the chart edge."""
    events = sorted(result.event_study, key=lambda effect: effect.e)
    with style():
        fig = figure(*size)
        ax = fig.add_subplot()
        finite = [
            value
            for effect in events
            for value in (effect.att, effect.ci_low, effect.ci_high)
            if value is not None and math.isfinite(value)
        ]
        low = min(finite, default=-1.0)
        high = max(finite, default=1.0)
        pad = (high - low) * 0.05 or 1.0
        for effect in events:
            color = MUTED if effect.e < 0 else BRAND
            lower = effect.ci_low if effect.ci_low is not None else low - pad
            upper = effect.ci_high if effect.ci_high is not None else high + pad
            ax.vlines(effect.e, lower, upper, color=color, linewidth=1.2, alpha=0.55)
            ax.plot([effect.e], [effect.att], "o", color=color, markersize=3.2)
        ax.axhline(0, color=INK, linewidth=0.8)
        ax.axvline(-0.5, color=ACCENT, linewidth=1.0, linestyle=":")
        ax.annotate(
            _("mulai program"),
            xy=(-0.5, 1),
            xycoords=("data", "axes fraction"),
            xytext=(4, -2),
            textcoords="offset points",
            va="top",
            fontsize=8,
            color=ACCENT,
        )
        ax.set_ylim(low - pad, high + pad)
        ax.set_xlabel(_("pekan sejak ikut program"))
        ax.set_ylabel(unit)
        _number_axis(ax.yaxis, 1)
        if title:
            fig.suptitle(title, x=0.01, ha="left", fontsize=11, fontweight="bold", color=INK)
    return Chart(fig, alt=title or _("Efek per pekan sejak ikut program"))


def placebo_chart(
    result: ImpactResult, *, unit: str, title: str = "", size: tuple[float, float] = (6.4, 2.8)
) -> Chart | None:
    """A histogram of the placebo assignments' estimates with the real estimate marked; None without a
    placebo distribution."""
    placebo = result.placebo
    if placebo is None or not placebo.estimates:
        return None
    with style():
        fig = figure(*size)
        ax = fig.add_subplot()
        values = [value for value in placebo.estimates if math.isfinite(value)]
        ax.hist(values, bins=min(40, max(8, len(values) // 15)), color=MUTED, alpha=0.55)
        ax.axvline(placebo.observed, color=BRAND, linewidth=2.2)
        ax.annotate(
            _("kantor peserta"),
            xy=(placebo.observed, 1),
            xycoords=("data", "axes fraction"),
            xytext=(4, -2),
            textcoords="offset points",
            va="top",
            fontsize=8.5,
            color=BRAND,
            fontweight="bold",
        )
        ax.set_xlabel(unit)
        ax.set_ylabel(_("kelompok plasebo"))
        _number_axis(ax.xaxis, 1)
        from matplotlib.ticker import MaxNLocator

        # Few labels: the chart is narrow beside the event study in the report.
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4 if size[0] < 4 else 6))
        if title:
            fig.suptitle(title, x=0.01, ha="left", fontsize=11, fontweight="bold", color=INK)
    return Chart(fig, alt=title or _("Kantor plasebo"))
