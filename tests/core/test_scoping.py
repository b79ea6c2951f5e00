from __future__ import annotations

from perjumpaan.core.scoping import MANAGE, VIEW, scoped
from perjumpaan.org.models import Employee, Office
from tests.base import PerjumpaanTestCase


class ScopingTests(PerjumpaanTestCase):
    def codes(self, user: object, action: str = VIEW) -> set[str]:
        return set(scoped(user, Office.objects.all(), action).values_list("code", flat=True))  # type: ignore[arg-type]

    def test_admin_sees_and_manages_every_office_of_their_government_only(self) -> None:
        offices = scoped(self.admin, Office.objects.all(), MANAGE)
        self.assertEqual({o.government_id for o in offices}, {self.government.pk})
        self.assertEqual(offices.count(), 2)

    def test_leadership_sees_everything_and_manages_nothing(self) -> None:
        self.assertEqual(self.codes(self.pimpinan), {"DUKCAPIL", "PUPR"})
        self.assertEqual(self.codes(self.pimpinan, MANAGE), set())

    def test_a_coordinator_sees_only_their_office(self) -> None:
        self.assertEqual(self.codes(self.koord_pupr), {"PUPR"})
        self.assertEqual(self.codes(self.koord_pupr, MANAGE), {"PUPR"})

    def test_staff_see_their_own_record_and_no_colleague_s(self) -> None:
        visible = scoped(self.staf_dukcapil, Employee.objects.all())
        self.assertEqual([e.user_id for e in visible], [self.staf_dukcapil.pk])
        self.assertEqual(self.codes(self.staf_dukcapil), {"DUKCAPIL"})
        self.assertEqual(self.codes(self.staf_dukcapil, MANAGE), set())

    def test_a_facilitator_sees_the_office_but_no_personal_data(self) -> None:
        self.assertEqual(self.codes(self.fasilitator), {"DUKCAPIL"})
        self.assertFalse(scoped(self.fasilitator, Employee.objects.all()).exists())

    def test_a_login_without_a_role_sees_nothing(self) -> None:
        self.assertEqual(self.codes(self.outsider), set())

    def test_another_government_s_admin_sees_nothing_here(self) -> None:
        self.assertFalse(scoped(self.other_admin, Employee.objects.all()).exists())
        self.assertEqual(
            set(scoped(self.other_admin, Office.objects.all()).values_list("government__slug", flat=True)),
            {"lombok-timur"},
        )
