from __future__ import annotations

from django.urls import path

from perjumpaan.evaluation import views

app_name = "evaluation"

# `week` is an ISO week, "2026-W48"; any week that exists is a valid page (a week without a round says so).
WEEK = "opd/<str:office_code>/evaluasi/<str:week>/"

urlpatterns = [
    # Staff: fill in (one screen per person assessed), and one's own scores over time.
    path("evaluasi/", views.fill, name="fill"),
    path("evaluasi/<int:assignment_id>/", views.fill_assignment, name="fill_assignment"),
    path("saya/evaluasi/", views.mine, name="mine"),
    # The office: trends, and one week's summary with its report, data, narrative and supervisors.
    path("opd/<str:office_code>/evaluasi/", views.office_trend, name="office"),
    path(WEEK, views.summary, name="summary"),
    path(WEEK + "laporan.pdf", views.report_pdf, name="report_pdf"),
    path(WEEK + "data.xlsx", views.data_xlsx, name="data_xlsx"),
    path(WEEK + "narasi/", views.narrative, name="narrative"),
    path(WEEK + "atasan/", views.supervisors, name="supervisors"),
    path(WEEK + "tindak-lanjut/", views.action_add, name="action_add"),
    path(
        "opd/<str:office_code>/evaluasi/tindak-lanjut/<int:action_id>/",
        views.action_update,
        name="action_update",
    ),
    path(
        "opd/<str:office_code>/evaluasi/penugasan/<int:assignment_id>/hapus/",
        views.assignment_remove,
        name="assignment_remove",
    ),
]
