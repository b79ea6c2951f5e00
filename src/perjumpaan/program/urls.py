from __future__ import annotations

from django.urls import path

from perjumpaan.program import views

app_name = "program"

urlpatterns = [
    path("hari-ini/", views.today, name="today"),
    path("program/", views.overview, name="overview"),
    path("opd/<str:office_code>/pekan/", views.week, name="week"),
    path("opd/<str:office_code>/pekan/pdf/", views.week_pdf, name="week_pdf"),
    path("opd/<str:office_code>/pekan/acara/<int:item_id>/", views.agenda_assign, name="agenda_assign"),
    path(
        "opd/<str:office_code>/perjumpaan/<int:gathering_id>/batal/",
        views.gathering_cancel,
        name="gathering_cancel",
    ),
    path("opd/<str:office_code>/perjumpaan/baru/", views.gathering_new, name="gathering_new"),
    path(
        "opd/<str:office_code>/perjumpaan/<int:gathering_id>/pindah/",
        views.gathering_move,
        name="gathering_move",
    ),
    path("opd/<str:office_code>/templat/", views.template_list, name="template_list"),
    path("opd/<str:office_code>/templat/baru/", views.template_edit, name="template_new"),
    path("opd/<str:office_code>/templat/<int:template_id>/ubah/", views.template_edit, name="template_edit"),
    path(
        "opd/<str:office_code>/templat/<int:template_id>/hentikan/",
        views.template_stop,
        name="template_stop",
    ),
    path("opd/<str:office_code>/kurikulum/", views.curriculum, name="curriculum"),
    path("giliran/", views.my_turns, name="my_turns"),
    path("giliran/<int:item_id>/tukar/", views.my_turn_swap, name="my_turn_swap"),
    path("giliran/permintaan/<int:swap_id>/", views.my_swap_decide, name="my_swap_decide"),
    path("giliran/preferensi/", views.my_roster_preference, name="my_roster_preference"),
    path("narasumber/", views.speaker_list, name="speaker_list"),
    path("narasumber/<int:speaker_id>/", views.speaker_schedule, name="speaker_schedule"),
    path(
        "opd/<str:office_code>/perjumpaan/<int:gathering_id>/narasumber/",
        views.speaker_invite,
        name="speaker_invite",
    ),
    # Calendars out: `token` is a CalendarToken.token, the feed's only credential (no login).
    path("kalender/", views.calendar_feeds, name="calendar_feeds"),
    path("kalender/opd/<str:token>.ics", views.office_feed, name="office_feed"),
    path("kalender/saya/<str:token>.ics", views.personal_feed, name="personal_feed"),
]
