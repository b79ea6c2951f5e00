"""Template context shared by every page: the navigation the user's roles allow.

Kept short on purpose (it wraps on a 360 px phone): a staff member's own things, one entry per office the
user coordinates (its hub page links every office tool), and the regency-wide views for leadership.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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
    # An error page for a request refused before authentication ran (a bad Host header: 400) has no
    # request.user; without this guard that 400 became a 500.
    user = getattr(request, "user", None)
    access = access_for(user)
    items: list[tuple[str, str]] = []
    if user is None or not user.is_authenticated:
        return {"nav_items": items, "access": access}
    items.append((reverse("home"), _("Beranda")))
    if access.is_staff_member:
        items += [
            (reverse("program:today"), _("Hari ini")),
            (reverse("program:my_turns"), _("Giliran kultum")),
            (reverse("tadarus:groups"), pgettext("navigation", "Tadarus")),
            (reverse("evaluation:fill"), _("Evaluasi Jumat")),
            (reverse("attendance:recap_mine"), _("Kehadiran saya")),
            (reverse("attendance:leave_mine"), pgettext("navigation", "Izin saya")),
        ]
    for office_code in _coordinated_office_codes(access):
        items.append(
            (reverse("org:office_detail", kwargs={"office_code": office_code}), _("Kantor %s") % office_code)
        )
    if access.is_admin or access.is_leadership or access.is_coordinator:
        items.append((reverse("impact:dashboard"), _("Dasbor")))
    if access.is_admin or access.is_leadership:
        items += [
            (reverse("program:overview"), _("Ikhtisar program")),
            (reverse("attendance:recap_offices"), _("Rekap kehadiran")),
            (reverse("tadarus:summary"), _("Ringkasan tadarus")),
            (reverse("org:office_list"), _("Perangkat daerah")),
        ]
    if access.is_admin or access.is_leadership or access.is_coordinator:
        items.append((reverse("program:speaker_list"), _("Narasumber")))
    if access.is_staff_member or access.is_coordinator:
        items.append((reverse("program:calendar_feeds"), _("Kalender")))
    if access.is_staff_member:
        items.append((reverse("org:me"), _("Profil saya")))
    items.append((reverse("guide"), _("Panduan")))
    if access.is_admin:
        items.append((reverse("admin:index"), _("Administrasi")))
    return {"nav_items": items, "access": access}
