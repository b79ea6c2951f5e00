"""The leadership dashboard: /dasbor/ and below."""

from __future__ import annotations

from django.urls import path

from perjumpaan.impact import views

app_name = "impact"

urlpatterns = [
    path("dasbor/", views.home, name="dashboard"),
    path("dasbor/ekspor.csv", views.export, name="export"),
    path("dasbor/panel/", views.panel, name="panel"),
    path("dasbor/panel.csv", views.panel_csv, name="panel_csv"),
    path("dasbor/dampak/", views.impact, name="impact"),
    path("dasbor/dampak.csv", views.impact_csv, name="impact_csv"),
    path("dasbor/laporan-bulanan.pdf", views.monthly_report, name="monthly_report"),
    path("dasbor/opd/<str:office_code>/", views.office, name="office"),
    path("dasbor/opd/<str:office_code>/ekspor.csv", views.office_export, name="office_export"),
    path("dasbor/opd/<str:office_code>/sasaran/", views.targets, name="targets"),
]
