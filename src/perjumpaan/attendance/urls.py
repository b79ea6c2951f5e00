from __future__ import annotations

from django.urls import path

from perjumpaan.attendance import views

app_name = "attendance"

GATHERING = "opd/<str:office_code>/perjumpaan/<int:gathering_id>/"

urlpatterns = [
    # `code` is a signed check-in code (attendance.codes), not an identifier of data.
    path("c/<str:code>/", views.checkin, name="checkin"),
    # The check-in screen and the roll call of one gathering.
    path(GATHERING + "layar/", views.screen, name="screen"),
    path(GATHERING + "layar/kode/", views.screen_code, name="screen_code"),
    path(GATHERING + "presensi/", views.rollcall, name="rollcall"),
    path(GATHERING + "presensi/tutup/", views.rollcall_close, name="rollcall_close"),
    # Leave: a staff member's own requests; an office's requests for its coordinator.
    path("izin/", views.leave_mine, name="leave_mine"),
    path("izin/<int:leave_id>/batal/", views.leave_withdraw, name="leave_withdraw"),
    path("izin/<int:leave_id>/lampiran/", views.leave_attachment, name="leave_attachment"),
    path("opd/<str:office_code>/izin/", views.leave_office, name="leave_office"),
    path("opd/<str:office_code>/izin/<int:leave_id>/", views.leave_decide, name="leave_decide"),
    # Personal follow-up of repeated absence.
    path("opd/<str:office_code>/tindak-lanjut/", views.follow_ups, name="follow_ups"),
    path(
        "opd/<str:office_code>/tindak-lanjut/<int:follow_up_id>/",
        views.follow_up_record,
        name="follow_up_record",
    ),
    # Recaps: an office's, one's own, every office's (with ?unduh=xlsx|csv|pdf).
    path("opd/<str:office_code>/rekap/", views.recap_office, name="recap_office"),
    path("opd/<str:office_code>/rekap/<str:fmt>/", views.recap_office_export, name="recap_office_export"),
    path("saya/kehadiran/", views.recap_mine, name="recap_mine"),
    path("rekap-kehadiran/", views.recap_offices, name="recap_offices"),
]
