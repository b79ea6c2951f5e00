"""Django admin is narrowed by the same scoping as every other page."""

from __future__ import annotations

from django.urls import reverse

from perjumpaan.org.models import AuditEntry, Employee, Office
from tests.base import PerjumpaanTestCase


class AdminScopingTests(PerjumpaanTestCase):
    def login_as_staff(self, user: object) -> None:
        user.is_staff = True  # type: ignore[attr-defined]
        user.save()  # type: ignore[attr-defined]
        self.client.force_login(user)  # type: ignore[arg-type]

    def test_a_programme_admin_sees_only_their_government_s_employees(self) -> None:
        self.login_as_staff(self.admin)
        response = self.client.get(reverse("admin:org_employee_changelist"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Baiq Nurul Aini")
        self.assertContains(response, "I Made Sudarsana")

        self.login_as_staff(self.other_admin)
        response = self.client.get(reverse("admin:org_employee_changelist"))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Baiq Nurul Aini")

    def test_another_government_s_admin_cannot_open_an_employee_here(self) -> None:
        employee = Employee.objects.get(name="Baiq Nurul Aini")
        self.login_as_staff(self.other_admin)
        response = self.client.get(reverse("admin:org_employee_change", args=[employee.pk]))
        self.assertIn(response.status_code, (302, 404))
        self.assertNotContains(response, "Baiq Nurul Aini", status_code=response.status_code)

    def test_a_coordinator_with_admin_access_flag_still_gets_no_admin_pages(self) -> None:
        self.login_as_staff(self.koord_dukcapil)
        response = self.client.get(reverse("admin:org_employee_changelist"))
        # Not a programme admin: the admin site sends them to its login page, showing no data.
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])

    def test_a_programme_admin_needs_no_is_staff_flag(self) -> None:
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get(reverse("admin:org_employee_changelist")).status_code, 200)

    def test_offices_and_employees_cannot_be_deleted_from_the_admin(self) -> None:
        self.login_as_staff(self.admin)
        response = self.client.post(
            reverse("admin:org_office_delete", args=[self.dukcapil.pk]), {"post": "yes"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertTrue(Office.objects.filter(pk=self.dukcapil.pk).exists())

    def test_the_audit_trail_cannot_be_edited_even_by_an_admin(self) -> None:
        entry = AuditEntry.objects.create(office=self.dukcapil, action="test", object_type="x", object_id="1")
        self.login_as_staff(self.admin)
        response = self.client.post(
            reverse("admin:org_auditentry_change", args=[entry.pk]), {"reason": "ubah"}
        )
        self.assertEqual(response.status_code, 403)
        response = self.client.post(reverse("admin:org_auditentry_delete", args=[entry.pk]), {"post": "yes"})
        self.assertEqual(response.status_code, 403)
        self.assertTrue(AuditEntry.objects.filter(pk=entry.pk, reason="").exists())
