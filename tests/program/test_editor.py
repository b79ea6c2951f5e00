"""The coordinator's web tools: editing gathering templates, adding an ad-hoc gathering, moving or
cancelling one, and the curriculum progress page."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from perjumpaan.attendance.models import Attendance
from perjumpaan.org.models import AuditEntry, Employee
from perjumpaan.program.models import AgendaItem, Gathering, GatheringTemplate, Lesson, Module, Speaker
from perjumpaan.program.services import gathering_cancel, gathering_schedule, schedule_plan
from tests.base import PerjumpaanTestCase
from tests.program.helpers import enrol_with_templates

WITA = ZoneInfo("Asia/Makassar")
# Wednesday 2 December 2026, 08.00 WITA: Tuesday's gathering is held, today's (12.30) is still ahead.
NOW = dt.datetime(2026, 12, 2, 8, 0, tzinfo=WITA)


def local(g: Gathering) -> dt.datetime:
    return g.start.astimezone(WITA)


def template_post(**overrides: Any) -> dict[str, Any]:
    """A valid template form: Monday–Thursday at 13.00 for 45 minutes in the Aula, from tomorrow."""
    data: dict[str, Any] = {
        "track": "islam",
        "variant": "regular",
        "weekdays": ["0", "1", "2", "3"],
        "start_mode": "fixed",
        "start_time": "13:00",
        "prayer": "",
        "offset_minutes": "",
        "duration_minutes": "45",
        "place": "Aula lantai 2",
        "valid_from": "2026-12-03",
        "agenda_kind_1": "kultum",
        "agenda_minutes_1": "10",
        "agenda_kind_2": "tausiah",
        "agenda_minutes_2": "30",
        "agenda_kind_3": "doa",
        "agenda_minutes_3": "5",
    }
    data.update(overrides)
    return data


@time_machine.travel(NOW, tick=False)
class CoordinatorToolsTestCase(PerjumpaanTestCase):
    def setUp(self) -> None:
        self.government.latitude, self.government.longitude = -8.6936, 116.1230
        self.government.save()
        enrol_with_templates(self.dukcapil)
        gathering_schedule(office=self.dukcapil, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 11))
        Gathering.objects.filter(date=dt.date(2026, 12, 1)).update(status=Gathering.Status.HELD)
        self.me = Employee.objects.get(user=self.staf_dukcapil)
        self.regular = GatheringTemplate.objects.get(office=self.dukcapil, variant="regular")
        self.client.force_login(self.koord_dukcapil)

    def on(self, day: int, kind: str = "regular") -> Gathering:
        return Gathering.objects.get(office=self.dukcapil, date=dt.date(2026, 12, day), kind=kind)


class TemplateEditorTests(CoordinatorToolsTestCase):
    def url(self) -> str:
        return reverse("program:template_edit", args=["DUKCAPIL", self.regular.pk])

    def test_the_list_shows_each_template_in_words(self) -> None:
        response = self.client.get(reverse("program:template_list", args=["DUKCAPIL"]))
        self.assertContains(response, "Islam · Hari biasa")
        self.assertContains(response, "Islam · Jumat")
        self.assertContains(response, "Senin, Selasa, Rabu, Kamis")
        self.assertContains(
            response, "Kultum 7′ · Tadarus 15′ · Tadabbur 8′ · Materi Sekolah Perjumpaan 10′ · Doa 5′"
        )
        self.assertContains(response, "Ubah (versi baru)")

    def test_the_form_starts_from_the_current_version(self) -> None:
        response = self.client.get(self.url())
        self.assertContains(response, 'value="12:30"')
        self.assertContains(response, 'value="Musala kantor"')
        self.assertContains(response, 'value="2026-12-03"')  # tomorrow, the earliest sensible date

    def test_a_new_version_changes_only_future_gatherings_nobody_attended(self) -> None:
        # Thursday's gathering already has a check-in (an early roll call); the rest of the week does not.
        giver_on_7 = self.on(7).agenda.get(kind="kultum").employee_id
        Attendance.objects.create(gathering=self.on(3), employee=self.me, status="H", source="rollcall")
        response = self.client.post(self.url(), template_post())
        self.assertRedirects(response, reverse("program:template_list", args=["DUKCAPIL"]))

        self.assertEqual(local(self.on(1)).time(), dt.time(12, 30))  # held: untouched
        self.assertEqual(self.on(1).template, self.regular)
        self.assertEqual(local(self.on(2)).time(), dt.time(12, 30))  # before the new version's date
        self.assertEqual(local(self.on(3)).time(), dt.time(12, 30))  # attended: untouched
        self.assertEqual(self.on(3).place, "Musala kantor")
        for day in (7, 8, 9, 10):
            gathering = self.on(day)
            self.assertEqual((local(gathering).time(), gathering.place), (dt.time(13, 0), "Aula lantai 2"))
            self.assertEqual(gathering.end - gathering.start, dt.timedelta(minutes=45))
        self.assertEqual(local(self.on(4)).time(), dt.time(9, 0))  # Friday has its own template
        # The agenda follows the new version, and the kultum giver keeps their turn.
        self.assertEqual(
            list(self.on(7).agenda.values_list("kind", "minutes")),
            [("kultum", 10), ("tausiah", 30), ("doa", 5)],
        )
        self.assertEqual(self.on(7).agenda.get(kind="kultum").employee_id, giver_on_7)
        self.assertEqual(list(self.on(1).agenda.values_list("kind", flat=True))[3], "materi")
        # The old version is kept; the change is audited from old to new.
        versions = GatheringTemplate.objects.filter(office=self.dukcapil, variant="regular")
        self.assertEqual(versions.count(), 2)
        entry = AuditEntry.objects.get(action="template.save")
        self.assertEqual(entry.actor, self.koord_dukcapil)
        self.assertEqual(entry.old["start_time"], "12:30")
        self.assertEqual(entry.new["start_time"], "13:00")
        self.assertEqual(entry.new["agenda"], [["kultum", 10], ["tausiah", 30], ["doa", 5]])
        page = self.client.get(reverse("program:template_list", args=["DUKCAPIL"]))
        self.assertContains(page, "Perubahan yang akan berlaku")
        self.assertContains(page, "1 versi sebelumnya", count=0)  # the old one is still in force today

    def test_an_invited_speaker_and_the_lesson_survive_a_template_change(self) -> None:
        from perjumpaan.program.services import speaker_invite

        speaker = Speaker.objects.create(government=self.government, title="Dr.", name="Nurul Hidayati")
        speaker_invite(actor=self.koord_dukcapil, gathering=self.on(7), speaker=speaker)
        before = list(self.on(8).agenda.values_list("kind", "minutes", "employee_id"))
        # Only the place changes: the agenda of every future gathering stays exactly as it was.
        same_agenda = {
            f"agenda_{field}_{row}": value
            for row, (kind, minutes) in enumerate(
                [("kultum", 7), ("tadarus", 15), ("tadabbur", 8), ("materi", 10), ("doa", 5)], 1
            )
            for field, value in (("kind", kind), ("minutes", str(minutes)))
        }
        self.client.post(self.url(), {**template_post(start_time="12:30"), **same_agenda})
        self.assertEqual(self.on(8).place, "Aula lantai 2")
        self.assertEqual(list(self.on(8).agenda.values_list("kind", "minutes", "employee_id")), before)
        self.assertEqual(self.on(7).agenda.get(kind="tausiah").speaker, speaker)
        # A new agenda without a tausiah: the invited speaker keeps a tausiah at the end.
        self.client.post(
            self.url(),
            template_post(agenda_kind_2="tadarus", agenda_minutes_2="20", valid_from="2026-12-04"),
        )
        self.assertEqual(
            list(self.on(7).agenda.values_list("kind", "minutes", "speaker_id")),
            [("kultum", 10, None), ("tadarus", 20, None), ("doa", 5, None), ("tausiah", 20, speaker.pk)],
        )

    def test_bad_input_is_refused_in_indonesian_and_what_was_typed_stays(self) -> None:
        cases = [
            (
                {"valid_from": "2026-11-30"},
                "Tanggal berlaku tidak boleh sebelum hari ini: perjumpaan yang sudah lewat tidak diubah.",
            ),
            ({"agenda_minutes_2": "35"}, "Jumlah menit acara (50) melebihi durasi perjumpaan (45 menit)."),
            ({"variant": "friday"}, "Templat Jumat hanya berlaku pada hari Jumat: centang Jumat saja."),
            ({"start_mode": "prayer"}, "Pilih waktu salat yang menjadi acuan."),
            ({"start_time": "jam satu"}, "Tulis jam seperti 12.30 atau 12:30."),
            ({"weekdays": []}, "Pilih paling sedikit satu hari."),
            ({"agenda_minutes_1": ""}, "Isi menit untuk acara Kultum."),
            ({"duration_minutes": "300"}, "240"),
        ]
        for overrides, message in cases:
            with self.subTest(overrides=overrides):
                response = self.client.post(self.url(), template_post(**overrides))
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
                self.assertContains(response, 'value="Aula lantai 2"')
        self.assertEqual(GatheringTemplate.objects.filter(office=self.dukcapil).count(), 2)
        self.assertEqual(local(self.on(7)).time(), dt.time(12, 30))

    def test_a_prayer_relative_ramadan_variant_applies_in_ramadan_only(self) -> None:
        response = self.client.post(
            reverse("program:template_new", args=["DUKCAPIL"]),
            template_post(
                variant="ramadan",
                weekdays=["0", "1", "2", "3", "4"],
                start_mode="prayer",
                start_time="",
                prayer="dzuhur",
                offset_minutes="15",
                duration_minutes="35",
                valid_from="2027-01-01",
                agenda_minutes_2="20",
            ),
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        planned, _skipped = schedule_plan(
            office=self.dukcapil, start=dt.date(2027, 2, 1), end=dt.date(2027, 2, 22)
        )
        by_day = {p.date: p for p in planned}
        # 1 February 2027 is before Ramadan 1448: the regular template at 12.30.
        self.assertEqual(by_day[dt.date(2027, 2, 1)].template.variant, "regular")
        self.assertEqual(by_day[dt.date(2027, 2, 1)].start.astimezone(WITA).time(), dt.time(12, 30))
        ramadan = by_day[dt.date(2027, 2, 22)]
        self.assertEqual(ramadan.template.variant, "ramadan")
        # Worked by hand: Gerung lies at 116.123° E, 3.877° west of the WITA meridian (120°), so the sun
        # culminates 15.5 min after 12.00; on 22 February the equation of time is −13.6 min, so true noon
        # is 12.29; Kemenag's ihtiyat of 2 min puts Dzuhur at 12.31, and the gathering 15 min later.
        expected = dt.datetime(2027, 2, 22, 12, 46, tzinfo=WITA)
        self.assertLessEqual(abs(ramadan.start - expected), dt.timedelta(minutes=2))
        self.assertEqual(ramadan.end - ramadan.start, dt.timedelta(minutes=35))
        # Friday in Ramadan: no Jumat-Ramadan template, so the Ramadan one (which meets on Fridays).
        friday = by_day[dt.date(2027, 2, 19)]
        self.assertEqual(friday.template.variant, "ramadan")

    def test_a_prayer_relative_template_needs_coordinates(self) -> None:
        self.government.latitude = self.government.longitude = None
        self.government.save()
        response = self.client.post(
            self.url(), template_post(start_mode="prayer", prayer="dzuhur", offset_minutes="15")
        )
        self.assertContains(response, "koordinat kantor dan pemda belum diisi")
        self.assertEqual(GatheringTemplate.objects.filter(office=self.dukcapil).count(), 2)

    def test_stopping_a_variant_lets_the_other_template_take_over(self) -> None:
        friday = GatheringTemplate.objects.get(office=self.dukcapil, variant="friday")
        # Make the regular template meet on Fridays too, from next week.
        self.client.post(
            self.url(), template_post(weekdays=["0", "1", "2", "3", "4"], valid_from="2026-12-07")
        )
        response = self.client.post(reverse("program:template_stop", args=["DUKCAPIL", friday.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(local(self.on(11)).time(), dt.time(13, 0))  # now from the regular template
        cancelled = self.on(4)  # no regular version valid on 4 December meets on Fridays
        self.assertEqual(cancelled.status, "cancelled")
        self.assertTrue(AuditEntry.objects.filter(action="template.stop").exists())

    def test_only_the_office_s_coordinator_edits_its_templates(self) -> None:
        for persona in ("koord_pupr", "staf_dukcapil", "pimpinan", "fasilitator"):
            with self.subTest(persona=persona):
                self.client.force_login(getattr(self, persona))
                self.assertEqual(self.client.post(self.url(), template_post()).status_code, 404)
        self.assertEqual(GatheringTemplate.objects.filter(office=self.dukcapil).count(), 2)
        self.client.force_login(self.koord_pupr)
        response = self.client.get(reverse("program:template_list", args=["DUKCAPIL"]))
        self.assertEqual(response.status_code, 404)


class AdhocGatheringTests(CoordinatorToolsTestCase):
    url = reverse("program:gathering_new", args=["DUKCAPIL"])

    def post(self, **overrides: Any) -> Any:
        data = {
            "title": "Tausiah Maulid Nabi",
            "track": "islam",
            "date": "2026-12-03",
            "start_time": "13:15",
            "minutes": "60",
            "place": "Aula",
            "speaker": "",
            "agenda_kind_1": "tausiah",
            "agenda_minutes_1": "45",
            "agenda_kind_2": "doa",
            "agenda_minutes_2": "5",
        }
        data.update(overrides)
        return self.client.post(self.url, data)

    def test_a_coordinator_adds_a_special_tausiah_with_an_invited_speaker(self) -> None:
        speaker = Speaker.objects.create(government=self.government, title="Prof. Dr.", name="Ahmad Fauzi")
        response = self.post(speaker=speaker.pk)
        self.assertRedirects(response, reverse("program:week", args=["DUKCAPIL"]) + "?w=2026-W49")
        gathering = self.on(3, kind="adhoc")
        self.assertEqual(local(gathering), dt.datetime(2026, 12, 3, 13, 15, tzinfo=WITA))
        self.assertEqual(gathering.end - gathering.start, dt.timedelta(minutes=60))
        self.assertEqual((gathering.title, gathering.place), ("Tausiah Maulid Nabi", "Aula"))
        self.assertEqual(list(gathering.agenda.values_list("kind", "minutes")), [("tausiah", 45), ("doa", 5)])
        self.assertEqual(gathering.agenda.get(kind="tausiah").speaker, speaker)
        self.assertTrue(
            AuditEntry.objects.filter(action="gathering.add", object_id=str(gathering.pk)).exists()
        )
        week = self.client.get(response["Location"])
        self.assertContains(week, "Tausiah Maulid Nabi")
        self.assertContains(week, "13.15–14.15")

    def test_an_overlap_in_the_same_track_is_refused_with_the_clashing_gathering_named(self) -> None:
        response = self.post(start_time="13:00")  # Thursday's gathering runs 12.30–13.15
        self.assertContains(
            response,
            "Bertabrakan dengan perjumpaan jalur Islam pada Kamis, 3 Desember 2026 pukul 12.30–13.15 "
            "di Musala kantor.",
        )
        self.assertContains(response, 'value="Tausiah Maulid Nabi"')
        self.assertFalse(Gathering.objects.filter(kind="adhoc").exists())
        # Another faith's track meets in its own room at the same time.
        self.assertEqual(self.post(start_time="13:00", track="hindu").status_code, 302)

    def test_a_time_in_the_past_is_refused(self) -> None:
        response = self.post(date="2026-12-01")
        self.assertContains(response, "Waktu mulai sudah lewat; pilih waktu yang akan datang.")
        self.assertFalse(Gathering.objects.filter(kind="adhoc").exists())

    def test_a_weekend_is_allowed_with_a_warning(self) -> None:
        response = self.post(date="2026-12-05", start_time="08:00")
        self.assertEqual(response.status_code, 302)
        page = self.client.get(response["Location"])
        self.assertContains(page, "Perhatian: Sabtu, 5 Desember 2026 bukan hari kerja")

    def test_bad_fields_get_indonesian_messages(self) -> None:
        response = self.post(date="besok", minutes="0", agenda_kind_3="", agenda_minutes_3="10")
        self.assertContains(response, "Tulis tanggal seperti 2026-12-04.")
        self.assertContains(response, "Pilih acara untuk 10 menit di baris 3.")
        self.assertContains(response, "5")
        self.assertFalse(Gathering.objects.filter(kind="adhoc").exists())

    def test_another_office_s_coordinator_cannot_add_to_this_office(self) -> None:
        self.client.force_login(self.koord_pupr)
        self.assertEqual(self.post().status_code, 404)
        self.assertFalse(Gathering.objects.filter(kind="adhoc").exists())


class MoveGatheringTests(CoordinatorToolsTestCase):
    def url(self, gathering: Gathering) -> str:
        return reverse("program:gathering_move", args=["DUKCAPIL", gathering.pk])

    def test_moving_a_regular_gathering_keeps_its_agenda_and_survives_the_scheduler(self) -> None:
        original = self.on(3)
        giver = original.agenda.get(kind="kultum").employee_id
        response = self.client.post(
            self.url(original),
            {
                "date": "2026-12-03",
                "start_time": "14:00",
                "minutes": "45",
                "place": "Aula",
                "reason": "Rapat",
            },
        )
        self.assertEqual(response.status_code, 302)
        original.refresh_from_db()
        self.assertEqual(original.status, "cancelled")
        self.assertEqual(original.cancel_reason, "Dipindah ke Kamis, 3 Desember 2026 pukul 14.00: Rapat")
        moved = self.on(3, kind="adhoc")
        self.assertEqual(local(moved), dt.datetime(2026, 12, 3, 14, 0, tzinfo=WITA))
        self.assertEqual(moved.place, "Aula")
        self.assertEqual(
            list(moved.agenda.values_list("kind", flat=True)),
            ["kultum", "tadarus", "tadabbur", "materi", "doa"],
        )
        self.assertEqual(moved.agenda.get(kind="kultum").employee_id, giver)
        self.assertEqual(moved.title, "Pindahan dari Kamis, 3 Desember 2026")
        # Re-running the scheduler neither restores the regular gathering nor touches the moved one.
        result = gathering_schedule(
            office=self.dukcapil, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 11)
        )
        self.assertEqual((len(result.created), len(result.updated)), (0, 0))
        self.assertEqual(
            Gathering.objects.filter(date=dt.date(2026, 12, 3)).exclude(status="cancelled").count(), 1
        )
        self.assertTrue(AuditEntry.objects.filter(action="gathering.move").exists())

    def test_a_move_onto_another_gathering_is_refused(self) -> None:
        original = self.on(3)
        response = self.client.post(
            self.url(original),
            {"date": "2026-12-04", "start_time": "09:15", "minutes": "45", "place": "", "reason": "Rapat"},
        )
        self.assertContains(response, "Bertabrakan dengan perjumpaan jalur Islam pada Jumat, 4 Desember 2026")
        original.refresh_from_db()
        self.assertEqual(original.status, "scheduled")

    def test_a_held_gathering_cannot_be_moved_or_cancelled(self) -> None:
        held = self.on(1)
        self.assertContains(self.client.get(self.url(held)), "hanya perjumpaan yang masih terjadwal")
        response = self.client.post(
            self.url(held),
            {"date": "2026-12-07", "start_time": "14:00", "minutes": "45", "place": "", "reason": "Salah"},
        )
        self.assertContains(response, "Hanya perjumpaan yang masih terjadwal yang dapat dipindahkan.")
        self.client.post(reverse("program:gathering_cancel", args=["DUKCAPIL", held.pk]), {"reason": "Salah"})
        held.refresh_from_db()
        self.assertEqual(held.status, "held")

    def test_an_attended_gathering_cannot_be_moved(self) -> None:
        gathering = self.on(3)
        Attendance.objects.create(gathering=gathering, employee=self.me, status="H", source="rollcall")
        response = self.client.post(
            self.url(gathering),
            {"date": "2026-12-07", "start_time": "14:00", "minutes": "45", "place": "", "reason": "Rapat"},
        )
        self.assertContains(response, "sudah ada yang hadir")

    def test_an_ad_hoc_gathering_moves_in_place(self) -> None:
        self.client.post(
            reverse("program:gathering_new", args=["DUKCAPIL"]),
            {"track": "islam", "date": "2026-12-03", "start_time": "14:00", "minutes": "30", "place": "Aula"},
        )
        adhoc = self.on(3, kind="adhoc")
        response = self.client.post(
            self.url(adhoc),
            {"date": "2026-12-07", "start_time": "14:00", "minutes": "30", "place": "", "reason": "Hujan"},
        )
        self.assertEqual(response.status_code, 302)
        adhoc.refresh_from_db()
        self.assertEqual((adhoc.date, adhoc.status, adhoc.place), (dt.date(2026, 12, 7), "scheduled", "Aula"))

    def test_another_office_s_coordinator_cannot_move(self) -> None:
        self.client.force_login(self.koord_pupr)
        self.assertEqual(self.client.get(self.url(self.on(3))).status_code, 404)


class CurriculumProgressTests(CoordinatorToolsTestCase):
    def setUp(self) -> None:
        super().setUp()
        first = Module.objects.create(government=self.government, order=1, title="Akhlak kepada diri sendiri")
        second = Module.objects.create(government=self.government, order=2, title="Kejujuran")
        self.lessons = [
            Lesson.objects.create(module=first, order=1, title="Niat dan keikhlasan"),
            Lesson.objects.create(module=first, order=2, title="Disiplin waktu"),
            Lesson.objects.create(module=first, order=3, title="Menjaga lisan"),
            Lesson.objects.create(module=second, order=1, title="Jujur dalam melayani warga"),
            Lesson.objects.create(module=second, order=2, title="Menolak gratifikasi"),
        ]
        # Tuesday's (held) gathering taught the first lesson; re-planning places the rest in order.
        AgendaItem.objects.filter(gathering=self.on(1), kind="materi").update(lesson=self.lessons[0])
        gathering_schedule(office=self.dukcapil, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 11))

    def page(self) -> Any:
        return self.client.get(reverse("program:curriculum", args=["DUKCAPIL"]))

    def test_it_shows_what_was_taught_where_and_what_comes_next(self) -> None:
        # By hand: 1 of 5 taught (20%); module 1 has 1 of 3 (33%), module 2 0 of 2 (0%). The lessons
        # follow in order on the gatherings with a materi item: 2, 3, 7 and 8 December (Friday has none).
        response = self.page()
        self.assertContains(response, "1 dari 5 materi sudah diberikan (20%)")
        self.assertContains(response, "1 dari 3 materi (33%)")
        self.assertContains(response, "0 dari 2 materi (0%)")
        self.assertContains(response, "Materi berikutnya: <strong>Disiplin waktu</strong>", html=False)
        self.assertContains(response, "Rabu, 2 Desember 2026")
        self.assertContains(response, "Sel, 1 Des 2026 12.30")
        self.assertContains(response, "Sen, 7 Des 2026 12.30")  # Jujur dalam melayani warga
        self.assertContains(response, "Sel, 8 Des 2026 12.30")
        self.assertContains(response, "?w=2026-W49")

    def test_a_cancelled_day_moves_the_lesson_on_and_time_marks_it_taught(self) -> None:
        gathering_cancel(actor=self.koord_dukcapil, gathering=self.on(2), reason="Banjir")
        self.assertContains(self.page(), "Kamis, 3 Desember 2026")  # Disiplin waktu, next
        with time_machine.travel(dt.datetime(2026, 12, 3, 14, 0, tzinfo=WITA), tick=False):
            response = self.page()
        self.assertContains(response, "2 dari 5 materi sudah diberikan (40%)")
        self.assertContains(response, "2 dari 3 materi (67%)")
        self.assertContains(response, "Materi berikutnya: <strong>Menjaga lisan</strong>", html=False)

    def test_staff_of_the_office_may_read_it_and_other_offices_may_not(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        self.assertEqual(self.page().status_code, 200)
        self.client.force_login(self.koord_pupr)
        self.assertEqual(self.page().status_code, 404)

    def test_the_office_page_links_the_new_tools(self) -> None:
        response = self.client.get(reverse("org:office_detail", args=["DUKCAPIL"]))
        self.assertContains(response, reverse("program:template_list", args=["DUKCAPIL"]))
        self.assertContains(response, reverse("program:curriculum", args=["DUKCAPIL"]))
        week = self.client.get(reverse("program:week", args=["DUKCAPIL"]) + "?w=2026-W49")
        self.assertContains(week, reverse("program:gathering_new", args=["DUKCAPIL"]))
        self.assertContains(week, reverse("program:gathering_move", args=["DUKCAPIL", self.on(3).pk]))
