"""The leadership dashboard (`/dasbor/`), an office's drill-down and targets, the outcome panel, the impact
page and the monthly report. Leadership and programme admins see every office of their government,
coordinators their own offices (the scoping decides); staff and facilitators get 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from perjumpaan.core.decorators import office_required
from perjumpaan.core.scoping import MANAGE, can
from perjumpaan.core.timeutil import local_today, zone
from perjumpaan.impact import dashboard, exports, selectors, services
from perjumpaan.impact.forms import BAD_MONTH, TargetForm, parse_month
from perjumpaan.impact.models import OfficeTarget
from perjumpaan.org.models import Office

TABLE_PARAM = "tabel"
MONTH_PARAM = "bulan"


def _require_dashboard(request: HttpRequest) -> None:
    if not selectors.dashboard_readable(request.user):
        raise Http404


def _require_regency(request: HttpRequest) -> None:
    if not selectors.regency_readable(request.user):
        raise Http404


def _csv(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _require_dashboard(request)
    offices = selectors.dashboard_offices(request.user)
    today = local_today(zone())
    body = dashboard.ready_page("regency", request.user, offices, today)
    return render(
        request,
        "impact/dashboard.html",
        {
            "body": body,
            "offices": offices,
            "weeks": selectors.week_window(selectors.last_complete_week(today)),
            "regency": selectors.regency_readable(request.user),
            "month": selectors.last_complete_week(today).strftime("%Y-%m"),
        },
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    _require_dashboard(request)
    page = dashboard.regency(user=request.user, today=local_today(zone()))
    table = page.tables.get(request.GET.get(TABLE_PARAM) or "outcomes")
    if table is None:
        raise Http404
    return _csv(table.csv(), f"dasbor-{table.key}-{page.weeks[-1].isoformat()}.csv")


@office_required()
def office(request: HttpRequest, office: Office) -> HttpResponse:
    _require_dashboard(request)
    today = local_today(zone())
    body = dashboard.ready_page("office", request.user, [office], today)
    return render(
        request,
        "impact/office.html",
        {"office": office, "body": body, "can_manage": can(request.user, office, MANAGE)},
    )


@office_required()
def office_export(request: HttpRequest, office: Office) -> HttpResponse:
    _require_dashboard(request)
    page = dashboard.office_page(user=request.user, office=office, today=local_today(zone()))
    table = page.tables.get(request.GET.get(TABLE_PARAM, "weeks"))
    if table is None:
        raise Http404
    return _csv(table.csv(), f"dasbor-{office.code.lower()}-{table.key}-{page.weeks[-1].isoformat()}.csv")


@office_required(MANAGE)
def targets(request: HttpRequest, office: Office) -> HttpResponse:
    """The office's targets: its coordinator and the programme admin set them."""
    instance = OfficeTarget.objects.filter(office=office).first()
    form = TargetForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.target_set(
            user=request.user,
            office=office,
            attendance_rate=form.cleaned_data["attendance_rate"],
            ikm=form.cleaned_data["ikm"],
            wait_minutes=form.cleaned_data["wait_minutes"],
            followups_closed=form.cleaned_data["followups_closed"],
        )
        messages.success(request, _("Sasaran {office} disimpan.").format(office=office.code))
        return redirect("impact:office", office_code=office.code)
    return render(request, "impact/targets.html", {"office": office, "form": form})


@login_required
def panel(request: HttpRequest) -> HttpResponse:
    _require_dashboard(request)
    offices = selectors.dashboard_offices(request.user)
    today = local_today(zone())
    body = dashboard.ready_page("panel", request.user, offices, today)
    return render(request, "impact/panel.html", {"body": body})


@login_required
def panel_csv(request: HttpRequest) -> HttpResponse:
    _require_dashboard(request)
    offices = selectors.dashboard_offices(request.user)
    weeks = selectors.week_window(selectors.last_complete_week(local_today(zone())))
    data = selectors.outcome_panel(user=request.user, offices=offices, weeks=weeks)
    return _csv(dashboard.panel_csv(data), f"panel-hasil-{weeks[-1].isoformat()}.csv")


@login_required
def impact(request: HttpRequest) -> HttpResponse:
    _require_regency(request)
    offices = selectors.dashboard_offices(request.user)
    today = local_today(zone())
    body = dashboard.ready_page("impact", request.user, offices, today)
    return render(request, "impact/impact.html", {"body": body})


@login_required
def impact_csv(request: HttpRequest) -> HttpResponse:
    """The event studies of every outcome, for an analyst."""
    _require_regency(request)
    offices = selectors.dashboard_offices(request.user)
    weeks = selectors.week_window(selectors.last_complete_week(local_today(zone())))
    data = selectors.outcome_panel(user=request.user, offices=offices, weeks=weeks)
    return _csv(exports.impact_csv(dashboard.impact_all(data)), f"dampak-{weeks[-1].isoformat()}.csv")


@login_required
def monthly_report(request: HttpRequest) -> HttpResponse:
    _require_regency(request)
    # Without a month: the current one, so far.
    month = parse_month(request.GET.get(MONTH_PARAM) or local_today(zone()).strftime("%Y-%m"))
    if month is None:
        messages.error(request, str(BAD_MONTH))
        return redirect("impact:dashboard")
    try:
        pdf = exports.monthly_report_pdf(user=request.user, month=month)
    except exports.ReportError as error:
        messages.error(request, str(error))
        return redirect("impact:dashboard")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="laporan-bulanan-{month:%Y-%m}.pdf"'
    return response
