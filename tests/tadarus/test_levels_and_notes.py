"""Reading classes (Iqro' to tadarus) and tadabbur notes."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from perjumpaan.org.models import AuditEntry, Employee
from perjumpaan.program.models import AgendaItem, Gathering
from perjumpaan.tadarus import selectors, services
from perjumpaan.tadarus.links import kemenag_range_url, kemenag_url
from perjumpaan.tadarus.models import LevelEnrolment, LevelStep, TadabburNote
from perjumpaan.tadarus.quran import Ref
from tests.base import PerjumpaanTestCase, make_employee
from tests.tadarus.helpers import NOW, TODAY, gathering_on, schedule
from tests.tadarus.odoj_helpers import staff_login

YESTERDAY = TODAY - dt.timedelta(days=1)


@time_machine.travel(NOW, tick=False)
class LevelTests(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.guru_user, cls.guru = staff_login(cls.dukcapil, "guru.ngaji", "Ustaz Lalu Ahmad")
        cls.learner = Employee.objects.get(user=cls.staf_dukcapil)

    def enrol(self, level: str = "iqro5") -> LevelEnrolment:
        return services.level_enrol(
            actor=self.koord_dukcapil,
            office=self.dukcapil,
            employee=self.learner,
            teacher=self.guru,
            level=level,
        )

    def test_the_coordinator_enrols_a_learner_with_a_teacher_of_the_office(self) -> None:
        enrolment = self.enrol("iqro1")
        self.assertEqual(
            (enrolment.level, enrolment.teacher, enrolment.enrolled_on), ("iqro1", self.guru, TODAY)
        )
        self.assertEqual(list(enrolment.steps.values_list("from_level", "to_level")), [("", "iqro1")])
        self.assertTrue(AuditEntry.objects.filter(action="tadarus.level_enrol").exists())

    def test_a_teacher_from_another_office_or_oneself_is_refused(self) -> None:
        stranger = Employee.objects.get(user=self.staf_pupr)
        with self.assertRaisesMessage(ValidationError, services.LEVEL_WRONG_OFFICE):
            services.level_enrol(
                actor=self.koord_dukcapil,
                office=self.dukcapil,
                employee=self.learner,
                teacher=stranger,
                level="iqro1",
            )
        with self.assertRaisesMessage(ValidationError, services.LEVEL_SAME_PERSON):
            services.level_enrol(
                actor=self.koord_dukcapil,
                office=self.dukcapil,
                employee=self.learner,
                teacher=self.learner,
                level="iqro1",
            )
        with self.assertRaisesMessage(ValidationError, services.LEVEL_NOT_ALLOWED):
            services.level_enrol(
                actor=self.pimpinan,
                office=self.dukcapil,
                employee=self.learner,
                teacher=self.guru,
                level="iqro1",
            )

    def test_the_teacher_moves_the_learner_up_and_the_history_and_audit_keep_it(self) -> None:
        enrolment = self.enrol("iqro6")
        services.level_up(actor=self.guru_user, enrolment=enrolment, note="Lancar membaca")
        services.level_up(actor=self.guru_user, enrolment=enrolment)
        enrolment.refresh_from_db()
        self.assertEqual(enrolment.level, "tadarus")
        self.assertEqual(
            list(enrolment.steps.values_list("from_level", "to_level")),
            [("", "iqro6"), ("iqro6", "tahsin"), ("tahsin", "tadarus")],
        )
        entries = AuditEntry.objects.filter(action="tadarus.level_up").order_by("at", "pk")
        self.assertEqual(
            [(e.old, e.new) for e in entries],
            [({"level": "iqro6"}, {"level": "tahsin"}), ({"level": "tahsin"}, {"level": "tadarus"})],
        )
        self.assertEqual(entries[0].reason, "Lancar membaca")
        with self.assertRaisesMessage(ValidationError, services.LEVEL_TOP):
            services.level_up(actor=self.guru_user, enrolment=enrolment)

    def test_only_the_teacher_records_a_step_up(self) -> None:
        enrolment = self.enrol()
        for user in (self.koord_dukcapil, self.staf_dukcapil, self.admin):
            with (
                self.subTest(user=user.username),
                self.assertRaisesMessage(ValidationError, services.NOT_THE_TEACHER),
            ):
                services.level_up(actor=user, enrolment=enrolment)
        self.assertEqual(LevelStep.objects.count(), 1)

    def test_the_teacher_s_page_moves_a_learner_up(self) -> None:
        enrolment = self.enrol("iqro2")
        self.client.force_login(self.guru_user)
        response = self.client.get(reverse("tadarus:levels"))
        self.assertContains(response, "Baiq Nurul Aini")
        self.assertContains(response, "Naik tingkat")
        self.client.post(reverse("tadarus:level_up"), {"enrolment": enrolment.pk})
        enrolment.refresh_from_db()
        self.assertEqual(enrolment.level, "iqro3")

    def test_a_learner_sees_their_level_and_history(self) -> None:
        self.enrol("tahsin")
        self.client.force_login(self.staf_dukcapil)
        response = self.client.get(reverse("tadarus:levels"))
        self.assertContains(response, "Tingkat saya")
        self.assertContains(response, "Tahsin")
        self.assertContains(response, "Ustaz Lalu Ahmad")

    def test_another_learner_s_enrolment_cannot_be_moved_up_through_the_page(self) -> None:
        enrolment = self.enrol("iqro2")
        self.client.force_login(self.staf_dukcapil)  # the learner, not their teacher
        self.client.post(reverse("tadarus:level_up"), {"enrolment": enrolment.pk})
        enrolment.refresh_from_db()
        self.assertEqual(enrolment.level, "iqro2")

    def test_the_coordinator_enrols_through_the_office_page(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        response = self.client.post(
            reverse("tadarus:level_enrol", kwargs={"office_code": "DUKCAPIL"}),
            {"employee": self.learner.pk, "teacher": self.guru.pk, "level": "iqro3"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(LevelEnrolment.objects.get().level, "iqro3")


@time_machine.travel(NOW, tick=False)
class TadabburTests(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        schedule(cls.dukcapil)
        schedule(cls.pupr)

    def write(self, user: object, gathering: Gathering, **extra: object) -> TadabburNote:
        data: dict[str, object] = {
            "surah": 2,
            "ayah": 153,
            "ayah_end": None,
            "title": "Sabar dan salat",
            "reflection": "Menghadapi antrean panjang dengan sabar.",
            "themes": ["Sabar", "pelayanan"],
        }
        data.update(extra)
        return services.tadabbur_note_add(actor=user, gathering=gathering, **data)  # type: ignore[arg-type]

    def test_the_kultum_giver_attaches_a_reflection_and_it_links_to_kemenag(self) -> None:
        gathering = gathering_on(self.dukcapil, YESTERDAY)
        me = Employee.objects.get(user=self.staf_dukcapil)
        AgendaItem.objects.filter(gathering=gathering, kind="kultum").update(employee=me)
        note = self.write(self.staf_dukcapil, gathering_on(self.dukcapil, YESTERDAY), ayah_end=157)
        self.assertEqual((note.author, note.ref_label), (me, "Al-Baqarah (2): 153–157"))
        self.assertEqual(
            note.kemenag_url, "https://quran.kemenag.go.id/quran/per-ayat/surah/2?from=153&to=157"
        )
        self.assertEqual(sorted(note.themes.values_list("slug", flat=True)), ["pelayanan", "sabar"])

    def test_staff_without_a_part_in_the_gathering_may_not_write(self) -> None:
        with self.assertRaisesMessage(ValidationError, services.NOTE_NOT_ALLOWED):
            self.write(self.staf_dukcapil, gathering_on(self.dukcapil, YESTERDAY))
        with self.assertRaisesMessage(ValidationError, services.NOTE_NOT_ALLOWED):
            self.write(self.koord_pupr, gathering_on(self.dukcapil, YESTERDAY))
        self.assertIsNotNone(self.write(self.fasilitator, gathering_on(self.dukcapil, YESTERDAY)))

    def test_an_ayah_that_does_not_exist_is_refused(self) -> None:
        with self.assertRaises(ValidationError):
            self.write(self.koord_dukcapil, gathering_on(self.dukcapil, YESTERDAY), surah=112, ayah=5)
        with self.assertRaises(ValidationError):
            self.write(self.koord_dukcapil, gathering_on(self.dukcapil, YESTERDAY), ayah=10, ayah_end=9)
        self.assertFalse(TadabburNote.objects.exists())

    def test_notes_are_found_by_surah_theme_and_words_within_the_user_s_scope(self) -> None:
        sabar = self.write(self.koord_dukcapil, gathering_on(self.dukcapil, YESTERDAY))
        amanah = self.write(
            self.koord_dukcapil,
            gathering_on(self.dukcapil, YESTERDAY),
            surah=4,
            ayah=58,
            title="Amanah",
            reflection="Dokumen warga adalah amanah.",
            themes=["amanah"],
        )
        pupr = self.write(self.koord_pupr, gathering_on(self.pupr, YESTERDAY), title="Jalan yang lurus")
        self.assertEqual(list(selectors.note_search(user=self.staf_dukcapil, surah=2)), [sabar])
        self.assertEqual(list(selectors.note_search(user=self.staf_dukcapil, theme="amanah")), [amanah])
        self.assertEqual(list(selectors.note_search(user=self.staf_dukcapil, text="dokumen")), [amanah])
        self.assertNotIn(pupr, selectors.note_search(user=self.staf_dukcapil))
        self.assertIn(pupr, selectors.note_search(user=self.pimpinan))
        self.assertIsNone(selectors.note_get(user=self.koord_dukcapil, note_id=pupr.pk))

    def test_the_search_page_and_a_note_s_page(self) -> None:
        note = self.write(self.koord_dukcapil, gathering_on(self.dukcapil, YESTERDAY))
        self.client.force_login(self.staf_dukcapil)
        response = self.client.get(reverse("tadarus:notes"), {"surah": "2", "tema": "sabar"})
        self.assertContains(response, "Sabar dan salat")
        self.assertContains(response, "Al-Baqarah (2): 153")
        response = self.client.get(reverse("tadarus:notes"), {"surah": "999", "q": "x" * 500})
        self.assertEqual(response.status_code, 200)
        response = self.client.get(reverse("tadarus:note", kwargs={"note_id": note.pk}))
        self.assertContains(
            response, "https://quran.kemenag.go.id/quran/per-ayat/surah/2?from=153&amp;to=153"
        )
        self.client.force_login(self.koord_pupr)
        self.assertEqual(
            self.client.get(reverse("tadarus:note", kwargs={"note_id": note.pk})).status_code, 404
        )

    def test_writing_a_note_through_the_page_keeps_what_was_typed_on_error(self) -> None:
        gathering = gathering_on(self.dukcapil, YESTERDAY)
        self.client.force_login(self.fasilitator)
        data = {
            "gathering": gathering.pk,
            "surah": "1",
            "ayah": "9",
            "title": "Al-Fatihah",
            "reflection": "Doa.",
        }
        response = self.client.post(reverse("tadarus:note_add"), data)
        self.assertContains(response, "ayat 9 tidak ada")
        self.assertContains(response, "Doa.")
        data["ayah"] = "5"
        response = self.client.post(reverse("tadarus:note_add"), data)
        note = TadabburNote.objects.get()
        self.assertRedirects(response, reverse("tadarus:note", kwargs={"note_id": note.pk}))

    def test_a_gathering_of_another_office_cannot_be_chosen(self) -> None:
        self.client.force_login(self.fasilitator)
        response = self.client.post(
            reverse("tadarus:note_add"),
            {
                "gathering": gathering_on(self.pupr, YESTERDAY).pk,
                "surah": "1",
                "ayah": "1",
                "title": "x",
                "reflection": "y",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(TadabburNote.objects.exists())


class LinkTests(PerjumpaanTestCase):
    def test_the_kemenag_link_follows_the_documented_pattern(self) -> None:
        self.assertEqual(
            kemenag_url(2, 255), "https://quran.kemenag.go.id/quran/per-ayat/surah/2?from=255&to=255"
        )
        # A portion across surahs links to where it begins, to the end of that surah.
        self.assertEqual(
            kemenag_range_url(Ref(1, 1), Ref(2, 5)),
            "https://quran.kemenag.go.id/quran/per-ayat/surah/1?from=1&to=7",
        )


@time_machine.travel(NOW, tick=False)
class SummaryTests(PerjumpaanTestCase):
    def test_leadership_sees_every_office_s_totals_and_others_do_not_get_the_page(self) -> None:
        schedule(self.dukcapil)
        make_employee(self.dukcapil, name="Pegawai Lain", track="islam")
        services.khatam_plan_set(
            actor=self.admin,
            office=self.dukcapil,
            valid_from=dt.date(2026, 11, 2),
            unit="pages",
            amount=30,
            start=Ref(1, 1),
        )
        Gathering.objects.filter(office=self.dukcapil, date__lt=TODAY).update(status=Gathering.Status.HELD)
        rows = {row.office.code: row for row in selectors.khatam_summary(user=self.pimpinan)}
        self.assertEqual(set(rows), {"DUKCAPIL", "PUPR"})
        self.assertEqual(rows["DUKCAPIL"].khatam_count, 1)  # 22 gatherings of 30 pages
        self.assertIsNone(rows["PUPR"].percent)
        self.client.force_login(self.pimpinan)
        response = self.client.get(reverse("tadarus:summary"))
        self.assertContains(response, "Ringkasan tadarus")
        for user in (self.koord_dukcapil, self.staf_dukcapil, self.outsider):
            self.client.force_login(user)
            self.assertEqual(self.client.get(reverse("tadarus:summary")).status_code, 404)
        self.client.force_login(self.other_admin)
        response = self.client.get(reverse("tadarus:summary"))
        self.assertContains(response, "Disdukcapil Lombok Timur")
        self.assertNotContains(response, self.dukcapil.name)
