"""IKM (Indeks Kepuasan Masyarakat) exactly as Peraturan Menteri PANRB No. 14 Tahun 2017 computes it.

For each element U1..U9 the NRR (nilai rata-rata) is the mean answer (1–4) over the respondents who answered
that element; a blank is no answer and leaves that element's denominator (the regulation divides by the
"total unsur yang terisi"). The weighted NRR is NRR × weight, the unit's index is the sum of the nine
weighted NRRs, and the IKM is that index × 25, on a 25–100 scale, read against the interval table for its
mutu (A–D) and kinerja.

The weight is 1/9 exactly unless asked otherwise. Published reports often multiply by 0,111 or 0,11
instead, which gives a different index for the same answers (all 4s: 100,00 vs 99,90 vs 99,00), so a unit
can ask for the rounded weight to reproduce its past figures, and every result says which weight it used.

Everything is computed in exact fractions and rounded once, half-up to two decimals, for display and for
the mutu boundaries: 88,305 is 88,31 and so A, where the banker's rounding of Python's round() on a
Decimal (half to even) would give 88,30 and B. Binary floats are not used for the same reason.

If nobody answered an element the IKM is not computable: the regulation's formula has nine terms and no
rule for a missing one, and counting it as 0 (or silently averaging the other eight) would publish a number
the regulation does not define. The result then says which elements are unanswered and has no IKM.

The inputs are either per-respondent answers or per-element sums and counts, so a database aggregate
(`Sum`/`Count` per element) feeds `ikm_from_totals` without loading the responses.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.service.skm import ELEMENT_CODES, element

# The weight per element, by the name the CLI and results use.
WEIGHTS: dict[str, Fraction] = {
    "exact": Fraction(1, 9),
    "0.111": Fraction(111, 1000),
    "0.11": Fraction(11, 100),
}

# The converted scale: the index (1–4) × 25.
SCALE = 25

Number = Decimal | Fraction | int | float | str


@dataclass(frozen=True)
class Mutu:
    """A row of the regulation's interval table: the *mutu pelayanan* letter and *kinerja unit pelayanan*.

    `low`/`high` bound the converted value (nilai interval konversi, 25–100); `ni_low`/`ni_high` are the
    same bounds as the regulation prints them on the 1–4 scale (nilai interval): they are the converted
    bounds ÷ 25, which is why they have odd digits such as 2,5996 and 3,0644.
    """

    code: str
    kinerja: str
    nilai_persepsi: int
    low: Decimal
    high: Decimal
    ni_low: Decimal
    ni_high: Decimal

    @property
    def label(self) -> str:
        """The kinerja in the active language (the regulation's own wording in Bahasa Indonesia)."""
        return _(self.kinerja)


def _mutu(code: str, kinerja: str, nilai_persepsi: int, konversi: str, interval: str) -> Mutu:
    low, high = (Decimal(bound) for bound in konversi.split("-"))
    ni_low, ni_high = (Decimal(bound) for bound in interval.split("-"))
    return Mutu(code, kinerja, nilai_persepsi, low, high, ni_low, ni_high)


# The regulation's table, best first: mutu, kinerja, nilai persepsi, interval konversi, nilai interval.
MUTU_TABLE: tuple[Mutu, ...] = (
    _mutu("A", gettext_noop("Sangat Baik"), 4, "88.31-100.00", "3.5324-4.00"),
    _mutu("B", gettext_noop("Baik"), 3, "76.61-88.30", "3.0644-3.532"),
    _mutu("C", gettext_noop("Kurang Baik"), 2, "65.00-76.60", "2.60-3.064"),
    _mutu("D", gettext_noop("Tidak Baik"), 1, "25.00-64.99", "1.00-2.5996"),
)


def _fraction(value: Number) -> Fraction:
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number here")
    if isinstance(value, float):
        # The shortest repr is what a person typed: 88.305 means 88.305, not the binary 88.30499999…
        return Fraction(repr(value))
    return Fraction(value)


def round_half_up(value: Number, places: int = 2) -> Decimal:
    """`value` rounded to `places` decimals, halves away from zero (the school rule reports use)."""
    scaled = _fraction(value) * 10**places
    units = math.floor(abs(scaled) + Fraction(1, 2))
    return Decimal(-units if scaled < 0 else units).scaleb(-places)


def mutu_for(value: Number) -> Mutu:
    """The mutu of a converted value (IKM, or an element's NRR × 25), judged on its two-decimal rounding.

    The interval table starts at 25,00; a rounded weight can put an all-1 survey just below it (24,98 with
    0,111, 24,75 with 0,11), which is still D. Values outside 0–100 cannot come from a survey.
    """
    rounded = round_half_up(value)
    if not Decimal(0) <= rounded <= Decimal(100):
        raise ValueError(f"{value} is not on the 25–100 scale of an IKM")
    for mutu in MUTU_TABLE:
        if rounded >= mutu.low:
            return mutu
    return MUTU_TABLE[-1]


def weight_value(weight: str) -> Fraction:
    """The weight per element for a weight name ("exact", "0.111" or "0.11")."""
    try:
        return WEIGHTS[weight]
    except KeyError:
        raise ValueError(f"unknown weight {weight!r}; expected one of {', '.join(WEIGHTS)}") from None


def ikm_value(nrr: Mapping[str, Number], weight: str = "exact") -> Fraction:
    """The converted IKM (25 × the sum of weighted NRRs), exact, from the nine elements' NRRs.

    For reproducing a published report from the NRRs it prints; from survey data use `ikm_from_answers` or
    `ikm_from_totals`, which also say why an IKM cannot be computed.
    """
    if set(nrr) != set(ELEMENT_CODES):
        raise ValueError(
            f"an IKM needs the NRR of exactly {', '.join(ELEMENT_CODES)}, got {', '.join(sorted(nrr))}"
        )
    w = weight_value(weight)
    return SCALE * sum((w * _fraction(nrr[code]) for code in ELEMENT_CODES), Fraction(0))


# Krejcie & Morgan (1970): chi-square for 1 degree of freedom at 95 %, the proportion that maximises the
# sample, and the accuracy.
KREJCIE_MORGAN_CHI_SQUARE = Fraction("3.841")
KREJCIE_MORGAN_PROPORTION = Fraction(1, 2)
KREJCIE_MORGAN_ACCURACY = Fraction(5, 100)


def minimum_sample(population: int) -> int:
    """The minimum number of respondents for `population` people served in the period (Krejcie & Morgan
    1970, the table the regulation refers to):

        s = X²·N·P(1−P) / (d²·(N−1) + X²·P(1−P)),  X² = 3,841, P = 0,5, d = 0,05

    rounded to the nearest whole respondent. That is how the published table was built: all 90 of its rows
    (10 → 10, 100 → 80, 1000 → 278, 9000 → 368, 75000 → 382, 1000000 → 384) are the formula rounded to the
    nearest integer, and 45 of them are not the formula rounded up (15 → 14.47 is listed as 14, not 15).
    """
    if isinstance(population, bool) or not isinstance(population, int):
        raise TypeError(f"a population is a whole number of people, not {population!r}")
    if population < 0:
        raise ValueError(f"a population cannot be negative ({population})")
    x2, p, d = KREJCIE_MORGAN_CHI_SQUARE, KREJCIE_MORGAN_PROPORTION, KREJCIE_MORGAN_ACCURACY
    s = x2 * population * p * (1 - p) / (d * d * (population - 1) + x2 * p * (1 - p))
    return math.floor(s + Fraction(1, 2))


@dataclass(frozen=True)
class ElementScore:
    """One element's tally: the sum of its answers and how many respondents answered it."""

    code: str
    total: int
    count: int
    weight: Fraction

    @property
    def name(self) -> str:
        return element(self.code).name

    @property
    def answered(self) -> bool:
        return self.count > 0

    @property
    def nrr(self) -> Fraction | None:
        """Nilai rata-rata: the mean answer, exact; None if nobody answered."""
        return Fraction(self.total, self.count) if self.count else None

    @property
    def weighted_nrr(self) -> Fraction | None:
        nrr = self.nrr
        return None if nrr is None else nrr * self.weight

    @property
    def mutu(self) -> Mutu | None:
        """The element's mutu: its NRR on the 1–4 interval table, i.e. NRR × 25 on the converted one."""
        nrr = self.nrr
        return None if nrr is None else mutu_for(nrr * SCALE)


@dataclass(frozen=True)
class IkmResult:
    """An IKM computation: the elements' tallies, the weight used, n, and the sample check."""

    weight: str
    elements: tuple[ElementScore, ...]
    n: int
    population: int | None = None

    @property
    def unanswered(self) -> tuple[str, ...]:
        """Codes of the elements nobody answered; any of them makes the IKM not computable."""
        return tuple(e.code for e in self.elements if not e.answered)

    @property
    def computable(self) -> bool:
        return not self.unanswered

    @property
    def index(self) -> Fraction | None:
        """The unit's index on the 1–4 scale (sum of weighted NRRs), exact; None if not computable."""
        if not self.computable:
            return None
        return sum((e.weighted_nrr for e in self.elements if e.weighted_nrr is not None), Fraction(0))

    @property
    def value(self) -> Fraction | None:
        """The converted IKM (index × 25), exact; None if not computable."""
        index = self.index
        return None if index is None else index * SCALE

    @property
    def ikm(self) -> Decimal | None:
        """The IKM as published: the converted value rounded half-up to two decimals."""
        value = self.value
        return None if value is None else round_half_up(value)

    @property
    def mutu(self) -> Mutu | None:
        value = self.value
        return None if value is None else mutu_for(value)

    @property
    def minimum_sample(self) -> int | None:
        return None if self.population is None else minimum_sample(self.population)

    @property
    def sample_too_small(self) -> bool | None:
        """Whether n is below the Krejcie–Morgan minimum; None when no population was given."""
        minimum = self.minimum_sample
        return None if minimum is None else self.n < minimum

    def nrr(self) -> dict[str, Fraction | None]:
        return {e.code: e.nrr for e in self.elements}

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of `perjumpaan ikm --json`. NRRs are the nearest floats to the exact means; the
        IKM is the published two-decimal figure; kinerja is the regulation's wording, not translated."""
        ikm, mutu = self.ikm, self.mutu
        return {
            "n": self.n,
            "weight": self.weight,
            "nrr": {code: None if nrr is None else float(nrr) for code, nrr in self.nrr().items()},
            "ikm": None if ikm is None else float(ikm),
            "mutu": None if mutu is None else mutu.code,
            "kinerja": None if mutu is None else mutu.kinerja,
        }


def _check_population(population: int | None) -> None:
    if population is not None:
        minimum_sample(population)  # validates it


def ikm_from_totals(
    sums: Mapping[str, int | None],
    counts: Mapping[str, int],
    *,
    weight: str = "exact",
    respondents: int | None = None,
    population: int | None = None,
) -> IkmResult:
    """The IKM from each element's sum of answers and number of answers, e.g. a database aggregate.

    An element missing from both mappings counts as unanswered, and a sum of None (what SQL's SUM gives
    over no rows) is 0. `respondents` is n, the number of people who answered at least one element; it
    defaults to the largest element count.
    """
    w = weight_value(weight)
    unknown = (set(sums) | set(counts)) - set(ELEMENT_CODES)
    if unknown:
        raise ValueError(f"unknown SKM elements: {', '.join(sorted(unknown))}")
    scores = []
    for code in ELEMENT_CODES:
        total, count = sums.get(code) or 0, counts.get(code, 0)
        for name, number in (("sum", total), ("count", count)):
            if isinstance(number, bool) or not isinstance(number, int):
                raise TypeError(f"{code} {name} must be a whole number, not {number!r}")
        if count < 0 or not count <= total <= 4 * count:
            raise ValueError(f"{code}: {count} answers of 1–4 cannot sum to {total}")
        scores.append(ElementScore(code, total, count, w))
    largest = max(s.count for s in scores)
    if respondents is None:
        respondents = largest
    elif respondents < largest:
        raise ValueError(f"{respondents} respondents cannot give {largest} answers to one element")
    _check_population(population)
    return IkmResult(weight=weight, elements=tuple(scores), n=respondents, population=population)


def ikm_from_answers(
    rows: Iterable[Mapping[str, int | None]],
    *,
    weight: str = "exact",
    population: int | None = None,
) -> IkmResult:
    """The IKM from one mapping per respondent of U1..U9 to an answer 1–4, or None (or absent) for blank.

    n counts the respondents who answered at least one element.
    """
    sums = dict.fromkeys(ELEMENT_CODES, 0)
    counts = dict.fromkeys(ELEMENT_CODES, 0)
    respondents = 0
    for number, row in enumerate(rows, start=1):
        unknown = set(row) - set(ELEMENT_CODES)
        if unknown:
            raise ValueError(f"respondent {number}: unknown SKM elements {', '.join(sorted(unknown))}")
        answered = False
        for code in ELEMENT_CODES:
            answer = row.get(code)
            if answer is None:
                continue
            if isinstance(answer, bool) or not isinstance(answer, int) or not 1 <= answer <= 4:
                raise ValueError(f"respondent {number}: {code} must be 1–4 or None, not {answer!r}")
            sums[code] += answer
            counts[code] += 1
            answered = True
        respondents += answered
    return ikm_from_totals(sums, counts, weight=weight, respondents=respondents, population=population)
