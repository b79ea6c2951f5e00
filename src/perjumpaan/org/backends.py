"""Log in with a username or with an NIP; demo accounts only while PERJUMPAAN_DEBUG is on."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from perjumpaan.org.models import Employee, User


class UsernameOrNipBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        username = username.strip()
        if username.isdigit() and len(username) == 18:
            employee = Employee.objects.filter(nip=username, is_active=True, user__isnull=False).first()
            if employee is not None and employee.user is not None:
                username = employee.user.get_username()
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and user.is_demo and not settings.DEBUG:
            return None
        return user  # type: ignore[return-value]

    def get_user(self, user_id: int) -> User | None:
        user = super().get_user(user_id)
        if user is not None and user.is_demo and not settings.DEBUG:
            return None
        return user  # type: ignore[return-value]


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The name django-axes counts failures under: an NIP counts as its account's username, so that
    typing the NIP and typing the username share one allowance of attempts."""
    username = (credentials or {}).get("username") or (request.POST.get("username") if request else None)
    if not username:
        return None
    username = str(username).strip()
    if username.isdigit() and len(username) == 18:
        owner = (
            Employee.objects.filter(nip=username, user__isnull=False)
            .values_list("user__username", flat=True)
            .first()
        )
        return owner or username
    return username
