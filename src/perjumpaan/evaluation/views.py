"""Pages of the Friday evaluation: staff fill it in on their phone (one screen per person assessed) and
follow their own scores; the coordinator reads the week's summary, reminds, records follow-up actions,
corrects supervisor assignments, prints the weekly report and downloads the data; facilitators write their
narrative of the week."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from perjumpaan.core.charts import format_percent
from perjumpaan.core.decorators import office_required
from perjumpaan.core.spreadsheet import CONTENT_TYPES
from perjumpaan.core.timeutil import format_date, format_time, local_today, zone
from perjumpaan.evaluation import exports, figures, forms, selectors, services
from perjumpaan.evaluation.models import FollowUpAction, Item, Part, Round
from perjumpaan.evaluation.scores import OVERALL, THRESHOLD
from perjumpaan.evaluation.weeks import (
    friday_on_or_before,
    parse_week,
    week_label,
    week_number,
    week_period,
    week_shift,
)
from perjumpaan.org.models import Office


def _week_or_404(week: str) -> str:
    parsed = parse_week(week)
    if parsed is None:
        raise Http404
    return parsed


def _closing(round_: Round) -> str:
    tz = zone(round_.office.government.time_zone)
    closes = round_.closes_at.astimezone(tz)
    return _("{day} pukul {time} {zone}").format(
        day=format_date(closes.date()), time=format_time(closes, tz), zone=closes.tzname()
    )


# --- Staff: filling in ---------------------------------------------------------------------------------


@login_required
def fill(request: HttpRequest) -> HttpResponse:
    """The staff member's assessments of the open round: themselves, their colleagues, their team."""
    employee = selectors.my_employee(user=request.user)
    assignments = selectors.my_assignments(user=request.user)
    done = sum(1 for a in assignments if a.done)
    next_pending = next((a for a in assignments if not a.done), None)
    return render(
        request,
        "evaluation/fill.html",
        {
            "employee": employee,
            "assignments": assignments,
            "done_count": done,
            "next_pending": next_pending,
            "round": assignments[0].round if assignments else None,
            "closing": _closing(assignments[0].round) if assignments else "",
            "period": week_period(assignments[0].round.week) if assignments else "",
            "done_ids": " ".join(str(a.pk) for a in assignments if a.done),
        },
    )


def _assessment_rows(
    items: list[Item], labels: list[str], data: dict[str, str], errors: dict[int, str]
) -> list[dict[str, Any]]:
    """The items grouped by value, each with what was typed (kept after a failed submit) and its error."""
    groups: list[dict[str, Any]] = []
    for item in items:
        name = f"{'s' if item.kind == Item.Kind.SCALE else 't'}{item.pk}"
        row = {
            "item": item,
            "name": name,
            "value": data.get(name, ""),
            "error": errors.get(item.pk, ""),
            "options": [(str(n), label) for n, label in enumerate(labels, start=1)],
        }
        key = (item.kind, item.value_code)
        if not groups or groups[-1]["key"] != key:
            groups.append({"key": key, "item": item, "rows": []})
        groups[-1]["rows"].append(row)
    return groups


@login_required
def fill_assignment(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """One screen per person assessed: big 1–5 buttons for every behaviour; a failed submit keeps
    everything that was chosen or typed."""
    assignment = selectors.my_assignment(user=request.user, assignment_id=assignment_id)
    if assignment is None:
        raise Http404
    round_ = assignment.round
    version = round_.instrument_version
    items = services.items_for(version=version, part=assignment.part)
    data: dict[str, str] = {}
    errors: dict[int, str] = {}
    error = ""
    status = 200
    if request.method == "POST":
        data = {key: request.POST.get(key, "") for key in (f"s{i.pk}" for i in items)}
        data |= {f"t{i.pk}": request.POST.get(f"t{i.pk}", "") for i in items if i.kind == Item.Kind.OPEN}
        try:
            services.response_submit(
                employee=assignment.rater,
                assignment_id=assignment.pk,
                scores={i.pk: data.get(f"s{i.pk}", "") for i in items if i.kind == Item.Kind.SCALE},
                texts={i.pk: data.get(f"t{i.pk}", "") for i in items if i.kind == Item.Kind.OPEN},
            )
        except services.EvaluationError as exc:
            error, errors, status = str(exc), exc.errors, 400
        else:
            messages.success(
                request,
                _("Terima kasih. Penilaian untuk {name} sudah terkirim.").format(name=assignment.subject.name)
                if assignment.part != Part.SELF
                else _("Terima kasih. Penilaian diri Anda sudah terkirim."),
            )
            following = next((a for a in selectors.my_assignments(user=request.user) if not a.done), None)
            if following is not None:
                return redirect("evaluation:fill_assignment", assignment_id=following.pk)
            return redirect("evaluation:fill")
    now = timezone.now()
    state = "open"
    if assignment.done:
        state = "done"
    elif round_.closed_at is not None or now >= round_.closes_at:
        state = "closed"
    elif now < round_.opens_at:
        state = "not_open"
    scale_count = sum(1 for i in items if i.kind == Item.Kind.SCALE)
    return render(
        request,
        "evaluation/assess.html",
        {
            "assignment": assignment,
            "round": round_,
            "state": state,
            "groups": _assessment_rows(items, list(version.scale_labels), data, errors),
            "labels": list(enumerate(version.scale_labels, start=1)),
            "error": error,
            "scale_count": scale_count,
            "closing": _closing(round_),
            "period": week_period(round_.week),
        },
        status=status,
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The staff member's own scores over time: self-assessment, and peers' average when at least three
    colleagues rated them."""
    result = selectors.my_evaluation(user=request.user)
    if result is None:
        raise Http404
    chart = figures.my_trend_chart(result.weeks).svg() if len(result.weeks) > 1 else ""
    return render(
        request,
        "evaluation/mine.html",
        {
            "result": result,
            "weeks": list(reversed(result.weeks)),
            "chart": chart,
            "threshold": THRESHOLD,
            "open_assignments": [a for a in selectors.my_assignments(user=request.user) if not a.done],
        },
    )


# --- The office: trends, the weekly summary ------------------------------------------------------------


def _readable(request: HttpRequest, office: Office) -> None:
    if not selectors.summary_readable(user=request.user, office=office):
        raise Http404


def _current_week(office: Office) -> str:
    return week_label(friday_on_or_before(local_today(zone(office.government.time_zone))))


@office_required()
def office_trend(request: HttpRequest, office: Office) -> HttpResponse:
    """Per value, the office's scores over the latest closed rounds (chart and table), and every round.
    A facilitator, who does not read scores, is sent to this week's narrative instead."""
    if not selectors.summary_readable(user=request.user, office=office):
        if selectors.is_facilitator(user=request.user, office=office):
            return redirect("evaluation:narrative", office_code=office.code, week=_current_week(office))
        raise Http404
    column = request.GET.get("bagian", selectors.ALL)
    if column not in selectors.COLUMNS:
        column = selectors.ALL
    trend = selectors.office_trend(user=request.user, office=office, column=column)
    charts = []
    for group, title in (
        ("berakhlak", _("Nilai dasar ASN BerAKHLAK")),
        ("program", _("Tujuan Sekolah Perjumpaan")),
    ):
        values = [v for v in trend.values if v.group == group]
        if values and len(trend.weeks) > 1:
            charts.append(figures.values_trend_chart(trend, values, title=title).svg())
    rows = [
        {"info": info, "cells": [exports.score_text(s, 2) for s in trend.scores[info.code]]}
        for info in trend.values
    ]
    return render(
        request,
        "evaluation/office.html",
        {
            "office": office,
            "trend": trend,
            "charts": charts,
            "rows": rows,
            "overall": [exports.score_text(s, 2) for s in trend.scores.get(OVERALL, [])],
            "participation": [
                format_percent(done / expected) if expected else "–" for done, expected in trend.participation
            ],
            "weeks": [(r.week, week_number(r.week)) for r in trend.weeks],
            "columns": [(c, selectors.part_label(c)) for c in selectors.COLUMNS],
            "column": column,
            "rounds": selectors.rounds_of(user=request.user, office=office),
            "week": _current_week(office),
            "can_manage": selectors.can_manage(user=request.user, office=office),
            "tab": "trend",
        },
    )


def _direction(change: str) -> str:
    """ "up", "down" or "" as the change is written (a change that rounds to 0,00 is no change)."""
    return {"+": "up", "-": "down"}.get(change[:1], "")


def _summary_context(
    request: HttpRequest, office: Office, week: str, *, action_form: forms.ActionForm | None = None
) -> dict[str, Any]:
    summary = selectors.week_summary(user=request.user, office=office, week=week)
    manage = selectors.can_manage(user=request.user, office=office)
    round_ = summary.round
    reminders = []
    if manage and round_ is not None and not round_.is_closed:
        fill_url = request.build_absolute_uri(reverse("evaluation:fill"))
        for pending in selectors.pending_list(user=request.user, round_=round_):
            text = exports.reminder_text(pending=pending, round_=round_, fill_url=fill_url)
            reminders.append(
                {
                    "pending": pending,
                    "url": exports.whatsapp_link(pending.employee.phone, text),
                    "has_phone": bool(exports.whatsapp_number(pending.employee.phone)),
                }
            )
    staff = selectors.office_staff(user=request.user, office=office)
    return {
        "office": office,
        "summary": summary,
        "round": round_,
        "week": week,
        "week_no": week_number(week),
        "period": week_period(week),
        "previous_week": week_shift(week, -1),
        "next_week": week_shift(week, 1),
        "current_week": _current_week(office),
        "closing": _closing(round_) if round_ else "",
        "can_manage": manage,
        "columns": [(c, selectors.part_short_label(c), selectors.part_label(c)) for c in selectors.COLUMNS],
        "values": [
            {
                "row": row,
                "cells": [exports.score_text(row.scores[c]) for c in selectors.COLUMNS],
                "previous": exports.score_text(row.previous) if summary.previous_week else "–",
                "change": exports.change_text(row.change),
                "direction": _direction(exports.change_text(row.change)),
            }
            for row in summary.values
        ],
        "overall_cells": [exports.score_text(summary.overall.get(c)) for c in selectors.COLUMNS],
        "participation": [
            {"p": p, "share": format_percent(p.share) if p.share is not None else "–"}
            for p in summary.participation
        ],
        "attendance_rate": (
            format_percent(summary.attendance.rate, 1)
            if summary.attendance and summary.attendance.rate is not None
            else "–"
        ),
        "units": [{"row": u, "score": exports.score_text(u.score)} for u in summary.units],
        "chart": figures.summary_trend_chart(summary.trend).svg() if len(summary.trend) > 1 else "",
        "reminders": reminders,
        "action_form": action_form or forms.ActionForm(staff=staff),
        "statuses": FollowUpAction.Status.choices,
        "threshold": THRESHOLD,
        "tab": "week",
    }


@office_required()
def summary(request: HttpRequest, office: Office, week: str) -> HttpResponse:
    """The coordinator's weekly summary: participation, scores per value against the previous weeks,
    the week's attendance, the staff's own words, follow-up actions, and who still has to fill in."""
    week = _week_or_404(week)
    _readable(request, office)
    return render(request, "evaluation/summary.html", _summary_context(request, office, week))


@require_POST
@office_required("manage")
def action_add(request: HttpRequest, office: Office, week: str) -> HttpResponse:
    week = _week_or_404(week)
    form = forms.ActionForm(request.POST, staff=selectors.office_staff(user=request.user, office=office))
    if form.is_valid():
        owner = form.cleaned_data["owner"]
        try:
            services.action_create(
                office=office,
                week=week,
                user=request.user,
                text=form.cleaned_data["text"],
                owner_id=owner.pk if owner else None,
                due_on=form.cleaned_data["due_on"],
            )
        except services.EvaluationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Tindak lanjut dicatat."))
            return redirect(reverse("evaluation:summary", args=[office.code, week]) + "#tindak-lanjut")
    context = _summary_context(request, office, week, action_form=form)
    return render(request, "evaluation/summary.html", context, status=400)


@require_POST
@office_required("manage")
def action_update(request: HttpRequest, office: Office, action_id: int) -> HttpResponse:
    action = selectors.action_managed(user=request.user, office=office, action_id=action_id)
    if action is None:
        raise Http404
    form = forms.ActionStatusForm(request.POST)
    week = request.POST.get("week", "")
    week = parse_week(week) or action.week_opened
    if not form.is_valid():
        messages.error(request, _("Pilih status tindak lanjut."))
    else:
        try:
            services.action_update(
                action=action, week=week, user=request.user, status=form.cleaned_data["status"]
            )
        except services.EvaluationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Status tindak lanjut diperbarui."))
    return redirect(reverse("evaluation:summary", args=[office.code, week]) + "#tindak-lanjut")


# --- Facilitators' narrative ---------------------------------------------------------------------------


@office_required()
def narrative(request: HttpRequest, office: Office, week: str) -> HttpResponse:
    """The facilitator writes the week's narrative here; whoever reads the summary reads it too."""
    week = _week_or_404(week)
    facilitator = selectors.is_facilitator(user=request.user, office=office)
    if not (facilitator or selectors.summary_readable(user=request.user, office=office)):
        raise Http404
    round_ = selectors.round_get(user=request.user, office=office, week=week)
    status = 200
    form = forms.NarrativeForm()
    if round_ is not None and facilitator:
        own = round_.narratives.filter(author_id=request.user.pk).first()
        form = forms.NarrativeForm(initial={"text": own.text if own else ""})
    if request.method == "POST":
        if round_ is None or not facilitator:
            messages.error(
                request,
                _("Belum ada putaran evaluasi pada pekan ini.")
                if round_ is None
                else _(services.NOT_FACILITATOR),
            )
            return redirect("evaluation:narrative", office_code=office.code, week=week)
        form = forms.NarrativeForm(request.POST)
        if form.is_valid():
            try:
                services.narrative_save(round_=round_, user=request.user, text=form.cleaned_data["text"])
            except services.EvaluationError as exc:
                form.add_error("text", str(exc))
            else:
                messages.success(request, _("Catatan fasilitator tersimpan."))
                return redirect("evaluation:narrative", office_code=office.code, week=week)
        status = 400
    narratives = list(round_.narratives.select_related("author").order_by("pk")) if round_ else []
    return render(
        request,
        "evaluation/narrative.html",
        {
            "office": office,
            "week": week,
            "week_no": week_number(week),
            "period": week_period(week),
            "round": round_,
            "form": form,
            "facilitator": facilitator,
            "narratives": narratives,
            "can_read_summary": selectors.summary_readable(user=request.user, office=office),
            "can_manage": selectors.can_manage(user=request.user, office=office),
            "tab": "narrative",
        },
        status=status,
    )


# --- Supervisor assignments ----------------------------------------------------------------------------


@office_required("manage")
def supervisors(request: HttpRequest, office: Office, week: str) -> HttpResponse:
    """Who assesses whom as their head in the round: the heuristic's pairs, corrected by the
    coordinator (the corrections carry to the following rounds)."""
    week = _week_or_404(week)
    round_ = selectors.round_get(user=request.user, office=office, week=week)
    staff = selectors.office_staff(user=request.user, office=office)
    form = forms.SupervisorForm(staff=staff)
    status = 200
    if request.method == "POST":
        form = forms.SupervisorForm(request.POST, staff=staff)
        if round_ is None:
            form.add_error(None, _("Belum ada putaran evaluasi pada pekan ini."))
        elif form.is_valid():
            try:
                services.assignment_supervisor_add(
                    round_=round_,
                    supervisor_id=form.cleaned_data["supervisor"].pk,
                    subject_id=form.cleaned_data["subject"].pk,
                    user=request.user,
                )
            except services.EvaluationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Penugasan penilaian atasan ditambahkan."))
                return redirect("evaluation:supervisors", office_code=office.code, week=week)
        status = 400
    return render(
        request,
        "evaluation/supervisors.html",
        {
            "office": office,
            "week": week,
            "week_no": week_number(week),
            "period": week_period(week),
            "round": round_,
            "assignments": selectors.supervisor_assignments(user=request.user, round_=round_)
            if round_
            else [],
            "form": form,
            "editable": round_ is not None and not round_.is_closed,
        },
        status=status,
    )


@require_POST
@office_required("manage")
def assignment_remove(request: HttpRequest, office: Office, assignment_id: int) -> HttpResponse:
    assignment = selectors.assignment_managed(user=request.user, office=office, assignment_id=assignment_id)
    if assignment is None:
        raise Http404
    try:
        services.assignment_remove(assignment=assignment, user=request.user)
    except services.EvaluationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Penugasan penilaian atasan dihapus."))
    return redirect("evaluation:supervisors", office_code=office.code, week=assignment.round.week)


# --- Report and data -----------------------------------------------------------------------------------


@office_required()
def report_pdf(request: HttpRequest, office: Office, week: str) -> HttpResponse:
    week = _week_or_404(week)
    _readable(request, office)
    pdf = exports.weekly_report_pdf(user=request.user, office=office, week=week)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="evaluasi-{office.code.lower()}-{week}.pdf"'
    return response


@office_required()
def data_xlsx(request: HttpRequest, office: Office, week: str) -> HttpResponse:
    week = _week_or_404(week)
    _readable(request, office)
    content = exports.weekly_data_xlsx(user=request.user, office=office, week=week)
    response = HttpResponse(content, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="evaluasi-{office.code.lower()}-{week}.xlsx"'
    return response
