from __future__ import annotations

from django.urls import path

from perjumpaan.org import views

app_name = "org"

urlpatterns = [
    path("opd/", views.office_list, name="office_list"),
    path("opd/<str:office_code>/", views.office_detail, name="office_detail"),
    path("pegawai/<int:pk>/", views.employee_detail, name="employee_detail"),
    path("saya/", views.me, name="me"),
]
