"""URL map: one include per app, the API under /api/v1/, Django admin under /admin/."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from perjumpaan.api.api import api
from perjumpaan.core import guide, pwa
from perjumpaan.core import views as core_views
from perjumpaan.org import views as org_views
from perjumpaan.org.forms import LoginForm

urlpatterns = [
    path("", org_views.home, name="home"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    # The installable app (core/pwa.py): the worker must be served from the root to control every page.
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("luring/", pwa.offline, name="offline"),
    # The user guide, docs/panduan/*.md, for every logged-in user (core/guide.py).
    path("panduan/", guide.guide, name="guide"),
    path("panduan/gambar/<str:image>", guide.guide_image, name="guide_image"),
    path("panduan/<str:page>/", guide.guide, name="guide_page"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("perjumpaan.org.urls")),
    path("", include("perjumpaan.program.urls")),
    path("", include("perjumpaan.service.urls")),
    path("", include("perjumpaan.tadarus.urls")),
    path("", include("perjumpaan.attendance.urls")),
    path("", include("perjumpaan.evaluation.urls")),
    path("", include("perjumpaan.impact.urls")),
]

# The 500 page renders without the request's context and shows the request's id (core/views.py).
handler500 = "perjumpaan.core.views.server_error"
