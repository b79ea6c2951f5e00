"""Back-office pages of public-service data, scoped like everything else (see `org.admin.ScopedAdmin`).

Import mappings are kept here: an admin saves, per office, how its queue machine's export reads."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from perjumpaan.org.admin import ScopedAdmin
from perjumpaan.service.models import (
    Complaint,
    ImprovementAction,
    Service,
    ServiceImportMapping,
    ServiceRecord,
    SurveySettings,
)


@admin.register(Service)
class ServiceAdmin(ScopedAdmin):
    list_display = ("code", "name", "office", "active", "order")
    list_filter = ("active",)
    search_fields = ("code", "name", "office__code")


@admin.register(ServiceImportMapping)
class ServiceImportMappingAdmin(ScopedAdmin):
    list_display = ("name", "office", "date_format", "time_format")
    search_fields = ("name", "office__code")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A mapping is configuration, not history: it may go.
        return self._allowed(request)


@admin.register(SurveySettings)
class SurveySettingsAdmin(ScopedAdmin):
    list_display = ("office", "ikm_weight")


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ScopedAdmin):
    list_display = ("date", "ticket", "office", "service", "result", "source")
    list_filter = ("result", "source")
    search_fields = ("ticket", "office__code")
    date_hierarchy = "date"
    raw_id_fields = ("officer",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Records come from the queue machine (import, push) or the counter's form.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ImprovementAction)
class ImprovementActionAdmin(ScopedAdmin):
    list_display = ("office", "period", "element", "status", "due_date")
    list_filter = ("status", "element")


@admin.register(Complaint)
class ComplaintAdmin(ScopedAdmin):
    list_display = ("reference", "office", "category", "status", "received_at")
    list_filter = ("status", "category", "channel")
    search_fields = ("reference",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Handled on the office's complaint page, where every step is recorded.
        return False
