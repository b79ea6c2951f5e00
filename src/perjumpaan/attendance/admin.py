"""Django admin of attendance, for programme admins: an office's attendance rules are edited here; marks,
frozen rules and follow-ups are shown read-only, because every change to a mark after the fact must go
through the roll call, which asks for a reason and audits it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from perjumpaan.attendance.models import Attendance, AttendancePolicy, FollowUp, GatheringRules, LeaveRequest
from perjumpaan.org.admin import ScopedAdmin


class ReadOnlyScopedAdmin(ScopedAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AttendancePolicy)
class AttendancePolicyAdmin(ScopedAdmin):
    list_display = (
        "office",
        "grace_minutes",
        "opens_before_minutes",
        "code_seconds",
        "location_mode",
        "radius_m",
    )
    list_filter = ("location_mode",)
    search_fields = ("office__code", "office__name")


@admin.register(GatheringRules)
class GatheringRulesAdmin(ReadOnlyScopedAdmin):
    list_display = ("gathering", "grace_minutes", "opens_before_minutes", "code_seconds", "location_mode")
    list_select_related = ("gathering__office",)


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyScopedAdmin):
    list_display = ("gathering", "employee", "status", "source", "marked_at", "flags")
    list_filter = ("status", "source", "gathering__office")
    search_fields = ("employee__name", "employee__nip")
    list_select_related = ("gathering__office", "employee")
    date_hierarchy = "marked_at"


@admin.register(LeaveRequest)
class LeaveRequestAdmin(ReadOnlyScopedAdmin):
    list_display = ("employee", "kind", "start_date", "end_date", "status", "decided_by")
    list_filter = ("status", "kind", "employee__office")
    search_fields = ("employee__name", "employee__nip")
    list_select_related = ("employee", "decided_by")
    # The attachment is opened through the attendance page that checks who may see it, never a media URL.
    exclude = ("attachment",)


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyScopedAdmin):
    list_display = ("employee", "streak", "opened_at", "talked_on", "closed")
    list_filter = ("closed", "employee__office")
    list_select_related = ("employee",)
