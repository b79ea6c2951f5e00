"""The Quran structure in `perjumpaan.tadarus.quran`: facts, position arithmetic and the `quran` command.

The packaged data (tadarus/data/quran.json) was typed from Tanzil's Quran Metadata 1.0. The tests below
compare it with a second source typed separately into this file, so a typing slip in either would show:

- quran/quran_android (the Quran for Android app by quran.com), file
  common/data/src/main/java/com/quran/data/pageinfo/common/MadaniDataSource.kt at commit
  0750117ffee11a4ddc8fa113fb4459b5984630f7: `numberOfAyahsForSuraArray`, `isMakkiBySuraArray`,
  `pageForSuraArray`, `pageForJuzArray`, `suraForPageArray` + `ayahForPageArray` (all 604 page starts)
  and `quartersArray` (every eighth quarter is the start of a juz). That app draws the King Fahd
  Complex page images, so its page table is checked against the printed mushaf by its readers.
"""

from __future__ import annotations

import io
import itertools
import json
import subprocess
import sys
from fractions import Fraction

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase
from hypothesis import example, given, settings
from hypothesis import strategies as st

from perjumpaan.tadarus import quran
from perjumpaan.tadarus.quran import Ref

# Deterministic, as the style guide asks of tests, and without an example database.
PROPERTY = settings(derandomize=True, database=None, deadline=None, max_examples=100)

indices = st.integers(min_value=1, max_value=quran.TOTAL_AYAHS)
refs = indices.map(Ref.from_index)

# --- Second source: quran/quran_android MadaniDataSource.kt (see the module docstring) -----------------

# fmt: off
ANDROID_AYAH_COUNTS = [
    7, 286, 200, 176, 120, 165, 206, 75, 129, 109, 123, 111, 43, 52,
    99, 128, 111, 110, 98, 135, 112, 78, 118, 64, 77, 227, 93, 88,
    69, 60, 34, 30, 73, 54, 45, 83, 182, 88, 75, 85, 54, 53,
    89, 59, 37, 35, 38, 29, 18, 45, 60, 49, 62, 55, 78, 96,
    29, 22, 24, 13, 14, 11, 11, 18, 12, 12, 30, 52, 52, 44,
    28, 28, 20, 56, 40, 31, 50, 40, 46, 42, 29, 19, 36, 25,
    22, 17, 19, 26, 30, 20, 15, 21, 11, 8, 8, 19, 5, 8,
    8, 11, 11, 8, 3, 9, 5, 4, 7, 3, 6, 3, 5, 4, 5, 6,
]
ANDROID_IS_MAKKI = [
    True, False, False, False, False, True, True, False, False, True,
    True, True, False, True, True, True, True, True, True, True,
    True, False, True, False, True, True, True, True, True, True,
    True, True, False, True, True, True, True, True, True, True,
    True, True, True, True, True, True, False, False, False, True,
    True, True, True, True, False, True, False, False, False, False,
    False, False, False, False, False, False, True, True, True, True,
    True, True, True, True, True, False, True, True, True, True,
    True, True, True, True, True, True, True, True, True, True,
    True, True, True, True, True, True, True, False, False, True,
    True, True, True, True, True, True, True, True, True, False,
    True, True, True, True,
]
ANDROID_SURA_PAGE_START = [
    1, 2, 50, 77, 106, 128, 151, 177, 187, 208,
    221, 235, 249, 255, 262, 267, 282, 293, 305, 312,
    322, 332, 342, 350, 359, 367, 377, 385, 396, 404,
    411, 415, 418, 428, 434, 440, 446, 453, 458, 467,
    477, 483, 489, 496, 499, 502, 507, 511, 515, 518,
    520, 523, 526, 528, 531, 534, 537, 542, 545, 549,
    551, 553, 554, 556, 558, 560, 562, 564, 566, 568,
    570, 572, 574, 575, 577, 578, 580, 582, 583, 585,
    586, 587, 587, 589, 590, 591, 591, 592, 593, 594,
    595, 595, 596, 596, 597, 597, 598, 598, 599, 599,
    600, 600, 601, 601, 601, 602, 602, 602, 603, 603,
    603, 604, 604, 604,
]
ANDROID_JUZ_PAGE_START = [
    1, 22, 42, 62, 82, 102, 121, 142, 162, 182,
    201, 222, 242, 262, 282, 302, 322, 342, 362, 382,
    402, 422, 442, 462, 482, 502, 522, 542, 562, 582,
]
ANDROID_JUZ_STARTS = [  # quartersArray[0], [8], [16], ...: the first quarter of every juz
    (1, 1), (2, 142), (2, 253), (3, 93), (4, 24), (4, 148), (5, 82), (6, 111), (7, 88), (8, 41),
    (9, 93), (11, 6), (12, 53), (15, 1), (17, 1), (18, 75), (21, 1), (23, 1), (25, 21), (27, 56),
    (29, 46), (33, 31), (36, 28), (39, 32), (41, 47), (46, 1), (51, 31), (58, 1), (67, 1), (78, 1),
]
ANDROID_PAGE_SURA = [
    1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7,
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 8, 8, 8, 8,
    8, 8, 8, 8, 8, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 11, 11, 11, 11, 11, 11, 11,
    11, 11, 11, 11, 11, 11, 11, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    13, 13, 13, 13, 13, 13, 13, 14, 14, 14, 14, 14, 14, 15, 15, 15, 15, 15, 15, 16,
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 17, 17, 17, 17, 17, 17, 17,
    17, 17, 17, 17, 17, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 19, 19, 19, 19,
    19, 19, 19, 19, 20, 20, 20, 20, 20, 20, 20, 20, 20, 21, 21, 21, 21, 21, 21, 21,
    21, 21, 21, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 23, 23, 23, 23, 23, 23, 23,
    23, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 25, 25, 25, 25, 25, 25, 25, 26, 26,
    26, 26, 26, 26, 26, 26, 26, 26, 27, 27, 27, 27, 27, 27, 27, 27, 27, 28, 28, 28,
    28, 28, 28, 28, 28, 28, 28, 28, 29, 29, 29, 29, 29, 29, 29, 29, 30, 30, 30, 30,
    30, 30, 31, 31, 31, 31, 32, 32, 32, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 34,
    34, 34, 34, 34, 34, 34, 35, 35, 35, 35, 35, 35, 36, 36, 36, 36, 36, 37, 37, 37,
    37, 37, 37, 37, 38, 38, 38, 38, 38, 38, 39, 39, 39, 39, 39, 39, 39, 39, 39, 40,
    40, 40, 40, 40, 40, 40, 40, 40, 41, 41, 41, 41, 41, 41, 42, 42, 42, 42, 42, 42,
    42, 43, 43, 43, 43, 43, 43, 44, 44, 44, 45, 45, 45, 45, 46, 46, 46, 46, 47, 47,
    47, 47, 48, 48, 48, 48, 48, 49, 49, 50, 50, 50, 51, 51, 51, 52, 52, 53, 53, 53,
    54, 54, 54, 55, 55, 55, 56, 56, 56, 57, 57, 57, 57, 58, 58, 58, 58, 59, 59, 59,
    60, 60, 60, 61, 62, 62, 63, 64, 64, 65, 65, 66, 66, 67, 67, 67, 68, 68, 69, 69,
    70, 70, 71, 72, 72, 73, 73, 74, 74, 75, 76, 76, 77, 78, 78, 79, 80, 81, 82, 83,
    83, 85, 86, 87, 89, 89, 91, 92, 95, 97, 98, 100, 103, 106, 109, 112,
]
ANDROID_PAGE_AYAH = [
    1, 1, 6, 17, 25, 30, 38, 49, 58, 62, 70, 77, 84, 89,
    94, 102, 106, 113, 120, 127, 135, 142, 146, 154, 164, 170, 177, 182,
    187, 191, 197, 203, 211, 216, 220, 225, 231, 234, 238, 246, 249, 253,
    257, 260, 265, 270, 275, 282, 283, 1, 10, 16, 23, 30, 38, 46,
    53, 62, 71, 78, 84, 92, 101, 109, 116, 122, 133, 141, 149, 154,
    158, 166, 174, 181, 187, 195, 1, 7, 12, 15, 20, 24, 27, 34,
    38, 45, 52, 60, 66, 75, 80, 87, 92, 95, 102, 106, 114, 122,
    128, 135, 141, 148, 155, 163, 171, 176, 3, 6, 10, 14, 18, 24,
    32, 37, 42, 46, 51, 58, 65, 71, 77, 83, 90, 96, 104, 109,
    114, 1, 9, 19, 28, 36, 45, 53, 60, 69, 74, 82, 91, 95,
    102, 111, 119, 125, 132, 138, 143, 147, 152, 158, 1, 12, 23, 31,
    38, 44, 52, 58, 68, 74, 82, 88, 96, 105, 121, 131, 138, 144,
    150, 156, 160, 164, 171, 179, 188, 196, 1, 9, 17, 26, 34, 41,
    46, 53, 62, 70, 1, 7, 14, 21, 27, 32, 37, 41, 48, 55,
    62, 69, 73, 80, 87, 94, 100, 107, 112, 118, 123, 1, 7, 15,
    21, 26, 34, 43, 54, 62, 71, 79, 89, 98, 107, 6, 13, 20,
    29, 38, 46, 54, 63, 72, 82, 89, 98, 109, 118, 5, 15, 23,
    31, 38, 44, 53, 64, 70, 79, 87, 96, 104, 1, 6, 14, 19,
    29, 35, 43, 6, 11, 19, 25, 34, 43, 1, 16, 32, 52, 71,
    91, 7, 15, 27, 35, 43, 55, 65, 73, 80, 88, 94, 103, 111,
    119, 1, 8, 18, 28, 39, 50, 59, 67, 76, 87, 97, 105, 5,
    16, 21, 28, 35, 46, 54, 62, 75, 84, 98, 1, 12, 26, 39,
    52, 65, 77, 96, 13, 38, 52, 65, 77, 88, 99, 114, 126, 1,
    11, 25, 36, 45, 58, 73, 82, 91, 102, 1, 6, 16, 24, 31,
    39, 47, 56, 65, 73, 1, 18, 28, 43, 60, 75, 90, 105, 1,
    11, 21, 28, 32, 37, 44, 54, 59, 62, 3, 12, 21, 33, 44,
    56, 68, 1, 20, 40, 61, 84, 112, 137, 160, 184, 207, 1, 14,
    23, 36, 45, 56, 64, 77, 89, 6, 14, 22, 29, 36, 44, 51,
    60, 71, 78, 85, 7, 15, 24, 31, 39, 46, 53, 64, 6, 16,
    25, 33, 42, 51, 1, 12, 20, 29, 1, 12, 21, 1, 7, 16,
    23, 31, 36, 44, 51, 55, 63, 1, 8, 15, 23, 32, 40, 49,
    4, 12, 19, 31, 39, 45, 13, 28, 41, 55, 71, 1, 25, 52,
    77, 103, 127, 154, 1, 17, 27, 43, 62, 84, 6, 11, 22, 32,
    41, 48, 57, 68, 75, 8, 17, 26, 34, 41, 50, 59, 67, 78,
    1, 12, 21, 30, 39, 47, 1, 11, 16, 23, 32, 45, 52, 11,
    23, 34, 48, 61, 74, 1, 19, 40, 1, 14, 23, 33, 6, 15,
    21, 29, 1, 12, 20, 30, 1, 10, 16, 24, 29, 5, 12, 1,
    16, 36, 7, 31, 52, 15, 32, 1, 27, 45, 7, 28, 50, 17,
    41, 68, 17, 51, 77, 4, 12, 19, 25, 1, 7, 12, 22, 4,
    10, 17, 1, 6, 12, 6, 1, 9, 5, 1, 10, 1, 6, 1,
    8, 1, 13, 27, 16, 43, 9, 35, 11, 40, 11, 1, 14, 1,
    20, 18, 48, 20, 6, 26, 20, 1, 31, 16, 1, 1, 1, 7,
    35, 1, 1, 16, 1, 24, 1, 15, 1, 1, 8, 10, 1, 1,
    1, 1,
]
# fmt: on


class SecondSourceTests(SimpleTestCase):
    def test_every_ayah_count_agrees_with_quran_android(self) -> None:
        self.assertEqual([s.ayah_count for s in quran.SURAHS], ANDROID_AYAH_COUNTS)

    def test_every_makkiyah_and_madaniyah_agrees_with_quran_android(self) -> None:
        self.assertEqual([s.revelation == "makkiyah" for s in quran.SURAHS], ANDROID_IS_MAKKI)

    def test_all_604_page_starts_agree_with_quran_android(self) -> None:
        android = [Ref(s, a) for s, a in zip(ANDROID_PAGE_SURA, ANDROID_PAGE_AYAH, strict=True)]
        self.assertEqual(list(quran.PAGE_STARTS), android)

    def test_the_30_juz_starts_agree_with_quran_android_s_quarters(self) -> None:
        self.assertEqual(list(quran.JUZ_STARTS), [Ref(s, a) for s, a in ANDROID_JUZ_STARTS])

    def test_every_surah_begins_on_the_page_quran_android_gives(self) -> None:
        self.assertEqual([quran.page_of(Ref(n, 1)) for n in range(1, 115)], ANDROID_SURA_PAGE_START)

    def test_every_juz_begins_on_the_page_quran_android_gives(self) -> None:
        self.assertEqual([quran.page_of(start) for start in quran.JUZ_STARTS], ANDROID_JUZ_PAGE_START)
        # Juz 7 and 11 begin with the last ayah of pages 121 and 201, which is why quran_android shows
        # those pages as juz 6 and 10 (its juzDisplayPageArrayOverride {121: 6, 201: 10}).
        self.assertEqual(quran.page_bounds(121)[1], quran.JUZ_STARTS[6])
        self.assertEqual(quran.page_bounds(201)[1], quran.JUZ_STARTS[10])

    def test_the_global_number_of_17_109_matches_alquran_cloud(self) -> None:
        # alquran.cloud's sajda endpoint numbers Al-Isra' 109 as ayah 2138 of the whole Quran.
        self.assertEqual(Ref(17, 109).index, 2138)


class StructureTests(SimpleTestCase):
    def test_the_totals_are_those_of_the_mushaf(self) -> None:
        self.assertEqual(len(quran.SURAHS), 114)
        self.assertEqual(sum(s.ayah_count for s in quran.SURAHS), 6236)
        self.assertEqual(len(quran.JUZ_STARTS), 30)
        self.assertEqual(len(quran.PAGE_STARTS), 604)
        self.assertEqual(len(quran.SAJDAHS), 15)

    def test_names_are_written_as_in_indonesia(self) -> None:
        names = {n: quran.surah(n).name for n in (1, 2, 3, 4, 5, 36, 55, 112, 114)}
        self.assertEqual(
            names,
            {
                1: "Al-Fatihah",
                2: "Al-Baqarah",
                3: "Ali 'Imran",
                4: "An-Nisa'",
                5: "Al-Ma'idah",
                36: "Yasin",
                55: "Ar-Rahman",
                112: "Al-Ikhlas",
                114: "An-Nas",
            },
        )
        self.assertEqual(
            [quran.surah(n).meaning for n in (1, 2, 3)], ["Pembukaan", "Sapi Betina", "Keluarga Imran"]
        )

    def test_every_juz_and_page_start_lies_inside_its_surah(self) -> None:
        for start in (*quran.JUZ_STARTS, *quran.PAGE_STARTS):
            self.assertTrue(1 <= start.ayah <= quran.surah(start.surah).ayah_count, start)

    def test_consecutive_ayahs_never_skip_a_page_or_a_juz(self) -> None:
        pages, juz = [], []
        for index in range(1, quran.TOTAL_AYAHS + 1):
            ref = Ref.from_index(index)
            pages.append(quran.page_of(ref))
            juz.append(quran.juz_of(ref))
        self.assertEqual(sorted(set(pages)), list(range(1, 605)))
        self.assertEqual(sorted(set(juz)), list(range(1, 31)))
        for series in (pages, juz):
            self.assertTrue(all(b - a in (0, 1) for a, b in itertools.pairwise(series)))

    def test_bounds_of_a_page_and_a_juz(self) -> None:
        self.assertEqual(quran.page_bounds(22), (Ref(2, 142), Ref(2, 145)))
        self.assertEqual(quran.page_bounds(604), (Ref(112, 1), Ref(114, 6)))
        self.assertEqual(quran.juz_bounds(1), (Ref(1, 1), Ref(2, 141)))
        self.assertEqual(quran.juz_bounds(30), (Ref(78, 1), Ref(114, 6)))
        with self.assertRaisesMessage(quran.QuranRefError, "Halaman 605 tidak ada"):
            quran.page_bounds(605)
        with self.assertRaisesMessage(quran.QuranRefError, "Juz 0 tidak ada"):
            quran.juz_bounds(0)

    def test_the_sajdah_ayahs_are_the_common_fifteen(self) -> None:
        self.assertEqual(
            [str(s.ref) for s in quran.SAJDAHS],
            [
                "7:206",
                "13:15",
                "16:50",
                "17:109",
                "19:58",
                "22:18",
                "22:77",
                "25:60",
                "27:26",
                "32:15",
                "38:24",
                "41:38",
                "53:62",
                "84:21",
                "96:19",
            ],
        )
        obligatory = [str(s.ref) for s in quran.SAJDAHS if s.kind == "obligatory"]
        self.assertEqual(obligatory, ["32:15", "41:38", "53:62", "96:19"])

    def test_it_finds_the_sajdah_in_a_portion(self) -> None:
        self.assertEqual([str(s.ref) for s in quran.sajdahs_between(Ref(96, 1), Ref(96, 19))], ["96:19"])
        self.assertEqual(quran.sajdahs_between(Ref(96, 1), Ref(96, 18)), [])
        through_khatam = quran.sajdahs_between(Ref(84, 1), Ref(1, 7))
        self.assertEqual([str(s.ref) for s in through_khatam], ["84:21", "96:19"])

    def test_a_damaged_data_file_is_refused(self) -> None:
        rows = [[2, 1], [1, 1]] + [[3, n] for n in range(1, 603)]
        with self.assertRaisesMessage(quran.QuranDataError, "page"):
            quran._starts(rows, quran.PAGE_COUNT, "page")
        with self.assertRaisesMessage(quran.QuranDataError, "does not exist"):
            quran._starts([[1, 1], [2, 300]], 2, "juz")
        short = [[1, "Al-Fatihah", "Pembukaan", 7, "makkiyah"]]
        with self.assertRaisesMessage(quran.QuranDataError, "1 surahs instead of 114"):
            quran._surahs(short)


class RefTests(SimpleTestCase):
    def test_it_parses_and_prints_surah_colon_ayah(self) -> None:
        self.assertEqual(Ref.parse("2:142"), Ref(2, 142))
        self.assertEqual(Ref.parse(" 36 : 1 "), Ref(36, 1))
        self.assertEqual(str(Ref(2, 142)), "2:142")

    def test_refs_order_as_in_the_mushaf(self) -> None:
        self.assertLess(Ref(2, 286), Ref(3, 1))
        self.assertLess(Ref(2, 9), Ref(2, 10))
        self.assertEqual(sorted([Ref(114, 1), Ref(1, 7), Ref(2, 1)]), [Ref(1, 7), Ref(2, 1), Ref(114, 1)])

    def test_it_refuses_an_ayah_the_surah_does_not_have(self) -> None:
        with self.assertRaises(quran.QuranRefError) as caught:
            Ref(2, 300)
        expected = quran.NO_SUCH_AYAH.format(name="Al-Baqarah", surah=2, count=286, ayah=300)
        self.assertEqual(str(caught.exception), expected)

    def test_it_refuses_a_surah_that_does_not_exist(self) -> None:
        for surah in (0, 115):
            with self.assertRaisesMessage(quran.QuranRefError, quran.NO_SUCH_SURAH.format(surah=surah)):
                Ref(surah, 1)

    def test_it_refuses_text_that_is_not_a_ref(self) -> None:
        for text in ("abc", "2", "2:", ":5", "2-142", "2:1:1", "-1:1", ""):
            with self.assertRaisesMessage(quran.QuranRefError, "bukan rujukan ayat"):
                Ref.parse(text)

    def test_it_refuses_numbers_that_are_not_whole(self) -> None:
        with self.assertRaisesMessage(quran.QuranRefError, quran.BAD_NUMBER):
            Ref(2.0, 1)  # type: ignore[arg-type]
        with self.assertRaisesMessage(quran.QuranRefError, quran.BAD_NUMBER):
            Ref(True, 1)

    def test_it_refuses_an_index_outside_the_mushaf(self) -> None:
        for index in (0, 6237):
            with self.assertRaisesMessage(quran.QuranRefError, quran.NO_SUCH_INDEX.format(index=index)):
                Ref.from_index(index)

    def test_the_ends_of_the_mushaf_have_the_first_and_last_index(self) -> None:
        self.assertEqual(Ref(1, 1).index, 1)
        self.assertEqual(Ref(2, 1).index, 8)
        self.assertEqual(Ref(114, 6).index, 6236)
        self.assertEqual(Ref(2, 142).index, 149)

    def test_every_index_maps_to_a_distinct_ref_in_order(self) -> None:
        all_refs = [Ref.from_index(i) for i in range(1, quran.TOTAL_AYAHS + 1)]
        self.assertEqual(len(set(all_refs)), quran.TOTAL_AYAHS)
        self.assertEqual(all_refs, sorted(all_refs))

    @PROPERTY
    @given(indices)
    def test_an_index_goes_to_a_ref_and_back(self, index: int) -> None:
        self.assertEqual(Ref.from_index(index).index, index)

    @PROPERTY
    @given(
        st.integers(1, 114).flatmap(
            lambda s: st.tuples(st.just(s), st.integers(1, quran.surah(s).ayah_count))
        )
    )
    def test_a_ref_goes_to_an_index_and_back(self, pair: tuple[int, int]) -> None:
        ref = Ref(*pair)
        self.assertEqual(Ref.from_index(ref.index), ref)

    @PROPERTY
    @given(indices, indices)
    def test_page_and_juz_never_go_down_as_the_index_goes_up(self, i: int, j: int) -> None:
        a, b = Ref.from_index(min(i, j)), Ref.from_index(max(i, j))
        self.assertLessEqual(quran.page_of(a), quran.page_of(b))
        self.assertLessEqual(quran.juz_of(a), quran.juz_of(b))


class PageAndJuzTests(SimpleTestCase):
    def test_the_pages_and_juz_of_known_ayahs(self) -> None:
        # Page starts checked against the second source above: page 22 starts at 2:142, page 27 at 2:177.
        self.assertEqual((quran.page_of(Ref(2, 142)), quran.juz_of(Ref(2, 142))), (22, 2))
        self.assertEqual((quran.page_of(Ref(2, 176)), quran.juz_of(Ref(2, 176))), (26, 2))
        self.assertEqual((quran.page_of(Ref(2, 141)), quran.juz_of(Ref(2, 141))), (21, 1))
        self.assertEqual((quran.page_of(Ref(1, 7)), quran.page_of(Ref(2, 1))), (1, 2))
        self.assertEqual((quran.page_of(Ref(114, 6)), quran.juz_of(Ref(114, 6))), (604, 30))
        self.assertEqual((quran.page_of(Ref(36, 1)), quran.juz_of(Ref(36, 1))), (440, 22))


class AdvanceTests(SimpleTestCase):
    def test_advancing_goes_round_after_an_nas(self) -> None:
        self.assertEqual(quran.advance(Ref(114, 5), 1), Ref(114, 6))
        self.assertEqual(quran.advance(Ref(114, 6), 1), Ref(1, 1))
        self.assertEqual(quran.advance(Ref(114, 6), 8), Ref(2, 1))
        self.assertEqual(quran.advance(Ref(1, 1), -1), Ref(114, 6))
        self.assertEqual(quran.advance(Ref(2, 142), quran.TOTAL_AYAHS), Ref(2, 142))

    def test_a_portion_spans_its_ayahs_inclusive(self) -> None:
        self.assertEqual(quran.portion(Ref(2, 142), 35), (Ref(2, 142), Ref(2, 176)))
        self.assertEqual(quran.portion(Ref(114, 5), 4), (Ref(114, 5), Ref(1, 2)))
        with self.assertRaises(ValueError):
            quran.portion(Ref(1, 1), 0)

    @settings(PROPERTY, max_examples=40)
    @example(start=6230, k=7, rounds=2)  # a portion that runs from An-Nas into Al-Fatihah
    @example(start=1, k=1, rounds=1)
    @given(indices, st.integers(min_value=1, max_value=800), st.integers(min_value=1, max_value=3))
    def test_portions_of_k_ayahs_cover_every_ayah_once_per_khatam(
        self, start: int, k: int, rounds: int
    ) -> None:
        seen: list[int] = []
        here = Ref.from_index(start)
        while len(seen) < rounds * quran.TOTAL_AYAHS:
            first, last = quran.portion(here, k)
            seen.extend(_indices_between(first, last))
            here = quran.advance(last, 1)
        expected = [(start - 1 + n) % quran.TOTAL_AYAHS + 1 for n in range(len(seen))]
        self.assertEqual(seen, expected)  # no ayah skipped or repeated, in order, across the khatam
        counts = [0] * (quran.TOTAL_AYAHS + 1)
        for index in seen[: rounds * quran.TOTAL_AYAHS]:
            counts[index] += 1
        self.assertEqual(set(counts[1:]), {rounds})

    def test_advancing_by_pages_resumes_at_a_page_start(self) -> None:
        self.assertEqual(quran.advance_pages(Ref(2, 142), 1), Ref(2, 146))
        self.assertEqual(quran.advance_pages(Ref(2, 144), 1), Ref(2, 146))  # finishing page 22 is one page
        self.assertEqual(quran.advance_pages(Ref(2, 142), 5), Ref(2, 177))
        self.assertEqual(quran.advance_pages(Ref(112, 1), 1), Ref(1, 1))
        self.assertEqual(quran.advance_pages(Ref(2, 144), 0), Ref(2, 144))
        self.assertEqual(quran.advance_pages(Ref(2, 142), 604), Ref(2, 142))

    @PROPERTY
    @given(refs, st.integers(min_value=1, max_value=1300))
    def test_advancing_n_pages_lands_on_the_start_of_the_nth_page_after(self, ref: Ref, n: int) -> None:
        after = quran.advance_pages(ref, n)
        page = (quran.page_of(ref) - 1 + n) % quran.PAGE_COUNT + 1
        self.assertEqual(after, quran.page_bounds(page)[0])

    def test_advancing_by_whole_juz_lands_on_juz_starts(self) -> None:
        self.assertEqual(quran.advance_juz(Ref(1, 1), 1), Ref(2, 142))
        self.assertEqual(quran.advance_juz(Ref(2, 142), 28), Ref(78, 1))
        self.assertEqual(quran.advance_juz(Ref(78, 1), 1), Ref(1, 1))
        self.assertEqual(quran.advance_juz(Ref(2, 142), 30), Ref(2, 142))
        self.assertEqual(quran.advance_juz(Ref(2, 142), -1), Ref(1, 1))
        for juz in range(1, 31):
            start = quran.juz_bounds(juz)[0]
            self.assertEqual(quran.advance_juz(start, Fraction(4, 4)), quran.juz_bounds(juz % 30 + 1)[0])

    def test_advancing_half_a_juz_lands_halfway_through_its_ayahs(self) -> None:
        # Juz 1 has 148 ayahs (1:1 to 2:141): half is 74 ayahs on, index 75, which is 2:68.
        self.assertEqual(quran.advance_juz(Ref(1, 1), Fraction(1, 2)), Ref.from_index(75))
        self.assertEqual(Ref.from_index(75), Ref(2, 68))

    @PROPERTY
    @given(refs, st.fractions(min_value=Fraction(1, 1000), max_value=1))
    def test_any_positive_part_of_a_juz_moves_forward_by_at_most_about_a_juz(
        self, ref: Ref, amount: Fraction
    ) -> None:
        after = quran.advance_juz(ref, amount)
        moved = (after.index - ref.index) % quran.TOTAL_AYAHS
        longest = max(quran.juz_bounds(j)[1].index - quran.juz_bounds(j)[0].index + 1 for j in range(1, 31))
        self.assertGreaterEqual(moved, 1)
        self.assertLessEqual(moved, longest)

    @PROPERTY
    @given(st.fractions(min_value=0, max_value=30), st.fractions(min_value=0, max_value=30))
    def test_advancing_further_from_the_same_start_never_lands_earlier(
        self, a: Fraction, b: Fraction
    ) -> None:
        def ayahs_read(amount: Fraction) -> int:
            after = quran.advance_juz(Ref(1, 1), amount)
            # Landing back on 1:1 after a positive amount means the whole khatam was read.
            return quran.TOTAL_AYAHS if amount > 0 and after == Ref(1, 1) else after.index - 1

        self.assertLessEqual(ayahs_read(min(a, b)), ayahs_read(max(a, b)))


class DescribeRangeTests(SimpleTestCase):
    def test_a_portion_within_one_surah(self) -> None:
        self.assertEqual(
            quran.describe_range(Ref(2, 142), Ref(2, 176)), "Al-Baqarah 142 – 176, hal. 22–26, juz 2"
        )

    def test_a_portion_across_two_surahs(self) -> None:
        self.assertEqual(
            quran.describe_range(Ref(1, 1), Ref(2, 5)), "Al-Fatihah 1 – Al-Baqarah 5, hal. 1–2, juz 1"
        )

    def test_a_portion_on_one_page(self) -> None:
        self.assertEqual(
            quran.describe_range(Ref(2, 142), Ref(2, 145)), "Al-Baqarah 142 – 145, hal. 22, juz 2"
        )

    def test_a_single_ayah(self) -> None:
        self.assertEqual(quran.describe_range(Ref(2, 255), Ref(2, 255)), "Al-Baqarah 255, hal. 42, juz 3")

    def test_a_portion_across_two_juz(self) -> None:
        self.assertEqual(
            quran.describe_range(Ref(2, 135), Ref(2, 145)), "Al-Baqarah 135 – 145, hal. 21–22, juz 1–2"
        )

    def test_a_portion_through_the_khatam_is_told_in_two_halves(self) -> None:
        self.assertEqual(
            quran.describe_range(Ref(114, 1), Ref(1, 7)),
            "An-Nas 1 – 6, hal. 604, juz 30; Al-Fatihah 1 – 7, hal. 1, juz 1",
        )


class QuranCommandTests(SimpleTestCase):
    def run_command(self, *args: str) -> str:
        out = io.StringIO()
        call_command("quran", *args, stdout=out)
        return out.getvalue()

    def test_it_prints_the_whole_structure_as_json(self) -> None:
        data = json.loads(self.run_command("--json"))
        self.assertEqual(set(data), {"surahs", "juz_starts", "page_starts", "sajdah"})
        self.assertEqual(len(data["surahs"]), 114)
        self.assertEqual(sum(s["ayah_count"] for s in data["surahs"]), 6236)
        self.assertEqual(
            data["surahs"][1],
            {
                "number": 2,
                "name": "Al-Baqarah",
                "meaning": "Sapi Betina",
                "ayah_count": 286,
                "revelation": "madaniyah",
            },
        )
        self.assertEqual(data["juz_starts"][1], {"juz": 2, "surah": 2, "ayah": 142})
        self.assertEqual(len(data["juz_starts"]), 30)
        self.assertEqual(data["page_starts"][21], {"page": 22, "surah": 2, "ayah": 142})
        self.assertEqual(len(data["page_starts"]), 604)
        self.assertEqual(data["sajdah"][0], {"surah": 7, "ayah": 206, "kind": "recommended"})
        self.assertEqual(len(data["sajdah"]), 15)

    def test_it_tells_where_an_ayah_is(self) -> None:
        line = self.run_command("--ref", "2:142")
        self.assertIn("Al-Baqarah", line)
        self.assertIn("juz 2", line)
        self.assertIn("hal. 22", line)

    def test_it_tells_where_an_ayah_is_as_json(self) -> None:
        data = json.loads(self.run_command("--ref", "2:142", "--json"))
        self.assertEqual(
            data, {"surah": 2, "ayah": 142, "name": "Al-Baqarah", "juz": 2, "page": 22, "index": 149}
        )

    def test_it_lists_the_surahs_without_options(self) -> None:
        lines = self.run_command().splitlines()
        self.assertEqual(len(lines), 115)
        self.assertIn("Al-Fatihah", lines[0])
        self.assertIn("6.236 ayat", lines[-1])

    def test_it_refuses_a_bad_ref_in_indonesian(self) -> None:
        cases = {
            "2:300": quran.NO_SUCH_AYAH.format(name="Al-Baqarah", surah=2, count=286, ayah=300),
            "115:1": quran.NO_SUCH_SURAH.format(surah=115),
            "abc": quran.BAD_REF_TEXT.format(text="abc"),
        }
        for text, message in cases.items():
            with self.assertRaises(CommandError) as caught:
                self.run_command("--ref", text)
            self.assertEqual(str(caught.exception), message)

    def test_the_console_script_fails_with_one_indonesian_line_and_a_non_zero_exit(self) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "perjumpaan", "quran", "--ref", "2:300"], capture_output=True, text=True
        )
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout, "")
        self.assertEqual(
            result.stderr.strip().splitlines(),
            [f"CommandError: {quran.NO_SUCH_AYAH}".format(name="Al-Baqarah", surah=2, count=286, ayah=300)],
        )


def _indices_between(first: Ref, last: Ref) -> list[int]:
    if first <= last:
        return list(range(first.index, last.index + 1))
    return [*range(first.index, quran.TOTAL_AYAHS + 1), *range(1, last.index + 1)]
