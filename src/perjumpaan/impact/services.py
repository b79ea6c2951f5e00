"""Writes of the impact app: an office's targets (*sasaran*)."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perjumpaan.core.scoping import MANAGE, can
from perjumpaan.impact.dashboard import forget_pages
from perjumpaan.impact.models import OfficeTarget
from perjumpaan.org.models import Office

NOT_ALLOWED = _("Hanya koordinator kantor ini atau admin program yang boleh mengubah sasarannya.")


@transaction.atomic
def target_set(
    *,
    user: Any,
    office: Office,
    attendance_rate: Decimal | None,
    ikm: Decimal | None,
    wait_minutes: Decimal | None,
    followups_closed: Decimal | None,
) -> OfficeTarget:
    """Sets (or clears, with None) the office's targets; only whoever may manage the office may."""
    if not can(user, office, MANAGE):
        raise PermissionDenied(NOT_ALLOWED)
    target = OfficeTarget.objects.select_for_update().filter(office=office).first() or OfficeTarget(
        office=office
    )
    target.attendance_rate = attendance_rate
    target.ikm = ikm
    target.wait_minutes = wait_minutes
    target.followups_closed = followups_closed
    target.updated_at = timezone.now()
    target.updated_by = user if getattr(user, "pk", None) else None
    target.full_clean()
    target.save()
    # The rollups do not hold targets: the dashboards kept ready must show the new ones at once.
    transaction.on_commit(partial(forget_pages, office.government_id))
    return target
