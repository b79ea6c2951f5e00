"""The check-in API's employee lookup on the busy path, and the attendance admin."""

from __future__ import annotations

from django.urls import reverse

from perjumpaan.attendance.api import _checkin_employee
from perjumpaan.org.models import Employee, User
from tests.base import PerjumpaanTestCase


class CheckinEmployeeTests(PerjumpaanTestCase):
    def test_the_caller_s_employee_costs_one_query_or_none_when_it_came_with_the_user(self) -> None:
        me = Employee.objects.get(user=self.staf_dukcapil)
        plain = User.objects.get(pk=self.staf_dukcapil.pk)
        with self.assertNumQueries(1):
            self.assertEqual(_checkin_employee(plain), me)
        loaded = User.objects.select_related("employee__office").get(pk=self.staf_dukcapil.pk)
        with self.assertNumQueries(0):
            self.assertEqual(_checkin_employee(loaded), me)

    def test_an_inactive_employee_or_office_or_a_login_without_one_is_nobody(self) -> None:
        Employee.objects.filter(user=self.staf_dukcapil).update(is_active=False)
        for user in (
            User.objects.get(pk=self.staf_dukcapil.pk),
            User.objects.select_related("employee__office").get(pk=self.staf_dukcapil.pk),
        ):
            self.assertIsNone(_checkin_employee(user))
        self.pupr.is_active = False
        self.pupr.save()
        self.assertIsNone(_checkin_employee(User.objects.get(pk=self.staf_pupr.pk)))
        self.assertIsNone(
            _checkin_employee(User.objects.select_related("employee__office").get(pk=self.staf_pupr.pk))
        )
        self.assertIsNone(_checkin_employee(User.objects.get(pk=self.pimpinan.pk)))


class AttendanceAdminTests(PerjumpaanTestCase):
    def test_a_programme_admin_opens_every_attendance_list_and_edits_only_the_policy(self) -> None:
        self.client.force_login(self.admin)
        for model in ("attendancepolicy", "gatheringrules", "attendance", "leaverequest", "followup"):
            response = self.client.get(reverse(f"admin:attendance_{model}_changelist"))
            self.assertEqual(response.status_code, 200, model)
        self.assertEqual(self.client.get(reverse("admin:attendance_attendancepolicy_add")).status_code, 200)
        self.assertEqual(self.client.get(reverse("admin:attendance_attendance_add")).status_code, 403)

    def test_a_coordinator_gets_no_admin_pages(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        response = self.client.get(reverse("admin:attendance_attendance_changelist"))
        self.assertNotEqual(response.status_code, 200)
