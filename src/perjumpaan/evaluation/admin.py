"""Django admin of the evaluation, for programme admins.

Instruments are edited here, version by version: a published version is read-only (rounds answered it);
"Buat draf versi baru" copies the newest version into a draft whose items can be changed, added and
removed, and "Terbitkan" publishes it for the next rounds. An office's evaluation rules are edited here too.
Rounds, narratives and follow-up actions are shown read-only (their changes go through the pages, which
audit them). Assignments and responses have no admin at all: who rated whom stays out of every list.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from perjumpaan.core.scoping import access_for
from perjumpaan.evaluation import services
from perjumpaan.evaluation.models import (
    EvaluationPolicy,
    FollowUpAction,
    Instrument,
    InstrumentVersion,
    Item,
    Narrative,
    Round,
)
from perjumpaan.org.admin import ScopedAdmin


class ReadOnlyScopedAdmin(ScopedAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = InstrumentVersion
    fields = ("number", "published_at", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Instrument)
class InstrumentAdmin(ScopedAdmin):
    list_display = ("name", "government", "is_active", "created_at")
    list_filter = ("is_active",)
    inlines = (VersionInline,)
    actions = ("make_draft",)

    @admin.action(description=_("Buat draf versi baru (salinan versi terbaru)"))
    def make_draft(self, request: HttpRequest, queryset: QuerySet[Instrument]) -> None:
        for instrument in queryset:
            draft = services.instrument_version_draft(instrument=instrument, user=request.user)
            self.message_user(
                request,
                _("Draf versi %(n)s dari %(name)s siap diubah.")
                % {"n": draft.number, "name": instrument.name},
                messages.SUCCESS,
            )


class ItemInline(admin.StackedInline):  # type: ignore[type-arg]
    model = Item
    extra = 0
    fields = (
        ("order", "kind", "group"),
        ("value_code", "value_name"),
        "value_definition",
        "text",
        ("for_self", "for_peer", "for_supervisor"),
    )

    # Programme admins by their role, as in ScopedAdmin; and only while the version is a draft.
    def _editable(self, request: HttpRequest, obj: InstrumentVersion | None) -> bool:
        return access_for(request.user).is_admin and (obj is None or not obj.is_published)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access_for(request.user).is_admin


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(ScopedAdmin):
    list_display = ("instrument", "number", "published_at", "note")
    list_filter = ("instrument",)
    fields = ("instrument", "number", "scale_labels", "note", "published_at")
    readonly_fields = ("instrument", "number", "published_at")
    inlines = (ItemInline,)
    actions = ("publish",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # drafts are made from an instrument ("Buat draf versi baru")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and not obj.is_published and self._allowed(request)

    @admin.action(description=_("Terbitkan versi (tidak dapat diubah lagi)"))
    def publish(self, request: HttpRequest, queryset: QuerySet[InstrumentVersion]) -> None:
        for version in queryset:
            try:
                services.instrument_version_publish(version=version, user=request.user)
            except services.EvaluationError as error:
                self.message_user(request, f"{version}: {error}", messages.ERROR)
            else:
                self.message_user(request, _("%(v)s diterbitkan.") % {"v": version}, messages.SUCCESS)


@admin.register(EvaluationPolicy)
class EvaluationPolicyAdmin(ScopedAdmin):
    list_display = ("office", "peers_per_person", "close_days_after", "close_time")
    search_fields = ("office__code", "office__name")


@admin.register(Round)
class RoundAdmin(ReadOnlyScopedAdmin):
    list_display = ("office", "week", "instrument_version", "opens_at", "closes_at", "closed_at")
    list_filter = ("office",)
    list_select_related = ("office", "instrument_version__instrument")


@admin.register(Narrative)
class NarrativeAdmin(ReadOnlyScopedAdmin):
    list_display = ("round", "author", "updated_at")
    list_select_related = ("round__office", "author")


@admin.register(FollowUpAction)
class FollowUpActionAdmin(ReadOnlyScopedAdmin):
    list_display = ("office", "week_opened", "text", "owner", "due_on", "status", "week_closed")
    list_filter = ("status", "office")
    list_select_related = ("office", "owner")
