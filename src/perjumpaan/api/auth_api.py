"""Tokens for phones and machines.

- `POST /auth/token` trades a username (or NIP) and password for a bearer token, shown once;
- `DELETE /auth/token` revokes the token the request was made with (a phone logging out);
- `GET /auth/tokens` and `DELETE /auth/tokens/{token_id}` list and revoke the caller's own tokens.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from pydantic import field_validator

from perjumpaan.api.auth import BEARER
from perjumpaan.api.schemas import ErrorOut
from perjumpaan.org.models import ApiToken, User

router = Router(tags=["auth"])

ERROR_WRONG_CREDENTIALS = gettext_lazy("Nama pengguna/NIP atau kata sandi salah.")
ERROR_LOCKED_OUT = gettext_lazy("Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti.")


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL characters; Django's forms refuse them too.
    if "\x00" in value:
        raise ValueError(_("Tidak boleh berisi karakter NUL."))
    return value


def _caller(request: HttpRequest) -> User:
    """The authenticated caller of an operation that requires authentication."""
    user = request.user
    if not isinstance(user, User):  # unreachable: ninja answered 401 before the operation ran
        raise HttpError(401, _("Perlu masuk terlebih dahulu (sesi atau token)."))
    return user


class TokenIn(Schema):
    username: Annotated[str, Field(min_length=1, max_length=150)]
    password: Annotated[str, Field(min_length=1, max_length=1024)]
    name: Annotated[str, Field(max_length=100, description="Nama perangkat, misalnya 'HP Android'.")] = ""

    _check_no_nul = field_validator("username", "password", "name")(_no_nul)


class TokenOut(Schema):
    token: str


class TokenInfoOut(Schema):
    id: int
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    is_current: bool


@router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Minta token",
)
def token_create(request: HttpRequest, payload: TokenIn) -> TokenOut:
    # `request` goes to authenticate() so that django-axes counts failures and locks this endpoint too.
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # Our JSON is the lock-out answer; without this AxesMiddleware would swap in the HTML page.
        request.axes_locked_out = False  # type: ignore[attr-defined]
        raise HttpError(429, str(ERROR_LOCKED_OUT))
    if user is None:
        raise HttpError(401, str(ERROR_WRONG_CREDENTIALS))
    # A token is a login: django-axes resets the failure count and Django records last_login, as for
    # the login page (which sends this signal through `login()`).
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=ApiToken.digest_of(token), name=payload.name or "api")
    return TokenOut(token=token)


@router.delete("/token", auth=BEARER, response={204: None, 401: ErrorOut}, summary="Cabut token ini")
def token_revoke_current(request: HttpRequest) -> HttpResponse:
    ApiToken.objects.filter(pk=request.api_token.pk).delete()  # type: ignore[attr-defined]
    return HttpResponse(status=204)


@router.get("/tokens", response=list[TokenInfoOut], summary="Token saya")
def token_list(request: HttpRequest) -> list[TokenInfoOut]:
    current = getattr(request, "api_token", None)
    return [
        TokenInfoOut(
            id=row.pk,
            name=row.name,
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            is_current=current is not None and row.pk == current.pk,
        )
        for row in ApiToken.objects.filter(user=_caller(request)).order_by("-created_at")
    ]


@router.delete(
    "/tokens/{token_id}", response={204: None, 401: ErrorOut, 404: ErrorOut}, summary="Cabut salah satu token"
)
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    deleted, _rows = ApiToken.objects.filter(user=_caller(request), pk=token_id).delete()
    if not deleted:
        raise Http404
    return HttpResponse(status=204)
