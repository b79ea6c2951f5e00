"""Service pages. Everything under /opd/<office_code>/… needs a login and goes through the scoping;
/skm/<office_code>/… and /pengaduan/<office_code>/… (except the kiosk activation) are public."""

from __future__ import annotations

from django.urls import path

from perjumpaan.service import views

app_name = "service"

urlpatterns = [
    # The office's service page (login)
    path("opd/<str:office_code>/layanan/", views.dashboard, name="dashboard"),
    path("opd/<str:office_code>/layanan/ekspor/<str:fmt>/", views.dashboard_export, name="dashboard_export"),
    path("opd/<str:office_code>/layanan/poster.pdf", views.poster, name="poster"),
    path("opd/<str:office_code>/layanan/catat/", views.record_entry, name="record_entry"),
    path("opd/<str:office_code>/layanan/katalog/", views.catalogue, name="catalogue"),
    path("opd/<str:office_code>/layanan/katalog/<int:service_id>/", views.service_edit, name="service_edit"),
    path("opd/<str:office_code>/layanan/skm/", views.skm, name="skm"),
    path("opd/<str:office_code>/layanan/skm/ekspor/<str:fmt>/", views.skm_export, name="skm_export"),
    path("opd/<str:office_code>/layanan/skm/bobot/", views.skm_weight, name="skm_weight"),
    path("opd/<str:office_code>/layanan/rtl/", views.action_create, name="action_create"),
    path("opd/<str:office_code>/layanan/rtl/<int:improvement_id>/", views.action_edit, name="action_edit"),
    path("opd/<str:office_code>/pengaduan/", views.complaint_list, name="complaint_list"),
    path("opd/<str:office_code>/pengaduan/baru/", views.complaint_create, name="complaint_create"),
    path(
        "opd/<str:office_code>/pengaduan/ekspor/<str:fmt>/", views.complaint_export, name="complaint_export"
    ),
    path(
        "opd/<str:office_code>/pengaduan/<int:complaint_id>/", views.complaint_detail, name="complaint_detail"
    ),
    path("skm/<str:office_code>/kiosk/aktifkan/", views.kiosk_activate, name="kiosk_activate"),
    # Public (no account)
    path("skm/<str:office_code>/", views.survey, name="survey"),
    path("skm/<str:office_code>/terima-kasih/", views.survey_thanks, name="survey_thanks"),
    path("skm/<str:office_code>/kiosk/", views.kiosk, name="kiosk"),
    path("skm/<str:office_code>/hasil/", views.results, name="results"),
    path("skm/<str:office_code>/hasil/infografis.png", views.results_png, name="results_png"),
    path("skm/<str:office_code>/hasil/infografis.pdf", views.results_pdf, name="results_pdf"),
    path("pengaduan/<str:office_code>/", views.complaint_public, name="complaint_public"),
    path(
        "pengaduan/<str:office_code>/terkirim/", views.complaint_public_thanks, name="complaint_public_thanks"
    ),
]

# Routes anyone may open without an account (for the isolation proof and the docs).
PUBLIC_ROUTES = frozenset(
    {
        "service:survey",
        "service:survey_thanks",
        "service:kiosk",
        "service:results",
        "service:results_png",
        "service:results_pdf",
        "service:complaint_public",
        "service:complaint_public_thanks",
    }
)
