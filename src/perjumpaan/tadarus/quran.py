"""The structure of the Quran — surahs, juz, pages of the Mushaf Madinah, sajdah — and position arithmetic.

No Quran text lives here, only its structure, read from `data/quran.json` (see the provenance inside it).
The file is checked when this module is imported, so a damaged copy stops the process at start-up instead
of silently misplacing a reading portion.

Vocabulary:

- a *Ref* is one ayah, written "surah:ayah" ("2:142" is Al-Baqarah ayah 142);
- the *index* of an ayah is its place in the whole mushaf, 1 (Al-Fatihah 1) to 6,236 (An-Nas 6);
- a *juz* is one of the 30 traditional parts; a *page* is one of the 604 pages of the Mushaf Madinah
  (King Fahd Complex, 15 lines a page), the layout most printed mushaf in Indonesia follow;
- a *khatam* is one complete reading: advancing past An-Nas 6 starts again at Al-Fatihah 1.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from importlib import resources
from typing import Any, Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

SURAH_COUNT = 114
TOTAL_AYAHS = 6236
JUZ_COUNT = 30
PAGE_COUNT = 604
SAJDAH_COUNT = 15

Revelation = Literal["makkiyah", "madaniyah"]
SajdahKind = Literal["recommended", "obligatory"]

BAD_REF_TEXT = gettext_noop("“{text}” bukan rujukan ayat. Tulis nomor surah dan ayat, misalnya 2:142.")
BAD_NUMBER = gettext_noop("Nomor surah dan ayat harus bilangan bulat.")
NO_SUCH_SURAH = gettext_noop("Surah {surah} tidak ada: nomor surah 1 sampai 114.")
NO_SUCH_AYAH = gettext_noop("Surah {name} ({surah}) terdiri atas {count} ayat; ayat {ayah} tidak ada.")
NO_SUCH_INDEX = gettext_noop("Urutan ayat {index} tidak ada: urutan ayat 1 sampai 6.236.")
NO_SUCH_JUZ = gettext_noop("Juz {juz} tidak ada: juz 1 sampai 30.")
NO_SUCH_PAGE = gettext_noop("Halaman {page} tidak ada: mushaf Madinah terdiri atas 604 halaman.")

_REF_PATTERN = re.compile(r"\s*(\d{1,3})\s*:\s*(\d{1,3})\s*")


class QuranRefError(ValueError):
    """A position that does not exist in the Quran; the message is in Bahasa Indonesia."""


class QuranDataError(RuntimeError):
    """The packaged structure file is damaged (a developer error, never the user's)."""


@dataclass(frozen=True, slots=True)
class Surah:
    """One of the 114 surahs: its Latin name as written in Indonesia, its meaning, and where it starts."""

    number: int
    name: str
    meaning: str
    ayah_count: int
    revelation: Revelation
    first_index: int

    @property
    def last_index(self) -> int:
        return self.first_index + self.ayah_count - 1


@dataclass(frozen=True, order=True, slots=True)
class Ref:
    """One ayah, `Ref(2, 142)`; refs order as they do in the mushaf. Creating a ref that does not exist
    raises `QuranRefError`."""

    surah: int
    ayah: int

    def __post_init__(self) -> None:
        for value in (self.surah, self.ayah):
            if not isinstance(value, int) or isinstance(value, bool):
                raise QuranRefError(_(BAD_NUMBER))
        if not 1 <= self.surah <= SURAH_COUNT:
            raise QuranRefError(_(NO_SUCH_SURAH).format(surah=self.surah))
        count = _AYAH_COUNTS[self.surah - 1]
        if not 1 <= self.ayah <= count:
            raise QuranRefError(
                _(NO_SUCH_AYAH).format(
                    name=_NAMES[self.surah - 1], surah=self.surah, count=count, ayah=self.ayah
                )
            )

    @classmethod
    def parse(cls, text: str) -> Ref:
        """Read "2:142" as Ref(2, 142). Spaces around the numbers are tolerated; anything else is an error."""
        match = _REF_PATTERN.fullmatch(text)
        if match is None:
            raise QuranRefError(_(BAD_REF_TEXT).format(text=text.strip()))
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def from_index(cls, index: int) -> Ref:
        """The ayah at place `index` (1–6,236) of the mushaf."""
        if not 1 <= index <= TOTAL_AYAHS:
            raise QuranRefError(_(NO_SUCH_INDEX).format(index=index))
        surah = bisect.bisect_right(_SURAH_FIRST_INDEX, index)
        return cls(surah, index - _SURAH_FIRST_INDEX[surah - 1] + 1)

    @property
    def index(self) -> int:
        return _SURAH_FIRST_INDEX[self.surah - 1] + self.ayah - 1

    def __str__(self) -> str:
        return f"{self.surah}:{self.ayah}"


@dataclass(frozen=True, slots=True)
class Sajdah:
    """An ayah of prostration (sajdah tilawah) and how Tanzil's common list classes it."""

    ref: Ref
    kind: SajdahKind


# --- Lookups -------------------------------------------------------------------------------------------


def surah(number: int) -> Surah:
    if not 1 <= number <= SURAH_COUNT:
        raise QuranRefError(_(NO_SUCH_SURAH).format(surah=number))
    return SURAHS[number - 1]


def juz_of(ref: Ref) -> int:
    return bisect.bisect_right(_JUZ_START_INDEX, ref.index)


def page_of(ref: Ref) -> int:
    return bisect.bisect_right(_PAGE_START_INDEX, ref.index)


def juz_bounds(juz: int) -> tuple[Ref, Ref]:
    """The first and last ayah of juz `juz`."""
    if not 1 <= juz <= JUZ_COUNT:
        raise QuranRefError(_(NO_SUCH_JUZ).format(juz=juz))
    return _bounds(_JUZ_START_INDEX, juz)


def page_bounds(page: int) -> tuple[Ref, Ref]:
    """The first and last ayah of page `page` (an ayah that runs over a page break belongs to the page it
    starts on, as in Tanzil's metadata)."""
    if not 1 <= page <= PAGE_COUNT:
        raise QuranRefError(_(NO_SUCH_PAGE).format(page=page))
    return _bounds(_PAGE_START_INDEX, page)


def _bounds(starts: list[int], number: int) -> tuple[Ref, Ref]:
    last = starts[number] - 1 if number < len(starts) else TOTAL_AYAHS
    return Ref.from_index(starts[number - 1]), Ref.from_index(last)


def sajdahs_between(first: Ref, last: Ref) -> list[Sajdah]:
    """The sajdah ayahs read from `first` to `last` inclusive (through the khatam if `last` < `first`)."""
    return [s for s in SAJDAHS if _within(s.ref.index, first.index, last.index)]


def _within(index: int, first: int, last: int) -> bool:
    if first <= last:
        return first <= index <= last
    return index >= first or index <= last


# --- Advancing -----------------------------------------------------------------------------------------


def advance(ref: Ref, ayahs: int) -> Ref:
    """The ayah `ayahs` places after `ref`, going round after An-Nas 6 (negative goes back)."""
    return Ref.from_index((ref.index - 1 + ayahs) % TOTAL_AYAHS + 1)


def portion(start: Ref, ayahs: int) -> tuple[Ref, Ref]:
    """The first and last ayah of a reading of `ayahs` ayahs (at least one) beginning at `start`."""
    if ayahs < 1:
        raise ValueError("a portion has at least one ayah")
    return start, advance(start, ayahs - 1)


def advance_pages(ref: Ref, pages: int) -> Ref:
    """Where reading resumes after `pages` pages from `ref`: the first ayah of the page `pages` after the
    one `ref` is on (so finishing the current page counts as one). Zero pages leaves `ref` where it is."""
    if pages == 0:
        return ref
    page = (page_of(ref) - 1 + pages) % PAGE_COUNT + 1
    return Ref.from_index(_PAGE_START_INDEX[page - 1])


def advance_juz(ref: Ref, juz: Fraction | int) -> Ref:
    """Where reading resumes after `juz` juz (a fraction such as Fraction(1, 4) is fine) from `ref`.

    Each juz counts as one unit with its ayahs spread evenly inside it, so advancing a whole number of
    juz from the start of a juz lands exactly on the start of another. Otherwise the result is the first
    ayah at or beyond the target, which means any positive amount moves forward by at least one ayah.

    That rounding adds up when steps are chained (four quarter-juz steps from a juz start overshoot by an
    ayah or so), so a plan that reads a part of a juz a day should compute day n's target from the plan's
    start, `advance_juz(start, n * part)`, rather than from yesterday's stopping point.
    """
    amount = Fraction(juz)
    if amount == 0:
        return ref
    here = juz_of(ref)
    start = _JUZ_START_INDEX[here - 1]
    position = Fraction(here - 1) + Fraction(ref.index - start, _juz_length(here)) + amount
    whole = math.floor(position)
    target_juz = whole % JUZ_COUNT + 1
    offset = math.ceil((position - whole) * _juz_length(target_juz))
    index = _JUZ_START_INDEX[target_juz - 1] + offset
    return Ref.from_index((index - 1) % TOTAL_AYAHS + 1)


def _juz_length(juz: int) -> int:
    end = _JUZ_START_INDEX[juz] if juz < JUZ_COUNT else TOTAL_AYAHS + 1
    return end - _JUZ_START_INDEX[juz - 1]


# --- Words ---------------------------------------------------------------------------------------------


def describe_range(first: Ref, last: Ref) -> str:
    """A reading portion in words, e.g. "Al-Baqarah 142 – 176, hal. 22–26, juz 2".

    A portion that runs through the khatam (`last` before `first`) is described as its two halves,
    "An-Nas 1 – 6, hal. 604, juz 30; Al-Fatihah 1 – 7, hal. 1, juz 1".
    """
    if last < first:
        an_nas_end = Ref(SURAH_COUNT, _AYAH_COUNTS[-1])
        return f"{describe_range(first, an_nas_end)}; {describe_range(Ref(1, 1), last)}"
    if first.surah == last.surah:
        name = _NAMES[first.surah - 1]
        ayahs = f"{name} {first.ayah}" if first == last else f"{name} {first.ayah} – {last.ayah}"
    else:
        ayahs = f"{_NAMES[first.surah - 1]} {first.ayah} – {_NAMES[last.surah - 1]} {last.ayah}"
    pages = _span(page_of(first), page_of(last))
    juz = _span(juz_of(first), juz_of(last))
    return f"{ayahs}, hal. {pages}, juz {juz}"


def _span(a: int, b: int) -> str:
    return str(a) if a == b else f"{a}–{b}"


def as_json() -> dict[str, Any]:
    """The whole structure as plain data (what `perjumpaan quran --json` prints)."""
    return {
        "surahs": [
            {
                "number": s.number,
                "name": s.name,
                "meaning": s.meaning,
                "ayah_count": s.ayah_count,
                "revelation": s.revelation,
            }
            for s in SURAHS
        ],
        "juz_starts": [
            {"juz": n, "surah": r.surah, "ayah": r.ayah} for n, r in enumerate(JUZ_STARTS, start=1)
        ],
        "page_starts": [
            {"page": n, "surah": r.surah, "ayah": r.ayah} for n, r in enumerate(PAGE_STARTS, start=1)
        ],
        "sajdah": [{"surah": s.ref.surah, "ayah": s.ref.ayah, "kind": s.kind} for s in SAJDAHS],
    }


def ref_as_json(ref: Ref) -> dict[str, Any]:
    return {
        "surah": ref.surah,
        "ayah": ref.ayah,
        "name": _NAMES[ref.surah - 1],
        "juz": juz_of(ref),
        "page": page_of(ref),
        "index": ref.index,
    }


# --- Loading and checking the data ---------------------------------------------------------------------


def _load() -> dict[str, Any]:
    text = resources.files("perjumpaan.tadarus").joinpath("data/quran.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _check(condition: bool, problem: str) -> None:
    if not condition:
        raise QuranDataError(f"tadarus/data/quran.json: {problem}")


def _surahs(rows: list[list[Any]]) -> tuple[Surah, ...]:
    _check(len(rows) == SURAH_COUNT, f"{len(rows)} surahs instead of {SURAH_COUNT}")
    surahs: list[Surah] = []
    first_index = 1
    for position, (number, name, meaning, ayah_count, revelation) in enumerate(rows, start=1):
        _check(number == position, f"surah {number} is in place {position}")
        _check(revelation in ("makkiyah", "madaniyah"), f"surah {number} revelation {revelation!r}")
        _check(isinstance(ayah_count, int) and ayah_count > 0, f"surah {number} ayah count {ayah_count!r}")
        _check(bool(name) and bool(meaning), f"surah {number} has no name or meaning")
        surahs.append(Surah(number, name, meaning, ayah_count, revelation, first_index))
        first_index += ayah_count
    _check(first_index - 1 == TOTAL_AYAHS, f"{first_index - 1} ayahs instead of {TOTAL_AYAHS}")
    return tuple(surahs)


def _starts(rows: list[list[int]], count: int, what: str) -> tuple[Ref, ...]:
    _check(len(rows) == count, f"{len(rows)} {what} starts instead of {count}")
    try:
        refs = tuple(Ref(surah, ayah) for surah, ayah in rows)
    except QuranRefError as error:
        raise QuranDataError(f"tadarus/data/quran.json: a {what} start does not exist ({error})") from None
    _check(refs[0] == Ref(1, 1), f"the first {what} does not start at 1:1")
    _check(all(a < b for a, b in itertools.pairwise(refs)), f"{what} starts are not increasing")
    return refs


_DATA = _load()
SURAHS = _surahs(_DATA["surahs"])
_AYAH_COUNTS = [s.ayah_count for s in SURAHS]
_NAMES = [s.name for s in SURAHS]
_SURAH_FIRST_INDEX = [s.first_index for s in SURAHS]
JUZ_STARTS = _starts(_DATA["juz_starts"], JUZ_COUNT, "juz")
PAGE_STARTS = _starts(_DATA["page_starts"], PAGE_COUNT, "page")
_JUZ_START_INDEX = [r.index for r in JUZ_STARTS]
_PAGE_START_INDEX = [r.index for r in PAGE_STARTS]
_check(len(_DATA["sajdah"]) == SAJDAH_COUNT, f"{len(_DATA['sajdah'])} sajdah ayahs instead of {SAJDAH_COUNT}")
SAJDAHS = tuple(Sajdah(Ref(s, a), kind) for s, a, kind in _DATA["sajdah"])
_check(all(s.kind in ("recommended", "obligatory") for s in SAJDAHS), "unknown sajdah kind")
_check(all(a.ref < b.ref for a, b in itertools.pairwise(SAJDAHS)), "sajdah not in order")
del _DATA
