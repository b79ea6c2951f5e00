"""Security headers Django does not set itself: a Content-Security-Policy and a Permissions-Policy.

Django 5.2 has no CSP support, so this middleware adds the header to every response that does not carry
one. The policy (`settings.PERJUMPAAN_CSP`) is strict — only this origin's scripts, styles, images and
forms, no inline script or style, never framed:

    default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';
    frame-ancestors 'none'; form-action 'self'; base-uri 'none'

It holds because no template has an inline `<script>`, `<style>` or `style="…"` attribute (scripts and
styles are files under static/, and charts are SVG with presentation attributes, see
`core.charts`); `tests/core/test_security.py` keeps it so. A path prefix may have its own policy in
`settings.PERJUMPAAN_CSP_PATHS` (the API's Swagger page, whose bundled script sets inline styles).

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
        self.policy: str = getattr(settings, "PERJUMPAAN_CSP", DEFAULT_CSP)
        paths: dict[str, str] = getattr(settings, "PERJUMPAAN_CSP_PATHS", {})
        # Longest prefix first, so that the most specific one wins.
        self.paths = sorted(paths.items(), key=lambda item: -len(item[0]))
        self.permissions: str = getattr(settings, "PERJUMPAAN_PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY)

    def policy_for(self, path: str) -> str:
        for prefix, policy in self.paths:
            if path.startswith(prefix):
                return policy
        return self.policy

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.DEBUG and response.status_code >= 400 and _is_html(response):
            return response  # Django's technical error page
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy_for(request.path)
        if self.permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions
        return response


def _is_html(response: HttpResponse) -> bool:
    return str(response.get("Content-Type", "")).startswith("text/html")
