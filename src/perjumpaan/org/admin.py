from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from perjumpaan.core.scoping import MANAGE, access_for, scoped
from perjumpaan.org.models import ApiToken, AuditEntry, Employee, Government, Office, Role, Unit, User


def _admin_site_permission(request: HttpRequest) -> bool:
    """Django admin is for programme admins (by role, not by the is_staff flag) and superusers."""
    return bool(request.user.is_active and (request.user.is_superuser or access_for(request.user).is_admin))


admin.site.has_permission = _admin_site_permission  # type: ignore[method-assign]
admin.site.site_header = "Perjumpaan · Administrasi"
admin.site.site_title = "Perjumpaan"


class ScopedAdmin(admin.ModelAdmin):
    """Django admin for programme admins, narrowed by the same scoping as every other page.

    Superusers see everything; a programme admin sees and edits their own government's rows only.
    """

    def _allowed(self, request: HttpRequest) -> bool:
        return access_for(request.user).is_admin

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scoped(request.user, super().get_queryset(request), MANAGE)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Offices and employees are deactivated, never deleted: their history must stay.
        return False

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model
        if hasattr(related, "scope_office_field") or hasattr(related, "scope_government_field"):
            kwargs["queryset"] = scoped(request.user, related._default_manager.all(), MANAGE)
        elif related is Government:
            kwargs["queryset"] = Government.objects.filter(pk__in=_admin_governments(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _admin_governments(request: HttpRequest) -> QuerySet[Government]:
    access = access_for(request.user)
    if access.is_superuser:
        return Government.objects.all()
    return Government.objects.filter(pk__in=access.admin_governments)


@admin.register(User)
class PerjumpaanUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "is_active", "is_demo")
    fieldsets = (*UserAdmin.fieldsets, ("Perjumpaan", {"fields": ("is_demo",)}))  # type: ignore[misc]


@admin.register(Government)
class GovernmentAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "time_zone")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Government]:
        return _admin_governments(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access_for(request.user).is_admin

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access_for(request.user).is_admin

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access_for(request.user).is_admin


@admin.register(Office)
class OfficeAdmin(ScopedAdmin):
    list_display = ("code", "name", "kind", "government", "is_active")
    list_filter = ("government", "kind", "is_active")
    search_fields = ("code", "name")


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ("name", "office")
    list_filter = ("office",)


@admin.register(Employee)
class EmployeeAdmin(ScopedAdmin):
    list_display = ("name", "nip", "office", "status", "is_active")
    list_filter = ("office", "status", "is_active", "track")
    search_fields = ("name", "nip")
    raw_id_fields = ("user", "unit")


@admin.register(Role)
class RoleAdmin(ScopedAdmin):
    list_display = ("user", "kind", "government", "office")
    list_filter = ("kind", "government")
    raw_id_fields = ("user",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Role]:
        return Role.objects.filter(government__in=_admin_governments(request)).select_related(
            "user", "government", "office"
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "created_at", "last_used_at")
    readonly_fields = ("digest",)


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdmin):
    """Read-only: the audit trail is append-only, even for admins."""

    list_display = ("at", "actor", "office", "action", "object_type", "object_id")
    list_filter = ("action", "office")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Not even a programme admin or a superuser: old entries go only by the retention job (purge).
        return False
