"""POST /api/v1/auth/token: trade a username (or NIP) and password for a bearer token."""

from __future__ import annotations

import secrets

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from perjumpaan.org.models import ApiToken

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, object]]


@router.post("/token", auth=None, response={200: TokenOut, 401: ErrorOut, 429: ErrorOut})
def token_create(request: HttpRequest, payload: TokenIn) -> TokenOut:
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        raise HttpError(429, _("Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti."))
    if user is None:
        raise HttpError(401, _("Nama pengguna/NIP atau kata sandi salah."))
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=ApiToken.digest_of(token), name="api")
    return TokenOut(token=token)
