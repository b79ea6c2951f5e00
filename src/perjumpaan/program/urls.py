from __future__ import annotations

from django.urls import path

from perjumpaan.program import views

app_name = "program"

urlpatterns = [
    path("hari-ini/", views.today, name="today"),
    path("program/", views.overview, name="overview"),
    path("opd/<str:office_code>/pekan/", views.week, name="week"),
    path("opd/<str:office_code>/pekan/acara/<int:item_id>/", views.agenda_assign, name="agenda_assign"),
    path(
        "opd/<str:office_code>/perjumpaan/<int:gathering_id>/batal/",
        views.gathering_cancel,
        name="gathering_cancel",
    ),
]
