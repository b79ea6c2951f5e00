from __future__ import annotations

from django.urls import path

from perjumpaan.tadarus import views

app_name = "tadarus"

urlpatterns = [
    path("opd/<str:office_code>/tadarus/", views.office, name="office"),
    path("opd/<str:office_code>/tadarus/rencana/", views.plan_set, name="plan_set"),
    path(
        "opd/<str:office_code>/tadarus/perjumpaan/<int:gathering_id>/catat/",
        views.log_record,
        name="log_record",
    ),
    path("opd/<str:office_code>/tadarus/kelas/", views.level_enrol, name="level_enrol"),
    path("tadarus/grup/", views.groups, name="groups"),
    path("tadarus/grup/<int:group_id>/", views.group, name="group"),
    path("tadarus/grup/<int:group_id>/lapor/", views.group_report, name="group_report"),
    path("tadarus/grup/<int:group_id>/lelang/", views.group_handover, name="group_handover"),
    path("tadarus/grup/<int:group_id>/anggota/", views.group_members, name="group_members"),
    path("tadarus/grup/<int:group_id>/pengaturan/", views.group_settings, name="group_settings"),
    path("tadarus/kelas/", views.levels, name="levels"),
    path("tadarus/kelas/naik/", views.level_up, name="level_up"),
    path("tadarus/tadabbur/", views.notes, name="notes"),
    path("tadarus/tadabbur/tulis/", views.note_add, name="note_add"),
    path("tadarus/tadabbur/<int:note_id>/", views.note, name="note"),
    path("tadarus/ringkasan/", views.summary, name="summary"),
]
