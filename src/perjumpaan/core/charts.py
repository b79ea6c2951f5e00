"""Charts: the one way the project draws them (matplotlib, Agg backend, no pyplot).

Every chart in Perjumpaan — the service dashboards, the SKM results, the impact dashboards — is built
here, so they share one look: the brand colours of `app.css`, light horizontal grid lines, no box, labels
in the page's language, numbers written the Indonesian way (1.234,5; 93,5%) and dates with Indonesian
month names ("3 Mar", "Agu 2026").

A builder returns a `Chart`; `chart.svg()` is text to embed in a page (inline SVG scales with the page and
keeps text selectable), `chart.png()` bytes for an infographic or a download. Output is deterministic:
the same data gives the same bytes (no date in the metadata, fixed SVG ids), so tests can compare it.

    from perjumpaan.core.charts import Series, bar_chart, line_chart

    chart = line_chart(
        days,
        [Series(_("Median"), medians), Series(_("Persentil ke-90"), p90s, dashed=True)],
        y_label=_("menit"),
        markers=[(enrolled_on, _("Mulai program"))],
    )
    svg = chart.svg(title=_("Waktu tunggu per hari"))

Only `matplotlib.figure.Figure` and its canvases are used: pyplot keeps global state, which is neither
thread-safe nor needed on a server. matplotlib is imported on first use, so a process that draws nothing
does not pay for it. Custom compositions (the SKM infographic) use `figure()` and `style()` to get the
same look.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, cast
from xml.sax.saxutils import escape  # nosec B406  # escapes text we write; parses no XML

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# The palette of app.css: brand teal first, then colours that stay apart for colour-blind readers.
BRAND = "#0f766e"
BRAND_DARK = "#115e59"
ACCENT = "#b45309"
INK = "#1f2933"
MUTED = "#52606d"
GRID = "#d9e2ec"
PALETTE = (BRAND, ACCENT, "#1d4ed8", "#be123c", "#6d28d9", "#52606d", "#0891b2", "#65a30d")

MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")

# Width and height in inches: 6,4 × 3,4 is 640 × 340 px at 100 dpi, a chart beside a table on a desktop
# and full width on a phone (the SVG scales; its text stays legible down to a 360 px screen).
DEFAULT_SIZE = (6.4, 3.4)

Number = int | float | Decimal | Fraction


def _rc() -> dict[str, Any]:
    from cycler import cycler

    return {
        "font.family": "DejaVu Sans",
        "font.size": 10.5,
        "axes.edgecolor": GRID,
        "axes.labelcolor": MUTED,
        "axes.titlesize": 11,
        "axes.titleweight": "bold",
        "axes.titlecolor": INK,
        "axes.titlelocation": "left",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.spines.left": False,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "axes.axisbelow": True,
        "axes.prop_cycle": cycler(color=list(PALETTE)),
        "grid.color": GRID,
        "grid.linewidth": 0.8,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "xtick.major.size": 0,
        "ytick.major.size": 0,
        "legend.frameon": False,
        "legend.fontsize": 9,
        "lines.linewidth": 2.0,
        "svg.hashsalt": "perjumpaan",
        "svg.fonttype": "none",
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "figure.facecolor": "white",
    }


@contextmanager
def style() -> Iterator[None]:
    """The project's chart style, for building and saving a figure (a context, not a global change)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    with matplotlib.rc_context(cast(Any, _rc())):
        yield


def figure(width: float = DEFAULT_SIZE[0], height: float = DEFAULT_SIZE[1]) -> Figure:
    """A new figure in the project's style, not registered with pyplot. Build it inside `style()`."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


# --- Indonesian numbers and dates -------------------------------------------------------------------


def _exact(value: Any) -> Fraction | None:
    """A number as an exact fraction (a float, numpy's too, as the decimal it prints as); None: not finite."""
    if isinstance(value, int | Decimal | Fraction) and not isinstance(value, bool):
        if isinstance(value, Decimal) and not value.is_finite():
            return None
        return Fraction(value)
    number = float(value)
    if not math.isfinite(number):
        return None
    return Fraction(repr(number))


def format_number(value: Number | None, decimals: int = 0) -> str:
    """1234.5 → "1.234,5" (Indonesian: a dot groups thousands, a comma marks decimals); None → "–".

    Rounds half away from zero, as reports do (2,25 → 2,3), not to even.
    """
    if value is None:
        return "–"
    exact = _exact(value)
    if exact is None:
        return "–"
    scaled = abs(exact) * 10**decimals
    units = math.floor(scaled + Fraction(1, 2))
    negative = exact < 0 and units != 0
    whole, fraction = divmod(units, 10**decimals)
    text = f"{whole:,}".replace(",", ".")
    if decimals:
        text += "," + str(fraction).rjust(decimals, "0")
    return ("-" if negative else "") + text


def format_percent(share: Number | None, decimals: int = 0) -> str:
    """A share 0–1 as a percentage: 0.935 → "93,5%" (with decimals=1)."""
    if share is None:
        return "–"
    exact = _exact(share)
    return "–" if exact is None else format_number(exact * 100, decimals) + "%"


def format_day(day: dt.date, *, year: bool = False) -> str:
    """ "3 Mar" (or "3 Mar 2026")."""
    text = f"{day.day} {MONTHS_SHORT[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def format_month(day: dt.date) -> str:
    """ "Agu 2026"."""
    return f"{MONTHS_SHORT[day.month - 1]} {day.year}"


# --- Charts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One line or set of bars: a label for the legend and one value per x (None: no value there)."""

    label: str
    values: Sequence[Number | None]
    color: str | None = None
    dashed: bool = False


# SVG properties matplotlib writes in style="…" that are also presentation attributes.
_PRESENTATION = frozenset(
    {
        "fill",
        "fill-opacity",
        "fill-rule",
        "font-family",
        "font-size",
        "font-style",
        "font-weight",
        "opacity",
        "stroke",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-opacity",
        "stroke-width",
        "text-anchor",
    }
)
_TAG_WITH_STYLE = re.compile(r"<([a-zA-Z][\w:-]*)((?:\s+[\w:-]+=\"[^\"]*\")*?)\s*(/?)>")
_ATTRIBUTE = re.compile(r'\s+([\w:-]+)="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>\s*\*\s*\{([^}]*)\}\s*</style>")


def _declarations(style: str) -> list[tuple[str, str]]:
    found = []
    for part in style.split(";"):
        name, colon, value = part.partition(":")
        if colon:
            found.append((name.strip(), value.strip()))
    return found


def presentation_attributes(svg: str) -> str:
    """matplotlib's inline CSS turned into SVG presentation attributes, which draw the same.

    The pages' Content-Security-Policy (`style-src 'self'`) ignores `style="…"` attributes and `<style>`
    elements in an inline SVG, which would leave a chart black and unstyled; presentation attributes
    are not CSS and are not affected. The document-wide `<style>*{…}</style>` becomes attributes of the
    root `<svg>` (they inherit)."""
    inherited = ""
    match = _STYLE_ELEMENT.search(svg)
    if match:
        inherited = "".join(
            f' {name}="{value}"' for name, value in _declarations(match.group(1)) if name in _PRESENTATION
        )
        svg = svg[: match.start()] + svg[match.end() :]

    def rewrite(tag: re.Match[str]) -> str:
        attributes = _ATTRIBUTE.findall(tag.group(2))
        if not any(name == "style" for name, _value in attributes):
            return tag.group(0)
        merged: dict[str, str] = {}
        kept_style = []
        for name, value in attributes:
            if name != "style":
                merged[name] = value
                continue
            for prop, prop_value in _declarations(value):
                if prop in _PRESENTATION:
                    # CSS wins over an attribute of the same name, so the style's value is the one drawn.
                    merged[prop] = prop_value  # already escaped: it came from an attribute
                else:
                    kept_style.append(f"{prop}: {prop_value}")
        if kept_style:
            merged["style"] = "; ".join(kept_style)
        text = "".join(f' {name}="{value}"' for name, value in merged.items())
        return f"<{tag.group(1)}{text}{tag.group(3)}>"

    svg = _TAG_WITH_STYLE.sub(rewrite, svg)
    if inherited:
        svg = svg.replace("<svg", "<svg" + inherited, 1)
    return svg


class Chart:
    """A drawn chart: render it as SVG text or PNG bytes."""

    def __init__(self, fig: Figure, *, alt: str = "") -> None:
        self.figure = fig
        self.alt = alt

    def svg(self, *, title: str = "") -> str:
        """The chart as an <svg> element (no XML declaration), scaled to its container's width.

        `title` (or the chart's alt text) becomes the SVG's accessible name; the table beside a chart
        carries its numbers for screen readers.
        """
        buffer = io.StringIO()
        with style():
            self.figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        text = buffer.getvalue()
        text = text[text.index("<svg") :]
        text = presentation_attributes(text)
        # Let the page size it: keep the viewBox, drop the fixed width and height.
        text = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", text, count=1)
        name = title or self.alt
        attributes = ' class="chart" role="img" preserveAspectRatio="xMinYMin meet"'
        if name:
            attributes += f' aria-label="{escape(name, {chr(34): "&quot;"})}"'
        text = text.replace("<svg", "<svg" + attributes, 1)
        if name:
            text = re.sub(
                r"(<svg[^>]*>)", lambda m: f"{m.group(1)}<title>{escape(name)}</title>", text, count=1
            )
        return text

    def png(self, *, dpi: int = 150) -> bytes:
        buffer = io.BytesIO()
        with style():
            self.figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()

    def svg_paths(self) -> str:
        """The chart as SVG with text drawn as outlines, for a PDF renderer that has none of our fonts."""
        import matplotlib

        buffer = io.StringIO()
        with style(), matplotlib.rc_context({"svg.fonttype": "path"}):
            self.figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        text = buffer.getvalue()
        return text[text.index("<svg") :]


def _number_axis(axis: Any, decimals: int, *, percent: bool = False) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    def label(value: float, _position: object) -> str:
        return format_percent(value, decimals) if percent else format_number(value, decimals)

    axis.set_major_formatter(FuncFormatter(label))
    if decimals == 0 and not percent:
        axis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    else:
        axis.set_major_locator(MaxNLocator(nbins=5))


def _date_axis(ax: Axes, days: Sequence[dt.date]) -> None:
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    span = (max(days) - min(days)).days if days else 0

    def month_label(value: float, position: object) -> str:
        day = mdates.num2date(value).date()  # type: ignore[no-untyped-call]
        # "Jan 2026" at the first label and at January, the month alone between.
        return format_month(day) if position == 0 or day.month == 1 else MONTHS_SHORT[day.month - 1]

    def day_label(value: float, position: object) -> str:
        return format_day(mdates.num2date(value).date())  # type: ignore[no-untyped-call]

    if span > 120:
        # At most about six month labels.
        interval = max(1, math.ceil(span / 30 / 6))
        ax.xaxis.set_major_locator(mdates.MonthLocator(interval=interval))  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_formatter(FuncFormatter(month_label))
    else:
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_formatter(FuncFormatter(day_label))


def _finish(ax: Axes, *, title: str, y_label: str, legend: bool) -> None:
    if title:
        # At the figure's left edge, not the axes': long category labels must not push it off the page.
        ax.figure.suptitle(title, x=0.01, ha="left", fontsize=11, fontweight="bold", color=INK)
    if y_label:
        ax.set_ylabel(y_label)
    if legend:
        # Below the plot, outside it: a legend inside would cover lines and markers.
        ax.figure.legend(loc="outside lower left", ncols=4, fontsize=8.5)


def _values(series: Series) -> list[float]:
    return [math.nan if value is None else float(value) for value in series.values]


def line_chart(
    x: Sequence[dt.date] | Sequence[str] | Sequence[Number],
    series: Sequence[Series],
    *,
    title: str = "",
    y_label: str = "",
    y_decimals: int = 0,
    y_percent: bool = False,
    y_min: float | None = 0,
    y_max: float | None = None,
    markers: Sequence[tuple[Any, str]] = (),
    size: tuple[float, float] = DEFAULT_SIZE,
    alt: str = "",
) -> Chart:
    """Lines over dates (Indonesian date labels), labels or numbers; `markers` draw a labelled vertical
    line at an x (an enrolment date, say). A None value leaves a gap."""
    with style():
        fig = figure(*size)
        ax = fig.add_subplot()
        dates = bool(x) and isinstance(x[0], dt.date)
        positions: Sequence[Any] = list(x) if dates or (x and not isinstance(x[0], str)) else range(len(x))
        for index, item in enumerate(series):
            color = item.color or PALETTE[index % len(PALETTE)]
            ax.plot(
                positions,
                _values(item),
                label=item.label,
                color=color,
                linestyle="--" if item.dashed else "-",
                marker="o" if len(x) <= 16 else None,
                markersize=3.5,
            )
        if dates:
            _date_axis(ax, x)  # type: ignore[arg-type]
        elif x and isinstance(x[0], str):
            ax.set_xticks(list(positions), [str(label) for label in x])
        if y_min is not None or y_max is not None:
            ax.set_ylim(bottom=y_min, top=y_max)
        if markers:
            # Room above the data for the markers' labels.
            low, high = ax.get_ylim()
            if y_max is None:
                ax.set_ylim(low, high + (high - low) * 0.18)
        for where, label in markers:
            ax.axvline(where, color=ACCENT, linewidth=1.2, linestyle=":")
            ax.annotate(
                label,
                xy=(where, 1),
                xycoords=("data", "axes fraction"),
                xytext=(4, -2),
                textcoords="offset points",
                va="top",
                fontsize=8,
                color=ACCENT,
                bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"},
            )
        _number_axis(ax.yaxis, y_decimals, percent=y_percent)
        _finish(ax, title=title, y_label=y_label, legend=len(series) > 1)
    return Chart(fig, alt=alt or title)


def bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str = "",
    y_label: str = "",
    y_decimals: int = 0,
    y_percent: bool = False,
    y_min: float | None = None,
    y_max: float | None = None,
    horizontal: bool = False,
    value_labels: bool = False,
    value_decimals: int | None = None,
    size: tuple[float, float] = DEFAULT_SIZE,
    alt: str = "",
) -> Chart:
    """Bars per category, grouped side by side when there are several series; `horizontal` for long
    category names (the nine SKM elements). `value_labels` writes each bar's value at its end."""
    with style():
        fig = figure(*size)
        ax = fig.add_subplot()
        count = max(len(series), 1)
        width = 0.8 / count
        positions = list(range(len(categories)))
        decimals = y_decimals if value_decimals is None else value_decimals
        for index, item in enumerate(series):
            color = item.color or PALETTE[index % len(PALETTE)]
            offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
            values = _values(item)
            drawn = [0.0 if math.isnan(v) else v for v in values]
            if horizontal:
                bars = ax.barh(offsets, drawn, height=width * 0.9, label=item.label, color=color)
            else:
                bars = ax.bar(offsets, drawn, width=width * 0.9, label=item.label, color=color)
            if value_labels:
                texts = [
                    "–"
                    if math.isnan(v)
                    else (format_percent(v, decimals) if y_percent else format_number(v, decimals))
                    for v in values
                ]
                ax.bar_label(bars, labels=texts, padding=3, fontsize=8.5, color=INK)
        if horizontal:
            ax.set_yticks(positions, list(categories))
            ax.invert_yaxis()
            ax.grid(axis="x")
            ax.grid(axis="y", visible=False)
            if y_min is not None or y_max is not None:
                ax.set_xlim(left=y_min, right=y_max)
            _number_axis(ax.xaxis, y_decimals, percent=y_percent)
            if y_label:
                ax.set_xlabel(y_label)
            _finish(ax, title=title, y_label="", legend=len(series) > 1)
        else:
            ax.set_xticks(positions, list(categories))
            if len(categories) > 8:
                for label in ax.get_xticklabels():
                    label.set_rotation(45)
                    label.set_horizontalalignment("right")
            if y_min is not None or y_max is not None:
                ax.set_ylim(bottom=y_min, top=y_max)
            _number_axis(ax.yaxis, y_decimals, percent=y_percent)
            _finish(ax, title=title, y_label=y_label, legend=len(series) > 1)
    return Chart(fig, alt=alt or title)
