from __future__ import annotations

from django.urls import path

from perjumpaan.org import setup_views, views

app_name = "org"

urlpatterns = [
    # First run: the wizard is open only while the database holds no government (org/setup_views.py).
    path("mulai/", setup_views.setup, name="setup"),
    path("mulai/selesai/", setup_views.setup_done, name="setup_done"),
    path("opd/", views.office_list, name="office_list"),
    path("opd/<str:office_code>/", views.office_detail, name="office_detail"),
    path("pegawai/<int:pk>/", views.employee_detail, name="employee_detail"),
    path("saya/", views.me, name="me"),
    path("saya/data/", views.my_data, name="my_data"),  # privacy: everything held about me, as a ZIP
    # Staff import and export
    path("opd/<str:office_code>/impor/", views.staff_import_upload, name="staff_import_upload"),
    path(
        "opd/<str:office_code>/impor/<int:upload_id>/",
        views.staff_import_preview,
        name="staff_import_preview",
    ),
    path(
        "opd/<str:office_code>/impor/<int:upload_id>/konfirmasi/",
        views.staff_import_confirm,
        name="staff_import_confirm",
    ),
    path(
        "opd/<str:office_code>/impor/<int:upload_id>/batal/",
        views.staff_import_cancel,
        name="staff_import_cancel",
    ),
    path("opd/<str:office_code>/ekspor/<str:fmt>/", views.staff_export, name="staff_export"),
]
