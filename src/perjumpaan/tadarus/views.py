"""Tadarus pages: the office's collective khatam, ODOJ groups, reading classes, tadabbur notes and the
leadership summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from perjumpaan.core.decorators import office_required
from perjumpaan.core.scoping import access_for, scoped
from perjumpaan.core.timeutil import format_date, local_today, zone
from perjumpaan.org.models import Employee, Office
from perjumpaan.program.models import Gathering
from perjumpaan.tadarus import quran, selectors, services
from perjumpaan.tadarus.forms import (
    SURAH_CHOICES,
    GroupCreateForm,
    KhatamPlanForm,
    LevelEnrolForm,
    NoteForm,
    ReadingLogForm,
    TierForm,
)
from perjumpaan.tadarus.models import GroupMember, KhatamPlan, ReadingGroup, Tier

# --- The office's collective tadarus -----------------------------------------------------------------


def _office_page(
    request: HttpRequest,
    office: Office,
    *,
    plan_form: KhatamPlanForm | None = None,
    log_forms: dict[int, ReadingLogForm] | None = None,
    level_form: LevelEnrolForm | None = None,
) -> HttpResponse:
    track = Employee.Track.ISLAM
    progress = selectors.khatam_progress(office, track)
    can_manage = selectors.may_manage(request.user, office)
    today = local_today(zone(office.government.time_zone))
    loggable = selectors.loggable_gatherings(user=request.user, office=office, track=track)
    portions = selectors.portions_for(loggable)
    log_forms = log_forms or {}
    log_rows = []
    for gathering in loggable:
        portion = portions.get(gathering.pk)
        form = log_forms.get(gathering.pk) or ReadingLogForm(
            initial={"stop": str(portion.read_to or portion.end) if portion else ""}
        )
        log_rows.append(
            {"gathering": gathering, "portion": portion, "form": form, "open": gathering.pk in log_forms}
        )
    if plan_form is None and can_manage:
        current = progress.plan if progress else None
        plan_form = KhatamPlanForm(
            initial={
                "valid_from": today + dt.timedelta(days=1) if progress and progress.held else today,
                "unit": current.unit if current else KhatamPlan.Unit.PAGES,
                "amount": current.amount if current else 2,
                "per": current.per if current else 1,
            }
        )
    staff = selectors.office_staff_names(user=request.user, office=office)
    if level_form is None and can_manage:
        level_form = LevelEnrolForm(staff=staff)
    return render(
        request,
        "tadarus/office.html",
        {
            "office": office,
            "progress": progress,
            "can_manage": can_manage,
            "plan_form": plan_form,
            "log_rows": log_rows,
            "groups": selectors.group_totals(user=request.user, offices=[office]),
            "level_totals": selectors.level_totals(office=office),
            "enrolments": selectors.office_enrolments(user=request.user, office=office) if can_manage else [],
            "level_form": level_form,
            "today_label": format_date(today),
        },
    )


@office_required()
def office(request: HttpRequest, office: Office) -> HttpResponse:
    return _office_page(request, office)


@require_POST
@office_required("manage")
def plan_set(request: HttpRequest, office: Office) -> HttpResponse:
    form = KhatamPlanForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.khatam_plan_set(
                actor=request.user,
                office=office,
                valid_from=data["valid_from"],
                unit=data["unit"],
                amount=data["amount"],
                per=data["per"],
                start=data["start"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Rencana khatam disimpan."))
            return redirect(reverse("tadarus:office", kwargs={"office_code": office.code}))
    return _office_page(request, office, plan_form=form)


@require_POST
@office_required()
def log_record(request: HttpRequest, office: Office, gathering_id: int) -> HttpResponse:
    gathering = (
        scoped(request.user, Gathering.objects.filter(office=office))
        .select_related("office__government")
        .prefetch_related("agenda")
        .filter(pk=gathering_id)
        .first()
    )
    if gathering is None:
        raise Http404
    form = ReadingLogForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.reading_log_record(
                actor=request.user,
                gathering=gathering,
                stop=None if data["nothing_read"] else data["stop"],
                note=data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Tempat berhenti tadarus dicatat."))
        return redirect(reverse("tadarus:office", kwargs={"office_code": office.code}))
    return _office_page(request, office, log_forms={gathering.pk: form})


@require_POST
@office_required("manage")
def level_enrol(request: HttpRequest, office: Office) -> HttpResponse:
    staff = selectors.office_staff_names(user=request.user, office=office)
    form = LevelEnrolForm(request.POST, staff=staff)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.level_enrol(
                actor=request.user,
                office=office,
                employee=data["employee"],
                teacher=data["teacher"],
                level=data["level"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Peserta kelas mengaji disimpan."))
            return redirect(reverse("tadarus:office", kwargs={"office_code": office.code}) + "#kelas")
    return _office_page(request, office, level_form=form)


# --- ODOJ groups -------------------------------------------------------------------------------------


@login_required
def groups(request: HttpRequest) -> HttpResponse:
    is_staff = access_for(request.user).is_staff_member
    form = GroupCreateForm(request.POST or None)
    if request.method == "POST" and is_staff and form.is_valid():
        try:
            group = services.reading_group_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                show_members_progress=form.cleaned_data["show_members_progress"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Grup dibuat. Tambahkan anggota dari halaman grup."))
            return redirect("tadarus:group", group_id=group.pk)
    return render(
        request,
        "tadarus/groups.html",
        {"cards": selectors.my_groups(user=request.user), "form": form, "is_staff": is_staff},
    )


def _group_or_404(request: HttpRequest, group_id: int) -> ReadingGroup:
    group = selectors.group_get(user=request.user, group_id=group_id)
    if group is None:
        raise Http404
    return group


@login_required
def group(request: HttpRequest, group_id: int) -> HttpResponse:
    group = _group_or_404(request, group_id)
    page = selectors.group_page(user=request.user, group=group)
    return render(
        request,
        "tadarus/group.html",
        {"page": page, "group": group, "tiers": Tier.choices, "tier_form": _tier_form(page.my_member)},
    )


def _tier_form(member: GroupMember | None) -> TierForm | None:
    return TierForm(initial={"tier": member.tier, "pages": member.pages}) if member else None


def _back_to(group: ReadingGroup) -> HttpResponse:
    return redirect("tadarus:group", group_id=group.pk)


def _piece_from(request: HttpRequest) -> tuple[dt.date, int, str] | None:
    """The (date, juz, part) a form names — "date" (ISO) and "piece" ("7-head"), or both in one
    "piece_date" ("2026-12-02|7-head") — or None if it is malformed."""
    date_text, piece = request.POST.get("date", ""), request.POST.get("piece", "")
    if "piece_date" in request.POST:
        date_text, _sep, piece = request.POST["piece_date"].partition("|")
    try:
        date = dt.date.fromisoformat(date_text)
        juz_text, part = piece.split("-", 1)
        juz = int(juz_text)
    except ValueError:
        return None
    if not 1 <= juz <= 30 or part not in ("all", "head", "tail"):
        return None
    return date, juz, part


@require_POST
@login_required
def group_report(request: HttpRequest, group_id: int) -> HttpResponse:
    group = _group_or_404(request, group_id)
    piece = _piece_from(request)
    if piece is None:
        messages.error(request, _("Laporan tidak lengkap: pilih bagian juz yang dilaporkan."))
        return _back_to(group)
    date, juz, part = piece
    done = request.POST.get("done") == "1"
    try:
        services.reading_report(actor=request.user, group=group, date=date, juz=juz, part=part, done=done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if done:
            messages.success(request, _("Alhamdulillah, laporan tercatat. Semoga berkah."))
        else:
            messages.info(request, _("Laporan tercatat. Semoga besok lebih lapang waktunya."))
    return _back_to(group)


@require_POST
@login_required
def group_handover(request: HttpRequest, group_id: int) -> HttpResponse:
    group = _group_or_404(request, group_id)
    piece = _piece_from(request)
    volunteer_id = request.POST.get("volunteer", "")
    volunteer = (
        GroupMember.objects.filter(group=group, pk=int(volunteer_id)).first()
        if volunteer_id.isdigit()
        else None
    )
    if piece is None or volunteer is None:
        messages.error(request, _("Pilih bagian juz dan anggota yang bersedia membacanya."))
        return _back_to(group)
    date, juz, part = piece
    try:
        services.juz_handover(
            actor=request.user, group=group, date=date, juz=juz, part=part, volunteer=volunteer
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Juz {juz} diserahkan kepada {name}.").format(juz=juz, name=volunteer.employee.name)
        )
    return _back_to(group)


@require_POST
@login_required
def group_members(request: HttpRequest, group_id: int) -> HttpResponse:
    """Add a member (coordinator), leave the group (a member, or the coordinator for them), or set a
    member's tier."""
    group = _group_or_404(request, group_id)
    action = request.POST.get("action", "")
    try:
        if action == "add":
            if group.coordinator_id != access_for(request.user).employee_id:
                raise ValidationError(_(services.NOT_GROUP_COORDINATOR))
            employee_id = request.POST.get("employee", "")
            employee = (
                Employee.objects.filter(office=group.office, is_active=True, pk=int(employee_id)).first()
                if employee_id.isdigit()
                else None
            )
            if employee is None:
                raise ValidationError(_("Pilih pegawai yang akan ditambahkan."))
            form = TierForm(request.POST)
            tier, pages = (
                (form.cleaned_data["tier"], form.cleaned_data["pages"] or 4)
                if form.is_valid()
                else (Tier.FULL, 4)
            )
            services.group_member_add(
                actor=request.user, group=group, employee=employee, tier=tier, pages=pages
            )
            messages.success(request, _("{name} bergabung mulai besok.").format(name=employee.name))
        elif action in ("leave", "tier"):
            member_id = request.POST.get("member", "")
            member = (
                selectors.group_member_get(user=request.user, group=group, member_id=int(member_id))
                if member_id.isdigit()
                else None
            )
            if member is None:
                raise ValidationError(_("Anggota tidak ditemukan."))
            if action == "leave":
                services.group_member_leave(actor=request.user, member=member)
                messages.success(request, _("Keanggotaan berakhir mulai besok."))
            else:
                form = TierForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(
                        _("Pilih target baca (1 sampai 10 halaman untuk beberapa halaman).")
                    )
                services.group_member_tier_set(
                    actor=request.user,
                    member=member,
                    tier=form.cleaned_data["tier"],
                    pages=form.cleaned_data["pages"] or 4,
                )
                messages.success(request, _("Target baca disimpan."))
        else:
            raise ValidationError(_("Permintaan tidak dikenal."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back_to(group)


@require_POST
@login_required
def group_settings(request: HttpRequest, group_id: int) -> HttpResponse:
    group = _group_or_404(request, group_id)
    try:
        services.group_settings_set(
            actor=request.user,
            group=group,
            show_members_progress=request.POST.get("show_members_progress") == "1",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Pengaturan grup disimpan."))
    return _back_to(group)


# --- Reading classes ---------------------------------------------------------------------------------


@login_required
def levels(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tadarus/levels.html",
        {
            "enrolment": selectors.my_enrolment(user=request.user),
            "students": selectors.my_students(user=request.user),
            "is_staff": access_for(request.user).is_staff_member,
        },
    )


@require_POST
@login_required
def level_up(request: HttpRequest) -> HttpResponse:
    enrolment_id = request.POST.get("enrolment", "")
    enrolment = (
        selectors.my_students(user=request.user).filter(pk=int(enrolment_id)).first()
        if enrolment_id.isdigit()
        else None
    )
    if enrolment is None:
        messages.error(request, _("Peserta tidak ditemukan di kelas Anda."))
        return redirect("tadarus:levels")
    try:
        services.level_up(actor=request.user, enrolment=enrolment, note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("{name} naik ke tingkat {level}.").format(
                name=enrolment.employee.name, level=enrolment.get_level_display()
            ),
        )
    return redirect("tadarus:levels")


# --- Tadabbur ----------------------------------------------------------------------------------------


def _int_or_none(value: str | None, low: int, high: int) -> int | None:
    return int(value) if value and value.isdigit() and low <= int(value) <= high else None


@login_required
def notes(request: HttpRequest) -> HttpResponse:
    surah = _int_or_none(request.GET.get("surah"), 1, quran.SURAH_COUNT)
    theme = request.GET.get("tema", "").strip()[:60]
    text = request.GET.get("q", "").strip()[:100]
    found = selectors.note_search(user=request.user, surah=surah, theme=theme, text=text)
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    today = local_today(zone())
    return render(
        request,
        "tadarus/notes.html",
        {
            "page": page,
            "surah": surah,
            "theme": theme,
            "q": text,
            "surahs": SURAH_CHOICES,
            "themes": selectors.theme_list(user=request.user),
            "can_write": bool(selectors.note_gatherings(user=request.user, today=today)),
        },
    )


def _gathering_label(gathering: Gathering) -> str:
    return f"{format_date(gathering.date)} · {gathering.office.code} · {gathering.get_track_display()}"


@login_required
def note_add(request: HttpRequest) -> HttpResponse:
    today = local_today(zone())
    gatherings = selectors.note_gatherings(user=request.user, today=today)
    choices = [(g.pk, _gathering_label(g)) for g in gatherings]
    form = NoteForm(request.POST or None, gatherings=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        gathering = next((g for g in gatherings if g.pk == data["gathering"]), None)
        if gathering is None:
            form.add_error("gathering", _("Pilih perjumpaan yang Anda isi."))
        else:
            try:
                note = services.tadabbur_note_add(
                    actor=request.user,
                    gathering=gathering,
                    surah=data["surah"],
                    ayah=data["ayah"],
                    ayah_end=data["ayah_end"],
                    title=data["title"],
                    reflection=data["reflection"],
                    themes=form.theme_names,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Catatan tadabbur disimpan."))
                return redirect("tadarus:note", note_id=note.pk)
    return render(request, "tadarus/note_form.html", {"form": form, "has_gatherings": bool(choices)})


@login_required
def note(request: HttpRequest, note_id: int) -> HttpResponse:
    found = selectors.note_get(user=request.user, note_id=note_id)
    if found is None:
        raise Http404
    return render(
        request,
        "tadarus/note.html",
        {"note": found, "gathering_label": format_date(found.gathering.date)},
    )


# --- Leadership summary ------------------------------------------------------------------------------


@login_required
def summary(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    if not (access.is_admin or access.is_leadership):
        raise Http404
    rows = selectors.khatam_summary(user=request.user)
    context: dict[str, Any] = {
        "rows": rows,
        "total_khatams": sum(r.khatam_count for r in rows),
        "total_groups": sum(r.groups for r in rows),
        "total_members": sum(r.members for r in rows),
        "total_group_khatams": sum(r.group_khatams for r in rows),
        "with_plan": sum(1 for r in rows if r.percent is not None),
    }
    return render(request, "tadarus/summary.html", context)
