"""API authentication: a bearer token (phones, machines) or the browser's session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from perjumpaan.core.prepared import Prepared
from perjumpaan.org.models import ApiToken

# Tokens are `secrets.token_urlsafe(32)`: 43 characters. Anything much longer is not ours; refuse it
# before hashing so a huge header costs nothing.
MAX_TOKEN_LENGTH = 200
# The token with its user, and the user's employee record with its office, in one read: every phone's
# request starts here, and the check-in then needs no other read to know who is checking in.
TOKEN = Prepared(
    lambda digest: ApiToken.objects.select_related("user__employee__office").filter(digest=digest)[:1],
    digest=str,
)


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; the token row used is kept on the request as `api_token`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        token = token.strip()
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        row = TOKEN.first(digest=ApiToken.digest_of(token))
        if row is None or not row.user.is_active:
            return None
        user = row.user
        if user.is_demo and not settings.DEBUG:
            return None
        now = timezone.now()
        # Write the last-use time at most once a minute: a phone polling must not turn reads into writes.
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = user
        request.api_token = row  # type: ignore[attr-defined]
        return user


class SessionAuth(APIKeyCookie):
    """The browser's Django session. CSRF is enforced on unsafe methods, but only for a logged-in session.

    Ninja's own `SessionAuth` checks CSRF before it knows whether there is a session at all, which would
    refuse a bearer-token POST from a phone (no CSRF cookie) with 403 instead of trying the token.
    """

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, _("Pemeriksaan CSRF gagal. Muat ulang halaman lalu coba lagi."))
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.user.is_authenticated:
            return request.user
        return None


BEARER = BearerToken()
SESSION = SessionAuth()
# The token first: a request that carries one means it, whatever cookies the client also holds.
AUTH = [BEARER, SESSION]
