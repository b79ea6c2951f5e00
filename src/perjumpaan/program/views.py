"""Programme pages: Hari ini (staff), the office week (coordinator), the overview (admin, leadership)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

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
from perjumpaan.core.timeutil import format_date, format_hijri, format_time, local_today, zone
from perjumpaan.org.models import Employee, Office
from perjumpaan.program import exports, feeds, forms, selectors, services
from perjumpaan.program.models import (
    AgendaItem,
    Gathering,
    RosterBlock,
    RosterPreference,
    Speaker,
    SwapRequest,
)
from perjumpaan.tadarus import selectors as tadarus_selectors


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
    # On a weekend the coordinator is preparing next week, so that is the week shown.
    monday = monday or today - dt.timedelta(days=today.weekday()) + dt.timedelta(
        days=7 if today.weekday() >= 5 else 0
    )
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
            "portion": tadarus_selectors.portion_for_gathering(next_gathering),
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
    speakers = Speaker.objects.none()
    can_manage = can(request.user, office, "manage")
    if can_manage:
        staff = scoped(request.user, Employee.objects.filter(office=office, is_active=True)).order_by("name")
        speakers = scoped(request.user, Speaker.objects.all()).order_by("name")
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
            "speakers": speakers,
            "tz": tz,
            "whatsapp_url": exports.whatsapp_link(
                exports.week_whatsapp_text(office, monday, user=request.user)
            ),
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
    if gathering.status != Gathering.Status.SCHEDULED:
        messages.error(request, _("Hanya perjumpaan yang masih terjadwal yang dapat dibatalkan."))
    elif not reason:
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


# --- Kultum turns (staff) --------------------------------------------------------------------------


def _me(request: HttpRequest) -> Employee:
    access = access_for(request.user)
    if access.employee_id is None:
        raise Http404
    return Employee.objects.select_related("office__government").get(pk=access.employee_id)


@login_required
def my_turns(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    tz = zone(me.office.government.time_zone)
    turns = list(
        AgendaItem.objects.filter(
            employee=me,
            kind=AgendaItem.Kind.KULTUM,
            gathering__status=Gathering.Status.SCHEDULED,
            gathering__start__gt=timezone.now(),
        )
        .select_related("gathering")
        .order_by("gathering__start")[:10]
    )
    colleagues = (
        Employee.objects.filter(office=me.office, track=me.track, is_active=True)
        .exclude(pk=me.pk)
        .order_by("name")
    )
    incoming = SwapRequest.objects.filter(colleague=me, status=SwapRequest.Status.PENDING).select_related(
        "item__gathering", "requested_by", "swap_with__gathering"
    )
    outgoing = SwapRequest.objects.filter(requested_by=me).select_related("item__gathering", "colleague")[:10]
    preference = RosterPreference.objects.filter(employee=me).first()
    blocks = RosterBlock.objects.filter(employee=me, date__gte=local_today(tz)).order_by("date")
    return render(
        request,
        "program/my_turns.html",
        {
            "me": me,
            "turns": turns,
            "colleagues": colleagues,
            "incoming": incoming,
            "outgoing": outgoing,
            "preference": preference,
            "blocks": blocks,
            "tz": tz,
            "deadline_hours": services.swap_deadline_hours(),
        },
    )


def _form_error(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@require_POST
@login_required
def my_turn_swap(request: HttpRequest, item_id: int) -> HttpResponse:
    me = _me(request)
    item = AgendaItem.objects.filter(pk=item_id, employee=me).select_related("gathering").first()
    colleague = Employee.objects.filter(pk=_int(request.POST.get("colleague")), office=me.office).first()
    if item is None:
        raise Http404
    if colleague is None:
        messages.error(request, _("Pilih rekan yang akan menggantikan."))
        return redirect("program:my_turns")
    swap_with = None
    if request.POST.get("swap_with"):
        swap_with = AgendaItem.objects.filter(
            pk=_int(request.POST.get("swap_with")), employee=colleague
        ).first()
    try:
        services.swap_request(employee=me, item=item, colleague=colleague, swap_with=swap_with)
    except ValidationError as exc:
        _form_error(request, exc)
    else:
        messages.success(request, _("Permintaan dikirim kepada %(name)s.") % {"name": colleague.name})
    return redirect("program:my_turns")


@require_POST
@login_required
def my_swap_decide(request: HttpRequest, swap_id: int) -> HttpResponse:
    me = _me(request)
    swap = SwapRequest.objects.filter(pk=swap_id, colleague=me).select_related("item__gathering").first()
    if swap is None:
        raise Http404
    try:
        services.swap_decide(colleague=me, request=swap, accept=request.POST.get("decision") == "accept")
    except ValidationError as exc:
        _form_error(request, exc)
    else:
        messages.success(request, _("Keputusan Anda tersimpan."))
    return redirect("program:my_turns")


@require_POST
@login_required
def my_roster_preference(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    try:
        if request.POST.get("action") == "block":
            try:
                day = dt.date.fromisoformat(request.POST.get("date", ""))
            except ValueError:
                raise ValidationError(_("Tanggal tidak sah.")) from None
            services.roster_block(employee=me, day=day, reason=request.POST.get("reason", ""))
        else:
            services.roster_opt_out(
                employee=me,
                opted_out=request.POST.get("opted_out") == "1",
                reason=request.POST.get("reason", ""),
            )
    except ValidationError as exc:
        _form_error(request, exc)
    else:
        messages.success(request, _("Tersimpan. Giliran yang terdampak sudah dialihkan."))
    return redirect("program:my_turns")


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


# --- Guest speakers --------------------------------------------------------------------------------


@login_required
def speaker_list(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    if not (access.is_admin or access.is_leadership or access.is_coordinator or access.is_facilitator):
        raise Http404
    speakers = scoped(request.user, Speaker.objects.all()).order_by("name")
    return render(request, "program/speaker_list.html", {"speakers": speakers})


@login_required
def speaker_schedule(request: HttpRequest, speaker_id: int) -> HttpResponse:
    access = access_for(request.user)
    speaker = scoped(request.user, Speaker.objects.all()).filter(pk=speaker_id).first()
    is_self = speaker is not None and speaker.user_id == request.user.pk
    if speaker is None or not (is_self or access.is_admin or access.is_leadership or access.is_coordinator):
        raise Http404
    items = (
        AgendaItem.objects.filter(speaker=speaker)
        .exclude(gathering__status=Gathering.Status.CANCELLED)
        .select_related("gathering__office")
        .order_by("gathering__start")
    )
    return render(
        request, "program/speaker_schedule.html", {"speaker": speaker, "items": items, "tz": zone()}
    )


@require_POST
@office_required("manage")
def speaker_invite(request: HttpRequest, office: Office, gathering_id: int) -> HttpResponse:
    gathering = (
        selectors.gathering_list(user=request.user, office=office, action="manage")
        .filter(pk=gathering_id)
        .first()
    )
    speaker = scoped(request.user, Speaker.objects.all()).filter(pk=_int(request.POST.get("speaker"))).first()
    if gathering is None:
        raise Http404
    if speaker is None:
        messages.error(request, _("Pilih narasumber dari daftar."))
        return _back_to_week(office, gathering.date)
    try:
        warnings = services.speaker_invite(actor=request.user, gathering=gathering, speaker=speaker)[1]
    except ValidationError as exc:
        _form_error(request, exc)
    else:
        messages.success(request, _("%(speaker)s diundang untuk tausiah.") % {"speaker": speaker})
        for warning in warnings:
            messages.warning(request, warning)
    return _back_to_week(office, gathering.date)


# --- Calendars out: the printable week, the calendar feeds ----------------------------------------


@office_required()
def week_pdf(request: HttpRequest, office: Office) -> HttpResponse:
    tz = zone(office.government.time_zone)
    monday, week_label = _week_bounds(request.GET.get("w"), local_today(tz))
    week_page = reverse("program:week", kwargs={"office_code": office.code}) + f"?w={week_label}"
    pdf = exports.weekly_schedule_pdf(
        user=request.user, office=office, monday=monday, week_url=request.build_absolute_uri(week_page)
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="jadwal-{office.code.lower()}-{week_label}.pdf"'
    return response


def _feed_links(request: HttpRequest, url: str) -> dict[str, str]:
    address = request.build_absolute_uri(url)
    webcal = "webcal://" + address.split("://", 1)[1]
    return {
        "https": address,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe=""),
    }


@login_required
def calendar_feeds(request: HttpRequest) -> HttpResponse:
    """The user's calendar addresses: personal (staff) and per coordinated office; POST regenerates one."""
    access = access_for(request.user)
    coordinated = Office.objects.filter(pk__in=access.coordinator_offices, is_active=True)
    offices = list(scoped(request.user, coordinated, "manage").select_related("government").order_by("code"))
    if request.method == "POST":
        feed = request.POST.get("feed", "")
        office = next((o for o in offices if o.code == feed), None)
        if feed == "saya" and access.employee_id is not None:
            feeds.calendar_token_regenerate(user=request.user)
        elif office is not None:
            feeds.calendar_token_regenerate(user=request.user, office=office)
        else:
            messages.error(request, _("Kalender yang dipilih tidak ditemukan."))
            return redirect("program:calendar_feeds")
        messages.success(
            request, _("Tautan baru sudah dibuat. Tautan lama tidak berlaku lagi; perbarui langganan Anda.")
        )
        return redirect("program:calendar_feeds")

    personal = None
    if access.employee_id is not None:
        token = feeds.calendar_token_for(user=request.user)
        personal = _feed_links(request, reverse("program:personal_feed", kwargs={"token": token.token}))
    office_feeds = [
        (
            office,
            _feed_links(
                request,
                reverse(
                    "program:office_feed",
                    kwargs={"token": feeds.calendar_token_for(user=request.user, office=office).token},
                ),
            ),
        )
        for office in offices
    ]
    return render(
        request, "program/calendar_feeds.html", {"personal": personal, "office_feeds": office_feeds}
    )


def _ics(content: bytes | None, filename: str) -> HttpResponse:
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # The address is the credential: keep it out of shared caches and search engines.
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def office_feed(request: HttpRequest, token: str) -> HttpResponse:
    """An office's calendar feed; no login, the secret token in the address is the credential."""
    return _ics(feeds.office_feed(token=token, site=request.build_absolute_uri("/")), "perjumpaan-opd.ics")


def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's calendar feed; no login, the secret token in the address is the credential."""
    return _ics(feeds.personal_feed(token=token, site=request.build_absolute_uri("/")), "perjumpaan-saya.ics")


# --- Gathering templates (coordinator) -------------------------------------------------------------


def _schedule_message(request: HttpRequest, change: services.TemplateChange) -> None:
    result = change.schedule
    if result is None:
        messages.info(
            request,
            _(
                "Templat tersimpan. Belum ada perjumpaan terjadwal sejak tanggal berlakunya "
                "yang perlu diubah."
            ),
        )
        return
    messages.success(
        request,
        _(
            "Templat tersimpan. Jadwal disesuaikan: %(updated)s perjumpaan diubah, %(created)s ditambah, "
            "%(cancelled)s dibatalkan; perjumpaan yang sudah terlaksana atau sudah dihadiri tidak berubah."
        )
        % {
            "updated": len(result.updated),
            "created": len(result.created),
            "cancelled": len(result.cancelled),
        },
    )


@office_required()
def template_list(request: HttpRequest, office: Office) -> HttpResponse:
    today = local_today(zone(office.government.time_zone))
    return render(
        request,
        "program/template_list.html",
        {
            "office": office,
            "groups": selectors.template_groups(user=request.user, office=office, today=today),
            "can_manage": can(request.user, office, "manage"),
            "today": today,
        },
    )


@office_required("manage")
def template_edit(request: HttpRequest, office: Office, template_id: int | None = None) -> HttpResponse:
    """A new template, or a new version of an existing one (the form starts from that version)."""
    previous = None
    tz = zone(office.government.time_zone)
    tomorrow = local_today(tz) + dt.timedelta(days=1)
    if template_id is not None:
        previous = selectors.template_get(user=request.user, office=office, pk=template_id, action="manage")
        if previous is None:
            raise Http404
        initial = forms.TemplateForm.initial_from(previous, max(tomorrow, previous.valid_from))
        agenda = [(item.kind, item.minutes) for item in previous.agenda.all()]
    else:
        initial = {
            "track": request.GET.get("jalur", Employee.Track.ISLAM),
            "variant": request.GET.get("varian", "regular"),
            "weekdays": ["4"] if request.GET.get("varian", "").endswith("friday") else ["0", "1", "2", "3"],
            "start_mode": "fixed",
            "start_time": dt.time(12, 30),
            "offset_minutes": 15,
            "duration_minutes": 45,
            "place": _("Musala kantor"),
            "valid_from": tomorrow,
        }
        agenda = [("kultum", 7), ("tadarus", 15), ("tadabbur", 8), ("materi", 10), ("doa", 5)]
    form = forms.TemplateForm(request.POST or None, initial=initial, agenda=agenda)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = services.template_save(
                actor=request.user,
                office=office,
                track=data["track"],
                variant=data["variant"],
                weekdays="".join(data["weekdays"]),
                start_mode=data["start_mode"],
                start_time=data["start_time"],
                prayer=data["prayer"],
                offset_minutes=data.get("offset_minutes") or 0,
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                valid_from=data["valid_from"],
                agenda=data["agenda"],
                previous=previous,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            _schedule_message(request, change)
            return redirect("program:template_list", office.code)
    return render(
        request,
        "program/template_form.html",
        {"office": office, "form": form, "previous": previous, "tz": tz},
    )


@require_POST
@office_required("manage")
def template_stop(request: HttpRequest, office: Office, template_id: int) -> HttpResponse:
    template = selectors.template_get(user=request.user, office=office, pk=template_id, action="manage")
    if template is None:
        raise Http404
    change = services.template_stop(
        actor=request.user, office=office, track=template.track, variant=template.variant
    )
    if change is None:
        messages.info(request, _("Templat ini sudah tidak aktif."))
    else:
        messages.success(
            request,
            _("Templat %(name)s dihentikan; %(cancelled)s perjumpaan mendatang dibatalkan atau diganti.")
            % {
                "name": str(template),
                "cancelled": len(change.schedule.cancelled) + len(change.schedule.updated)
                if change.schedule
                else 0,
            },
        )
    return redirect("program:template_list", office.code)


# --- Ad-hoc gatherings, moving one (coordinator) ---------------------------------------------------


def _local_start(office: Office, day: dt.date, clock: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, clock, tzinfo=zone(office.government.time_zone))


@office_required("manage")
def gathering_new(request: HttpRequest, office: Office) -> HttpResponse:
    tz = zone(office.government.time_zone)
    speakers = scoped(request.user, Speaker.objects.filter(government=office.government)).order_by("name")
    try:
        day = dt.date.fromisoformat(request.GET.get("tanggal", ""))
    except ValueError:
        day = local_today(tz) + dt.timedelta(days=1)
    form = forms.AdhocGatheringForm(
        request.POST or None,
        speakers=speakers,
        initial={"date": day, "start_time": dt.time(13, 0), "minutes": 60, "place": office.name},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = services.gathering_add_adhoc(
                actor=request.user,
                office=office,
                start=_local_start(office, data["date"], data["start_time"]),
                minutes=data["minutes"],
                track=data["track"],
                place=data["place"],
                title=data["title"],
                agenda=data["agenda"],
                speaker=data["speaker"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Perjumpaan khusus ditambahkan."))
            for warning in change.warnings:
                messages.warning(request, warning)
            return _back_to_week(office, change.gathering.date)
    return render(request, "program/gathering_form.html", {"office": office, "form": form, "tz": tz})


@office_required("manage")
def gathering_move(request: HttpRequest, office: Office, gathering_id: int) -> HttpResponse:
    gathering = (
        selectors.gathering_list(user=request.user, office=office, action="manage")
        .filter(pk=gathering_id)
        .first()
    )
    if gathering is None:
        raise Http404
    tz = zone(office.government.time_zone)
    local_start = gathering.start.astimezone(tz)
    form = forms.MoveGatheringForm(
        request.POST or None,
        initial={
            "date": local_start.date(),
            "start_time": local_start.time(),
            "minutes": int((gathering.end - gathering.start).total_seconds() // 60),
            "place": gathering.place,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = services.gathering_move(
                actor=request.user,
                gathering=gathering,
                start=_local_start(office, data["date"], data["start_time"]),
                minutes=data["minutes"],
                place=data["place"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Perjumpaan dipindah ke %(date)s pukul %(time)s.")
                % {
                    "date": format_date(change.gathering.date),
                    "time": format_time(change.gathering.start, tz),
                },
            )
            for warning in change.warnings:
                messages.warning(request, warning)
            return _back_to_week(office, change.gathering.date)
    return render(
        request,
        "program/gathering_move.html",
        {
            "office": office,
            "gathering": gathering,
            "form": form,
            "tz": tz,
            "day_label": format_date(local_start.date()),
            "movable": gathering.status == Gathering.Status.SCHEDULED,
        },
    )


# --- Curriculum progress -----------------------------------------------------------------------------


@office_required()
def curriculum(request: HttpRequest, office: Office) -> HttpResponse:
    tz = zone(office.government.time_zone)
    tracks = selectors.curriculum_tracks(user=request.user, office=office) or [Employee.Track.ISLAM]
    track = request.GET.get("jalur", "")
    if track not in tracks:
        track = tracks[0]
    modules = selectors.curriculum_progress(user=request.user, office=office, track=track, now=timezone.now())
    taught = sum(m.taught for m in modules)
    total = sum(m.total for m in modules)
    next_row = next((row for m in modules for row in m.lessons if row.is_next), None)
    return render(
        request,
        "program/curriculum.html",
        {
            "office": office,
            "modules": modules,
            "tracks": [(t, Employee.Track(t).label) for t in tracks],
            "track": track,
            "taught": taught,
            "total": total,
            "percent": round(100 * taught / total) if total else 0,
            "next_row": next_row,
            "tz": tz,
        },
    )
