"""Django admin of the programme, for programme admins: the rollout (waves and each office's enrolment),
the curriculum, invited speakers, and the calendar tables the admin corrects (the Islamic dates after the
government's isbat, regional holidays).

Enrolment is append-only, as its model says: the admin adds a row (a new or corrected date, or the office
leaving) and never edits or deletes one, so the "before" period of the impact analysis cannot be rewritten.
Gathering templates, gatherings and rosters are the coordinators' pages, not this admin.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from perjumpaan.org.admin import ScopedAdmin
from perjumpaan.program import services
from perjumpaan.program.models import Closure, Enrollment, IslamicDate, Lesson, Module, RolloutWave, Speaker


class EnrollmentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Enrollment
    fields = ("office", "enrolled_on", "note", "recorded_at", "recorded_by")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("office__code", "-recorded_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RolloutWave)
class RolloutWaveAdmin(ScopedAdmin):
    list_display = ("number", "name", "planned_start", "government")
    list_display_links = ("number", "name")
    inlines = (EnrollmentInline,)


@admin.register(Enrollment)
class EnrollmentAdmin(ScopedAdmin):
    list_display = ("office", "wave", "enrolled_on", "note", "recorded_at", "recorded_by")
    list_filter = ("wave", "office")
    fields = ("office", "wave", "enrolled_on", "note")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # history: a correction is a new row

    def save_model(self, request: HttpRequest, obj: Enrollment, form: Any, change: bool) -> None:
        saved = services.enrollment_set(
            actor=request.user, office=obj.office, enrolled_on=obj.enrolled_on, wave=obj.wave, note=obj.note
        )
        obj.pk, obj.recorded_at, obj.recorded_by = saved.pk, saved.recorded_at, saved.recorded_by


class LessonInline(admin.StackedInline):  # type: ignore[type-arg]
    model = Lesson
    extra = 0
    fields = (("order", "title"), "summary", ("material_url", "material_file"), "facilitator")
    raw_id_fields = ("facilitator",)


@admin.register(Module)
class ModuleAdmin(ScopedAdmin):
    list_display = ("order", "title", "government")
    list_display_links = ("order", "title")
    inlines = (LessonInline,)


@admin.register(Speaker)
class SpeakerAdmin(ScopedAdmin):
    list_display = ("name", "title", "institution", "topics", "government")
    search_fields = ("name", "institution", "topics")


@admin.register(IslamicDate)
class IslamicDateAdmin(ScopedAdmin):
    list_display = ("kind", "hijri_year", "date", "source", "government")
    list_filter = ("kind", "source")
    fields = ("government", "kind", "hijri_year", "date")

    def save_model(self, request: HttpRequest, obj: IslamicDate, form: Any, change: bool) -> None:
        # A date the admin enters or corrects is the government's own (after the isbat), not a calculation.
        obj.source = IslamicDate.Source.OFFICIAL
        super().save_model(request, obj, form, change)


@admin.register(Closure)
class ClosureAdmin(ScopedAdmin):
    list_display = ("date", "reason", "office", "is_working_day", "government")
    list_filter = ("is_working_day",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)  # a holiday entered by mistake may go
