"""Writes of organisation data: plain functions, one transaction each, validated before saving."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from perjumpaan.core.audit import audit_record
from perjumpaan.org.models import Employee

EMPLOYEE_FIELDS = ("nip", "name", "position", "unit_id", "gender", "status", "phone", "email", "track")


@transaction.atomic
def employee_deactivate(*, actor: Any, employee: Employee, reason: str = "") -> Employee:
    """Mark someone who left as inactive. Employees are never deleted: their history stays."""
    if employee.is_active:
        employee.is_active = False
        employee.full_clean()
        employee.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            office=employee.office,
            action="employee.deactivate",
            obj=employee,
            old={"is_active": True},
            new={"is_active": False},
            reason=reason,
        )
    return employee
