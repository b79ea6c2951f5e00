"""Django admin for tadarus: plans, reading logs, groups and tadabbur notes, scoped like every admin page.

Personal reading (ODOJ memberships, reports, handovers, reading classes) is deliberately not registered:
what one person read is theirs and their group coordinator's alone, and a programme admin is neither.
"""

from __future__ import annotations

from django.contrib import admin

from perjumpaan.org.admin import ScopedAdmin
from perjumpaan.tadarus.models import KhatamPlan, ReadingGroup, ReadingLog, TadabburNote


@admin.register(KhatamPlan)
class KhatamPlanAdmin(ScopedAdmin):
    list_display = ("office", "track", "valid_from", "unit", "amount", "per", "start_surah", "start_ayah")
    list_filter = ("track", "unit")


@admin.register(ReadingLog)
class ReadingLogAdmin(ScopedAdmin):
    list_display = ("gathering", "stopped_surah", "stopped_ayah", "recorded_by", "recorded_at")
    raw_id_fields = ("gathering",)


@admin.register(ReadingGroup)
class ReadingGroupAdmin(ScopedAdmin):
    list_display = ("name", "office", "coordinator", "started_on", "show_members_progress")
    raw_id_fields = ("coordinator",)


@admin.register(TadabburNote)
class TadabburNoteAdmin(ScopedAdmin):
    list_display = ("title", "surah", "ayah", "ayah_end", "gathering", "created_at")
    list_filter = ("surah",)
    raw_id_fields = ("gathering", "author")
