"""Attendance pages: the check-in link opened by scanning the screen's QR code, the screen that shows
the code, the roll call, leave requests, absence follow-ups and recaps."""

from __future__ import annotations

import io
import secrets
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from perjumpaan.attendance import exports, forms, selectors, services
from perjumpaan.attendance.models import LeaveRequest, Status
from perjumpaan.core.decorators import office_required
from perjumpaan.core.scoping import access_for, can, scoped
from perjumpaan.core.spreadsheet import CONTENT_TYPES, Format
from perjumpaan.core.timeutil import format_date, format_time, local_today, zone
from perjumpaan.org.models import Employee, Government, Office
from perjumpaan.program.models import Gathering

DEVICE_COOKIE = "pj_device"
DEVICE_SALT = "perjumpaan.attendance.device"


def _device(request: HttpRequest) -> str:
    """A random id this phone keeps (a signed cookie), so one device checking in two people is visible."""
    return str(request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_SALT) or "")


def _float(value: str | None) -> float | None:
    try:
        number = float(value) if value else None
    except ValueError:
        return None
    return number if number is not None and -180 <= number <= 180 else None


@login_required
def checkin(request: HttpRequest, code: str) -> HttpResponse:
    """GET shows one big button; POST marks the person present. Repeating it changes nothing."""
    access = access_for(request.user)
    employee = (
        Employee.objects.select_related("office").filter(pk=access.employee_id).first()
        if access.employee_id
        else None
    )
    context: dict[str, object] = {"code": code, "employee": employee}
    status = 200
    if request.method == "POST":
        try:
            result = services.checkin(
                employee=employee,
                code=code,
                device=_device(request),
                ip=request.META.get("REMOTE_ADDR"),
                latitude=_float(request.POST.get("latitude")),
                longitude=_float(request.POST.get("longitude")),
            )
        except services.CheckinError as exc:
            context["error"] = str(exc)
            status = 400
        else:
            context["mark"] = result.mark
            context["created"] = result.created
    elif employee is None:
        context["error"] = _(services.NOT_STAFF)
    if "mark" not in context:
        # For checkin.js: whether to ask the phone for its location, and how long a retry may go on.
        context["location_mode"], context["valid_for"] = selectors.checkin_hints(
            code=code, employee=employee, now=timezone.now()
        )
    response = render(request, "attendance/checkin.html", context, status=status)
    if not _device(request):
        response.set_signed_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(16),
            salt=DEVICE_SALT,
            max_age=2 * 365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


# --- The screen: the rotating QR code on a projector or a phone held up ----------------------------


def _qr_svg(text: str) -> str:
    """A QR code of `text` as SVG that scales to its box (a viewBox, no fixed size), black on white with
    a quiet zone, readable from the back of a room. Error correction "L": the largest modules for the
    length, and a screen is never creased."""
    buffer = io.BytesIO()
    segno.make(text, error="l", micro=False).save(
        buffer, kind="svg", border=4, omitsize=True, xmldecl=False, svgns=True, nl=False, light="#fff"
    )
    return buffer.getvalue().decode()


def _screen_gathering(request: HttpRequest, office: Office, gathering_id: int) -> Gathering:
    gathering = selectors.gathering_for(
        user=request.user, office=office, gathering_id=gathering_id, action="manage"
    )
    if gathering is None:
        raise Http404
    return gathering


def _screen_payload(request: HttpRequest, gathering: Gathering) -> dict[str, Any]:
    rules = getattr(gathering, "rules", None) or services.rules_freeze(gathering=gathering)
    tz = zone(gathering.office.government.time_zone)
    state = selectors.screen_state(gathering=gathering, rules=rules, now=timezone.now())
    url = request.build_absolute_uri(reverse("attendance:checkin", args=[state.code])) if state.code else ""
    messages_by_state = {
        "before": _("Kode QR presensi tampil pukul %(time)s.") % {"time": format_time(state.opens_at, tz)},
        "closed": _("Presensi perjumpaan ini sudah ditutup."),
        "cancelled": _("Perjumpaan ini dibatalkan."),
        "open": "",
    }
    return {
        "state": state.state,
        "message": messages_by_state[state.state],
        "svg": _qr_svg(url) if url else "",
        "code": state.code,
        "url": url,
        "expires_in": round(state.expires_in, 2),
        "code_seconds": rules.code_seconds,
        "checked_in": selectors.checked_in_count(gathering=gathering),
        "expected": services.expected_employees(gathering).count(),
    }


@office_required("manage")
def screen(request: HttpRequest, office: Office, gathering_id: int) -> HttpResponse:
    """The check-in screen: a big QR code that changes every few seconds and the live count."""
    gathering = _screen_gathering(request, office, gathering_id)
    tz = zone(office.government.time_zone)
    return render(
        request,
        "attendance/screen.html",
        {
            "office": office,
            "gathering": gathering,
            "day_label": format_date(gathering.start.astimezone(tz).date()),
            "start": format_time(gathering.start, tz),
            "end": format_time(gathering.end, tz),
            "zone_name": gathering.start.astimezone(tz).tzname(),
            "payload": _screen_payload(request, gathering),
        },
    )


@never_cache
@office_required("manage")
def screen_code(request: HttpRequest, office: Office, gathering_id: int) -> JsonResponse:
    """What screen.js asks for every few seconds: the current code as SVG and the live count."""
    gathering = _screen_gathering(request, office, gathering_id)
    return JsonResponse(_screen_payload(request, gathering))


# --- Roll call ---------------------------------------------------------------------------------------


def _rollcall_gathering(request: HttpRequest, office: Office, gathering_id: int) -> Gathering:
    if not selectors.office_marks_readable(user=request.user, office=office):
        raise Http404
    gathering = selectors.gathering_for(user=request.user, office=office, gathering_id=gathering_id)
    if gathering is None:
        raise Http404
    return gathering


@office_required()
def rollcall(request: HttpRequest, office: Office, gathering_id: int) -> HttpResponse:
    """Everyone expected, their mark and its flags; the coordinator marks with one tap per status.
    Leadership may read it; nobody else."""
    gathering = _rollcall_gathering(request, office, gathering_id)
    can_manage = can(request.user, gathering, "manage")
    if request.method == "POST":
        if not can_manage:
            raise Http404
        return _rollcall_mark(request, office, gathering)
    rows = selectors.rollcall(user=request.user, gathering=gathering)
    counts = {status.value: 0 for status in Status}
    for row in rows:
        if row.mark is not None:
            counts[row.mark.status] += 1
    tz = zone(office.government.time_zone)
    return render(
        request,
        "attendance/rollcall.html",
        {
            "office": office,
            "gathering": gathering,
            "rows": rows,
            "statuses": Status.choices,
            "counts": [(value, label, counts[value]) for value, label in Status.choices],
            "unmarked": sum(1 for row in rows if row.mark is None),
            "can_manage": can_manage,
            "closed": gathering.status == Gathering.Status.HELD,
            "day_label": format_date(gathering.start.astimezone(tz).date()),
            "tz": tz,
        },
    )


def _rollcall_mark(request: HttpRequest, office: Office, gathering: Gathering) -> HttpResponse:
    back = reverse("attendance:rollcall", args=[office.code, gathering.pk])
    if gathering.status == Gathering.Status.CANCELLED:
        messages.error(request, _("Perjumpaan ini dibatalkan; tidak ada presensi yang dicatat."))
        return redirect(back)
    employee_id = request.POST.get("employee", "")
    employee = (
        scoped(request.user, Employee.objects.filter(office=office), "manage")
        .filter(pk=int(employee_id) if employee_id.isdigit() else 0)
        .first()
    )
    if employee is None:
        messages.error(request, _("Pegawai yang dipilih tidak ditemukan di perangkat daerah ini."))
        return redirect(back)
    try:
        mark = services.rollcall_mark(
            actor=request.user,
            gathering=gathering,
            employee=employee,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", "")[:500],
        )
    except ValidationError as exc:
        messages.error(request, f"{employee.name}: {' '.join(exc.messages)}")
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s.") % {"name": employee.name, "status": mark.get_status_display()},
        )
    return redirect(f"{back}#p{employee.pk}")


@require_POST
@office_required("manage")
def rollcall_close(request: HttpRequest, office: Office, gathering_id: int) -> HttpResponse:
    """Close the roll call: whoever is still unmarked gets their approved leave, or TK."""
    gathering = _screen_gathering(request, office, gathering_id)
    if gathering.status == Gathering.Status.CANCELLED:
        messages.error(request, _("Perjumpaan ini dibatalkan; presensinya tidak dapat ditutup."))
    elif timezone.now() < gathering.start:
        messages.error(request, _("Presensi baru dapat ditutup setelah perjumpaan dimulai."))
    else:
        written = services.gathering_close(gathering=gathering, actor=request.user)
        messages.success(
            request,
            _("Presensi ditutup. %(n)s orang yang belum tercatat diberi status izin/cuti atau TK.")
            % {"n": written},
        )
    return redirect("attendance:rollcall", office.code, gathering.pk)


# --- Leave -------------------------------------------------------------------------------------------


def _me(request: HttpRequest) -> Employee:
    access = access_for(request.user)
    employee = (
        Employee.objects.select_related("office__government").filter(pk=access.employee_id).first()
        if access.employee_id is not None
        else None
    )
    if employee is None:
        raise Http404
    return employee


@login_required
def leave_mine(request: HttpRequest) -> HttpResponse:
    """A staff member's leave requests and the form to ask for a new one."""
    me = _me(request)
    form = forms.LeaveForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.leave_request(
                employee=me,
                kind=data["kind"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                reason=data["reason"],
                attachment=data["attachment"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Permohonan terkirim. Koordinator kantor Anda akan memeriksanya."))
            return redirect("attendance:leave_mine")
    return render(
        request,
        "attendance/leave_mine.html",
        {"me": me, "form": form, "requests": selectors.leave_list_mine(user=request.user)[:50]},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@login_required
def leave_withdraw(request: HttpRequest, leave_id: int) -> HttpResponse:
    me = _me(request)
    leave = LeaveRequest.objects.filter(pk=leave_id, employee=me).first()
    if leave is None:
        raise Http404
    try:
        services.leave_withdraw(employee=me, leave=leave)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Permohonan dibatalkan."))
    return redirect("attendance:leave_mine")


@login_required
def leave_attachment(request: HttpRequest, leave_id: int) -> HttpResponseBase:
    """A leave request's attachment, for the requester and the coordinators of their office only; it is
    never at a public address."""
    leave = selectors.leave_attachment_get(user=request.user, leave_id=leave_id)
    if leave is None:
        raise Http404
    name = leave.attachment.name
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    content_type = forms.CONTENT_TYPE_BY_SUFFIX.get(suffix)
    try:
        handle = leave.attachment.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    if content_type is None:
        # Not one of ours (written some other way): offer it as a download, never render it.
        content_type, suffix = "application/octet-stream", ".bin"
    response = FileResponse(handle, content_type=content_type)
    disposition = "inline" if content_type != "application/octet-stream" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="lampiran-izin-{leave.pk}{suffix}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@office_required("manage")
def leave_office(request: HttpRequest, office: Office) -> HttpResponse:
    """The office's leave requests for its coordinator: pending ones first, to approve or reject."""
    requests = selectors.leave_list_office(user=request.user, office=office)
    pending = list(requests.filter(status=LeaveRequest.Status.PENDING))
    decided = list(requests.exclude(status=LeaveRequest.Status.PENDING)[:50])
    return render(
        request,
        "attendance/leave_office.html",
        {"office": office, "pending": pending, "decided": decided, "tab": "leave"},
    )


@require_POST
@office_required("manage")
def leave_decide(request: HttpRequest, office: Office, leave_id: int) -> HttpResponse:
    leave = selectors.leave_list_office(user=request.user, office=office).filter(pk=leave_id).first()
    if leave is None:
        raise Http404
    decision = request.POST.get("decision", "")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Pilih setujui atau tolak."))
        return redirect("attendance:leave_office", office.code)
    note = request.POST.get("note", "").strip()
    if decision == "reject" and not note:
        messages.error(request, _("Tuliskan alasan penolakan agar pemohon mengerti."))
        return redirect("attendance:leave_office", office.code)
    try:
        services.leave_decide(actor=request.user, leave=leave, approve=decision == "approve", note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            (
                _("Permohonan %(name)s disetujui.")
                if decision == "approve"
                else _("Permohonan %(name)s ditolak.")
            )
            % {"name": leave.employee.name},
        )
    return redirect("attendance:leave_office", office.code)


# --- Absence follow-up -------------------------------------------------------------------------------


@office_required("manage")
def follow_ups(request: HttpRequest, office: Office) -> HttpResponse:
    """Who was absent at each recent gathering, and the personal follow-ups to record."""
    items = list(selectors.follow_up_list(user=request.user, office=office)[:100])
    open_items = [
        (f, forms.FollowUpForm(prefix=f"f{f.pk}", initial={"talked_on": local_today()}))
        for f in items
        if not f.closed
    ]
    return render(
        request,
        "attendance/follow_ups.html",
        {
            "office": office,
            "open_items": open_items,
            "closed_items": [f for f in items if f.closed][:30],
            "absences": selectors.absences_recent(user=request.user, office=office),
            "tz": zone(office.government.time_zone),
            "tab": "follow_ups",
        },
    )


@require_POST
@office_required("manage")
def follow_up_record(request: HttpRequest, office: Office, follow_up_id: int) -> HttpResponse:
    follow_up = selectors.follow_up_list(user=request.user, office=office).filter(pk=follow_up_id).first()
    if follow_up is None:
        raise Http404
    form = forms.FollowUpForm(request.POST, prefix=f"f{follow_up.pk}")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{follow_up.employee.name}: {error}")
        return redirect("attendance:follow_ups", office.code)
    services.follow_up_record(
        actor=request.user,
        follow_up=follow_up,
        talked_on=form.cleaned_data["talked_on"],
        agreement=form.cleaned_data["agreement"],
        close=form.cleaned_data["close"],
    )
    messages.success(
        request, _("Catatan tindak lanjut %(name)s tersimpan.") % {"name": follow_up.employee.name}
    )
    return redirect("attendance:follow_ups", office.code)


# --- Recaps ------------------------------------------------------------------------------------------

EXPORT_FORMATS: tuple[str, ...] = ("csv", "xlsx", "pdf")


def _period(request: HttpRequest, government: Government | None = None) -> exports.Period:
    today = local_today(zone(government.time_zone) if government else None)
    period, error = exports.period_from_query(request.GET, today)
    if error:
        messages.warning(request, error)
    return period


def _download(content: bytes, *, fmt: str, filename: str) -> HttpResponse:
    content_type = "application/pdf" if fmt == "pdf" else CONTENT_TYPES[fmt]  # type: ignore[index]
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}.{fmt}"'
    return response


def _office_recap(request: HttpRequest, office: Office) -> tuple[exports.Period, list[Any], Any]:
    if not selectors.office_marks_readable(user=request.user, office=office):
        raise Http404
    period = _period(request, office.government)
    rows = selectors.attendance_recap(user=request.user, office=office, start=period.start, end=period.end)
    return period, rows, selectors.recap_total(rows)


@office_required()
def recap_office(request: HttpRequest, office: Office) -> HttpResponse:
    """An office's attendance per employee over a month or a period (coordinators, leadership)."""
    period, rows, total = _office_recap(request, office)
    previous_month, next_month = exports.neighbour_months(period)
    return render(
        request,
        "attendance/recap_office.html",
        {
            "office": office,
            "period": period,
            "rows": rows,
            "total": total,
            "statuses": Status.choices,
            "previous_month": previous_month,
            "next_month": next_month,
            "formats": EXPORT_FORMATS,
            "can_manage": can(request.user, office, "manage"),
            "tab": "recap",
        },
    )


@office_required()
def recap_office_export(request: HttpRequest, office: Office, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    period, rows, total = _office_recap(request, office)
    filename = f"rekap-kehadiran-{office.code.lower()}-{period.slug}"
    if fmt == "pdf":
        content = exports.office_recap_pdf(office=office, period=period, rows=rows, total=total)
    else:
        header, body = exports.employee_table(rows, total)
        content = exports.table_file(_format(fmt), header, body, title=_("Rekap kehadiran"))
    return _download(content, fmt=fmt, filename=filename)


def _format(fmt: str) -> Format:
    return "xlsx" if fmt == "xlsx" else "csv"


@login_required
def recap_mine(request: HttpRequest) -> HttpResponse:
    """A staff member's own attendance over a month or a period."""
    me = _me(request)
    period = _period(request, me.office.government)
    rows = selectors.attendance_recap(
        user=request.user, start=period.start, end=period.end, employee_id=me.pk
    )
    previous_month, next_month = exports.neighbour_months(period)
    tz = zone(me.office.government.time_zone)
    return render(
        request,
        "attendance/recap_mine.html",
        {
            "me": me,
            "period": period,
            "row": rows[0] if rows else None,
            "statuses": Status.choices,
            "marks": selectors.my_marks(user=request.user, start=period.start, end=period.end),
            "previous_month": previous_month,
            "next_month": next_month,
            "tz": tz,
        },
    )


@login_required
def recap_offices(request: HttpRequest) -> HttpResponse:
    """Every office's attendance over a month or a period, for leadership and programme admins. With
    `?unduh=xlsx|csv|pdf` the same table as a file."""
    access = access_for(request.user)
    if not (access.is_admin or access.is_leadership):
        raise Http404
    government = (
        Government.objects.filter(pk__in=access.admin_governments | access.leadership_governments)
        .order_by("pk")
        .first()
    )
    period = _period(request, government)
    rows = selectors.attendance_recap_offices(user=request.user, start=period.start, end=period.end)
    fmt = request.GET.get("unduh", "")
    if fmt in EXPORT_FORMATS:
        filename = f"rekap-kehadiran-opd-{period.slug}"
        if fmt == "pdf":
            if government is None:
                raise Http404
            content = exports.offices_recap_pdf(government=government, period=period, rows=rows)
        else:
            header, body = exports.office_table(rows)
            content = exports.table_file(_format(fmt), header, body, title=_("Rekap kehadiran OPD"))
        return _download(content, fmt=fmt, filename=filename)
    previous_month, next_month = exports.neighbour_months(period)
    return render(
        request,
        "attendance/recap_offices.html",
        {
            "period": period,
            "rows": rows,
            "total": exports.government_total(rows),
            "statuses": Status.choices,
            "previous_month": previous_month,
            "next_month": next_month,
            "formats": EXPORT_FORMATS,
        },
    )
