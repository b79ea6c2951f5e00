"""The one place where what a user may see and change is decided.

Every queryset of office data that a view, export, command on behalf of a user or API operation reads
goes through `scoped(user, queryset, action)`. A scoped model names the path from itself to its office in
`scope_office_field` ("pk" for `Office` itself) and, when its rows are personal data, the path to the
employee they belong to in `scope_owner_field`. Government-wide reference data (the guest-speaker
directory, the curriculum) names the path to its government in `scope_government_field` instead: everyone
of that government may view it, its programme admins may manage it.

The rules:

- programme admin: everything in their government; may view and manage.
- leadership (Bupati, Sekda): everything in their government; view only.
- office coordinator: their offices; view and manage.
- facilitator: their offices' non-personal data; view only.
- staff (an active employee linked to the login): their own office's non-personal data, and their own
  personal rows; view only. What staff may *do* (check in, answer an evaluation) is decided by the
  services that do it, which check the employee themselves.
- anybody else: nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from django.db.models import Model, Q, QuerySet

Action = Literal["view", "manage"]
VIEW: Action = "view"
MANAGE: Action = "manage"

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Access:
    """What one user's roles add up to, computed once per request."""

    is_superuser: bool = False
    admin_governments: frozenset[int] = frozenset()
    leadership_governments: frozenset[int] = frozenset()
    coordinator_offices: frozenset[int] = frozenset()
    facilitator_offices: frozenset[int] = frozenset()
    employee_id: int | None = None
    employee_office_id: int | None = None
    # Every government the user has any role or employment in (for government-wide reference data).
    member_governments: frozenset[int] = frozenset()

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or bool(self.admin_governments)

    @property
    def is_leadership(self) -> bool:
        return bool(self.leadership_governments)

    @property
    def is_coordinator(self) -> bool:
        return bool(self.coordinator_offices)

    @property
    def is_facilitator(self) -> bool:
        return bool(self.facilitator_offices)

    @property
    def is_staff_member(self) -> bool:
        return self.employee_id is not None

    @property
    def sees_many_offices(self) -> bool:
        return (
            self.is_admin
            or self.is_leadership
            or len(self.coordinator_offices | self.facilitator_offices) > 1
        )


NO_ACCESS = Access()


def access_for(user: Any) -> Access:
    """The user's access, cached on the user object for the rest of the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_ACCESS
    cached = getattr(user, "_perjumpaan_access", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]

    from perjumpaan.org.models import Employee, Role

    roles = list(Role.objects.filter(user=user).values_list("kind", "government_id", "office_id"))

    def governments(kind: str) -> frozenset[int]:
        return frozenset(g for k, g, _ in roles if k == kind)

    def offices(kind: str) -> frozenset[int]:
        return frozenset(o for k, _, o in roles if k == kind and o is not None)

    employee = (
        Employee.objects.filter(user=user, is_active=True, office__is_active=True)
        .values_list("pk", "office_id", "government_id")
        .first()
    )
    access = Access(
        is_superuser=bool(user.is_superuser),
        admin_governments=governments(Role.Kind.ADMIN),
        leadership_governments=governments(Role.Kind.LEADERSHIP),
        coordinator_offices=offices(Role.Kind.COORDINATOR),
        facilitator_offices=offices(Role.Kind.FACILITATOR),
        employee_id=employee[0] if employee else None,
        employee_office_id=employee[1] if employee else None,
        member_governments=frozenset(g for _, g, _ in roles) | ({employee[2]} if employee else set()),
    )
    user._perjumpaan_access = access
    return access


def scoped(user: Any, queryset: QuerySet[M], action: Action = VIEW) -> QuerySet[M]:
    """`queryset` narrowed to the rows `user` may `action` ("view" or "manage")."""
    model = queryset.model
    access = access_for(user)
    if access.is_superuser:
        return queryset
    if access is NO_ACCESS:
        return queryset.none()
    government_field: str | None = getattr(model, "scope_government_field", None)
    if government_field is not None:
        governments = access.admin_governments if action == MANAGE else access.member_governments
        return queryset.filter(**{f"{government_field}__in": governments})
    office_field: str = model.scope_office_field  # type: ignore[attr-defined]
    owner_field: str | None = getattr(model, "scope_owner_field", None)

    office_prefix = "" if office_field == "pk" else f"{office_field}__"
    by_office = f"{office_prefix}pk__in"
    by_government = f"{office_prefix}government_id__in"

    if action == MANAGE:
        governments = access.admin_governments
        offices = access.coordinator_offices
    else:
        governments = access.admin_governments | access.leadership_governments
        offices = access.coordinator_offices
        if owner_field is None:
            offices = offices | access.facilitator_offices
            if access.employee_office_id is not None:
                offices = offices | {access.employee_office_id}

    condition = Q(pk__in=[])
    if governments:
        condition |= Q(**{by_government: governments})
    if offices:
        condition |= Q(**{by_office: offices})
    if action == VIEW and owner_field is not None and access.employee_id is not None:
        condition |= Q(**{owner_field: access.employee_id})
    return queryset.filter(condition)


def can(user: Any, obj: Model, action: Action = VIEW) -> bool:
    """Whether `user` may `action` this one object, by the same rules as `scoped`."""
    return scoped(user, type(obj)._default_manager.filter(pk=obj.pk), action).exists()
