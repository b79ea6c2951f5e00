"""What an impact result means, in plain Indonesian, by the rules in docs/impact.md.

- An effect whose interval excludes zero is **evidence** ("ada bukti"); one whose interval includes zero
  (or is unbounded) **cannot be concluded yet** ("belum dapat disimpulkan").
- The effect is said in the outcome's own unit ("naik 2,3 poin"), never only as a p-value.
- The caveats are said every time they apply: few enrolled offices, diverging trends before enrolment,
  and what the data left out.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from perjumpaan.impact.analysis import MIN_TREATED_FOR_ANALYTIC, ImpactResult
from perjumpaan.impact.estimation import Effect
from perjumpaan.impact.panel import gettext_noop

Translate = Callable[[str], str]

# Below this pre-trend p-value the trends before enrolment are said to differ.
PRETREND_ALERT = 0.10

EVIDENCE = gettext_noop(
    "Ada bukti bahwa program mengubah {outcome}: di kantor yang ikut program, {outcome} {direction} "
    "rata-rata {size} {unit} dibandingkan dengan perkiraan tanpa program (interval {level}%: {low} sampai "
    "{high} {unit})."
)
NOT_YET = gettext_noop(
    "Belum dapat disimpulkan apakah program mengubah {outcome}. Perkiraannya {outcome} {direction} "
    "{size} {unit}, tetapi interval {level}% ({low} sampai {high} {unit}) masih mencakup nol, jadi bisa "
    "saja program tidak berpengaruh."
)
NOT_YET_UNBOUNDED = gettext_noop(
    "Belum dapat disimpulkan apakah program mengubah {outcome}. Perkiraannya {outcome} {direction} "
    "{size} {unit}, tetapi data yang ada belum cukup untuk membatasi besar efeknya."
)
NO_CHANGE = gettext_noop("tidak berubah")
UP = gettext_noop("naik")
DOWN = gettext_noop("turun")
ALL = gettext_noop("semua")
METHOD = {
    "randomization": gettext_noop(
        "Interval dihitung dengan uji acak: hasil kantor peserta dibandingkan dengan {assignments} "
        "kelompok kantor plasebo (kantor lain yang seolah-olah ikut program)."
    ),
    "analytic": gettext_noop("Interval dihitung secara analitik dengan galat baku klaster per kantor."),
    "bootstrap": gettext_noop("Interval dihitung dengan bootstrap pengali."),
}
FEW_OFFICES = gettext_noop(
    "Hati-hati: baru {count} kantor yang ikut program. Perubahan di kantor sesedikit ini bisa juga "
    "disebabkan hal lain yang terjadi di kantor itu pada waktu yang sama (misalnya pimpinan baru atau "
    "sistem layanan baru), bukan oleh program."
)
PRETREND_DIFFERS = gettext_noop(
    "Hati-hati: sebelum program dimulai, {outcome} di kantor peserta sudah bergerak berbeda dari kantor "
    "pembanding (uji tren sebelum program: p = {p}). Sebagian dari perbedaan di atas mungkin bukan karena "
    "program."
)
PRETREND_PARALLEL = gettext_noop(
    "Sebelum program dimulai, {outcome} di kantor peserta dan kantor pembanding bergerak sejajar (uji tren "
    "sebelum program: p = {p}); syarat utama perbandingan ini terpenuhi."
)
IMPUTATION = gettext_noop(
    "Dengan metode imputasi, yang memakai rata-rata semua periode sebelum program sebagai dasar, "
    "perkiraannya {direction} {size} {unit} (interval {level}%: {low} sampai {high} {unit})."
)
IMPUTATION_EVIDENCE = gettext_noop("Interval metode ini tidak mencakup nol.")
IMPUTATION_NOT_YET = gettext_noop("Interval metode ini juga mencakup nol.")
IMPUTATION_DISAGREES = gettext_noop(
    "Kedua metode tidak sepakat tentang arah efeknya; anggap hasil ini belum dapat disimpulkan."
)
DATA_NOTE = gettext_noop("Catatan data: {note}")


def _places(value: float) -> int:
    """Decimals for three significant digits (at most four)."""
    if value == 0 or not math.isfinite(value):
        return 2
    return int(min(4, max(0, 2 - math.floor(math.log10(abs(value))))))


def number(value: float, places: int) -> str:
    """Indonesian notation: decimal comma, dot between thousands, a real minus sign."""
    rounded = round(value, places)
    text = f"{abs(rounded):,.{places}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return ("−" if rounded < 0 else "") + text


def as_is(message: str) -> str:
    """No translation: the messages as written (Indonesian)."""
    return message


def _direction(value: float, tr: Translate) -> str:
    if value > 0:
        return tr(UP)
    if value < 0:
        return tr(DOWN)
    return tr(NO_CHANGE)


def _headline(effect: Effect, outcome: str, unit: str, level: int, tr: Translate) -> str:
    places = _places(effect.att)
    values = {
        "outcome": outcome,
        "unit": unit,
        "level": level,
        "direction": _direction(effect.att, tr),
        "size": number(abs(effect.att), places),
    }
    if effect.ci_low is None or effect.ci_high is None:
        return tr(NOT_YET_UNBOUNDED).format(**values)
    values |= {"low": number(effect.ci_low, places), "high": number(effect.ci_high, places)}
    return tr(EVIDENCE if effect.excludes_zero else NOT_YET).format(**values)


def explain(result: ImpactResult, outcome_label: str, unit_label: str, tr: Translate = as_is) -> str:
    """A paragraph for the leadership dashboard: the verdict, its size in `unit_label`, and the caveats.

    `outcome_label` names the outcome ("kepuasan masyarakat (IKM)"), `unit_label` its unit ("poin"); `tr`
    translates each message (Django's gettext in the pages; this module does not import Django).
    """
    level = round(100 * (1 - result.alpha))
    sentences = [_headline(result.overall, outcome_label, unit_label, level, tr)]
    assignments = result.placebo.assignments - 1 if result.placebo else None
    method = METHOD.get(result.inference)
    if method:
        sentences.append(tr(method).format(assignments=assignments if assignments is not None else tr(ALL)))
    imputed = result.imputation
    if imputed is not None and imputed.ci_low is not None and imputed.ci_high is not None:
        places = _places(imputed.att)
        sentences.append(
            tr(IMPUTATION).format(
                direction=_direction(imputed.att, tr),
                size=number(abs(imputed.att), places),
                unit=unit_label,
                level=level,
                low=number(imputed.ci_low, places),
                high=number(imputed.ci_high, places),
            )
        )
        if imputed.excludes_zero:
            sentences.append(tr(IMPUTATION_EVIDENCE))
        elif not result.overall.excludes_zero:
            sentences.append(tr(IMPUTATION_NOT_YET))
        if (
            result.overall.excludes_zero
            and imputed.excludes_zero
            and (imputed.att > 0) != (result.overall.att > 0)
        ):
            sentences.append(tr(IMPUTATION_DISAGREES))
    if result.n_treated < MIN_TREATED_FOR_ANALYTIC:
        sentences.append(tr(FEW_OFFICES).format(count=result.n_treated))
    if result.pretrend_p_value is not None:
        p = number(result.pretrend_p_value, 2)
        template = PRETREND_DIFFERS if result.pretrend_p_value < PRETREND_ALERT else PRETREND_PARALLEL
        sentences.append(tr(template).format(outcome=outcome_label, p=p))
    sentences.extend(tr(DATA_NOTE).format(note=note.translated(tr)) for note in result.notes)
    return " ".join(sentences)


def headline(result: ImpactResult, outcome_label: str, unit_label: str, tr: Translate = as_is) -> str:
    """The verdict sentence alone (evidence, or "belum dapat disimpulkan"), for a summary page."""
    return _headline(result.overall, outcome_label, unit_label, round(100 * (1 - result.alpha)), tr)
