from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from perjumpaan.org.models import ApiToken, AuditEntry, Employee, Government, Office, Role, Unit, User


@admin.register(User)
class PerjumpaanUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "is_active", "is_demo")
    fieldsets = (*UserAdmin.fieldsets, ("Perjumpaan", {"fields": ("is_demo",)}))  # type: ignore[misc]


@admin.register(Government)
class GovernmentAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "time_zone")


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "government", "is_active")
    list_filter = ("government", "kind", "is_active")
    search_fields = ("code", "name")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "office")
    list_filter = ("office",)


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ("name", "nip", "office", "status", "is_active")
    list_filter = ("office", "status", "is_active", "track")
    search_fields = ("name", "nip")
    raw_id_fields = ("user", "unit")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "government", "office")
    list_filter = ("kind", "government")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "created_at", "last_used_at")
    readonly_fields = ("digest",)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only, even for admins."""

    list_display = ("at", "actor", "office", "action", "object_type", "object_id")
    list_filter = ("action", "office")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
