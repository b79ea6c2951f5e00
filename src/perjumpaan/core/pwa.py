"""The installable app: the web app manifest, the service worker and the page it shows offline.

Staff add Perjumpaan to their phone's home screen from the manifest (/manifest.webmanifest). The service
worker (/sw.js, served from the root so that its scope is the whole site) keeps the static shell — the
stylesheet, the scripts, the icons — and an offline page. It never stores a page (every page is
somebody's own: their schedule, their attendance) and never touches a POST: pages always come from the
network, and when there is none the offline page says so in Indonesian. Static files are answered from
the cache and refreshed behind it (stale-while-revalidate), which is what makes a slow 3G connection
bearable.

The worker is a template so that it can name the static files by their hashed production URLs; its
version is a hash of those URLs and of the files' contents, so a release with a new stylesheet installs a
new worker that drops the old cache. Everything complies with the strict Content-Security-Policy
(core/security.py): the worker and the script registering it are files, nothing inline.
"""

from __future__ import annotations

import functools
import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

THEME_COLOR = "#0f766e"  # --brand in app.css
BACKGROUND_COLOR = "#f5f7fa"  # --bg in app.css

# The static shell the worker stores on installation (paths under STATIC_URL).
SHELL = (
    "perjumpaan/app.css",
    "perjumpaan/icon.svg",
    "perjumpaan/pwa.js",
    "perjumpaan/checkin.js",
    "perjumpaan/icons/icon-192.png",
)
ICONS = (
    ("perjumpaan/icons/icon-192.png", "192x192", "any"),
    ("perjumpaan/icons/icon-512.png", "512x512", "any"),
    ("perjumpaan/icons/maskable-512.png", "512x512", "maskable"),
)


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": "Sekolah Perjumpaan",
        "short_name": "Perjumpaan",
        "description": _("Jadwal, kehadiran dan evaluasi Sekolah Perjumpaan."),
        "lang": "id",
        "dir": "ltr",
        "id": reverse("program:today"),
        "start_url": reverse("program:today"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in ICONS
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/manifest+json"
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _contents_hash(paths: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        found = finders.find(path)
        if isinstance(found, str):
            with open(found, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()


# Release files do not change under a running process; in development they do, so no memo there.
_contents_hash_cached = functools.lru_cache(maxsize=4)(_contents_hash)


def worker_source() -> str:
    shell = [static(path) for path in SHELL]
    offline = reverse("offline")
    hasher = _contents_hash if settings.DEBUG else _contents_hash_cached
    version = hashlib.sha256(
        json.dumps([shell, offline, hasher(SHELL)]).encode() + render_to_string("core/offline.html").encode()
    ).hexdigest()[:16]
    return render_to_string(
        "core/sw.js",
        {
            "version": json.dumps(version),
            "shell": json.dumps(shell),
            "offline_url": json.dumps(offline),
            "static_prefix": json.dumps(settings.STATIC_URL),
        },
    )


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(worker_source(), content_type="text/javascript; charset=utf-8")
    # Browsers compare the worker byte for byte to find a new release: never let a cache answer for it.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """The page the worker shows when a page cannot be fetched. About nobody: it is stored on phones."""
    return render(request, "core/offline.html")
