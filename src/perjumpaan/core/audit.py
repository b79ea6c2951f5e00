"""The one way to write the audit trail of changes made after the fact."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model
from django.utils import timezone


def audit_record(
    *,
    actor: Any,
    office: Any,
    action: str,
    obj: Model,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    reason: str = "",
) -> Any:
    """Append one entry: who (`actor`), where (`office`), what (`action` on `obj`), old → new, and why."""
    from perjumpaan.org.models import AuditEntry

    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        office=office,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        old=old or {},
        new=new or {},
        reason=reason,
    )


def audit_record_many(
    *,
    actor: Any,
    office: Any,
    action: str,
    changes: Iterable[tuple[Model, dict[str, Any], dict[str, Any]]],
    reason: str = "",
) -> list[Any]:
    """Append one entry per (obj, old, new) in `changes`, as `audit_record` would, in bulk inserts (for
    imports that change thousands of objects at once)."""
    from perjumpaan.org.models import AuditEntry

    who = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    entries = [
        AuditEntry(
            at=now,
            actor=who,
            office=office,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            old=old,
            new=new,
            reason=reason,
        )
        for obj, old, new in changes
    ]
    return AuditEntry.objects.bulk_create(entries, batch_size=500)
