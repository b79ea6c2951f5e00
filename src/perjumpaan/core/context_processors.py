"""Template context shared by every page: the navigation the user's roles allow."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from perjumpaan.core.scoping import Access, access_for


def _coordinated_office_codes(access: Access) -> list[str]:
    if not access.coordinator_offices:
        return []
    from perjumpaan.org.models import Office

    return list(
        Office.objects.filter(pk__in=access.coordinator_offices)
        .order_by("code")
        .values_list("code", flat=True)[:3]
    )


def navigation(request: HttpRequest) -> dict[str, Any]:
    access = access_for(getattr(request, "user", None))
    items: list[tuple[str, str]] = []
    if request.user.is_authenticated:
        items.append((reverse("home"), _("Beranda")))
        if access.is_staff_member:
            items.append((reverse("program:today"), _("Hari ini")))
            items.append((reverse("program:my_turns"), _("Giliran kultum")))
            # attendance
            items.append((reverse("attendance:recap_mine"), _("Kehadiran saya")))
            items.append((reverse("attendance:leave_mine"), _("Izin")))
            items.append((reverse("evaluation:fill"), _("Evaluasi Jumat")))  # evaluation
        if access.is_admin or access.is_leadership:
            items.append((reverse("program:overview"), _("Ikhtisar program")))
            items.append((reverse("attendance:recap_offices"), _("Rekap kehadiran")))  # attendance
        for office_code in _coordinated_office_codes(access):
            items.append(
                (reverse("program:week", kwargs={"office_code": office_code}), _("Jadwal %s") % office_code)
            )
            items.append(  # attendance
                (
                    reverse("attendance:recap_office", kwargs={"office_code": office_code}),
                    _("Kehadiran %s") % office_code,
                )
            )
            items.append(  # evaluation
                (
                    reverse("evaluation:office", kwargs={"office_code": office_code}),
                    _("Evaluasi %s") % office_code,
                )
            )
        if access.is_admin or access.is_leadership or access.is_coordinator:
            items.append((reverse("org:office_list"), _("Perangkat daerah")))
            items.append((reverse("program:speaker_list"), _("Narasumber")))
        if access.is_staff_member:
            items.append((reverse("org:me"), _("Profil saya")))
        if access.is_admin:
            items.append((reverse("admin:index"), _("Administrasi")))
    return {"nav_items": items, "access": access}
