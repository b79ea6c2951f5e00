"""Programme pages: Hari ini (staff), the office week (coordinator), the overview (admin, leadership)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from perjumpaan.core.decorators import office_required
from perjumpaan.core.scoping import access_for, can, scoped
from perjumpaan.core.timeutil import format_date, format_hijri, local_today, zone
from perjumpaan.org.models import Employee, Office
from perjumpaan.program import selectors, services
from perjumpaan.program.models import AgendaItem, Gathering


def _prayer_today(office: Office, day: dt.date) -> dt.datetime | None:
    from perjumpaan.program.prayer import PrayerTimesError, prayer_times

    latitude = office.latitude if office.latitude is not None else office.government.latitude
    longitude = office.longitude if office.longitude is not None else office.government.longitude
    if latitude is None or longitude is None:
        return None
    try:
        times = prayer_times(
            date=day, latitude=float(latitude), longitude=float(longitude), tz=office.government.time_zone
        )
    except PrayerTimesError:
        return None
    return times.dzuhur


def _week_bounds(value: str | None, today: dt.date) -> tuple[dt.date, str]:
    """Monday of the ISO week `value` ("2026-W49"), or of this week when absent or malformed."""
    try:
        monday = dt.datetime.strptime(f"{value}-1", "%G-W%V-%u").date() if value else None  # noqa: DTZ007
    except ValueError:
        monday = None
    monday = monday or today - dt.timedelta(days=today.weekday())
    year, week, _ = monday.isocalendar()
    return monday, f"{year}-W{week:02d}"


@login_required
def today(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    if access.employee_id is None:
        raise Http404
    employee = Employee.objects.select_related("office__government").get(pk=access.employee_id)
    office = employee.office
    tz = zone(office.government.time_zone)
    day = local_today(tz)
    upcoming = (
        selectors.gathering_list(user=request.user, office=office, start=day)
        .filter(track=employee.track or Employee.Track.ISLAM)
        .exclude(status=Gathering.Status.CANCELLED)
    )
    now = timezone.now()
    next_gathering = next((g for g in upcoming[:5] if g.end > now), None)
    my_items = (
        [item for item in next_gathering.agenda.all() if item.employee_id == employee.pk]
        if next_gathering
        else []
    )
    my_next_turn = (
        AgendaItem.objects.filter(
            employee=employee,
            kind=AgendaItem.Kind.KULTUM,
            gathering__date__gte=day,
            gathering__status=Gathering.Status.SCHEDULED,
        )
        .select_related("gathering")
        .order_by("gathering__start")
        .first()
    )
    return render(
        request,
        "program/today.html",
        {
            "employee": employee,
            "office": office,
            "today_label": format_date(day),
            "hijri_label": format_hijri(day),
            "gathering": next_gathering,
            "gathering_day_label": format_date(next_gathering.start.astimezone(tz).date())
            if next_gathering
            else "",
            "is_today": bool(next_gathering and next_gathering.start.astimezone(tz).date() == day),
            "my_items": my_items,
            "my_next_turn": my_next_turn,
            "dzuhur": _prayer_today(office, day),
            "tz": tz,
        },
    )


@office_required()
def week(request: HttpRequest, office: Office) -> HttpResponse:
    tz = zone(office.government.time_zone)
    monday, week_label = _week_bounds(request.GET.get("w"), local_today(tz))
    gatherings = selectors.gathering_list(
        user=request.user, office=office, start=monday, end=monday + dt.timedelta(days=6)
    )
    days = []
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        todays = [g for g in gatherings if g.date == day]
        if todays or offset < 5:
            days.append({"date": day, "label": format_date(day), "gatherings": todays})
    previous_week = _week_bounds(None, monday - dt.timedelta(days=7))[1]
    next_week = _week_bounds(None, monday + dt.timedelta(days=7))[1]
    staff = Employee.objects.none()
    can_manage = can(request.user, office, "manage")
    if can_manage:
        staff = scoped(request.user, Employee.objects.filter(office=office, is_active=True)).order_by("name")
    return render(
        request,
        "program/week.html",
        {
            "office": office,
            "days": days,
            "week_label": week_label,
            "previous_week": previous_week,
            "next_week": next_week,
            "can_manage": can_manage,
            "staff": staff,
            "tz": tz,
        },
    )


@require_POST
@office_required("manage")
def agenda_assign(request: HttpRequest, office: Office, item_id: int) -> HttpResponse:
    item = (
        scoped(request.user, AgendaItem.objects.filter(gathering__office=office), "manage")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise Http404
    employee_id = request.POST.get("employee") or None
    employee = None
    if employee_id is not None:
        employee = Employee.objects.filter(
            office=office, is_active=True, pk=employee_id if str(employee_id).isdigit() else 0
        ).first()
        if employee is None:
            messages.error(request, _("Pegawai yang dipilih tidak ditemukan di perangkat daerah ini."))
            return _back_to_week(office, item.gathering.date)
    try:
        services.agenda_assign(
            actor=request.user, item=item, employee=employee, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Petugas acara diperbarui."))
    return _back_to_week(office, item.gathering.date)


@require_POST
@office_required("manage")
def gathering_cancel(request: HttpRequest, office: Office, gathering_id: int) -> HttpResponse:
    gathering = (
        selectors.gathering_list(user=request.user, office=office, action="manage")
        .filter(pk=gathering_id)
        .first()
    )
    if gathering is None:
        raise Http404
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, _("Tuliskan alasan pembatalan."))
    else:
        services.gathering_cancel(actor=request.user, gathering=gathering, reason=reason)
        messages.success(request, _("Perjumpaan dibatalkan."))
    return _back_to_week(office, gathering.date)


def _back_to_week(office: Office, day: dt.date) -> HttpResponse:
    url = reverse("program:week", kwargs={"office_code": office.code})
    return redirect(f"{url}?w={_week_bounds(None, day)[1]}")


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    if not (access.is_admin or access.is_leadership):
        raise Http404
    tz = zone()
    day = local_today(tz)
    monday = day - dt.timedelta(days=day.weekday())
    rows = selectors.programme_overview(user=request.user, week_start=monday)
    return render(
        request,
        "program/overview.html",
        {
            "rows": rows,
            "week_label": format_date(monday, weekday=False),
            "enrolled": sum(1 for r in rows if r.enrolled_on),
        },
    )
