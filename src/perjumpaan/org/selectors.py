"""Reads of organisation data, every one through the scoping."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from perjumpaan.core.scoping import Action, scoped
from perjumpaan.org.models import Employee, Office, StaffImportUpload, Unit


def office_list(*, user: Any, action: Action = "view") -> QuerySet[Office]:
    return (
        scoped(user, Office.objects.filter(is_active=True), action)
        .select_related("government")
        .annotate(active_employees=Count("employees", filter=Q(employees__is_active=True)))
        .order_by("government__name", "name")
    )


def employee_list(
    *, user: Any, office: Office, search: str = "", include_inactive: bool = False
) -> QuerySet[Employee]:
    employees = scoped(user, Employee.objects.filter(office=office)).select_related("unit")
    if not include_inactive:
        employees = employees.filter(is_active=True)
    if search:
        employees = employees.filter(Q(name__icontains=search) | Q(nip__startswith=search))
    return employees.order_by("name")


def employee_get(*, user: Any, pk: int) -> Employee | None:
    return scoped(user, Employee.objects.select_related("office", "unit", "government")).filter(pk=pk).first()


def unit_list(*, user: Any, office: Office) -> QuerySet[Unit]:
    return scoped(user, Unit.objects.filter(office=office)).order_by("name")


# --- Staff import and export ---------------------------------------------------------------------------


def staff_import_upload_get(*, user: Any, office: Office, pk: int) -> StaffImportUpload | None:
    """An upload awaiting confirmation, if `user` may manage its office (and it belongs to `office`)."""
    uploads = scoped(user, StaffImportUpload.objects.filter(office=office), "manage")
    return uploads.select_related("office__government").filter(pk=pk).first()


def staff_export_list(*, user: Any, office: Office) -> QuerySet[Employee]:
    """The active employees of `office` that `user` may see, as the staff export writes them."""
    return employee_list(user=user, office=office)
