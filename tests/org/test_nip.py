"""NIP validation, rule by rule, and as properties over every NIP that can be built."""

from __future__ import annotations

import calendar
import datetime as dt

from django.test import SimpleTestCase
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from perjumpaan.org import nip as rules
from perjumpaan.org.nip import nip_compose, nip_problems

TODAY = dt.date(2026, 12, 4)
PROPERTY = settings(max_examples=200, derandomize=True, database=None, deadline=None)


def pns(nip: str, gender: str | None = None) -> list[str]:
    return nip_problems(nip, status="PNS", gender=gender, today=TODAY)


def pppk(nip: str, gender: str | None = None) -> list[str]:
    return nip_problems(nip, status="PPPK", gender=gender, today=TODAY)


class PnsNipTests(SimpleTestCase):
    def test_it_accepts_a_well_formed_nip_of_a_man(self) -> None:
        self.assertEqual(pns("197906122005011003", "L"), [])

    def test_it_accepts_a_well_formed_nip_of_a_woman(self) -> None:
        self.assertEqual(pns("198503202010032012", "P"), [])

    def test_it_refuses_a_nip_shorter_than_18_digits_and_says_how_long_it_is(self) -> None:
        self.assertEqual(pns("1979061220050110"), [rules.NOT_18_DIGITS.format(length=16)])

    def test_it_refuses_a_nip_longer_than_18_digits(self) -> None:
        self.assertEqual(pns("1979061220050110031"), [rules.NOT_18_DIGITS.format(length=19)])

    def test_it_refuses_an_empty_nip(self) -> None:
        self.assertEqual(pns(""), [rules.NOT_18_DIGITS.format(length=0)])

    def test_it_counts_characters_when_a_wrong_length_nip_also_has_spaces(self) -> None:
        self.assertEqual(pns("19790612 200501 1 003"), [rules.NOT_18_DIGITS.format(length=21)])

    def test_it_refuses_a_letter_in_an_18_character_nip(self) -> None:
        self.assertEqual(pns("19790612200501100A"), [rules.NOT_DIGITS])

    def test_it_refuses_digits_of_another_script(self) -> None:
        arabic_indic = "١٩٧٩٠٦١٢٢٠٠٥٠١١٠٠٣"
        self.assertEqual(len(arabic_indic), 18)
        self.assertEqual(pns(arabic_indic), [rules.NOT_DIGITS])

    def test_it_refuses_a_birth_month_13(self) -> None:
        self.assertIn(rules.BAD_BIRTH_DATE.format(value="19791312"), pns("197913122005011003"))

    def test_it_refuses_a_birth_month_00(self) -> None:
        self.assertIn(rules.BAD_BIRTH_DATE.format(value="19790012"), pns("197900122005011003"))

    def test_it_refuses_the_thirty_first_of_february(self) -> None:
        self.assertIn(rules.BAD_BIRTH_DATE.format(value="19790231"), pns("197902312005011003"))

    def test_it_refuses_a_birth_day_00(self) -> None:
        self.assertIn(rules.BAD_BIRTH_DATE.format(value="19790600"), pns("197906002005011003"))

    def test_it_accepts_the_29th_of_february_of_a_leap_year_only(self) -> None:
        self.assertEqual(pns("198002292005011003"), [])
        self.assertIn(rules.BAD_BIRTH_DATE.format(value="19790229"), pns("197902292005011003"))

    def test_it_refuses_a_birth_date_in_the_future(self) -> None:
        self.assertIn(rules.BAD_BIRTH_DATE.format(value="20270101"), pns("202701012026011003"))

    def test_it_refuses_a_tmt_month_13(self) -> None:
        self.assertEqual(pns("197906122005131003"), [rules.BAD_TMT.format(value="200513")])

    def test_it_refuses_a_tmt_month_00(self) -> None:
        self.assertEqual(pns("197906122005001003"), [rules.BAD_TMT.format(value="200500")])

    def test_it_refuses_a_tmt_year_before_1900(self) -> None:
        self.assertIn(rules.BAD_TMT.format(value="189901"), pns("197906121899011003"))

    def test_it_refuses_a_tmt_that_has_not_happened_yet(self) -> None:
        self.assertEqual(pns("197906122027011003"), [rules.TMT_IN_FUTURE.format(tmt="202701")])

    def test_it_accepts_a_tmt_in_the_current_month(self) -> None:
        self.assertEqual(pns("197906122026121003"), [])

    def test_it_refuses_a_tmt_before_the_eighteenth_birthday(self) -> None:
        self.assertEqual(
            pns("199006152008051003"),
            [rules.TMT_BEFORE_18.format(tmt="200805", birth=dt.date(2008, 6, 15))],
        )

    def test_it_accepts_a_tmt_in_the_month_of_the_eighteenth_birthday(self) -> None:
        self.assertEqual(pns("199006152008061003"), [])

    def test_it_takes_the_28th_of_february_as_the_eighteenth_birthday_of_a_leap_day_child(self) -> None:
        self.assertEqual(pns("200002292018021003"), [])
        self.assertEqual(
            pns("200002292018011003"),
            [rules.TMT_BEFORE_18.format(tmt="201801", birth=dt.date(2018, 2, 28))],
        )

    def test_it_refuses_a_gender_digit_other_than_1_or_2(self) -> None:
        self.assertEqual(pns("197906122005013003"), [rules.BAD_GENDER_DIGIT.format(digit="3")])
        self.assertEqual(pns("197906122005010003"), [rules.BAD_GENDER_DIGIT.format(digit="0")])

    def test_it_refuses_a_man_s_gender_digit_for_a_woman(self) -> None:
        self.assertEqual(
            pns("197906122005011003", "P"), [rules.GENDER_MISMATCH.format(digit="1", gender="perempuan")]
        )

    def test_it_refuses_a_woman_s_gender_digit_for_a_man(self) -> None:
        self.assertEqual(
            pns("198503202010032012", "L"), [rules.GENDER_MISMATCH.format(digit="2", gender="laki-laki")]
        )

    def test_it_does_not_compare_genders_when_none_is_given(self) -> None:
        self.assertEqual(pns("198503202010032012"), [])

    def test_it_reports_every_problem_at_once(self) -> None:
        problems = pns("197913122027013003")
        self.assertEqual(len(problems), 3)
        self.assertIn(rules.BAD_BIRTH_DATE.format(value="19791312"), problems)
        self.assertIn(rules.TMT_IN_FUTURE.format(tmt="202701"), problems)
        self.assertIn(rules.BAD_GENDER_DIGIT.format(digit="3"), problems)


class PppkNipTests(SimpleTestCase):
    def test_it_accepts_a_pppk_nip_whatever_follows_the_appointment_year(self) -> None:
        self.assertEqual(pppk("199204152022071001", "P"), [])
        self.assertEqual(pppk("199204152022999999", "L"), [])

    def test_it_refuses_a_pppk_appointment_year_before_the_scheme_began(self) -> None:
        self.assertEqual(pppk("198504152018071001"), [rules.BAD_PPPK_YEAR.format(value="2018")])

    def test_it_accepts_the_first_pppk_year(self) -> None:
        self.assertEqual(pppk("198504152019071001"), [])

    def test_it_refuses_a_pppk_appointment_before_the_eighteenth_birthday(self) -> None:
        self.assertEqual(pppk("200504152022071001"), [rules.BAD_PPPK_YEAR.format(value="2022")])

    def test_it_accepts_next_year_s_appointments_announced_this_year(self) -> None:
        self.assertEqual(pppk("199204152027071001"), [])

    def test_it_refuses_a_pppk_appointment_year_further_ahead(self) -> None:
        self.assertEqual(pppk("199204152028071001"), [rules.BAD_PPPK_YEAR.format(value="2028")])

    def test_it_refuses_a_pppk_nip_with_an_impossible_birth_date(self) -> None:
        self.assertIn(rules.BAD_BIRTH_DATE.format(value="19921315"), pppk("199213152022071001"))

    def test_it_refuses_a_pppk_nip_of_the_wrong_length(self) -> None:
        self.assertEqual(pppk("19920415202207100"), [rules.NOT_18_DIGITS.format(length=17)])


@st.composite
def nip_parts(draw: st.DrawFn) -> tuple[str, str]:
    """A NIP built from valid parts, and the gender it was built for."""
    birth = draw(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2007, 12, 31)))
    eighteenth = (birth.year + 18) * 12 + birth.month - 1
    latest = TODAY.year * 12 + TODAY.month - 1
    assume(eighteenth <= latest)
    months = draw(st.integers(min_value=eighteenth, max_value=latest))
    tmt = dt.date(months // 12, months % 12 + 1, 1)
    gender = draw(st.sampled_from(["L", "P"]))
    serial = draw(st.integers(min_value=0, max_value=999))
    return nip_compose(birth=birth, tmt=tmt, gender=gender, serial=serial), gender


def _real_date(text: str) -> bool:
    year, month, day = int(text[0:4]), int(text[4:6]), int(text[6:8])
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


class NipPropertyTests(SimpleTestCase):
    @PROPERTY
    @given(nip_parts())
    def test_every_nip_composed_from_valid_parts_validates(self, built: tuple[str, str]) -> None:
        nip, gender = built
        self.assertEqual(pns(nip, gender), [])

    @PROPERTY
    @given(nip_parts(), st.data())
    def test_any_one_digit_change_that_makes_the_birth_date_impossible_is_caught(
        self, built: tuple[str, str], data: st.DataObject
    ) -> None:
        nip, gender = built
        # Every single-digit change of the month (digits 5–6) or day (7–8) that makes no real date.
        impossible = [
            nip[:position] + digit + nip[position + 1 :]
            for position in range(4, 8)
            for digit in "0123456789"
            if not _real_date(nip[:position] + digit + nip[position + 1 : 8])
        ]
        corrupted = data.draw(st.sampled_from(impossible))
        self.assertIn(rules.BAD_BIRTH_DATE.format(value=corrupted[:8]), pns(corrupted, gender))
        self.assertIn(rules.BAD_BIRTH_DATE.format(value=corrupted[:8]), pppk(corrupted, gender))

    @PROPERTY
    @given(st.text().filter(lambda text: len(text) != 18), st.sampled_from(["PNS", "PPPK"]))
    def test_a_string_that_is_not_18_characters_long_is_always_refused_with_its_length(
        self, text: str, status: str
    ) -> None:
        problems = nip_problems(text, status=status, today=TODAY)
        self.assertEqual(problems, [rules.NOT_18_DIGITS.format(length=len(text))])

    @PROPERTY
    @given(
        st.text("0123456789", max_size=17) | st.text("0123456789", min_size=19, max_size=30),
        st.sampled_from(["PNS", "PPPK"]),
    )
    def test_a_run_of_digits_of_the_wrong_length_is_always_refused(self, digits: str, status: str) -> None:
        self.assertEqual(
            nip_problems(digits, status=status, today=TODAY), [rules.NOT_18_DIGITS.format(length=len(digits))]
        )

    @PROPERTY
    @given(st.text(min_size=18, max_size=18), st.sampled_from(["PNS", "PPPK"]))
    def test_any_18_characters_either_validate_or_come_with_a_message(self, text: str, status: str) -> None:
        problems = nip_problems(text, status=status, today=TODAY)
        if not (text.isascii() and text.isdigit()):
            self.assertEqual(problems, [rules.NOT_DIGITS])
        for problem in problems:
            self.assertTrue(problem.strip())
