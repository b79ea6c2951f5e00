"""`Prepared` gives what the queryset it was built from gives, for any value, with fewer queries' worth of
work; and it refuses a query whose values it could not substitute."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from perjumpaan.core.prepared import Prepared
from perjumpaan.org.models import ApiToken, Employee, User
from tests.base import PerjumpaanTestCase

TOKEN = Prepared(
    lambda digest: ApiToken.objects.select_related("user__employee__office").filter(digest=digest)[:1],
    digest=str,
)
NAMES = Prepared(
    lambda office, name: (
        Employee.objects.filter(office_id=office, is_active=True, name__gte=name)
        .order_by("name")
        .values_list("name", "is_active", "office__code")
    ),
    office=int,
    name=str,
)


def orm_token(digest: str) -> ApiToken | None:
    return ApiToken.objects.select_related("user__employee__office").filter(digest=digest).first()


class PreparedTests(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        used = timezone.now() - dt.timedelta(hours=3)
        cls.staff_token = ApiToken.objects.create(
            user=cls.staf_dukcapil, digest=ApiToken.digest_of("staf"), last_used_at=used
        )
        cls.admin_token = ApiToken.objects.create(user=cls.admin, digest=ApiToken.digest_of("admin"))

    def test_it_gives_the_same_instances_and_related_objects_as_the_queryset(self) -> None:
        with self.assertNumQueries(1):
            token = TOKEN.first(digest=ApiToken.digest_of("staf"))
            assert token is not None
            employee = token.user.employee
            office = employee.office
        expected = orm_token(ApiToken.digest_of("staf"))
        assert expected is not None
        self.assertEqual(token.pk, expected.pk)
        # Converted as the ORM converts: an aware datetime, not SQLite's text.
        self.assertEqual(token.last_used_at, expected.last_used_at)
        self.assertIsInstance(token.last_used_at, dt.datetime)
        self.assertEqual(token.user.username, "staf.dukcapil")
        self.assertEqual(token.user.is_active, True)
        self.assertEqual(employee.pk, expected.user.employee.pk)
        self.assertEqual(office.code, "DUKCAPIL")
        self.assertFalse(token._state.adding)
        self.assertEqual(token._state.db, "default")

    def test_a_user_without_an_employee_record_is_known_to_have_none(self) -> None:
        token = TOKEN.first(digest=ApiToken.digest_of("admin"))
        assert token is not None
        with self.assertNumQueries(0):
            self.assertTrue(User.employee.is_cached(token.user))
            self.assertIsNone(getattr(token.user, "employee", None))

    def test_an_unknown_value_gives_nothing(self) -> None:
        self.assertIsNone(TOKEN.first(digest=ApiToken.digest_of("nobody")))

    def test_rows_are_the_values_list_of_the_queryset(self) -> None:
        for name in ("", "L", "Lalu", "zzz"):
            expected = list(
                Employee.objects.filter(office=self.dukcapil, is_active=True, name__gte=name)
                .order_by("name")
                .values_list("name", "is_active", "office__code")
            )
            self.assertEqual(NAMES.rows(office=self.dukcapil.pk, name=name), expected)
        self.assertTrue(NAMES.rows(office=self.dukcapil.pk, name=""))

    def test_a_value_that_does_not_reach_the_parameters_unchanged_is_refused(self) -> None:
        contains = Prepared(lambda text: Employee.objects.filter(name__contains=text), text=str)
        with self.assertRaisesMessage(ValueError, "does not take ['text']"):
            contains.rows(text="Lalu")
        with self.assertRaises(TypeError):
            Prepared(lambda when: Employee.objects.filter(created_at=when), when=dt.datetime)


class PreparedFuzzTests(HypothesisTestCase, PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        ApiToken.objects.create(user=cls.staf_dukcapil, digest=ApiToken.digest_of("staf"))

    @settings(max_examples=60, deadline=None)
    @given(st.one_of(st.text(max_size=80), st.just(ApiToken.digest_of("staf"))))
    def test_any_digest_gives_what_the_queryset_gives(self, digest: str) -> None:
        digest = digest.replace("\x00", "")  # PostgreSQL text holds no NUL; the header never has one
        got, expected = TOKEN.first(digest=digest), orm_token(digest)
        self.assertEqual(getattr(got, "pk", None), getattr(expected, "pk", None))
