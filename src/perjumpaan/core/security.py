"""Security headers Django does not set itself: a Content-Security-Policy and a Permissions-Policy.

Django 5.2 has no CSP support, so this middleware adds the header to every response that does not carry
one. The policy (`settings.PERJUMPAAN_CSP`) is strict — only this origin's scripts, styles, images and
forms, no inline script or style, never framed:

    default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';
    frame-ancestors 'none'; form-action 'self'; base-uri 'none'

It holds because no template has an inline `<script>`, `<style>` or `style="…"` attribute (scripts and
styles are files under static/, and charts are SVG with presentation attributes, see
`core.charts`); `tests/core/test_security.py` keeps it so, and tests/e2e/test_csp_browser.py has Chromium
open the pages (the API's Swagger page too) and report any violation. A path prefix may be given a policy
of its own in `settings.PERJUMPAAN_CSP_PATHS`; none needs one today.

With DEBUG on, Django's own technical error pages (which use inline styles and scripts) go out without
the header, so that a developer can read them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

DEFAULT_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
# Geolocation for checking in, the screen wake lock for the check-in screen; nothing else.
DEFAULT_PERMISSIONS_POLICY = (
    "geolocation=(self), screen-wake-lock=(self), camera=(), microphone=(), payment=(), usb=()"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def policy_for(path: str) -> str:
        paths: dict[str, str] = getattr(settings, "PERJUMPAAN_CSP_PATHS", {})
        # Longest prefix first, so that the most specific one wins.
        for prefix, policy in sorted(paths.items(), key=lambda item: -len(item[0])):
            if path.startswith(prefix):
                return policy
        return str(getattr(settings, "PERJUMPAAN_CSP", DEFAULT_CSP))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.DEBUG and response.status_code >= 400 and _is_html(response):
            return response  # Django's technical error page
        policy = self.policy_for(request.path)
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        permissions = str(getattr(settings, "PERJUMPAAN_PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY))
        if permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions
        return response


def _is_html(response: HttpResponse) -> bool:
    return str(response.get("Content-Type", "")).startswith("text/html")


DEFAULT_MAX_REQUEST_BYTES = 12 * 1024 * 1024


class RequestSizeLimitMiddleware:
    """Refuses, before anything reads it, a request whose body is declared larger than
    `settings.PERJUMPAAN_MAX_REQUEST_BYTES` (12 MB: the largest upload, a 10 MB spreadsheet, with room to
    spare). Django limits form fields in memory but not file uploads, which it spools to disk whatever
    their size; nginx's client_max_body_size does the same in front, this holds when gunicorn is reached
    directly. 413, in the API's error shape under /api/, as a page elsewhere."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = int(getattr(settings, "PERJUMPAAN_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES))
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if limit and declared > limit:
            return too_large(request)
        return self.get_response(request)


def too_large(request: HttpRequest) -> HttpResponse:
    from django.template import loader
    from django.utils.translation import gettext as _

    if request.path.startswith("/api/"):
        from perjumpaan.api.api import error_response

        return error_response(request, 413, _("Isi permintaan terlalu besar."))
    body = loader.get_template("413.html").render({}, request)
    return HttpResponse(body, status=413)
