"""The one way to write the audit trail of changes made after the fact."""

from __future__ import annotations

from typing import Any

from django.db.models import Model


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
