"""Pages of public-service outcomes: the office's service page (metrics, SKM, improvement plan, complaints,
the counter's entry form) for staff, and the public pages citizens open without an account (the SKM form,
its kiosk mode, the published results, the complaint form)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from perjumpaan.core.decorators import office_required
from perjumpaan.core.scoping import MANAGE, access_for, can
from perjumpaan.core.spreadsheet import CONTENT_TYPES, Format
from perjumpaan.org import selectors as org_selectors
from perjumpaan.org.models import Office
from perjumpaan.service import abuse, exports, figures, forms, selectors, services
from perjumpaan.service.models import Complaint, Service, SurveyResponse
from perjumpaan.service.periods import Period, PeriodError, parse_period, recent_periods
from perjumpaan.service.selectors import office_today, office_zone

PERIOD_PARAM = "periode"
SERVICE_PARAM = "layanan"


def _period(request: HttpRequest, office: Office) -> Period:
    """The period the page is asked for (?periode=2026-11), this month otherwise; a bad key is said once."""
    key = request.GET.get(PERIOD_PARAM, "")
    if not key:
        return selectors.default_period(office)
    try:
        return parse_period(key)
    except PeriodError as error:
        messages.warning(request, str(error))
        return selectors.default_period(office)


def _service_filter(request: HttpRequest, office: Office) -> Service | None:
    code = request.GET.get(SERVICE_PARAM, "").strip().upper()[:30]
    if not code:
        return None
    return (
        selectors.service_list(user=request.user, office=office, include_inactive=True)
        .filter(code=code)
        .first()
    )


def _period_choices(office: Office, current: Period) -> list[Period]:
    choices = recent_periods(office_today(office))
    if current not in choices:
        choices.insert(0, current)
    return choices


def _download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export_format(fmt: str) -> Format:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    return "xlsx" if fmt == "xlsx" else "csv"


# --- The office's service page ----------------------------------------------------------------------


@office_required()
def dashboard(request: HttpRequest, office: Office) -> HttpResponse:
    """Volume, waiting and service times and the same-day share for a period, each chart with its table."""
    period = _period(request, office)
    service = _service_filter(request, office)
    metrics = selectors.service_metrics(user=request.user, office=office, period=period, service=service)
    charts = {}
    if metrics.buckets:
        charts = {
            "volume": figures.volume_chart(metrics).svg(),
            "waiting": figures.waiting_chart(metrics).svg(),
            "service": figures.service_time_chart(metrics).svg(),
            "same_day": figures.same_day_chart(metrics).svg(),
        }
    query = {PERIOD_PARAM: period.key, **({SERVICE_PARAM: service.code} if service else {})}
    return render(
        request,
        "service/dashboard.html",
        {
            "office": office,
            "period": period,
            "periods": _period_choices(office, period),
            "service": service,
            "services": selectors.service_list(user=request.user, office=office, include_inactive=True),
            "metrics": metrics,
            "charts": charts,
            "query": urlencode(query),
            "can_manage": can(request.user, office, MANAGE),
            "can_enter": services.may_enter_records(request.user, office),
        },
    )


@office_required()
def dashboard_export(request: HttpRequest, office: Office, fmt: str) -> HttpResponse:
    export_format = _export_format(fmt)
    period = _period(request, office)
    service = _service_filter(request, office)
    metrics = selectors.service_metrics(user=request.user, office=office, period=period, service=service)
    content = exports.metrics_export_bytes(metrics, fmt=export_format, service=service)
    suffix = f"-{service.code.lower()}" if service else ""
    return _download(
        content,
        filename=f"layanan-{office.code.lower()}-{period.key}{suffix}.{fmt}",
        content_type=CONTENT_TYPES[export_format],
    )


@office_required()
def poster(request: HttpRequest, office: Office) -> HttpResponse:
    """The A4 QR poster for the counter."""
    content = exports.poster_pdf(
        office,
        survey_url=_public_url(request, "service:survey", office),
        complaint_url=_public_url(request, "service:complaint_public", office),
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-skm-{office.code.lower()}.pdf"'
    return response


def _public_url(request: HttpRequest, name: str, office: Office) -> str:
    url = request.build_absolute_uri(reverse(name, kwargs={"office_code": office.code}))
    if selectors.public_office(office.code).office is None:
        # The code is used by several governments: the link must say which one.
        url += "?" + urlencode({"pemda": office.government.slug})
    return url


# --- SKM, IKM and the improvement plan ----------------------------------------------------------------


@office_required()
def skm(request: HttpRequest, office: Office) -> HttpResponse:
    """The office's IKM for a period: the weight used, n against the minimum sample, the nine elements,
    each service, the monthly trend, suggestions, and the improvement plan for the weakest elements."""
    period = _period(request, office)
    summary = selectors.ikm_summary(user=request.user, office=office, period=period)
    by_service = selectors.ikm_by_service(user=request.user, office=office, period=period)
    trend = selectors.ikm_trend(user=request.user, office=office, year=period.year)
    can_manage = can(request.user, office, MANAGE)
    employees = org_selectors.employee_list(user=request.user, office=office)
    lowest = summary.lowest
    action_form = forms.ImprovementActionForm(
        employees=employees,
        with_status=False,
        initial={
            "element": lowest[0].code if lowest else "U1",
            "due_date": period.end + dt.timedelta(days=90),
        },
    )
    return render(
        request,
        "service/skm.html",
        {
            "office": office,
            "period": period,
            "periods": _period_choices(office, period),
            "summary": summary,
            "result": summary.result,
            "weight_label": figures.WEIGHT_LABELS[summary.result.weight],
            "by_service": by_service,
            "trend": trend,
            "elements_chart": figures.elements_chart(summary.result).svg() if summary.result.n else "",
            "trend_chart": figures.ikm_trend_chart(trend).svg() if trend else "",
            "suggestions": selectors.suggestions(user=request.user, office=office, period=period),
            "actions": selectors.improvement_actions(user=request.user, office=office),
            "lowest": lowest,
            "action_form": action_form,
            "settings_form": forms.SettingsForm(initial={"ikm_weight": summary.result.weight}),
            "can_manage": can_manage,
            "today": office_today(office),
        },
    )


@office_required()
def skm_export(request: HttpRequest, office: Office, fmt: str) -> HttpResponse:
    export_format = _export_format(fmt)
    period = _period(request, office)
    summary = selectors.ikm_summary(user=request.user, office=office, period=period)
    by_service = selectors.ikm_by_service(user=request.user, office=office, period=period)
    return _download(
        exports.ikm_export_bytes(summary, by_service, fmt=export_format),
        filename=f"ikm-{office.code.lower()}-{period.key}.{fmt}",
        content_type=CONTENT_TYPES[export_format],
    )


@office_required("manage")
@require_POST
def skm_weight(request: HttpRequest, office: Office) -> HttpResponse:
    form = forms.SettingsForm(request.POST)
    if form.is_valid():
        services.survey_settings_set(office=office, ikm_weight=form.cleaned_data["ikm_weight"])
        messages.success(request, _("Bobot IKM disimpan; semua hasil kini dihitung dengan bobot ini."))
    else:
        messages.error(request, _("Pilih salah satu bobot."))
    return redirect(_back(request, reverse("service:skm", args=[office.code])))


def _back(request: HttpRequest, fallback: str) -> str:
    """Back to the page the form was on, keeping its period (only a path on this site)."""
    target = request.POST.get("next", "")
    safe = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else fallback


@office_required("manage")
@require_POST
def action_create(request: HttpRequest, office: Office) -> HttpResponse:
    """Plan a follow-up action for an element of the period shown on the SKM page."""
    employees = org_selectors.employee_list(user=request.user, office=office)
    form = forms.ImprovementActionForm(request.POST, employees=employees, with_status=False)
    period_key = request.POST.get("period", "")
    back = _back(request, reverse("service:skm", args=[office.code]))
    if form.is_valid():
        try:
            services.improvement_action_create(
                actor=request.user,
                office=office,
                period=period_key,
                element=form.cleaned_data["element"],
                action=form.cleaned_data["action"],
                owner=form.cleaned_data["owner"],
                due_date=form.cleaned_data["due_date"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Rencana tindak lanjut ditambahkan."))
    else:
        problems = [
            f"{form.fields[name].label if name in form.fields else ''}: {' '.join(str(e) for e in errors)}"
            for name, errors in form.errors.items()
        ]
        messages.error(request, _("Rencana tidak disimpan. ") + " ".join(problems))
    return redirect(back + "#rtl")


@office_required("manage")
def action_edit(request: HttpRequest, office: Office, improvement_id: int) -> HttpResponse:
    improvement = selectors.improvement_action_get(user=request.user, office=office, pk=improvement_id)
    if improvement is None:
        raise Http404
    employees = org_selectors.employee_list(user=request.user, office=office)
    initial = {
        "element": improvement.element,
        "action": improvement.action,
        "owner": improvement.owner,
        "due_date": improvement.due_date,
        "status": improvement.status,
        "note": improvement.note,
    }
    form = forms.ImprovementActionForm(
        request.POST if request.method == "POST" else None, employees=employees, initial=initial
    )
    form.fields["element"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.improvement_action_update(
                actor=request.user,
                improvement=improvement,
                action=form.cleaned_data["action"],
                owner=form.cleaned_data["owner"],
                due_date=form.cleaned_data["due_date"],
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Rencana tindak lanjut diperbarui."))
            return redirect(
                reverse("service:skm", args=[office.code]) + f"?{PERIOD_PARAM}={improvement.period}#rtl"
            )
    return render(
        request, "service/action_edit.html", {"office": office, "improvement": improvement, "form": form}
    )


# --- The catalogue ----------------------------------------------------------------------------------


@office_required()
def catalogue(request: HttpRequest, office: Office) -> HttpResponse:
    """The office's services; coordinators add them here."""
    can_manage = can(request.user, office, MANAGE)
    form = forms.ServiceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.service_create(
                    office=office,
                    code=form.cleaned_data["code"],
                    name=form.cleaned_data["name"],
                    order=form.cleaned_data["order"] or 0,
                    active=form.cleaned_data["active"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Layanan ditambahkan."))
                return redirect("service:catalogue", office.code)
    return render(
        request,
        "service/catalogue.html",
        {
            "office": office,
            "services": selectors.service_list(user=request.user, office=office, include_inactive=True),
            "form": form,
            "can_manage": can_manage,
            "mappings": selectors.import_mappings(user=request.user, office=office),
        },
    )


@office_required("manage")
def service_edit(request: HttpRequest, office: Office, service_id: int) -> HttpResponse:
    service = selectors.service_get(user=request.user, office=office, pk=service_id, action=MANAGE)
    if service is None:
        raise Http404
    initial = {"code": service.code, "name": service.name, "order": service.order, "active": service.active}
    form = forms.ServiceForm(request.POST if request.method == "POST" else None, initial=initial)
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(
                service=service,
                name=form.cleaned_data["name"],
                active=form.cleaned_data["active"],
                order=form.cleaned_data["order"] or 0,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Layanan diperbarui."))
            return redirect("service:catalogue", office.code)
    return render(request, "service/service_edit.html", {"office": office, "service": service, "form": form})


# --- The counter's quick entry ----------------------------------------------------------------------


@office_required()
def record_entry(request: HttpRequest, office: Office) -> HttpResponse:
    """A phone-sized form to record one citizen served, for counters without a queue machine export."""
    if not services.may_enter_records(request.user, office):
        raise PermissionDenied
    active = selectors.service_list(user=request.user, office=office)
    now = dt.datetime.now(office_zone(office))
    # The last service and counter stay selected: an officer records many citizens in a row.
    sticky = request.session.get(f"service_entry_{office.pk}", {})
    initial = {
        "service": sticky.get("service"),
        "counter": sticky.get("counter", ""),
        "finished": now.strftime("%H:%M"),
    }
    form = forms.RecordEntryForm(
        request.POST if request.method == "POST" else None, services=active, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.service_record_enter(
                actor=request.user,
                office=office,
                service=data["service"],
                date=now.date(),
                ticket=data["ticket"],
                arrival=data["arrival"],
                called=data["called"],
                finished=data["finished"],
                counter=data["counter"],
                result=data["result"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            request.session[f"service_entry_{office.pk}"] = {
                "service": data["service"].pk,
                "counter": data["counter"],
            }
            messages.success(request, _("Nomor antrian {ticket} tercatat.").format(ticket=record.ticket))
            return redirect("service:record_entry", office.code)
    recent = selectors.service_records_today(user=request.user, office=office)
    return render(
        request,
        "service/record_entry.html",
        {"office": office, "form": form, "recent": recent, "today": now.date()},
    )


def _add_errors(form: Any, error: ValidationError) -> None:
    """A service's ValidationError shown on the form: on its field when it names one of the form's."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, problems in error.error_dict.items():
        form.add_error(name if name in form.fields else None, problems)


# --- Complaints (staff) -----------------------------------------------------------------------------


@office_required()
def complaint_list(request: HttpRequest, office: Office) -> HttpResponse:
    filters = forms.ComplaintFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    complaints = selectors.complaint_list(
        user=request.user,
        office=office,
        status=data.get("status", ""),
        category=data.get("category", ""),
        since=data.get("since"),
        until=data.get("until"),
    )
    page = Paginator(complaints, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "service/complaint_list.html",
        {
            "office": office,
            "filters": filters,
            "page": page,
            "stats": selectors.complaint_stats(complaints),
            "query": query.urlencode(),
            "can_manage": can(request.user, office, MANAGE),
            "statuses": Complaint.Status,
        },
    )


@office_required()
def complaint_export(request: HttpRequest, office: Office, fmt: str) -> HttpResponse:
    export_format = _export_format(fmt)
    filters = forms.ComplaintFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    complaints = selectors.complaint_list(
        user=request.user,
        office=office,
        status=data.get("status", ""),
        category=data.get("category", ""),
        since=data.get("since"),
        until=data.get("until"),
    )
    return _download(
        exports.complaints_export_bytes(complaints, fmt=export_format),
        filename=f"pengaduan-{office.code.lower()}-{office_today(office):%Y%m%d}.{fmt}",
        content_type=CONTENT_TYPES[export_format],
    )


@office_required("manage")
def complaint_create(request: HttpRequest, office: Office) -> HttpResponse:
    """A complaint that came in at the counter, by phone, letter or social media."""
    active = selectors.service_list(user=request.user, office=office)
    form = forms.StaffComplaintForm(request.POST if request.method == "POST" else None, services=active)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        received = None
        if data.get("received_on"):
            received = dt.datetime.combine(
                data["received_on"], data.get("received_time") or dt.time(8, 0), tzinfo=office_zone(office)
            )
        try:
            complaint = services.complaint_submit(
                office=office,
                category=data["category"],
                description=data["description"],
                service=data["service"],
                contact=data["contact"],
                channel=data["channel"],
                entered_by=request.user,
                received_at=received,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Pengaduan {reference} dicatat.").format(reference=complaint.reference)
            )
            return redirect("service:complaint_detail", office.code, complaint.pk)
    return render(request, "service/complaint_create.html", {"office": office, "form": form})


@office_required()
def complaint_detail(request: HttpRequest, office: Office, complaint_id: int) -> HttpResponse:
    complaint = selectors.complaint_get(user=request.user, office=office, pk=complaint_id)
    if complaint is None:
        raise Http404
    access = access_for(request.user)
    may_respond = can(request.user, office, MANAGE) or (
        complaint.handler_id is not None and complaint.handler_id == access.employee_id
    )
    employees = org_selectors.employee_list(user=request.user, office=office)
    form = forms.ComplaintRespondForm(
        request.POST if request.method == "POST" else None, complaint=complaint, employees=employees
    )
    if request.method == "POST":
        if not may_respond:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.complaint_respond(
                    actor=request.user,
                    complaint=complaint,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                    handler=form.cleaned_data["handler"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Tindak lanjut disimpan."))
                return redirect("service:complaint_detail", office.code, complaint.pk)
    return render(
        request,
        "service/complaint_detail.html",
        {
            "office": office,
            "complaint": complaint,
            "updates": complaint.updates.select_related("by").order_by("at", "pk"),
            "form": form,
            "may_respond": may_respond and not complaint.is_closed,
        },
    )


# --- Public pages (no account) ----------------------------------------------------------------------


def _public(request: HttpRequest, office_code: str) -> Office | HttpResponse:
    """The office a public URL names, a page to choose the government when its code is ambiguous, or 404."""
    found = selectors.public_office(office_code, request.GET.get("pemda", ""))
    if found.office is not None:
        return found.office
    if not found.choices:
        raise Http404
    return render(request, "service/public_choose.html", {"choices": found.choices, "path": request.path})


def _pemda_query(request: HttpRequest) -> str:
    slug = request.GET.get("pemda", "")
    return "?" + urlencode({"pemda": slug[:60]}) if slug else ""


def _survey_page(request: HttpRequest, office_code: str, *, kiosk: bool) -> HttpResponse:
    found = _public(request, office_code)
    if isinstance(found, HttpResponse):
        return found
    office = found
    is_kiosk = kiosk and abuse.kiosk_office_id(request) == office.pk
    services_offered = selectors.public_services(office)
    template = "service/kiosk.html" if kiosk else "service/survey.html"
    context: dict[str, Any] = {
        "office": office,
        "kiosk": kiosk,
        "kiosk_active": is_kiosk,
        "pemda_query": _pemda_query(request),
        "limited": False,
    }
    if kiosk and request.method == "GET" and "terima-kasih" in request.GET:
        response = render(request, "service/kiosk_thanks.html", context)
        abuse.remember_device(request, response)
        return response
    form = forms.SurveyForm(request.POST if request.method == "POST" else None, services=services_offered)
    if request.method == "POST":
        if abuse.limited(request, "skm", kiosk=is_kiosk):
            context.update(form=form, limited=True, message=abuse.refusal_message())
            return render(request, template, context, status=429)
        if form.is_valid():
            abuse.count(request, "skm", kiosk=is_kiosk)
            if not form.is_bot:
                try:
                    services.survey_response_submit(
                        office=office,
                        service=form.cleaned_data["service"],
                        answers=form.answers(),
                        ticket=form.cleaned_data["ticket"],
                        sex=form.cleaned_data["sex"],
                        age=form.cleaned_data["age"],
                        education=form.cleaned_data["education"],
                        occupation=form.cleaned_data["occupation"],
                        suggestion=form.cleaned_data["suggestion"],
                        channel=SurveyResponse.Channel.KIOSK if is_kiosk else SurveyResponse.Channel.PHONE,
                    )
                except ValidationError as error:
                    _add_errors(form, error)
            if not form.errors:
                if kiosk:
                    target = reverse("service:kiosk", args=[office.code])
                    query = _pemda_query(request)
                    return redirect(target + (query + "&" if query else "?") + "terima-kasih=1")
                return redirect(reverse("service:survey_thanks", args=[office.code]) + _pemda_query(request))
    context["form"] = form
    response = render(request, template, context)
    abuse.remember_device(request, response)
    return response


def survey(request: HttpRequest, office_code: str) -> HttpResponse:
    """The public SKM form (PermenPANRB 14/2017), for a citizen's own phone."""
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    return _survey_page(request, office_code, kiosk=False)


def kiosk(request: HttpRequest, office_code: str) -> HttpResponse:
    """The SKM form on a tablet at the counter: after each answer a thank-you screen, then a fresh form."""
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    return _survey_page(request, office_code, kiosk=True)


def survey_thanks(request: HttpRequest, office_code: str) -> HttpResponse:
    found = _public(request, office_code)
    if isinstance(found, HttpResponse):
        return found
    return render(
        request, "service/survey_thanks.html", {"office": found, "pemda_query": _pemda_query(request)}
    )


@office_required("manage")
@require_POST
def kiosk_activate(request: HttpRequest, office: Office) -> HttpResponse:
    """Mark this browser (the counter's tablet) as the office's kiosk: it gets the kiosk's own limit."""
    response = redirect(reverse("service:kiosk", args=[office.code]) + _government_query(office))
    abuse.activate_kiosk(request, response, office.pk)
    messages.success(
        request, _("Perangkat ini sekarang menjadi kios SKM {office}.").format(office=office.code)
    )
    return response


def _government_query(office: Office) -> str:
    if selectors.public_office(office.code).office is None:
        return "?" + urlencode({"pemda": office.government.slug})
    return ""


def _public_period(request: HttpRequest, office: Office) -> tuple[Period, list[Period]]:
    choices = selectors.public_periods(office)
    key = request.GET.get(PERIOD_PARAM, "")
    period = choices[0]
    if key:
        try:
            period = parse_period(key)
        except PeriodError:
            period = choices[0]
    if period not in choices:
        choices = [period, *choices]
    return period, choices


def results(request: HttpRequest, office_code: str) -> HttpResponse:
    """The published SKM result of an office: IKM, mutu, the nine elements, n and the period."""
    found = _public(request, office_code)
    if isinstance(found, HttpResponse):
        return found
    office = found
    period, choices = _public_period(request, office)
    summary = selectors.public_ikm(office, period)
    trend = selectors.public_ikm_trend(office, period.year)
    query = urlencode(
        {
            PERIOD_PARAM: period.key,
            **({"pemda": request.GET["pemda"][:60]} if request.GET.get("pemda") else {}),
        }
    )
    return render(
        request,
        "service/results.html",
        {
            "office": office,
            "period": period,
            "periods": choices,
            "summary": summary,
            "result": summary.result,
            "weight_label": figures.WEIGHT_LABELS[summary.result.weight],
            "elements_chart": figures.elements_chart(summary.result).svg() if summary.result.n else "",
            "trend": trend,
            "trend_chart": figures.ikm_trend_chart(trend).svg() if len(trend) > 1 else "",
            "query": query,
            "pemda_query": _pemda_query(request),
        },
    )


def results_png(request: HttpRequest, office_code: str) -> HttpResponse:
    found = _public(request, office_code)
    if isinstance(found, HttpResponse):
        return found
    period, _choices = _public_period(request, found)
    summary = selectors.public_ikm(found, period)
    content = figures.infographic_png(summary, url=_public_url(request, "service:survey", found))
    response = HttpResponse(content, content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="skm-{found.code.lower()}-{period.key}.png"'
    return response


def results_pdf(request: HttpRequest, office_code: str) -> HttpResponse:
    found = _public(request, office_code)
    if isinstance(found, HttpResponse):
        return found
    period, _choices = _public_period(request, found)
    summary = selectors.public_ikm(found, period)
    content = exports.infographic_pdf(summary, url=_public_url(request, "service:survey", found))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="skm-{found.code.lower()}-{period.key}.pdf"'
    return response


COMPLAINT_SALT = "perjumpaan.service.complaint-reference"


def complaint_public(request: HttpRequest, office_code: str) -> HttpResponse:
    """The public complaint form: no account, no NIK, an optional contact for the reply."""
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    found = _public(request, office_code)
    if isinstance(found, HttpResponse):
        return found
    office = found
    form = forms.ComplaintForm(
        request.POST if request.method == "POST" else None, services=selectors.public_services(office)
    )
    context: dict[str, Any] = {"office": office, "pemda_query": _pemda_query(request), "limited": False}
    if request.method == "POST":
        if abuse.limited(request, "pengaduan"):
            context.update(form=form, limited=True, message=abuse.refusal_message())
            return render(request, "service/complaint_public.html", context, status=429)
        if form.is_valid():
            abuse.count(request, "pengaduan")
            # A bot is thanked with a reference that exists nowhere.
            reference = "ADU-" + "".join(secrets.choice(services.REFERENCE_ALPHABET) for _i in range(6))
            if not form.is_bot:
                complaint = services.complaint_submit(
                    office=office,
                    category=form.cleaned_data["category"],
                    description=form.cleaned_data["description"],
                    service=form.cleaned_data["service"],
                    contact=form.cleaned_data["contact"],
                )
                reference = complaint.reference
            token = signing.dumps(reference, salt=COMPLAINT_SALT)
            query = _pemda_query(request)
            target = reverse("service:complaint_public_thanks", args=[office.code])
            return redirect(target + (query + "&" if query else "?") + urlencode({"ref": token}))
    context["form"] = form
    response = render(request, "service/complaint_public.html", context)
    abuse.remember_device(request, response)
    return response


def complaint_public_thanks(request: HttpRequest, office_code: str) -> HttpResponse:
    found = _public(request, office_code)
    if isinstance(found, HttpResponse):
        return found
    try:
        reference = signing.loads(request.GET.get("ref", "")[:200], salt=COMPLAINT_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        reference = ""
    return render(
        request,
        "service/complaint_thanks.html",
        {
            "office": found,
            "reference": reference if isinstance(reference, str) else "",
            "pemda_query": _pemda_query(request),
        },
    )
