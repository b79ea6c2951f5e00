"""Finding the office a command line names, shared by the org commands (not a command itself)."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.org.models import Office

OFFICE_NOT_FOUND = gettext_noop("Perangkat daerah dengan kode {code} tidak ditemukan.")
OFFICE_INACTIVE = gettext_noop("Perangkat daerah {code} tidak aktif.")
OFFICE_AMBIGUOUS = gettext_noop(
    "Kode {code} dipakai di beberapa pemda ({governments}); sebutkan salah satunya dengan --government."
)


def resolve_office(code: str, government: str | None = None) -> Office:
    """The active office with this code (in the government with this slug, when given), or CommandError."""
    code = code.strip().upper()
    offices = Office.objects.select_related("government").filter(code=code)
    if government:
        offices = offices.filter(government__slug=government)
    found = list(offices.order_by("government__slug"))
    if not found:
        raise CommandError(_(OFFICE_NOT_FOUND).format(code=code))
    if len(found) > 1:
        slugs = ", ".join(office.government.slug for office in found)
        raise CommandError(_(OFFICE_AMBIGUOUS).format(code=code, governments=slugs))
    if not found[0].is_active:
        raise CommandError(_(OFFICE_INACTIVE).format(code=code))
    return found[0]
