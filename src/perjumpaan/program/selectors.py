"""Reads of the programme calendar, through the scoping."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from perjumpaan.core.scoping import Action, scoped
from perjumpaan.org.models import Office
from perjumpaan.program.models import (
    AgendaItem,
    Enrollment,
    Gathering,
    GatheringTemplate,
    Lesson,
    Module,
)


def enrollment_current(*, office: Office) -> Enrollment | None:
    """The office's newest enrolment row (None: never enrolled; `enrolled_on` None: left)."""
    return Enrollment.objects.filter(office=office).order_by("-recorded_at", "-pk").first()


def enrolled_since(*, office: Office) -> dt.date | None:
    current = enrollment_current(office=office)
    return current.enrolled_on if current else None


def gathering_list(
    *,
    user: Any,
    office: Office | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    action: Action = "view",
) -> QuerySet[Gathering]:
    gatherings = scoped(user, Gathering.objects.all(), action).select_related("office")
    if office is not None:
        gatherings = gatherings.filter(office=office)
    if start is not None:
        gatherings = gatherings.filter(date__gte=start)
    if end is not None:
        gatherings = gatherings.filter(date__lte=end)
    agenda = AgendaItem.objects.select_related("employee", "speaker", "lesson").order_by("order")
    return gatherings.prefetch_related(Prefetch("agenda", queryset=agenda)).order_by("start", "track")


def gathering_get(*, user: Any, pk: int, action: Action = "view") -> Gathering | None:
    return gathering_list(user=user, action=action).filter(pk=pk).first()


@dataclass(frozen=True)
class OverviewRow:
    office: Office
    wave: str
    enrolled_on: dt.date | None
    held_this_week: int
    scheduled_this_week: int


def programme_overview(*, user: Any, week_start: dt.date) -> list[OverviewRow]:
    """Every office the user may see: its wave, enrolment date and this week's gatherings (two queries)."""
    offices = list(
        scoped(user, Office.objects.filter(is_active=True)).select_related("government").order_by("name")
    )
    newest: dict[int, Enrollment] = {}
    for row in (
        Enrollment.objects.filter(office__in=offices).select_related("wave").order_by("recorded_at", "pk")
    ):
        newest[row.office_id] = row
    week = (
        Gathering.objects.filter(
            office__in=offices, date__range=(week_start, week_start + dt.timedelta(days=6))
        )
        .values("office_id")
        .annotate(
            held=Count("pk", filter=Q(status=Gathering.Status.HELD)),
            scheduled=Count("pk", filter=~Q(status=Gathering.Status.CANCELLED)),
        )
    )
    counts = {row["office_id"]: row for row in week}

    def wave_name(office: Office) -> str:
        wave = newest[office.pk].wave if office.pk in newest else None
        return wave.name if wave is not None else ""

    rows = [
        OverviewRow(
            office=office,
            wave=wave_name(office),
            enrolled_on=newest[office.pk].enrolled_on if office.pk in newest else None,
            held_this_week=counts.get(office.pk, {}).get("held", 0),
            scheduled_this_week=counts.get(office.pk, {}).get("scheduled", 0),
        )
        for office in offices
    ]
    return sorted(rows, key=lambda r: (r.enrolled_on is None, r.enrolled_on or dt.date.max, r.office.name))


# --- Gathering templates -----------------------------------------------------------------------------


def template_list(*, user: Any, office: Office, action: Action = "view") -> QuerySet[GatheringTemplate]:
    """Every version of the office's templates, newest version first within each track and variant."""
    return (
        scoped(user, GatheringTemplate.objects.filter(office=office), action)
        .prefetch_related("agenda")
        .order_by("track", "variant", "-valid_from", "-pk")
    )


def template_get(*, user: Any, office: Office, pk: int, action: Action = "view") -> GatheringTemplate | None:
    return template_list(user=user, office=office, action=action).filter(pk=pk).first()


@dataclass(frozen=True)
class TemplateGroup:
    """One track and variant of an office's templates: the version in force today, the one coming
    next (a change already saved with a later date), and the older ones."""

    track: str
    variant: str
    current: GatheringTemplate | None
    upcoming: list[GatheringTemplate]
    history: list[GatheringTemplate]
    active: bool

    @property
    def sample(self) -> GatheringTemplate:
        """Any version, to name the group by (they share track and variant)."""
        return self.current or next(iter(self.upcoming), None) or self.history[0]


def template_groups(*, user: Any, office: Office, today: dt.date) -> list[TemplateGroup]:
    groups: dict[tuple[str, str], list[GatheringTemplate]] = {}
    for template in template_list(user=user, office=office):
        groups.setdefault((template.track, template.variant), []).append(template)
    variant_order = list(GatheringTemplate.Variant.values)
    result = []
    for (track, variant), versions in groups.items():
        active = [t for t in versions if t.is_active]
        in_force = [t for t in active if t.valid_from <= today]
        current = in_force[0] if in_force else None
        result.append(
            TemplateGroup(
                track=track,
                variant=variant,
                current=current,
                upcoming=sorted((t for t in active if t.valid_from > today), key=lambda t: t.valid_from),
                history=[
                    t for t in versions if t is not current and (t.valid_from <= today or not t.is_active)
                ],
                active=bool(active),
            )
        )
    return sorted(result, key=lambda g: (g.track != "islam", g.track, variant_order.index(g.variant)))


# --- Curriculum progress -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LessonProgress:
    """Where one lesson stands for an office's track: taught (at `gathering`), planned (for `gathering`,
    the next one it is placed in) or open (not placed yet)."""

    lesson: Lesson
    state: str  # "taught", "planned" or "open"
    gathering: Gathering | None
    is_next: bool = False


@dataclass(frozen=True)
class ModuleProgress:
    module: Module
    lessons: list[LessonProgress]

    @property
    def taught(self) -> int:
        return sum(1 for row in self.lessons if row.state == "taught")

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def percent(self) -> int:
        return round(100 * self.taught / self.total) if self.total else 0


def curriculum_tracks(*, user: Any, office: Office) -> list[str]:
    """The tracks the office meets in (from its templates and gatherings), Islam first."""
    tracks = set(
        scoped(user, GatheringTemplate.objects.filter(office=office)).values_list("track", flat=True)
    ) | set(scoped(user, Gathering.objects.filter(office=office)).values_list("track", flat=True).distinct())
    return sorted(tracks, key=lambda t: (t != "islam", t))


def curriculum_progress(*, user: Any, office: Office, track: str, now: dt.datetime) -> list[ModuleProgress]:
    """The office's progress through the Sekolah Perjumpaan curriculum in one track, module by module.

    A lesson counts as taught at the first gathering, not cancelled, that has begun or was held with it as
    its *materi* (the same rule `curriculum_reflow` uses to continue after the last lesson given); a lesson
    not taught yet is planned at the first future gathering it is placed in. Three queries."""
    modules = list(scoped(user, Module.objects.filter(government=office.government)).order_by("order"))
    lessons = list(scoped(user, Lesson.objects.filter(module__in=modules)).order_by("module__order", "order"))
    items = (
        scoped(
            user,
            AgendaItem.objects.filter(
                kind=AgendaItem.Kind.MATERI,
                gathering__office=office,
                gathering__track=track,
                lesson__in=lessons,
            ),
        )
        .exclude(gathering__status=Gathering.Status.CANCELLED)
        .select_related("gathering")
        .order_by("gathering__start", "order")
    )
    taught: dict[int, Gathering] = {}
    planned: dict[int, Gathering] = {}
    for item in items:
        gathering = item.gathering
        assert item.lesson_id is not None
        given = gathering.start <= now or gathering.status != Gathering.Status.SCHEDULED
        target = taught if given else planned
        target.setdefault(item.lesson_id, gathering)
    next_lesson = next(
        (lesson.pk for lesson in lessons if lesson.pk in planned and lesson.pk not in taught), None
    )
    by_module: dict[int, list[LessonProgress]] = {module.pk: [] for module in modules}
    for lesson in lessons:
        if lesson.pk in taught:
            row = LessonProgress(lesson, "taught", taught[lesson.pk])
        elif lesson.pk in planned:
            row = LessonProgress(lesson, "planned", planned[lesson.pk], is_next=lesson.pk == next_lesson)
        else:
            row = LessonProgress(lesson, "open", None)
        by_module[lesson.module_id].append(row)
    return [ModuleProgress(module, by_module[module.pk]) for module in modules]
